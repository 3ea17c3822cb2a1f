"""Store.run_checks: cross-report rules over current reports, stored and summarised."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from report_harvester.store import Offender, Store
from store_factories import SEED_ORG, body_for, make_report

BASE = "http://www.hyyf.gov.cn/zwgk/"


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def fill(db: Path) -> None:
    """雁峰区行政审批服务局 2019 → 2020 (carry ok) → 2021 (carry off by 2, in_force ok)."""
    with Store.open(db) as store:
        for name, kw in (
            ("2019", {"year": 2019, "carried_forward": 3}),
            ("2020", {"year": 2020, "carried_over": 3, "carried_forward": 1}),
            (
                "2021",
                {
                    "year": 2021,
                    "fmt": "2021",
                    "carried_over": 3,
                    "in_force": {"regulations": 0, "normative_documents": 14},
                },
            ),
            (
                "2022",
                {
                    "year": 2022,
                    "fmt": "2021",
                    "carried_over": 0,
                    "issued": 2,
                    "repealed": 1,
                    "in_force": {"regulations": 1, "normative_documents": 14},
                },
            ),
        ):
            body = body_for(name)
            url = BASE + name + ".html"
            store.ingest(make_report(body, url=url, **kw), body, url=url)  # type: ignore[arg-type]


def test_run_checks_stores_cross_results_and_summarises(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    fill(db)
    with Store.open(db) as store:
        summary = store.run_checks()
    assert summary.reports == 4
    assert summary.cross_results == 4 + 2 * 2
    assert summary.count("cross_year.carry", "pass") == 2  # 2020, 2022
    assert summary.count("cross_year.carry", "fail") == 1  # 2021: 3 vs 1
    assert summary.count("cross_year.carry", "not_assessable") == 1  # 2019: no 2018
    assert summary.count("t2.in_force", "pass") == 1  # 2022 regulations: 0 + 2 - 1 = 1
    assert summary.count("t2.in_force", "fail") == 1  # 2022 normative: 14 + 2 - 1 != 14
    assert summary.count("t2.in_force", "not_assessable") == 2  # 2021: 2020 is format 2019
    assert summary.count("t3.balance", "pass") == 28
    assert summary.failed == 2
    assert summary.worst == [
        Offender(3, SEED_ORG, 2021, BASE + "2021.html", 1),
        Offender(4, SEED_ORG, 2022, BASE + "2022.html", 1),
    ]
    assert rows(
        db,
        "SELECT report_id, related_report_id, expected, actual, difference, message FROM checks"
        " WHERE origin = 'cross' AND status = 'fail' ORDER BY report_id",
    ) == [
        (3, 2, 1, 3, 2, "carried_over 3 in 2021 but 2020 carried_forward 1"),
        (
            4,
            3,
            15,
            14,
            -1,
            "in_force 14 in 2022, but 2021 in_force 14 + issued 2 - repealed 1 = 15",
        ),
    ]
    assert rows(db, "SELECT report_id, checks_failed FROM report_summary ORDER BY 1") == [
        (1, 0),
        (2, 0),
        (3, 1),
        (4, 1),
    ]


def test_run_checks_replaces_previous_cross_results(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    fill(db)
    with Store.open(db) as store:
        store.run_checks()
        first = rows(db, "SELECT count(*) FROM checks")
        store.run_checks()
    assert rows(db, "SELECT count(*) FROM checks") == first


def test_run_checks_uses_current_reports_only(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    fill(db)
    # a corrected 2020 report replaces the first one at the same URL: carried_forward 3
    body = body_for("2020", 2)
    url = BASE + "2020.html"
    with Store.open(db) as store:
        store.ingest(
            make_report(body, url=url, year=2020, carried_over=3, carried_forward=3), body, url=url
        )
        summary = store.run_checks()
    assert summary.reports == 4
    assert summary.count("cross_year.carry", "fail") == 0
    assert summary.count("cross_year.carry", "pass") == 3
    assert rows(
        db,
        "SELECT related_report_id FROM checks WHERE origin = 'cross' AND report_id = 3"
        " AND \"check\" = 'cross_year.carry'",
    ) == [(5,)]


def test_carry_over_mismatch_query_lists_the_failure(tmp_path: Path) -> None:
    from report_harvester.store.queries import CARRY_OVER_MISMATCHES

    db = tmp_path / "r.db"
    fill(db)
    with Store.open(db) as store:
        store.run_checks()
    assert rows(db, CARRY_OVER_MISMATCHES) == [
        (
            SEED_ORG,
            2021,
            3,
            2020,
            1,
            2,
            3,
            BASE + "2021.html",
            2,
            BASE + "2020.html",
            "carried_over 3 in 2021 but 2020 carried_forward 1",
        )
    ]
