"""On PostgreSQL, refuse UPDATE and DELETE on the ledger and the day checkpoints in the database itself.

SQLite is left to the model and queryset guards (and the unique/check constraints): a trigger there would also
block the test that tampers with a row on purpose to prove that ``verify_ledger`` catches it. On PostgreSQL that
test disables the trigger first (``ALTER TABLE … DISABLE TRIGGER``), which needs the table owner — exactly the
privilege an attacker with direct database access would also need, and which the hash chain then exposes.
"""

from django.db import migrations

TABLES = ("funds_ledgerentry", "funds_daycheckpoint")

FUNCTION = """
CREATE OR REPLACE FUNCTION funds_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Sổ quỹ chỉ được ghi thêm (% trên %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: RAISE uses a literal %
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION funds_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS funds_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_ledger")]

    operations = [migrations.RunPython(forwards, backwards)]
