"""The ledger's index on ``account_id`` alone is dropped: the unique ``(account, sequence)`` index begins with the
account and serves every lookup by account, and each import paid for keeping both (decision 0009).

Only the index is dropped (``SeparateDatabaseAndState``): the ``AlterField`` Django would run rebuilds the whole
table on SQLite, which would also lose the indexes that migration 0006 created in SQL.
"""

import django.db.models.deletion
from django.db import migrations, models

# The name Django gave the foreign key's index (the same on SQLite and PostgreSQL).
INDEX = "funds_ledgerentry_account_id_f2daa14e"


class Migration(migrations.Migration):
    dependencies = [("funds", "0007_receipts_and_anonymity_append_only_trigger")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ledgerentry",
                    name="account",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="entries", to="funds.receivingaccount",
                                            verbose_name="tài khoản"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {INDEX}",
                                  reverse_sql=f"CREATE INDEX IF NOT EXISTS {INDEX} ON funds_ledgerentry (account_id)"),
            ],
        ),
    ]
