"""Reads for the staff pages of funds, scoped to the viewer by ``Action.FUNDS_MANAGE``.

A fund, drive, account or receipt is visible when its unit is in the viewer's scope; a drive is also visible to
the units that collect for it (their pledge), so a ward sees the district's drive it pledged to and issues
receipts under its pledge. Out of scope answers 404 so that nothing's existence leaks (decision 0001); visible
but not the viewer's to change answers 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from mattran.accounts.permissions import Action, can, units_where
from mattran.funds import vietqr
from mattran.funds.disbursement_selectors import drive_received, pledge_collected
from mattran.funds.models import (
    AccountKind,
    AnonymityRequest,
    CashReceipt,
    DayCheckpoint,
    Drive,
    EntrySource,
    Fund,
    LedgerEntry,
    Pledge,
    ReceivingAccount,
)
from mattran.funds.permissions import is_system_admin
from mattran.funds.search import LedgerPage, LedgerQuery, ledger_search
from mattran.organisations.models import AdminUnit

ACTION = Action.FUNDS_MANAGE


def _scope(user: Any) -> QuerySet[AdminUnit]:
    return units_where(user, ACTION)


def units_managed(*, user: Any) -> QuerySet[AdminUnit]:
    return _scope(user).order_by("path")


# --- funds and drives ------------------------------------------------------------------------------------------

def funds_visible_to(*, user: Any) -> QuerySet[Fund]:
    return Fund.objects.filter(unit__in=_scope(user)).select_related("unit").order_by("unit__path", "name")


def fund_for(*, user: Any, pk: int) -> Fund:
    fund = funds_visible_to(user=user).filter(pk=pk).first()
    if fund is None:
        raise Http404("Không tìm thấy quỹ.")
    return fund


def drives_visible_to(*, user: Any) -> QuerySet[Drive]:
    scope = _scope(user)
    ids = Drive.objects.filter(Q(unit__in=scope) | Q(pledges__unit__in=scope)).values("pk")
    return (Drive.objects.filter(pk__in=ids).select_related("fund", "unit")
            .order_by("-starts_on", "title"))


def drive_for(*, user: Any, pk: int) -> Drive:
    drive = drives_visible_to(user=user).filter(pk=pk).first()
    if drive is None:
        raise Http404("Không tìm thấy đợt vận động.")
    return drive


def drive_managed(*, user: Any, pk: int) -> Drive:
    """A drive the viewer may change: its unit is in scope (a collecting unit sees it but may not change it)."""
    drive = drive_for(user=user, pk=pk)
    if not can(user, ACTION, drive.unit):
        raise PermissionDenied("Chỉ đơn vị phát động mới sửa được đợt vận động này.")
    return drive


def pledges_of(*, user: Any, drive: Drive) -> QuerySet[Pledge]:
    """The drive's collecting units: all of them for the drive's managers, the viewer's own ones otherwise."""
    qs = drive.pledges.select_related("unit").order_by("unit__path")
    return qs if can(user, ACTION, drive.unit) else qs.filter(unit__in=_scope(user))


def pledge_for(*, user: Any, pk: int) -> Pledge:
    scope = _scope(user)
    pledge = (Pledge.objects.filter(Q(unit__in=scope) | Q(drive__unit__in=scope)).filter(pk=pk)
              .select_related("drive", "drive__unit", "drive__fund", "unit").first())
    if pledge is None:
        raise Http404("Không tìm thấy đơn vị vận động.")
    return pledge


def pledge_managed(*, user: Any, pk: int) -> Pledge:
    pledge = pledge_for(user=user, pk=pk)
    if not can(user, ACTION, pledge.drive.unit):
        raise PermissionDenied("Chỉ đơn vị phát động mới sửa được danh sách đơn vị vận động.")
    return pledge


# --- accounts --------------------------------------------------------------------------------------------------

def accounts_visible_to(*, user: Any, kind: str | None = None) -> QuerySet[ReceivingAccount]:
    qs = ReceivingAccount.objects.select_related("unit")
    if not is_system_admin(user):
        qs = qs.filter(unit__in=_scope(user))
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "bank_name", "number")


def bank_accounts_for_drive_form(*, user: Any, drive: Drive | None = None) -> QuerySet[ReceivingAccount]:
    """Bank accounts the viewer may attach to a drive, plus those already attached (kept when editing)."""
    qs = accounts_visible_to(user=user, kind=AccountKind.BANK)
    if drive is not None:
        qs = (qs | ReceivingAccount.objects.filter(drives=drive)).distinct()
    return qs.order_by("bank_name", "number")


def account_for(*, user: Any, pk: int) -> ReceivingAccount:
    account = accounts_visible_to(user=user).filter(pk=pk).first()
    if account is None:
        raise Http404("Không tìm thấy tài khoản.")
    return account


def account_search(*, account: ReceivingAccount, text: str, page: int) -> LedgerPage:
    """The account's entries matching ``text`` (a name, memo words or an amount), with the public search's
    diacritic-blind rules (decision 0010): it matches the masked memo, so a cadre finds a donor by name."""
    return ledger_search(LedgerQuery(text=text, account_ids=(account.pk,), direction="all"), page=page)


def account_entries(*, account: ReceivingAccount) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(account=account).select_related("reverses").order_by("-sequence")


# --- receipts and entries --------------------------------------------------------------------------------------

def receipts_visible_to(*, user: Any, drive: Drive | None = None) -> QuerySet[CashReceipt]:
    qs = CashReceipt.objects.filter(unit__in=_scope(user)).select_related(
        "unit", "drive", "pledge__unit", "entry__reversed_by", "received_by")
    if drive is not None:
        qs = qs.filter(drive=drive)
    return qs.order_by("-received_on", "-year", "-number")


def receipt_for(*, user: Any, pk: int) -> CashReceipt:
    receipt = receipts_visible_to(user=user).filter(pk=pk).first()
    if receipt is None:
        raise Http404("Không tìm thấy biên lai.")
    return receipt


def entry_for(*, user: Any, pk: int) -> LedgerEntry:
    qs = LedgerEntry.objects.select_related("account", "account__unit", "reverses", "reversed_by")
    if not is_system_admin(user):
        qs = qs.filter(account__unit__in=_scope(user))
    entry = qs.filter(pk=pk).first()
    if entry is None:
        raise Http404("Không tìm thấy bút toán.")
    return entry


def entry_context(entry: LedgerEntry) -> dict[str, Any]:
    """What hangs off an entry: its cash receipt, its anonymity request, the correction that reversed it."""
    return {
        "receipt": CashReceipt.objects.filter(entry=entry).select_related("drive", "unit").first(),
        "anonymity": AnonymityRequest.objects.filter(entry=entry).select_related("recorded_by").first(),
        "reversed_by": LedgerEntry.objects.filter(reverses=entry).first(),
    }


# --- totals ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DriveTotals:
    bank: int
    cash: int
    target: int | None

    @property
    def received(self) -> int:
        return self.bank + self.cash

    @property
    def percent(self) -> int | None:
        return min(100, self.received * 100 // self.target) if self.target else None


@dataclass(frozen=True)
class PledgeRow:
    pledge: Pledge
    bank: int
    cash: int

    @property
    def collected(self) -> int:
        return self.bank + self.cash

    @property
    def percent(self) -> int | None:
        return min(100, self.collected * 100 // self.pledge.amount) if self.pledge.amount else None


def _period_entries(drive: Drive) -> QuerySet[LedgerEntry]:
    """Money in on the drive's bank accounts within its period: statement credits, net of their corrections."""
    qs = LedgerEntry.objects.filter(account__in=drive.accounts.filter(kind=AccountKind.BANK),
                                    booked_on__gte=drive.starts_on)
    if drive.ends_on is not None:
        qs = qs.filter(booked_on__lte=drive.ends_on)
    return qs.filter(Q(source=EntrySource.STATEMENT, amount__gt=0)
                     | Q(source=EntrySource.CORRECTION, reverses__source=EntrySource.STATEMENT,
                         reverses__amount__gt=0))


def _valid_receipts(drive: Drive) -> QuerySet[CashReceipt]:
    """The drive's receipts that no correction has cancelled."""
    return CashReceipt.objects.filter(drive=drive, entry__reversed_by__isnull=True)


def drive_totals(drive: Drive) -> DriveTotals:
    """Received by transfer and in cash; the sum is :func:`~mattran.funds.disbursement_selectors.drive_money`'s
    "received", the one definition shared with the public pages (decision 0013)."""
    received = drive_received(drive)
    cash = _valid_receipts(drive).aggregate(s=Sum("amount"))["s"] or 0
    return DriveTotals(bank=received - cash, cash=cash, target=drive.target_amount)


def pledge_rows(drive: Drive, pledges: QuerySet[Pledge]) -> list[PledgeRow]:
    """Each pledge with what it collected (:func:`disbursement_selectors.pledge_collected`, shared with the
    public pages)."""
    chosen = list(pledges)
    collected = pledge_collected(drive, chosen)
    return [PledgeRow(pledge=p, bank=collected[p.pk][0], cash=collected[p.pk][1]) for p in chosen]


def drive_recent_entries(drive: Drive, *, limit: int = 20) -> list[LedgerEntry]:
    return list(_period_entries(drive).select_related("account").order_by("-booked_on", "-sequence")[:limit])


# --- VietQR ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QrCode:
    account: ReceivingAccount
    memo: str
    amount: int | None
    payload: str
    svg: str
    error: str = ""


def qr_code(account: ReceivingAccount, *, memo: str, amount: int | None = None, svg: bool = True) -> QrCode:
    """The VietQR code of a transfer to ``account`` with ``memo``; a refused input comes back as ``error``."""
    try:
        payload = vietqr.build_payload(bin=account.bank_bin, account=account.number, amount=amount, memo=memo)
    except vietqr.VietQRError as exc:
        return QrCode(account, memo, amount, "", "", error=str(exc))
    return QrCode(account, memo, amount, payload, vietqr.qr_svg(payload) if svg else "")


def drive_bank_accounts(drive: Drive) -> list[ReceivingAccount]:
    return list(drive.accounts.filter(kind=AccountKind.BANK).order_by("bank_name", "number"))


def drive_qr_codes(drive: Drive) -> list[QrCode]:
    return [qr_code(account, memo=drive.memo_code) for account in drive_bank_accounts(drive)]


def account_open_days(*, account: ReceivingAccount) -> list[dt.date]:
    """Days of the account that have entries and no checkpoint yet, oldest first."""
    days = set(LedgerEntry.objects.filter(account=account).order_by().values_list("booked_on", flat=True).distinct())
    closed = set(DayCheckpoint.objects.filter(account=account).values_list("day", flat=True))
    return sorted(days - closed)
