"""Administrative units with history, Front bodies, terms, member organisations, people and positions.

Units never move: a unit that the 2025 reform merged or re-parented ends (``valid_to``) and its successors
begin (``valid_from``); :class:`UnitSuccession` records the lineage. Each unit keeps a materialised ``path``
of primary keys ("/1/2/40/") so that "this unit and everything below it" is one indexed prefix filter.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from mattran.common import vn
from mattran.common.models import TimeStampedModel

REFORM_DATE = dt.date(2025, 7, 1)


class UnitLevel(models.TextChoices):
    CENTRAL = "central", "Trung ương"
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện (trước 1/7/2025)"
    COMMUNE = "commune", "Cấp xã"
    RESIDENTIAL = "residential", "Khu dân cư (thôn, tổ dân phố)"


LEVEL_ORDER = {
    UnitLevel.CENTRAL: 0,
    UnitLevel.PROVINCE: 1,
    UnitLevel.DISTRICT: 2,
    UnitLevel.COMMUNE: 3,
    UnitLevel.RESIDENTIAL: 4,
}


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def valid_on(self, day: dt.date) -> AdminUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self) -> AdminUnitQuerySet:
        from django.utils import timezone

        return self.valid_on(timezone.localdate())

    def under(self, unit: AdminUnit, *, include_self: bool = True) -> AdminUnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class AdminUnit(TimeStampedModel):
    level = models.CharField("cấp", max_length=16, choices=UnitLevel.choices, db_index=True)
    type_name = models.CharField("loại", max_length=40, help_text="Tỉnh, Thành phố, Quận, Phường, Xã, Đặc khu…")
    name = models.CharField("tên đầy đủ", max_length=160)
    short_name = models.CharField("tên ngắn", max_length=120)
    code = models.CharField("mã đơn vị hành chính", max_length=16, blank=True, db_index=True)
    key = models.CharField(
        "khóa dữ liệu", max_length=64, unique=True,
        help_text=(
            "Định danh ổn định dùng khi nạp lại dữ liệu, ví dụ “01” (Hà Nội), “01/c00292” (xã từ 2025), "
            "“01/d007/w00292” (phường trước 2025)."
        ),
    )
    parent = models.ForeignKey(
        "self", verbose_name="đơn vị cấp trên", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("đường dẫn", max_length=255, blank=True, db_index=True, editable=False)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    source = models.CharField("nguồn dữ liệu", max_length=200, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        expected = (self.parent.path if self.parent_id and self.parent else "/") + f"{self.pk}/"
        if self.path != expected:
            self.path = expected
            AdminUnit.objects.filter(pk=self.pk).update(path=expected)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.is_valid_on(timezone.localdate())

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: AdminUnit) -> bool:
        return bool(self.path) and self.path.startswith(other.path)


class UnitSuccession(models.Model):
    """Lineage: on ``effective_on`` (part of) ``predecessor`` became (part of) ``successor``."""

    class Kind(models.TextChoices):
        MERGED = "merged", "Nhập vào"
        SPLIT = "split", "Chia tách, một phần nhập vào"
        REPARENTED = "reparented", "Chuyển trực thuộc"
        RENAMED = "renamed", "Đổi tên"

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessions")
    effective_on = models.DateField("ngày hiệu lực")
    kind = models.CharField("hình thức", max_length=16, choices=Kind.choices, default=Kind.MERGED)
    is_primary = models.BooleanField(
        "đơn vị kế thừa chính", default=True,
        help_text="Khi một đơn vị chia cho nhiều đơn vị mới, số liệu cũ được tính cho đơn vị kế thừa chính.",
    )
    legal_basis = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        ordering = ["effective_on", "predecessor_id"]
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "effective_on"], name="unique_succession"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class FrontBody(TimeStampedModel):
    """A body of the Front in a unit: the committee, its standing board, or a residential-area board."""

    class Kind(models.TextChoices):
        COMMITTEE = "uy_ban", "Ủy ban"
        STANDING_BOARD = "ban_thuong_truc", "Ban Thường trực"
        PRESIDIUM = "doan_chu_tich", "Đoàn Chủ tịch"
        RESIDENTIAL_BOARD = "ban_cong_tac", "Ban công tác Mặt trận"
        ADVISORY = "tu_van", "Hội đồng/Ban tư vấn"

    unit = models.ForeignKey(AdminUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField("loại", max_length=24, choices=Kind.choices)
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    address = models.CharField("địa chỉ trụ sở", max_length=255, blank=True)

    class Meta:
        ordering = ["unit__path", "kind"]
        verbose_name = "cơ quan Mặt trận"
        verbose_name_plural = "cơ quan Mặt trận"
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="unique_body_per_unit")]

    def __str__(self) -> str:
        """``Ủy ban MTTQ Việt Nam phường Bạch Mai``, ``Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam``…"""
        unit = self.unit
        place = f"{unit.type_name.lower()} {unit.short_name}" if unit.type_name else unit.name
        if self.kind == self.Kind.RESIDENTIAL_BOARD:
            return f"Ban công tác Mặt trận {place}"
        prefix = "Ban Thường trực Ủy ban" if self.kind == self.Kind.STANDING_BOARD else self.get_kind_display()
        if unit.level == UnitLevel.CENTRAL:
            return f"{prefix} Trung ương MTTQ Việt Nam"
        return f"{prefix} MTTQ Việt Nam {place}"


class Term(TimeStampedModel):
    """A term of a body ("khóa XV, nhiệm kỳ 2019–2024"). Ordinals restart per body."""

    body = models.ForeignKey(FrontBody, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="terms")
    ordinal = models.PositiveSmallIntegerField("khóa (số thứ tự)")
    start_year = models.PositiveSmallIntegerField("năm bắt đầu")
    end_year = models.PositiveSmallIntegerField("năm kết thúc")
    started_on = models.DateField("ngày bắt đầu", null=True, blank=True)
    ended_on = models.DateField("ngày kết thúc", null=True, blank=True)

    class Meta:
        ordering = ["body", "-ordinal"]
        verbose_name = "khóa"
        verbose_name_plural = "các khóa"
        constraints = [
            models.UniqueConstraint(fields=["body", "ordinal"], name="unique_term_ordinal_per_body"),
            models.CheckConstraint(condition=Q(ordinal__gte=1), name="term_ordinal_positive"),
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="term_years_ordered"),
        ]

    def __str__(self) -> str:
        return f"khóa {vn.roman(self.ordinal)}, nhiệm kỳ {self.start_year}–{self.end_year}"


class MemberOrganisation(TimeStampedModel):
    """A member organisation of the Front at a unit (the five socio-political organisations and others)."""

    class Kind(models.TextChoices):
        PARTY = "dang", "Tổ chức Đảng"
        SOCIO_POLITICAL = "ct_xh", "Tổ chức chính trị - xã hội"
        MASS_ASSOCIATION = "hoi_quan_chung", "Hội quần chúng được Đảng, Nhà nước giao nhiệm vụ"
        SOCIAL = "xa_hoi", "Tổ chức xã hội khác"
        INDIVIDUAL = "ca_nhan", "Cá nhân tiêu biểu"

    unit = models.ForeignKey(AdminUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="member_orgs")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    name = models.CharField("tên", max_length=200)
    short_name = models.CharField("tên viết tắt", max_length=60, blank=True)

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        verbose_name = "tổ chức thành viên"
        verbose_name_plural = "tổ chức thành viên"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_member_org_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """A person holding positions. Contact details are shown only to staff allowed to see them."""

    full_name = models.CharField("họ và tên", max_length=120)
    unit = models.ForeignKey(
        AdminUnit, verbose_name="đơn vị quản lý hồ sơ", on_delete=models.PROTECT, related_name="people"
    )
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = "cá nhân"
        verbose_name_plural = "cá nhân"

    def __str__(self) -> str:
        return self.full_name


class Position(TimeStampedModel):
    class Role(models.TextChoices):
        CHAIR = "chu_tich", "Chủ tịch"
        VICE_CHAIR = "pho_chu_tich", "Phó Chủ tịch"
        STANDING_MEMBER = "uv_thuong_truc", "Ủy viên Thường trực"
        MEMBER = "uy_vien", "Ủy viên"
        BOARD_HEAD = "truong_ban", "Trưởng ban"
        BOARD_DEPUTY = "pho_ban", "Phó Trưởng ban"

    ROLE_ORDER = [Role.CHAIR, Role.VICE_CHAIR, Role.STANDING_MEMBER, Role.BOARD_HEAD, Role.BOARD_DEPUTY, Role.MEMBER]

    person = models.ForeignKey(Person, verbose_name="cá nhân", on_delete=models.PROTECT, related_name="positions")
    term = models.ForeignKey(Term, verbose_name="khóa", on_delete=models.PROTECT, related_name="positions")
    role = models.CharField("chức danh", max_length=20, choices=Role.choices)
    representing = models.ForeignKey(
        MemberOrganisation, verbose_name="đại diện cho", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="representatives",
    )
    title_note = models.CharField("ghi chú chức vụ", max_length=200, blank=True)
    started_on = models.DateField("từ ngày", null=True, blank=True)
    ended_on = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        ordering = ["term", "role", "person__full_name"]
        verbose_name = "chức danh"
        verbose_name_plural = "chức danh"
        constraints = [
            models.UniqueConstraint(fields=["person", "term", "role"], name="unique_position_per_term"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="position_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"
