import pytest

from mattran.audit.models import AuditEvent
from mattran.audit.selectors import events_under_paths
from mattran.audit.services import diff, record
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db


def test_record_stores_actor_action_target_unit_and_changes() -> None:
    tree = build_tree()
    event = record(actor=None, action="test.thing", target=tree["bach_mai"], unit=tree["bach_mai"],
                   changes={"name": ["Cũ", "Mới"]})
    event.refresh_from_db()
    assert event.actor_label == "hệ thống"
    assert event.target_type == "organisations.adminunit"
    assert event.target_id == str(tree["bach_mai"].pk)
    assert event.unit_path == tree["bach_mai"].path
    assert event.changes == {"name": ["Cũ", "Mới"]}


def test_events_cannot_be_changed_or_deleted() -> None:
    tree = build_tree()
    event = record(actor=None, action="test.thing", target=tree["centre"])
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing"


def test_a_superior_sees_the_events_of_units_below_and_not_beside() -> None:
    tree = build_tree()
    record(actor=None, action="a", target=tree["bach_mai"], unit=tree["bach_mai"])
    record(actor=None, action="b", target=tree["other_commune"], unit=tree["other_commune"])
    seen = set(events_under_paths([tree["district"].path]).values_list("action", flat=True))
    assert "a" in seen
    assert "b" not in seen


def test_diff_keeps_only_changed_fields() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
