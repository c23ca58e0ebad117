import datetime

import pytest
from django.test import Client
from django.urls import reverse

from vanphong.accounts.models import User
from vanphong.accounts.services import set_membership
from vanphong.testing import TEST_PASSWORD, appoint, make_organisation, make_person, make_position, make_user


def test_vietnamese_by_default_whatever_the_browser_says(org_a, client_for):
    client = client_for(make_user(org_a, "vanthu", roles=["clerk"]))
    page = client.get(reverse("org:people"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"
    assert "Danh bạ cán bộ" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("org:people"))
    assert "People directory" in page.content.decode()


def test_sign_in_is_throttled_after_repeated_failures(org_a):
    make_user(org_a, "vanthu", roles=["clerk"])
    client = Client()
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "vanthu", "password": "sai"})
        assert response.status_code == 200
    assert client.post(reverse("login"), {"username": "vanthu", "password": "sai"}).status_code == 429
    locked = client.post(reverse("login"), {"username": "vanthu", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(org_a, settings):
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[1:]  # the production list, without the test hasher
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user(org_a, "vanthu", roles=["clerk"])
    assert user.password.startswith("argon2")


def test_signed_in_user_without_organisation_sees_why(db, client_for):
    user = User.objects.create_user("lac", password=TEST_PASSWORD)
    response = client_for(user).get(reverse("org:people"))
    assert response.status_code == 403
    assert "chưa thuộc tổ chức nào" in response.content.decode()


def test_switching_organisation_changes_what_is_shown(org_a, org_b, client_for):
    make_person(org_a, "Nguyễn Văn Ân")
    make_person(org_b, "Trần Thị Bé")
    user = make_user(org_a, "chuyenvien", roles=["specialist"])
    set_membership(by=None, user=user, organisation=org_b, roles=["specialist"])
    client = client_for(user)
    page = client.get(reverse("org:people")).content.decode()
    assert "Nguyễn Văn Ân" in page and "Trần Thị Bé" not in page
    client.post(reverse("switch_organisation"), {"organisation": org_b.pk, "next": reverse("org:people")})
    page = client.get(reverse("org:people")).content.decode()
    assert "Trần Thị Bé" in page and "Nguyễn Văn Ân" not in page


def test_cannot_switch_into_an_organisation_one_is_not_member_of(org_a, org_b, client_for):
    make_person(org_b, "Trần Thị Bé")
    client = client_for(make_user(org_a, "chuyenvien", roles=["specialist"]))
    client.post(reverse("switch_organisation"), {"organisation": org_b.pk})
    assert "Trần Thị Bé" not in client.get(reverse("org:people")).content.decode()


def test_people_directory_is_in_vietnamese_order_and_finds_names_without_diacritics(org_a, client_for):
    for name in (
        "Nguyễn Văn Bảo",
        "Trần Thị Ánh",
        "Lê Minh An",
        "Đỗ Thị Hằng",
        "Đặng Văn Đạt",
        "Vũ Thị Dung",
    ):
        make_person(org_a, name)
    client = client_for(make_user(org_a, "vanthu", roles=["clerk"]))
    page = client.get(reverse("org:people")).content.decode()
    order = ["Lê Minh An", "Trần Thị Ánh", "Nguyễn Văn Bảo", "Vũ Thị Dung", "Đặng Văn Đạt", "Đỗ Thị Hằng"]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)
    found = client.get(reverse("org:people"), {"q": "dang van dat"}).content.decode()
    assert "Đặng Văn Đạt" in found and "Đỗ Thị Hằng" not in found
    partial = client.get(reverse("org:people"), {"q": "hang"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Đỗ Thị Hằng" in partial


def test_position_history_lists_every_holder_in_order(org_a, client_for):
    post = make_position(org_a, "Chánh Văn phòng Huyện ủy")
    start = datetime.date(1959, 4, 1)
    for index in range(22):
        person = make_person(org_a, f"Nguyễn Văn Thứ{chr(0x61 + index)}")
        end = datetime.date(1962 + index * 3, 3, 31)
        appoint(post, person, start, end)
        start = end + datetime.timedelta(days=1)
    client = client_for(make_user(org_a, "vanthu", roles=["clerk"]))
    page = client.get(reverse("org:position", kwargs={"pk": post.pk})).content.decode()
    assert page.count("Nguyễn Văn Thứ") == 22
    assert page.index("Thứa") < page.index("Thứv")
    assert "01/04/1959" in page


def test_office_chief_records_a_holder_and_a_clash_is_explained(org_a, client_for):
    post = make_position(org_a, "Chánh Văn phòng")
    first = make_person(org_a, "Nguyễn Văn An")
    second = make_person(org_a, "Trần Thị Bình")
    appoint(post, first, datetime.date(2020, 1, 1))
    client = client_for(make_user(org_a, "chanhvp", roles=["office_chief"]))
    url = reverse("org:position", kwargs={"pk": post.pk})
    response = client.post(url, {"person": second.pk, "start_date": "2024-01-01"})
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode() and "01/01/2024" in response.content.decode()
    assert post.holdings.count() == 1
    clerk = client_for(make_user(org_a, "vanthu", roles=["clerk"]))
    assert clerk.post(url, {"person": second.pk, "start_date": "2019-01-01"}).status_code == 403


def test_person_form_saves_through_the_service(org_a, client_for):
    client = client_for(make_user(org_a, "chanhvp", roles=["office_chief"]))
    response = client.post(
        reverse("org:person_new"),
        {"family_name": " Hoàng ", "middle_name": "Thị  Thu", "given_name": "Hà", "is_active": "on"},
    )
    assert response.status_code == 302
    from vanphong.org.models import Person

    person = Person.objects.get()
    assert person.full_name == "Hoàng Thị Thu Hà"
    assert person.organisation == org_a


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/core/organisation/", "/admin/documents/documenttype/", "/admin/org/person/"]
)
def test_admin_is_for_deployment_administrators_only(org_a, client_for, path):
    org_admin = make_user(org_a, "quantri", roles=["administrator"])
    org_admin.is_staff = True
    org_admin.save()
    assert client_for(org_admin).get(path).status_code == 302
    superuser = make_user(org_a, "root", roles=["administrator"], superuser=True)
    assert client_for(superuser).get(path).status_code == 200


def test_commune_office_is_its_own_tenant(db, client_for):
    province = make_organisation("tinh", "TU")
    commune = make_organisation("xa", "ĐU", level="commune", parent=province, name="Đảng ủy xã Tân Hòa")
    make_person(province, "Nguyễn Văn Tỉnh")
    client = client_for(make_user(commune, "vanthu.xa", roles=["clerk"]))
    assert "Nguyễn Văn Tỉnh" not in client.get(reverse("org:people")).content.decode()


def test_language_can_be_chosen_before_signing_in(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Sign in" in client.get(reverse("login")).content.decode()


def test_error_pages_are_in_vietnamese_and_say_nothing_of_the_object(org_a, org_b, client_for):
    secret = make_person(org_b, "Trần Văn Mật")
    client = client_for(make_user(org_a, "vanthu", roles=["clerk"]))
    page = client.get(reverse("org:person", kwargs={"pk": secret.pk}))
    assert page.status_code == 404
    body = page.content.decode()
    assert "Không tìm thấy" in body and "Trần Văn Mật" not in body
    forbidden = client.get(reverse("org:person_edit", kwargs={"pk": make_person(org_a, "Lê An").pk}))
    assert forbidden.status_code == 403 and "Không được phép" in forbidden.content.decode()


def test_the_menu_counts_the_users_unread_notifications_in_this_organisation(org_a, org_b, client_for):
    from vanphong.followup.models import Notification

    user = make_user(org_a, "vanthu", roles=["clerk"])
    other = make_user(org_a, "chanhvp", roles=["office_chief"])
    for org, owner in ((org_a, user), (org_a, user), (org_a, other), (org_b, user)):
        Notification.objects.create(organisation=org, user=owner, text="Nhiệm vụ sắp đến hạn")
    client = client_for(user)
    assert '<span class="badge"' in (page := client.get(reverse("home")).content.decode())
    assert 'title="chưa đọc">2</span>' in page
    client.post(reverse("followup:notifications"))
    assert '<span class="badge"' not in client.get(reverse("home")).content.decode()


def test_no_answer_is_kept_by_browsers_or_proxies(org_a, client_for):
    """Pages, exports, generated documents and the API may all carry secret content."""
    from vanphong.accounts.tokens import create_token
    from vanphong.documents.tests.conftest import build_office

    office = build_office(org_a)
    incoming = office.register(secrecy=1)
    draft = office.draft()
    clerk = client_for(office.clerk)
    pages = [
        reverse("documents:incoming", args=[incoming.pk]),
        reverse("documents:incoming_register") + "?export=xlsx",
        reverse("documents:outgoing_file", args=[draft.pk, "docx"]),
        reverse("search:search") + "?q=bao+cao",
        reverse("home"),
    ]
    for url in pages:
        response = clerk.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    _token, key = create_token(by=None, user=office.clerk, organisation=office.org, name="test")
    api = Client().get(
        f"/api/v1/documents/incoming/{incoming.pk}", headers={"Authorization": f"Bearer {key}"}
    )
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
