"""Writes on the organisation tree: bodies, terms, member organisations, people, positions. All audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mattran.accounts.permissions import Action, require
from mattran.audit.services import diff, record, snapshot
from mattran.organisations.models import AdminUnit, FrontBody, MemberOrganisation, Person, Position, Term

PERSON_FIELDS = ["full_name", "phone", "email", "address"]


@transaction.atomic
def body_ensure(*, actor: Any, unit: AdminUnit, kind: str) -> FrontBody:
    require(actor, Action.CHANGE_UNIT, unit)
    body, created = FrontBody.objects.get_or_create(unit=unit, kind=kind)
    if created:
        record(actor=actor, action="organisations.body.create", target=body, unit=unit, changes={"kind": kind})
    return body


@transaction.atomic
def term_create(
    *, actor: Any, body: FrontBody, ordinal: int, start_year: int, end_year: int,
    started_on: dt.date | None = None, ended_on: dt.date | None = None,
) -> Term:
    require(actor, Action.CHANGE_UNIT, body.unit)
    if ordinal < 1:
        raise ValidationError({"ordinal": "Số khóa phải từ 1 trở lên."})
    if end_year < start_year:
        raise ValidationError({"end_year": "Năm kết thúc không được trước năm bắt đầu."})
    if Term.objects.filter(body=body, ordinal=ordinal).exists():
        raise ValidationError({"ordinal": f"{body} đã có khóa số {ordinal}."})
    term = Term.objects.create(body=body, ordinal=ordinal, start_year=start_year, end_year=end_year,
                               started_on=started_on, ended_on=ended_on)
    record(actor=actor, action="organisations.term.create", target=term, unit=body.unit,
           changes={"ordinal": ordinal, "start_year": start_year, "end_year": end_year})
    return term


@transaction.atomic
def member_org_ensure(*, actor: Any, unit: AdminUnit, kind: str, name: str, short_name: str = "") -> MemberOrganisation:
    require(actor, Action.CHANGE_UNIT, unit)
    org, created = MemberOrganisation.objects.get_or_create(
        unit=unit, name=name, defaults={"kind": kind, "short_name": short_name}
    )
    if created:
        record(actor=actor, action="organisations.member_org.create", target=org, unit=unit,
               changes={"kind": kind, "name": name})
    return org


@transaction.atomic
def person_create(*, actor: Any, unit: AdminUnit, full_name: str, phone: str = "", email: str = "",
                  address: str = "") -> Person:
    require(actor, Action.MANAGE_PEOPLE, unit)
    person = Person(unit=unit, full_name=full_name.strip(), phone=phone.strip(), email=email.strip(),
                    address=address.strip())
    person.full_clean()
    person.save()
    record(actor=actor, action="organisations.person.create", target=person, unit=unit,
           changes={"full_name": person.full_name})
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **values: str) -> Person:
    require(actor, Action.MANAGE_PEOPLE, person.unit)
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không được phép sửa: {', '.join(sorted(unknown))}")
    before = snapshot(person, PERSON_FIELDS)
    for name, value in values.items():
        setattr(person, name, value.strip())
    person.full_clean()
    person.save()
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        record(actor=actor, action="organisations.person.update", target=person, unit=person.unit, changes=changes)
    return person


@transaction.atomic
def position_assign(
    *, actor: Any, person: Person, term: Term, role: str, representing: MemberOrganisation | None = None,
    title_note: str = "", started_on: dt.date | None = None,
) -> Position:
    require(actor, Action.MANAGE_PEOPLE, term.body.unit)
    if role not in Position.Role.values:
        raise ValidationError({"role": "Chức danh không hợp lệ."})
    if role == Position.Role.CHAIR and Position.objects.filter(term=term, role=role, ended_on__isnull=True).exists():
        raise ValidationError({"role": f"{term.body} {term} đã có Chủ tịch đương nhiệm."})
    if Position.objects.filter(person=person, term=term, role=role).exists():
        raise ValidationError({"role": "Người này đã giữ chức danh này trong khóa."})
    position = Position.objects.create(person=person, term=term, role=role, representing=representing,
                                       title_note=title_note, started_on=started_on)
    record(actor=actor, action="organisations.position.assign", target=position, unit=term.body.unit,
           changes={"person": person.full_name, "role": role, "term": str(term)})
    return position
