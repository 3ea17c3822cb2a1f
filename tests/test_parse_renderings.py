"""The same report in the text renderings people make of a page gives the same cells.

Each HTML fixture's content is rendered the way a browser copy (tab-separated
rows), an ASCII grid table (``+----+`` rulings, as pandoc and tabulate print)
and a Markdown converter give it: a merged cell's text in its first row and
column only, empty cells kept. Every table cell read from the page must be read
from each rendering, with the same value and kind. A rendering in columns of spaces
(``pdftotext -layout``, ``w3m -dump``) keeps no empty cell: its table 三 is read by
its columns.
"""

from __future__ import annotations

import html as html_module
import random
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from report_harvester import parse_file, parse_html, parse_text
from report_harvester.decode.charset import decode_bytes
from report_harvester.models import Report
from report_harvester.parse.grid import Grid, Paragraph
from report_harvester.parse.html import extract_page

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
STYLES = ("tabs", "ascii-grid", "markdown")


def cells(report: Report) -> dict[tuple[str, ...], tuple[object, str]]:
    out: dict[tuple[str, ...], tuple[object, str]] = {}
    for a in report.applications:
        out["t3", a.row, a.applicant] = (a.value, a.kind)
    for d in report.active_disclosure:
        out["t2", d.item, d.metric] = (d.value, d.kind)
    for r in report.reviews:
        out["t4", r.proceeding, r.outcome] = (r.value, r.kind)
    return out


def plain_rows(grid: Grid) -> list[list[str]]:
    """One entry per column; a merged cell's text in its first slot, the rest empty."""
    return [
        [cell.text if (cell.row, cell.col) == (r, c) else "" for c, cell in enumerate(row)]
        for r, row in enumerate(grid.rows)
    ]


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def padded(row: list[str], widths: list[int]) -> str:
    """A row of a Markdown or grid table, each cell padded to its column's width."""
    cells = (text + " " * (w - width(text)) for text, w in zip(row, widths, strict=True))
    return "| " + " | ".join(cells) + " |"


def rendered(page_html: str, table_lines: Callable[[list[list[str]]], list[str]]) -> str:
    """The page's blocks as text: a paragraph per line, each table as ``table_lines``
    prints its ``plain_rows``."""
    lines: list[str] = []
    for block in extract_page(page_html).blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines += table_lines(plain_rows(block.grid))
    return "\n".join(lines)


def render(page_html: str, style: str, *, spacer: int | None = None) -> str:
    """``spacer``: an empty column inserted at that index of every table (a narrow
    column a Word table kept for layout)."""

    def table_lines(rows: list[list[str]]) -> list[str]:
        if spacer is not None:
            rows = [[*row[:spacer], "", *row[spacer:]] for row in rows]
        if style == "tabs":
            return ["\t".join(row) for row in rows]
        widths = [max(width(row[c]) for row in rows) for c in range(len(rows[0]))]
        printed = [padded(row, widths) for row in rows]
        if style == "markdown":
            rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
            return [printed[0], rule, *printed[1:]]
        ruling = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        return [ruling, *(line for row_line in printed for line in (row_line, ruling))]

    return rendered(page_html, table_lines)


TABLE_PAGES = [p for p in sorted(PAGES.glob("*.html")) if cells(parse_html(p.read_bytes()))]


def spaced(page_html: str, measure: Callable[[str], int], align: str, gap: int) -> str:
    """The page with its tables printed in columns of spaces, no separators: how
    ``pdftotext -layout`` (``measure=len``: character cells) or ``w3m -dump`` and
    inscriptis (``measure=width``: a CJK character is two columns) give a table. An
    empty cell prints nothing."""

    def table_lines(rows: list[list[str]]) -> list[str]:
        widths = [max(measure(row[c]) for row in rows) for c in range(len(rows[0]))]
        lines = []
        for row in rows:
            printed = []
            for text, w in zip(row, widths, strict=True):
                pad = w - measure(text)
                left = {"left": 0, "right": pad, "center": pad // 2}[align]
                printed.append(" " * left + text + " " * (pad - left))
            lines.append((" " * gap).join(printed).rstrip())
        return lines

    return rendered(page_html, table_lines)


def test_the_pages_with_tables_are_enough_to_say_something() -> None:
    assert len(TABLE_PAGES) >= 10


@pytest.mark.parametrize("path", TABLE_PAGES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "spacer", [None, 1, -1], ids=["", "spacer-after-label", "spacer-before-total"]
)
def test_a_rendering_reads_to_the_cells_of_its_page(
    path: Path, style: str, spacer: int | None
) -> None:
    """An empty column anywhere is no cell: the header's columns say where values are."""
    data = path.read_bytes()
    want = cells(parse_html(data))
    got = cells(parse_text(render(decode_bytes(data, None).text, style, spacer=spacer)))
    assert {k: got.get(k) for k in want} == want
    # a row the page cut short is printed with empty cells: they read as blanks
    assert {got[k] for k in set(got) - set(want)} <= {(None, "blank")}


@pytest.mark.parametrize("path", TABLE_PAGES, ids=lambda p: p.stem)
@pytest.mark.parametrize("measure", [len, width], ids=["chars", "display"])
@pytest.mark.parametrize("align", ["left", "right", "center"])
def test_a_space_aligned_rendering_reads_every_table_by_its_columns(
    path: Path, measure: Callable[[str], int], align: str
) -> None:
    """No separator shows an empty cell, so rows with empty cells are placed by the
    columns their table's whole rows or header words print at: every table cell of the
    page is read (a page cut inside a row: all but that row), none wrong. A table 二
    block whose one row has one value is not: one value meeting a header word's edge
    may be chance."""
    data = path.read_bytes()
    page = parse_html(data)
    want = cells(page)
    lone = {
        k[1] for k in want if k[0] == "t2" and sum(
            1 for j, v in want.items() if j[:2] == k[:2] and v[0] is not None
        ) == 1
    }  # fmt: skip
    for gap in (1, 2):
        got = cells(parse_text(spaced(decode_bytes(data, None).text, measure, align, gap)))
        assert {k: v for k, v in got.items() if v[0] is not None and want.get(k) != v} == {}
        unread = {k[1] for k, v in want.items() if got.get(k) != v} - lone
        cut = any(w.code == "table_truncated" for w in page.warnings)
        assert len(unread) <= (1 if cut else 0), unread


def read_through(command: list[str]) -> tuple[int, int]:
    """Every table page converted by a real tool (``command``, HTML on its input): no
    cell read wrong, and (read, total) of the page's own cells."""
    read = total = 0
    for path in TABLE_PAGES:
        data = path.read_bytes()
        converted = subprocess.run(
            command, input=decode_bytes(data, None).text.encode(), capture_output=True,
            check=True,
        ).stdout.decode()  # fmt: skip
        want, got = cells(parse_html(data)), cells(parse_text(converted))
        assert {k: v for k, v in got.items() if v[0] is not None and want.get(k) != v} == {}
        read += sum(got.get(k) == v for k, v in want.items())
        total += len(want)
    return read, total


@pytest.mark.skipif(shutil.which("w3m") is None, reason="w3m is not installed")
@pytest.mark.parametrize("columns", [200, 80])
def test_a_w3m_dump_reads_to_the_cells_of_its_pages(columns: int) -> None:
    """The real tool's rendering (``w3m -dump``: box-drawn tables, cells wrapped over
    lines, label columns one character wide, rowspan labels printed on rulings): every
    cell of the page is read, none wrong."""
    read, total = read_through(
        ["w3m", "-dump", "-T", "text/html", "-cols", str(columns), "-I", "UTF-8", "-O", "UTF-8"]
    )
    assert read == total, f"{read}/{total}"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize(
    "to", ["gfm", "markdown", "markdown_strict", "asciidoc", "mediawiki", "textile", "rst"]
)
def test_a_pandoc_conversion_reads_to_the_cells_of_its_pages(to: str) -> None:
    """pandoc's Markdown and wiki writers keep Word's ``<span style="font-size:10.5pt">``
    in cells (GFM), as ``[…]{style=…}`` spans (its own Markdown), or the whole table as
    HTML (strict Markdown); AsciiDoc and MediaWiki have tables of their own: no style's
    number is read, and the cells are."""
    read, total = read_through(["pandoc", "-f", "html", "-t", to, "--wrap=none"])
    # pandoc's own Markdown prints cells in columns of spaces, its empty ones as nothing:
    # its spans are padded to their width, so a row's values stay under their columns
    assert read >= 0.99 * total, f"{read}/{total}"


# The page as a 繁體 switch serves it (simplified → traditional, common characters).
_TO_TRADITIONAL = str.maketrans(
    "规处总计结转请复议诉讼维纠审项数开业构机组织务关费录执报确认类办区国发时间万无条于对属废"
    "现获决经续罚补许询护读购进过适题额体会动内问单当图减稳范约纳缴继举这静页设访况权没县财东"
    "鸣岚临称门户网",
    "規處總計結轉請復議訴訟維糾審項數開業構機組織務關費錄執報確認類辦區國發時間萬無條於對屬廢"
    "現獲決經續罰補許詢護讀購進過適題額體會動內問單當圖減穩範約納繳繼舉這靜頁設訪況權沒縣財東"
    "鳴嵐臨稱門戶網",
)
REPORT_PAGES = [
    p for p in sorted(PAGES.glob("*.html")) if parse_html(p.read_bytes()).kind != "unknown"
]


@pytest.mark.parametrize("path", REPORT_PAGES, ids=lambda p: p.stem)
def test_a_page_in_traditional_characters_reads_the_same(path: Path) -> None:
    page = parse_html(path.read_bytes())
    text = decode_bytes(path.read_bytes(), None).text
    traditional = parse_html(text.translate(_TO_TRADITIONAL))
    assert cells(traditional) == cells(page)
    assert (traditional.kind, traditional.format, traditional.year, traditional.published) == (
        page.kind, page.format, page.year, page.published
    )  # fmt: skip
    assert [s.key for s in traditional.sections] == [s.key for s in page.sections]
    assert traditional.org == (page.org.translate(_TO_TRADITIONAL) if page.org else None)
    assert len(traditional.checks) == len(page.checks)


@pytest.mark.parametrize("every", [1, 4])
@pytest.mark.parametrize("path", TABLE_PAGES, ids=lambda p: p.stem)
def test_a_table_cut_into_pieces_reads_the_same(path: Path, every: int) -> None:
    """Editors cut Word tables at page breaks, some into one table per row: the
    pieces (no header, a row or two each) are read as the table they came from."""
    data = path.read_bytes()
    rows = re.split(r"(?i)(?=<tr[\s>])", decode_bytes(data, None).text)
    pieces = "".join(
        part if i % every else re.sub(r"(?i)^<tr", "</table><table><tr", part)
        for i, part in enumerate(rows)
    )
    page, cut = parse_html(data), parse_html(pieces)
    got = cells(cut)
    # the grids the text reader stood in for are named once per section, not one by one
    unmapped = [w.message for w in cut.warnings if w.code == "table_unmapped"]
    assert len(unmapped) <= 3, unmapped
    assert all("the page's text was read" in m for m in unmapped), unmapped
    if any(w.code == "table_truncated" for w in page.warnings):
        # the row the page is cut in stands alone: its first cells cannot be told from
        # a row with blanks dropped, so it may come out blank, never wrong
        assert all(got[k] == v for k, v in cells(page).items() if got.get(k, v)[0] is not None)
        assert {k for k, v in got.items() if v[0] is not None} <= set(cells(page))
        return
    assert got == cells(page)
    # every row is there: no warning may say that rows are missing or the table ends early
    missing = {"table_truncated", "t3_rows_missing"} - set(page.warning_codes())
    assert missing.isdisjoint(cut.warning_codes()), cut.warnings


@pytest.mark.parametrize("path", TABLE_PAGES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", STYLES)
def test_a_rendering_squeezed_onto_one_line_never_gives_a_wrong_number(
    path: Path, style: str
) -> None:
    """An archive's flattening puts the whole page on one line: where rows meet, an
    empty last cell and the next row's padding are one run of blanks, and which is
    which is unknown. Such rows may come out blank; a number read is the page's."""
    data = path.read_bytes()
    want = cells(parse_html(data))
    flat = render(decode_bytes(data, None).text, style).replace("\n", " ")
    got = cells(parse_text(flat))
    assert {k: v for k, v in got.items() if v[0] is not None and want.get(k) != v} == {}


def test_excerpts_of_the_renderings_never_give_a_wrong_number() -> None:
    """A page cut anywhere (a flip-book page, a truncated download) in any rendering:
    what is read is the page's, or blank. A cut inside a number reads what is printed,
    so excerpts ending inside one are not drawn."""
    rng = random.Random(20261206)
    renderings = [
        (cells(parse_html(p.read_bytes())), render(decode_bytes(p.read_bytes(), None).text, s, spacer=sp))
        for p in TABLE_PAGES
        for s in STYLES
        for sp in (None, 1, -1)
    ]  # fmt: skip
    wrong: list[tuple[int, int, dict[tuple[str, ...], tuple[object, str]]]] = []
    drawn = 0
    while drawn < 600:
        want, text = rng.choice(renderings)
        a = rng.randrange(len(text))
        b = rng.randrange(a, len(text) + 1)
        if _inside_number(text, b):
            continue
        drawn += 1
        got = cells(parse_text(text[a:b]))
        bad = {k: v for k, v in got.items() if v[0] is not None and want.get(k) != v}
        if bad:
            wrong.append((a, b, bad))
    assert wrong == []


def _inside_number(text: str, i: int) -> bool:
    """Whether position ``i`` of ``text`` falls between two characters of one number."""
    pair = text[i - 1 : i + 1] if i > 0 else ""
    return len(pair) == 2 and pair != ".." and all(ch.isdigit() or ch == "." for ch in pair)


def _cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    return bool(listed.stdout.strip())


@pytest.mark.skipif(
    shutil.which("chromium") is None or not _cjk_font(),
    reason="headless chromium with a Chinese font is not installed",
)
@pytest.mark.parametrize("name", ["01-2021-trs-word-paste", "02-2019-gbk-gb2312"])
def test_a_page_printed_to_pdf_by_a_browser_reads_to_its_cells(
    name: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Chromium's PDF: tables cut at page breaks, a row split over two pages. Every cell
    of the page is read, none wrong, and pdfminer says nothing on the terminal."""
    data = (PAGES / f"{name}.html").read_bytes()
    page = tmp_path / "page.html"
    page.write_text("\ufeff" + decode_bytes(data, None).text, encoding="utf-8")
    printed = tmp_path / "page.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={printed}", str(page)],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    capfd.readouterr()
    report = parse_file(printed)
    assert isinstance(report, Report)
    assert cells(report) == cells(parse_html(data))
    assert capfd.readouterr().err == ""


_INNER_TEXT = (
    "<script>addEventListener('load', () => { const text = document.body.innerText;"
    " const pre = document.createElement('pre'); pre.id = 'inner-text';"
    " pre.textContent = text; document.body.replaceChildren(pre); });</script>"
)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless chromium is not installed")
@pytest.mark.parametrize("name", ["08-2019-blank-totals", "16-2021-label-variants"])
def test_a_browsers_inner_text_reads_to_the_cells_of_its_page(name: str, tmp_path: Path) -> None:
    """What a copy out of the browser (or a crawler's ``inner_text()``) gives: a table whose
    cells hold paragraphs comes out a cell per paragraph, a line holding only a tab between
    cells, an empty cell as a non-breaking space. Every cell is read, none wrong."""
    data = (PAGES / f"{name}.html").read_bytes()
    html = decode_bytes(data, None).text
    page = tmp_path / "page.html"
    page.write_text("\ufeff" + html.replace("</body>", _INNER_TEXT + "</body>"), encoding="utf-8")
    dumped = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--virtual-time-budget=2000", "--dump-dom", str(page)],
        capture_output=True, timeout=120, check=True,
    ).stdout.decode()  # fmt: skip
    found = re.search(r'<pre id="inner-text">(.*?)</pre>', dumped, re.DOTALL)
    assert found is not None
    text = html_module.unescape(found.group(1))
    assert "\n\t\n" in text  # the rendering this test is about
    assert cells(parse_text(text)) == cells(parse_html(data))
