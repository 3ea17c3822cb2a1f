"""Cell text → ``Value``: a number with its unit and note, or a blank, or a marker.

The raw text is always kept beside what was read from it. Nothing is converted
(``24.5万元`` stays 24.5 with unit 万元) and nothing is invented (a blank is
never 0).
"""

from __future__ import annotations

import re
import unicodedata

from ..decode.normalize import simplified_vocabulary
from ..models import Value

# HTML leftovers that mean "nothing here": entity names/numbers that escaped decoding.
_BLANK_REMNANTS = re.compile(r"&nbsp;?|&#160;|&#xa0;|&emsp;|&ensp;", re.IGNORECASE)
_SPACE = re.compile(r"[\s\u00a0\u200b\u3000\ufeff]+")

_NOT_APPLICABLE = frozenset(
    {"/", "//", "\\", "—", "——", "-", "--", "–", "―", "─", "无", "不适用", "暂无", "空"}
)

# Longest first: the regex alternation must prefer 万元 over 元 and 人次 over 人.
_UNITS = (
    "万元", "亿元", "千元", "人次", "元", "万", "件", "个", "项", "条", "%",
    "人", "次", "份", "篇", "期", "场", "家", "宗", "起", "天", "日",
)  # fmt: skip

_NUMBER = re.compile(
    r"""^
    (?P<sign>[+-])?\s*
    (?P<int>\d{1,3}(?:,\d{3})+|\d+)
    (?P<frac>\.\d+)?
    \s*(?P<unit>"""
    + "|".join(re.escape(u) for u in _UNITS)
    + r""")?
    \s*(?:\((?P<note>.*)\))?
    $""",
    re.VERBOSE,
)


def parse_value(raw: str) -> Value:
    """Read one table cell.

    ``kind`` is ``blank`` (nothing, or only spaces / ``&nbsp;``), ``not_applicable``
    (``/``, ``—``, ``-``, ``无``, ``不适用``…), ``number`` (with ``unit`` and
    ``note`` when the cell carries them: ``251000元``, ``0(雁峰区无集采中心)``) or
    ``text``. Only ``number`` has a ``value``; it is an ``int`` unless the raw
    text has a decimal point.
    """
    if not isinstance(raw, str):  # defensive: the contract is str, the world is not
        raw = "" if raw is None else str(raw)
    text = _SPACE.sub(" ", _BLANK_REMNANTS.sub(" ", raw)).strip()
    if not text:
        return Value(raw=raw, kind="blank")
    norm = simplified_vocabulary(unicodedata.normalize("NFKC", text)).strip()  # 萬元 → 万元
    if _SPACE.sub("", norm) in _NOT_APPLICABLE:
        return Value(raw=raw, kind="not_applicable")
    match = _NUMBER.match(norm)
    if match is None:
        return Value(raw=raw, kind="text")
    digits = match["int"].replace(",", "")
    sign = -1 if match["sign"] == "-" else 1
    value: int | float = sign * (float(digits + match["frac"]) if match["frac"] else int(digits))
    note = match["note"].strip() if match["note"] is not None else None
    return Value(
        value=value,
        raw=raw,
        kind="number",
        unit=match["unit"],
        note=note or None,
    )
