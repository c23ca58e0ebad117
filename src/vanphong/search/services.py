"""What the other apps, the pages, the API and the commands call: searching within what a user may see
(engine), rebuilding the index (indexing) and comparing it with the data (check)."""

from __future__ import annotations

from vanphong.search.check import CheckReport, check
from vanphong.search.engine import NEWEST, ORDERS, RELEVANCE, Results, search
from vanphong.search.indexing import reindex

__all__ = ["NEWEST", "ORDERS", "RELEVANCE", "CheckReport", "Results", "check", "reindex", "search"]
