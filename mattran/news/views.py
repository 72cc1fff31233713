"""The public portal: home, lists, day archive, article pages with comments. Every view here is public.

The article page is the hot path. For anonymous visitors its expensive part (body, photos, approved comments)
is rendered once per process and cached under a key built from the data itself — the article's ``updated_at``
and ``comments_version`` — so an edit, a publication or a moderation decision changes the key everywhere at
once, without any process having to be told. The comment form (with its CSRF token) is never cached.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from mattran.news import selectors, services
from mattran.news.forms import CommentForm
from mattran.news.models import Article

COMMENT_SENT = "Bình luận của bạn đã được gửi và sẽ hiển thị sau khi được kiểm duyệt."
#: Bounds how long a cached article fragment can show a renamed category or unit (the key covers the rest).
FRAGMENT_TTL = 600
HOME_COUNT = 11
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Public: the latest news, a lead article and a list."""
    latest = list(selectors.published_articles()[:HOME_COUNT])
    context = {"lead_article": latest[0] if latest else None, "articles": latest[1:], "today": timezone.localdate()}
    return render(request, "news/home.html", context)


def _page(request: HttpRequest, articles: Any) -> Any:
    return Paginator(articles, settings.NEWS_PAGE_SIZE).get_page(request.GET.get("trang"))


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    """Public: all news, paginated with ``?trang=N``."""
    page = _page(request, selectors.published_articles())
    return render(request, "news/list.html", {"page": page, "category": None, "today": timezone.localdate()})


@require_GET
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


@require_GET
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


@require_GET
def day_pick(request: HttpRequest) -> HttpResponseRedirect:
    """Public: the date picker's plain form (no JavaScript) lands here and is sent on to the day's page."""
    chosen = _parse_day(request.GET.get("ngay", "")) or timezone.localdate()
    return redirect("news:day", day=chosen.isoformat())


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy overwrites it.
    return request.META.get("REMOTE_ADDR", "")


def _article_main(request: HttpRequest, article: Article) -> SafeString:
    """Body, photos and approved comments; cached for anonymous visitors under a data-versioned key."""

    def render_main() -> str:
        return render_to_string("news/_article_main.html", {
            "article": article,
            "photos": selectors.article_photos(article=article),
            "comments": selectors.approved_comments(article=article),
        })

    if request.user.is_authenticated:
        return mark_safe(render_main())  # noqa: S308 - our own template output, autoescaped
    key = (
        f"news:article-main:{article.pk}:{article.updated_at.timestamp():.6f}:"
        f"{article.comments_version}:{get_language()}"
    )
    html = cache.get(key)
    if html is None:
        html = render_main()
        cache.set(key, html, FRAGMENT_TTL)
    return mark_safe(html)  # noqa: S308 - our own template output, autoescaped


@require_http_methods(["GET", "HEAD", "POST"])
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: an article, its approved comments and the comment form (anyone may comment; moderated)."""
    item = selectors.article_get_public(slug=slug)
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            if form.is_spam():
                # Look like success to the bot; nothing is stored.
                messages.success(request, COMMENT_SENT)
                return redirect(f"{item.get_absolute_url()}#binh-luan")
            try:
                services.comment_post(
                    actor=request.user, article=item, author_name=form.cleaned_data["author_name"],
                    body=form.cleaned_data["body"], ip_address=_client_ip(request),
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "rate_limited":
                    status = 429
                _attach_errors(form, exc)
            else:
                messages.success(request, COMMENT_SENT)
                return redirect(f"{item.get_absolute_url()}#binh-luan")
    else:
        initial = {"author_name": request.user.display_name} if request.user.is_authenticated else {}
        form = CommentForm(initial=initial)
    canonical = request.build_absolute_uri(item.get_absolute_url())
    context = {
        "article": item,
        "main_html": _article_main(request, item),
        "form": form,
        "canonical_url": canonical,
        "cover_url": request.build_absolute_uri(item.cover.url) if item.cover else "",
    }
    return render(request, "news/article.html", context, status=status)


def _attach_errors(form: CommentForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
