"""The SQLite store: documents, parsed reports, checks and harvest logs (sqlite-utils).

``Store.open(path)`` creates or migrates the database; see ``db.py`` for the API and
``docs/schema.md`` for the schema.
"""

from __future__ import annotations

from .check_runner import CheckSummary, Offender
from .db import FetchLog, IngestResult, Store
from .reparse import ReparseSummary

__all__ = ["CheckSummary", "FetchLog", "IngestResult", "Offender", "ReparseSummary", "Store"]
