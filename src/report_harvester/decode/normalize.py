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
_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "『": '"', "』": '"'}
)


def clean_text(text: str) -> str:
    """Collapse runs of spaces (nbsp, ideographic space, zero-width) to one; strip ends."""
    return _SPACES.sub(" ", text).strip()


def label_key(text: str) -> str:
    """A form of a label for matching: NFKC (full-width → ASCII), quotes unified, no spaces.

    ``（三）不予公开`` → ``(三)不予公开``; ``社会公益组 织`` → ``社会公益组织``.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _ALL_SPACE.sub("", text)


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, twice as fast on Chinese prose.

    Most of such text is stable code points (ideographs, digits, common punctuation):
    only the runs of other characters between them are handed to ``unicodedata``.
    """
    return _UNSTABLE_RUN.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
