"""Datasette on the store, through Datasette's own test client; the metadata."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from report_harvester.store import Store
from report_harvester.store.datasette import build_metadata, make_datasette, write_metadata
from report_harvester.store.queries import CANNED_QUERIES
from report_harvester.store.schema_doc import RELATIONS
from store_factories import SEED_ORG, body_for, make_report

URL = "http://www.hyyf.gov.cn/zwgk/2021/t1.html"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ds") / "reports.db"
    with Store.open(path) as store:
        for year, carried_over in ((2019, 0), (2020, 5)):
            body = body_for(str(year))
            url = URL.replace("t1", f"t{year}")
            report = make_report(
                body, url=url, year=year, carried_over=carried_over, title=f"{year}年度报告"
            )
            store.ingest(report, body, url=url)
        store.run_checks()
    return path


def fetch(db: Path, *paths: str, immutable: bool = True) -> list[tuple[int, str]]:
    """GET each path with Datasette's client: (status, body)."""

    async def run() -> list[tuple[int, str]]:
        ds = make_datasette(db, immutable=immutable)
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            out.append((response.status_code, response.text))
        for database in ds.databases.values():
            database.close()
        return out

    return asyncio.run(run())


def fetch_json(db: Path, path: str) -> Any:
    ((status, text),) = fetch(db, path)
    assert status == 200, text[:500]
    return json.loads(text)


def test_tables_view_query_and_row_pages_answer_200(db: Path) -> None:
    pages = [
        "/reports",
        "/reports/reports",
        "/reports/applications_wide",
        "/reports/report_summary",
        "/reports/search_sections?q=%E6%88%91%E5%8C%BA",  # 我区
        "/reports/reports/1",
        "/reports/applications?report_id=2&_facet=row",
        "/reports/carry_over_mismatches",
    ]
    results = fetch(db, *pages)
    assert [status for status, _ in results] == [200] * len(pages)


def test_live_mode_serves_too(db: Path) -> None:
    ((status, _),) = fetch(db, "/reports/current_reports", immutable=False)
    assert status == 200


def test_metadata_descriptions_appear_on_pages(db: Path) -> None:
    (_, table_page), (_, view_page) = fetch(db, "/reports/reports", "/reports/report_summary")
    assert "One parsed report per document version" in table_page
    assert "Issuing body (发布机关)" in table_page  # a column description
    assert "(granted + partially_granted) / total_processed" in view_page
    assert f'href="{URL.replace("t1", "t2020")}"' in table_page  # the source URL is a link


def test_canned_search_finds_two_character_words(db: Path) -> None:
    data = fetch_json(db, "/reports/search_sections.json?q=%E6%88%91%E5%8C%BA&_shape=objects")
    assert [(r["report_id"], r["heading"]) for r in data["rows"]] == [
        (2, "一、总体情况"),
        (1, "一、总体情况"),
    ]


def test_canned_queries_answer(db: Path) -> None:
    failing = fetch_json(db, "/reports/reports_failing_checks.json?_shape=objects")["rows"]
    assert [(r["report_id"], r["failures"], r["failing_checks"]) for r in failing] == [
        (2, 1, "cross_year.carry")
    ]
    by_year = fetch_json(
        db, "/reports/applications_by_year_and_applicant.json?row=&_shape=objects"
    )["rows"]
    assert [
        (r["year"], r["applicant"], r["total"])
        for r in by_year
        if r["applicant"] in ("natural_person", "total")
    ] == [
        (2019, "natural_person", 1),
        (2019, "total", 1),
        (2020, "natural_person", 1),
        (2020, "total", 1),
    ]
    shares = fetch_json(db, "/reports/outcome_shares_per_org.json?org=&_shape=objects")["rows"]
    assert [(r["org"], r["year"], r["granted_share"], r["denied_share"]) for r in shares] == [
        (SEED_ORG, 2019, 0.0, 1.0),
        (SEED_ORG, 2020, 0.0, 1.0),
    ]


def test_facets_from_metadata(db: Path) -> None:
    data = fetch_json(db, "/reports/reports.json?_extra=facet_results")
    facets = data.get("facet_results") or {}
    assert {"year", "format", "org", "kind"} <= set(facets)


def test_metadata_describes_every_relation_and_column() -> None:
    metadata = build_metadata("reports")
    tables = metadata["databases"]["reports"]["tables"]
    assert set(tables) == {r.name for r in RELATIONS}
    for rel in RELATIONS:
        assert tables[rel.name]["description"] == rel.description
        assert tables[rel.name]["columns"] == rel.columns
    assert tables["reports"]["facets"] == ["year", "format", "org", "kind", "current"]
    assert set(metadata["databases"]["reports"]["queries"]) == {q.name for q in CANNED_QUERIES}
    assert "万元" in tables["active_disclosure"]["columns"]["value"]


def test_write_metadata(tmp_path: Path) -> None:
    out = tmp_path / "metadata.json"
    write_metadata(out, "demo")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data["databases"]) == ["demo"]
    assert data["title"] == "政府信息公开工作年度报告 · report_harvester"
