"""Reads on news. Public selectors return only what visitors may see; staff selectors take the viewer."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mattran.accounts.permissions import Action, can, units_where
from mattran.news.models import Article, ArticlePhoto, ArticleStatus, Category, Comment, CommentStatus

#: Categories change rarely; each process re-reads them after this many seconds.
NAV_CATEGORIES_TTL = 60
NAV_CATEGORIES_KEY = "news:nav-categories:v1"

# --- Public -----------------------------------------------------------------------------------------------


def published_articles() -> QuerySet[Article]:
    """Public: published articles whose time has come, newest first."""
    return (
        Article.objects.public()
        .select_related("category")
        .order_by("-publish_at", "-id")
    )


def articles_in_category(*, category: Category) -> QuerySet[Article]:
    return published_articles().filter(category=category)


def category_get(*, slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404("Không tìm thấy chuyên mục.")
    return category


def categories() -> list[dict[str, Any]]:
    """All categories as plain ``{"name", "slug"}`` dicts, cached per process for a minute."""

    def load() -> list[dict[str, Any]]:
        rows = Category.objects.order_by("order", "name").only("name", "slug")
        return [{"name": c.name, "slug": c.slug} for c in rows]

    return cache.get_or_set(NAV_CATEGORIES_KEY, load, NAV_CATEGORIES_TTL) or []


def article_get_public(*, slug: str) -> Article:
    """Public: the article if it is published and due, else 404 (drafts and scheduled ones do not leak)."""
    article = Article.objects.public().select_related("category", "unit").filter(slug=slug).first()
    if article is None:
        raise Http404("Không tìm thấy bài viết.")
    return article


def article_public_version(*, slug: str) -> tuple[int, str, int] | None:
    """Public: ``(id, updated_at, comments_version)`` of a public article, or ``None``.

    The article page calls this on every anonymous view to build its cache key, so it is one indexed lookup
    written as plain SQL: compiling the equivalent ORM query costs ten times more than running it.
    ``updated_at`` comes back as the database gives it and is used only as part of a key.
    """
    ops = connection.ops
    q = ops.quote_name  # identifiers are fixed names; every value below is a parameter
    sql = (
        f"SELECT {q('id')}, {q('updated_at')}, {q('comments_version')} FROM {q(Article._meta.db_table)}"  # noqa: S608
        f" WHERE {q('slug')} = %s AND {q('status')} = %s AND {q('publish_at')} <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, ArticleStatus.PUBLISHED.value, ops.adapt_datetimefield_value(timezone.now())])
        row = cursor.fetchone()
    return (int(row[0]), str(row[1]), int(row[2])) if row else None


def news_version() -> tuple[str, str]:
    """Public: what the home page's content depends on, as ``(latest change, newest public publish time)``.

    Any save of any article moves the first value; a scheduled article falling due moves the second.
    Both are index lookups (``updated_at`` and ``status, publish_at``), in one plain-SQL statement.
    """
    ops = connection.ops
    q = ops.quote_name
    table = q(Article._meta.db_table)
    sql = (
        f"SELECT (SELECT MAX({q('updated_at')}) FROM {table}),"  # noqa: S608 - fixed identifiers, values are params
        f" (SELECT MAX({q('publish_at')}) FROM {table} WHERE {q('status')} = %s AND {q('publish_at')} <= %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ArticleStatus.PUBLISHED.value, ops.adapt_datetimefield_value(timezone.now())])
        changed, newest = cursor.fetchone()
    return str(changed), str(newest)


def article_photos(*, article: Article) -> QuerySet[ArticlePhoto]:
    return ArticlePhoto.objects.filter(article=article).order_by("order", "id")


def approved_comments(*, article: Article) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(article=article, status=CommentStatus.APPROVED)
        .only("author_name", "body", "created_at")
        .order_by("created_at", "id")
    )


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (exclusive) of ``day`` in the site's time zone (Asia/Ho_Chi_Minh), as aware datetimes."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def articles_on_day(*, day: dt.date) -> QuerySet[Article]:
    """Public: articles published on ``day``, local time."""
    start, end = day_bounds(day)
    return published_articles().filter(publish_at__gte=start, publish_at__lt=end)


def adjacent_news_days(*, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The nearest earlier and later local days that have public news."""
    start, end = day_bounds(day)
    public = Article.objects.public()
    before = public.filter(publish_at__lt=start).order_by("-publish_at").values_list("publish_at", flat=True).first()
    after = public.filter(publish_at__gte=end).order_by("publish_at").values_list("publish_at", flat=True).first()
    return (
        timezone.localdate(before) if before else None,
        timezone.localdate(after) if after else None,
    )


# --- Staff ------------------------------------------------------------------------------------------------


#: Filters of the staff list, as the ``trang_thai`` query parameter spells them.
ARTICLE_STATES = {"nhap": "Bản nháp", "hen-gio": "Hẹn giờ", "da-dang": "Đã đăng"}


def articles_editable_by(*, user: Any, state: str = "") -> QuerySet[Article]:
    """Articles of every unit where ``user`` may edit news (optionally in one of :data:`ARTICLE_STATES`)."""
    articles = (
        Article.objects.filter(unit__in=units_where(user, Action.EDIT_NEWS))
        .select_related("unit", "category")
        .defer("body")
        .annotate(pending_comments=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)))
        .order_by("-updated_at", "-id")
    )
    now = timezone.now()
    if state == "nhap":
        articles = articles.filter(status=ArticleStatus.DRAFT)
    elif state == "hen-gio":
        articles = articles.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=now)
    elif state == "da-dang":
        articles = articles.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=now)
    return articles


def article_get_for(*, user: Any, article_id: int, action: Action = Action.EDIT_NEWS) -> Article:
    """The article if ``user`` may do ``action`` on its unit; otherwise 404, whether or not it exists."""
    article = (
        Article.objects.filter(unit__in=units_where(user, action), pk=article_id)
        .select_related("unit", "category")
        .prefetch_related(Prefetch("photos", queryset=ArticlePhoto.objects.order_by("order", "id")))
        .first()
    )
    if article is None:
        raise Http404("Không tìm thấy bài viết.")
    return article


def comments_to_moderate(*, user: Any) -> QuerySet[Comment]:
    """Pending comments on articles of units where ``user`` may moderate, oldest first."""
    return (
        Comment.objects.filter(
            status=CommentStatus.PENDING,
            article__unit__in=units_where(user, Action.MODERATE_COMMENTS),
        )
        .select_related("article", "article__unit")
        .only("author_name", "body", "status", "created_at", "user_id", "article__title", "article__slug",
              "article__unit__name", "article__status", "article__publish_at")
        .order_by("created_at", "id")
    )


def comment_get_moderatable(*, user: Any, comment_id: int) -> Comment:
    """The comment (any status) if ``user`` may moderate its article's unit; otherwise 404."""
    comment = (
        Comment.objects.filter(
            article__unit__in=units_where(user, Action.MODERATE_COMMENTS), pk=comment_id
        )
        .select_related("article", "article__unit")
        .first()
    )
    if comment is None:
        raise Http404("Không tìm thấy bình luận.")
    return comment


def workspace_due_items(*, user: Any) -> list[dict[str, Any]]:
    """Dashboard to-dos: pending comments the user may moderate, drafts and scheduled articles they may edit."""
    items: list[dict[str, Any]] = []
    if can(user, Action.MODERATE_COMMENTS):
        pending = comments_to_moderate(user=user).count()
        if pending:
            items.append({"label": "Bình luận chờ duyệt", "count": pending,
                          "url": reverse("news_staff:comment_queue")})
    if can(user, Action.EDIT_NEWS):
        now = timezone.now()
        counts = Article.objects.filter(unit__in=units_where(user, Action.EDIT_NEWS)).aggregate(
            drafts=Count("pk", filter=Q(status=ArticleStatus.DRAFT)),
            scheduled=Count("pk", filter=Q(status=ArticleStatus.PUBLISHED, publish_at__gt=now)),
        )
        base = reverse("news_staff:article_list")
        if counts["drafts"]:
            items.append({"label": "Bài viết nháp", "count": counts["drafts"],
                          "url": f"{base}?{urlencode({'trang_thai': 'nhap'})}"})
        if counts["scheduled"]:
            items.append({"label": "Bài viết hẹn giờ xuất bản", "count": counts["scheduled"],
                          "url": f"{base}?{urlencode({'trang_thai': 'hen-gio'})}"})
    return items
