from __future__ import annotations

from typing import Any

import factory

from mattran.organisations.models import AdminUnit, FrontBody, MemberOrganisation, Person, Position, Term, UnitLevel


class AdminUnitFactory(factory.django.DjangoModelFactory[AdminUnit]):
    class Meta:
        model = AdminUnit

    level = UnitLevel.COMMUNE
    type_name = "Phường"
    short_name = factory.Sequence(lambda n: f"Đơn vị {n}")
    name = factory.LazyAttribute(lambda o: f"{o.type_name} {o.short_name}")
    key = factory.Sequence(lambda n: f"test/{n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[AdminUnit], *args: Any, **kwargs: Any) -> AdminUnit:
        unit = model_class(*args, **kwargs)
        unit.save()  # computes the materialised path
        return unit


def build_tree() -> dict[str, AdminUnit]:
    """Centre → Hà Nội → Hai Bà Trưng district → two wards; and a second province with one commune."""
    centre = AdminUnitFactory(level=UnitLevel.CENTRAL, type_name="Trung ương", short_name="Trung ương",
                              name="Trung ương")
    hanoi = AdminUnitFactory(level=UnitLevel.PROVINCE, type_name="Thành phố", short_name="Hà Nội", parent=centre)
    district = AdminUnitFactory(level=UnitLevel.DISTRICT, type_name="Quận", short_name="Hai Bà Trưng", parent=hanoi)
    bach_mai = AdminUnitFactory(short_name="Bạch Mai", parent=district)
    vinh_tuy = AdminUnitFactory(short_name="Vĩnh Tuy", parent=district)
    other_province = AdminUnitFactory(level=UnitLevel.PROVINCE, type_name="Tỉnh", short_name="Lạng Sơn",
                                      parent=centre)
    other_commune = AdminUnitFactory(type_name="Xã", short_name="Đồng Đăng", parent=other_province)
    return {"centre": centre, "hanoi": hanoi, "district": district, "bach_mai": bach_mai, "vinh_tuy": vinh_tuy,
            "other_province": other_province, "other_commune": other_commune}


class FrontBodyFactory(factory.django.DjangoModelFactory[FrontBody]):
    class Meta:
        model = FrontBody

    unit = factory.SubFactory(AdminUnitFactory)
    kind = FrontBody.Kind.COMMITTEE


class TermFactory(factory.django.DjangoModelFactory[Term]):
    class Meta:
        model = Term

    body = factory.SubFactory(FrontBodyFactory)
    ordinal = 15
    start_year = 2019
    end_year = 2024


class MemberOrganisationFactory(factory.django.DjangoModelFactory[MemberOrganisation]):
    class Meta:
        model = MemberOrganisation

    unit = factory.SubFactory(AdminUnitFactory)
    kind = MemberOrganisation.Kind.SOCIO_POLITICAL
    name = factory.Sequence(lambda n: f"Hội Liên hiệp Phụ nữ {n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    unit = factory.SubFactory(AdminUnitFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    phone = "0900 000 123"
    email = factory.Sequence(lambda n: f"nguoi{n}@example.org")


class PositionFactory(factory.django.DjangoModelFactory[Position]):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory)
    role = Position.Role.MEMBER
