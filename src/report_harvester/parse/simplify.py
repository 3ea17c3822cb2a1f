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

# Traditional → simplified for every character of the statutory labels and headers
# (domain.md §3-5), taken from OpenCC's TSCharacters table (single-character entries).
_TRADITIONAL = (
    "侷傢內動務區問單噹國圖埰執報寀審對屬峯廢強彔後復捲採數於會査條業構機檯權決沒況減無獲現"
    "當發確祕穩穫範糾約納組結經維總織繳繼續罰臺舉萬處補製複規計訟訪設許訴詢認請議護讀費購踰"
    "轉辦這進過適錄録開閤關隻靜頁項題額類颱體髮麪麫麵齣"
)
_SIMPLIFIED = (
    "局家内动务区问单当国图采执报采审对属峰废强录后复卷采数于会查条业构机台权决没况减无获现"
    "当发确秘稳获范纠约纳组结经维总织缴继续罚台举万处补制复规计讼访设许诉询认请议护读费购逾"
    "转办这进过适录录开合关只静页项题额类台体发面面面出"
)
_TO_SIMPLE = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
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
    **{ord(t): s for t, s in zip(_TRADITIONAL, _SIMPLIFIED, strict=True)},
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


def make_stream(raw: str) -> Stream:
    """Normalise ``raw`` character for character (dropped characters leave no trace)."""
    text = _FURNITURE.sub(lambda m: " " * len(m.group()), raw.translate(_TABLE))
    drops = [
        m
        for m in _PINYIN.finditer(text)
        if m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff"
    ]
    if not drops:
        return Stream(raw, text, None)
    kept: list[int] = []
    pieces: list[str] = []
    pos = 0
    for m in drops:
        kept.extend(range(pos, m.start()))
        pieces.append(text[pos : m.start()])
        pos = m.end()
    kept.extend(range(pos, len(text)))
    pieces.append(text[pos:])
    return Stream(raw, "".join(pieces), kept)
