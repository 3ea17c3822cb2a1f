"""Blocks → the numbered section tree, and where each table sits in it.

Statutory headings are matched by number plus keywords (``二、主动公开政府信息情况``
may be reworded, but keeps 主动公开), and must go up: ``一、`` inside section 五
is a list item, not a new section. Inside a section the numbering goes
``（一）`` → ``1.`` → ``（1）``; each becomes a child ``Section``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Section
from .grid import Block, Grid, Paragraph
from .simplify import simplified

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# Section key by heading keywords, most specific first (pre-2019 headings use the same words).
_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reviews_litigation", re.compile(r"复议|诉讼")),
    ("fees", re.compile(r"收费|减免")),
    ("applications", re.compile(r"申请")),
    ("active_disclosure", re.compile(r"主动公开")),
    ("problems", re.compile(r"问题|改进|不足")),
    ("other_matters", re.compile(r"其他|其它|需要报告")),
    ("overview", re.compile(r"总体|概述|概况|基本情况|总述")),
)
_TOP = re.compile(r"^\s*([一二三四五六七八九]|十[一二]?)\s*[、．.]\s*(.*)$")
_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\s*[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*(.*)$"),
    re.compile(r"^\s*(\d{1,2})\s*[.．、](?!\d)\s*(.*)$"),
    re.compile(r"^\s*[(（]\s*(\d{1,2})\s*[)）]\s*(.*)$"),
)
# The first character a heading of each kind can start with (a quick test before the regexes).
_TOP_START = frozenset("一二三四五六七八九十")
_CHILD_START = frozenset("(（")
_HEADING_END = re.compile(r"[。：:；;！!]")
_MAX_HEADING = 40


@dataclass(slots=True)
class SectionSplit:
    sections: list[Section]
    tables: list[tuple[int | None, Grid]] = field(default_factory=list)
    lines: list[tuple[int | None, str]] = field(default_factory=list)


def cn_number(token: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (digits pass through)."""
    if token.isdigit():
        return int(token)
    if "十" not in token:
        return CN_DIGITS.get(token, 0)
    tens, _, ones = token.partition("十")
    return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


@lru_cache(maxsize=4096)
def section_key(heading: str) -> str | None:
    """The section a statutory heading names, from its keywords (traditional forms too)."""
    words = simplified(heading)
    for key, pattern in _KEYWORDS:
        if pattern.search(words):
            return key
    return None


def split_heading(rest: str) -> tuple[str, str]:
    """``总体情况。2020年…`` → (``总体情况``, ``2020年…``): heading up to the first stop."""
    m = _HEADING_END.search(rest)
    if m and m.start() <= _MAX_HEADING:
        return rest[: m.start()].strip(), rest[m.end() :].strip()
    if len(rest) <= _MAX_HEADING:
        return rest.strip(), ""
    return "", rest.strip()


def split_sections(blocks: list[Block]) -> SectionSplit:
    """Group blocks under statutory headings; lines before the first go to ``preamble``."""
    out = SectionSplit(sections=[])
    current: _Open | None = None
    preamble: list[str] = []
    number = 0
    for block in blocks:
        if not isinstance(block, Paragraph):
            out.tables.append((current.section.number if current else None, block.grid))
            continue
        line = block.text
        top = _statutory_heading(line, number)
        if top is not None:
            number, heading, rest = top
            if current is not None:
                current.close()
            current = _Open(Section(number=number, key=section_key(heading), heading=heading))
            out.sections.append(current.section)
            if rest:
                current.add_line(rest)
            out.lines.append((number, line))
            continue
        out.lines.append((current.section.number if current else None, line))
        if current is None:
            preamble.append(line)
        else:
            current.add_line(line)
    if current is not None:
        current.close()
    if preamble:
        out.sections.insert(0, Section(key="preamble", text="\n".join(preamble)))
    return out


def _statutory_heading(line: str, last: int) -> tuple[int, str, str] | None:
    if line.lstrip()[:1] not in _TOP_START:
        return None
    m = _TOP.match(line)
    if not m:
        return None
    number = cn_number(m.group(1))
    heading, rest = split_heading(m.group(2))
    if number <= last or not heading or section_key(heading) is None:
        return None
    return number, (line[: m.start(2)] + heading).strip(), rest


@dataclass(slots=True)
class _Open:
    """A statutory section being filled, with the chain of open child headings.

    Each section's lines are collected and joined once by ``close``, rather than
    re-assigning a growing ``text`` on every line.
    """

    section: Section
    lines: list[str] = field(default_factory=list)
    stack: list[tuple[int, Section, list[str]]] = field(default_factory=list)
    children: list[tuple[Section, list[str]]] = field(default_factory=list)

    def add_line(self, line: str) -> None:
        self.lines.append(line)
        level, child = _child_heading(line)
        if child is None:
            for _, _, lines in self.stack:
                lines.append(line)
            return
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else self.section
        parent.children.append(child)
        for _, _, lines in self.stack:
            lines.append(line)
        child_lines = [line]
        self.stack.append((level, child, child_lines))
        self.children.append((child, child_lines))

    def close(self) -> None:
        """Set the text of the section and of each child heading under it."""
        for section, lines in ((self.section, self.lines), *self.children):
            section.text = _joined(lines)


def _joined(lines: list[str]) -> str:
    """Lines as one text; empty lines before the first real one add nothing."""
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    return "\n".join(lines[start:])


def _child_heading(line: str) -> tuple[int, Section | None]:
    first = line.lstrip()[:1]
    if first not in _CHILD_START and not first.isdecimal():  # ``\d`` is any decimal digit
        return 0, None
    for level, pattern in enumerate(_LEVELS, start=1):
        m = pattern.match(line)
        if m:
            heading, _ = split_heading(m.group(2))
            if not heading:
                return level, None
            return level, Section(number=cn_number(m.group(1)), heading=heading)
    return 0, None
