"""Repeat and duplicate detection at scale: what registering one letter costs when the office holds
N letters of the last five years (each identity sealed, so each is opened in memory to compare).

For N = 1,000, 10,000 and BENCH_N_LARGE (default 25,000: five years of a busy province) petitions in
one organisation (Vietnamese names, addresses and contents from small vocabularies), generated with
bulk_create, times `petitions.matching.find_similar` (median and minimum of 5 runs) and, apart,
opening the N sealed identities alone. SQLite (the laptop case); the cost is in Python, not SQL.
"""

from __future__ import annotations

import datetime
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _setup import django_setup, report, timed

N_LARGE = int(os.environ.get("BENCH_N_LARGE", "25000"))
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đình", "Minh", "Quang", "Thu", "Ngọc", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Hòa", "Khải"]
PLACES = ["thôn 1", "thôn 3", "tổ 4", "xóm Đông", "khu phố 2"]
COMMUNES = ["xã Tân Hòa", "phường Bình Minh", "đặc khu Hòn Ngọc", "xã Phú Lộc"]
MATTERS = [
    "Khiếu nại quyết định thu hồi đất của UBND {c}",
    "Tố cáo cán bộ địa chính {c} nhận tiền khi làm thủ tục",
    "Kiến nghị xem xét lại đơn giá bồi thường giải phóng mặt bằng tại {c}",
    "Phản ánh tình trạng ô nhiễm môi trường tại {c}",
    "Đề nghị giải quyết chế độ chính sách người có công ở {c}",
]


def main() -> None:
    django_setup()
    from dataclasses import asdict

    from vanphong.core.sealing import seal, unseal
    from vanphong.core.text import fold
    from vanphong.petitions import identities
    from vanphong.petitions.matching import find_similar
    from vanphong.petitions.models import Petition
    from vanphong.testing import make_organisation

    org = make_organisation("bench-petitions")
    probe = identities.Identity(name="Nguyễn Văn Hùng", address="thôn 3, xã Tân Hòa")
    rng = random.Random(7)
    today = datetime.date.today()
    context = identities._petition_context(org.pk)
    figures: dict[str, object] = {}
    made = 0
    for size in (1000, 10000, N_LARGE):
        rows = []
        for number in range(made + 1, size + 1):
            commune = rng.choice(COMMUNES)
            identity = identities.Identity(
                name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                address=f"{rng.choice(PLACES)}, {commune}",
            )
            summary = rng.choice(MATTERS).format(c=commune) + f" (hồ sơ {number})"
            rows.append(
                Petition(
                    organisation=org,
                    year=today.year,
                    number=number,
                    received_on=today - datetime.timedelta(days=rng.randrange(5 * 365)),
                    channel="post",
                    sender_kind="person",
                    sender_sealed=seal(asdict(identity), context),
                    kind="complaint",
                    subject="land",
                    summary=summary,
                    competence="own",
                    search_text=fold(summary),
                )
            )
        Petition.objects.bulk_create(rows, batch_size=2000)
        made = size
        median, best = timed(
            lambda: find_similar(
                org, probe, "Khiếu nại quyết định thu hồi đất của UBND xã Tân Hòa", "complaint"
            )
        )
        tokens = list(Petition.objects.values_list("sender_sealed", flat=True))
        open_median, _best = timed(lambda tokens=tokens: [unseal(t, context) for t in tokens], repeat=3)
        figures[f"find_similar_ms_{size}"] = round(median, 1)
        figures[f"find_similar_min_ms_{size}"] = round(best, 1)
        figures[f"unseal_only_ms_{size}"] = round(open_median, 1)
    report("petitions_similar", figures)


if __name__ == "__main__":
    main()
