"""Writing the ledger: append rows, correct an entry, checkpoint a day; and verifying all of it.

Every write runs in one transaction with the account row locked (``select_for_update``), so two imports into
the same account are serialised and the sequence and the hash chain stay contiguous. The hashing rules are in
:mod:`mattran.funds.chain`; decision 0008 explains them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from mattran.accounts.permissions import Action, require
from mattran.audit.services import record
from mattran.common import vn
from mattran.funds import chain, entry_values
from mattran.funds.models import AccountKind, DayCheckpoint, EntrySource, LedgerEntry, ReceivingAccount
from mattran.funds.permissions import require_manage
from mattran.funds.search import index_new_entries

BATCH_SIZE = 5000
_LOOKUP_CHUNK = 900  # SQLite's default limit of bound parameters is 999


class LedgerError(ValueError):
    """A row or request the ledger refuses, with a Vietnamese message."""


@dataclass(frozen=True)
class LedgerRow:
    """One row to append: a bank statement line or a cash receipt."""

    booked_on: dt.date
    amount: int
    memo_raw: str = ""
    donor_name: str = ""
    source: str = EntrySource.STATEMENT
    source_ref: str = ""
    is_anonymous: bool = False


DayEntries = list[tuple[int, int, str]]
"""A day's entries as ``(sequence, amount, entry_hash)`` in sequence order: what a checkpoint is made of."""


@dataclass(frozen=True)
class AppendResult:
    read: int
    added: int
    already_present: int
    first_sequence: int | None
    last_sequence: int | None
    # The new entries by day, for checkpointing without reading them back.
    new_by_day: dict[dt.date, DayEntries] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class CheckpointResult:
    checkpoint: DayCheckpoint
    created: bool
    mismatch: str | None = None


@dataclass
class VerifyResult:
    ok: bool
    first_bad_entry: LedgerEntry | None = None
    message: str = ""
    bad_checkpoint: DayCheckpoint | None = None
    entries_checked: int = 0
    checkpoints_checked: int = 0
    accounts: list[str] = field(default_factory=list)


_ROW_FIELDS = ("booked_on", "amount", "memo_raw", "donor_name", "source", "source_ref", "is_anonymous")


def _as_row(raw: LedgerRow | Mapping[str, Any] | Any, position: int) -> LedgerRow:
    if isinstance(raw, LedgerRow):
        row = raw
    else:
        values = raw if isinstance(raw, Mapping) else {n: getattr(raw, n) for n in _ROW_FIELDS if hasattr(raw, n)}
        try:
            row = LedgerRow(**{n: values[n] for n in _ROW_FIELDS if n in values})
        except TypeError as exc:
            raise LedgerError(f"Dòng {position}: thiếu ngày giao dịch hoặc số tiền.") from exc
    if isinstance(row.amount, bool) or not isinstance(row.amount, int) or row.amount == 0:
        raise LedgerError(f"Dòng {position}: số tiền phải là số nguyên đồng khác 0, nhận được {row.amount!r}.")
    if isinstance(row.booked_on, dt.datetime) or not isinstance(row.booked_on, dt.date):
        raise LedgerError(f"Dòng {position}: ngày giao dịch không hợp lệ ({row.booked_on!r}).")
    if row.source not in (EntrySource.STATEMENT, EntrySource.CASH):
        raise LedgerError(f"Dòng {position}: nguồn “{row.source}” không nhận; điều chỉnh dùng ledger_correct.")
    if len(row.source_ref) > 120 or len(row.donor_name) > 200:
        raise LedgerError(f"Dòng {position}: mã dòng nguồn hoặc tên người ủng hộ quá dài.")
    return row


def search_text_for(donor_folded: str, memo_public: str) -> str:
    """What the public search matches: the folded donor name and the masked memo, lower case, no diacritics
    ("đ" folded too), single-spaced. Never the raw memo, so a search for a donor's account number finds nothing."""
    return " ".join(f"{donor_folded} {vn.fold(memo_public)}".lower().split())


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _head(account: ReceivingAccount) -> tuple[int, str]:
    last = (LedgerEntry.objects.filter(account=account).order_by("-sequence")
            .values_list("sequence", "entry_hash").first())
    return last if last is not None else (0, chain.GENESIS)


def _lock(account: ReceivingAccount) -> ReceivingAccount:
    return ReceivingAccount.objects.select_for_update().get(pk=account.pk)


def _refuse_closed_days(account: ReceivingAccount, days: set[dt.date]) -> None:
    """A day with a checkpoint is closed: its checkpoint is published and never changes, so an entry booked on
    it later would make ``verify_ledger`` fail. Refuse such rows (decision 0009)."""
    if not days:
        return
    closed = sorted(DayCheckpoint.objects.filter(account=account, day__in=sorted(days))
                    .values_list("day", flat=True))
    if closed:
        shown = ", ".join(vn.date_short(d) for d in closed[:5]) + (" …" if len(closed) > 5 else "")
        raise LedgerError(
            f"Tài khoản {account.number} đã chốt sổ ngày {shown}: không ghi thêm bút toán vào ngày đã chốt "
            "(điểm chốt đã công bố không thay đổi). Nếu sao kê trước thiếu dòng, cần ghi bút toán điều chỉnh "
            "vào ngày chưa chốt.")


def _entries_for(account: ReceivingAccount, rows: list[tuple[LedgerRow, LedgerEntry | None, str]],
                 *, sequence: int, prev_hash: str) -> list[tuple[Any, ...]]:
    """Chain ``rows`` (row, reversed entry or None, reason) after ``(sequence, prev_hash)``: the column values
    of each new entry as a tuple in :data:`_INSERT_COLUMNS` order, without ``created_at`` (plain tuples: model
    instances, and even dicts, cost more than the hashing).

    This is the hot loop of an import. The derived values come from :mod:`mattran.funds.entry_values`, which
    gives byte for byte what :func:`mattran.funds.chain.entry_hash`, ``mask_memo`` and ``fold`` give (property
    tests hold it to that; ``verify_ledger`` recomputes every hash with the reference functions)."""
    account_id = account.pk
    account_json = encode_basestring(account.chain_id)
    canonical = entry_values.entry_canonical
    mask = entry_values.mask
    fold = entry_values.fold
    search_text = entry_values.search_text
    sha256 = hashlib.sha256
    iso: dict[dt.date, str] = {}
    folded_donors: dict[str, str] = {}
    out: list[tuple[Any, ...]] = []
    append = out.append
    for row, reverses, reason in rows:
        sequence += 1
        link = prev_hash
        booked_on, amount, memo_raw, donor_name = row.booked_on, row.amount, row.memo_raw, row.donor_name
        day = iso.get(booked_on)
        if day is None:
            day = iso[booked_on] = booked_on.isoformat()
        memo_public = mask(memo_raw) if memo_raw else ""
        donor_folded = folded_donors.get(donor_name)
        if donor_folded is None:
            donor_folded = folded_donors[donor_name] = fold(donor_name)[:200] if donor_name else ""
        reverses_sequence = reverses.sequence if reverses is not None else None
        prev_hash = sha256((link + canonical(
            account_json=account_json, sequence=sequence, booked_on_iso=day, amount=amount, memo_raw=memo_raw,
            donor_name=donor_name, is_anonymous=row.is_anonymous, source=row.source, source_ref=row.source_ref,
            reverses=reverses_sequence, reason=reason, prev_hash=link,
        )).encode()).hexdigest()
        append((
            account_id, sequence, booked_on, amount, memo_raw, memo_public, search_text(donor_folded, memo_public),
            donor_name, donor_folded, row.is_anonymous, row.source, row.source_ref,
            reverses.pk if reverses is not None else None, reason, link, prev_hash,
        ))
    return out


def _batches(account: ReceivingAccount, rows: list[tuple[LedgerRow, LedgerEntry | None, str]], *, sequence: int,
             prev_hash: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
    """:func:`_entries_for` over ``rows`` in batches of ``size``, each chained after the one before."""
    for start in range(0, len(rows), size):
        batch = _entries_for(account, rows[start:start + size], sequence=sequence, prev_hash=prev_hash)
        if batch:
            sequence, prev_hash = batch[-1][_SEQUENCE], batch[-1][_ENTRY_HASH]
            yield batch


_INSERT_COLUMNS = ("account_id", "sequence", "booked_on", "amount", "memo_raw", "memo_public", "search_text",
                   "donor_name", "donor_folded",
                   "is_anonymous", "source", "source_ref", "reverses_id", "reason", "prev_hash", "entry_hash",
                   "created_at")
_SEQUENCE, _BOOKED_ON, _AMOUNT, _ENTRY_HASH = 1, 2, 3, 15  # positions in an entry tuple
SQLITE_CACHE_KIB = 256 * 1024  # page cache while an import writes (the default is 2 MiB)


def _insert(batches: Iterator[list[tuple[Any, ...]]], total: int, *,
            progress: Callable[[int, int], None] | None = None) -> list[tuple[Any, ...]]:
    """Insert new entries, built batch by batch by ``batches`` (see :func:`_entries_for`), and return them all:
    ``executemany`` on SQLite, COPY on PostgreSQL.

    ``bulk_create`` would split the rows into batches of ~60 on SQLite (its bound-parameter limit) and prepare
    every field of every model instance. The rows were fully built and hashed above, the model guards concern
    updates only, and the database constraints still check every row.

    On SQLite a second thread runs ``executemany`` while this one hashes the next batch: SQLite works with the
    interpreter lock released, so B-tree work and hashing share the two cores (nothing else touches the
    connection meanwhile). The page cache is raised for the insert: with the default 2 MiB, the B-trees of the
    two random-keyed unique indexes (entry hash, row key) stop fitting after ~50,000 rows and every insert
    pages. On PostgreSQL the server inserts the COPY stream in its own process as it arrives, and the search
    replica (decision 0018) copies the new entries after the commit.
    """
    entries: list[tuple[Any, ...]] = []
    if total == 0:
        return entries
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = ops.quote_name(LedgerEntry._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in _INSERT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path (about three times executemany here); same rows, same constraints.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                write_row = copy.write_row
                for batch in batches:
                    for entry in batch:
                        write_row((*entry, now))
                    entries.extend(batch)
                    if progress is not None:
                        progress(len(entries), total)
            # The search index: the replica of decision 0018 catches up once the transaction commits.
            index_new_entries(account_id=entries[0][0], first_sequence=entries[0][_SEQUENCE])
            return entries
        # Identifiers come from the model's metadata, values are bound parameters, except ``created_at``: one
        # value for every row, written into the statement (Django's own adapter formats it) so that each entry
        # tuple is bound as it is; the date adapter Django registers turns ``booked_on`` into ISO text.
        placeholders = ", ".join(["?"] * (len(_INSERT_COLUMNS) - 1))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}, '{now}')"  # noqa: S608
        raw = cursor.cursor
        (cache_size,) = raw.execute("PRAGMA cache_size").fetchone()
        raw.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB:d}")

        def restore() -> None:
            # After the commit: shrinking the cache before it would write the dirty pages out twice.
            with connection.cursor() as after:
                after.execute(f"PRAGMA cache_size = {int(cache_size):d}")

        writer = _SqliteWriter(raw, sql)
        try:
            for batch in batches:
                writer.put(batch)
                entries.extend(batch)
                if progress is not None:
                    progress(writer.written, total)
            writer.finish()
            # The search index (decision 0010): one INSERT … SELECT over the new rows, not a per-row trigger.
            index_new_entries(account_id=entries[0][0], first_sequence=entries[0][_SEQUENCE])
            if progress is not None:
                progress(writer.written, total)  # the write is done once its rows are in the index too
        except BaseException:
            writer.abandon()
            restore()
            raise
        transaction.on_commit(restore)
    return entries


class _SqliteWriter:
    """``executemany`` of queued batches in a thread of its own (one batch queued at most)."""

    def __init__(self, cursor: Any, sql: str) -> None:
        self.cursor, self.sql = cursor, sql
        self.written = 0
        self.error: BaseException | None = None
        self.queue: queue.Queue[list[tuple[Any, ...]] | None] = queue.Queue(maxsize=1)
        self.thread = threading.Thread(target=self._run, name="ledger-insert", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the caller stops at the next put
            try:
                self.cursor.executemany(self.sql, batch)
                self.written += len(batch)
            except BaseException as exc:  # handed to the calling thread
                self.error = exc

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def put(self, batch: list[tuple[Any, ...]]) -> None:
        self._raise()
        self.queue.put(batch)

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self._raise()

    def abandon(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


def ledger_append(
    *, actor: Any, account: ReceivingAccount, rows: Iterable[LedgerRow | Mapping[str, Any]],
    batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None,
) -> AppendResult:
    """Append ``rows`` to ``account`` in one transaction; rows whose ``source_ref`` is already in the ledger
    (or earlier in ``rows``) are skipped, so a re-import adds nothing. One audit event per call.
    ``progress(written, total)`` is called after every batch of ``batch_size`` new rows."""
    require(actor, Action.FUNDS_MANAGE)
    prepared = [_as_row(raw, i) for i, raw in enumerate(rows, start=1)]
    with transaction.atomic():
        account = _lock(account)
        sequence, prev_hash = _head(account)
        present: set[str] = set()
        refs = sorted({r.source_ref for r in prepared if r.source_ref})
        if sequence and refs:
            for chunk in _chunks(refs, _LOOKUP_CHUNK if connection.vendor == "sqlite" else 20 * _LOOKUP_CHUNK):
                # ``exclude(source_ref="")`` lets the database use the partial unique index.
                present.update(LedgerEntry.objects.filter(account=account, source_ref__in=chunk)
                               .exclude(source_ref="").order_by().values_list("source_ref", flat=True))
        fresh: list[tuple[LedgerRow, LedgerEntry | None, str]] = []
        for row in prepared:
            if row.source_ref:
                if row.source_ref in present:
                    continue
                present.add(row.source_ref)
            fresh.append((row, None, ""))
        _refuse_closed_days(account, {row.booked_on for row, _, _ in fresh})
        if progress is not None:
            progress(0, len(fresh))
        entries = _insert(_batches(account, fresh, sequence=sequence, prev_hash=prev_hash, size=batch_size),
                          len(fresh), progress=progress)
        new_by_day: dict[dt.date, DayEntries] = {}
        for e in entries:
            day = new_by_day.get(e[_BOOKED_ON])
            if day is None:
                day = new_by_day[e[_BOOKED_ON]] = []
            day.append((e[_SEQUENCE], e[_AMOUNT], e[_ENTRY_HASH]))
        result = AppendResult(
            read=len(prepared), added=len(entries), already_present=len(prepared) - len(entries),
            first_sequence=entries[0][_SEQUENCE] if entries else None,
            last_sequence=entries[-1][_SEQUENCE] if entries else None, new_by_day=new_by_day,
        )
        record(actor=actor, action="funds.ledger_append", target=account, changes={
            "read": result.read, "added": result.added, "already_present": result.already_present,
            "first_sequence": result.first_sequence, "last_sequence": result.last_sequence,
            "credit_total": sum(e[_AMOUNT] for e in entries if e[_AMOUNT] > 0),
            "debit_total": sum(e[_AMOUNT] for e in entries if e[_AMOUNT] < 0),
        })
    return result


def ledger_correct(*, actor: Any, entry: LedgerEntry, reason: str,
                   booked_on: dt.date | None = None) -> LedgerEntry:
    """Append an entry that reverses ``entry`` (the opposite amount), with the reason. ``entry`` stays."""
    require(actor, Action.FUNDS_MANAGE)
    reason = " ".join((reason or "").split())
    if not reason:
        raise LedgerError("Cần ghi lý do điều chỉnh.")
    if len(reason) > 300:
        raise LedgerError("Lý do điều chỉnh dài tối đa 300 ký tự.")
    with transaction.atomic():
        account = _lock(entry.account)
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise LedgerError(f"Bút toán số {entry.sequence} đã được điều chỉnh trước đó.")
        sequence, prev_hash = _head(account)
        booked_on = booked_on or timezone.localdate()
        _refuse_closed_days(account, {booked_on})
        row = LedgerRow(
            booked_on=booked_on, amount=-entry.amount,
            memo_raw=f"Điều chỉnh bút toán số {entry.sequence}", donor_name=entry.donor_name,
            source=EntrySource.CORRECTION, source_ref=f"dieu-chinh/{entry.sequence}",
            is_anonymous=entry.is_anonymous,
        )
        (values,) = _entries_for(account, [(row, entry, reason)], sequence=sequence, prev_hash=prev_hash)
        correction = LedgerEntry(**dict(zip(_INSERT_COLUMNS, values, strict=False)))
        correction.save()
        index_new_entries(account_id=correction.account_id, first_sequence=correction.sequence)
        record(actor=actor, action="funds.ledger_correct", target=account, changes={
            "reverses": entry.sequence, "sequence": correction.sequence, "amount": correction.amount,
            "reason": reason,
        })
    return correction


def _day_summary(account: ReceivingAccount, day: dt.date, rows: DayEntries | None = None) -> dict[str, Any] | None:
    if rows is None:
        rows = list(LedgerEntry.objects.filter(account=account, booked_on=day).order_by("sequence")
                    .values_list("sequence", "amount", "entry_hash"))
    if not rows:
        return None
    hashes = [h for _, _, h in rows]
    summary = {
        "account": account.chain_id, "day": day, "last_sequence": rows[-1][0], "entry_count": len(rows),
        "credit_total": sum(a for _, a, _ in rows if a > 0), "debit_total": sum(a for _, a, _ in rows if a < 0),
        "merkle_root": chain.merkle_root(hashes), "chain_hash": hashes[-1],
    }
    summary["checkpoint_hash"] = chain.checkpoint_hash(summary)
    return summary


_CHECKPOINT_COLUMNS = ("last_sequence", "entry_count", "credit_total", "debit_total", "merkle_root",
                       "chain_hash", "checkpoint_hash")


def checkpoint_day(*, account: ReceivingAccount, day: dt.date, entries: DayEntries | None = None) -> CheckpointResult:
    """Store the checkpoint of ``account`` for ``day``. Idempotent; an existing checkpoint is never changed:
    when the entries no longer give the same values, the result carries a ``mismatch`` message instead.

    ``entries`` are the day's entries when the caller has just written every one of them in this transaction
    (``AppendResult.new_by_day``), so they are not read back; by default they are read from the ledger."""
    with transaction.atomic():
        account = _lock(account)
        summary = _day_summary(account, day, entries)
        if summary is None:
            raise LedgerError(f"Tài khoản {account.number} không có bút toán nào ngày {vn.date_short(day)}.")
        existing = DayCheckpoint.objects.filter(account=account, day=day).first()
        if existing is not None:
            differ = [c for c in _CHECKPOINT_COLUMNS if getattr(existing, c) != summary[c]]
            mismatch = None
            if differ:
                mismatch = (f"Điểm chốt ngày {vn.date_short(day)} của tài khoản {account.number} không còn khớp "
                            f"với sổ quỹ ({', '.join(differ)}); điểm chốt giữ nguyên.")
            return CheckpointResult(existing, created=False, mismatch=mismatch)
        checkpoint = DayCheckpoint.objects.create(
            account=account, day=day, **{c: summary[c] for c in _CHECKPOINT_COLUMNS})
        record(actor=None, action="funds.checkpoint_day", target=account, changes={
            "day": day, "entry_count": checkpoint.entry_count, "checkpoint_hash": checkpoint.checkpoint_hash,
        })
    return CheckpointResult(checkpoint, created=True)


#: A cash book's day closes once this many days have passed after it: receipts are often typed in a day or two
#: after the cash was handed in, and a closed day takes no more entries (decision 0009).
CASH_BOOK_GRACE_DAYS = 2


def ledger_close_days(*, actor: Any, account: ReceivingAccount, through: dt.date) -> list[DayCheckpoint]:
    """Checkpoint every day of ``account`` up to ``through`` that has entries and no checkpoint yet.

    For a bank account this says "the statements are complete through ``through``" (an import does the same
    with ``complete_through``); for a cash book the worker calls it every day (:func:`cash_books_close`).
    Idempotent: closed days are left as they are."""
    require_manage(actor, account.unit)
    with transaction.atomic():
        account = _lock(account)
        days = set(LedgerEntry.objects.filter(account=account, booked_on__lte=through).order_by()
                   .values_list("booked_on", flat=True).distinct())
        days -= set(DayCheckpoint.objects.filter(account=account, day__in=sorted(days)).values_list("day", flat=True))
        created = [checkpoint_day(account=account, day=day).checkpoint for day in sorted(days)]
        if created and actor is not None:
            record(actor=actor, action="funds.ledger_close_days", target=account, changes={
                "through": through, "days": [c.day for c in created]})
    return created


def cash_books_close(today: dt.date | None = None) -> int:
    """Close the days of every cash book older than :data:`CASH_BOOK_GRACE_DAYS`; the number of days closed.
    Run by the background worker (``manage.py run_worker``) and by ``manage.py close_ledger_days``."""
    through = (today or timezone.localdate()) - dt.timedelta(days=CASH_BOOK_GRACE_DAYS)
    open_books = (ReceivingAccount.objects.filter(kind=AccountKind.CASH, entries__booked_on__lte=through)
                  .distinct().order_by("pk"))
    return sum(len(ledger_close_days(actor=None, account=book, through=through)) for book in open_books)


def checkpoint_proof(entry: LedgerEntry) -> tuple[DayCheckpoint | None, chain.Proof]:
    """The checkpoint of the entry's day and the Merkle path from the entry to its root (for receipts)."""
    checkpoint = DayCheckpoint.objects.filter(account_id=entry.account_id, day=entry.booked_on).first()
    hashes = list(LedgerEntry.objects.filter(account_id=entry.account_id, booked_on=entry.booked_on)
                  .order_by("sequence").values_list("entry_hash", flat=True))
    return checkpoint, chain.merkle_proof(hashes, hashes.index(entry.entry_hash))


_VERIFY_VALUES = ("pk", "sequence", "booked_on", "amount", "memo_raw", "donor_name", "is_anonymous", "source",
                  "source_ref", "reverses_id", "reason", "prev_hash", "entry_hash")


def _verify_account(account: ReceivingAccount, result: VerifyResult) -> bool:
    chain_id = account.chain_id
    expected_sequence, prev_hash = 1, chain.GENESIS
    days: dict[dt.date, list[tuple[int, int, str]]] = {}
    # The sequences of reversed entries come from a second small query rather than a self-join: with stale
    # planner statistics (a table just filled in the same transaction) PostgreSQL may nest-loop that join over
    # a sequential scan, which turned a 200,000-row check from seconds into many minutes.
    targets = (LedgerEntry.objects.filter(account=account, source=EntrySource.CORRECTION).order_by()
               .values_list("reverses_id", flat=True))
    reversed_sequence = dict(LedgerEntry.objects.filter(pk__in=list(targets)).values_list("pk", "sequence"))
    rows = (LedgerEntry.objects.filter(account=account).order_by("sequence").values_list(*_VERIFY_VALUES)
            .iterator(chunk_size=5000))
    previous_pk: int | None = None
    for pk, seq, booked_on, amount, memo, donor, anonymous, source, ref, rev_pk, reason, prev, stored in rows:
        rev = reversed_sequence.get(rev_pk) if rev_pk is not None else None
        result.entries_checked += 1
        problem = None
        bad_pk = pk
        if seq != expected_sequence:
            problem = f"thiếu hoặc thừa bút toán: gặp số {seq}, đáng lẽ là số {expected_sequence}"
        elif prev != prev_hash:
            problem = "bút toán này hoặc bút toán trước đã bị sửa (liên kết băm với bút toán trước không khớp)"
            bad_pk = previous_pk if previous_pk is not None else pk
        else:
            computed = chain.entry_hash({
                "account": chain_id, "sequence": seq, "booked_on": booked_on, "amount": amount,
                "memo_raw": memo, "donor_name": donor, "is_anonymous": anonymous, "source": source,
                "source_ref": ref, "reverses": rev, "reason": reason, "prev_hash": prev,
            })
            if computed != stored:
                problem = "nội dung đã bị sửa (băm tính lại không khớp với băm đã lưu)"
        if problem is not None:
            entry = LedgerEntry.objects.select_related("account").get(pk=bad_pk)
            result.ok = False
            result.first_bad_entry = entry
            result.message = (f"Sổ quỹ sai ở bút toán số {entry.sequence} (mã {entry.pk}) của tài khoản "
                              f"{account.bank_name} {account.number}: {problem}.")
            return False
        days.setdefault(booked_on, []).append((seq, amount, stored))
        expected_sequence, prev_hash, previous_pk = seq + 1, stored, pk

    for checkpoint in DayCheckpoint.objects.filter(account=account).order_by("day").select_related("account"):
        result.checkpoints_checked += 1
        entries = days.get(checkpoint.day, [])
        hashes = [h for _, _, h in entries]
        summary: dict[str, Any] = {
            "account": chain_id, "day": checkpoint.day, "last_sequence": entries[-1][0] if entries else 0,
            "entry_count": len(entries), "credit_total": sum(a for _, a, _ in entries if a > 0),
            "debit_total": sum(a for _, a, _ in entries if a < 0), "merkle_root": chain.merkle_root(hashes),
            "chain_hash": hashes[-1] if hashes else chain.GENESIS,
        }
        summary["checkpoint_hash"] = chain.checkpoint_hash(checkpoint.hash_fields())
        differ = [c for c in _CHECKPOINT_COLUMNS if c != "checkpoint_hash" and getattr(checkpoint, c) != summary[c]]
        if summary["checkpoint_hash"] != checkpoint.checkpoint_hash:
            differ.append("checkpoint_hash")
        if differ:
            result.ok = False
            result.bad_checkpoint = checkpoint
            result.message = (f"Điểm chốt ngày {vn.date_short(checkpoint.day)} của tài khoản {account.bank_name} "
                              f"{account.number} không khớp với sổ quỹ ({', '.join(differ)}).")
            return False
    return True


def verify_ledger(account: ReceivingAccount | None = None) -> VerifyResult:
    """Recompute every entry hash, the chain links, the sequence and every day checkpoint; stop at the first
    problem. Reads only; safe to run at any time."""
    result = VerifyResult(ok=True)
    accounts = [account] if account is not None else list(ReceivingAccount.objects.order_by("pk"))
    for acc in accounts:
        result.accounts.append(acc.chain_id)
        if not _verify_account(acc, result):
            return result
    result.message = (f"Sổ quỹ toàn vẹn: {result.entries_checked} bút toán và {result.checkpoints_checked} "
                      f"điểm chốt của {len(accounts)} tài khoản đều tính lại khớp.")
    return result
