"""``manage.py verify_ledger``: exit 0 on a sound ledger, exit 1 naming the first bad entry."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mattran.funds.models import LedgerEntry
from mattran.funds.services import ledger_append
from mattran.funds.tests.factories import ReceivingAccountFactory, statement_rows, tamper

pytestmark = pytest.mark.django_db


def test_sound_ledger_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(8))
    call_command("verify_ledger")
    call_command("verify_ledger", "--account", account.number)
    assert "toàn vẹn" in capsys.readouterr().out


def test_tampered_row_exits_one_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    account = ReceivingAccountFactory(number="0011001932418")
    ledger_append(actor=None, account=account, rows=statement_rows(8))
    target = LedgerEntry.objects.get(sequence=5)
    tamper("UPDATE funds_ledgerentry SET memo_raw = 'KHAC' WHERE id = %s", [target.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger", "--account", "0011001932418")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"bút toán số 5 (mã {target.pk})" in err and "0011001932418" in err


def test_unknown_account_is_an_error() -> None:
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("verify_ledger", "--account", "999")
