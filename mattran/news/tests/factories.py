"""Factories for news tests: articles, comments and images; the tree and users come from their own apps."""

from __future__ import annotations

# Re-exported so news tests import everything they build from one place.
__all__ = ["PASSWORD", "AdminUnitFactory", "ArticleFactory", "CategoryFactory", "CommentFactory", "UserFactory",
           "build_tree", "jpeg_upload", "user_with_role"]

import datetime as dt
import io
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mattran.accounts.tests.factories import PASSWORD, UserFactory, user_with_role
from mattran.news.models import Article, ArticleStatus, Category, Comment, CommentStatus
from mattran.organisations.tests.factories import AdminUnitFactory, build_tree


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Chuyên mục {n}")
    slug = factory.Sequence(lambda n: f"chuyen-muc-{n}")
    order = factory.Sequence(lambda n: n)


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    """A published article (one hour ago) by default; ``draft=True`` or ``scheduled=True`` for the others."""

    class Meta:
        model = Article

    class Params:
        draft = factory.Trait(status=ArticleStatus.DRAFT, publish_at=None)
        scheduled = factory.Trait(publish_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1)))

    unit = factory.SubFactory(AdminUnitFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Ngày hội Đại đoàn kết toàn dân tộc số {n}")
    slug = factory.Sequence(lambda n: f"ngay-hoi-dai-doan-ket-{n}")
    lead = "Không khí ấm áp, vui tươi tại khu dân cư."
    body = "<p>Nội dung bài viết về <strong>công tác Mặt trận</strong>.</p>"
    source_tag = "MTTQ quận Hai Bà Trưng"
    author_name = "Trần Thị Bình"
    status = ArticleStatus.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author_name = "Lê Văn Cường"
    body = "Bài viết rất hay."
    status = CommentStatus.PENDING
    ip_hash = "0" * 64


def jpeg_upload(*, size: tuple[int, int] = (3000, 2000), orientation: int | None = None,
                name: str = "anh.jpg", fmt: str = "JPEG") -> SimpleUploadedFile:
    """An image made on the spot, with EXIF (camera make, GPS-like data, orientation) when JPEG."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1] // 3))  # an asymmetric mark to check rotation
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "Máy ảnh thử"  # Make
        exif[0x0110] = "Model X"  # Model
        if orientation:
            exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    image.save(out, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)
