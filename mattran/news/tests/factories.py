"""Factories for news tests: a small organisation tree, staff with roles, articles and comments."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mattran.accounts.models import Role, RoleGrant, User
from mattran.news.models import Article, ArticleStatus, Category, Comment, CommentStatus
from mattran.organisations.models import AdminUnit, UnitLevel

PASSWORD = "mat-khau-thu-nghiem-2024"


class AdminUnitFactory(factory.django.DjangoModelFactory[AdminUnit]):
    class Meta:
        model = AdminUnit

    level = UnitLevel.COMMUNE
    type_name = "Phường"
    short_name = factory.Sequence(lambda n: f"Tin {n}")
    name = factory.LazyAttribute(lambda o: f"{o.type_name} {o.short_name}")
    key = factory.Sequence(lambda n: f"news-test/{n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[AdminUnit], *args: Any, **kwargs: Any) -> AdminUnit:
        unit = model_class(*args, **kwargs)
        unit.save()  # parent first, then child: save() computes the materialised path
        return unit


def build_tree() -> dict[str, AdminUnit]:
    """Hà Nội → quận Hai Bà Trưng → phường Bạch Mai and phường Vĩnh Tuy."""
    hanoi = AdminUnitFactory.create(level=UnitLevel.PROVINCE, type_name="Thành phố", short_name="Hà Nội")
    district = AdminUnitFactory.create(level=UnitLevel.DISTRICT, type_name="Quận", short_name="Hai Bà Trưng",
                                       parent=hanoi)
    bach_mai = AdminUnitFactory.create(short_name="Bạch Mai", parent=district)
    vinh_tuy = AdminUnitFactory.create(short_name="Vĩnh Tuy", parent=district)
    return {"hanoi": hanoi, "district": district, "bach_mai": bach_mai, "vinh_tuy": vinh_tuy}


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bientap{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class RoleGrantFactory(factory.django.DjangoModelFactory[RoleGrant]):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(AdminUnitFactory)
    role = Role.EDITOR


def user_with_role(role: str, unit: AdminUnit, **kwargs: Any) -> User:
    grant = RoleGrantFactory.create(unit=unit, role=role, user=UserFactory.create(**kwargs))
    return grant.user


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
