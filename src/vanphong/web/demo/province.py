"""The demo's organisations and people: the province Tỉnh ủy Ngọc Sơn, three commune committees, an
agency committee and the dissolved Huyện ủy Thanh Bình with the history of its office chiefs since
1959; then each app's `build_demo` (DEMO_MODULES) adds its data."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module

from vanphong.accounts.models import RoleCode
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
from vanphong.web.demo.names import Names

D = datetime.date
PROVINCE_CODE = "tu-ngoc-son"
# Modules that add their own demo data through `build_demo(province, communes)`, in this order.
DEMO_MODULES = [
    "vanphong.documents.demo",
    "vanphong.meetings.demo",
    "vanphong.followup.demo",
    "vanphong.petitions.demo",
]
DEMO_PASSWORD = "vanphong-demo"


@dataclass
class DemoLogin:
    username: str
    organisation: str
    roles: list[str]
    clearance: str


class DemoBuilder:
    def __init__(self) -> None:
        self.names = Names()
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
