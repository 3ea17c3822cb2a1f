"""Text as the table reader matches it: one character for one, with a map back to the raw.

Matching only: the stored raw text is never changed. Full-width forms become
ASCII, traditional characters of the statutory vocabulary become simplified
(``規章`` → ``规章``, ``處理`` → ``处理``), the pinyin that mirror sites insert after
characters (``數(shù)``) is dropped, and page furniture lines (``— 3 —``,
``第 3 页``) become spaces.
"""

from __future__ import annotations

import re
import unicodedata
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
_WIDE = {0x3000: " ", 0x00A0: " ", 0x200B: " ", 0xFEFF: " "}


@dataclass(slots=True)
class Stream:
    """``text`` normalised for matching; ``raw[index[i]]`` is where ``text[i]`` came from."""

    raw: str
    text: str
    index: list[int]

    def raw_slice(self, start: int, end: int) -> str:
        """The raw text behind ``text[start:end]``."""
        if start >= end:
            return ""
        return self.raw[self.index[start] : self.index[end - 1] + 1]


def _char(c: str) -> str:
    code = ord(c)
    if code in _WIDE:
        return _WIDE[code]
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
        return chr(code - 0xFEE0)
    if c in "“”「」『』":
        return '"'
    if code < 0x3000:
        return c
    return c.translate(_TO_SIMPLE) if unicodedata.category(c) == "Lo" else c


def make_stream(raw: str) -> Stream:
    """Normalise ``raw`` character by character (dropped characters leave no trace)."""
    drop = [False] * len(raw)
    for m in _PINYIN.finditer(raw):
        if m.start() > 0 and "\u4e00" <= raw[m.start() - 1] <= "\u9fff":
            for i in range(m.start(), m.end()):
                drop[i] = True
    blank = [False] * len(raw)
    for m in _FURNITURE.finditer(raw):
        for i in range(m.start(), m.end()):
            blank[i] = True
    chars: list[str] = []
    index: list[int] = []
    for i, c in enumerate(raw):
        if drop[i]:
            continue
        chars.append(" " if blank[i] else _char(c))
        index.append(i)
    return Stream(raw, "".join(chars), index)
