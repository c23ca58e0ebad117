"""Deterministic, realistic and distinct Vietnamese names for the demo's people (all invented)."""

from __future__ import annotations

import random

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


class Names:
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
