"""Pydantic records: what a parsed report is, and its JSON.

The field names are the output contract of ``report-harvester parse --json``
and the column names of the SQLite store; change them only with a migration.
Canonical keys (item, metric, row, applicant, proceeding, outcome, check) are
the ones listed in ``docs/domain.md`` of the project brief.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PARSER_VERSION = "0.2.0"

Format = Literal["2019", "2021", "pre2019", "unknown"]
ValueKind = Literal["number", "blank", "not_applicable", "text"]
CheckStatus = Literal["pass", "fail", "not_assessable"]
PageKind = Literal[
    "report",  # an annual report (any format)
    "interpretation",  # 文字解读 / 图解 of a report
    "notice",  # a notice about compiling or publishing reports
    "other_report",  # another annual report, e.g. 法治政府建设年度报告
    "image_only",  # the report is pictures (图片版)
    "attachment_only",  # the report is a PDF/DOC/WPS attachment
    "unknown",  # none of the above could be told
]
TableRole = Literal["t2", "t3", "t4", "other"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Cell(_Record):
    """A read cell never changes once made, so that one record can stand for every cell with
    the same keys and text (``parse.cells`` makes each distinct one once)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Value(_Cell):
    """One cell, read: the number (if any) next to the text it came from."""

    value: int | float | None = None
    raw: str = ""
    kind: ValueKind = "blank"
    unit: str | None = None
    note: str | None = None


class DisclosureCell(_Cell):
    """Table 二 (active disclosure): one metric of one item."""

    clause: str  # "20.1", "20.5", "20.6", "20.8", "20.9"
    item: str  # regulations, normative_documents, licensing, ...
    metric: str  # new_made, issued, decisions, fee_amount, ...
    value: int | float | None = None
    raw: str = ""
    kind: ValueKind = "blank"
    unit: str | None = None
    note: str | None = None


class ApplicationCell(_Cell):
    """Table 三 (applications): one row key × one applicant column."""

    row: str  # new_received, granted, denied_state_secret, ..., carried_forward
    applicant: str  # natural_person, commercial_enterprise, ..., total
    value: int | float | None = None
    raw: str = ""
    kind: ValueKind = "blank"
    unit: str | None = None
    note: str | None = None


class ReviewCell(_Cell):
    """Table 四 (administrative reviews and lawsuits): one proceeding × outcome."""

    proceeding: str  # admin_review, litigation_direct, litigation_after_review
    outcome: str  # upheld, corrected, other, pending, total
    value: int | float | None = None
    raw: str = ""
    kind: ValueKind = "blank"
    unit: str | None = None
    note: str | None = None


class Section(_Record):
    """A numbered heading and the text under it (verbatim, tables excluded)."""

    number: int | None = None  # 1..6 for the statutory sections, n for （n）/ n.
    key: str | None = None  # overview, active_disclosure, ... (statutory level only)
    heading: str = ""
    text: str = ""
    children: list[Section] = Field(default_factory=list)


class CheckResult(_Record):
    """One consistency rule applied to one scope (a column, row or proceeding)."""

    check: str  # t3.balance, t3.row_total, t3.outcomes, t4.total, cross_year.carry, ...
    scope: str  # the column / row / proceeding key the rule was applied to
    status: CheckStatus
    expected: int | float | None = None
    actual: int | float | None = None
    difference: int | float | None = None
    message: str | None = None


class Warning(_Record):
    """Something the parser saw but could not do, or a fact a reader must know."""

    code: str  # e.g. table_unmapped, table_truncated, not_a_report, encoding_mismatch
    message: str


class RawTable(_Record):
    """A table as a rectangular grid of cell texts, kept whatever its meaning."""

    index: int  # order of appearance in the page
    section: int | None = None  # statutory section number it sits under
    role: TableRole = "other"
    rows: list[list[str]] = Field(default_factory=list)


class Attachment(_Record):
    url: str
    text: str = ""
    ext: str = ""


class SourceInfo(_Record):
    path: str | None = None
    url: str | None = None
    sha256: str
    size: int
    encoding: str | None = None  # codec actually used to decode the bytes
    encoding_method: str | None = None  # bom, http, meta, detected, fallback, text; pdf, docx, doc


class ErrorInfo(_Record):
    code: str  # empty, binary, unreadable, undecodable, encrypted, unsupported_format, internal
    message: str


class Report(_Record):
    """One parsed page: metadata, sections, the three tables and their checks."""

    source: SourceInfo
    parser_version: str = PARSER_VERSION
    kind: PageKind = "unknown"
    format: Format = "unknown"
    year: int | None = None
    title: str | None = None
    org: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    sections: list[Section] = Field(default_factory=list)
    active_disclosure: list[DisclosureCell] = Field(default_factory=list)
    applications: list[ApplicationCell] = Field(default_factory=list)
    reviews: list[ReviewCell] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
    tables: list[RawTable] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)

    def application(self, row: str, applicant: str = "total") -> ApplicationCell | None:
        """The table 三 cell at ``row`` × ``applicant``, if the page had it."""
        return next(
            (c for c in self.applications if c.row == row and c.applicant == applicant), None
        )

    def disclosure(self, item: str, metric: str) -> DisclosureCell | None:
        """The table 二 cell for ``item`` × ``metric``, if the page had it."""
        return next(
            (c for c in self.active_disclosure if c.item == item and c.metric == metric), None
        )

    def review(self, proceeding: str, outcome: str) -> ReviewCell | None:
        """The table 四 cell for ``proceeding`` × ``outcome``, if the page had it."""
        return next(
            (c for c in self.reviews if c.proceeding == proceeding and c.outcome == outcome), None
        )

    def check_status(self, check: str, scope: str) -> str | None:
        return next((c.status for c in self.checks if c.check == check and c.scope == scope), None)

    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]


class ParseFailure(_Record):
    """An input that could not be parsed at all; the run goes on without it."""

    source: SourceInfo
    parser_version: str = PARSER_VERSION
    error: ErrorInfo


ParseOutcome = Report | ParseFailure


class HttpMeta(_Record):
    """What the crawler knew about a response, stored beside the document's bytes."""

    url: str  # the URL asked for (canonical form)
    final_url: str | None = None  # after redirects
    status: int
    headers: dict[str, str] = Field(default_factory=dict)  # lower-cased names
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    fetched_at: str  # ISO 8601 UTC
    page_url: str | None = None  # for an attachment: the page that linked it
