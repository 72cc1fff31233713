"""Reads for allocations and payments out of drives, and the one definition of a drive's money figures.

:func:`drive_money` is the single source of "received / allocated / paid / balance" for staff and public pages
(decision 0013). Staff reads take the viewer and are scoped by ``units_where(user, FUNDS_MANAGE)`` on the
drive's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from mattran.accounts.permissions import Action, units_where
from mattran.common import vn
from mattran.funds.models import (
    AccountKind,
    Allocation,
    CashReceipt,
    Drive,
    DriveAccount,
    EntrySource,
    LedgerEntry,
    Payment,
    Pledge,
    ReceivingAccount,
)

MATCH_WINDOW_DAYS = 7


@dataclass(frozen=True)
class DriveMoney:
    """A drive's money in đồng. ``balance = received - paid``; ``unallocated = received - allocated``."""

    received: int
    allocated: int
    paid: int

    @property
    def balance(self) -> int:
        return self.received - self.paid

    @property
    def unallocated(self) -> int:
        return self.received - self.allocated

    @property
    def unpaid(self) -> int:
        """Allocated but not yet paid out."""
        return self.allocated - self.paid

    def __iter__(self) -> Any:
        """Unpacks as ``received, allocated, paid, balance``."""
        return iter((self.received, self.allocated, self.paid, self.balance))


def _total(queryset: QuerySet[Any], field: str = "amount") -> int:
    return int(queryset.aggregate(total=Coalesce(Sum(field), 0))["total"])


def drive_period(drive: Drive, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days whose credits count for the drive: ``starts_on`` to ``ends_on`` (or today while it runs)."""
    end = drive.ends_on or today or timezone.localdate()
    return drive.starts_on, max(end, drive.starts_on)


def drive_credit_entries(drive: Drive, today: dt.date | None = None) -> QuerySet[LedgerEntry]:
    """The original credit entries (not corrections) that count as money received by the drive.

    * credits on the drive's accounts booked within :func:`drive_period`, except cash-book entries whose
      receipt names another drive, and transfers that belong to another drive sharing the account on that day
      (:func:`_taken_by_other_drives`);
    * every entry of a cash receipt that names this drive, whatever its account or day.
    """
    start, end = drive_period(drive, today)
    accounts = ReceivingAccount.objects.filter(driveaccount__drive=drive)
    in_accounts = (
        Q(account__in=accounts, booked_on__gte=start, booked_on__lte=end)
        & (Q(cash_receipt__isnull=True) | Q(cash_receipt__drive=drive))
    )
    taken = _taken_by_other_drives(drive, start, end, today)
    if taken is not None:
        in_accounts &= ~taken
    return (
        LedgerEntry.objects.filter(amount__gt=0)
        .exclude(source=EntrySource.CORRECTION)
        .filter(in_accounts | Q(cash_receipt__drive=drive))
    )


def _taken_by_other_drives(drive: Drive, start: dt.date, end: dt.date, today: dt.date | None) -> Q | None:
    """Transfers on an account ``drive`` shares with another drive, on a day both drives' periods cover, that
    the other drive takes (decision 0014): each such transfer counts for one drive only, the one ranked first
    by (its memo carries the drive's code, the drive started later, the drive was created later). A transfer
    naming one drive's code goes to that drive; one naming neither goes to the newer appeal. None when no
    other drive overlaps."""
    own = set(DriveAccount.objects.filter(drive=drive).values_list("account_id", flat=True))
    others = list(Drive.objects.filter(driveaccount__account_id__in=own, starts_on__lte=end)
                  .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start)).exclude(pk=drive.pk).distinct())
    if not others:
        return None
    shared_by: dict[int, set[int]] = {o.pk: set() for o in others}
    for drive_id, account_id in DriveAccount.objects.filter(drive__in=others, account_id__in=own).values_list(
            "drive_id", "account_id"):
        shared_by[drive_id].add(account_id)
    codes = [drive.memo_code, *(o.memo_code for o in others)]
    carries_own = memo_code_filter(drive.memo_code, excluding=_more_specific(drive.memo_code, codes))
    taken = Q(pk__in=[])
    for other in others:
        other_start, other_end = drive_period(other, today)
        carries_other = memo_code_filter(other.memo_code,
                                           excluding=_more_specific(other.memo_code, codes))
        newer = (other.starts_on, other.pk) > (drive.starts_on, drive.pk)
        # ``other`` ranks first: it alone is named, or both or neither are and it is the newer drive.
        wins = (carries_other & ~carries_own) | ((carries_other | ~carries_own) if newer else Q(pk__in=[]))
        taken |= Q(account_id__in=sorted(shared_by[other.pk]), booked_on__gte=max(start, other_start),
                   booked_on__lte=min(end, other_end), cash_receipt__isnull=True) & wins
    return taken


def drive_received(drive: Drive, today: dt.date | None = None) -> int:
    """Credits of :func:`drive_credit_entries`, net of the corrections that reverse them (and so on down a
    chain of corrections of corrections), in đồng."""
    level: QuerySet[LedgerEntry] = drive_credit_entries(drive, today)
    total = _total(level)
    # Each correction reverses exactly one entry; follow the chain level by level (in practice one or two).
    for _ in range(20):
        level = LedgerEntry.objects.filter(source=EntrySource.CORRECTION, reverses__in=level.values("pk"))
        if not level.exists():
            break
        total += _total(level)
    return total


def _code_forms(code: str) -> tuple[str, str]:
    """A memo code as search texts hold it (folded, lower case), with and without its spaces."""
    folded = vn.fold(code).lower()
    return folded, folded.replace(" ", "")


def memo_code_filter(code: str, *, excluding: Iterable[str] = ()) -> Q:
    """Entries whose public search text carries a memo code (a drive's or a pledge's). Bank apps keep or drop
    the space inside a code ("BIENDAO2025 BACHMAI" / "BIENDAO2025BACHMAI"); search texts are folded and lower
    case.

    ``excluding``: other codes in play whose presence makes an entry not this code's — those that contain it
    ("BIENDAO2025 PHUONG10" contains "BIENDAO2025 PHUONG1": an entry carrying it is the longer code's), and for
    pledges also the unrelated ones (see :func:`_competing`)."""
    q = Q()
    for form in dict.fromkeys(_code_forms(code)):
        q |= Q(search_text__contains=form)
    for other in excluding:
        for form in dict.fromkeys(_code_forms(other)):
            q &= ~Q(search_text__contains=form)
    return q


def _more_specific(code: str, codes: Iterable[str]) -> list[str]:
    """The codes among ``codes`` that contain ``code`` (spaces aside), other than itself."""
    bare = _code_forms(code)[1]
    return [other for other in codes if other != code and bare in _code_forms(other)[1]]


def _competing(code: str, codes: Iterable[str]) -> list[str]:
    """The codes among ``codes`` that an entry carrying ``code`` must not also carry for it to be ``code``'s:
    every other code but those ``code`` itself contains (an entry carrying "…PHUONG10" always contains
    "…PHUONG1" too). So a transfer naming two collecting units' codes counts for neither, never for both."""
    bare = _code_forms(code)[1]
    return [other for other in codes if other != code and _code_forms(other)[1] not in bare]


def pledge_collected(drive: Drive, pledges: Sequence[Pledge]) -> dict[int, tuple[int, int]]:
    """``{pledge id: (by transfer, in cash)}`` — the one definition of what a collecting unit raised, for the
    staff and the public pages: the drive's transfers (:func:`drive_credit_entries`, not cash, not reversed)
    whose memo carries the pledge's code, and the cash receipts that name the pledge (not cancelled). A transfer
    carrying a code that contains another ("…PHUONG10" and "…PHUONG1") counts for the longer one only, and one
    naming two units' unrelated codes counts for neither (it stays in the drive's total, with the transfers that
    name no unit), so the units' figures never add up to more than the drive received. The number of queries does
    not grow with the number of pledges."""
    if not pledges:
        return {}
    codes = list(Pledge.objects.filter(drive=drive).values_list("memo_code", flat=True))
    not_reversed = ~Q(Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))))
    transfers = drive_credit_entries(drive).filter(not_reversed, cash_receipt__isnull=True).aggregate(**{
        f"p{p.pk}": Coalesce(Sum("amount", filter=memo_code_filter(
            p.memo_code, excluding=_competing(p.memo_code, codes))), 0)
        for p in pledges
    })
    cash = dict(CashReceipt.objects.filter(pledge__in=pledges, entry__reversed_by__isnull=True).order_by()
                .values("pledge_id").annotate(total=Sum("amount")).values_list("pledge_id", "total"))
    return {p.pk: (int(transfers[f"p{p.pk}"]), int(cash.get(p.pk, 0))) for p in pledges}


def active_allocations(drive: Drive) -> QuerySet[Allocation]:
    """The drive's allocations that are not cancelled."""
    return Allocation.objects.filter(drive=drive, cancelled_at__isnull=True)


def drive_money(drive: Drive, today: dt.date | None = None) -> DriveMoney:
    """received, allocated, paid and balance of ``drive`` (decision 0013).

    * received — see :func:`drive_received`;
    * allocated — the amounts of allocations not cancelled;
    * paid — every payment recorded against the drive's allocations (a cancelled allocation has none);
    * balance — received − paid.
    """
    return DriveMoney(
        received=drive_received(drive, today),
        allocated=_total(active_allocations(drive)),
        paid=_total(Payment.objects.filter(allocation__drive=drive)),
    )


# --- Staff reads, scoped to the viewer --------------------------------------------------------------------


def drives_visible_to(*, user: Any) -> QuerySet[Drive]:
    return Drive.objects.filter(unit__in=units_where(user, Action.FUNDS_MANAGE)).select_related("unit", "fund")


def drive_for(*, user: Any, drive_id: int) -> Drive:
    """The drive, if the viewer manages its unit; otherwise 404 (never says the drive exists)."""
    drive = drives_visible_to(user=user).filter(pk=drive_id).first()
    if drive is None:
        raise Http404("Không tìm thấy đợt vận động.")
    return drive


def allocations_with_paid(queryset: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """Annotate ``paid`` (sum of payments) on each allocation."""
    return queryset.annotate(paid=Coalesce(Sum("payments__amount"), 0))


def allocation_list(*, user: Any, drive: Drive, include_cancelled: bool = True) -> QuerySet[Allocation]:
    queryset = Allocation.objects.filter(drive=drive, drive__unit__in=units_where(user, Action.FUNDS_MANAGE))
    if not include_cancelled:
        queryset = queryset.filter(cancelled_at__isnull=True)
    return allocations_with_paid(
        queryset.select_related("area_unit", "recipient_unit", "drive")
    ).order_by("cancelled_at", "area_unit__path", "residential_area", "recipient_name", "pk")


def allocation_for(*, user: Any, allocation_id: int) -> Allocation:
    allocation = (
        allocations_with_paid(
            Allocation.objects.filter(pk=allocation_id, drive__unit__in=units_where(user, Action.FUNDS_MANAGE))
        )
        .select_related("drive", "drive__unit", "drive__fund", "area_unit", "recipient_unit")
        .first()
    )
    if allocation is None:
        raise Http404("Không tìm thấy phân bổ.")
    return allocation


def payment_for(*, user: Any, payment_id: int) -> Payment:
    payment = (
        Payment.objects.filter(pk=payment_id,
                               allocation__drive__unit__in=units_where(user, Action.FUNDS_MANAGE))
        .select_related("allocation", "allocation__drive", "allocation__drive__unit", "entry", "entry__account")
        .first()
    )
    if payment is None:
        raise Http404("Không tìm thấy khoản chi.")
    return payment


def payments_of(allocation: Allocation) -> QuerySet[Payment]:
    return allocation.payments.select_related("entry", "entry__account").order_by("paid_on", "pk")


def paid_for(allocation: Allocation) -> int:
    return _total(Payment.objects.filter(allocation=allocation))


def matched_total(entry: LedgerEntry, *, exclude: Payment | None = None) -> int:
    """How much of a debit entry payments already account for (đồng, positive)."""
    queryset = Payment.objects.filter(entry=entry)
    if exclude is not None and exclude.pk is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return _total(queryset)


def drive_debits(drive: Drive) -> QuerySet[LedgerEntry]:
    """Debit rows (money out) on the drive's bank accounts, excluding corrections and the rows they cancel,
    annotated with ``matched`` (sum of payments matched to the row)."""
    reversed_ = LedgerEntry.objects.filter(reverses=OuterRef("pk"))
    return (
        LedgerEntry.objects.filter(
            account__driveaccount__drive=drive, account__kind=AccountKind.BANK, amount__lt=0,
        )
        .exclude(source=EntrySource.CORRECTION)
        .exclude(Exists(reversed_))
        .annotate(matched=Coalesce(Sum("payments__amount"), 0))
        .select_related("account")
        .order_by("-booked_on", "account_id", "-sequence")
    )


def unmatched_debits(drive: Drive) -> list[LedgerEntry]:
    """The drive's debit rows that payments do not yet fully account for, newest first.

    Each row carries ``matched``, ``outflow`` (|amount|) and ``remaining`` (how much is still unexplained,
    positive đồng).
    """
    rows = []
    for entry in drive_debits(drive):
        entry.remaining = -entry.amount - entry.matched  # type: ignore[attr-defined]
        entry.outflow = -entry.amount  # type: ignore[attr-defined]
        if entry.remaining > 0:  # type: ignore[attr-defined]
            rows.append(entry)
    return rows


def match_suggestions(payment: Payment, *, limit: int = 10) -> list[LedgerEntry]:
    """Debit rows of the drive's bank accounts that may record ``payment``, best first.

    A candidate has the payment's amount still unexplained (its |amount| minus payments already matched to it,
    the payment itself left out, is at least the payment's amount) and is booked within ±7 days of ``paid_on``.
    Rows whose |amount| equals the payment exactly come first, then the nearest in days, then the row whose
    memo mentions the allocation's recipient or decision number.
    """
    drive = payment.allocation.drive
    window = dt.timedelta(days=MATCH_WINDOW_DAYS)
    candidates = drive_debits(drive).filter(
        booked_on__gte=payment.paid_on - window, booked_on__lte=payment.paid_on + window,
        amount__lte=-payment.amount,
    )
    from mattran.common.vn import fold

    hints = [fold(h) for h in (payment.allocation.recipient_name, payment.allocation.decision_number,
                               payment.reference) if h and len(h) >= 3]
    scored = []
    for entry in candidates:
        own = payment.amount if payment.entry_id == entry.pk else 0
        remaining = -entry.amount - (entry.matched - own)  # type: ignore[attr-defined]
        if remaining < payment.amount:
            continue
        entry.remaining = remaining  # type: ignore[attr-defined]
        entry.outflow = -entry.amount  # type: ignore[attr-defined]
        memo = fold(entry.memo_raw)
        key = (
            0 if -entry.amount == payment.amount else 1,
            abs((entry.booked_on - payment.paid_on).days),
            0 if any(h in memo for h in hints) else 1,
            entry.pk,
        )
        scored.append((key, entry))
    scored.sort(key=lambda pair: pair[0])
    return [entry for _, entry in scored[:limit]]


def unmatched_bank_payments(drive: Drive) -> QuerySet[Payment]:
    """Bank payments of the drive not yet matched to a statement row."""
    return (Payment.objects.filter(allocation__drive=drive, method="bank", entry__isnull=True)
            .select_related("allocation").order_by("paid_on", "pk"))
