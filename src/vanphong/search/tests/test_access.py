"""Search shows exactly what each user may see: results, counts, pages, facets, suggestions, and the
access expressions behind them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vanphong.core.access import visible
from vanphong.documents import incoming as documents_incoming
from vanphong.documents.models import IncomingDocument, OutgoingDocument
from vanphong.search import services
from vanphong.search.tests.conftest import plain, titles
from vanphong.testing import today


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


def test_access_expressions_exclude_only_beside_something_included():
    from vanphong.core.searchable import ALL, within_clearance
    from vanphong.search.backends.base import simplify
    from vanphong.search.backends.postgresql import PostgresBackend
    from vanphong.search.backends.sqlite import SQLiteBackend

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


def test_suggestions_as_one_types_show_only_what_the_user_may_see(office, corpus, client_for):
    url = reverse("search:suggest")
    chief = plain(client_for(office.chief).get(url, {"q": '"nhan su"'}).content.decode())
    assert "nhân sự" in chief and "Văn bản đến" in chief
    specialist = plain(client_for(office.specialist).get(url, {"q": '"nhan su"'}).content.decode())
    assert "nhân sự" not in specialist and "Không tìm thấy" in specialist
    assert client_for(office.clerk).get(url, {"q": ""}).content.decode().strip() == ""
    assert client_for(office.clerk).get(url, {"q": "nam:hai"}).status_code == 200
