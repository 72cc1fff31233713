"""Writes on news: articles, photos, comments. Each checks the policy on the article's unit and is audited."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from mattran.accounts.permissions import Action, require
from mattran.audit.services import diff, record, snapshot
from mattran.common.vn import fold
from mattran.news.images import ProcessedImage, process_upload
from mattran.news.models import Article, ArticlePhoto, ArticleStatus, Category, Comment, CommentStatus
from mattran.news.richtext import sanitize_body
from mattran.organisations.models import AdminUnit

ARTICLE_FIELDS = ["title", "slug", "lead", "body", "source_tag", "author_name", "category", "cover"]
EDITABLE_FIELDS = {"title", "lead", "body", "source_tag", "author_name", "category"}
PUBLISH_FIELDS = ["status", "publish_at"]
#: Path segments under /tin-tuc/ that are routes, so no article may take them as its slug.
RESERVED_SLUGS = {"rss", "ngay", "chuyen-muc", "trang"}
SLUG_MAX = 200

# --- Slugs ------------------------------------------------------------------------------------------------
def slug_for(title: str, *, exclude_pk: int | None = None) -> str:
    """``Ngày hội Đại đoàn kết`` → ``ngay-hoi-dai-doan-ket``, with ``-2``, ``-3``… when already taken."""
    base = slugify(fold(title))[:SLUG_MAX].strip("-") or "bai-viet"
    same_start = Article.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        same_start = same_start.exclude(pk=exclude_pk)
    taken = set(same_start.values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken or candidate in RESERVED_SLUGS:
        n += 1
        candidate = f"{base[: SLUG_MAX - len(str(n)) - 1]}-{n}"
    return candidate


# --- Articles ---------------------------------------------------------------------------------------------
def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _validate_article(article: Article) -> None:
    errors: dict[str, str] = {}
    if not article.title:
        errors["title"] = "Vui lòng nhập tiêu đề."
    if article.category_id is not None and not Category.objects.filter(pk=article.category_id).exists():
        errors["category"] = "Chuyên mục không tồn tại."
    if errors:
        raise ValidationError(errors)


def _require_edit(actor: Any, article: Article) -> None:
    """Editing a draft needs EDIT_NEWS; once published (or scheduled) a change goes out as it is saved, so it
    needs PUBLISH_NEWS as well — a cadre who may draft cannot change what the public reads."""
    require(actor, Action.EDIT_NEWS, article.unit)
    if article.status == ArticleStatus.PUBLISHED:
        require(actor, Action.PUBLISH_NEWS, article.unit)


def _set_cover(article: Article, processed: ProcessedImage) -> None:
    article.cover.save(processed.name, processed.content, save=False)
    article.cover_width, article.cover_height = processed.width, processed.height


@transaction.atomic
def article_create(
    *, actor: Any, unit: AdminUnit, title: str, lead: str = "", body: str = "", category: Category | None = None,
    source_tag: str = "", author_name: str = "", cover: IO[bytes] | None = None,
) -> Article:
    """A new draft of ``unit``. The body is sanitised; the slug comes from the title."""
    require(actor, Action.EDIT_NEWS, unit)
    is_user = getattr(actor, "is_authenticated", False)
    article = Article(
        unit=unit, category=category, title=_clean_text(title), lead=_clean_text(lead), body=sanitize_body(body),
        source_tag=_clean_text(source_tag), status=ArticleStatus.DRAFT,
        author=actor if is_user else None,
        author_name=_clean_text(author_name) or (actor.display_name if is_user else ""),
    )
    _validate_article(article)
    processed = process_upload(cover, field="cover") if cover else None
    article.slug = slug_for(article.title)
    if processed:
        _set_cover(article, processed)
    article.save()
    record(actor=actor, action="news.article.create", target=article, unit=unit,
           changes=snapshot(article, ARTICLE_FIELDS))
    return article


@transaction.atomic
def article_update(*, actor: Any, article: Article, cover: IO[bytes] | None = None, **values: Any) -> Article:
    """Change the text fields (and optionally the cover). The slug follows the title until first publication."""
    _require_edit(actor, article)
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"Trường không được phép sửa: {', '.join(sorted(unknown))}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = snapshot(article, ARTICLE_FIELDS)
    for name, value in values.items():
        if name == "body":
            value = sanitize_body(value)
        elif name != "category":
            value = _clean_text(value)
        setattr(article, name, value)
    _validate_article(article)
    processed = process_upload(cover, field="cover") if cover else None
    never_published = article.status == ArticleStatus.DRAFT and article.publish_at is None
    if never_published and article.title != before["title"]:
        article.slug = slug_for(article.title, exclude_pk=article.pk)
    if processed:
        _set_cover(article, processed)
    article.save()
    changes = diff(before, snapshot(article, ARTICLE_FIELDS))
    if changes:
        record(actor=actor, action="news.article.update", target=article, unit=article.unit, changes=changes)
    return article


@transaction.atomic
def article_publish(*, actor: Any, article: Article, publish_at: dt.datetime | None = None) -> Article:
    """Publish now, or schedule for ``publish_at`` (an aware datetime; a past one publishes with that date)."""
    require(actor, Action.PUBLISH_NEWS, article.unit)
    if publish_at is not None and timezone.is_naive(publish_at):
        raise ValidationError({"publish_at": "Thời điểm xuất bản phải kèm múi giờ."})
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.title or not (article.body or article.lead):
        raise ValidationError("Bài viết cần có tiêu đề và nội dung trước khi xuất bản.")
    before = snapshot(article, PUBLISH_FIELDS)
    keep = article.publish_at if article.is_public else None  # publishing again does not move the date
    article.status = ArticleStatus.PUBLISHED
    article.publish_at = publish_at or keep or timezone.now()
    article.save()
    action = "news.article.schedule" if article.is_scheduled else "news.article.publish"
    record(actor=actor, action=action, target=article, unit=article.unit,
           changes=diff(before, snapshot(article, PUBLISH_FIELDS)))
    return article


@transaction.atomic
def article_unpublish(*, actor: Any, article: Article) -> Article:
    """Back to draft: the public page disappears at once (and a schedule is cancelled)."""
    require(actor, Action.PUBLISH_NEWS, article.unit)
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = snapshot(article, PUBLISH_FIELDS)
    article.status = ArticleStatus.DRAFT
    article.save()
    record(actor=actor, action="news.article.unpublish", target=article, unit=article.unit,
           changes=diff(before, snapshot(article, PUBLISH_FIELDS)))
    return article


@transaction.atomic
def photo_add(
    *, actor: Any, article: Article, image: IO[bytes], caption: str = "", order: int | None = None
) -> ArticlePhoto:
    """Attach a photo (checked and re-encoded, see :mod:`mattran.news.images`) with its caption."""
    _require_edit(actor, article)
    caption = _clean_text(caption)
    if len(caption) > 300:
        raise ValidationError({"caption": "Chú thích dài tối đa 300 ký tự."})
    processed = process_upload(image, field="image")
    if order is None:
        order = article.photos.count() + 1
    photo = ArticlePhoto(article=article, caption=caption, order=order, width=processed.width,
                         height=processed.height)
    photo.image.save(processed.name, processed.content, save=False)
    photo.save()
    article.save(update_fields=["updated_at"])  # the rendered article changed: new cache key
    record(actor=actor, action="news.photo.add", target=photo, unit=article.unit,
           changes={"article": article.pk, "image": photo.image.name, "caption": caption,
                    "width": processed.width, "height": processed.height})
    return photo


# --- Comments ---------------------------------------------------------------------------------------------
COMMENT_NAME_MAX = 80
COMMENT_BODY_MAX = 2000
RATE_LIMITED = "Bạn đã gửi quá nhiều bình luận trong thời gian ngắn. Vui lòng thử lại sau ít phút."


def ip_hash(ip_address: str) -> str:
    """A keyed hash of the client IP: the same visitor maps to the same value on every app server."""
    return salted_hmac("mattran.news.comment-ip", ip_address or "unknown", algorithm="sha256").hexdigest()


def comment_rate_exceeded(*, ip_address: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.COMMENT_RATE_WINDOW_SECONDS)
    recent = Comment.objects.filter(ip_hash=ip_hash(ip_address), created_at__gte=since).count()
    return recent >= settings.COMMENT_RATE_LIMIT


@transaction.atomic
def comment_post(*, actor: Any, article: Article, author_name: str, body: str, ip_address: str) -> Comment:
    """Public: a reader's comment, saved as pending. ``actor`` may be anonymous (recorded as no actor)."""
    if not article.is_public:
        raise ValidationError("Bài viết này không nhận bình luận.")
    author_name, body = _clean_text(author_name), _clean_text(body)
    errors: dict[str, str] = {}
    if not author_name:
        errors["author_name"] = "Vui lòng nhập họ và tên."
    elif len(author_name) > COMMENT_NAME_MAX:
        errors["author_name"] = f"Họ và tên dài tối đa {COMMENT_NAME_MAX} ký tự."
    if not body:
        errors["body"] = "Vui lòng nhập nội dung bình luận."
    elif len(body) > COMMENT_BODY_MAX:
        errors["body"] = f"Bình luận dài tối đa {COMMENT_BODY_MAX} ký tự."
    if errors:
        raise ValidationError(errors)
    # Serialise comment posting per article so that parallel requests from one visitor cannot both slip
    # under the limit (SQLite already serialises writers; this matters on PostgreSQL).
    Article.objects.select_for_update().filter(pk=article.pk).first()
    if comment_rate_exceeded(ip_address=ip_address):
        raise ValidationError(RATE_LIMITED, code="rate_limited")
    is_user = getattr(actor, "is_authenticated", False)
    comment = Comment.objects.create(
        article=article, author_name=author_name, body=body, user=actor if is_user else None,
        status=CommentStatus.PENDING, ip_hash=ip_hash(ip_address),
    )
    record(actor=actor, action="news.comment.post", target=comment, unit=article.unit,
           changes={"article": article.pk, "author_name": author_name, "status": comment.status})
    return comment


def _moderate(*, actor: Any, comment: Comment, status: str) -> Comment:
    article = comment.article
    require(actor, Action.MODERATE_COMMENTS, article.unit)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    before = snapshot(comment, ["status"])
    comment.status = status
    comment.moderated_by = actor if getattr(actor, "is_authenticated", False) else None
    comment.moderated_at = timezone.now()
    comment.save()
    approved = Comment.objects.filter(article_id=article.pk).aggregate(
        n=Count("pk", filter=Q(status=CommentStatus.APPROVED))
    )["n"]
    # Count and version move together in the database, so every app server sees the new key at once.
    Article.objects.filter(pk=article.pk).update(comment_count=approved, comments_version=F("comments_version") + 1)
    record(actor=actor, action=f"news.comment.{'approve' if status == CommentStatus.APPROVED else 'reject'}",
           target=comment, unit=article.unit, changes=diff(before, snapshot(comment, ["status"])))
    return comment


@transaction.atomic
def comment_approve(*, actor: Any, comment: Comment) -> Comment:
    return _moderate(actor=actor, comment=comment, status=CommentStatus.APPROVED)


@transaction.atomic
def comment_reject(*, actor: Any, comment: Comment) -> Comment:
    return _moderate(actor=actor, comment=comment, status=CommentStatus.REJECTED)
