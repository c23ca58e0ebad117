"""The Vietnamese catalogue is complete and the compiled .mo matches it (run `make messages` to update)."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_vietnamese_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    mo = {entry.msgid: entry for entry in polib.mofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.mo"))}
    for entry in po.translated_entries():
        assert entry.msgid in mo, f"{entry.msgid!r} is not compiled: run make messages"
        compiled = mo[entry.msgid]
        assert (compiled.msgstr or compiled.msgstr_plural.get(0)) == (
            entry.msgstr or entry.msgstr_plural.get(0)
        )
