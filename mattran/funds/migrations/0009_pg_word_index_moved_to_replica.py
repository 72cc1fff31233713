"""PostgreSQL: the ledger's GIN word index and its generated ``search_words`` column are dropped. Text searches on a
PostgreSQL deployment run on an FTS5 replica of the index kept beside the application
(``mattran/funds/search_replica.py``, decision 0018), which hands matches out newest first and stops at the
count's cap, where GIN built every intersection whole. SQLite keeps its FTS5 table (nothing changes there).

Going back re-creates the column and the index as migration 0006 made them.
"""

from django.db import migrations

PG_FORWARDS = (
    "DROP INDEX IF EXISTS funds_entry_search_words",
    "ALTER TABLE funds_ledgerentry DROP COLUMN IF EXISTS search_words",
)
PG_WORDS = r"""to_tsvector('simple'::regconfig, regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g'))"""
PG_BACKWARDS = (
    f"ALTER TABLE funds_ledgerentry ADD COLUMN IF NOT EXISTS search_words tsvector "
    f"GENERATED ALWAYS AS ({PG_WORDS}) STORED",
    "CREATE INDEX IF NOT EXISTS funds_entry_search_words ON funds_ledgerentry USING gin (search_words) "
    "WHERE NOT is_anonymous",
)


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, PG_FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, PG_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("funds", "0008_ledger_account_index_dropped")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
