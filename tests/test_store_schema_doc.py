"""The schema is an interface: every table, view and column is documented, docs in step."""

from __future__ import annotations

from pathlib import Path

from report_harvester.store import Store
from report_harvester.store.schema_doc import BY_NAME, render_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs" / "schema.md"
FTS_SHADOW = ("_data", "_idx", "_docsize", "_config")


def test_every_table_view_and_column_is_described(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        conn = store.connection
        names = [
            (name, kind)
            for name, kind in conn.execute(
                "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            if not name.endswith(FTS_SHADOW)
        ]
        assert {n for n, _ in names} == set(BY_NAME)
        for name, kind in names:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
            assert columns == list(BY_NAME[name].columns), name
            assert BY_NAME[name].kind == ("view" if kind == "view" else BY_NAME[name].kind)
            assert all(d.strip() for d in BY_NAME[name].columns.values()), name


def test_docs_schema_md_is_generated_from_the_descriptions() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/schema.md is stale: run"
        " `.venv/bin/python -m report_harvester.store.schema_doc > docs/schema.md`"
    )
