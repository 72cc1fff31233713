"""Vietnamese is the default; the English catalogue is complete and its compiled file is current."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def test_every_english_message_is_translated_and_not_fuzzy() -> None:
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 40


def test_the_compiled_catalogue_matches_the_source() -> None:
    po = {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete}
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(LOCALE / "django.mo"))}
    assert mo == po, "run: django-admin compilemessages (or polib's save_as_mofile) after editing django.po"


@pytest.mark.django_db
def test_the_portal_speaks_english_when_chosen(client) -> None:  # type: ignore[no-untyped-def]
    assert "Trang chủ" in client.get("/tin-tuc/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/tin-tuc/"})
    html = client.get("/tin-tuc/").content.decode()
    assert "Home" in html and "Skip to main content" in html
    assert '<html lang="en">' in html
