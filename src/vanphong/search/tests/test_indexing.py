"""Keeping the index in step with the data: changes, bulk writes, reindex, check, the migrations of
earlier formats, and the tokens written."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from vanphong.documents import incoming as documents_incoming
from vanphong.documents import outgoing as documents_outgoing
from vanphong.documents.models import IncomingDocument, OutgoingDocument
from vanphong.documents.tests.conftest import docx_bytes
from vanphong.search import indexing, services
from vanphong.search.models import SearchEntry
from vanphong.search.tests.conftest import plain, titles


def test_index_follows_changes_in_the_same_transaction(office, corpus):
    doc = corpus["ct12"]
    documents_incoming.cancel_incoming(office.actor(office.clerk), doc, reason="Vào sổ nhầm")
    assert len(titles(office, office.clerk, "chi thi trangthai:cancelled")) == 1
    draft = office.draft(summary="Dự thảo kế hoạch kiểm tra giám sát")
    assert len(titles(office, office.specialist, "kiem tra giam sat")) == 1
    draft.summary = "Dự thảo kế hoạch tuyên truyền"
    documents_outgoing.save_draft(office.actor(office.specialist), draft)
    assert titles(office, office.specialist, "kiem tra giam sat") == []
    OutgoingDocument.objects.filter(pk=draft.pk).delete()
    assert not SearchEntry.objects.filter(kind="outgoing", object_id=draft.pk).exists()


def test_check_finds_a_stale_entry_and_reindex_repairs_it(office, corpus):
    out = io.StringIO()
    call_command("search", "check", stdout=out, stderr=io.StringIO())
    assert "matches the data" in out.getvalue()
    SearchEntry.objects.filter(object_id=corpus["nq12"].pk, kind="incoming").update(title="sửa tay")
    with pytest.raises(CommandError):
        call_command("search", "check", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("search", "reindex", stdout=io.StringIO())
    call_command("search", "check", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("search", "reindex", "--kind", "incoming", "--workers", "0", stdout=out)
    assert f"Indexed {IncomingDocument.objects.count()} objects." in out.getvalue()
    with pytest.raises(CommandError, match="Unknown kind incomming"):
        call_command("search", "reindex", "--kind", "incomming", stdout=io.StringIO())


def test_reindex_in_worker_processes_writes_the_same_entries_as_serial(office, corpus):
    columns = [name for name in indexing.ENTRY_COLUMNS if name != "updated_at"]

    def snapshot():
        return sorted(SearchEntry.objects.values_list(*columns))

    SearchEntry.objects.all().delete()
    forked = services.reindex(workers=2, batch=2)  # several batches in flight
    in_workers = snapshot()
    assert forked == len(in_workers) >= len(corpus)
    assert services.reindex(workers=0) == forked
    assert snapshot() == in_workers
    found = services.search(office.actor(office.clerk), "chuyen doi so").results
    assert [(r.kind, r.object_id) for r in found] == [("incoming", corpus["nq12"].pk)]
    assert services.check().ok


def test_while_deferred_entries_are_written_without_the_fulltext_index_which_is_then_rebuilt(office, corpus):
    from vanphong.search.backends import backend

    def schema():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_tsv'")
            else:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            return cursor.fetchall()

    before = schema()
    assert before
    with backend().deferred():
        assert schema() == [] and backend().problems()
        late = office.register(sender_reference="8-KH/X", summary="Kế hoạch phòng chống thiên tai")
    assert schema() == before and backend().problems() == []
    found = services.search(office.actor(office.clerk), "phong chong thien tai").results
    assert [(r.kind, r.object_id) for r in found] == [("incoming", late.pk)]
    assert services.check().ok


def test_entries_of_the_earlier_format_get_their_scope_tokens_from_the_migration(office, corpus):
    import importlib

    from django.apps import apps as django_apps

    from vanphong.search.index_tokens import _code, org_kind_token

    migration = importlib.import_module("vanphong.search.migrations.0004_scope_tokens")
    for entry in SearchEntry.objects.all():  # as migration 0003 left them: one type token, no narrowing
        scope = org_kind_token(entry.organisation_id, entry.kind)
        kept = [t for t in entry.access.split() if not t.startswith(scope) or t == scope]
        entry.access = " ".join(sorted([*kept, *([f"zzt{_code(entry.doc_type)}"] if entry.doc_type else [])]))
        entry.save(update_fields=["access"])
    assert not services.check().ok
    assert titles(office, office.clerk, "tinh loai:NQ") == []
    migration.add_scope_tokens(django_apps, None)
    assert services.check().ok
    assert len(titles(office, office.clerk, "tinh loai:NQ")) == 1


def test_index_does_not_depend_on_the_language_it_was_written_in(office, corpus):
    from django.utils import translation

    with translation.override("en"):
        assert services.check().ok
        place = services.search(office.actor(office.clerk), "tru so cu").results[0].place
    assert place == "to-trinh.docx"
    with translation.override("en"):
        first = services.search(office.actor(office.clerk), "dau gia").results[0]
        assert first.place in {"Summary", "to-trinh.docx"}


def test_date_ranges_are_covered_by_year_month_and_day_tokens(office):
    import datetime

    from vanphong.search.index_tokens import date_cover, date_tokens

    low, high = datetime.date(2024, 12, 30), datetime.date(2026, 2, 3)
    cover = set(date_cover(low, high))
    assert cover == {
        "zzd20241230",
        "zzd20241231",
        "zzy2025",
        "zzm202601",
        "zzd20260201",
        "zzd20260202",
        "zzd20260203",
    }
    day = datetime.date(2024, 12, 1)
    while day <= datetime.date(2026, 3, 31):
        assert bool(cover & set(date_tokens(day))) == (low <= day <= high), day
        day += datetime.timedelta(days=1)
    for date in (datetime.date(2025, 12, 31), datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)):
        office.register(sender_reference=f"{date.day}-CV/X", summary="Về lịch tiếp dân", document_date=date)
    clerk = office.clerk
    assert len(titles(office, clerk, "lich tiep dan tu:2025-12-31 den:2026-01-01")) == 2
    assert len(titles(office, clerk, "lich tiep dan tu:01/01/2026")) == 2
    assert len(titles(office, clerk, "lich tiep dan den:2025-12-31")) == 1
    assert len(titles(office, clerk, "lich tiep dan nam:2026 den:2026-01-30")) == 1
    assert titles(office, clerk, "lich tiep dan nam:2025 tu:2026-01-01") == []


def test_cached_tokens_and_fast_highlighting_equal_the_plain_ones():
    from vanphong.search.text import WORD, _matches, exact_words, fold_word, folded_words, highlight, tokens

    texts = [
        "Tỉnh uỷ Hoà Bình: Nghị quyết số 12-NQ/TU — ĐẢNG ỦY xã Đồng Tâm",
        "Đoàn kết \u0111\u1ea3ng vi\u00ean",  # precomposed
        "Đoàn ke\u0301t đa\u0309ng — – … 10:30",  # decomposed marks
        "Ελληνικά ΑΣ Tiếng Việt ǅ İstanbul",  # other scripts
        "",
    ]
    for text in texts:
        assert tokens(text) == (" ".join(folded_words(text)), " ".join(exact_words(text)))
        assert tokens(text) == tokens(text)  # from the cache
        for words in ({"dang", "ket"}, {"uy", "12"}, {"istanbul"}, {"ας", "viet"}):
            slow = [m.span() for m in WORD.finditer(text) if fold_word(m.group()) in words]
            assert _matches(text, frozenset(words)) == slow, (text, words)
    long = "Mở đầu. " * 1000 + "Kết luận về <b>đảng viên</b> mới " + "phần cuối " * 100
    snippet, found = highlight(long, {"dang", "vien"})
    assert found and snippet.startswith("… ") and snippet.endswith(" …")
    assert (
        "<mark>đảng</mark> <mark>viên</mark>" in snippet and "&lt;b&gt;" in snippet and "<b>" not in snippet
    )


def test_check_reports_a_missing_trigger(office, corpus):
    if connection.vendor != "sqlite":
        assert services.check().problems == []  # a generated column cannot drift from its row
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_entry_fts_insert")
    assert any("search_entry_fts_insert" in problem for problem in services.check().problems)


def test_a_full_reindex_orders_entries_by_date_across_kinds_and_edits_keep_their_place(office):
    import datetime

    D = datetime.date
    for day in (D(2026, 5, 4), D(2024, 1, 9), D(2025, 7, 1)):
        office.register(sender_reference=f"{day.day}-CV/X", summary="Về lịch tiếp dân", document_date=day)
    for day in (D(2025, 2, 3), D(2026, 1, 5)):
        office.issued_back_then(day, summary="Về lịch tiếp dân định kỳ")
    services.reindex()
    entries = list(SearchEntry.objects.order_by("id").values_list("id", "kind", "object_id", "date"))
    dates = [date for *_rest, date in entries]
    assert None not in dates and dates == sorted(date for date in dates if date is not None)
    assert {kind for _id, kind, *_rest in entries} == {"incoming", "outgoing"}
    ids = {(kind, object_id): entry_id for entry_id, kind, object_id, _date in entries}

    oldest = IncomingDocument.objects.get(document_date=D(2024, 1, 9))
    documents_incoming.cancel_incoming(office.actor(office.clerk), oldest, reason="Vào sổ nhầm")
    services.reindex(["incoming"])
    after = dict(((k, o), i) for i, k, o in SearchEntry.objects.values_list("id", "kind", "object_id"))
    assert after == ids  # updated in place, not moved to the newest end
    assert SearchEntry.objects.get(kind="incoming", object_id=oldest.pk).status == "cancelled"

    newest = services.search(office.actor(office.chief), "lich tiep dan", order="newest").results
    assert [r.date for r in newest] == sorted((r.date for r in newest), reverse=True)
    assert len(newest) == 5


def test_a_huge_annex_is_saved_and_indexed_up_to_what_both_databases_can_index(office):
    from vanphong.search.text import MAX_WORD

    # A statistical annex: 160,000 distinct figures would make PostgreSQL refuse the whole document
    # ("string is too long for tsvector"). The text is indexed up to that limit on both databases.
    figures = " ".join(str(1_000_000 + n) for n in range(160_000))
    annex = f"Phụ lục số liệu thống kê {figures} {'x' * (MAX_WORD + 1)} kết thúc phụ lục"
    doc = office.register(
        sender_reference="77-BC/CTK", summary="Báo cáo niên giám", files=[("phu-luc.docx", docx_bytes(annex))]
    )
    assert doc.attachments.get().text.count(" ") > 160_000
    found = titles(office, office.clerk, "phu luc so lieu 1000007")
    assert len(found) == 1 and "niên giám" in plain(found[0])
    assert titles(office, office.clerk, "1159999") == []  # beyond the limit, on both databases
    assert titles(office, office.clerk, "ket thuc phu luc") == []
    assert services.check().ok


def test_entries_of_the_earlier_format_get_bounded_streams_from_the_migration(office):
    import importlib

    from django.apps import apps as django_apps

    from vanphong.search.text import exact_words, folded_words

    migration = importlib.import_module("vanphong.search.migrations.0005_bounded_streams")
    long = "Mở đầu văn bản. " * 400 + "mã " + "7" * 70
    doc = office.register(sender_reference="5-BC/X", summary="Báo cáo", files=[("a.docx", docx_bytes(long))])
    entry = SearchEntry.objects.get(kind="incoming", object_id=doc.pk)
    text = f"{entry.title} Báo cáo {long}"
    # As the earlier code wrote them: whole streams, overlong words included.
    entry.folded, entry.exact = " ".join(folded_words(text)), " ".join(exact_words(text))
    entry.save(update_fields=["folded", "exact"])
    assert not services.check().ok and titles(office, office.clerk, "7" * 70)
    migration.bound_streams(django_apps, None)
    assert services.check().ok and titles(office, office.clerk, "7" * 70) == []
    assert titles(office, office.clerk, "mo dau van ban")
