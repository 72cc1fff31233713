"""News published by Front committees on the public portal, with photos and moderated comments.

An article is public when its status is *published* and ``publish_at`` has passed; a published article with a
future ``publish_at`` is *scheduled*. Bodies are stored already sanitised (see :mod:`mattran.news.services`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mattran.common.models import TimeStampedModel


class Category(TimeStampedModel):
    name = models.CharField("tên chuyên mục", max_length=80)
    slug = models.SlugField("đường dẫn", max_length=80, unique=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:category", args=[self.slug])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    PUBLISHED = "published", "Đã xuất bản"


class ArticleQuerySet(models.QuerySet["Article"]):
    def public(self) -> ArticleQuerySet:
        """Published and due: what visitors may see."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self) -> ArticleQuerySet:
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=timezone.now())


class Article(TimeStampedModel):
    unit = models.ForeignKey(
        "organisations.AdminUnit", verbose_name="đơn vị đăng tin", on_delete=models.PROTECT, related_name="articles"
    )
    category = models.ForeignKey(
        Category, verbose_name="chuyên mục", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField("tiêu đề", max_length=255)
    slug = models.SlugField("đường dẫn", max_length=220, unique=True)
    lead = models.TextField("sapo (tóm tắt)", blank=True)
    body = models.TextField("nội dung", blank=True, help_text="HTML đã được làm sạch khi lưu.")
    source_tag = models.CharField("nguồn tin", max_length=120, blank=True,
                                  help_text="Ví dụ: “MTTQ quận Hai Bà Trưng”.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người viết (tài khoản)", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="news_articles",
    )
    author_name = models.CharField("tác giả", max_length=120, blank=True)
    status = models.CharField("trạng thái", max_length=16, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT)
    publish_at = models.DateTimeField("thời điểm xuất bản", null=True, blank=True)
    #: Dimensions are written by the upload service, never read back from the file (a missing file must not
    #: break a page), hence no ``width_field``/``height_field``.
    cover = models.ImageField("ảnh đại diện", upload_to="news/%Y/%m/", blank=True)
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    #: Approved comments, kept in step by the moderation services.
    comment_count = models.PositiveIntegerField("số bình luận đã duyệt", default=0, editable=False)
    #: Bumped on every moderation decision; part of the cache key of the rendered article.
    comments_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="news_article_public_idx"),
            models.Index(fields=["category", "status", "-publish_at"], name="news_article_category_idx"),
            models.Index(fields=["unit", "status"], name="news_article_unit_idx"),
            models.Index(fields=["updated_at"], name="news_article_changed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(publish_at__isnull=False),
                name="news_article_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:article", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def byline(self) -> str:
        if self.author_name:
            return self.author_name
        return self.author.display_name if self.author_id and self.author else ""


class ArticlePhoto(TimeStampedModel):
    article = models.ForeignKey(Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("ảnh", upload_to="news/%Y/%m/")
    caption = models.CharField("chú thích", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["article", "order", "id"]
        verbose_name = "ảnh bài viết"
        verbose_name_plural = "ảnh bài viết"

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    REJECTED = "rejected", "Từ chối"


class Comment(TimeStampedModel):
    """A reader's comment: plain text, shown only once approved."""

    article = models.ForeignKey(Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="comments")
    author_name = models.CharField("họ và tên", max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="news_comments",
    )
    body = models.TextField("nội dung")
    status = models.CharField("trạng thái", max_length=16, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING)
    #: Keyed hash of the client IP (never the IP itself), for rate limiting across app servers.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người duyệt", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField("duyệt lúc", null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "bình luận"
        verbose_name_plural = "bình luận"
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="news_comment_article_idx"),
            models.Index(fields=["status", "created_at"], name="news_comment_queue_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="news_comment_rate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60]}"
