"""The Vietnamese catalogue is complete and the compiled .mo matches it (run `make messages` to update)."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_vietnamese_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    mofile = polib.mofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.mo"))
    mo = {(entry.msgctxt, entry.msgid): entry for entry in mofile}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in mo, f"{entry.msgid!r} is not compiled: run make messages"
        compiled = mo[key]
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


def test_meeting_states_read_as_states_with_a_capital_and_not_as_the_dates_of_the_same_word():
    from django.utils import translation

    from vanphong.meetings.models import MeetingStatus, ScheduleStatus, SubmissionStatus

    with translation.override("vi"):
        assert [str(s.label) for s in (MeetingStatus.HELD, MeetingStatus.IN_SESSION)] == [
            "Đã họp",
            "Đang họp",
        ]
        assert str(SubmissionStatus.SUBMITTED.label) == "Đã trình"  # not "Ngày trình", the date's label
        assert str(ScheduleStatus.APPROVED.label) == "Đã duyệt"  # not "Ngày duyệt"
