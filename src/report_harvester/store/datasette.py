"""Datasette 0.65 on the store: the metadata the project generates, and ``serve``.

Datasette 0.65 reads one metadata document (titles, descriptions, facets, canned
queries); the 1.0 alphas split it in two, so the version is pinned below 0.66.
Source URLs need no special handling: Datasette 0.65 renders any ``http(s)://``
cell value as a link, in tables, views and canned query results alike.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import webbrowser
from pathlib import Path
from typing import Any

from ..errors import HarvesterError
from ..models import PARSER_VERSION
from .queries import CANNED_QUERIES
from .schema_doc import RELATIONS

TITLE = "政府信息公开工作年度报告 · report_harvester"
DESCRIPTION = (
    "China's open-government-information annual reports (政府信息公开工作年度报告), parsed"
    " into data: metadata, sections, and the three statutory tables (主动公开, 依申请公开,"
    " 复议诉讼) cell by cell with the printed text beside every number, plus consistency"
    " checks. A blank cell stays blank (never 0); checks flag, never repair."
)
LICENSE = "Source documents: public government reports (see each report's url)"
SOURCE = f"report_harvester {PARSER_VERSION}"

# table → (facets, extra metadata)
_TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "documents": {"facets": ["source_id", "error_code", "latest"], "label_column": "locator"},
    "reports": {
        "facets": ["year", "format", "org", "kind", "current"],
        "sort_desc": "year",
        "label_column": "org",
    },
    "current_reports": {"facets": ["year", "format", "org", "kind"], "sort_desc": "year"},
    "report_summary": {"facets": ["year", "format", "org", "kind"], "sort_desc": "year"},
    "applications": {"facets": ["row", "applicant", "kind"]},
    "applications_wide": {"facets": ["year", "format", "org", "row"]},
    "active_disclosure": {"facets": ["item", "metric", "kind"]},
    "reviews": {"facets": ["proceeding", "outcome", "kind"]},
    "sections": {"facets": ["key", "level"]},
    "tables_raw": {"facets": ["role"]},
    "checks": {"facets": ["check", "status", "origin"]},
    "check_results": {"facets": ["check", "status", "year", "format", "org"]},
    "harvest_runs": {"facets": ["status"], "sort_desc": "id"},
    "fetches": {"facets": ["outcome", "kind", "status", "source_id"]},
    "_sqlite_migrations": {"hidden": True},
}


def build_metadata(database: str) -> dict[str, Any]:
    """The Datasette metadata for a store whose file stem is ``database``."""
    tables: dict[str, Any] = {}
    for rel in RELATIONS:
        tables[rel.name] = {
            "title": rel.name,
            "description": rel.description,
            "columns": dict(rel.columns),
            **_TABLE_OPTIONS.get(rel.name, {}),
        }
    queries = {
        q.name: {"title": q.title, "description": q.description, "sql": q.sql}
        for q in CANNED_QUERIES
    }
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE,
        "source": SOURCE,
        "databases": {
            database: {
                "title": "Reports database",
                "description": "Every table, view and column is described; see also"
                " docs/schema.md. Start with report_summary or applications_wide.",
                "tables": tables,
                "queries": queries,
            }
        },
    }


def write_metadata(path: Path, database: str) -> None:
    """Write ``build_metadata(database)`` as JSON to ``path``."""
    text = json.dumps(build_metadata(database), ensure_ascii=False, indent=2)
    try:
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise HarvesterError(f"cannot write metadata to {path}: {exc.strerror}") from None


def make_datasette(db_path: Path, *, immutable: bool = False) -> Any:
    """A configured ``Datasette`` instance on ``db_path`` (read-only: no write API in 0.65)."""
    from datasette.app import Datasette

    files = [] if immutable else [str(db_path)]
    immutables = [str(db_path)] if immutable else []
    return Datasette(
        files,
        immutables=immutables,
        metadata=build_metadata(db_path.stem),
        settings={"sql_time_limit_ms": 5000, "facet_time_limit_ms": 500},
    )


def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        except OSError as exc:
            raise HarvesterError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
            ) from None


def serve(
    db_path: Path, *, host: str, port: int, open_browser: bool, immutable: bool = False
) -> None:
    """Run Datasette on ``db_path`` until interrupted (blocks)."""
    import uvicorn

    _check_port(host, port)
    ds = make_datasette(db_path, immutable=immutable)
    asyncio.run(ds.invoke_startup())
    url = f"http://{host}:{port}/{db_path.stem}"
    print(f"Serving {db_path} at {url} (Ctrl+C to stop)", flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
