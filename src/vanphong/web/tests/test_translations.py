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


def test_one_english_word_is_not_two_meanings_on_the_core_forms():
    """Once "title" was the position's title everywhere ("Tên chức vụ" on a meeting) and "body" the
    leading body everywhere ("Cơ quan lãnh đạo" on a document's text)."""
    from django.utils import translation

    from vanphong.documents.models import OutgoingDocument
    from vanphong.followup.models import Source
    from vanphong.meetings.models import Meeting, Submission
    from vanphong.org.models import Position

    def label(model, field):
        return str(model._meta.get_field(field).verbose_name)

    with translation.override("vi"):
        assert label(Position, "title") == "tên chức vụ"
        assert {label(Meeting, "title"), label(Submission, "title"), label(Source, "title")} == {"tiêu đề"}
        assert label(OutgoingDocument, "body") == "nội dung văn bản"
        assert label(Meeting, "body") == "cơ quan lãnh đạo"
