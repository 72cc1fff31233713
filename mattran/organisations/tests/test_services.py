import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.audit.models import AuditEvent
from mattran.organisations import services
from mattran.organisations.models import FrontBody, Person, Position, Term
from mattran.organisations.tests.factories import (
    FrontBodyFactory,
    PersonFactory,
    TermFactory,
    build_tree,
)

pytestmark = pytest.mark.django_db


def test_term_ordinals_restart_per_body() -> None:
    tree = build_tree()
    district = services.body_ensure(actor=None, unit=tree["district"], kind=FrontBody.Kind.COMMITTEE)
    ward = services.body_ensure(actor=None, unit=tree["bach_mai"], kind=FrontBody.Kind.COMMITTEE)
    services.term_create(actor=None, body=district, ordinal=15, start_year=2019, end_year=2024)
    services.term_create(actor=None, body=ward, ordinal=1, start_year=2025, end_year=2030)
    assert str(Term.objects.get(body=district)) == "khóa XV, nhiệm kỳ 2019–2024"
    assert str(Term.objects.get(body=ward)) == "khóa I, nhiệm kỳ 2025–2030"


def test_a_colliding_term_ordinal_is_refused_with_a_clear_message() -> None:
    term = TermFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.term_create(actor=None, body=term.body, ordinal=term.ordinal, start_year=2024, end_year=2029)
    assert "đã có khóa số 15" in str(excinfo.value)
    assert Term.objects.count() == 1


def test_term_years_must_be_ordered() -> None:
    body = FrontBodyFactory()
    with pytest.raises(ValidationError):
        services.term_create(actor=None, body=body, ordinal=1, start_year=2030, end_year=2025)
    assert not Term.objects.exists()


def test_only_one_sitting_chair_per_term() -> None:
    term = TermFactory()
    services.position_assign(actor=None, person=PersonFactory(unit=term.body.unit), term=term,
                             role=Position.Role.CHAIR)
    with pytest.raises(ValidationError):
        services.position_assign(actor=None, person=PersonFactory(unit=term.body.unit), term=term,
                                 role=Position.Role.CHAIR)
    assert term.positions.count() == 1


def test_person_update_records_old_and_new_values() -> None:
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    person = PersonFactory(unit=tree["bach_mai"], phone="0900 000 001")
    services.person_update(actor=cadre, person=person, phone="0900 000 002")
    event = AuditEvent.objects.get(action="organisations.person.update")
    assert event.changes == {"phone": ["0900 000 001", "0900 000 002"]}
    assert event.actor == cadre
    assert event.unit_path == tree["bach_mai"].path


def test_a_cadre_cannot_add_people_to_another_ward() -> None:
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        services.person_create(actor=cadre, unit=tree["vinh_tuy"], full_name="Người lạ")
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_viewer_cannot_open_a_new_term() -> None:
    tree = build_tree()
    viewer = user_with_role(Role.VIEWER, tree["bach_mai"])
    body = FrontBodyFactory(unit=tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        services.term_create(actor=viewer, body=body, ordinal=1, start_year=2025, end_year=2030)
    assert not Term.objects.exists()
