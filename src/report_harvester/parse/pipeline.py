"""Orchestration: input → decode → blocks → sections/metadata/tables → checks → Report.

Nothing here raises for a bad page: an input that cannot be read at all gives a
``ParseFailure``; anything else gives a ``Report`` whose warnings say what could
not be done.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from ..check.rules import run_report_checks
from ..decode import charset
from ..decode.markup import strip_markup
from ..models import (
    Attachment,
    ErrorInfo,
    ParseFailure,
    ParseOutcome,
    Report,
    SourceInfo,
    Warning,
)
from .grid import PageContent, TableBlock, blocks_text
from .html import extract_page
from .metadata import (
    PageFacts,
    decide_format,
    decide_kind,
    decide_year,
    find_org,
    find_published,
    find_title,
    org_from_title,
    preamble_is_notice,
    preamble_names_report,
)
from .pdf import PdfError, extract_pdf
from .pdf_rows import rebuilt_layout_text
from .pipes import is_boxed, text_to_blocks
from .sections import split_sections
from .simplify import simplified
from .stream_tables import read_stream_tables
from .tables import incomplete, map_tables, prefer_stream
from .word import DocxError, extract_docx, is_docx
from .word_doc import DocError, extract_doc, is_ole

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"})
_HTML_SNIFF = re.compile(rb"<\s*(?:!doctype|html|head|body|table|div|p|meta|title)\b", re.I)
_PRE2019 = re.compile(r"概述|依申请公开|收费及减免|收费和减免|申请行政复议、提起行政诉讼")


def parse_html(html: bytes | str, url: str | None = None, *, org: str | None = None) -> Report:
    """Parse one HTML page (bytes in any encoding, or already-decoded text)."""
    if isinstance(html, str):
        data = html.encode("utf-8")
        source = _source(data, None, url, "utf-8", "text")
        return _guarded(lambda: _from_page(extract_page(html, url), source, org, html), source)
    outcome = parse_bytes(html, url=url, org=org, as_html=True)
    return outcome if isinstance(outcome, Report) else _failure_as_report(outcome)


def parse_text(text: str, *, org: str | None = None) -> Report:
    """Parse a text rendering (tables as pipe-delimited rows), like the seed."""
    source = _source(text.encode("utf-8"), None, None, "utf-8", "text")
    return _guarded(lambda: _from_text(text, source, org), source)


def _from_text(text: str, source: SourceInfo, org: str | None) -> Report:
    """A text rendering, once the HTML tags a converter left in it are out. Digits that
    end the text with no line break after them are not read: a copy cut there may have
    cut a number (``147`` kept as ``1``)."""
    cut = _ending_digits(text)
    text = strip_markup(text[: len(text) - len(cut)])
    if "\f" in text:  # a PDF's text (pdftotext): rows whose labels wrapped are joined
        text = rebuilt_layout_text(text) or text
    report = _from_page(PageContent(blocks=text_to_blocks(text)), source, org, rendering=text)
    if cut:
        report.warnings.append(
            Warning(
                code="text_cut",
                message=f"the text ends in {cut!r} with no line break after it: a number cut"
                " there may be longer, so it is not read",
            )
        )
    return report


def _ending_digits(text: str) -> str:
    """The number (digits, ``.`` and ``,``) the text ends in, or ``""``; not the last
    part of a date, a time or a telephone number (``2020-01-21``, ``0000-0000000``)."""
    if not text[-1:].isdigit():
        return ""
    start = len(text)
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".,"):
        start -= 1
    if start > 0 and text[start - 1] in "-/:":
        return ""
    return text[start:]


def parse_bytes(
    data: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    http_charset: str | None = None,
    org: str | None = None,
    as_html: bool | None = None,
) -> ParseOutcome:
    """Parse raw bytes; HTML or text is decided by the path's suffix, else by sniffing."""
    source = _source(data, path, url, None, None)
    if not data.strip():
        return _fail(source, "empty", "the input is empty" if not data else "the input is blank")
    try:
        return _parse_checked_bytes(data, source, url, http_charset, org, as_html)
    except Exception as exc:  # a parser bug must not stop a batch
        return _fail(source, "internal", f"parser error {type(exc).__name__}: {exc}")


def _parse_checked_bytes(
    data: bytes,
    source: SourceInfo,
    url: str | None,
    http_charset: str | None,
    org: str | None,
    as_html: bool | None,
) -> ParseOutcome:
    if data.lstrip()[:5] == b"%PDF-":
        return _parse_pdf(data, source, org)
    if is_docx(data):
        return _parse_docx(data, source, org)
    if is_ole(data):
        return _parse_doc(data, source, org)
    if charset.looks_binary(data):
        return _fail(source, "binary", f"binary data ({_binary_kind(data)}), not a page or text")
    decoded = charset.decode_bytes(data, http_charset)
    source = source.model_copy(
        update={"encoding": decoded.encoding, "encoding_method": decoded.method}
    )
    if as_html is None:
        as_html = _looks_like_html(data, source.path or url)
    text = decoded.text
    if as_html:
        # the page's own bytes are its UTF-8 when it decoded strictly as UTF-8 (no BOM)
        utf8 = data if decoded.encoding == "utf-8" and decoded.method != "bom" else None
        report = _from_page(extract_page(text, url, utf8=utf8), source, org, text)
    else:
        report = _from_text(text, source, org)
    report.warnings[:0] = [Warning(code=c, message=m) for c, m in decoded.warnings]
    return report


def _parse_pdf(data: bytes, source: SourceInfo, org: str | None) -> ParseOutcome:
    """A PDF read from its page geometry (pdf.py); a scan is ``image_only``."""
    source = source.model_copy(update={"encoding_method": "pdf"})
    try:
        page, text = extract_pdf(data)
    except PdfError as exc:
        return _fail(source, exc.code, str(exc))
    if not text.strip():
        return Report(
            source=source,
            kind="image_only",
            warnings=[
                Warning(
                    code="image_only",
                    message="the PDF has no text layer (a scan); nothing to read without OCR",
                )
            ],
        )
    # the text layer too: an unruled table has no grid, but its labels and values are there
    return _from_page(page, source, org, rendering=text)


def _parse_doc(data: bytes, source: SourceInfo, org: str | None) -> ParseOutcome:
    """An old binary Word file's text, its tables as pipe rows (word_doc.py), read as a
    text rendering is."""
    source = source.model_copy(update={"encoding_method": "doc"})
    try:
        text = extract_doc(data)
    except DocError as exc:
        return _fail(source, exc.code, str(exc))
    return _from_text(text, source, org)


def _parse_docx(data: bytes, source: SourceInfo, org: str | None) -> ParseOutcome:
    """A Word file's paragraphs and real tables (word.py)."""
    source = source.model_copy(update={"encoding_method": "docx"})
    try:
        page = extract_docx(data)
    except DocxError as exc:
        return _fail(source, "unreadable", str(exc))
    return _from_page(page, source, org)


def parse_file(path: str | Path, *, org: str | None = None) -> ParseOutcome:
    """Parse a saved file; an unreadable path gives a ``ParseFailure``, never an exception."""
    return read_and_parse(path, org=org)[0]


def failure(
    data: bytes, code: str, message: str, *, path: str | None = None, url: str | None = None
) -> ParseFailure:
    """A ``ParseFailure`` for ``data`` found by a caller (a parse over its budget …)."""
    return _fail(_source(data, path, url, None, None), code, message)


def read_and_parse(path: str | Path, *, org: str | None = None) -> tuple[ParseOutcome, bytes]:
    """``parse_file`` that also hands back the bytes it read (empty when unreadable)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        source = SourceInfo(path=str(p), sha256="", size=0)
        return _fail(source, "unreadable", f"cannot read {p}: {exc.strerror or exc}"), b""
    return parse_bytes(data, path=str(p), org=org), data


def _from_page(
    page: PageContent,
    source: SourceInfo,
    org: str | None,
    page_text: str = "",
    *,
    rendering: str = "",
) -> Report:
    """``page_text``: the HTML (for dates in scripts); ``rendering``: a text rendering's
    whole text, which the stream reader also reads (stream_tables)."""
    split = split_sections(page.blocks)
    all_lines = [line for _, line in split.lines]
    title = find_title(page.title, all_lines)
    body_text = "\n".join(all_lines)
    tables = map_tables(split.tables, split.lines)
    if rendering:
        if is_boxed(rendering) or any(
            isinstance(b, TableBlock) and b.grid.wrapped for b in page.blocks
        ):
            # a grid table whose cells wrap over lines (w3m's box-drawn dumps, pandoc):
            # the stream reads its rows as joined, not the wrapped lines, whose labels
            # run down past their values
            rendering = blocks_text(page.blocks)
        prefer_stream(tables, read_stream_tables(rendering))
    elif split.tables and incomplete(tables):
        # grids the grid reader could not take whole (a table cut into pieces, a row per
        # table): the stream reader reads the same cells from the page as text, and has
        # a say in the format only when it read some (a pre-2019 page votes nothing)
        stream = read_stream_tables(blocks_text(page.blocks))
        if stream.applications or stream.active_disclosure or stream.reviews:
            prefer_stream(tables, stream)
    year, year_warnings = decide_year(title, body_text)
    statutory = [s for s in split.sections if s.number is not None]
    mapped = sum(1 for t in tables.raw_tables if t.role != "other")
    facts = PageFacts(
        title=title,
        text_length=len(body_text) - len(title or ""),
        section_count=len(statutory),
        mapped_tables=mapped,
        image_count=page.image_count,
        attachment_count=len(page.attachments),
        format_votes=tables.format_votes,
        pre2019_headings=any(_PRE2019.search(simplified(s.heading)) for s in statutory),
        year=year,
        preamble_names_report=preamble_names_report(all_lines),
        preamble_is_notice=preamble_is_notice(all_lines),
    )
    kind, kind_warnings = decide_kind(facts)
    fmt, format_warnings = decide_format(facts, kind)
    warnings = [*year_warnings, *kind_warnings, *format_warnings, *tables.warnings]
    read_any = tables.applications or tables.active_disclosure or tables.reviews
    if kind == "report" and fmt in ("2019", "2021", "unknown") and not (mapped or read_any):
        found = (
            f"none of the page's {len(split.tables)} table(s) is table 二, 三 or 四"
            if split.tables
            else "no tables found on the page"
        )
        warnings.append(
            Warning(code="no_tables", message=f"{found}; tables 二, 三, 四 are missing")
        )
    if page.truncated and not any(w.code == "table_truncated" for w in warnings):
        warnings.append(Warning(code="truncated", message="the page ends before </html>"))
    report = Report(
        source=source,
        kind=kind,
        format=fmt,
        year=year,
        title=title,
        org=(find_org(title, all_lines) if kind == "report" else org_from_title(title)) or org,
        published=find_published(page.meta, all_lines, page_text),
        sections=split.sections,
        active_disclosure=tables.active_disclosure,
        applications=tables.applications,
        reviews=tables.reviews,
        warnings=warnings,
        tables=tables.raw_tables,
        attachments=[Attachment(url=u, text=t, ext=_ext(u)) for u, t in page.attachments],
    )
    report.checks = run_report_checks(report)
    return report


def _source(
    data: bytes, path: str | None, url: str | None, encoding: str | None, method: str | None
) -> SourceInfo:
    return SourceInfo(
        path=path,
        url=url,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=encoding,
        encoding_method=method,
    )


def _fail(source: SourceInfo, code: str, message: str) -> ParseFailure:
    return ParseFailure(source=source, error=ErrorInfo(code=code, message=message))


def _failure_as_report(failure: ParseFailure) -> Report:
    return Report(
        source=failure.source,
        warnings=[Warning(code=failure.error.code, message=failure.error.message)],
    )


def _guarded(build: Callable[[], Report], source: SourceInfo) -> Report:
    try:
        return build()
    except Exception as exc:  # a parser bug must not stop a batch
        return Report(
            source=source,
            warnings=[
                Warning(code="internal", message=f"parser error {type(exc).__name__}: {exc}")
            ],
        )


def _looks_like_html(data: bytes, name: str | None) -> bool:
    suffix = Path(name.split("?")[0]).suffix.lower() if name else ""
    if suffix in TEXT_SUFFIXES:
        return False
    if suffix in HTML_SUFFIXES:
        return True
    return bool(_HTML_SNIFF.search(data[:4096]))


def _binary_kind(data: bytes) -> str:
    for magic, name in (
        (b"%PDF", "PDF"),
        (b"PK\x03\x04", "ZIP/DOCX"),
        (b"\xd0\xcf\x11\xe0", "DOC/XLS"),
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8", "GIF"),
    ):
        if data.startswith(magic):
            return name
    return "unknown format"


def _ext(url: str) -> str:
    return Path(url.split("?")[0]).suffix.lower().lstrip(".")
