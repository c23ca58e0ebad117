"""Finding documents: words with or without diacritics, phrases, filters, ranking, the window of newest
matches and the estimate beyond it; the same assertions run on SQLite and PostgreSQL (CI runs both)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from vanphong.core.access import visible
from vanphong.documents.models import IncomingDocument
from vanphong.documents.tests.conftest import docx_bytes
from vanphong.search import engine, services
from vanphong.search.models import SearchEntry
from vanphong.search.query import QueryError, parse
from vanphong.search.tests.conftest import plain, titles
from vanphong.testing import today


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
    # Type and year narrow the organisation+kind tokens (index_tokens.filter_scope), alone or together.
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


def test_engine_under_test():
    # The suite runs on both engines; this line says which one in the report.
    assert connection.vendor in {"sqlite", "postgresql"}


def test_beyond_the_window_pages_continue_newest_first_and_the_total_is_estimated(
    office, corpus, monkeypatch
):
    # The newest WINDOW matches are counted and the newest RANKED of them ranked; the others follow
    # newest first. Here 3 are counted and 2 ranked of 5 or more.
    monkeypatch.setattr(engine, "WINDOW", 3)
    monkeypatch.setattr(engine, "RANKED", 2)
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
    monkeypatch.setattr(engine, "WINDOW", 1000)
    exact = services.search(actor, f"{today().year} kind:incoming")
    assert not exact.estimated and exact.total == len(expected)


def test_the_estimate_follows_the_density_of_the_newest_matches():
    assert engine.estimate(1000, oldest=9001, span=(1, 10000)) == 10000  # all of the last 1,000 match
    assert engine.estimate(1000, oldest=8001, span=(1, 10000)) == 5000  # one in two
    assert engine.estimate(1000, oldest=1, span=(1, 10000)) == 1000


def test_the_estimate_spans_only_the_stretch_where_matches_are(office, monkeypatch):
    for number in range(4):
        office.register(sender_reference=f"{number}-CV/X", summary="Về lịch tiếp dân định kỳ")
    office.register(sender_reference="9-CV/X", summary="Về công tác khác")
    monkeypatch.setattr(engine, "WINDOW", 2)
    found = services.search(office.actor(office.clerk), "lich tiep dan")
    assert found.estimated and found.total == 4


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


def test_postgresql_finds_the_newest_and_oldest_matches_whichever_way_it_walks(office, corpus, monkeypatch):
    from vanphong.search.backends import backend, postgresql
    from vanphong.search.backends.base import Selection, simplify

    # PostgreSQL checks stretches of entries from one end, then asks the GIN index once matches are
    # sparse; whatever the stretches, the answer is the same (SQLite's FTS5 walks its lists in order).
    for number in range(12):
        office.register(sender_reference=f"{number}-CV/Y", summary=f"Về lịch tiếp dân đợt {number}")
    access = simplify(engine.access_for(office.actor(office.specialist)) or "")
    assert access
    entries = list(SearchEntry.objects.order_by("id").values_list("id", flat=True))
    for text in ("uy ban nhan dan", "lich tiep dan", '"lich tiep dan dot 3"', str(today().year)):
        selection: Selection = (parse(text).include, [], access, "")
        expected = backend().newest(selection, 1000)
        assert expected and entries[0] <= expected[-1]
        for stretch in (1, 2, 5, 1000):
            monkeypatch.setattr(postgresql, "FIRST_STRETCH", stretch)
            assert backend().newest(selection, 1000) == expected, (text, stretch)
            below = expected[min(1, len(expected) - 1)]
            assert backend().newest(selection, 3, below=below) == expected[expected.index(below) + 1 :][:3]
            assert backend().oldest(selection) == expected[-1], (text, stretch)


def test_ranking_reads_only_the_head_of_long_texts(office):
    from vanphong.search.ranking import RANK_CHARS

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
