from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from vanphong import testing
from vanphong.accounts.models import User
from vanphong.core.models import Organisation


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def org_a(db: Any) -> Organisation:
    return testing.make_organisation("ngoc-son", "TU", name="Tỉnh ủy Ngọc Sơn")


@pytest.fixture
def org_b(db: Any) -> Organisation:
    return testing.make_organisation("lam-ha", "TU", name="Tỉnh ủy Lâm Hà")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
