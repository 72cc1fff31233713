"""PostgreSQL: the public ledger search's word index, kept as a SQLite FTS5 replica on local disk (decision 0018).

On SQLite the full-text index is a table of the database itself, filled in the transaction that appends the
entries (decision 0010). PostgreSQL's own word index, GIN, can neither hand its matches out newest first nor stop
at the count's cap: it builds the whole intersection of the words before returning one row, which left the
slowest names at 40–60 ms over a million entries. A PostgreSQL deployment therefore keeps the very same FTS5 index
in a file beside the application (``LEDGER_SEARCH_REPLICA_DIR``, by default ``VAR_DIR/search/``). The file is
derived from the ledger, never a source of truth, and can be deleted at any time:

- It holds, per entry, only what a text search filters on: id, account, sequence, day, amount, the anonymity
  flag and the folded ``search_text``; the entry ids that have an anonymity request; and the FTS5 table. The
  table names are the ledger's own, so :mod:`mattran.funds.search` runs the same SQL on it as on a SQLite
  database, then reads the entries it found from PostgreSQL by id.
- :func:`synced` brings it up to date before every text search. One query reads each account's chain head and
  the anonymity requests' count and newest id; when they equal what the replica recorded, nothing else happens.
  The ledger is append-only and hash-chained, so an account whose recorded head (sequence, id and hash) is still
  in the ledger only lacks the entries after it. Anything else — a restored database, a transaction the replica
  saw and that was then rolled back — rebuilds the replica from the ledger.
- Appends bring it up to date right after their commit (:func:`sync_after_commit`), so the first search after
  an import does not pay for the import.
- Several processes share the file: readers never wait (WAL), and one writer at a time updates it, having
  re-read the ledger's state under SQLite's write lock.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

FTS_TABLE = "funds_ledgerentry_fts"
SCHEMA_VERSION = 1
COPY_CHUNK = 10_000
_SCHEMA = (
    "CREATE TABLE funds_ledgerentry (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, "
    "sequence INTEGER NOT NULL, booked_on TEXT NOT NULL, amount INTEGER NOT NULL, is_anonymous INTEGER NOT NULL, "
    "search_text TEXT NOT NULL)",
    "CREATE TABLE funds_anonymityrequest (entry_id INTEGER PRIMARY KEY)",
    "CREATE TABLE replica_head (account_id INTEGER PRIMARY KEY, sequence INTEGER NOT NULL, "
    "entry_id INTEGER NOT NULL, entry_hash TEXT NOT NULL)",
    "CREATE TABLE replica_anonymity (requests INTEGER NOT NULL, newest INTEGER NOT NULL)",
    # The same index as the SQLite database's (migration 0006 of funds, decision 0010).
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, content='', columnsize=0, detail=none, "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2 3 4 5 6')",
)
# Each receiving account's chain head, and (as account -1) the anonymity requests' count and newest id.
_LEDGER_STATE = (
    "SELECT a.id, h.sequence, h.id, h.entry_hash FROM funds_receivingaccount a "
    "CROSS JOIN LATERAL (SELECT e.sequence, e.id, e.entry_hash FROM funds_ledgerentry e "
    "WHERE e.account_id = a.id ORDER BY e.sequence DESC LIMIT 1) h "
    "UNION ALL SELECT -1, count(*), coalesce(max(r.id), 0), '' FROM funds_anonymityrequest r"
)

Head = tuple[int, int, str]  # sequence, entry id, entry hash
State = tuple[dict[int, Head], tuple[int, int]]  # heads by account; anonymity requests' (count, newest id)

_local = threading.local()
_database_oids: dict[tuple[str, str, str], int] = {}


def replica_path() -> Path:
    """The replica file of the database Django is connected to: one per database (its name and OID, so that a
    database dropped and created again under the same name starts a new file)."""
    params = connection.settings_dict
    key = (str(params.get("HOST") or ""), str(params.get("PORT") or ""), str(params["NAME"]))
    if key not in _database_oids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            _database_oids[key] = int(cursor.fetchone()[0])
    directory = Path(settings.LEDGER_SEARCH_REPLICA_DIR)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", key[2])
    return directory / f"ledger-{name}-{_database_oids[key]}.sqlite3"


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # derived data: a power cut may lose the last sync, never corrupt
    db.execute("PRAGMA cache_size=-65536")
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                for table in (FTS_TABLE, "funds_ledgerentry", "funds_anonymityrequest", "replica_head",
                              "replica_anonymity"):  # a file of an older layout: start again
                    db.execute(f'DROP TABLE IF EXISTS "{table}"')
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return db


def _connection() -> sqlite3.Connection:
    """This thread's connection to the replica file (opened once, created with its schema if new)."""
    path = replica_path()
    held: tuple[Path, sqlite3.Connection] | None = getattr(_local, "replica", None)
    if held is None or held[0] != path:
        if held is not None:
            held[1].close()
        held = (path, _open(path))
        _local.replica = held
    return held[1]


def _ledger_state() -> State:
    heads: dict[int, Head] = {}
    anonymity = (0, 0)
    with connection.cursor() as cursor:
        cursor.execute(_LEDGER_STATE)
        for account_id, sequence, entry_id, entry_hash in cursor.fetchall():
            if account_id == -1:
                anonymity = (int(sequence), int(entry_id))
            else:
                heads[int(account_id)] = (int(sequence), int(entry_id), str(entry_hash))
    return heads, anonymity


def _replica_state(db: sqlite3.Connection) -> State:
    heads = {row[0]: (row[1], row[2], row[3])
             for row in db.execute("SELECT account_id, sequence, entry_id, entry_hash FROM replica_head")}
    row = db.execute("SELECT requests, newest FROM replica_anonymity").fetchone()
    return heads, (row[0], row[1]) if row else (0, 0)


def synced(*, rebuild: bool = False) -> sqlite3.Connection:
    """The replica, up to date with the ledger as this connection sees it (see the module's docstring);
    ``rebuild`` copies the whole ledger again whatever the replica holds."""
    db = _connection()
    if not rebuild and _replica_state(db) == _ledger_state():
        return db
    db.execute("BEGIN IMMEDIATE")  # one writer at a time; the state is read again under the lock
    try:
        target = _ledger_state()
        current = _replica_state(db)
        if rebuild or current != target:
            _catch_up(db, current, target, rebuild=rebuild)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return db


class Unavailable(Exception):
    """The replica cannot be opened or brought up to date (a full or read-only disk, a lock held too long)."""


def synced_for_search() -> sqlite3.Connection:
    """:func:`synced` for a search: a failure is logged and raised as :class:`Unavailable`, on which the search
    answers from a plain scan of the ledger (slow, but right) instead of an error page."""
    try:
        return synced()
    except (sqlite3.Error, OSError) as error:
        log.exception("ledger search replica unavailable; answering from a plain scan")
        raise Unavailable(str(error)) from error


def _still_in_ledger(account_id: int, head: Head) -> bool:
    sequence, entry_id, entry_hash = head
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, entry_hash FROM funds_ledgerentry WHERE account_id = %s AND sequence = %s",
                       [account_id, sequence])
        row = cursor.fetchone()
    return row is not None and (int(row[0]), str(row[1])) == (entry_id, entry_hash)


def _catch_up(db: sqlite3.Connection, current: State, target: State, *, rebuild: bool) -> None:
    """Bring the replica from ``current`` to ``target``: append what each account lacks, or (``rebuild``, or a
    recorded head no longer in the ledger) copy the whole ledger again."""
    heads, anonymity = current
    wanted_heads, wanted_anonymity = target
    rebuild = rebuild or any(account_id not in wanted_heads or not _still_in_ledger(account_id, head)
                             for account_id, head in heads.items() if wanted_heads.get(account_id) != head)
    if rebuild:
        log.info("ledger search replica %s: rebuilding from the ledger", replica_path().name)
        db.execute("DELETE FROM funds_ledgerentry")
        db.execute("DELETE FROM replica_head")
        db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")  # noqa: S608 - ours
        heads = {}
    for account_id, head in wanted_heads.items():
        after = heads[account_id][0] if account_id in heads else 0
        if after < head[0]:
            _copy(db, account_id, after=after, through=head[0])
        db.execute("INSERT OR REPLACE INTO replica_head (account_id, sequence, entry_id, entry_hash) "
                   "VALUES (?, ?, ?, ?)", [account_id, *head])
    if rebuild or anonymity != wanted_anonymity:
        db.execute("DELETE FROM funds_anonymityrequest")
        db.execute("DELETE FROM replica_anonymity")
        with connection.cursor() as cursor:
            cursor.execute("SELECT entry_id FROM funds_anonymityrequest")
            db.executemany("INSERT OR IGNORE INTO funds_anonymityrequest (entry_id) VALUES (?)", cursor.fetchall())
        db.execute("INSERT INTO replica_anonymity (requests, newest) VALUES (?, ?)", list(wanted_anonymity))


def _copy(db: sqlite3.Connection, account_id: int, *, after: int, through: int) -> None:
    """Copy the entries of ``account_id`` with a sequence in (``after``, ``through``], in chunks along the
    ledger's unique ``(account, sequence)`` index."""
    while after < through:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, account_id, sequence, booked_on, amount, is_anonymous, search_text "
                "FROM funds_ledgerentry WHERE account_id = %s AND sequence > %s AND sequence <= %s "
                "ORDER BY sequence LIMIT %s", [account_id, after, through, COPY_CHUNK])
            rows = cursor.fetchall()
        if not rows:
            return
        db.executemany("INSERT INTO funds_ledgerentry (id, account_id, sequence, booked_on, amount, is_anonymous, "
                       "search_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(i, a, s, day.isoformat(), amount, int(anonymous), text)
                        for i, a, s, day, amount, anonymous, text in rows])
        db.executemany(f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (?, ?)",  # noqa: S608 - ours
                       [(row[0], row[6]) for row in rows if not row[5]])
        after = rows[-1][2]


def sync_quietly() -> None:
    """Bring the replica up to date; a failure is logged, not raised (the next search tries again)."""
    try:
        synced()
    except Exception:  # derived data: the append it follows has committed and stands
        log.exception("ledger search replica: could not bring it up to date; the next search will try again")


def sync_after_commit() -> None:
    """PostgreSQL: bring the replica up to date once the current transaction commits (nothing on SQLite)."""
    if connection.vendor == "postgresql":
        transaction.on_commit(sync_quietly)


def forget_connections() -> None:
    """Close this thread's replica connection (tests that delete the file)."""
    held = getattr(_local, "replica", None)
    if held is not None:
        held[1].close()
        _local.replica = None


def replica_execute(db: sqlite3.Connection, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run SQL written for Django's cursor (``%s`` placeholders) on the replica."""
    return db.execute(sql.replace("%s", "?"), params).fetchall()
