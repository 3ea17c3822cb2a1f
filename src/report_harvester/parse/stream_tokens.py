"""A slice of a text rendering → value tokens: numbers, markers, blanks, text.

What survives a rendering is the order of the cells, and sometimes their
separators. A ``|`` with only spaces before the next ``|`` (``| |``), or a line
that is a lone ``|``, is a blank cell: its position is proven. The ruling lines
of ASCII grid tables (``+----+----+``) are no cells at all. Runs of bare
pipes (``||``, ``|||``) are the padding of merged cells and stand for nothing.
Without pipes, cells are split at white space. A run of digits glued to a label
(``数量230``) is cut off as a value of its own, marked ``glued``: it may hold
several cells whose digits ran together (``stream_place`` splits it by sums).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..models import Value
from .pipes import RULING_LINE
from .simplify import Stream
from .table_roles import value_of

TokenKind = Literal["value", "blank", "text"]
_PART = re.compile(r"\S+")
_DIGITS = re.compile(r"[+\-]?\d+(?:\.\d+)?")
_NUMBERING = re.compile(r"[.、](?:[\u4e00-\u9fff]|$)")  # 6.属于…, or a row number cut off: 7.


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    raw: str  # the raw text of the token (original characters)
    value: Value | None = None
    glued: bool = False  # a digit run cut out of a longer word: maybe several cells
    at: int = 0  # where it starts in the stream's normalised text


def tokens(stream: Stream, start: int, end: int) -> Iterator[Token]:
    """The tokens of ``stream.text[start:end]``, in reading order, read a line at a time
    (a caller that stops early has not paid for the rest)."""
    out: list[Token] = []
    pos = start
    text = stream.text
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        _line(
            stream,
            pos,
            stop,
            out,
            whole=pos == 0 or text[pos - 1] == "\n",
            cut=stop < len(text) and text[stop] != "\n",
        )
        yield from out
        out.clear()
        pos = stop + 1


def _line(
    stream: Stream, start: int, end: int, out: list[Token], *, whole: bool, cut: bool = False
) -> None:
    """One line's tokens; ``whole`` is False for the rest of a line after a row label,
    whose first ``|`` closes the label's cell (``规章 |``: no blank cell after it);
    ``cut`` is True for the part of a line before a row label, whose last ``|`` opens
    the label's cell (``| 规章``: no lone ``|`` line); when that part starts the line,
    its empty cells after its last value are that row's padding (``| | 2.其他…``), not
    values of the row before."""
    first = len(out)
    _line_cells(stream, start, end, out, whole=whole)
    if cut and whole:  # mid-line (a page on one line), the row before may end in a blank
        while len(out) > first and out[-1].kind == "blank":
            out.pop()


def _line_cells(stream: Stream, start: int, end: int, out: list[Token], *, whole: bool) -> None:
    line = stream.text[start:end]
    if whole and RULING_LINE.match(line):
        return  # ``+----+----+``: the ruling of an ASCII grid table
    if "|" not in line:
        _cell(stream, start, end, out)
        return
    stripped = line.strip()
    if whole and not stripped.strip("| "):  # only pipes and spaces
        if stripped == "|":
            out.append(Token("blank", "", at=start))
        else:
            out.extend(Token("blank", "", at=start) for gap in stripped.split("|")[1:-1] if gap)
        return
    bounds = [i for i, c in enumerate(line) if c == "|"]
    edges = [-1, *bounds, len(line)]
    for k in range(len(edges) - 1):
        a, b = edges[k] + 1, edges[k + 1]
        seg = line[a:b]
        first, last = k == 0, k == len(edges) - 2
        if not seg.strip():
            # the space before the first pipe or after the last one is not a cell
            if seg and not first and not last:
                out.append(Token("blank", "", at=start + a))
            continue
        _cell(stream, start + a, start + b, out)


def _cell(stream: Stream, start: int, end: int, out: list[Token]) -> None:
    text = stream.text[start:end]
    for part in _PART.finditer(text):
        a, b = start + part.start(), start + part.end()
        raw = stream.raw_slice(a, b)
        value = value_of(raw)
        if value.kind in ("number", "not_applicable"):
            out.append(Token("value", raw, value, at=a))
            continue
        _mixed(stream, a, b, out)


def _mixed(stream: Stream, start: int, end: int, out: list[Token]) -> None:
    """A word with digits inside: text runs and digit runs, each its own token. A last
    digit followed by ``.`` or ``、`` and a character (``6.属于…``), or by nothing more
    (``7.``, a page cut inside the label), numbers the next row label: it stays text.
    Digits and a ``.`` that end the whole text (``75.``) are a decimal cut short or a
    value and the next row's number: neither is known, so all of it stays text."""
    text = stream.text[start:end]
    pos = 0
    for m in _DIGITS.finditer(text):
        a, b = m.start(), m.end()
        if _NUMBERING.match(text, b):
            if b - a > 1 and b + 1 == len(text) and ends_text(stream, end):
                continue
            b -= 1
        if b <= a or not text[b - 1].isdigit():
            continue
        if a > pos:
            out.append(Token("text", stream.raw_slice(start + pos, start + a), at=start + pos))
        raw = stream.raw_slice(start + a, start + b)
        out.append(Token("value", raw, value_of(raw), glued=True, at=start + a))
        pos = b
    if pos < len(text):
        out.append(Token("text", stream.raw_slice(start + pos, end), at=start + pos))


def ends_text(stream: Stream, end: int) -> bool:
    """Whether nothing but white space and pipes follows ``end`` in the stream."""
    return not stream.text[end:].strip(" \t\r\n|")


def plain_number(token: Token) -> bool:
    """A number standing as its own cell (not digits cut out of a word)."""
    return (
        token.kind == "value"
        and not token.glued
        and token.value is not None
        and token.value.kind == "number"
    )
