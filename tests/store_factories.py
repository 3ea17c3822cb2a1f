"""Reports built directly from the pydantic models, for the store's tests.

The figures follow domain.md §8 (the seed: 雁峰区行政审批服务局, 2020, format 2019) so
that tests do not depend on the parser. Every function returns a fresh object.
"""

from __future__ import annotations

import hashlib

from report_harvester.keys import (
    APPLICANTS,
    OUTCOMES,
    PROCEEDINGS,
    T2_2019,
    T2_2021,
    T3_ROWS_2019,
    T3_ROWS_2021,
)
from report_harvester.models import (
    ApplicationCell,
    CheckResult,
    DisclosureCell,
    ErrorInfo,
    ParseFailure,
    RawTable,
    Report,
    ReviewCell,
    Section,
    SourceInfo,
    Warning,
)

SEED_ORG = "雁峰区行政审批服务局"
OVERVIEW_TEXT = (
    "推进政府信息公开工作是我区贯彻实施《中华人民共和国政府信息公开条例》的一项重要工作。"
    "2020年,我区的政府信息公开工作在深化政府信息公开内容方面取得了新的进展。"
)
SUB_TEXT = "2020年度共收到依申请公开1例,已按要求答复。"
PROBLEMS_TEXT = "政务公开工作还存在一些薄弱环节和问题。一是行政机关政务公开意识还有待提升。"

# (item, metric) -> raw text, seed figures (domain.md §8)
SEED_T2: dict[tuple[str, str], str] = {
    ("regulations", "new_made"): "0",
    ("regulations", "new_published"): "0",
    ("regulations", "total_published"): "0",
    ("normative_documents", "new_made"): "4",
    ("normative_documents", "new_published"): "4",
    ("normative_documents", "total_published"): "14",
    ("licensing", "prev_year_count"): "35",
    ("licensing", "change"): "30",
    ("licensing", "decisions"): "65",
    ("other_services", "prev_year_count"): "0",
    ("other_services", "change"): "0",
    ("other_services", "decisions"): "0",
    ("penalty", "prev_year_count"): "3",
    ("penalty", "change"): "16",
    ("penalty", "decisions"): "19",
    ("coercion", "prev_year_count"): "0",
    ("coercion", "change"): "0",
    ("coercion", "decisions"): "0",
    ("fees", "prev_year_count"): "0",
    ("fees", "change"): "0",
    ("procurement", "procurement_items"): "0(雁峰区无集采中心)",
    ("procurement", "procurement_amount"): "0",
}


def body_for(name: str, version: int = 1) -> bytes:
    """Distinct bytes standing for a saved page."""
    return f"<html><body>{name} v{version} {OVERVIEW_TEXT}</body></html>".encode()


def source(body: bytes, url: str | None = None, path: str | None = None) -> SourceInfo:
    return SourceInfo(
        url=url,
        path=path,
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        encoding="utf-8",
        encoding_method="meta",
    )


def _value(raw: str) -> tuple[int | float | None, str, str | None]:
    if raw == "":
        return None, "blank", None
    if raw.startswith("0("):
        return 0, "number", raw[2:-1]
    return int(raw), "number", None


def make_report(
    body: bytes,
    *,
    url: str | None = "http://www.hyyf.gov.cn/zwgk/2021/t1.html",
    path: str | None = None,
    org: str | None = SEED_ORG,
    year: int | None = 2020,
    fmt: str = "2019",
    carried_over: int | None = 0,
    carried_forward: int | None = 0,
    new_received: int = 1,
    in_force: dict[str, int | None] | None = None,
    issued: int = 0,
    repealed: int = 0,
    parser_version: str | None = None,
    title: str | None = None,
) -> Report:
    """A full report: sections (with a child), table 二/三/四 cells, checks, a raw table.

    Table 三: new_received natural_person = total = ``new_received``, carried_over /
    carried_forward in the total column (None = a blank cell), denied_third_party 1,
    total_processed = new_received; every other cell 0.
    """
    sections = [
        Section(
            number=1,
            key="overview",
            heading="一、总体情况",
            text=OVERVIEW_TEXT,
            children=[
                Section(number=5, heading="（五）建立依申请公开系统并及时答复", text=SUB_TEXT)
            ],
        ),
        Section(number=2, key="active_disclosure", heading="二、主动公开政府信息情况"),
        Section(number=3, key="applications", heading="三、收到和处理政府信息公开申请情况"),
        Section(
            number=4, key="reviews_litigation", heading="四、政府信息公开行政复议、行政诉讼情况"
        ),
        Section(
            number=5, key="problems", heading="五、存在的主要问题及改进情况", text=PROBLEMS_TEXT
        ),
        Section(number=6, key="other_matters", heading="六、其他需要报告的事项", text="无。"),
    ]
    disclosure: list[DisclosureCell] = []
    if fmt == "2019":
        for (clause, item), metrics in T2_2019.items():
            for metric in metrics:
                value, kind, note = _value(SEED_T2[(item, metric)])
                disclosure.append(
                    DisclosureCell(
                        clause=clause,
                        item=item,
                        metric=metric,
                        value=value,
                        raw=SEED_T2[(item, metric)],
                        kind=kind,  # type: ignore[arg-type]
                        note=note,
                    )
                )
    else:
        forces = in_force or {"regulations": 0, "normative_documents": 14}
        for (clause, item), metrics in T2_2021.items():
            for metric in metrics:
                number: int | float | None
                if metric == "in_force":
                    number = forces.get(item)
                elif metric == "issued":
                    number = issued
                elif metric == "repealed":
                    number = repealed
                elif metric == "fee_amount":
                    number = 24.5
                else:
                    number = 3
                disclosure.append(
                    DisclosureCell(
                        clause=clause,
                        item=item,
                        metric=metric,
                        value=number,
                        raw="" if number is None else str(number),
                        kind="blank" if number is None else "number",
                        unit="万元" if metric == "fee_amount" else None,
                    )
                )
    rows = T3_ROWS_2019 if fmt == "2019" else T3_ROWS_2021
    applications: list[ApplicationCell] = []
    for row in rows:
        for applicant in APPLICANTS:
            value: int | None = 0
            if row in ("new_received", "total_processed") and applicant in (
                "natural_person",
                "total",
            ):
                value = new_received
            elif row == "denied_third_party" and applicant in ("natural_person", "total"):
                value = 1
            elif row == "carried_over" and applicant == "total":
                value = carried_over
            elif row == "carried_forward" and applicant == "total":
                value = carried_forward
            applications.append(
                ApplicationCell(
                    row=row,
                    applicant=applicant,
                    value=value,
                    raw="" if value is None else str(value),
                    kind="blank" if value is None else "number",
                )
            )
    reviews = [
        ReviewCell(proceeding=p, outcome=o, value=0, raw="0", kind="number")
        for p in PROCEEDINGS
        for o in OUTCOMES
    ]
    checks = [
        CheckResult(check="t3.balance", scope=a, status="pass", expected=1, actual=1, difference=0)
        for a in APPLICANTS
    ] + [
        CheckResult(check="t4.total", scope=p, status="pass", expected=0, actual=0, difference=0)
        for p in PROCEEDINGS
    ]
    extra = {} if parser_version is None else {"parser_version": parser_version}
    return Report(
        source=source(body, url=url, path=path),
        kind="report",
        format=fmt,  # type: ignore[arg-type]
        year=year,
        org=org,
        title=title,
        published="2021-01-20",
        sections=sections,
        active_disclosure=disclosure,
        applications=applications,
        reviews=reviews,
        checks=checks,
        warnings=[Warning(code="org_from_config", message="issuing body from the source")],
        tables=[
            RawTable(index=0, section=4, role="t4", rows=[["行政复议", "", ""], ["0", "0", "0"]])
        ],
        **extra,
    )


def make_failure(body: bytes, *, url: str | None = None, path: str | None = None) -> ParseFailure:
    return ParseFailure(
        source=source(body, url=url, path=path),
        error=ErrorInfo(code="binary", message="the file is not text"),
    )


def expected_counts(fmt: str = "2019") -> dict[str, int]:
    """Child rows one ``make_report`` report produces, per table."""
    t2 = T2_2019 if fmt == "2019" else T2_2021
    rows = T3_ROWS_2019 if fmt == "2019" else T3_ROWS_2021
    return {
        "sections": 7,
        "tables_raw": 1,
        "active_disclosure": sum(len(m) for m in t2.values()),
        "applications": len(rows) * len(APPLICANTS),
        "reviews": len(PROCEEDINGS) * len(OUTCOMES),
        "checks": len(APPLICANTS) + len(PROCEEDINGS),
    }
