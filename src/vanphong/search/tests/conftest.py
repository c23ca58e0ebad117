"""The documents' office, and a small corpus of documents to search."""

import pytest

from vanphong.documents.tests.conftest import docx_bytes, office  # noqa: F401  (the documents' office fixture)
from vanphong.search import services


def titles(office, user, text):  # noqa: F811  (an office made by the fixture)
    return [r.title for r in services.search(office.actor(user), text, per_page=100).results]


def plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def corpus(office):  # noqa: F811  (the fixture imported above)
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
