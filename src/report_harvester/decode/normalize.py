"""Text normalisation shared by every parsing stage."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")
_ALL_SPACE = re.compile(r"[\s\u00a0\u200b\u3000\ufeff]+")
# Characters NFKC neither changes nor composes with a neighbour ("stable code points",
# UAX #15; checked against unicodedata): NFKC normalises the runs between them on their own.
_STABLE = (
    "".join(chr(c) for c in range(0x20, 0x7F) if not chr(c).isalpha() and chr(c) not in "<=>")
    + "\t\n\r、。《》「」『』【】〔〕“”‘’—"
)
_UNSTABLE_RUN = re.compile(f"[^\\u4e00-\\u9fff{re.escape(_STABLE)}]+")  # ideographs are stable
# Traditional → simplified for every character of the statutory labels and headers
# (domain.md §3-5), taken from OpenCC's TSCharacters table (single-character entries).
TRADITIONAL = (
    "侷傢內動務區問單噹國圖埰執報寀審對屬峯廢強彔後復捲採數於會査條業構機檯權決沒況減無獲現"
    "當發確祕穩穫範糾約納組結經維總織繳繼續罰臺舉萬處補製複規計訟訪設許訴詢認請議護讀費購踰"
    "轉辦這進過適錄録開閤關隻靜頁項題額類颱體髮麪麫麵齣億個場暫佈時間"
)
TRADITIONAL_SIMPLIFIED = (
    "局家内动务区问单当国图采执报采审对属峰废强录后复卷采数于会查条业构机台权决没况减无获现"
    "当发确秘稳获范纠约纳组结经维总织缴继续罚台举万处补制复规计讼访设许诉询认请议护读费购逾"
    "转办这进过适录录开合关只静页项题额类台体发面面面出亿个场暂布时间"
)
_TO_SIMPLIFIED = str.maketrans(TRADITIONAL, TRADITIONAL_SIMPLIFIED)


def simplified_vocabulary(text: str) -> str:
    """``text`` with the traditional characters of the statutory vocabulary (and of
    units, markers and dates: 萬元, 無, 發佈時間) simplified, one character for one."""
    return text.translate(_TO_SIMPLIFIED)
_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "『": '"', "』": '"'}
)


# Box-drawing table frames (w3m and lynx dumps, tabulate's fancy grids) as ASCII ones:
# a vertical line is a ``|``, a horizontal one ``-`` and every corner or junction ``+``.
BOX_DRAWING: dict[int, str] = {
    **{cp: "+" for cp in range(0x250C, 0x254C)},  # ┌ … ╋ corners, tees, crosses
    **{cp: "+" for cp in range(0x2552, 0x256D)},  # ╒ … ╬ double-line ones
    **dict.fromkeys(map(ord, "│┃║┆┇┊┋╎╏"), "|"),
    **dict.fromkeys(map(ord, "─━═┄┅┈┉╌╍"), "-"),
}


def clean_text(text: str) -> str:
    """Collapse runs of spaces (nbsp, ideographic space, zero-width) to one; strip ends.
    A space entity left as text (``&nbsp;``: a page escaped twice, or a crawler's text
    that never decoded it) is a space too."""
    if "&" in text:
        text = SPACE_ENTITY.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


SPACE_ENTITY = re.compile(
    r"&(?:amp;)?(?:nbsp|ensp|emsp|thinsp|#160|#x0*a0|#8194|#8195|#12288|#x0*3000);?", re.I
)


def label_key(text: str) -> str:
    """A form of a label for matching: NFKC (full-width → ASCII), quotes unified, no
    spaces, traditional characters of the statutory vocabulary simplified.

    ``（三）不予公开`` → ``(三)不予公开``; ``社会公益组 织`` → ``社会公益组织``;
    ``規章`` → ``规章``.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_TO_SIMPLIFIED)
    return _ALL_SPACE.sub("", text)


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, twice as fast on Chinese prose.

    Most of such text is stable code points (ideographs, digits, common punctuation):
    only the runs of other characters between them are handed to ``unicodedata``.
    """
    return _UNSTABLE_RUN.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal or in a space-aligned table: a wide or
    full-width character (CJK) two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
