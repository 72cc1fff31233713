"""Writes on conferences: create (numbered), agenda, roll-call, minutes, conclusions → tasks. All audited."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from mattran.accounts.permissions import Action, require
from mattran.audit.services import diff, record
from mattran.conferences.models import AgendaItem, Attendance, Conclusion, Conference, MinutesVersion
from mattran.conferences.uploads import check_attachment
from mattran.organisations.models import AdminUnit, FrontBody, MemberOrganisation, Person, Position, Term

MINUTES_FROZEN = "Biên bản đã được thông qua, không thể sửa."
DEFAULT_QUORUM_RATIO = "2/3"


def next_number(term: Term) -> int:
    """The next "lần thứ N" in ``term``: one more than the highest so far; numbering restarts each term."""
    highest = Conference.objects.filter(term=term).aggregate(m=Max("number"))["m"]
    return (highest or 0) + 1


def _number_taken(term: Term, number: int) -> ValidationError:
    return ValidationError({"number": f"{term.body} {term} đã có Hội nghị lần thứ {number}. Vui lòng chọn số khác."})


@transaction.atomic
def conference_create(
    *, actor: Any, body: FrontBody, term: Term, date: dt.date, place: str = "", chair: Person | None = None,
    invited_delegates: str = "", is_extraordinary: bool = False, number: int | None = None,
) -> Conference:
    """Number the conference automatically unless ``number`` is given; a number already used is refused."""
    require(actor, Action.CONFERENCE_MANAGE, body.unit)
    if term.body_id != body.pk:
        raise ValidationError({"term": "Khóa đã chọn không thuộc cơ quan này."})
    if chair is not None and not chair.unit.is_within(body.unit):
        raise ValidationError({"chair": "Người chủ trì phải thuộc đơn vị này."})
    if number is None:
        number = next_number(term)
    elif number < 1:
        raise ValidationError({"number": "Số thứ tự hội nghị phải từ 1 trở lên."})
    elif Conference.objects.filter(term=term, number=number).exists():
        raise _number_taken(term, number)
    conference = Conference(body=body, term=term, number=number, date=date, place=place.strip(), chair=chair,
                            invited_delegates=invited_delegates.strip(), is_extraordinary=is_extraordinary)
    try:
        with transaction.atomic():
            conference.save()
    except IntegrityError as exc:  # a concurrent creation took the number first
        raise _number_taken(term, number) from exc
    record(actor=actor, action="conferences.conference.create", target=conference, unit=body.unit,
           changes={"number": number, "term": str(term), "date": date, "is_extraordinary": is_extraordinary})
    return conference


@transaction.atomic
def agenda_item_add(
    *, actor: Any, conference: Conference, title: str, presenter_name: str = "", presenter_body: str = "",
    attachment: IO[bytes] | None = None, target_type: str = "", target_id: str = "",
) -> AgendaItem:
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    if not title.strip():
        raise ValidationError({"title": "Vui lòng nhập nội dung."})
    if bool(target_type.strip()) != bool(target_id.strip()):
        raise ValidationError({"target_id": "Liên kết tài liệu cần cả loại và mã tài liệu."})
    if attachment is not None:
        check_attachment(attachment, field="attachment")
    highest = conference.agenda_items.aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem(conference=conference, order=highest + 1, title=title.strip(),
                      presenter_name=presenter_name.strip(), presenter_body=presenter_body.strip(),
                      target_type=target_type.strip(), target_id=target_id.strip())
    if attachment is not None:
        item.attachment = attachment
    item.save()
    record(actor=actor, action="conferences.agenda.add", target=conference, unit=conference.unit,
           changes={"order": item.order, "title": item.title, "presenter_body": item.presenter_body})
    return item


RECORD_FROZEN = ("Biên bản hội nghị đã được thông qua: thông tin và chương trình hội nghị không sửa được nữa "
                 "(biên bản đã thông qua ghi theo các thông tin này).")


def minutes_adopted(conference: Conference) -> bool:
    """Whether a version of the conference's minutes is adopted: from then on the minutes, and the details and
    agenda they record, are frozen."""
    return conference.minutes_versions.filter(is_adopted=True).exists()


def _refuse_if_adopted(conference: Conference) -> None:
    """The adopted minutes record the conference as it was: its details and agenda are frozen with them."""
    if minutes_adopted(conference):
        raise ValidationError(RECORD_FROZEN)


def _conference_values(conference: Conference) -> dict[str, Any]:
    return {"number": conference.number, "is_extraordinary": conference.is_extraordinary, "date": conference.date,
            "place": conference.place, "chair": conference.chair.full_name if conference.chair else None,
            "invited_delegates": conference.invited_delegates}


@transaction.atomic
def conference_update(
    *, actor: Any, conference: Conference, date: dt.date, number: int, place: str = "",
    chair: Person | None = None, invited_delegates: str = "", is_extraordinary: bool = False,
) -> Conference:
    """Correct a conference's details (a typo in the place, the wrong date or number). The body and term stay:
    a conference of another term is another conference. Refused once its minutes are adopted."""
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    _refuse_if_adopted(conference)
    if chair is not None and not chair.unit.is_within(conference.body.unit):
        raise ValidationError({"chair": "Người chủ trì phải thuộc đơn vị này."})
    if number < 1:
        raise ValidationError({"number": "Số thứ tự hội nghị phải từ 1 trở lên."})
    if Conference.objects.filter(term=conference.term, number=number).exclude(pk=conference.pk).exists():
        raise _number_taken(conference.term, number)
    before = _conference_values(conference)
    conference.date, conference.number, conference.place = date, number, place.strip()
    conference.chair, conference.invited_delegates = chair, invited_delegates.strip()
    conference.is_extraordinary = is_extraordinary
    try:
        with transaction.atomic():
            conference.save()
    except IntegrityError as exc:  # a concurrent creation took the number first
        raise _number_taken(conference.term, number) from exc
    changes = diff(before, _conference_values(conference))
    if changes:
        record(actor=actor, action="conferences.conference.update", target=conference, unit=conference.unit,
               changes=changes)
    return conference


@transaction.atomic
def agenda_item_update(*, actor: Any, item: AgendaItem, title: str, presenter_name: str = "",
                       presenter_body: str = "") -> AgendaItem:
    """Correct an agenda item's text or presenter. Refused once the minutes are adopted."""
    conference = item.conference
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    _refuse_if_adopted(conference)
    if not title.strip():
        raise ValidationError({"title": "Vui lòng nhập nội dung."})
    before = {"title": item.title, "presenter_name": item.presenter_name, "presenter_body": item.presenter_body}
    item.title, item.presenter_name, item.presenter_body = title.strip(), presenter_name.strip(), presenter_body.strip()
    item.save(update_fields=["title", "presenter_name", "presenter_body"])
    changes = diff(before, {"title": item.title, "presenter_name": item.presenter_name,
                            "presenter_body": item.presenter_body})
    if changes:
        record(actor=actor, action="conferences.agenda.update", target=conference, unit=conference.unit,
               changes={"order": item.order, **changes})
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
    """Take an item off the agenda (it was not discussed, or added by mistake); the audit log keeps its text.
    Refused once the minutes are adopted."""
    conference = item.conference
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    _refuse_if_adopted(conference)
    record(actor=actor, action="conferences.agenda.remove", target=conference, unit=conference.unit,
           changes={"order": item.order, "title": item.title, "presenter_name": item.presenter_name,
                    "presenter_body": item.presenter_body, "attachment": item.attachment.name or None})
    item.delete()


@transaction.atomic
def agenda_item_move(*, actor: Any, item: AgendaItem, up: bool) -> bool:
    """Swap an item with the one before it (``up``) or after it; False when it is already first or last.
    Refused once the minutes are adopted."""
    conference = item.conference
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    _refuse_if_adopted(conference)
    others = conference.agenda_items.exclude(pk=item.pk)
    neighbour = (others.filter(order__lt=item.order).order_by("-order") if up
                 else others.filter(order__gt=item.order).order_by("order")).first()
    if neighbour is None:
        return False
    mine, theirs = item.order, neighbour.order
    item.order = 0  # off the unique (conference, order) pair while the neighbour takes its place
    item.save(update_fields=["order"])
    neighbour.order = mine
    neighbour.save(update_fields=["order"])
    item.order = theirs
    item.save(update_fields=["order"])
    record(actor=actor, action="conferences.agenda.move", target=conference, unit=conference.unit,
           changes={"title": item.title, "order": [mine, theirs]})
    return True


def term_members(term: Term, on: dt.date | None = None) -> list[Person]:
    """The committee members of the term (distinct people holding a position), on ``on`` when given."""
    positions = Position.objects.filter(term=term)
    if on is not None:
        positions = positions.filter(Q(started_on__isnull=True) | Q(started_on__lte=on)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    ids = positions.values_list("person_id", flat=True).distinct()
    return list(Person.objects.filter(pk__in=ids).order_by("full_name"))


@transaction.atomic
def attendance_roll_call(*, actor: Any, conference: Conference) -> int:
    """Put every member of the term on the list (as absent until marked); returns how many were added."""
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    have = set(conference.attendances.values_list("person_id", flat=True))
    new = [Attendance(conference=conference, person=p) for p in term_members(conference.term, conference.date)
           if p.pk not in have]
    Attendance.objects.bulk_create(new)
    if new:
        record(actor=actor, action="conferences.attendance.roll_call", target=conference, unit=conference.unit,
               changes={"added": len(new)})
    return len(new)


@transaction.atomic
def attendance_mark(*, actor: Any, conference: Conference, statuses: dict[int, str]) -> int:
    """Set ``{person_id: status}`` on the roll; returns how many changed."""
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    bad = [s for s in statuses.values() if s not in Attendance.Status.values]
    if bad:
        raise ValidationError("Trạng thái điểm danh không hợp lệ.")
    rows = {a.person_id: a for a in conference.attendances.select_related("person").filter(person_id__in=statuses)}
    if set(statuses) - set(rows):
        raise ValidationError("Có người không nằm trong danh sách điểm danh của hội nghị.")
    changes: dict[str, list[str]] = {}
    for person_id, status in statuses.items():
        row = rows[person_id]
        if row.status != status:
            changes[row.person.full_name] = [row.status, status]
            row.status = status
            row.save(update_fields=["status", "updated_at"])
    if changes:
        record(actor=actor, action="conferences.attendance.mark", target=conference, unit=conference.unit,
               changes=changes)
    return len(changes)


@dataclass(frozen=True)
class Quorum:
    present: int
    members: int
    required: int

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present >= self.required


def quorum_ratio() -> Fraction:
    """``CONFERENCE_QUORUM_RATIO`` ("2/3" by default, an assumption: see decision 0007)."""
    return Fraction(str(getattr(settings, "CONFERENCE_QUORUM_RATIO", DEFAULT_QUORUM_RATIO)))


def quorum(conference: Conference) -> Quorum:
    members = {p.pk for p in term_members(conference.term, conference.date)}
    present = conference.attendances.filter(status=Attendance.Status.PRESENT, person_id__in=members).count()
    required = math.ceil(len(members) * quorum_ratio())
    return Quorum(present=present, members=len(members), required=required)


def quorum_met(conference: Conference) -> bool:
    return quorum(conference).met


def _lock(conference: Conference) -> None:
    # Serialise writers of one conference's minutes (a no-op on SQLite, which has one writer anyway).
    Conference.objects.select_for_update().filter(pk=conference.pk).first()


@transaction.atomic
def minutes_draft(*, actor: Any, conference: Conference, text: str) -> MinutesVersion:
    """Save a new version of the minutes; refused once a version has been adopted."""
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    if minutes_adopted(conference):
        raise ValidationError(MINUTES_FROZEN)
    if not text.strip():
        raise ValidationError({"text": "Vui lòng nhập nội dung biên bản."})
    highest = conference.minutes_versions.aggregate(m=Max("number"))["m"] or 0
    version = MinutesVersion.objects.create(conference=conference, number=highest + 1, text=text.strip(),
                                            author=actor if getattr(actor, "is_authenticated", False) else None)
    record(actor=actor, action="conferences.minutes.draft", target=conference, unit=conference.unit,
           changes={"version": version.number})
    return version


@transaction.atomic
def minutes_adopt(*, actor: Any, version: MinutesVersion) -> MinutesVersion:
    """Adopt one version; from then on the minutes are frozen."""
    conference = version.conference
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    if minutes_adopted(conference):
        raise ValidationError(MINUTES_FROZEN)
    version.is_adopted = True
    version.save(update_fields=["is_adopted"])
    record(actor=actor, action="conferences.minutes.adopt", target=conference, unit=conference.unit,
           changes={"adopted_version": [None, version.number]})
    return version


@transaction.atomic
def conclusion_add(*, actor: Any, conference: Conference, text: str) -> Conclusion:
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    if not text.strip():
        raise ValidationError({"text": "Vui lòng nhập nội dung kết luận."})
    highest = conference.conclusions.aggregate(m=Max("order"))["m"] or 0
    conclusion = Conclusion.objects.create(conference=conference, order=highest + 1, text=text.strip())
    record(actor=actor, action="conferences.conclusion.add", target=conference, unit=conference.unit,
           changes={"order": conclusion.order, "text": conclusion.text[:200]})
    return conclusion


CONCLUSION_IS_TASK = ("Kết luận này đã được giao thành nhiệm vụ, và nhiệm vụ ghi theo nội dung này: không sửa hay bỏ "
                      "được nữa. Nếu cần, hãy thêm một kết luận mới.")


def _refuse_if_task(conclusion: Conclusion) -> None:
    if conclusion.tasks.exists():
        raise ValidationError(CONCLUSION_IS_TASK)


@transaction.atomic
def conclusion_update(*, actor: Any, conclusion: Conclusion, text: str) -> Conclusion:
    """Correct a conclusion's wording. Refused once it became a task, which carries out that wording."""
    conference = conclusion.conference
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    _refuse_if_task(conclusion)
    if not text.strip():
        raise ValidationError({"text": "Vui lòng nhập nội dung kết luận."})
    before = conclusion.text
    conclusion.text = text.strip()
    conclusion.save(update_fields=["text"])
    if conclusion.text != before:
        record(actor=actor, action="conferences.conclusion.update", target=conference, unit=conference.unit,
               changes={"order": conclusion.order, "text": [before, conclusion.text]})
    return conclusion


@transaction.atomic
def conclusion_remove(*, actor: Any, conclusion: Conclusion) -> None:
    """Take back a conclusion added by mistake; the audit log keeps its text. Refused once it became a task."""
    conference = conclusion.conference
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    _refuse_if_task(conclusion)
    record(actor=actor, action="conferences.conclusion.remove", target=conference, unit=conference.unit,
           changes={"order": conclusion.order, "text": conclusion.text})
    conclusion.delete()


CONFERENCE_ADOPTED = ("Biên bản hội nghị đã được thông qua: hội nghị đã thành hồ sơ chính thức, không xóa được.")
CONFERENCE_HAS_TASKS = ("Kết luận của hội nghị đã được giao thành nhiệm vụ trong kế hoạch công tác: không xóa được "
                        "hội nghị. Nếu nhập nhầm, hãy sửa thông tin hội nghị.")


@transaction.atomic
def conference_delete(*, actor: Any, conference: Conference) -> None:
    """Delete a conference entered by mistake (under the wrong body or term, which cannot be corrected, or
    twice), with its agenda, roll call, minutes drafts and conclusions. Refused once its minutes are adopted or
    a conclusion of it became a task. The audit log keeps what it held, so nothing typed is lost from the record;
    attached files stay in storage, as when an agenda item is removed."""
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    _lock(conference)
    if minutes_adopted(conference):
        raise ValidationError(CONFERENCE_ADOPTED)
    if conference.conclusions.filter(tasks__isnull=False).exists():
        raise ValidationError(CONFERENCE_HAS_TASKS)
    record(actor=actor, action="conferences.conference.delete", target=conference, unit=conference.unit, changes={
        "title": conference.title, "body": str(conference.body), "term": conference.term.ordinal,
        **{key: str(value) if isinstance(value, dt.date) else value
           for key, value in _conference_values(conference).items()},
        "agenda": [f"{item.title} — {item.presenter_name} {item.presenter_body}".strip(" —")
                   + (f" [{item.attachment.name}]" if item.attachment else "")
                   for item in conference.agenda_items.order_by("order")],
        "attendance": {a.person.full_name: a.status
                       for a in conference.attendances.select_related("person")},
        "minutes_versions": [version.text for version in conference.minutes_versions.order_by("number")],
        "conclusions": list(conference.conclusions.order_by("order").values_list("text", flat=True)),
    })
    conference.delete()


@transaction.atomic
def conclusion_to_task(
    *, actor: Any, conclusion: Conclusion, group: Any, title: str = "", deadline: dt.date | None = None,
    owner_unit: AdminUnit | None = None, owner_org: MemberOrganisation | None = None,
) -> Any:
    """Create a task of ``group`` (a plan of the same unit) that carries out ``conclusion``."""
    from mattran.plans import services as plan_services

    conference = conclusion.conference
    require(actor, Action.CONFERENCE_MANAGE, conference.unit)
    if group.plan.unit_id != conference.body.unit_id:
        raise ValidationError({"group": "Chỉ giao vào kế hoạch của cùng đơn vị với hội nghị."})
    if conclusion.tasks.exists():
        raise ValidationError("Kết luận này đã được giao thành nhiệm vụ.")
    task = plan_services.task_add(actor=actor, group=group, title=title.strip() or conclusion.text[:500],
                                  deadline=deadline, owner_unit=owner_unit, owner_org=owner_org,
                                  source_conclusion=conclusion)
    record(actor=actor, action="conferences.conclusion.to_task", target=conference, unit=conference.unit,
           changes={"conclusion": conclusion.order, "task": task.pk})
    return task
