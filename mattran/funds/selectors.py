"""Public reads of the donation ledger for ``/minh-bach/`` (pages, CSV export, JSON API). Everything here is
public: the viewer is anyone, so these selectors take no user, and they never return what the public may not
see.

What the public may see (issue 4, decision 0011):

* drives marked ``is_public``, with their money figures (:func:`mattran.funds.disbursement_selectors.drive_money`
  is the one definition), pledges, published allocations and receipts per day;
* for an account marked ``statement_published``: its entries (date, amount, donor name, *masked* memo — never
  ``memo_raw``), its day checkpoints, receipts with their Merkle proof;
* for any other account reachable from a public drive: its totals only;
* an entry shown as anonymous (``is_anonymous`` or an :class:`~mattran.funds.models.AnonymityRequest`) shows
  "Nhà hảo tâm ẩn danh" and no memo.

The totals pages are cheap: the figures are computed once per *data version* (:func:`data_version`, one query
over the maximum ids and update times of the tables they depend on) and cached under it, the way the news
portal caches its page shells (decision 0004): any write moves the version, so every process recomputes on its
next request, and nothing has to be told to forget anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from mattran.funds import chain, vietqr
from mattran.funds.disbursement_selectors import (
    DriveMoney,
    active_allocations,
    drive_credit_entries,
    drive_money,
    pledge_collected,
)
from mattran.funds.models import (
    AccountKind,
    Allocation,
    AnonymityRequest,
    CashReceipt,
    DayCheckpoint,
    Drive,
    DriveAccount,
    EntrySource,
    LedgerEntry,
    Payment,
    Pledge,
    ReceivingAccount,
)
from mattran.funds.services import checkpoint_proof
from mattran.organisations.models import AdminUnit

ANONYMOUS_DONOR = "Nhà hảo tâm ẩn danh"
#: The ``bank_bin`` part of the URL of a cash book (which has no bank BIN).
CASH_BIN = "tien-mat"
CACHE_TTL = 60  # seconds; a stale entry is never asked for again once the data version moves
_HASH = re.compile(r"^[0-9a-f]{64}$")

T = TypeVar("T")


# --- Data version and caching --------------------------------------------------------------------------------


_VERSION_PARTS: tuple[tuple[type[models.Model], str], ...] = (
    (LedgerEntry, "MAX(id)"), (DayCheckpoint, "MAX(id)"), (AnonymityRequest, "MAX(id)"),
    (Drive, "MAX(updated_at)"), (Drive, "COUNT(*)"), (DriveAccount, "MAX(id)"), (DriveAccount, "COUNT(*)"),
    (ReceivingAccount, "MAX(updated_at)"), (Pledge, "MAX(updated_at)"), (Pledge, "COUNT(*)"),
    (Allocation, "MAX(updated_at)"), (Allocation, "COUNT(*)"), (Payment, "MAX(updated_at)"),
    (Payment, "COUNT(*)"), (CashReceipt, "MAX(id)"),
)


def data_version() -> tuple[Any, ...]:
    """One query: the newest id or update time (and the row count of the small tables) of everything the
    public figures depend on. Any write to the ledger, a drive, an account, a pledge, an allocation or a
    payment changes it."""
    quote = connection.ops.quote_name
    # Table names come from the models' metadata; there is no user input in this statement.
    parts = ", ".join(f"(SELECT {expr} FROM {quote(model._meta.db_table)})"  # noqa: S608
                      for model, expr in _VERSION_PARTS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
    return tuple(str(value) for value in row)


def cached(name: str, version: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per ``(name, version)``, shared through the cache."""
    digest = hashlib.blake2b(repr(version).encode(), digest_size=16).hexdigest()
    key = f"funds:public:v1:{name}:{digest}"
    hit = cache.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]  # type: ignore[no-any-return,unused-ignore]
    value = compute()
    cache.set(key, (version, value), CACHE_TTL)
    return value


# --- Drives and accounts --------------------------------------------------------------------------------------


def public_drives() -> QuerySet[Drive]:
    """Drives shown on the disclosure page, newest first."""
    return Drive.objects.filter(is_public=True).select_related("fund", "unit").order_by("-starts_on", "title")


def public_drive_get(*, slug: str) -> Drive:
    drive = public_drives().filter(slug=slug).first()
    if drive is None:
        raise Http404("Không tìm thấy đợt vận động.")
    return drive


def drive_accounts(drive: Drive) -> list[ReceivingAccount]:
    """The drive's receiving accounts, bank accounts first, then in the order they were registered (the first
    bank account is the one the drive's VietQR codes point to, see :func:`qr_account`)."""
    return list(ReceivingAccount.objects.filter(driveaccount__drive=drive).order_by("kind", "pk"))


def published_account_ids() -> tuple[int, ...]:
    """Every account whose statement is published: the scope of the search on ``/minh-bach/``."""
    return tuple(ReceivingAccount.objects.filter(statement_published=True).order_by("pk")
                 .values_list("pk", flat=True))


def public_accounts() -> QuerySet[ReceivingAccount]:
    """Accounts with a public page: those whose statement is published, and those of a public drive."""
    in_public_drive = DriveAccount.objects.filter(account=OuterRef("pk"), drive__is_public=True)
    return ReceivingAccount.objects.filter(Q(statement_published=True) | Q(Exists(in_public_drive)))


def account_url_bin(account: ReceivingAccount) -> str:
    return account.bank_bin or CASH_BIN


def public_account_get(*, bank_bin: str, number: str) -> ReceivingAccount:
    lookup = {"bank_bin": "" if bank_bin == CASH_BIN else bank_bin, "number": number}
    account = public_accounts().filter(**lookup).first()
    if account is None:
        raise Http404("Không tìm thấy tài khoản.")
    return account


def drive_money_map(drives: Sequence[Drive], *, version: tuple[Any, ...] | None = None) -> dict[int, DriveMoney]:
    """:func:`drive_money` of each drive, computed once per data version."""
    version = data_version() if version is None else version
    money: dict[int, DriveMoney] = {}
    for drive in drives:
        money[drive.pk] = cached(f"money:{drive.pk}", version, partial(drive_money, drive))
    return money


def drive_days(drive: Drive, *, version: tuple[Any, ...] | None = None) -> list[tuple[dt.date, int]]:
    """Money received by the drive per day (credits counted by :func:`drive_credit_entries`), oldest first."""
    def compute() -> list[tuple[dt.date, int]]:
        rows = (drive_credit_entries(drive).order_by().values("booked_on").annotate(total=Sum("amount"))
                .order_by("booked_on").values_list("booked_on", "total"))
        return [(day, int(total)) for day, total in rows]
    return cached(f"drive-days:{drive.pk}", data_version() if version is None else version, compute)


@dataclass(frozen=True)
class AccountTotals:
    received: int  # credits, net of the corrections that reverse credits
    paid_out: int  # debits as a positive figure, net of the corrections that reverse debits
    entry_count: int
    first_day: dt.date | None
    last_day: dt.date | None

    @property
    def balance(self) -> int:
        return self.received - self.paid_out


_NET_CREDIT = (Q(amount__gt=0) & ~Q(source=EntrySource.CORRECTION)) | (Q(source=EntrySource.CORRECTION)
                                                                      & Q(amount__lt=0))


def account_totals(account: ReceivingAccount, *, version: tuple[Any, ...] | None = None) -> AccountTotals:
    """One aggregate over the account's ledger. A correction carries the opposite amount of the entry it
    reverses, so a negative correction reverses a credit and a positive one a debit."""
    def compute() -> AccountTotals:
        values = LedgerEntry.objects.filter(account=account).aggregate(
            received=Coalesce(Sum("amount", filter=_NET_CREDIT), 0),
            paid=Coalesce(Sum("amount", filter=~_NET_CREDIT), 0),
            count=Count("pk"), first=Min("booked_on"), last=Max("booked_on"),
        )
        return AccountTotals(received=int(values["received"]), paid_out=-int(values["paid"]),
                             entry_count=int(values["count"]), first_day=values["first"], last_day=values["last"])
    return cached(f"account:{account.pk}", data_version() if version is None else version, compute)


def account_days(account: ReceivingAccount, *, version: tuple[Any, ...] | None = None) -> list[tuple[dt.date, int]]:
    """Credits received per day on the account (corrections left out), oldest first."""
    def compute() -> list[tuple[dt.date, int]]:
        rows = (LedgerEntry.objects.filter(account=account, amount__gt=0).exclude(source=EntrySource.CORRECTION)
                .order_by().values("booked_on").annotate(total=Sum("amount")).order_by("booked_on")
                .values_list("booked_on", "total"))
        return [(day, int(total)) for day, total in rows]
    return cached(f"account-days:{account.pk}", data_version() if version is None else version, compute)


def checkpoints_for(accounts: Iterable[ReceivingAccount], *, start: dt.date | None = None,
                    end: dt.date | None = None) -> QuerySet[DayCheckpoint]:
    """Day checkpoints of the *published* accounts among ``accounts``, newest day first."""
    qs = DayCheckpoint.objects.filter(account__in=[a.pk for a in accounts if a.statement_published])
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    return qs.select_related("account").order_by("-day", "account__bank_name", "account__number")


# --- Pledges and recipients -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PledgeRow:
    pledge: Pledge
    by_transfer: int
    in_cash: int
    payload: str | None  # VietQR text, or None when the drive has no bank account to print

    @property
    def collected(self) -> int:
        return self.by_transfer + self.in_cash


def qr_account(drive: Drive) -> ReceivingAccount | None:
    """The account a drive's VietQR codes point to: its first bank account."""
    return (ReceivingAccount.objects.filter(driveaccount__drive=drive, kind=AccountKind.BANK)
            .order_by("pk").first())


def qr_payload(account: ReceivingAccount | None, memo: str) -> str | None:
    if account is None:
        return None
    try:
        return vietqr.build_payload(bin=account.bank_bin, account=account.number, memo=memo)
    except vietqr.VietQRError:
        return None


def pledge_rows(drive: Drive, *, account: ReceivingAccount | None = None,
                version: tuple[Any, ...] | None = None) -> list[PledgeRow]:
    """The drive's pledges with what each collected (:func:`disbursement_selectors.pledge_collected`): a fixed
    number of queries whatever the number of pledges, once per data version."""
    return cached(f"pledges:{drive.pk}:{account.pk if account else 0}", data_version() if version is None else version,
                  partial(_pledge_rows, drive, account))


def _pledge_rows(drive: Drive, account: ReceivingAccount | None) -> list[PledgeRow]:
    pledges = list(drive.pledges.select_related("unit").order_by("unit__path"))
    collected = pledge_collected(drive, pledges)
    return [PledgeRow(pledge=p, by_transfer=collected[p.pk][0], in_cash=collected[p.pk][1],
                      payload=qr_payload(account, p.memo_code)) for p in pledges]


@dataclass(frozen=True)
class RecipientGroup:
    ward: AdminUnit | None
    residential_area: str
    allocations: Sequence[Allocation]  # each with ``paid`` annotated

    @property
    def allocated(self) -> int:
        return sum(a.amount for a in self.allocations)

    @property
    def paid(self) -> int:
        return sum(a.paid for a in self.allocations)  # type: ignore[attr-defined]


def recipient_groups(drive: Drive) -> list[RecipientGroup]:
    """Published, not cancelled allocations of the drive, grouped by ward and residential area, with what was
    paid to each. One query."""
    allocations = (active_allocations(drive).filter(is_published=True).select_related("area_unit")
                   .annotate(paid=Coalesce(Sum("payments__amount"), 0))
                   .order_by("area_unit__path", "residential_area", "recipient_name", "pk"))
    groups = []
    for (ward_id, area), rows in itertools.groupby(allocations, key=lambda a: (a.area_unit_id, a.residential_area)):
        items = list(rows)
        groups.append(RecipientGroup(ward=items[0].area_unit if ward_id else None, residential_area=area,
                                     allocations=items))
    return groups


# --- Entries as the public sees them ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEntry:
    entry: LedgerEntry
    anonymous: bool
    checkpoint_hash: str | None

    @property
    def donor(self) -> str:
        return ANONYMOUS_DONOR if self.anonymous else self.entry.donor_name

    @property
    def memo(self) -> str:
        """The masked memo (never the raw one); nothing for an anonymous entry. A correction shows its reason."""
        if self.anonymous:
            return ""
        if self.entry.source == EntrySource.CORRECTION and self.entry.reason:
            return f"{self.entry.memo_public} — {self.entry.reason}"
        return self.entry.memo_public

    @property
    def account(self) -> ReceivingAccount:
        return self.entry.account

    @property
    def account_bin(self) -> str:
        """The ``bank_bin`` part of the account's public URL."""
        return account_url_bin(self.entry.account)

    def as_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "date": e.booked_on.isoformat(), "amount": e.amount, "donor": self.donor, "anonymous": self.anonymous,
            "memo": self.memo, "source": e.source, "sequence": e.sequence,
            "account": account_json(e.account), "entry_hash": e.entry_hash,
            "checkpoint_hash": self.checkpoint_hash,
        }


def account_json(account: ReceivingAccount) -> dict[str, Any]:
    return {"bank": account.bank_name, "bin": account.bank_bin, "number": account.number,
            "holder": account.holder_name, "kind": account.kind, "statement_published": account.statement_published}


def present_entries(entries: Sequence[LedgerEntry]) -> list[PublicEntry]:
    """Entries (with ``account`` loaded) as the public sees them, with the checkpoint hash of each entry's day.
    Two queries whatever the number of entries."""
    if not entries:
        return []
    ids = [e.pk for e in entries]
    requested = set(AnonymityRequest.objects.filter(entry_id__in=ids).values_list("entry_id", flat=True))
    days = {(e.account_id, e.booked_on) for e in entries}
    hashes = dict(
        ((account_id, day), checkpoint_hash) for account_id, day, checkpoint_hash in DayCheckpoint.objects.filter(
            account_id__in={a for a, _ in days}, day__in={d for _, d in days},
        ).values_list("account_id", "day", "checkpoint_hash")
    )
    return [PublicEntry(entry=e, anonymous=e.is_anonymous or e.pk in requested,
                        checkpoint_hash=hashes.get((e.account_id, e.booked_on))) for e in entries]


def checkpoint_hashes(account_ids: Iterable[int]) -> dict[tuple[int, dt.date], str]:
    """Every checkpoint hash of the accounts, by (account id, day): for the CSV export (one query)."""
    return {(a, d): h for a, d, h in DayCheckpoint.objects.filter(account_id__in=list(account_ids))
            .values_list("account_id", "day", "checkpoint_hash")}


def anonymous_entry_ids(account_ids: Iterable[int]) -> set[int]:
    """Ids of the entries of these accounts with an anonymity request (for the CSV export; one query)."""
    return set(AnonymityRequest.objects.filter(entry__account_id__in=list(account_ids))
               .values_list("entry_id", flat=True))


# --- Receipts ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """An entry with its day's checkpoint and the Merkle path from the entry to the checkpoint's root."""

    public: PublicEntry
    checkpoint: DayCheckpoint | None
    proof: chain.Proof

    @property
    def entry(self) -> LedgerEntry:
        return self.public.entry

    @property
    def proof_valid(self) -> bool:
        """Does the path climb to the stored root, and does the stored checkpoint hash recompute?"""
        if self.checkpoint is None:
            return False
        return (chain.verify_proof(self.entry.entry_hash, self.proof, self.checkpoint.merkle_root)
                and chain.checkpoint_hash(self.checkpoint.hash_fields()) == self.checkpoint.checkpoint_hash)

    def checkpoint_json(self) -> dict[str, Any] | None:
        c = self.checkpoint
        if c is None:
            return None
        return {**{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in c.hash_fields().items()},
                "checkpoint_hash": c.checkpoint_hash}

    def as_json(self) -> dict[str, Any]:
        return {
            "entry": {**self.public.as_json(), "prev_hash": self.entry.prev_hash},
            "checkpoint": self.checkpoint_json(),
            "proof": [{"side": side, "sibling": sibling} for side, sibling in self.proof],
            "proof_valid": self.proof_valid,
        }


def receipt_get(*, entry_hash: str) -> Receipt:
    """The receipt of an entry of a published account; 404 for anything else (a malformed hash included)."""
    if not _HASH.match(entry_hash or ""):
        raise Http404("Không tìm thấy bút toán.")
    entry = (LedgerEntry.objects.select_related("account")
             .filter(entry_hash=entry_hash, account__statement_published=True).first())
    if entry is None:
        raise Http404("Không tìm thấy bút toán.")
    checkpoint, proof = checkpoint_proof(entry)
    (public,) = present_entries([entry])
    return Receipt(public=public, checkpoint=checkpoint, proof=proof)
