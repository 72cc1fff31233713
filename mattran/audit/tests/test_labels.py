import pytest

from mattran.audit.services import record
from mattran.organisations.tests.factories import build_tree


@pytest.mark.django_db
def test_events_read_as_words_for_registered_actions_and_as_codes_otherwise() -> None:
    unit = build_tree()["bach_mai"]
    assert record(actor=None, action="news.article.publish", target=unit).action_label == "đăng bài"
    assert record(actor=None, action="organisations.person.update", target=unit).action_label == "sửa thông tin cá nhân"
    assert record(actor=None, action="something.unlabelled", target=unit).action_label == "something.unlabelled"


@pytest.mark.django_db
def test_changes_read_as_old_to_new() -> None:
    unit = build_tree()["bach_mai"]
    event = record(actor=None, action="x", target=unit, changes={"phone": ["1", "2"], "full_name": "Hoa"})
    assert event.change_rows() == [("phone", "1", "2", True), ("full_name", None, "Hoa", False)]
