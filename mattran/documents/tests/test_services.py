from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.audit.models import AuditEvent
from mattran.documents.models import DocType, DocumentNumber, NumberCounter
from mattran.documents.services import document_number_reserve
from mattran.documents.tests.factories import standing_board
from mattran.organisations.tests.factories import PersonFactory, build_tree

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2022, 7, 1)


def reserve(issuer, *, on=JULY_1, target=None, actor=None, doc_type=DocType.REPORT, title="Báo cáo 6 tháng"):
    return document_number_reserve(actor=actor, issuer=issuer, doc_type=doc_type, title=title, issued_on=on,
                                   target=target)


def test_numbers_count_up_from_one_with_a_leading_zero_below_ten() -> None:
    board = standing_board(build_tree()["district"])
    entries = [reserve(board) for _ in range(10)]
    assert [e.number for e in entries] == list(range(1, 11))
    assert entries[0].symbol == "01/BC-MTTQ-BTT"
    assert entries[4].symbol == "05/BC-MTTQ-BTT"
    assert entries[9].symbol == "10/BC-MTTQ-BTT"


def test_one_sequence_per_issuer_whatever_the_document_type() -> None:
    board = standing_board(build_tree()["district"])
    assert reserve(board, doc_type=DocType.REPORT).symbol == "01/BC-MTTQ-BTT"
    assert reserve(board, doc_type=DocType.PLAN).symbol == "02/KH-MTTQ-BTT"
    assert reserve(board, doc_type="GM").symbol == "03/GM-MTTQ-BTT"


def test_numbering_restarts_every_calendar_year() -> None:
    board = standing_board(build_tree()["district"])
    reserve(board, on=dt.date(2022, 12, 31))
    last_2022 = reserve(board, on=dt.date(2022, 12, 31))
    first_2023 = reserve(board, on=dt.date(2023, 1, 2))
    assert (last_2022.year, last_2022.number) == (2022, 2)
    assert (first_2023.year, first_2023.number) == (2023, 1)
    # A late entry for the old year continues the old year's sequence.
    assert reserve(board, on=dt.date(2022, 12, 31)).number == 3


def test_each_issuer_has_its_own_sequence() -> None:
    tree = build_tree()
    bach_mai, vinh_tuy = standing_board(tree["bach_mai"]), standing_board(tree["vinh_tuy"])
    assert [reserve(bach_mai).number, reserve(bach_mai).number] == [1, 2]
    assert reserve(vinh_tuy).number == 1


def test_central_standing_board_uses_mttw() -> None:
    board = standing_board(build_tree()["centre"])
    assert reserve(board, doc_type=DocType.GUIDANCE).symbol == "01/HD-MTTW-BTT"


def test_asking_again_for_the_same_target_returns_the_same_number() -> None:
    tree = build_tree()
    board = standing_board(tree["district"])
    report = PersonFactory(unit=tree["district"])  # any saved model stands in for the report being numbered
    first = reserve(board, target=report)
    again = reserve(board, target=report, title="Tiêu đề khác")
    assert again.pk == first.pk
    assert (first.target_type, first.target_id) == ("organisations.person", str(report.pk))
    assert reserve(board).number == 2  # no number was burnt by the second request
    assert NumberCounter.objects.get(issuer=board, year=2022).last == 2


def test_reserving_is_audited_and_remembers_who_asked() -> None:
    tree = build_tree()
    board = standing_board(tree["district"])
    cadre = user_with_role(Role.CADRE, tree["district"])
    entry = reserve(board, actor=cadre)
    assert entry.created_by == cadre
    event = AuditEvent.objects.get(action="documents.number.reserve")
    assert event.actor == cadre
    assert event.target_id == str(entry.pk)
    assert event.unit_path == tree["district"].path
    assert event.changes["số"] == "01/BC-MTTQ-BTT"


def test_a_cadre_cannot_take_numbers_for_another_unit() -> None:
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["vinh_tuy"])
    viewer = user_with_role(Role.VIEWER, tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        reserve(standing_board(tree["bach_mai"]), actor=cadre)
    with pytest.raises(PermissionDenied):
        reserve(standing_board(tree["district"]), actor=viewer)
    assert not DocumentNumber.objects.exists()


def test_a_title_is_required_and_the_target_must_be_saved() -> None:
    tree = build_tree()
    board = standing_board(tree["district"])
    with pytest.raises(ValueError):
        reserve(board, title="  ")
    with pytest.raises(ValueError):
        reserve(board, target=PersonFactory.build(unit=tree["district"]))


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_get_distinct_numbers() -> None:
    """Several threads, each with its own database connection, reserve at once: no number repeats."""
    tree = build_tree()
    board = standing_board(tree["district"])
    shared_target = PersonFactory(unit=tree["district"])  # every worker also numbers this one "report"
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        # In-memory SQLite (shared cache) answers "table is locked" at once instead of waiting its turn, so
        # here the workers run one after another; the PostgreSQL run in CI and an on-disk SQLite run
        # (MATTRAN_TEST_SQLITE=path) exercise real parallelism.
        workers = 1
    else:
        workers = 4
    per_worker = 5
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_worker - 1):
                reserve(board)
            reserve(board, target=shared_target)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(DocumentNumber.objects.filter(issuer=board).values_list("number", flat=True))
    expected = workers * (per_worker - 1) + 1  # the shared target got one number, not one per worker
    assert numbers == list(range(1, expected + 1))
    assert DocumentNumber.objects.filter(target_id=str(shared_target.pk)).count() == 1


def test_double_reserve_of_one_target_in_two_transactions_gives_one_number() -> None:
    tree = build_tree()
    board = standing_board(tree["district"])
    target = PersonFactory(unit=tree["district"])
    first = reserve(board, target=target)
    other = reserve(board, target=PersonFactory(unit=tree["district"]))
    assert reserve(board, target=target).pk == first.pk
    assert {first.number, other.number} == {1, 2}
