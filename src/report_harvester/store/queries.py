"""Documented SQL over the store: full-text search and the Datasette canned queries.

Full-text search uses FTS5 with the ``trigram`` tokenizer, which finds any
substring of 3 or more characters (Chinese included) but nothing shorter. The
search queries below therefore switch on the query's length: 3+ characters go
through the FTS index, 1–2 characters through a plain substring test
(``instr``, equivalent to ``LIKE '%q%'`` without LIKE's wildcard characters).
"""

from __future__ import annotations

from dataclasses import dataclass

# :q — the text to find; phrase-quoted for FTS5 so that spaces and quotes are literal.
_FTS_PHRASE = "'\"' || replace(:q, '\"', '\"\"') || '\"'"

SEARCH_SECTIONS = f"""
SELECT s.id AS section_id, r.id AS report_id, r.org, r.year, r.url, r.path,
  s.number, s.heading,
  substr(s.text, max(1, instr(s.text, :q) - 30), 120) AS excerpt
FROM sections s
JOIN reports r ON r.id = s.report_id
WHERE r.current = 1 AND length(:q) > 0 AND (
  (length(:q) >= 3 AND s.id IN
    (SELECT rowid FROM sections_fts WHERE sections_fts MATCH {_FTS_PHRASE}))
  OR (length(:q) < 3 AND (instr(s.text, :q) > 0 OR instr(s.heading, :q) > 0))
)
ORDER BY r.year DESC, r.org, r.id, s.position
""".strip()

SEARCH_REPORTS = f"""
SELECT r.id AS report_id, r.org, r.year, r.format, r.kind, r.title, r.url, r.path
FROM reports r
WHERE r.current = 1 AND length(:q) > 0 AND (
  (length(:q) >= 3 AND r.id IN
    (SELECT rowid FROM reports_fts WHERE reports_fts MATCH {_FTS_PHRASE}))
  OR (length(:q) < 3 AND (instr(r.title, :q) > 0 OR instr(r.org, :q) > 0))
)
ORDER BY r.year DESC, r.org, r.id
""".strip()

REPORTS_FAILING_CHECKS = """
SELECT r.id AS report_id, r.org, r.year, r.format, r.url, r.path,
  count(*) AS failures,
  group_concat(DISTINCT c."check") AS failing_checks
FROM checks c
JOIN reports r ON r.id = c.report_id
WHERE r.current = 1 AND c.status = 'fail'
GROUP BY r.id
ORDER BY failures DESC, r.org, r.year
""".strip()

APPLICATIONS_BY_YEAR_AND_APPLICANT = """
SELECT r.year, a.applicant,
  count(DISTINCT r.id) AS reports,
  sum(CASE WHEN a.kind = 'number' THEN 1 ELSE 0 END) AS reports_with_a_number,
  sum(CASE WHEN a.kind = 'number' THEN a.value END) AS total
FROM applications a
JOIN reports r ON r.id = a.report_id
WHERE r.current = 1 AND a."row" = coalesce(nullif(:row, ''), 'new_received')
GROUP BY r.year, a.applicant
ORDER BY r.year, CASE a.applicant
  WHEN 'natural_person' THEN 1 WHEN 'commercial_enterprise' THEN 2
  WHEN 'research_institution' THEN 3 WHEN 'social_welfare_org' THEN 4
  WHEN 'legal_service_org' THEN 5 WHEN 'other_org' THEN 6 WHEN 'total' THEN 7 ELSE 8 END
""".strip()


def _group_sum(condition: str) -> str:
    # the sum only when every cell of the group is a number (a blank is not a 0)
    return (
        f"CASE WHEN min(CASE WHEN {condition} THEN a.value IS NOT NULL END) = 1"
        f" THEN sum(CASE WHEN {condition} THEN a.value END) END"
    )


_OUTCOME_GROUPS = {
    "granted": "a.\"row\" = 'granted'",
    "partially_granted": "a.\"row\" = 'partially_granted'",
    "denied": "a.\"row\" LIKE 'denied!_%' ESCAPE '!'",
    "unavailable": "a.\"row\" LIKE 'unavailable!_%' ESCAPE '!'",
    "rejected": "a.\"row\" LIKE 'rejected!_%' ESCAPE '!'",
    "other": "a.\"row\" LIKE 'other!_%' ESCAPE '!'",
}

OUTCOME_SHARES_PER_ORG = (
    "WITH t AS (\n  SELECT a.report_id,\n    "
    + ",\n    ".join(f"{_group_sum(cond)} AS {name}" for name, cond in _OUTCOME_GROUPS.items())
    + ",\n    max(CASE WHEN a.\"row\" = 'total_processed' THEN a.value END) AS total_processed"
    "\n  FROM applications a WHERE a.applicant = 'total' GROUP BY a.report_id\n)\n"
    "SELECT r.org, r.year, r.format, r.id AS report_id, r.url, t.total_processed,\n  "
    + ",\n  ".join(
        f"round(t.{name} * 1.0 / t.total_processed, 4) AS {name}_share" for name in _OUTCOME_GROUPS
    )
    + "\nFROM t JOIN reports r ON r.id = t.report_id"
    "\nWHERE r.current = 1 AND t.total_processed > 0"
    " AND (:org = '' OR instr(r.org, :org) > 0)"
    "\nORDER BY r.org, r.year"
)

CARRY_OVER_MISMATCHES = """
SELECT r.org, r.year, c.actual AS carried_over, p.year AS previous_year,
  c.expected AS previous_carried_forward, c.difference,
  r.id AS report_id, r.url, c.related_report_id AS previous_report_id, p.url AS previous_url,
  c.message
FROM checks c
JOIN reports r ON r.id = c.report_id
LEFT JOIN reports p ON p.id = c.related_report_id
WHERE c."check" = 'cross_year.carry' AND c.status = 'fail' AND r.current = 1
ORDER BY abs(c.difference) DESC, r.org, r.year
""".strip()


@dataclass(frozen=True, slots=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str


CANNED_QUERIES: tuple[CannedQuery, ...] = (
    CannedQuery(
        "search_sections",
        "Search section text",
        "Sections of current reports whose heading or text contains q. Queries of 3 or more"
        " characters use the trigram full-text index; 1–2 character queries (e.g. 公开)"
        " fall back to a substring match.",
        SEARCH_SECTIONS,
    ),
    CannedQuery(
        "search_reports",
        "Search report titles and issuing bodies",
        "Current reports whose title or issuing body contains q (trigram index for 3+"
        " characters, substring match below).",
        SEARCH_REPORTS,
    ),
    CannedQuery(
        "reports_failing_checks",
        "Reports failing checks",
        "Current reports with at least one failing consistency check, most failures first."
        " Official reports do fail them: a failure is a flag, never a correction.",
        REPORTS_FAILING_CHECKS,
    ),
    CannedQuery(
        "applications_by_year_and_applicant",
        "Applications by year and applicant type",
        "Sum of one row of table 三 (row key, default new_received) per year and applicant"
        " column, over current reports. Blank and text cells are not counted as 0:"
        " reports_with_a_number says how many reports contributed. A district's own report"
        " may aggregate its departments, so sums across bodies can double count.",
        APPLICATIONS_BY_YEAR_AND_APPLICANT,
    ),
    CannedQuery(
        "outcome_shares_per_org",
        "Outcome shares per issuing body",
        "For each current report (optionally only bodies whose name contains org): the share"
        " of total_processed (总计 column) granted, partially granted, denied (all 不予公开"
        " rows), unavailable, rejected and otherwise handled. A share is empty when a cell"
        " of its group is blank or not a number.",
        OUTCOME_SHARES_PER_ORG,
    ),
    CannedQuery(
        "carry_over_mismatches",
        "Carry-over mismatches across years",
        "cross_year.carry failures: a body's 上年结转 (carried_over) this year differs from"
        " its 结转下年度继续办理 (carried_forward) of the previous year. Run"
        " `report-harvester check` to refresh.",
        CARRY_OVER_MISMATCHES,
    ),
)
