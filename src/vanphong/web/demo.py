"""A fictional province for the demo: Tỉnh ủy Ngọc Sơn, three commune committees, an agency committee
and the dissolved Huyện ủy Thanh Bình with the history of its office chiefs since 1959.

Every name of an organisation or person here is invented. Rows are made through the real services,
so the demo also exercises validation and the audit log.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module

from vanphong.accounts.models import Membership, RoleCode
from vanphong.accounts.services import create_user
from vanphong.core.access import Actor
from vanphong.core.models import Clearance, Organisation, OrganisationLevel
from vanphong.core.services import create_organisation
from vanphong.core.text import split_full_name
from vanphong.org import services
from vanphong.org.models import (
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    Person,
    Position,
    PositionHolding,
    Term,
    Unit,
)

D = datetime.date
PROVINCE_CODE = "tu-ngoc-son"
# Modules that add their own demo data through `build_demo(province, communes)`, in this order.
DEMO_MODULES = ["vanphong.meetings.demo", "vanphong.followup.demo", "vanphong.petitions.demo"]
DEMO_PASSWORD = "vanphong-demo"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Võ",
    "Phan",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Lương",
    "Đinh",
    "Lò",
    "Vi",
    "Hà",
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Ngọc", "Đình"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Thị Hồng", "Thị Thanh", "Ngọc", "Thị Kim"]
GIVEN_M = [
    "An",
    "Bảo",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hưng",
    "Lộc",
    "Thịnh",
]
GIVEN_F = [
    "Anh",
    "Bích",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngân",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Uyên",
    "Yến",
    "Ánh",
]


@dataclass
class DemoLogin:
    username: str
    organisation: str
    roles: list[str]
    clearance: str


class _Names:
    """Deterministic, realistic and distinct Vietnamese names."""

    def __init__(self, seed: int = 1959) -> None:
        self.random = random.Random(seed)
        self.used: set[str] = set()

    def next(self) -> tuple[str, str]:
        while True:
            gender = self.random.choice("mf")
            middle = self.random.choice(MIDDLE_M if gender == "m" else MIDDLE_F)
            given = self.random.choice(GIVEN_M if gender == "m" else GIVEN_F)
            name = f"{self.random.choice(FAMILY)} {middle} {given}"
            if name not in self.used:
                self.used.add(name)
                return name, gender


class DemoBuilder:
    def __init__(self) -> None:
        self.names = _Names()
        self.logins: list[DemoLogin] = []

    # -- helpers ---------------------------------------------------------------------------------
    def person(
        self,
        org: Organisation,
        unit: Unit | None = None,
        job: str = "",
        name: str | None = None,
        active: bool = True,
        born: int | None = None,
    ) -> Person:
        if name is None:
            name, gender = self.names.next()
        else:
            gender = "f" if " Thị " in f" {name} " else "m"
        family, middle, given = split_full_name(name)
        born = born or self.names.random.randint(1966, 1995)
        person = Person(
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            unit=unit,
            job_title=job,
            is_active=active,
            birth_year=born,
            phone=f"0{self.names.random.randint(200000000, 999999999)}" if active else "",
        )
        return services.save_person(Actor.system_for(org), person)

    def units(self, org: Organisation, specs: list[tuple[str, str, str]]) -> dict[str, Unit]:
        actor = Actor.system_for(org)
        made: dict[str, Unit] = {}
        for order, (key, name, kind) in enumerate(specs):
            parent = made.get(key.split("/")[0]) if "/" in key else None
            made[key] = services.save_unit(
                actor,
                Unit(name=name, kind=kind, parent=parent, order=order, short_name=key.split("/")[-1].upper()),
            )
        return made

    def body(
        self, org: Organisation, term: Term, kind: str, name: str, members: Sequence[tuple[Person, str]]
    ) -> Body:
        actor = Actor.system_for(org)
        body = services.save_body(actor, Body(term=term, kind=kind, name=name))
        for person, role in members:
            end = term.end_date
            services.save_body_membership(
                actor,
                BodyMembership(body=body, person=person, role=role, start_date=term.start_date, end_date=end),
            )
        return body

    def history(
        self, org: Organisation, position: Position, holders: Sequence[tuple[str, D, D | None]]
    ) -> None:
        actor = Actor.system_for(org)
        for name, start, end in holders:
            person = self.person(org, name=name, active=end is None, born=start.year - 40)
            services.save_holding(
                actor, PositionHolding(position=position, person=person, start_date=start, end_date=end)
            )

    def user(
        self,
        org: Organisation,
        username: str,
        person: Person,
        roles: list[str],
        clearance: int,
        superuser: bool = False,
    ) -> None:
        user = create_user(
            by=None,
            username=username,
            password=DEMO_PASSWORD,
            organisation=org,
            roles=roles,
            clearance=clearance,
            full_name=person.full_name,
            check_password=False,
            superuser=superuser,
        )
        person.user = user
        services.save_person(Actor.system_for(org), person)
        self.logins.append(DemoLogin(username, org.short_name, roles, str(Clearance(clearance).label)))

    # -- the province ----------------------------------------------------------------------------
    def build(self) -> list[DemoLogin]:
        province = create_organisation(
            by=None,
            code=PROVINCE_CODE,
            name="Tỉnh ủy Ngọc Sơn",
            short_name="Tỉnh ủy Ngọc Sơn",
            symbol="TU",
            level=OrganisationLevel.PROVINCE,
            place_name="Ngọc Sơn",
            parent_body_name="ĐẢNG BỘ TỈNH NGỌC SƠN",
            active_from=D(1976, 1, 1),
        )
        units = self.units(
            province,
            [
                ("vp", "Văn phòng Tỉnh ủy", "office"),
                ("vp/th", "Phòng Tổng hợp", "office"),
                ("vp/hc", "Phòng Hành chính – Lưu trữ", "office"),
                ("vp/tc", "Phòng Tài chính – Quản trị", "office"),
                ("btc", "Ban Tổ chức Tỉnh ủy", "board"),
                ("btgdv", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "board"),
                ("bnc", "Ban Nội chính Tỉnh ủy", "board"),
                ("bcs", "Ban Chính sách, chiến lược Tỉnh ủy", "board"),
                ("ubkt", "Cơ quan Ủy ban Kiểm tra Tỉnh ủy", "inspection"),
                ("dbqs", "Đảng bộ Quân sự tỉnh", "subcommittee"),
                ("dbca", "Đảng bộ Công an tỉnh", "subcommittee"),
            ],
        )
        leaders = [
            self.person(province, units["vp"], "Bí thư Tỉnh ủy", "Hoàng Quang Thịnh", born=1968),
            self.person(
                province, units["vp"], "Phó Bí thư Thường trực Tỉnh ủy", "Lê Thị Thu Hằng", born=1972
            ),
            self.person(
                province, units["vp"], "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", "Vi Văn Lộc", born=1970
            ),
        ]
        office_chief = self.person(
            province, units["vp"], "Chánh Văn phòng Tỉnh ủy", "Đặng Minh Khánh", born=1975
        )
        deputies = [self.person(province, units["vp"], "Phó Chánh Văn phòng Tỉnh ủy") for _ in range(3)]
        staff = {
            key: [self.person(province, units[key], "Chuyên viên") for _ in range(count)]
            for key, count in (
                ("vp/th", 5),
                ("vp/hc", 4),
                ("vp/tc", 3),
                ("btc", 4),
                ("btgdv", 3),
                ("bnc", 3),
                ("bcs", 3),
                ("ubkt", 4),
            )
        }
        heads = [
            self.person(province, units[key], title)
            for key, title in (
                ("btc", "Trưởng Ban Tổ chức Tỉnh ủy"),
                ("btgdv", "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy"),
                ("bnc", "Trưởng Ban Nội chính Tỉnh ủy"),
                ("bcs", "Trưởng Ban Chính sách, chiến lược Tỉnh ủy"),
                ("ubkt", "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy"),
                ("dbqs", "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh"),
                ("dbca", "Giám đốc Công an tỉnh"),
            )
        ]
        others = [self.person(province, None, "Ủy viên Ban Chấp hành Đảng bộ tỉnh") for _ in range(8)]

        previous = services.save_term(
            Actor.system_for(province),
            Term(name="Khóa XVI, nhiệm kỳ 2020–2025", start_date=D(2020, 10, 16), end_date=D(2025, 10, 14)),
        )
        current = services.save_term(
            Actor.system_for(province), Term(name="Khóa XVII, nhiệm kỳ 2025–2030", start_date=D(2025, 10, 15))
        )
        standing = [
            (leaders[0], BodyRole.SECRETARY),
            (leaders[1], BodyRole.STANDING_DEPUTY),
            (leaders[2], BodyRole.DEPUTY),
        ]
        btv = standing + [(p, BodyRole.MEMBER) for p in [office_chief, *heads[:6]]]
        bch = btv + [(p, BodyRole.MEMBER) for p in [*heads[6:], *others, *deputies[:1]]]
        for term, suffix in ((previous, "khóa XVI"), (current, "khóa XVII")):
            self.body(province, term, BodyKind.STANDING_BOARD, f"Thường trực Tỉnh ủy {suffix}", standing)
            self.body(province, term, BodyKind.STANDING, f"Ban Thường vụ Tỉnh ủy {suffix}", btv)
            self.body(province, term, BodyKind.EXECUTIVE, f"Ban Chấp hành Đảng bộ tỉnh {suffix}", bch)

        actor = Actor.system_for(province)
        chief_post = services.save_position(
            actor, Position(title="Chánh Văn phòng Tỉnh ủy", unit=units["vp"])
        )
        self.history(
            province,
            chief_post,
            [
                ("Trần Văn Thọ", D(1976, 2, 1), D(1984, 5, 31)),
                ("Nguyễn Đình Hòe", D(1984, 6, 1), D(1991, 12, 31)),
                ("Lương Văn Chất", D(1992, 1, 1), D(1999, 3, 31)),
                ("Phạm Thị Nguyệt", D(1999, 4, 1), D(2006, 8, 31)),
                ("Đinh Công Tráng", D(2006, 9, 1), D(2013, 10, 31)),
                ("Hà Văn Quyết", D(2013, 11, 1), D(2020, 11, 30)),
            ],
        )
        services.save_holding(
            actor, PositionHolding(position=chief_post, person=office_chief, start_date=D(2020, 12, 1))
        )
        deputy_post = services.save_position(
            actor, Position(title="Phó Chánh Văn phòng Tỉnh ủy", unit=units["vp"], seats=3, order=1)
        )
        for deputy in deputies:
            services.save_holding(
                actor, PositionHolding(position=deputy_post, person=deputy, start_date=D(2021, 3, 1))
            )
        for order, (title, person) in enumerate(
            [("Bí thư Tỉnh ủy", leaders[0]), ("Phó Bí thư Thường trực Tỉnh ủy", leaders[1])], start=2
        ):
            post = services.save_position(actor, Position(title=title, order=order))
            services.save_holding(
                actor, PositionHolding(position=post, person=person, start_date=D(2020, 10, 16))
            )

        # Users, one per role, with different clearances.
        self.user(
            province,
            "admin",
            staff["vp/hc"][0],
            [RoleCode.ADMINISTRATOR],
            Clearance.TUYET_MAT,
            superuser=True,
        )
        self.user(province, "chanhvp", office_chief, [RoleCode.OFFICE_CHIEF], Clearance.TOI_MAT)
        self.user(province, "vanthu", staff["vp/hc"][1], [RoleCode.CLERK], Clearance.MAT)
        self.user(province, "chuyenvien", staff["vp/th"][0], [RoleCode.SPECIALIST], Clearance.NONE)
        self.user(province, "uyvien", heads[0], [RoleCode.COMMITTEE_MEMBER], Clearance.TOI_MAT)
        self.user(
            province,
            "bithu",
            leaders[0],
            [RoleCode.STANDING_LEADER, RoleCode.COMMITTEE_MEMBER],
            Clearance.TUYET_MAT,
        )
        self.user(province, "tiepdan", staff["vp/th"][1], [RoleCode.RECEPTION_OFFICER], Clearance.MAT)
        self.user(province, "taichinh", staff["vp/tc"][0], [RoleCode.FINANCE_OFFICER], Clearance.NONE)
        self.user(province, "luutru", staff["vp/hc"][2], [RoleCode.ARCHIVIST], Clearance.MAT)
        self.user(province, "kiemtra", staff["ubkt"][0], [RoleCode.INSPECTION_READER], Clearance.TOI_MAT)

        communes = [
            self.commune(province, *spec)
            for spec in (
                ("dux-tan-hoa", "Đảng ủy xã Tân Hòa", "Tân Hòa", "ĐẢNG BỘ XÃ TÂN HÒA"),
                ("duph-binh-minh", "Đảng ủy phường Bình Minh", "Bình Minh", "ĐẢNG BỘ PHƯỜNG BÌNH MINH"),
                ("dudk-hon-ngoc", "Đảng ủy đặc khu Hòn Ngọc", "Hòn Ngọc", "ĐẢNG BỘ ĐẶC KHU HÒN NGỌC"),
            )
        ]
        create_organisation(
            by=None,
            code="du-cac-co-quan-dang",
            name="Đảng ủy các cơ quan Đảng tỉnh Ngọc Sơn",
            short_name="Đảng ủy các cơ quan Đảng tỉnh",
            symbol="ĐU",
            level=OrganisationLevel.AGENCY,
            place_name="Ngọc Sơn",
            parent=province,
            parent_body_name="ĐẢNG BỘ TỈNH NGỌC SƠN",
            active_from=D(2025, 2, 1),
        )
        self.district(province)
        # A specialist of the province office also serves Tân Hòa: the organisation switcher shows both.
        from vanphong.accounts.models import User
        from vanphong.accounts.services import set_membership

        set_membership(
            by=None,
            user=User.objects.get(username="chuyenvien"),
            organisation=communes[0],
            roles=[RoleCode.SPECIALIST],
            clearance=Clearance.NONE,
        )
        DemoDocuments(province, communes[0]).build()
        for module in DEMO_MODULES:
            import_module(module).build_demo(province, communes)
        return self.logins

    def commune(self, province: Organisation, code: str, name: str, place: str, heading: str) -> Organisation:
        org = create_organisation(
            by=None,
            code=code,
            name=name,
            short_name=name,
            symbol="ĐU",
            level=OrganisationLevel.COMMUNE,
            place_name=place,
            parent=province,
            parent_body_name=heading,
            active_from=D(2025, 7, 1),
        )
        units = self.units(
            org,
            [
                ("vp", f"Văn phòng {name}", "office"),
                ("xdd", f"Ban Xây dựng Đảng {name}", "board"),
                ("ubkt", f"Cơ quan Ủy ban Kiểm tra {name}", "inspection"),
                ("cb1", "Chi bộ thôn 1", "cell"),
                ("cb2", "Chi bộ thôn 2", "cell"),
            ],
        )
        secretary = self.person(org, units["vp"], f"Bí thư {name}")
        deputy = self.person(org, units["vp"], f"Phó Bí thư Thường trực {name}")
        chief = self.person(org, units["vp"], f"Chánh Văn phòng {name}")
        staff = [self.person(org, units[key], "Chuyên viên") for key in ("vp", "xdd", "ubkt")]
        # First congress of the new commune-level Party committees: terms from mid-2025 (QĐ 298-QĐ/TW).
        term = services.save_term(
            Actor.system_for(org), Term(name="Nhiệm kỳ 2025–2030", start_date=D(2025, 7, 1))
        )
        standing = [(secretary, BodyRole.SECRETARY), (deputy, BodyRole.STANDING_DEPUTY)]
        self.body(org, term, BodyKind.STANDING_BOARD, f"Thường trực {name}", standing)
        self.body(
            org, term, BodyKind.STANDING, f"Ban Thường vụ {name}", [*standing, (chief, BodyRole.MEMBER)]
        )
        self.body(
            org,
            term,
            BodyKind.EXECUTIVE,
            f"Ban Chấp hành Đảng bộ {name.split(' ', 2)[-1]}",
            [*standing, (chief, BodyRole.MEMBER), *[(p, BodyRole.MEMBER) for p in staff]],
        )
        post = services.save_position(
            Actor.system_for(org), Position(title=f"Chánh Văn phòng {name}", unit=units["vp"])
        )
        services.save_holding(
            Actor.system_for(org), PositionHolding(position=post, person=chief, start_date=D(2025, 7, 1))
        )
        if code == "dux-tan-hoa":
            self.user(org, "vanthu.tanhoa", staff[0], [RoleCode.CLERK], Clearance.MAT)
        return org

    def district(self, province: Organisation) -> None:
        """Huyện ủy Thanh Bình, 1959–30/6/2025: its records and history passed to the province."""
        org = create_organisation(
            by=None,
            code="hu-thanh-binh",
            name="Huyện ủy Thanh Bình",
            short_name="Huyện ủy Thanh Bình",
            symbol="HU",
            level=OrganisationLevel.DISTRICT_HISTORICAL,
            place_name="Thanh Bình",
            parent=province,
            successor=province,
            parent_body_name="ĐẢNG BỘ TỈNH NGỌC SƠN",
            active_from=D(1959, 4, 1),
            active_until=D(2025, 6, 30),
        )
        office = self.units(org, [("vp", "Văn phòng Huyện ủy Thanh Bình", "office")])["vp"]
        services.save_term(
            Actor.system_for(org),
            Term(name="Nhiệm kỳ 2020–2025", start_date=D(2020, 8, 5), end_date=D(2025, 6, 30)),
        )
        post = services.save_position(
            Actor.system_for(org), Position(title="Chánh Văn phòng Huyện ủy", unit=office)
        )
        # 22 office chiefs in 66 years, as a district office's anniversary history lists them.
        starts = [
            D(1959, 4, 1),
            D(1962, 3, 1),
            D(1965, 7, 1),
            D(1968, 2, 1),
            D(1971, 9, 1),
            D(1974, 5, 1),
            D(1977, 1, 1),
            D(1980, 6, 1),
            D(1983, 4, 1),
            D(1986, 10, 1),
            D(1989, 8, 1),
            D(1992, 3, 1),
            D(1995, 6, 1),
            D(1998, 1, 1),
            D(2001, 5, 1),
            D(2004, 9, 1),
            D(2007, 11, 1),
            D(2010, 8, 1),
            D(2013, 4, 1),
            D(2016, 7, 1),
            D(2019, 2, 1),
            D(2021, 10, 1),
        ]
        ends = [day - datetime.timedelta(days=1) for day in starts[1:]] + [D(2025, 6, 30)]
        holders = []
        for start, end in zip(starts, ends, strict=True):
            name, _gender = self.names.next()
            holders.append((name, start, end))
        self.history(org, post, holders)


def demo_exists() -> bool:
    return Organisation.objects.filter(code=PROVINCE_CODE).exists()


def load_demo() -> list[DemoLogin]:
    # Not one transaction: the services it calls are entry points, each its own durable transaction.
    return DemoBuilder().build()


class DemoDocuments:
    """A few weeks of the province office's văn thư: letters in, routed, handled or overdue; documents out."""

    INCOMING = [
        # (type, sender, reference, days ago, summary, secrecy, urgency, state)
        (
            "CV",
            "Văn phòng Trung ương Đảng",
            "1024-CV/VPTW",
            40,
            "V/v báo cáo sơ kết 6 tháng thực hiện Quy chế làm việc",
            0,
            0,
            "handled",
        ),
        (
            "HD",
            "Ban Tổ chức Trung ương",
            "15-HD/BTCTW",
            30,
            "Hướng dẫn một số vấn đề cụ thể về công tác tổ chức đại hội đảng bộ các cấp",
            0,
            0,
            "routed_overdue",
        ),
        (
            "KL",
            "Bộ Chính trị",
            "205-KL/TW",
            21,
            "Kết luận về tiếp tục đẩy mạnh chuyển đổi số trong các cơ quan Đảng",
            0,
            1,
            "routed",
        ),
        (
            "CV",
            "Ủy ban nhân dân tỉnh Ngọc Sơn",
            "3120/UBND-TH",
            12,
            "V/v đề xuất danh mục dự án đầu tư công trung hạn giai đoạn 2026–2030",
            0,
            0,
            "routed_soon",
        ),
        (
            "CV",
            "Ban Nội chính Trung ương",
            "88-CV/BNCTW",
            9,
            "V/v cung cấp thông tin phục vụ công tác phòng, chống tham nhũng",
            2,
            2,
            "routed",
        ),
        (
            "TB",
            "Văn phòng Trung ương Đảng",
            "410-TB/VPTW",
            5,
            "Thông báo lịch làm việc của đoàn công tác Trung ương tại tỉnh",
            0,
            3,
            "registered",
        ),
        (
            "CV",
            "Đảng ủy xã Tân Hòa",
            "45-CV/ĐU",
            2,
            "V/v xin ý kiến về phương án sắp xếp chi bộ thôn",
            0,
            0,
            "registered",
        ),
        (
            "BC",
            "Đảng ủy phường Bình Minh",
            "12-BC/ĐU",
            1,
            "Báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị quý III",
            0,
            0,
            "registered",
        ),
    ]
    OUTGOING = [
        ("NQ", 60, "Về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026", 0),
        ("KL", 45, "Kết luận của Ban Thường vụ Tỉnh ủy về công tác cán bộ", 1),
        ("CT", 35, "Về tăng cường công tác tiếp công dân, giải quyết khiếu nại, tố cáo", 0),
        ("TB", 20, "Thông báo kết luận Hội nghị Ban Thường vụ Tỉnh ủy tháng 10 năm 2026", 0),
        ("CV", 10, "V/v chuẩn bị nội dung Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba", 0),
        ("NQ", 6, "Về đẩy mạnh chuyển đổi số trong các cơ quan Đảng của tỉnh giai đoạn 2026–2030", 0),
    ]

    def __init__(self, province: Organisation, commune: Organisation) -> None:
        from django.utils import timezone

        self.province = province
        self.commune = commune
        self.actor = Actor.system_for(province)
        self.now = timezone.localtime()

    def build(self) -> None:
        from vanphong.documents import incoming as documents_incoming
        from vanphong.documents import outgoing as documents_outgoing
        from vanphong.documents.models import DocumentType, IncomingDocument, OutgoingDocument
        from vanphong.org.models import Unit

        types = {t.symbol: t for t in DocumentType.objects.all()}
        units = {u.short_name: u for u in Unit.objects.filter(organisation=self.province)}
        for symbol, sender, reference, days_ago, summary, secrecy, urgency, state in self.INCOMING:
            arrived = self.now - datetime.timedelta(days=days_ago, hours=2)
            doc = documents_incoming.register_incoming(
                self.actor,
                doc_type=types[symbol],
                summary=summary,
                sender_name=sender,
                sender_reference=reference,
                document_date=(arrived - datetime.timedelta(days=2)).date(),
                arrived_at=arrived,
                secrecy=secrecy,
                urgency=urgency,
                pages=2,
                copies=1,
            )
            if state == "registered":
                continue
            lead = (
                units["BTC"] if "tổ chức" in summary.lower() or "cán bộ" in summary.lower() else units["TH"]
            )
            documents_incoming.route_incoming(
                self.actor,
                doc,
                instruction="Giao đơn vị chủ trì tham mưu, báo cáo Thường trực Tỉnh ủy.",
                lead_unit=lead,
                support_units=[units["BNC"]] if secrecy else [],
                deadline_days=10,
            )
            if state == "routed_overdue":
                # Demo history: this routing was made weeks ago, so its deadline has passed.
                IncomingDocument.objects.filter(pk=doc.pk).update(
                    deadline=(self.now - datetime.timedelta(days=3)).date()
                )
            elif state == "routed_soon":
                IncomingDocument.objects.filter(pk=doc.pk).update(
                    deadline=(self.now + datetime.timedelta(days=1)).date()
                )
            elif state == "handled":
                documents_incoming.mark_handled(self.actor, doc, text="Đã báo cáo theo yêu cầu.")
        secretary = Person.objects.get(organisation=self.province, user__username="bithu")
        signer = Actor.for_membership(
            Membership.objects.get(user__username="bithu", organisation=self.province)
        )
        for symbol, days_ago, summary, secrecy in self.OUTGOING:
            draft = documents_outgoing.save_draft(
                self.actor,
                OutgoingDocument(
                    doc_type=types[symbol],
                    summary=summary,
                    secrecy=secrecy,
                    signer=secretary,
                    signing_authority="T/M",
                    signing_body="Ban Thường vụ",
                    signer_title="Bí thư",
                    body="I. TÌNH HÌNH\n\nNội dung văn bản mẫu của dữ liệu trình diễn.",
                    external_recipients="Ban Bí thư Trung ương Đảng (để báo cáo),\nLưu Văn phòng Tỉnh ủy.",
                    copies=5,
                ),
                internal_recipients=[self.commune] if symbol == "CV" else [],
            )
            documents_outgoing.submit_for_approval(self.actor, draft)
            documents_outgoing.approve(signer, draft)
            documents_outgoing.issue(
                self.actor, draft, issued_on=(self.now - datetime.timedelta(days=days_ago)).date()
            )
        documents_outgoing.save_draft(
            self.actor,
            OutgoingDocument(
                doc_type=types["BC"],
                summary="Báo cáo tình hình thực hiện nhiệm vụ tháng 11 năm 2026",
                signer=secretary,
                signing_authority="T/M",
                signing_body="Ban Thường vụ",
                signer_title="Bí thư",
            ),
        )
