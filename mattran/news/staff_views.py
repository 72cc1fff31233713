"""News in the staff workspace (/quan-ly/tin-tuc/, /quan-ly/binh-luan/).

Every view declares its coarse permission with :func:`staff_view` and then loads its object through a
selector scoped by the same action on the object's unit, so an out-of-scope id is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mattran.accounts.permissions import Action, can, home_unit, units_where
from mattran.common.forms import attach_errors
from mattran.news import selectors, services
from mattran.news.forms import ArticleForm, PhotoForm, PublishForm
from mattran.news.models import Article, ArticleStatus, Comment
from mattran.organisations.models import AdminUnit, UnitLevel
from mattran.workspace.access import staff_view

TEXT_FIELDS = ["title", "lead", "body", "source_tag", "author_name", "category"]




@staff_view(Action.EDIT_NEWS)
def article_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("trang_thai", "")
    state = state if state in selectors.ARTICLE_STATES else ""
    articles = selectors.articles_editable_by(user=request.user, state=state)
    page = Paginator(articles, 30).get_page(request.GET.get("trang"))
    context = {"page": page, "state": state, "states": selectors.ARTICLE_STATES.items()}
    return render(request, "news/staff/article_list.html", context)


def _unit_choices(user: Any) -> Any:
    """Units whose committee may publish, in the editor's scope; residential areas have no committee.

    Dissolved units stay in the list (an editor may still file the news of a district as it was then);
    units in force come first.
    """
    return (
        AdminUnit.objects.filter(pk__in=units_where(user, Action.EDIT_NEWS)).exclude(level=UnitLevel.RESIDENTIAL)
        .only("name", "path", "valid_to").order_by(F("valid_to").desc(nulls_first=True), "path")
    )


@staff_view(Action.EDIT_NEWS)
def article_create(request: HttpRequest) -> HttpResponse:
    units = _unit_choices(request.user)
    initial: dict[str, Any] = {}
    start = home_unit(request.user)
    if start is not None:
        initial["unit"] = start.pk
    form = ArticleForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.article_create(
                actor=request.user, unit=data["unit"], title=data["title"], lead=data["lead"], body=data["body"],
                category=data["category"], source_tag=data["source_tag"], author_name=data["author_name"],
                cover=data.get("cover") or None,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã tạo bản nháp. Bạn có thể thêm ảnh rồi xuất bản.")
            return redirect("news_staff:article_edit", article_id=article.pk)
    return render(request, "news/staff/article_form.html", {"form": form, "article": None})


@staff_view(Action.EDIT_NEWS)
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_for(user=request.user, article_id=article_id, action=Action.EDIT_NEWS)
    initial = {name: getattr(article, name) for name in TEXT_FIELDS}
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and not _may_change(request.user, article):
        raise PermissionDenied("Bài đã xuất bản: chỉ người có quyền xuất bản mới được sửa.")
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in TEXT_FIELDS}
        try:
            article = services.article_update(
                actor=request.user, article=article, cover=form.cleaned_data.get("cover") or None, **values
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã lưu bài viết.")
            return redirect("news_staff:article_edit", article_id=article.pk)
    return render(request, "news/staff/article_form.html", _edit_context(request, article, form=form))


def _may_change(user: Any, article: Article) -> bool:
    """Mirrors the services: a published article changes in public as it is saved, so it needs publish rights."""
    return article.status != ArticleStatus.PUBLISHED or can(user, Action.PUBLISH_NEWS, article.unit)


def _edit_context(request: HttpRequest, article: Article, **extra: Any) -> dict[str, Any]:
    publish_initial = {"publish_at": timezone.localtime(article.publish_at)} if article.is_scheduled else {}
    can_publish = can(request.user, Action.PUBLISH_NEWS, article.unit)
    context = {
        "article": article,
        "photos": list(article.photos.all()),
        "can_publish": can_publish,
        "can_edit": _may_change(request.user, article),
        "publish_form": PublishForm(initial=publish_initial),
        "photo_form": PhotoForm(),
    }
    context.update(extra)
    return context


@staff_view(Action.PUBLISH_NEWS)
@require_POST
def article_publish(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_for(user=request.user, article_id=article_id, action=Action.PUBLISH_NEWS)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            article = services.article_publish(
                actor=request.user, article=article, publish_at=form.cleaned_data["publish_at"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if article.is_scheduled:
                when = timezone.localtime(article.publish_at).strftime("%H:%M %d/%m/%Y")
                messages.success(request, f"Đã hẹn giờ xuất bản lúc {when}.")
            else:
                messages.success(request, "Đã xuất bản bài viết.")
            return redirect("news_staff:article_edit", article_id=article.pk)
    edit_form = ArticleForm(initial={name: getattr(article, name) for name in TEXT_FIELDS})
    context = _edit_context(request, article, form=edit_form, publish_form=form)
    return render(request, "news/staff/article_form.html", context, status=400)


@staff_view(Action.PUBLISH_NEWS)
@require_POST
def article_unpublish(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_for(user=request.user, article_id=article_id, action=Action.PUBLISH_NEWS)
    services.article_unpublish(actor=request.user, article=article)
    messages.success(request, "Đã gỡ bài viết khỏi cổng thông tin (chuyển về bản nháp).")
    return redirect("news_staff:article_edit", article_id=article.pk)


@staff_view(Action.EDIT_NEWS)
def photo_upload(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_for(user=request.user, article_id=article_id, action=Action.EDIT_NEWS)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if not _may_change(request.user, article):
        raise PermissionDenied("Bài đã xuất bản: chỉ người có quyền xuất bản mới được thêm ảnh.")
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_add(actor=request.user, article=article, image=form.cleaned_data["image"],
                               caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã thêm ảnh.")
            return redirect("news_staff:article_edit", article_id=article.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "news/staff/photo_form.html", {"article": article, "form": form}, status=status)


@staff_view(Action.MODERATE_COMMENTS)
def comment_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.comments_to_moderate(user=request.user), 30).get_page(request.GET.get("trang"))
    return render(request, "news/staff/comment_queue.html", {"page": page})


def _moderate(request: HttpRequest, comment_id: int, *, approve: bool) -> HttpResponse:
    comment: Comment = selectors.comment_get_moderatable(user=request.user, comment_id=comment_id)
    if approve:
        comment = services.comment_approve(actor=request.user, comment=comment)
    else:
        comment = services.comment_reject(actor=request.user, comment=comment)
    if request.headers.get("HX-Request") == "true":
        return render(request, "news/staff/_comment_row.html", {"comment": comment, "done": True})
    messages.success(request, "Đã duyệt bình luận." if approve else "Đã từ chối bình luận.")
    return redirect("news_staff:comment_queue")


@staff_view(Action.MODERATE_COMMENTS)
@require_POST
def comment_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, approve=True)


@staff_view(Action.MODERATE_COMMENTS)
@require_POST
def comment_reject(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, approve=False)
