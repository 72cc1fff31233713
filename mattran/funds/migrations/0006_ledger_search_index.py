"""The full-text index of the public ledger search (decision 0010), one per database vendor.

SQLite: a contentless FTS5 table ``funds_ledgerentry_fts`` whose rowid is the entry's id and whose only column
is the entry's ``search_text`` (already folded: lower case, no diacritics, "đ" → "d"). Only entries that are not
anonymous are indexed. ``detail=none`` and ``columnsize=0`` keep it small (the search needs no positions or
lengths); ``prefix='1 2 3 4 5 6'`` lets a word prefix of up to six letters (every Vietnamese syllable but the
rare seven-letter "nghiêng") stream from the index instead of merging every word it begins. It is filled by
:func:`mattran.funds.search.index_new_entries`, which the ledger services call right after their bulk insert
(one ``INSERT … SELECT`` per append: several times cheaper than a per-row trigger, see decision 0010).

PostgreSQL: a stored generated column ``search_words``, the words of ``search_text`` as a ``tsvector``
(``to_tsvector('simple', …)`` after every run of characters that are not letters or digits is turned into one
space, so that the words are the ones FTS5's ``unicode61`` tokenizer sees), and a GIN index on it, partial on
``NOT is_anonymous``. PostgreSQL computes both on insert. The column is not in the Django model (nothing but the
search reads it; inserts name their columns).

Both: an index on ``(amount, id)`` for searches by amount.
"""

from django.db import migrations

FTS_TABLE = "funds_ledgerentry_fts"
# A search for an amount ("500.000") lists the entries of that amount newest first straight from this index.
AMOUNT_INDEX = "CREATE INDEX IF NOT EXISTS funds_entry_amount ON funds_ledgerentry (amount, id)"

SQLITE_FORWARDS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, content='', columnsize=0, detail=none, "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2 3 4 5 6')",
    AMOUNT_INDEX,
    "INSERT INTO funds_ledgerentry_fts (rowid, search_text) SELECT id, search_text FROM funds_ledgerentry "
    "WHERE NOT is_anonymous",
)
SQLITE_BACKWARDS = (f"DROP TABLE IF EXISTS {FTS_TABLE}", "DROP INDEX IF EXISTS funds_entry_amount")

PG_WORDS = r"""to_tsvector('simple'::regconfig, regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g'))"""
PG_FORWARDS = (
    AMOUNT_INDEX,
    # Stored, so that neither the index's recheck nor a filter recomputes it for every row it reads.
    f"ALTER TABLE funds_ledgerentry ADD COLUMN IF NOT EXISTS search_words tsvector "
    f"GENERATED ALWAYS AS ({PG_WORDS}) STORED",
    "CREATE INDEX IF NOT EXISTS funds_entry_search_words ON funds_ledgerentry USING gin (search_words) "
    "WHERE NOT is_anonymous",
)
PG_BACKWARDS = ("DROP INDEX IF EXISTS funds_entry_search_words", "DROP INDEX IF EXISTS funds_entry_amount",
                "ALTER TABLE funds_ledgerentry DROP COLUMN IF EXISTS search_words")


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARDS)
    elif vendor == "postgresql":
        _run(schema_editor, PG_FORWARDS)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARDS)
    elif vendor == "postgresql":
        _run(schema_editor, PG_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("funds", "0005_import_job_unit_attempts")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
