"""Text as the table reader matches it: one character for one, with a map back to the raw.

Matching only: the stored raw text is never changed. Full-width forms become
ASCII, traditional characters of the statutory vocabulary become simplified
(``規章`` → ``规章``, ``處理`` → ``处理``), the pinyin that mirror sites insert after
characters (``數(shù)``) is dropped, line ends are ``\n`` (CRLF gives an empty line),
and page furniture lines (``— 3 —``, ``第 3 页``) become spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..decode.normalize import BOX_DRAWING, SPACE_ENTITY, TRADITIONAL, TRADITIONAL_SIMPLIFIED

_PINYIN = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")
_FURNITURE = re.compile(
    r"^[ \t\u3000]*(?:[—–\-－]+[ \t]*\d{1,3}[ \t]*[—–\-－]+"
    r"|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*共[ \t]*\d+[ \t]*页)?)[ \t\u3000]*$",
    re.M,
)
_TABLE: dict[int, str] = {
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},  # full-width ASCII
    **dict.fromkeys(map(ord, "\u3000\u00a0\u200b\ufeff"), " "),
    ord("\r"): "\n",  # CRLF and old Mac line ends: every line ends in "\n"
    **dict.fromkeys(map(ord, "“”「」『』"), '"'),
    **{ord(t): s for t, s in zip(TRADITIONAL, TRADITIONAL_SIMPLIFIED, strict=True)},
    **BOX_DRAWING,
}


@dataclass(slots=True)
class Stream:
    """``text`` normalised for matching; ``raw[index[i]]`` is where ``text[i]`` came from
    (``index`` is None when no character was dropped: then positions are the same)."""

    raw: str
    text: str
    index: list[int] | None

    def raw_slice(self, start: int, end: int) -> str:
        """The raw text behind ``text[start:end]``."""
        if start >= end:
            return ""
        if self.index is None:
            return self.raw[start:end]
        return self.raw[self.index[start] : self.index[end - 1] + 1]


def simplified(text: str) -> str:
    """``text`` normalised as the stream is, without dropping anything (a quick match)."""
    return text.translate(_TABLE)


def without_pinyin(text: str) -> str:
    """``text`` without the pinyin mirror sites insert after characters (``區(qū)`` →
    ``區``)."""
    return "".join(piece for piece, _ in _without(text, _pinyin_spans(text)))


def make_stream(raw: str) -> Stream:
    """Normalise ``raw`` character for character (dropped characters leave no trace)."""
    text = raw.translate(_TABLE)
    index: list[int] | None = None
    if "&" in text:  # a space entity left as text (``&nbsp;``) is one space
        entities = list(SPACE_ENTITY.finditer(text))
        text = SPACE_ENTITY.sub(lambda m: " " + m.group()[1:], text)
        text, index = _drop(text, [(m.start() + 1, m.end()) for m in entities])
    text = _FURNITURE.sub(lambda m: " " * len(m.group()), text)
    text, kept = _drop(text, _pinyin_spans(text))
    if kept is not None:
        index = kept if index is None else [index[i] for i in kept]
    return Stream(raw, text, index)


def _pinyin_spans(text: str) -> list[tuple[int, int]]:
    """Where a mirror site inserted pinyin after a character: ``數(shù)``."""
    return [
        m.span()
        for m in _PINYIN.finditer(text)
        if m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff"
    ]


def _without(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """The pieces of ``text`` around the (ordered, disjoint) ``spans``, each with where
    it starts."""
    pieces: list[tuple[str, int]] = []
    pos = 0
    for start, end in spans:
        pieces.append((text[pos:start], pos))
        pos = end
    pieces.append((text[pos:], pos))
    return pieces


def _drop(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[int] | None]:
    """``text`` without the (ordered, disjoint) ``spans``, and where each kept character
    was in ``text`` (``None`` when nothing was dropped)."""
    if not spans:
        return text, None
    pieces = _without(text, spans)
    kept = [i for piece, at in pieces for i in range(at, at + len(piece))]
    return "".join(piece for piece, _ in pieces), kept
