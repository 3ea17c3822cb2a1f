"""A row's value tokens → its cells, placed only where something proves the positions.

Proofs used, in order:

1. **Count.** As many values (numbers, markers, proven blanks) as the row has
   cells: they go in order. Extra proven blanks at the ends of a row (the
   padding of a rowspan or of merged cells) are dropped first, when only one
   way of dropping them is left: blanks at both ends (``| label | | 3 | … | |``)
   could be the label's padding or the row's last cell. Then the row's own
   arithmetic may leave one way: counts are never negative, so the numbers a way
   puts among a total's parts cannot add up to more than that total (nor, all
   printed, to anything else). That way is used, its cells noted ``placed_by_sums``;
   with more than one left, nothing is placed.
2. **No values.** A row label with nothing after it: every cell is blank.
3. **Sums, for digits that ran together.** When the row's digits show they ran
   together (one run, a part with a leading zero such as ``00`` or ``023``, or no more
   parts than half the row's cells: ``13 0 0 0 15`` is blanks dropped, not a run) and,
   read as one string (``230 000023``), can be cut into exactly the row's number of cells in
   exactly one way that satisfies the row's own arithmetic (table 三: the six
   applicant columns sum to 总计; table 四: four outcomes sum to 总计 per
   proceeding), that cut is used and every cell is noted ``split_by_sums``.
   Spaces that survived are kept as cuts; a part never has a leading zero.
   A table-二 row (no arithmetic) is cut only on a page whose table 三 rows ran
   together (cut by their sums), when its digits are one run with no space in it and
   a single cut exists: elsewhere ``112`` is one printed number, and ``12 0`` two
   printed values and a dropped blank, or three cells; nothing says which.

Anything else (fewer values than cells, blanks dropped, no proof) leaves every
cell blank; the caller warns with the raw text. Nothing is ever guessed.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..models import Value
from .stream_tokens import Token
from .table_roles import end_trims
from .table_sums import Sums

SPLIT_NOTE = "split_by_sums"
_MAX_CUTS = 200_000  # more ways to cut than this: not tried (and not placed)
_MAX_KEPT = 24  # cuts kept for the table's column sums to choose from


@dataclass(slots=True)
class Placed:
    """The cells of one row (``None`` when they could not be placed) and why."""

    cells: list[Value] | None
    how: str  # count, empty, split, ambiguous, split_ambiguous (displaced: stream_tables)
    raw: str  # the row's values as they appeared, for a warning
    cuts: list[list[str]] | None = None  # split_ambiguous: every cut the row's sums allow


def place(row: Sequence[Token], n: int, rule: Sums | None, *, split: bool = True) -> Placed:
    """Place a row of ``n`` cells from its value and blank tokens; ``split``: digits
    may be cut (digits ran together on this page)."""
    toks = [t for t in row if t.kind != "text"]
    raw = " ".join(t.raw or "□" for t in toks)
    if len(toks) > n:
        trims = end_trims(toks, n, _is_blank, _shown)
        if len(trims) > 1:  # blanks at both ends: which are padding? The sums may say
            ways = [[cell_value(x) for x in t] for t in trims]
            cells = rule.one_way(ways) if rule is not None else None
            return Placed(cells, "ambiguous" if cells is None else "by_sums", raw)
        if trims:
            toks = trims[0]
    if len(toks) == n:
        return Placed([cell_value(t) for t in toks], "count", raw)
    if not toks:
        return Placed([Value(kind="blank") for _ in range(n)], "empty", raw)
    splittable = split and (rule is not None or len(toks) == 1)  # no sums: one digit run
    if (
        len(toks) < n
        and splittable
        and all(t.kind == "value" and _digits(t.raw) for t in toks)
        and _ran_together(toks, n)
    ):
        segments = [_digits(t.raw) or "" for t in toks]
        length = sum(len(s) for s in segments)
        if n <= length and math.comb(length - 1, n - 1) <= _MAX_CUTS:
            found = list(_splits(segments, n, rule, _MAX_KEPT))
            if len(found) == 1:
                return Placed(split_cells(found[0]), "split", raw)
            return Placed(None, "split_ambiguous", raw, found if len(found) < _MAX_KEPT else None)
    return Placed(None, "ambiguous", raw)


def _ran_together(toks: Sequence[Token], n: int) -> bool:
    """Whether the digits show they ran together rather than that blanks were dropped: one
    run, a part no printed number has (``00``, ``023``), or few parts for many cells.
    ``13 0 0 0 15`` (five numbers for seven cells) is two blanks dropped, whatever cut of
    its digits the sums might happen to allow."""
    digits = [_digits(t.raw) or "" for t in toks]
    return len(toks) == 1 or len(toks) <= n // 2 or any(len(d) > 1 and d[0] == "0" for d in digits)


def _is_blank(token: Token) -> bool:
    return token.kind == "blank"


def _shown(token: Token) -> tuple[str, str]:
    return token.kind, token.raw


def cell_value(token: Token) -> Value:
    """A value or blank token as the cell it fills."""
    if token.kind == "blank" or token.value is None:
        return Value(raw=token.raw, kind="blank")
    return token.value


def _digits(raw: str) -> str | None:
    text = unicodedata.normalize("NFKC", raw).strip()
    return text if text.isdigit() else None


def split_cells(parts: list[str]) -> list[Value]:
    """A cut as cells, each noted ``split_by_sums``."""
    return [Value(value=int(p), raw=p, kind="number", note=SPLIT_NOTE) for p in parts]


def _splits(
    segments: list[str], n: int, rule: Sums | None, most: int
) -> Iterator[list[str]]:
    """Cuts of ``segments`` (kept apart) into ``n`` parts without leading zeros that
    satisfy ``rule``, at most ``most`` of them."""
    found = 0
    for parts in _cut(segments, n):
        if rule is None or rule([int(p) for p in parts]):
            found += 1
            yield parts
            if found >= most:
                return


def _cut(segments: list[str], n: int) -> Iterator[list[str]]:
    if not segments:
        if n == 0:
            yield []
        return
    head, rest = segments[0], segments[1:]
    rest_len = sum(len(s) for s in rest)
    # this segment takes k parts: at least 1, and leaves at least 1 digit per later part
    for k in range(1, min(len(head), n) + 1):
        if n - k > rest_len or n - k < len(rest):
            continue
        for parts in _partitions(head, k):
            for tail in _cut(rest, n - k):
                yield parts + tail


def _partitions(digits: str, k: int) -> Iterator[list[str]]:
    """``digits`` cut into ``k`` parts, none with a leading zero (a lone 0 is fine)."""
    if k == 1:
        if len(digits) == 1 or digits[0] != "0":
            yield [digits]
        return
    for i in range(1, len(digits) - k + 2):
        first = digits[:i]
        if len(first) > 1 and first[0] == "0":
            break
        for rest in _partitions(digits[i:], k - 1):
            yield [first, *rest]
