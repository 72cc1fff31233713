"""The public portal: home, lists, day archive, article pages with comments. Every view here is public.

Home and article pages are the busy ones. For visitors who are not logged in they are served from cached page
shells (:mod:`mattran.news.pagecache`) keyed by the data version read from the database on each request, so a
publication, an edit or a moderation decision shows at once in every process. The comment form, with the
visitor's CSRF token, is rendered on every request and never cached.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from mattran.common.forms import attach_errors
from mattran.common.http import client_ip
from mattran.news import pagecache, selectors, services
from mattran.news.forms import CommentForm
from mattran.news.models import Article

COMMENT_SENT = "Bình luận của bạn đã được gửi và sẽ hiển thị sau khi được kiểm duyệt."
HOME_COUNT = 11
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _home_context() -> dict[str, Any]:
    latest = list(selectors.published_articles()[:HOME_COUNT])
    return {"lead_article": latest[0] if latest else None, "articles": latest[1:], "today": timezone.localdate()}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Public: the latest news, a lead article and a list."""
    if not pagecache.usable(request):
        return render(request, "news/home.html", _home_context())
    key = pagecache.key(request, "home", *selectors.news_version())
    shell = pagecache.get_or_render(request, key, "news/home.html", _home_context)
    return shell.fill(csrf_token=get_token(request))


def _page(request: HttpRequest, articles: Any) -> Any:
    return Paginator(articles, settings.NEWS_PAGE_SIZE).get_page(request.GET.get("trang"))


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    """Public: all news, paginated with ``?trang=N``."""
    page = _page(request, selectors.published_articles())
    return render(request, "news/list.html", {"page": page, "category": None, "today": timezone.localdate()})


@require_safe
def category(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the news of one category, paginated."""
    cat = selectors.category_get(slug=slug)
    page = _page(request, selectors.articles_in_category(category=cat))
    return render(request, "news/list.html", {"page": page, "category": cat, "today": timezone.localdate()})


def _parse_day(value: str) -> dt.date | None:
    if not _ISO_DAY.match(value or ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@require_safe
def day(request: HttpRequest, day: str) -> HttpResponse:
    """Public: the news published on one day (local time), with links to the nearest days that have news."""
    chosen = _parse_day(day)
    if chosen is None:
        raise Http404("Ngày không hợp lệ.")
    previous_day, next_day = selectors.adjacent_news_days(day=chosen)
    context = {
        "day": chosen,
        "articles": selectors.articles_on_day(day=chosen),
        "previous_day": previous_day,
        "next_day": next_day,
        "today": timezone.localdate(),
    }
    return render(request, "news/day.html", context)


@require_safe
def day_pick(request: HttpRequest) -> HttpResponseRedirect:
    """Public: the date picker's plain form (no JavaScript) lands here and is sent on to the day's page."""
    chosen = _parse_day(request.GET.get("ngay", "")) or timezone.localdate()
    return redirect("news:day", day=chosen.isoformat())


def _render_parts(request: HttpRequest, article: Article) -> dict[str, str]:
    """The visitor-independent parts of the article page: its meta tags and its main column."""
    canonical = request.build_absolute_uri(article.get_absolute_url())
    cover_url = request.build_absolute_uri(article.cover.url) if article.cover else ""
    head = render_to_string("news/_article_head.html", {
        "article": article, "canonical_url": canonical, "cover_url": cover_url, "SITE_NAME": settings.SITE_NAME,
    })
    main = render_to_string("news/_article_main.html", {
        "article": article,
        "photos": selectors.article_photos(article=article),
        "comments": selectors.approved_comments(article=article),
    })
    return {
        "page_title": article.title,
        "head_html": mark_safe(head),  # noqa: S308 - our own autoescaped template output
        "main_html": mark_safe(main),  # noqa: S308 - our own autoescaped template output
    }


def _comment_form_html(request: HttpRequest, form: CommentForm, csrf_token: str) -> SafeString:
    """The comment form with the visitor's CSRF token: rendered on every request, never cached."""
    html = render_to_string("news/_comment_form.html", {
        "form": form, "action": request.path, "csrf_token": csrf_token,
    })
    return mark_safe(html)  # noqa: S308 - our own autoescaped template output


def _article_page(request: HttpRequest, article: Article, form: CommentForm, status: int = 200) -> HttpResponse:
    context = {**_render_parts(request, article), "form_html": _comment_form_html(request, form, get_token(request))}
    return render(request, "news/article.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: an article, its approved comments and the comment form (anyone may comment; moderated)."""
    if request.method == "POST":
        return _comment_submitted(request, slug)
    if not pagecache.usable(request):
        initial = {"author_name": request.user.display_name} if request.user.is_authenticated else {}
        return _article_page(request, selectors.article_get_public(slug=slug), CommentForm(initial=initial))
    version = selectors.article_public_version(slug=slug)  # the one query of a cached view
    if version is None:
        raise Http404("Không tìm thấy bài viết.")
    shell = pagecache.get_or_render(
        request, pagecache.key(request, f"article:{version[0]}", *version), "news/article.html",
        lambda: _render_parts(request, selectors.article_get_public(slug=slug)), holes=("form_html",),
    )
    token = get_token(request)
    return shell.fill(csrf_token=token, form_html=_comment_form_html(request, CommentForm(), token))


def _comment_submitted(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.article_get_public(slug=slug)
    form = CommentForm(request.POST)
    status = 200
    if form.is_valid():
        if form.is_spam():
            # Look like success to the bot; nothing is stored.
            messages.success(request, COMMENT_SENT)
            return redirect(item.get_absolute_url())
        try:
            services.comment_post(
                actor=request.user, article=item, author_name=form.cleaned_data["author_name"],
                body=form.cleaned_data["body"], ip_address=client_ip(request),
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "rate_limited":
                status = 429
            attach_errors(form, exc)
        else:
            # Back to the top of the article, where the confirmation is shown.
            messages.success(request, COMMENT_SENT)
            return redirect(item.get_absolute_url())
    return _article_page(request, item, form, status=status)

