"""The full-text index of the database in use (base.py says what both answer)."""

from __future__ import annotations

from django.db import connection

from vanphong.search.backends.base import Backend
from vanphong.search.backends.postgresql import PostgresBackend
from vanphong.search.backends.sqlite import SQLiteBackend


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
