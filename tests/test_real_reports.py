"""Real published reports (../shared/real, read-only, not in the project): every hand-read
cell is compared, and each file must keep at least the cells it reads today (a floor that
only goes up). Skipped when the folder is absent, as the seed tests are."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from report_harvester import parse_file, parse_text
from report_harvester.models import Report

REPO = Path(__file__).resolve().parents[1]


def real_dir() -> Path | None:
    roots = [Path(os.environ["REPORT_HARVESTER_SHARED"])] if "REPORT_HARVESTER_SHARED" in \
        os.environ else []
    roots.append(REPO.parent / "shared")
    return next((r / "real" for r in roots if (r / "real" / "expected").is_dir()), None)


# cells read right today, per file (of the hand-read cells listed in expected/NAME.json)
FLOORS = {
    "pages-02.txt": 44, "pages-04.txt": 21, "pages-06.txt": 18, "pages-08.txt": 20,
    "pages-10.txt": 22, "pages-12.txt": 10, "pages-14.txt": 10, "pages-16.txt": 10,
    "pages-18.txt": 7, "pages-20.txt": 10, "pages-22.txt": 34, "pages-26.txt": 15,
    "pages-28.txt": 31, "pages-30.txt": 28, "pages-34.txt": 31, "pages-38.txt": 9,
    "pages-42.txt": 73, "real-02.txt": 200, "real-04.md": 194, "real-05.txt": 179,
    "real-07.txt": 197, "pdf-hzq2023_working.pdf": 186,
}
FORMATS_WRONG_TODAY: set[str] = set()


def expected_files() -> list[str]:
    root = real_dir()
    if root is None:
        return []
    return sorted(p.name for p in (root / "expected").glob("*.json"))


def wanted(exp: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    out = {}
    for table, name in (("t3", "applications"), ("t4", "reviews"), ("t2", "active_disclosure")):
        for row, cols in (exp.get(name) or {}).items():
            for col, value in cols.items():
                out[(table, row, col)] = value
    return out


def got(report: Report) -> dict[tuple[str, str, str], Any]:
    out: dict[tuple[str, str, str], Any] = {}
    for a in report.applications:
        out[("t3", a.row, a.applicant)] = a.value
    for r in report.reviews:
        out[("t4", r.proceeding, r.outcome)] = r.value
    for d in report.active_disclosure:
        out[("t2", d.item, d.metric)] = d.value
    return out


def right(expected: Any, key: tuple[str, str, str], cells: dict[tuple[str, str, str], Any]) -> bool:
    if key not in cells:
        return False
    value = cells[key]
    if expected is None:
        return value is None
    return isinstance(expected, int | float) and value is not None and abs(value - expected) < 1e-6


@pytest.mark.parametrize("name", expected_files() or ["(absent)"])
def test_real_report_keeps_its_cells(name: str) -> None:
    root = real_dir()
    if root is None:
        pytest.skip("../shared/real not found (set REPORT_HARVESTER_SHARED)")
    exp = json.loads((root / "expected" / name).read_text(encoding="utf-8"))
    report = parse_file(root / exp["file"])
    cells = got(report) if isinstance(report, Report) else {}
    want = wanted(exp)
    hits = sum(right(v, k, cells) for k, v in want.items())
    assert hits >= FLOORS.get(exp["file"], 0), f"{exp['file']}: {hits}/{len(want)} cells right"
    if exp["file"] not in FORMATS_WRONG_TODAY and isinstance(report, Report):
        assert report.format == exp["format"]


_TRADITIONAL = str.maketrans(
    "规章处理总计结转请复议诉讼维持纠正审结项数量开业构机组织务关费录执报确认类办",
    "規章處理總計結轉請復議訴訟維持糾正審結項數量開業構機組織務關費錄執報確認類辦",
)
RENDERINGS: dict[str, Callable[[str], str]] = {  # ways the same page reaches users, none of which changes a cell
    "traditional": lambda t: t.translate(_TRADITIONAL),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "no-break spaces": lambda t: t.replace(" ", "\u00a0"),
    "full-width digits": lambda t: t.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "spaces between characters": lambda t: re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", " ", t),
    "spaces left as &nbsp;": lambda t: t.replace(" ", "&nbsp;"),  # a text that never decoded it
}


@pytest.mark.parametrize("rendering", sorted(RENDERINGS))
def test_real_text_reads_the_same_in_other_renderings(rendering: str) -> None:
    changed = []
    for file, text, want in _real_texts():
        before = {k: v for k, v in got(parse_text(text)).items() if k in want}
        after = {k: v for k, v in got(parse_text(RENDERINGS[rendering](text))).items() if k in want}
        if after != before:
            changed.append(file)
    assert changed == []


def test_pages_cut_anywhere_never_give_a_wrong_number() -> None:
    """A flip-book page or a saved excerpt starts and ends anywhere: cells it cannot
    place come out blank, but no cell ever holds a number the source does not."""
    rng = random.Random(20261206)
    wrong = []
    for file, text, want in _real_texts():
        lines = text.split("\n")
        for _ in range(40):
            a = rng.randrange(len(lines))
            b = rng.randint(a, len(lines))
            for key, value in got(parse_text("\n".join(lines[a:b]))).items():
                expected = _number_in(want.get(key, value))
                if value is not None and (expected is None or abs(value - expected) > 1e-6):
                    wrong.append((file, a, b, key, expected, value))
    assert wrong == []


def test_pages_cut_at_any_character_read_no_number_the_whole_page_does_not() -> None:
    """A download or a copy cut mid-line (inside a header word, after ``75.`` of
    ``75.9260``): every number read from the piece is the one the whole page gives that
    cell. A cut inside a number is not drawn: ``251`` of ``251000`` reads as printed."""
    rng = random.Random(20261207)
    wrong = []
    for file, text, _ in _real_texts():
        whole = got(parse_text(text))
        drawn = 0
        while drawn < 40:
            a = rng.randrange(len(text))
            b = rng.randint(a, len(text))
            if _inside_number(text, a) or _inside_number(text, b):
                continue
            drawn += 1
            for key, value in got(parse_text(text[a:b])).items():
                if value is not None and whole.get(key) != value:
                    wrong.append((file, a, b, key, whole.get(key), value))
    assert wrong == []


def _real_texts() -> list[tuple[str, str, dict[tuple[str, str, str], Any]]]:
    """Each real text file's name, text and hand-read cells (skips without the folder)."""
    root = real_dir()
    if root is None:
        pytest.skip("../shared/real not found (set REPORT_HARVESTER_SHARED)")
    out = []
    for name in expected_files():
        exp = json.loads((root / "expected" / name).read_text(encoding="utf-8"))
        if not exp["file"].endswith(".pdf"):
            text = (root / exp["file"]).read_text(encoding="utf-8")
            out.append((exp["file"], text, wanted(exp)))
    return out


def _inside_number(text: str, i: int) -> bool:
    """Whether position ``i`` of ``text`` falls between two characters of one number."""
    pair = text[i - 1 : i + 1] if i > 0 else ""
    return len(pair) == 2 and pair != ".." and all(ch.isdigit() or ch == "." for ch in pair)


def _number_in(expected: Any) -> float | None:
    """A hand-read value as a number: ``24.5万元`` → 24.5, ``/`` → None."""
    if isinstance(expected, int | float) or expected is None:
        return expected
    m = re.search(r"-?\d+(?:\.\d+)?", str(expected))
    return float(m.group()) if m else None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_the_real_pdf_as_pdftotext_layout_gives_every_hand_read_cell(tmp_path: Path) -> None:
    """``pdftotext -layout``: the PDF's tables as columns of spaces, the text a user
    holds who converted the PDF. Every hand-read cell is read from it."""
    root = real_dir()
    if root is None:
        pytest.skip("../shared/real not found (set REPORT_HARVESTER_SHARED)")
    exp = json.loads((root / "expected" / "pdf-hzq2023_working.json").read_text(encoding="utf-8"))
    out = tmp_path / "layout.txt"
    subprocess.run(["pdftotext", "-layout", str(root / exp["file"]), str(out)], check=True)
    report = parse_text(out.read_text(encoding="utf-8"))
    want, cells = wanted(exp), got(report)
    assert [k for k, v in want.items() if not right(v, k, cells)] == []
    assert report.format == exp["format"]


@pytest.mark.parametrize("layout", [False, True])
def test_the_real_pdf_as_pdfplumber_text_gives_every_hand_read_cell(layout: bool) -> None:
    """pdfplumber's ``extract_text``: text in reading order, where many of table 三's
    value lines stand above their label. They are matched to their rows in order, and
    every hand-read cell is read."""
    root = real_dir()
    if root is None:
        pytest.skip("../shared/real not found (set REPORT_HARVESTER_SHARED)")
    exp = json.loads((root / "expected" / "pdf-hzq2023_working.json").read_text(encoding="utf-8"))
    with pdfplumber.open(root / exp["file"]) as pdf:
        text = "\n".join(page.extract_text(layout=layout) or "" for page in pdf.pages)
    report = parse_text(text)
    want, cells = wanted(exp), got(report)
    assert [k for k, v in want.items() if not right(v, k, cells)] == []
    assert "t3_rows_in_order" in report.warning_codes()
