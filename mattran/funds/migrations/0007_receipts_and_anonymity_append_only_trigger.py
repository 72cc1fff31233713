"""On PostgreSQL, refuse UPDATE and DELETE on cash receipts and anonymity requests in the database itself, as
migration 0002 does for the ledger and the day checkpoints (same trigger function). SQLite relies on the model
and queryset guards (``AppendOnlyModel``)."""

from django.db import migrations

TABLES = ("funds_cashreceipt", "funds_anonymityrequest")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
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


class Migration(migrations.Migration):
    dependencies = [("funds", "0006_ledger_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
