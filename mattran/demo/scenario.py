"""The demo scenario: the Hai Bà Trưng district Front committee (Hà Nội), term khóa XV (2019–2024).

Written for this project from the situation described in ``shared/DOMAIN.md`` §1.3–1.4. The people are
invented (their names come from a fixed pool and their phone numbers are not real); the units, dates and
structure follow the real administrative history. Running :func:`load` twice changes nothing.

It needs the administrative units (``manage.py load_admin_units``) and goes through the same services as
the user interface, acting as the system (``actor=None``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from mattran.accounts import services as account_services
from mattran.accounts.models import Role, User
from mattran.organisations import services as org_services
from mattran.organisations.models import (
    REFORM_DATE,
    AdminUnit,
    FrontBody,
    MemberOrganisation,
    Person,
    Position,
    Term,
    UnitLevel,
)

DEMO_PASSWORD = "MatTran@2022"  # noqa: S105 — public on purpose; works only with MATTRAN_DEMO=1

SOCIO_POLITICAL = [
    ("Liên đoàn Lao động", "LĐLĐ"),
    ("Hội Nông dân", "HND"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TN"),
    ("Hội Liên hiệp Phụ nữ", "Hội LHPN"),
    ("Hội Cựu chiến binh", "Hội CCB"),
]
ASSOCIATIONS = ["Hội Chữ thập đỏ", "Hội Người cao tuổi", "Hội Khuyến học", "Hội Luật gia"]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Thanh", "Hồng", "Quang", "Ngọc", "Hữu"]
GIVEN = ["Hà", "Hùng", "Lan", "Dũng", "Mai", "Tuấn", "Hương", "Sơn", "Thảo", "Long", "Yến", "Khánh", "Nga",
         "Cường", "Trang", "Phong", "Hạnh", "Bình", "Đức", "Linh"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None
    unit_label: str
    description: str


ACCOUNTS = [
    DemoAccount("quantri", "Quản trị hệ thống", None, "", "Quản trị viên (superuser), vào được /quan-tri/"),
    DemoAccount("thuongtruc.hbt", "Nguyễn Thị Thu Hằng", Role.STANDING, "Quận Hai Bà Trưng",
                "Cán bộ Thường trực Ủy ban MTTQ quận Hai Bà Trưng: xem và làm mọi việc ở quận và 18 phường"),
    DemoAccount("canbo.bachmai", "Trần Minh Đức", Role.CADRE, "Phường Bạch Mai",
                "Cán bộ chuyên trách Mặt trận phường Bạch Mai (chỉ phường mình)"),
    DemoAccount("canbo.vinhtuy", "Lê Thị Hồng Nhung", Role.CADRE, "Phường Vĩnh Tuy",
                "Cán bộ chuyên trách Mặt trận phường Vĩnh Tuy (chỉ phường mình)"),
    DemoAccount("bientap", "Phạm Quang Huy", Role.EDITOR, "Quận Hai Bà Trưng",
                "Biên tập viên cổng tin: viết, lên lịch, đăng bài và duyệt bình luận của quận"),
    DemoAccount("cudan", "Vũ Ngọc Lan", None, "", "Người dân: chỉ các trang công khai, bình luận bài viết"),
]


def _name(seed: int) -> str:
    return f"{FAMILY[seed % len(FAMILY)]} {MIDDLE[(seed // 3) % len(MIDDLE)]} {GIVEN[(seed * 7) % len(GIVEN)]}"


def _phone(seed: int) -> str:
    # 0900 000 xxx numbers are not assigned to subscribers; they only look like phone numbers.
    return f"0900 000 {seed % 1000:03d}"


class ScenarioError(RuntimeError):
    pass


def hai_ba_trung() -> AdminUnit:
    unit = AdminUnit.objects.filter(level=UnitLevel.DISTRICT, name="Quận Hai Bà Trưng").first()
    if unit is None:
        raise ScenarioError("Chưa có dữ liệu đơn vị hành chính. Hãy chạy: python manage.py load_admin_units")
    return unit


def legacy_wards(district: AdminUnit) -> list[AdminUnit]:
    return list(district.children.filter(level=UnitLevel.COMMUNE).valid_on(dt.date(2022, 7, 1)).order_by("name"))


def successor_wards(wards: list[AdminUnit]) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(predecessions__predecessor__in=wards, valid_from=REFORM_DATE)
        .distinct().order_by("name")
    )


def _ward(district: AdminUnit, short_name: str) -> AdminUnit:
    unit = district.children.filter(short_name=short_name).first()
    if unit is None:
        raise ScenarioError(f"Không tìm thấy phường {short_name} của {district.name}.")
    return unit


def _person(unit: AdminUnit, full_name: str, seed: int) -> Person:
    existing = Person.objects.filter(unit=unit, full_name=full_name).first()
    if existing:
        return existing
    return org_services.person_create(
        actor=None, unit=unit, full_name=full_name, phone=_phone(seed),
        email=f"canbo{seed}@mattran.example.org", address=unit.name,
    )


def _position(person: Person, term: Term, role: str, representing: MemberOrganisation | None = None,
              note: str = "") -> None:
    if not Position.objects.filter(person=person, term=term, role=role).exists():
        org_services.position_assign(actor=None, person=person, term=term, role=role,
                                     representing=representing, title_note=note)


def _term(body: FrontBody, ordinal: int, start: int, end: int, started: dt.date | None = None,
          ended: dt.date | None = None) -> Term:
    existing = Term.objects.filter(body=body, ordinal=ordinal).first()
    if existing:
        return existing
    return org_services.term_create(actor=None, body=body, ordinal=ordinal, start_year=start, end_year=end,
                                    started_on=started, ended_on=ended)


def _committee(unit: AdminUnit, ordinal: int, start: int, end: int, seed: int,
               started: dt.date | None = None, ended: dt.date | None = None) -> Term:
    """A committee with its standing board, one term, a chair, vice-chairs and standing members."""
    committee = org_services.body_ensure(actor=None, unit=unit, kind=FrontBody.Kind.COMMITTEE)
    org_services.body_ensure(actor=None, unit=unit, kind=FrontBody.Kind.STANDING_BOARD)
    term = _term(committee, ordinal, start, end, started, ended)
    orgs = [
        org_services.member_org_ensure(actor=None, unit=unit, kind=MemberOrganisation.Kind.SOCIO_POLITICAL,
                                       name=f"{name} {unit.name.split(' ', 1)[0].lower()} {unit.short_name}",
                                       short_name=short)
        for name, short in SOCIO_POLITICAL
        # Trade unions are organised from the district up; wards (phường) have no farmers' association.
        if short != "LĐLĐ" and not (unit.type_name == "Phường" and short == "HND")
    ]
    _position(_person(unit, _name(seed), seed), term, Position.Role.CHAIR)
    _position(_person(unit, _name(seed + 1), seed + 1), term, Position.Role.VICE_CHAIR)
    _position(_person(unit, _name(seed + 2), seed + 2), term, Position.Role.STANDING_MEMBER)
    for offset, org in enumerate(orgs[:3]):
        _position(_person(unit, _name(seed + 5 + offset), seed + 5 + offset), term, Position.Role.MEMBER,
                  representing=org, note=f"Chủ tịch/Bí thư {org.short_name}")
    return term


@transaction.atomic
def load_organisation() -> dict[str, Any]:
    district = hai_ba_trung()
    # The district committee, khóa XV (2019–2024): its 10th meeting was on 1 July 2022; its 15th and last
    # on 30 May 2024. Khóa XVI (2024–2029) ended with the district level on 30 June 2025.
    committee = org_services.body_ensure(actor=None, unit=district, kind=FrontBody.Kind.COMMITTEE)
    org_services.body_ensure(actor=None, unit=district, kind=FrontBody.Kind.STANDING_BOARD)
    khoa_xv = _term(committee, 15, 2019, 2024, ended=dt.date(2024, 6, 13))
    _term(committee, 16, 2024, 2029, started=dt.date(2024, 6, 14), ended=dt.date(2025, 6, 30))
    orgs = [
        org_services.member_org_ensure(actor=None, unit=district, kind=MemberOrganisation.Kind.SOCIO_POLITICAL,
                                       name=f"{name} quận Hai Bà Trưng", short_name=short)
        for name, short in SOCIO_POLITICAL if short != "HND"
    ]
    orgs += [
        org_services.member_org_ensure(actor=None, unit=district, kind=MemberOrganisation.Kind.MASS_ASSOCIATION,
                                       name=f"{name} quận Hai Bà Trưng")
        for name in ASSOCIATIONS
    ]
    leaders = [
        ("Nguyễn Thị Thu Hằng", Position.Role.CHAIR, None, "Chủ tịch Ủy ban MTTQ quận"),
        ("Đỗ Văn Thịnh", Position.Role.VICE_CHAIR, None, "Phó Chủ tịch thường trực"),
        ("Bùi Thị Minh Phương", Position.Role.VICE_CHAIR, None, ""),
        ("Hoàng Đức Long", Position.Role.STANDING_MEMBER, None, "Trưởng ban Tuyên giáo"),
    ]
    for seed, (full_name, role, org, note) in enumerate(leaders, start=100):
        _position(_person(district, full_name, seed), khoa_xv, role, org, note)
    for seed, org in enumerate(orgs[:4], start=110):
        _position(_person(district, _name(seed), seed), khoa_xv, Position.Role.MEMBER, org,
                  f"Người đứng đầu {org.short_name or org.name}")

    wards = legacy_wards(district)
    for index, ward in enumerate(wards):
        _committee(ward, 20, 2019, 2024, seed=200 + index * 10)
    for index, ward in enumerate(successor_wards(wards)):
        _committee(ward, 1, 2025, 2030, seed=500 + index * 10, started=REFORM_DATE)

    bach_mai = _ward(district, "Bạch Mai")
    for number in range(1, 4):
        tdp, _created = AdminUnit.objects.get_or_create(
            key=f"{bach_mai.key}/tdp{number:02d}",
            defaults={"level": UnitLevel.RESIDENTIAL, "type_name": "Tổ dân phố", "name": f"Tổ dân phố số {number}",
                      "short_name": f"Tổ {number}", "parent": bach_mai, "valid_to": bach_mai.valid_to,
                      "source": "Dữ liệu trình diễn"},
        )
        org_services.body_ensure(actor=None, unit=tdp, kind=FrontBody.Kind.RESIDENTIAL_BOARD)
    return {"district": district, "wards": wards}


@transaction.atomic
def load_accounts() -> list[DemoAccount]:
    district = hai_ba_trung()
    units = {"Quận Hai Bà Trưng": district, "Phường Bạch Mai": _ward(district, "Bạch Mai"),
             "Phường Vĩnh Tuy": _ward(district, "Vĩnh Tuy")}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = account_services.user_create(
                actor=None, username=account.username, password=DEMO_PASSWORD, full_name=account.full_name,
                email=f"{account.username}@mattran.example.org", is_superuser=account.username == "quantri",
                is_demo=True,
            )
        if account.role:
            account_services.role_grant(actor=None, user=user, unit=units[account.unit_label], role=account.role)
    return ACCOUNTS


def load() -> dict[str, Any]:
    """Load the whole scenario; safe to run again."""
    from mattran.demo import funds_scenario, news_scenario, report_scenario, work_scenario

    result = load_organisation()
    load_accounts()
    result["articles"] = news_scenario.load()
    result["conference"] = work_scenario.load(result["district"])
    result["periods"] = report_scenario.load(result["district"], result["wards"])
    result["drives"] = funds_scenario.load(result["district"])
    return result
