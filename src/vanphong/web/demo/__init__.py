"""A fictional province for the demo (`vanphong demo`, the crawl tests): Tỉnh ủy Ngọc Sơn, three
commune committees, an agency committee and the dissolved Huyện ủy Thanh Bình; each app adds its own
data (`<app>/demo.py`). Every name of an organisation or person is invented; rows are made through the
real services, so the demo also exercises validation and the audit log.
"""

from __future__ import annotations

from django.db import transaction

from vanphong.core.models import Organisation
from vanphong.web.demo.province import DEMO_PASSWORD, PROVINCE_CODE, DemoBuilder, DemoLogin

__all__ = ["DEMO_PASSWORD", "PROVINCE_CODE", "DemoLogin", "demo_exists", "load_demo"]


def demo_exists() -> bool:
    return Organisation.objects.filter(code=PROVINCE_CODE).exists()


def load_demo() -> list[DemoLogin]:
    """The whole demo or nothing, in one transaction. The services it calls are entry points, each a
    durable transaction; the demo marks its transaction as Django's TestCase marks its own, the one
    outer transaction they may run in (a test loads the demo half-way, then fails, and finds nothing)."""
    with transaction.atomic():
        transaction.get_connection().atomic_blocks[-1]._from_testcase = True
        return DemoBuilder().build()
