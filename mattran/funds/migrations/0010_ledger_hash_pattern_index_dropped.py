"""PostgreSQL: the ledger's ``entry_hash_…_like`` index is dropped.

Django gives every unique ``CharField`` on PostgreSQL a second B-tree with ``varchar_pattern_ops``, for ``LIKE
'abc%'`` lookups. Nothing looks an entry hash up by prefix: receipts and proofs use equality, which the unique
index serves. The second index cost every import a second random-keyed B-tree of 64-character keys: 0.5 s per
200,361 rows, measured by inserting the same hashes into a table with and without it (decision 0009).
SQLite has no such index.
"""

from django.db import migrations

INDEX = "funds_ledgerentry_entry_hash_0fab8012_like"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON funds_ledgerentry "
                              "(entry_hash varchar_pattern_ops)", params=None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0009_pg_word_index_moved_to_replica")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
