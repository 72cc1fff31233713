"""Statement import: all or nothing, idempotent, reconciled, checkpointed; and the ``import_statement`` command."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mattran.funds import importing
from mattran.funds.importing import ImportRefused, statement_import
from mattran.funds.models import DayCheckpoint, LedgerEntry, ReceivingAccount
from mattran.funds.services import verify_ledger
from mattran.funds.statements.formats import read_statement
from mattran.funds.tests.factories import ReceivingAccountFactory, tamper

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
VCB_CUT = FIXTURES / "vcb_cut.csv"
AGRIBANK_CUT = FIXTURES / "agribank_cut.csv"
VCB_NUMBER = "0011001932418"
AGRIBANK_NUMBER = "1500201113838"
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "statements"
VCB_FULL = DATA / "vcb_0011001932418_2024-09-01_2024-09-10.csv.gz"


def _vcb_account() -> ReceivingAccount:
    return ReceivingAccountFactory(number=VCB_NUMBER, holder_name="MAT TRAN TO QUOC VN - BAN CUU TRO TW")


def _ledger_state() -> tuple[int, int, int]:
    return LedgerEntry.objects.count(), DayCheckpoint.objects.count(), ReceivingAccount.objects.count()


def _split_by_day(tmp_path: Path) -> tuple[Path, Path, int]:
    """Two overlapping cuts of the Vietcombank fixture: days 1–3, and days 3–10 (day 3 in both, whole)."""
    lines = VCB_CUT.read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    first = [ln for ln in body if ln.split(",")[1] <= "03/09/2024"]
    second = [ln for ln in body if ln.split(",")[1] >= "03/09/2024"]
    a, b = tmp_path / "vcb_a.csv", tmp_path / "vcb_b.csv"
    a.write_text(header + "".join(first), encoding="utf-8")
    b.write_text(header + "".join(second), encoding="utf-8")
    only_b = sum(1 for ln in second if ln.split(",")[1] != "03/09/2024")
    return a, b, only_b


def test_fixture_imports_whole_with_checkpoints_and_a_sound_ledger() -> None:
    account = _vcb_account()
    rows = read_statement(VCB_CUT).rows
    report = statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT])
    assert (report.rows_read, report.added, report.already_present) == (len(rows), len(rows), 0)
    assert report.breaks == []
    assert LedgerEntry.objects.filter(account=account).count() == len(rows)
    assert sum(d.credit_total for d in report.by_day.values()) == sum(r.amount for r in rows if r.amount > 0)
    # Every day but the last: the statement may have ended in the middle of it (decision 0009).
    *closed, last = report.by_day
    assert report.open_days == [last] and report.checkpoints_created == len(closed)
    assert sorted(DayCheckpoint.objects.filter(account=account).values_list("day", flat=True)) == closed
    entry = LedgerEntry.objects.get(account=account, sequence=1)
    assert (entry.source, entry.source_ref, entry.memo_raw) == ("statement", rows[0].row_key, rows[0].memo)
    assert LedgerEntry.objects.exclude(donor_name="").exists()
    assert verify_ledger().ok


def test_reimport_adds_nothing() -> None:
    _vcb_account()
    statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT])
    before = _ledger_state()
    again = statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT])
    assert (again.added, again.already_present, again.checkpoints_created) == (0, again.rows_read, 0)
    assert again.checkpoint_mismatches == []
    assert _ledger_state() == before
    assert verify_ledger().ok


def test_overlapping_statement_adds_only_the_new_rows(tmp_path: Path) -> None:
    _vcb_account()
    first, second, only_second = _split_by_day(tmp_path)
    one = statement_import(actor=None, account_number=VCB_NUMBER, paths=[first])
    two = statement_import(actor=None, account_number=VCB_NUMBER, paths=[second])
    assert two.added == only_second and two.already_present == two.rows_read - only_second > 0
    assert LedgerEntry.objects.count() == one.added + only_second == len(read_statement(VCB_CUT).rows)
    assert two.checkpoint_mismatches == []
    assert verify_ledger().ok


def test_unknown_account_is_refused_without_bank_and_holder() -> None:
    with pytest.raises(ImportRefused, match=r"Chưa có tài khoản nhận số 0011001932418\..*--bank"):
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT])
    assert _ledger_state() == (0, 0, 0)


def test_bank_and_holder_register_an_account_and_must_agree_with_a_known_one() -> None:
    report = statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT], bank="vietcombank",
                              holder="Ban Cứu trợ Trung ương")
    assert report.account_created
    account = ReceivingAccount.objects.get(number=VCB_NUMBER)
    assert (account.bank_name, account.bank_bin) == ("Vietcombank", "970436")
    again = statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT], bank="Vietcombank",
                             holder="BAN CUU TRO  TRUNG UONG")
    assert not again.account_created and again.added == 0
    with pytest.raises(ImportRefused, match="chủ tài khoản"):
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT], bank="Vietcombank",
                         holder="Người khác")
    with pytest.raises(ImportRefused, match="đã đăng ký ở ngân hàng"):
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT], bank="BIDV", holder="X")
    with pytest.raises(ImportRefused, match="mã BIN"):
        statement_import(actor=None, account_number="123456789", paths=[VCB_CUT], bank="Ngân hàng lạ", holder="X")


def test_a_file_named_for_another_account_is_refused(tmp_path: Path) -> None:
    _vcb_account()
    other = tmp_path / "vcb_0011009999999_2024-09-01.csv"
    shutil.copy(VCB_CUT, other)
    with pytest.raises(ImportRefused, match="0011009999999"):
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[other])
    assert LedgerEntry.objects.count() == 0


def test_bad_rows_refuse_every_file_with_a_row_level_report(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    _vcb_account()
    lines = VCB_CUT.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("02/09/2024", "31/02/2024", 1).replace("01/09/2024", "31/02/2024", 1)
    assert ",,3.000,," in lines[5]
    lines[5] = lines[5].replace(",,3.000,,", ",,3.0O0,,")
    bad = tmp_path / "bad.csv.gz"
    with gzip.open(bad, "wt", encoding="utf-8", newline="") as out:
        out.write("".join(lines))
    with pytest.raises(ImportRefused) as refused:
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT, bad])
    errors = refused.value.errors
    assert errors[0].file == "bad.csv.gz" and errors[0].line == 4
    assert (errors[0].column, errors[0].value) == ("TNXDate", "31/02/2024") and "Ngày" in errors[0].reason
    assert (errors[1].line, errors[1].column, errors[1].value) == (6, "Credit", "3.0O0")
    assert "Số tiền" in errors[1].reason
    assert _ledger_state() == (0, 0, 1)

    with pytest.raises(SystemExit) as exit_info:
        call_command("import_statement", "--account", VCB_NUMBER, str(VCB_CUT), str(bad))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "bad.csv.gz" in err and "31/02/2024" in err and "TNXDate" in err and "Lý do" in err
    assert _ledger_state() == (0, 0, 1)


def test_garbled_agribank_rows_are_repaired_and_reported(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_statement", "--account", AGRIBANK_NUMBER, "--bank", "Agribank", "--holder",
                 "Ủy ban Trung ương MTTQ Việt Nam", str(AGRIBANK_CUT))
    out = capsys.readouterr().out
    assert "vừa đăng ký" in out and "Thêm mới" in out and "dòng/giây" in out
    assert "(đã sửa 5)" in out and "dòng 26: số tiền đọc được 0 bị lỗi, đã sửa thành 100.000" in out
    assert "cần kiểm tra" in out  # the seams of the cut are breaks a person must look at
    rows = read_statement(AGRIBANK_CUT).rows
    report_total = sum(LedgerEntry.objects.values_list("amount", flat=True))
    assert report_total == sum(r.amount for r in rows) + 1_700_000
    assert verify_ledger().ok


def test_a_killed_import_leaves_the_ledger_unchanged_and_the_next_run_completes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _vcb_account()
    real_append = importing.ledger_append

    def dies_halfway(*, actor: Any, account: ReceivingAccount, rows: Any, **kwargs: Any) -> Any:
        real_append(actor=actor, account=account, rows=list(rows)[:10])
        assert LedgerEntry.objects.count() == 10  # written, inside the import's transaction
        raise KeyboardInterrupt  # what the process sees of a kill; kill -9 never commits either

    monkeypatch.setattr(importing, "ledger_append", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT])
    assert LedgerEntry.objects.count() == 0 and DayCheckpoint.objects.count() == 0

    monkeypatch.setattr(importing, "ledger_append", real_append)
    report = statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT])
    assert report.added == report.rows_read == LedgerEntry.objects.count()
    assert verify_ledger().ok


def test_command_prints_the_table_and_reimport_reports_already_present(
        capsys: pytest.CaptureFixture[str]) -> None:
    _vcb_account()
    call_command("import_statement", "--account", VCB_NUMBER, "--format", "vcb_community_csv", str(VCB_CUT))
    call_command("import_statement", "--account", VCB_NUMBER, str(VCB_CUT))
    out = capsys.readouterr().out
    n = len(read_statement(VCB_CUT).rows)
    assert f"Số dòng đọc: {n}" in out and f"Đã có sẵn trong sổ quỹ: {n}" in out and "01/09/2024" in out


def test_both_real_statements_import_with_the_readme_totals_add_nothing_twice_and_verify() -> None:
    """Issue 4, first "Done when" point, on the real files of ../shared/data/statements (see its README)."""
    agribank_full = DATA / "agribank_1500201113838_2024-09-01_2024-09-12.csv.gz"
    if not (VCB_FULL.exists() and agribank_full.exists()):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have the real statements in {DATA}")
        pytest.skip(f"real statements not found in {DATA}")
    vcb = statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_FULL], bank="Vietcombank",
                           holder="MAT TRAN TO QUOC VN - BAN CUU TRO TW")  # its speed: make bench
    assert vcb.account_created and vcb.added == vcb.rows_read == 200_361 and vcb.breaks == []
    assert sum(d.credit_total for d in vcb.by_day.values()) == 135_081_775_728
    assert len(vcb.by_day) == 10 and DayCheckpoint.objects.count() == 9
    assert vcb.open_days == [dt.date(2024, 9, 10)]  # the export may have ended mid-day (decision 0009)

    agribank = statement_import(actor=None, account_number=AGRIBANK_NUMBER, paths=[agribank_full],
                                bank="Agribank", holder="Ủy ban Trung ương MTTQ Việt Nam")
    assert agribank.added == agribank.rows_read == 42_493
    assert [(b.brk.line, b.brk.repair) for b in agribank.breaks] == [
        (10694, 100_000), (21430, 100_000), (26776, 200_000), (32980, 1_000_000), (35412, 300_000)]
    assert all(b.repaired for b in agribank.breaks)
    assert sum(d.credit_total for d in agribank.by_day.values()) == 43_553_107_197  # the balance-implied total
    assert sum(LedgerEntry.objects.filter(account=agribank.account, amount__gt=0)
               .values_list("amount", flat=True)) == 43_553_107_197

    counts = _ledger_state()
    for number, path in ((VCB_NUMBER, VCB_FULL), (AGRIBANK_NUMBER, agribank_full)):
        again = statement_import(actor=None, account_number=number, paths=[path])
        assert again.added == 0 and again.already_present == again.rows_read
    assert _ledger_state() == counts
    assert verify_ledger().ok

    target = LedgerEntry.objects.get(account=agribank.account, sequence=21_430)
    tamper("UPDATE funds_ledgerentry SET amount = amount + 1000000 WHERE id = %s", [target.pk])
    result = verify_ledger()
    assert not result.ok and result.first_bad_entry is not None and result.first_bad_entry.pk == target.pk
    assert f"bút toán số 21430 (mã {target.pk})" in result.message and AGRIBANK_NUMBER in result.message


def test_progress_reports_every_phase_and_the_report_serialises_to_json() -> None:
    _vcb_account()
    calls: list[tuple[str, int, int]] = []
    report = statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT],
                              progress=lambda phase, done, total: calls.append((phase, done, total)))
    phases = [phase for phase, _, _ in calls]
    assert sorted(set(phases), key=phases.index) == list(importing.PHASES)
    for phase in importing.PHASES:
        mine = [(done, total) for p, done, total in calls if p == phase]
        assert mine[-1][0] == mine[-1][1] > 0 and all(0 <= d <= t for d, t in mine)
        assert [d for d, _ in mine] == sorted(d for d, _ in mine)
    assert ("Ghi sổ", report.added, report.added) in calls

    data = json.loads(json.dumps(report.as_dict()))
    assert (data["rows_read"], data["added"], data["already_present"]) == (report.rows_read, report.added, 0)
    assert data["account"]["number"] == VCB_NUMBER and data["files"][0]["file"] == VCB_CUT.name
    assert [d["day"] for d in data["by_day"]] == [d.isoformat() for d in report.by_day]
    assert sum(d["credit_total"] for d in data["by_day"]) == sum(d.credit_total for d in report.by_day.values())
    assert data["checkpoints"]["created"] == report.checkpoints_created


def test_refusals_and_breaks_serialise_to_json(tmp_path: Path) -> None:
    _vcb_account()
    lines = VCB_CUT.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace(",,3.000,,", ",,3.0O0,,")
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[bad])
    data = json.loads(json.dumps(refused.value.as_dict()))
    assert data["message"] == refused.value.message
    assert data["errors"] == [{"file": "bad.csv", "line": 6, "column": "Credit", "value": "3.0O0",
                               "reason": refused.value.errors[0].reason}]

    report = statement_import(actor=None, account_number=AGRIBANK_NUMBER, paths=[AGRIBANK_CUT], bank="Agribank",
                              holder="Ủy ban Trung ương MTTQ Việt Nam")
    breaks = json.loads(json.dumps(report.as_dict()))["breaks"]
    assert len(breaks) == len(report.breaks) and sum(b["repaired"] for b in breaks) == 5
    repaired = next(b for b in breaks if b["line"] == 26)
    assert (repaired["file"], repaired["parsed_amount"], repaired["repair"]) == (AGRIBANK_CUT.name, 0, 100_000)


def _cut_mid_day(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Three exports of the fixture: up to the middle of 03/09 (an export taken at noon), the rest of 03/09
    onwards, and 03/09 through 10/09 whole (overlapping both)."""
    lines = VCB_CUT.read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    third = [i for i, ln in enumerate(body) if ln.split(",")[1] == "03/09/2024"]
    noon = third[len(third) // 2]
    paths = tmp_path / "vcb_noon.csv", tmp_path / "vcb_after.csv", tmp_path / "vcb_overlap.csv"
    for path, part in zip(paths, (body[:noon], body[noon:], body[third[0]:]), strict=True):
        path.write_text(header + "".join(part), encoding="utf-8")
    return paths


def test_an_export_ending_mid_day_leaves_that_day_open_until_a_later_import(tmp_path: Path) -> None:
    account = _vcb_account()
    noon, after, overlap = _cut_mid_day(tmp_path)
    first = statement_import(actor=None, account_number=VCB_NUMBER, paths=[noon])
    assert first.open_days == [dt.date(2024, 9, 3)]
    assert sorted(DayCheckpoint.objects.values_list("day", flat=True)) == [dt.date(2024, 9, 1), dt.date(2024, 9, 2)]
    assert verify_ledger().ok

    # The overlapping export repeats the morning of 03/09 and brings its afternoon and the days after.
    second = statement_import(actor=None, account_number=VCB_NUMBER, paths=[overlap])
    assert second.already_present == len(read_statement(noon).rows) - sum(
        1 for r in read_statement(noon).rows if r.booked_on < dt.date(2024, 9, 3))
    assert second.checkpoint_mismatches == [] and second.open_days == [dt.date(2024, 9, 10)]
    day3 = DayCheckpoint.objects.get(account=account, day=dt.date(2024, 9, 3))
    assert day3.entry_count == sum(1 for r in read_statement(VCB_CUT).rows if r.booked_on == dt.date(2024, 9, 3))
    assert LedgerEntry.objects.count() == len(read_statement(VCB_CUT).rows)
    assert verify_ledger().ok

    # The third export adds nothing; nothing changes.
    before = _ledger_state()
    third = statement_import(actor=None, account_number=VCB_NUMBER, paths=[after])
    assert third.added == 0 and third.checkpoint_mismatches == [] and _ledger_state() == before
    assert verify_ledger().ok


def test_complete_through_closes_the_last_day_and_late_rows_for_a_closed_day_are_refused(tmp_path: Path) -> None:
    _vcb_account()
    noon, after, _ = _cut_mid_day(tmp_path)
    report = statement_import(actor=None, account_number=VCB_NUMBER, paths=[noon],
                              complete_through=dt.date(2024, 9, 3))
    assert report.open_days == [] and DayCheckpoint.objects.filter(day=dt.date(2024, 9, 3)).exists()
    before = _ledger_state()
    # Someone said 03/09 was complete; the afternoon's rows now arrive: refused whole, ledger unchanged.
    with pytest.raises(ImportRefused, match=r"đã chốt sổ ngày 03/09/2024") as refused:
        statement_import(actor=None, account_number=VCB_NUMBER, paths=[after])
    assert "Sổ quỹ không thay đổi" in refused.value.message
    assert _ledger_state() == before
    assert verify_ledger().ok


def test_command_complete_through_and_progress(capsys: pytest.CaptureFixture[str]) -> None:
    _vcb_account()
    call_command("import_statement", "--account", VCB_NUMBER, "--complete-through", "2024-09-10", "--progress",
                 str(VCB_CUT))
    out = capsys.readouterr().out
    n = len(read_statement(VCB_CUT).rows)
    assert f"Ghi sổ {n}/{n}" in out and "Chốt ngày 7/7" in out and "Chưa chốt" not in out
    assert DayCheckpoint.objects.count() == 7
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_statement", "--account", VCB_NUMBER, "--complete-through", "10/09/2024", str(VCB_CUT))
