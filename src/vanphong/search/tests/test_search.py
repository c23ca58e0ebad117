"""Search over documents: the same assertions run on SQLite and PostgreSQL (CI runs the suite on both)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from vanphong.core.access import visible
from vanphong.documents import incoming as documents_incoming
from vanphong.documents import outgoing as documents_outgoing
from vanphong.documents.models import IncomingDocument, OutgoingDocument
from vanphong.documents.tests.conftest import docx_bytes
from vanphong.search import services
from vanphong.search.models import SearchEntry
from vanphong.search.query import QueryError, parse
from vanphong.testing import today


def titles(office, user, text):
    return [r.title for r in services.search(office.actor(user), text, per_page=100).results]


def plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def corpus(office):
    docs = {
        "nq12": office.register(
            doc_type=office.doc_type("NQ"),
            sender_name="Tỉnh ủy Ngọc Sơn",
            sender_reference="12-NQ/TU",
            summary="Nghị quyết của Tỉnh ủy về đẩy mạnh chuyển đổi số trong các cơ quan Đảng",
        ),
        "ct12": office.register(
            doc_type=office.doc_type("CT"),
            sender_name="Tỉnh uỷ Ngọc Sơn",
            sender_reference="12-CT/TU",
            summary="Chỉ thị về tăng cường công tác tiếp công dân",
        ),
        "ban": office.register(
            sender_reference="5-CV/UBND",
            sender_name="Ủy ban nhân dân tỉnh",
            summary="V/v bán đấu giá tài sản công",
            files=[("to-trinh.docx", docx_bytes("Phương án bán đấu giá trụ sở cũ"))],
        ),
        "ban2": office.register(
            sender_reference="6-CV/UBND",
            sender_name="Ủy ban nhân dân tỉnh",
            summary="V/v bản đồ quy hoạch sử dụng đất",
        ),
        "dang": office.register(
            sender_reference="7-CV/ĐU",
            sender_name="Đảng ủy xã Tân Hòa",
            summary="V/v kiện toàn Ban Thường vụ Đảng ủy xã",
        ),
        "secret": office.register(
            user=office.chief,
            sender_reference="8-CV/BTCTW",
            sender_name="Ban Tổ chức Trung ương",
            summary="V/v nhân sự Ban Thường vụ khóa mới (tài liệu mật)",
            secrecy=2,
        ),
    }
    return docs


def test_words_without_diacritics_find_the_document(office, corpus):
    assert any("12-NQ/TU" in plain(t) for t in titles(office, office.clerk, "nghi quyet 12 tinh uy"))


def test_number_and_symbol_finds_exactly_that_document(office, corpus):
    found = titles(office, office.clerk, "Số 12-NQ/TU")
    assert len(found) == 1 and "12-NQ/TU" in plain(found[0])
    assert len(titles(office, office.clerk, '"12 nq tu"')) == 1


def test_old_and_new_tone_placement_match(office, corpus):
    assert titles(office, office.clerk, "tỉnh uỷ") == titles(office, office.clerk, "tỉnh ủy")
    assert len(titles(office, office.clerk, "tỉnh uỷ")) >= 2


def test_d_stroke_is_folded(office, corpus):
    assert any("Đảng ủy xã" in plain(t) for t in titles(office, office.clerk, "dang uy xa"))


def test_exact_diacritics_rank_first(office, corpus):
    results = titles(office, office.clerk, "bán")
    assert "bán đấu giá" in plain(results[0])
    assert any("bản đồ" in plain(t) for t in results)  # the folded match is still found, below
    results = titles(office, office.clerk, "bản")
    assert "bản đồ" in plain(results[0])


def test_phrases_and_exclusions(office, corpus):
    assert len(titles(office, office.clerk, '"ban thường vụ"')) == 1  # the Mật one is above the clerk
    assert titles(office, office.clerk, "uy ban -dat") == [
        t for t in titles(office, office.clerk, "uy ban") if "đất" not in plain(t)
    ]


def test_filters(office, corpus):
    assert len(titles(office, office.clerk, "tinh loai:NQ")) == 1
    assert len(titles(office, office.chief, "ban domat:toimat")) == 1
    assert titles(office, office.clerk, "tinh nam:1999") == []
    # Type and year narrow the organisation+kind tokens (registry.filter_scope), alone or together.
    dated = SearchEntry.objects.get(kind="incoming", object_id=corpus["nq12"].pk).date
    assert dated is not None
    year = dated.year
    assert titles(office, office.clerk, f"tinh loai:NQ nam:{year}") == titles(
        office, office.clerk, "tinh loai:NQ"
    )
    assert titles(office, office.clerk, f"tinh nam:{year}") == titles(office, office.clerk, "tinh")
    assert titles(office, office.clerk, f"tinh loai:NQ nam:{year - 1}") == []
    assert titles(office, office.clerk, f"tinh loai:CT nam:{year}") != titles(
        office, office.clerk, "tinh loai:NQ"
    )
    assert len(titles(office, office.clerk, 'tai san noigui:"uy ban nhan dan"')) == 1
    with pytest.raises(QueryError):
        parse("nam:hai")


def test_attachment_text_is_searchable_with_a_link_to_the_file(office, corpus):
    results = services.search(office.actor(office.clerk), "tru so cu").results
    assert len(results) == 1
    assert results[0].place == "to-trinh.docx"
    assert results[0].place_url == reverse("documents:attachment", args=[corpus["ban"].attachments.get().pk])
    assert "<mark>trụ</mark> <mark>sở</mark> <mark>cũ</mark>" in results[0].snippet


def test_results_and_counts_are_exactly_what_each_user_may_see(office, corpus):
    office.issued(summary="Nghị quyết về công tác cán bộ")
    office.issued(summary="Kết luận về công tác cán bộ (mật)", secrecy=1, doc_type=office.doc_type("KL"))
    documents_incoming.route_incoming(
        office.actor(office.chief), corpus["secret"], instruction="Xử lý", lead_unit=office.board_unit
    )
    for user in (office.clerk, office.chief, office.specialist, office.board_member, office.secretary):
        actor = office.actor(user)
        # Every incoming title has its arrival year; every issued outgoing one its "/TU" symbol.
        found_in = services.search(actor, f"{today().year} kind:incoming", per_page=1000)
        found_out = services.search(actor, "tu kind:outgoing", per_page=1000)
        expected_in = set(visible(actor, IncomingDocument).values_list("pk", flat=True))
        expected_out = set(visible(actor, OutgoingDocument).values_list("pk", flat=True))
        assert {r.object_id for r in found_in.results} == expected_in, user.username
        assert {r.object_id for r in found_out.results} == expected_out, user.username
        assert (found_in.total, found_out.total) == (len(expected_in), len(expected_out)), user.username
    # The board member sees the Tối mật letter only because it was routed to the board.
    assert any("nhân sự" in plain(t) for t in titles(office, office.board_member, '"nhan su"'))
    assert titles(office, office.specialist, '"nhan su"') == []


def test_another_organisation_sees_nothing(office, corpus, org_b):
    from vanphong.documents.tests.conftest import build_office

    other = build_office(org_b, prefix="b.")
    assert titles(other, other.chief, "tinh") == []


def test_pages_do_not_leak_hidden_documents(office, corpus):
    first = services.search(office.actor(office.specialist), str(today().year), page=1, per_page=2)
    second = services.search(office.actor(office.specialist), str(today().year), page=2, per_page=2)
    visible_count = visible(office.actor(office.specialist), IncomingDocument).count()
    assert first.total == second.total == visible_count
    assert {r.object_id for r in first.results}.isdisjoint({r.object_id for r in second.results})


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
    columns = [name for name in services.ENTRY_COLUMNS if name != "updated_at"]

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

    from vanphong.search.registry import _code, org_kind_token

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


def test_search_page_and_html_escaping(office, corpus, client_for):
    office.register(sender_reference="9-CV/X", summary="Về <script>alert(1)</script> công tác bảo mật")
    page = client_for(office.clerk).get(reverse("search:search"), {"q": "bao mat"}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<mark>bảo</mark>" in page
    specialist_page = (
        client_for(office.specialist).get(reverse("search:search"), {"q": "nhan su"}).content.decode()
    )
    assert "nhân sự" not in specialist_page


def test_engine_under_test():
    # The suite runs on both engines; this line says which one in the report.
    assert connection.vendor in {"sqlite", "postgresql"}


def test_search_api_respects_clearance_and_counts(office, corpus, client):
    from vanphong.accounts.tokens import create_token

    _token, key = create_token(by=None, user=office.specialist, organisation=office.org, name="test")
    response = client.get("/api/v1/search", {"q": "ban thuong vu"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and not body["count_estimated"] and "nhân sự" not in str(body)
    _token, chief_key = create_token(by=None, user=office.chief, organisation=office.org, name="test")
    body = client.get(
        "/api/v1/search", {"q": "ban thuong vu"}, HTTP_AUTHORIZATION=f"Bearer {chief_key}"
    ).json()
    assert body["count"] == 2
    assert client.get("/api/v1/search", {"q": "x"}).status_code == 401
    bad = client.get("/api/v1/search", {"q": "nam:hai"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bad.status_code == 422 and "q" in bad.json()["errors"]


def test_index_does_not_depend_on_the_language_it_was_written_in(office, corpus):
    from django.utils import translation

    with translation.override("en"):
        assert services.check().ok
        place = services.search(office.actor(office.clerk), "tru so cu").results[0].place
    assert place == "to-trinh.docx"
    with translation.override("en"):
        first = services.search(office.actor(office.clerk), "dau gia").results[0]
        assert first.place in {"Summary", "to-trinh.docx"}


def test_beyond_the_window_pages_continue_newest_first_and_the_total_is_estimated(
    office, corpus, monkeypatch
):
    # The newest WINDOW matches are counted and the newest RANKED of them ranked; the others follow
    # newest first. Here 3 are counted and 2 ranked of 5 or more.
    monkeypatch.setattr(services, "WINDOW", 3)
    monkeypatch.setattr(services, "RANKED", 2)
    actor = office.actor(office.specialist)
    expected = set(visible(actor, IncomingDocument).values_list("pk", flat=True))
    assert len(expected) > 3
    seen: list[int] = []
    for page in range(1, 5):
        found = services.search(actor, f"{today().year} kind:incoming", page=page, per_page=2)
        assert found.estimated and found.total >= 3
        seen += [r.object_id for r in found.results]
    assert len(seen) == len(set(seen)) and set(seen) == expected  # every page one slice of one order
    newest_first = sorted(expected, reverse=True)
    assert set(seen[:2]) == set(newest_first[:2]) and seen[2:] == newest_first[2:]
    monkeypatch.setattr(services, "WINDOW", 1000)
    exact = services.search(actor, f"{today().year} kind:incoming")
    assert not exact.estimated and exact.total == len(expected)


def test_the_estimate_follows_the_density_of_the_newest_matches():
    assert services._estimate(1000, oldest=9001, span=(1, 10000)) == 10000  # all of the last 1,000 match
    assert services._estimate(1000, oldest=8001, span=(1, 10000)) == 5000  # one in two
    assert services._estimate(1000, oldest=1, span=(1, 10000)) == 1000


def test_the_estimate_spans_only_the_stretch_where_matches_are(office, monkeypatch):
    for number in range(4):
        office.register(sender_reference=f"{number}-CV/X", summary="Về lịch tiếp dân định kỳ")
    office.register(sender_reference="9-CV/X", summary="Về công tác khác")
    monkeypatch.setattr(services, "WINDOW", 2)
    found = services.search(office.actor(office.clerk), "lich tiep dan")
    assert found.estimated and found.total == 4


def test_estimated_total_is_said_to_be_about(office, corpus, monkeypatch, client_for, client):
    from vanphong.accounts.tokens import create_token

    monkeypatch.setattr(services, "WINDOW", 2)
    page = client_for(office.clerk).get(reverse("search:search"), {"q": str(today().year)}).content.decode()
    assert "Khoảng" in page
    _token, key = create_token(by=None, user=office.clerk, organisation=office.org, name="test")
    body = client.get("/api/v1/search", {"q": str(today().year)}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["count_estimated"] and body["count"] >= 2


def test_date_ranges_are_covered_by_year_month_and_day_tokens(office):
    import datetime

    from vanphong.search.registry import date_cover, date_tokens

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


def test_access_expressions_exclude_only_beside_something_included():
    from vanphong.search.backends import PostgresBackend, SQLiteBackend, simplify
    from vanphong.search.registry import ALL, within_clearance

    expression = simplify(("and", ["zzo1", ("or", [("and", ["zzkincoming", within_clearance(1)])])]))
    assert expression == ("and", ["zzo1", "zzkincoming", ("not", [("or", ["zzs2", "zzs3"])])])
    assert SQLiteBackend()._access(expression) == (
        '((access : "zzo1" AND access : "zzkincoming") NOT ((access : "zzs2" OR access : "zzs3")))'
    )
    assert PostgresBackend()._access(expression) == "('=zzo1' & '=zzkincoming' & !('=zzs2' | '=zzs3'))"
    assert simplify(("and", ["zzo1", within_clearance(3)])) == "zzo1"
    assert simplify(("or", [("and", ["zzo1", ("not", [ALL])]), "zzo2"])) == "zzo2"
    with pytest.raises(ValueError):
        SQLiteBackend()._access(("and", [("not", ["zzs3"])]))


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


def test_ranking_is_bm25_with_exact_diacritics_first_and_the_same_on_both_databases(office):
    office.register(sender_reference="1-CV/A", summary="Về quy hoạch cán bộ và quy hoạch đất")
    office.register(sender_reference="2-CV/A", summary="Về công tác cán bộ")
    office.register(sender_reference="3-CV/A", summary="Về quy hoạch cán bộ")
    office.register(sender_reference="4-CV/A", summary="Về quỹ hoa")
    found = titles(office, office.clerk, "quy hoach")
    # Two occurrences first, then one (newest first among equals); "quỹ hoa" does not match.
    assert [plain(t).split(" · ")[2] for t in found] == ["1-CV/A", "3-CV/A"]
    results = services.search(office.actor(office.clerk), "quy hoach").results
    assert results[0].score > results[1].score > 0


def test_check_reports_a_missing_trigger(office, corpus):
    if connection.vendor != "sqlite":
        assert services.check().problems == []  # a generated column cannot drift from its row
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_entry_fts_insert")
    assert any("search_entry_fts_insert" in problem for problem in services.check().problems)


def test_postgresql_finds_the_newest_and_oldest_matches_whichever_way_it_walks(office, corpus, monkeypatch):
    from vanphong.search import backends
    from vanphong.search.backends import simplify

    # PostgreSQL checks stretches of entries from one end, then asks the GIN index once matches are
    # sparse; whatever the stretches, the answer is the same (SQLite's FTS5 walks its lists in order).
    for number in range(12):
        office.register(sender_reference=f"{number}-CV/Y", summary=f"Về lịch tiếp dân đợt {number}")
    access = simplify(services.access_for(office.actor(office.specialist)) or "")
    assert access
    entries = list(SearchEntry.objects.order_by("id").values_list("id", flat=True))
    for text in ("uy ban nhan dan", "lich tiep dan", '"lich tiep dan dot 3"', str(today().year)):
        selection: backends.Selection = (parse(text).include, [], access, "")
        expected = backends.backend().newest(selection, 1000)
        assert expected and entries[0] <= expected[-1]
        for stretch in (1, 2, 5, 1000):
            monkeypatch.setattr(backends, "FIRST_STRETCH", stretch)
            assert backends.backend().newest(selection, 1000) == expected, (text, stretch)
            below = expected[min(1, len(expected) - 1)]
            assert (
                backends.backend().newest(selection, 3, below=below)
                == expected[expected.index(below) + 1 :][:3]
            )
            assert backends.backend().oldest(selection) == expected[-1], (text, stretch)


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


def test_facets_count_only_what_the_user_may_see_and_narrow_the_query(office, corpus):
    from collections import Counter

    from vanphong.search.query import refine

    office.issued(summary="Nghị quyết về Ủy ban kiểm tra")
    for user in (office.clerk, office.chief, office.specialist):
        actor = office.actor(user)
        found = services.search(actor, "uy", per_page=100)
        assert not found.estimated and found.total == len(found.results) > 1
        facets = {facet.name: facet for facet in found.facets}
        kinds = Counter(r.kind for r in found.results)
        if len(kinds) > 1:
            assert {v.value: v.count for v in facets["kind"].values} == dict(kinds), user.username
        levels = Counter(r.secrecy for r in found.results)
        if "secrecy" in facets:
            assert sum(v.count or 0 for v in facets["secrecy"].values) == found.total
            assert len(levels) > 1
        else:
            assert len(levels) == 1, user.username
        for value in facets["type"].values:  # narrowing by each value finds exactly that many
            narrowed = services.search(actor, refine("uy", "type", value.value), per_page=100)
            assert narrowed.total == value.count, (user.username, value.value)
            assert [v.selected for f in narrowed.facets if f.name == "type" for v in f.values] == [True]
    specialist = services.search(office.actor(office.specialist), "uy", per_page=100)
    assert "secrecy" not in {facet.name for facet in specialist.facets}  # the Tối mật letter is not counted
    assert refine('uy loai:CV "ban thường vụ"', "type", "NQ") == 'uy "ban thường vụ" loai:NQ'
    assert refine("uy nam:2026 type:CV", "type", None) == "uy nam:2026"
    assert refine("uy", "sender", "uy ban") == 'uy noigui:"uy ban"'


def test_beyond_the_window_facets_name_values_without_counts(office, corpus, monkeypatch):
    monkeypatch.setattr(services, "WINDOW", 2)
    found = services.search(office.actor(office.chief), "uy")
    assert found.estimated
    assert all(value.count is None for facet in found.facets for value in facet.values)


def test_suggestions_as_one_types_show_only_what_the_user_may_see(office, corpus, client_for):
    url = reverse("search:suggest")
    chief = plain(client_for(office.chief).get(url, {"q": '"nhan su"'}).content.decode())
    assert "nhân sự" in chief and "Văn bản đến" in chief
    specialist = plain(client_for(office.specialist).get(url, {"q": '"nhan su"'}).content.decode())
    assert "nhân sự" not in specialist and "Không tìm thấy" in specialist
    assert client_for(office.clerk).get(url, {"q": ""}).content.decode().strip() == ""
    assert client_for(office.clerk).get(url, {"q": "nam:hai"}).status_code == 200


def test_search_page_orders_by_date_and_links_facets(office, corpus, client_for):
    page = (
        client_for(office.chief).get(reverse("search:search"), {"q": "uy", "sort": "newest"}).content.decode()
    )
    assert 'aria-current="true">Mới nhất' in page and "loai%3ACV" in page
    assert client_for(office.chief).get(reverse("search:search"), {"q": "uy", "sort": "x"}).status_code == 200


def test_search_api_sorts_and_gives_facets(office, corpus, client):
    from vanphong.accounts.tokens import create_token

    _token, key = create_token(by=None, user=office.chief, organisation=office.org, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = client.get("/api/v1/search", {"q": "uy", "sort": "newest", "per_page": 100}, **auth).json()
    ids = [hit["id"] for hit in body["results"]]
    entries = SearchEntry.objects.filter(object_id__in=ids)
    assert body["results"][0]["kind_label"] == "Văn bản đến"
    assert [e.object_id for e in entries.order_by("-id")] == ids
    types = next(facet for facet in body["facets"] if facet["name"] == "type")
    assert sum(value["count"] for value in types["values"]) == body["count"]
    assert client.get("/api/v1/search", {"q": "uy", "sort": "random"}, **auth).status_code == 422


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


def test_ranking_reads_only_the_head_of_long_texts(office):
    from vanphong.search.services import RANK_CHARS

    report = office.register(
        sender_reference="3-BC/X",
        summary="Báo cáo tổng hợp",
        files=[("bc.docx", docx_bytes("Mở đầu văn bản. " * 400 + "thiên tai lũ quét " * 40))],
    )
    letter = office.register(sender_reference="4-CV/X", summary="Về phòng chống thiên tai")
    results = services.search(office.actor(office.clerk), "thiên tai").results
    # The report mentions it forty times, all beyond the first RANK_CHARS characters: it is found, after
    # the letter whose summary is about it.
    assert [(r.object_id, r.score > 0) for r in results] == [(letter.pk, True), (report.pk, False)]
    entry = SearchEntry.objects.get(kind="incoming", object_id=report.pk)
    assert len(entry.exact) <= RANK_CHARS < len(entry.folded)
    assert entry.exact.split()[-1] in {"mở", "đầu", "văn", "bản"}  # cut between two words


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
