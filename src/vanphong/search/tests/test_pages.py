"""The search page, its suggestions and the API: escaping, counts said to be estimates, order and facets."""

from __future__ import annotations

from django.urls import reverse

from vanphong.search import engine, services
from vanphong.search.models import SearchEntry
from vanphong.testing import today


def test_search_page_and_html_escaping(office, corpus, client_for):
    office.register(sender_reference="9-CV/X", summary="Về <script>alert(1)</script> công tác bảo mật")
    page = client_for(office.clerk).get(reverse("search:search"), {"q": "bao mat"}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<mark>bảo</mark>" in page
    specialist_page = (
        client_for(office.specialist).get(reverse("search:search"), {"q": "nhan su"}).content.decode()
    )
    assert "nhân sự" not in specialist_page


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


def test_estimated_total_is_said_to_be_about(office, corpus, monkeypatch, client_for, client):
    from vanphong.accounts.tokens import create_token

    monkeypatch.setattr(engine, "WINDOW", 2)
    page = client_for(office.clerk).get(reverse("search:search"), {"q": str(today().year)}).content.decode()
    assert "Khoảng" in page
    _token, key = create_token(by=None, user=office.clerk, organisation=office.org, name="test")
    body = client.get("/api/v1/search", {"q": str(today().year)}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["count_estimated"] and body["count"] >= 2


def test_beyond_the_window_facets_name_values_without_counts(office, corpus, monkeypatch):
    monkeypatch.setattr(engine, "WINDOW", 2)
    found = services.search(office.actor(office.chief), "uy")
    assert found.estimated
    assert all(value.count is None for facet in found.facets for value in facet.values)


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
