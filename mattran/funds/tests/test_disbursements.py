"""Allocation and payment services: the invariants of decision 0013, refusals in Vietnamese, audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import UserFactory, user_with_role
from mattran.audit.models import AuditEvent
from mattran.funds import disbursements as svc
from mattran.funds.disbursement_selectors import (
    drive_money,
    match_suggestions,
    paid_for,
    unmatched_debits,
)
from mattran.funds.models import Allocation, DriveAccount, Payment, PaymentMethod, RecipientKind
from mattran.funds.services import LedgerError, ledger_correct
from mattran.funds.tests.disbursement_factories import book, drive_account, drive_in
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.organisations.tests.factories import AdminUnitFactory, build_tree

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def tree() -> dict[str, Any]:
    return build_tree()


@pytest.fixture
def cadre(tree: dict[str, Any]) -> Any:
    return user_with_role(Role.STANDING, tree["district"])


@pytest.fixture
def drive(tree: dict[str, Any]) -> Any:
    drive = drive_in(tree["district"])
    book(drive_account(drive), (D(2024, 9, 5), 3_000_000), (D(2024, 9, 6), 2_000_000))
    return drive


def allocate(actor: Any, drive: Any, amount: int = 1_000_000, **kwargs: Any) -> Allocation:
    values: dict[str, Any] = {
        "recipient_kind": RecipientKind.HOUSEHOLD, "recipient_name": "Hộ bà Nguyễn Thị Lan",
        "purpose": "Hỗ trợ sửa nhà sau bão", "decision_number": "15/QĐ-MTTQ", "decision_date": D(2024, 10, 1),
        "area_unit": drive.unit.children.first(), "residential_area": "Tổ dân phố 5",
    }
    values.update(kwargs)
    return svc.allocation_create(actor=actor, drive=drive, amount=amount, **values)


def pay(actor: Any, allocation: Allocation, amount: int, **kwargs: Any) -> Payment:
    values: dict[str, Any] = {"paid_on": D(2024, 10, 5), "method": PaymentMethod.CASH}
    values.update(kwargs)
    return svc.payment_record(actor=actor, allocation=allocation, amount=amount, **values)


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- Allocations -----------------------------------------------------------------------------------------


def test_allocation_is_created_and_audited(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive, 1_500_000, recipient_name="  Hộ bà  Nguyễn Thị Lan ")
    assert allocation.recipient_name == "Hộ bà Nguyễn Thị Lan"
    assert allocation.created_by == cadre
    event = AuditEvent.objects.get(action="funds.allocation_create")
    assert event.changes["amount"] == 1_500_000
    assert event.unit_path == drive.unit.path


def test_cannot_allocate_money_not_received_and_message_shows_figures(cadre: Any, drive: Any) -> None:
    allocate(cadre, drive, 4_000_000)
    with pytest.raises(ValidationError) as exc:
        allocate(cadre, drive, 1_500_000)
    message = messages_of(exc)["amount"][0]
    assert "1.500.000" in message and "5.000.000" in message and "4.000.000" in message
    assert "còn có thể phân bổ 1.000.000" in message
    assert Allocation.objects.count() == 1
    allocate(cadre, drive, 1_000_000)  # exactly what is left is fine
    assert drive_money(drive).allocated == 5_000_000


def test_required_fields_come_back_keyed_by_field(cadre: Any, drive: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        allocate(cadre, drive, 0, recipient_name=" ", decision_number="", decision_date=None, purpose="",
                 area_unit=None, residential_area="")
    errors = messages_of(exc)
    assert set(errors) == {"amount", "recipient_name", "decision_number", "decision_date", "purpose",
                           "area_unit", "residential_area"}
    assert not Allocation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="funds.allocation").exists()


def test_a_project_needs_no_residential_area(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive, recipient_kind=RecipientKind.PROJECT, recipient_name="Nhà văn hóa thôn 2",
                          area_unit=None, residential_area="")
    assert allocation.pk


def test_ward_must_be_inside_the_drive_unit(cadre: Any, drive: Any, tree: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        allocate(cadre, drive, area_unit=tree["other_commune"])
    assert "Xã, phường phải thuộc" in messages_of(exc)["area_unit"][0]


def test_decision_date_in_the_future_is_refused(cadre: Any, drive: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        allocate(cadre, drive, decision_date=dt.date.today() + dt.timedelta(days=3))
    assert "decision_date" in messages_of(exc)


def test_only_managers_of_the_drive_unit_allocate(drive: Any, tree: dict[str, Any]) -> None:
    outsider = user_with_role(Role.STANDING, tree["other_province"])
    viewer = user_with_role(Role.VIEWER, tree["district"])
    for user in (outsider, viewer, UserFactory()):
        with pytest.raises(PermissionDenied):
            allocate(user, drive)
    assert not Allocation.objects.exists()


def test_update_before_payment_may_change_everything_within_received(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive, 1_000_000)
    svc.allocation_update(actor=cadre, allocation=allocation, amount=5_000_000, recipient_name="Hộ ông Hòa")
    allocation.refresh_from_db()
    assert (allocation.amount, allocation.recipient_name) == (5_000_000, "Hộ ông Hòa")
    with pytest.raises(ValidationError) as exc:
        svc.allocation_update(actor=cadre, allocation=allocation, amount=5_000_001)
    assert "còn có thể phân bổ 0" in messages_of(exc)["amount"][0]
    event = AuditEvent.objects.get(action="funds.allocation_update")
    assert event.changes["amount"] == [1_000_000, 5_000_000]


def test_after_a_payment_only_non_money_fields_change(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive, 1_000_000)
    pay(cadre, allocation, 200_000)
    with pytest.raises(ValidationError) as exc:
        svc.allocation_update(actor=cadre, allocation=allocation, amount=900_000, recipient_name="Người khác",
                              purpose="Hỗ trợ lương thực")
    errors = messages_of(exc)
    assert set(errors) == {"amount", "recipient_name"}
    assert "Đã chi 200.000" in errors["amount"][0]
    svc.allocation_update(actor=cadre, allocation=allocation, purpose="Hỗ trợ lương thực", is_published=False)
    allocation.refresh_from_db()
    assert (allocation.purpose, allocation.is_published, allocation.amount) == ("Hỗ trợ lương thực", False, 1_000_000)


def test_cancel_frees_the_money_and_keeps_the_row(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive, 5_000_000)
    with pytest.raises(ValidationError) as exc:
        svc.allocation_cancel(actor=cadre, allocation=allocation, reason="  ")
    assert "cancel_reason" in messages_of(exc)
    svc.allocation_cancel(actor=cadre, allocation=allocation, reason="Quyết định bị thu hồi")
    allocation.refresh_from_db()
    assert allocation.is_cancelled and allocation.cancel_reason == "Quyết định bị thu hồi"
    assert drive_money(drive).allocated == 0
    allocate(cadre, drive, 5_000_000)
    with pytest.raises(ValidationError):
        svc.allocation_update(actor=cadre, allocation=allocation, purpose="Khác")
    with pytest.raises(ValidationError):
        pay(cadre, allocation, 1)


def test_cannot_cancel_once_paid(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive)
    pay(cadre, allocation, 100_000)
    with pytest.raises(ValidationError, match=r"Đã chi 100\.000"):
        svc.allocation_cancel(actor=cadre, allocation=allocation, reason="Nhầm")


# --- Payments --------------------------------------------------------------------------------------------


def test_payments_cannot_exceed_the_allocation(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive, 1_000_000)
    pay(cadre, allocation, 600_000)
    with pytest.raises(ValidationError) as exc:
        pay(cadre, allocation, 400_001)
    assert "chỉ còn được chi 400.000" in messages_of(exc)["amount"][0]
    pay(cadre, allocation, 400_000)
    assert paid_for(allocation) == 1_000_000


def test_payment_dates_are_checked(cadre: Any, drive: Any) -> None:
    allocation = allocate(cadre, drive)
    with pytest.raises(ValidationError) as exc:
        pay(cadre, allocation, 1, paid_on=D(2024, 9, 30))
    assert "trước ngày quyết định" in messages_of(exc)["paid_on"][0]
    with pytest.raises(ValidationError) as exc:
        pay(cadre, allocation, 1, paid_on=None)
    assert "paid_on" in messages_of(exc)


def test_cannot_pay_more_than_received_after_a_credit_is_corrected(cadre: Any, tree: dict[str, Any]) -> None:
    drive = drive_in(tree["district"])
    (credit,) = book(drive_account(drive), (D(2024, 9, 5), 1_000_000))
    allocation = allocate(cadre, drive, 1_000_000)
    ledger_correct(actor=cadre, entry=credit, reason="Ghi nhầm tài khoản", booked_on=D(2024, 9, 7))
    with pytest.raises(ValidationError) as exc:
        pay(cadre, allocation, 500_000)
    assert "không đủ chi 500.000" in messages_of(exc)["amount"][0]


def test_bank_payment_matched_to_a_debit_row(cadre: Any, drive: Any) -> None:
    account = drive_account(drive)
    (debit,) = book(account, (D(2024, 10, 6), -1_000_000, "CHI HO TRO HO BA LAN"))
    allocation = allocate(cadre, drive, 1_000_000)
    payment = pay(cadre, allocation, 600_000, method=PaymentMethod.BANK, entry=debit)
    assert payment.entry == debit
    assert [e.remaining for e in unmatched_debits(drive)] == [400_000]  # type: ignore[attr-defined]
    second = pay(cadre, allocation, 400_000, method=PaymentMethod.BANK)
    svc.payment_match(actor=cadre, payment=second, entry=debit)
    assert unmatched_debits(drive) == []
    assert AuditEvent.objects.filter(action="funds.payment_match").count() == 1


def test_matching_refuses_rows_that_are_not_the_drive_debits(cadre: Any, drive: Any, tree: dict[str, Any]) -> None:
    account = drive_account(drive)
    credit, debit, cancelled = book(account, (D(2024, 10, 6), 500_000), (D(2024, 10, 6), -300_000),
                                    (D(2024, 10, 7), -1_000_000))
    correction = ledger_correct(actor=cadre, entry=cancelled, reason="Lệnh chi bị hoàn", booked_on=D(2024, 10, 8))
    foreign = ReceivingAccountFactory(unit=tree["district"])
    (other_debit,) = book(foreign, (D(2024, 10, 6), -1_000_000))
    allocation = allocate(cadre, drive, 1_000_000)
    payment = pay(cadre, allocation, 400_000, method=PaymentMethod.BANK)
    cases = [(credit, "tiền vào"), (other_debit, "không thuộc tài khoản"), (cancelled, "điều chỉnh"),
             (correction, "tiền vào"), (debit, "vượt quá phần còn lại 300.000")]
    for entry, expected in cases:
        with pytest.raises(ValidationError) as exc:
            svc.payment_match(actor=cadre, payment=payment, entry=entry)
        assert expected in messages_of(exc)["entry"][0], entry
    payment.refresh_from_db()
    assert payment.entry is None


def test_cash_payment_is_not_matched(cadre: Any, drive: Any) -> None:
    (debit,) = book(drive_account(drive), (D(2024, 10, 6), -100_000))
    allocation = allocate(cadre, drive)
    with pytest.raises(ValidationError) as exc:
        pay(cadre, allocation, 100_000, method=PaymentMethod.CASH, entry=debit)
    assert "entry" in messages_of(exc)
    payment = pay(cadre, allocation, 100_000)
    with pytest.raises(ValidationError):
        svc.payment_match(actor=cadre, payment=payment, entry=debit)


def test_unmatch_and_delete(cadre: Any, drive: Any) -> None:
    (debit,) = book(drive_account(drive), (D(2024, 10, 6), -100_000))
    allocation = allocate(cadre, drive)
    payment = pay(cadre, allocation, 100_000, method=PaymentMethod.BANK, entry=debit)
    svc.payment_unmatch(actor=cadre, payment=payment)
    payment.refresh_from_db()
    assert payment.entry is None
    svc.payment_delete(actor=cadre, payment=payment)
    assert not Payment.objects.exists()
    event = AuditEvent.objects.get(action="funds.payment_delete")
    assert event.changes["amount"] == 100_000


def test_suggestions_rank_exact_amount_then_nearest_day(cadre: Any, drive: Any) -> None:
    account = drive_account(drive)
    far, near_bigger, exact_far, exact_near, outside, taken = book(
        account, (D(2024, 10, 12), -300_000), (D(2024, 10, 5), -500_000), (D(2024, 10, 11), -300_000),
        (D(2024, 10, 6), -300_000, "CHUYEN TIEN HO BA NGUYEN THI LAN"), (D(2024, 10, 20), -300_000),
        (D(2024, 10, 5), -300_000))
    allocation = allocate(cadre, drive, 1_000_000)
    pay(cadre, allocation, 300_000, method=PaymentMethod.BANK, entry=taken)
    payment = pay(cadre, allocation, 300_000, method=PaymentMethod.BANK, paid_on=D(2024, 10, 5))
    suggestions = match_suggestions(payment)
    assert suggestions == [exact_near, exact_far, far, near_bigger]
    assert outside not in suggestions and taken not in suggestions


def test_cash_book_rows_are_never_suggested_nor_listed(cadre: Any, drive: Any) -> None:
    cash = ReceivingAccountFactory(unit=drive.unit, kind="cash", bank_bin="", number="TM-9")
    DriveAccount.objects.create(drive=drive, account=cash)
    book(cash, (D(2024, 10, 6), -100_000))
    assert unmatched_debits(drive) == []


# --- Property: any sequence of operations keeps the invariants -------------------------------------------

# Amounts are multiples of 100.000 đ from a small range, so that sums collide and debit rows fit payments often;
# a payment is a number of quarters of its allocation (5 quarters overpays), so that both branches are reached.
MONEY = st.integers(1, 30).map(lambda n: n * 100_000)
INDEX = st.integers(0, 20)
PAY = st.tuples(st.just("pay"), INDEX, st.integers(1, 5))
MATCH = st.tuples(st.just("match"), INDEX, INDEX)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("credit"), MONEY),
        st.tuples(st.just("correct"), INDEX),
        st.tuples(st.just("debit"), MONEY),
        st.tuples(st.just("allocate"), MONEY),
        st.tuples(st.just("reallocate"), INDEX, MONEY),
        st.tuples(st.just("cancel"), INDEX),
        PAY, PAY, MATCH, MATCH,
    ),
    max_size=16,
)
EVERY_BRANCH = [
    ("credit", 3_000_000), ("allocate", 1_000_000), ("allocate", 2_500_000), ("pay", 0, 2),
    ("debit", 500_000), ("match", 0, 0), ("pay", 0, 3), ("reallocate", 0, 300_000), ("allocate", 1_200_000),
    ("cancel", 1), ("debit", 1_000_000), ("pay", 2, 4), ("match", 1, 1), ("correct", 0), ("pay", 0, 1),
]


@pytest.fixture
def committee() -> tuple[Any, Any, Any]:
    unit = AdminUnitFactory()
    return unit, AdminUnitFactory(parent=unit), user_with_role(Role.STANDING, unit)


def _state(drive: Any) -> tuple[Any, ...]:
    return (
        tuple(drive_money(drive)),
        list(Allocation.objects.filter(drive=drive).order_by("pk").values_list("amount", "cancelled_at")),
        list(Payment.objects.filter(allocation__drive=drive).order_by("pk").values_list("amount", "entry_id")),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(opening=0, operations=EVERY_BRANCH)
@given(opening=st.integers(0, 50).map(lambda n: n * 100_000), operations=OPERATIONS)
def test_invariants_hold_for_any_sequence_of_operations(
    committee: tuple[Any, Any, Any], opening: int, operations: list[tuple[Any, ...]]
) -> None:
    unit, ward, actor = committee
    drive = drive_in(unit)
    account = drive_account(drive)
    day = D(2024, 10, 1)
    credits: list[Any] = book(account, (day, opening)) if opening else []
    debits: list[Any] = []
    for op in operations:
        kind = op[0]
        allocations = list(Allocation.objects.filter(drive=drive).order_by("pk"))
        payments = list(Payment.objects.filter(allocation__drive=drive).order_by("pk"))
        before = _state(drive)
        try:
            if kind == "credit":
                credits += book(account, (day, op[1]))
            elif kind == "correct" and credits:
                ledger_correct(actor=actor, entry=credits[op[1] % len(credits)], reason="Điều chỉnh", booked_on=day)
            elif kind == "debit":
                debits += book(account, (day, -op[1]))
            elif kind == "allocate":
                svc.allocation_create(actor=actor, drive=drive, recipient_kind=RecipientKind.PERSON,
                                      recipient_name="Ông A", purpose="Hỗ trợ", amount=op[1],
                                      decision_number="1/QĐ", decision_date=day, area_unit=ward,
                                      residential_area="Thôn 1")
            elif kind == "reallocate" and allocations:
                svc.allocation_update(actor=actor, allocation=allocations[op[1] % len(allocations)], amount=op[2])
            elif kind == "cancel" and allocations:
                svc.allocation_cancel(actor=actor, allocation=allocations[op[1] % len(allocations)], reason="Hủy")
            elif kind == "pay" and allocations:
                allocation = allocations[op[1] % len(allocations)]
                svc.payment_record(actor=actor, allocation=allocation, amount=max(1, allocation.amount * op[2] // 4),
                                   paid_on=day, method=PaymentMethod.BANK)
            elif kind == "match" and payments and debits:
                svc.payment_match(actor=actor, payment=payments[op[1] % len(payments)],
                                  entry=debits[op[2] % len(debits)])
        except (ValidationError, LedgerError):
            assert _state(drive) == before, f"{op} was refused but changed something"
        _check_invariants(drive)


def _check_invariants(drive: Any) -> None:
    from mattran.funds.disbursement_selectors import drive_debits

    received, allocated, paid, balance = drive_money(drive)
    live = Allocation.objects.filter(drive=drive, cancelled_at__isnull=True)
    assert allocated == sum(a.amount for a in live)
    assert paid == sum(p.amount for p in Payment.objects.filter(allocation__drive=drive))
    assert balance == received - paid
    for allocation in Allocation.objects.filter(drive=drive):
        spent = paid_for(allocation)
        assert spent <= allocation.amount
        if allocation.is_cancelled:
            assert spent == 0
    for entry in drive_debits(drive):
        assert entry.matched <= -entry.amount  # type: ignore[attr-defined]
    for payment in Payment.objects.filter(entry__isnull=False).select_related("entry"):
        assert payment.method == PaymentMethod.BANK and payment.entry is not None and payment.entry.amount < 0
