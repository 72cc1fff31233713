"""The two real public statements (../shared/data/statements/): counts, totals and the Agribank garbled rows.

Skipped when the folder is absent, except under CI=true, where the folder exists and a skip would hide a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mattran.funds.statements.donors import extract_donor, mask_memo
from mattran.funds.statements.formats import read_statement
from mattran.funds.statements.reconcile import apply_repairs, check_balances, totals

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "statements"
VCB = DATA / "vcb_0011001932418_2024-09-01_2024-09-10.csv.gz"
AGRIBANK = DATA / "agribank_1500201113838_2024-09-01_2024-09-12.csv.gz"


@pytest.fixture(scope="module")
def real_files():
    if not (VCB.exists() and AGRIBANK.exists()):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have the real statements in {DATA}")
        pytest.skip(f"real statements not found in {DATA}")
    return {"vcb": read_statement(VCB), "agribank": read_statement(AGRIBANK)}


def test_vietcombank_file_reads_whole_with_the_readme_credit_total(real_files):
    result = real_files["vcb"]
    assert result.ok
    assert len(result.rows) == 200_361
    summary = totals(result.rows)
    assert summary.credit_total == 135_081_775_728
    assert [d.day for d in summary.by_day] == list(range(1, 11))
    assert len({r.row_key for r in result.rows}) == 200_361


def test_agribank_file_yields_the_five_garbled_rows_and_the_balance_implied_total(real_files):
    result = real_files["agribank"]
    assert result.ok
    assert len(result.rows) == 42_493
    assert totals(result.rows).credit_total == 43_551_407_197
    breaks = check_balances(result.rows)
    assert [(b.line, b.repair) for b in breaks] == [
        (10694, 100_000), (21430, 100_000), (26776, 200_000), (32980, 1_000_000), (35412, 300_000),
    ]
    repaired = totals(apply_repairs(result.rows, breaks))
    assert repaired.credit_total == 43_553_107_197
    assert check_balances(apply_repairs(result.rows, breaks)) == []


def test_masking_and_donor_extraction_hold_over_every_real_memo(real_files):
    named = 0
    for result in real_files.values():
        for row in result.rows:
            masked = mask_memo(row.memo)
            assert len(masked) == len(row.memo)
            named += extract_donor(row.memo) is not None
    assert named > 100_000
