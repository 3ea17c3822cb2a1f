"""Table 三 rows whose values stand apart from their labels in a text rendering.

A PDF's text in reading order (markitdown, pdfplumber's ``extract_text``) may
print a row's seven numbers on a line above its label, so that every label seems
to take the next row's values. ``out_of_step`` tells such a table from one read
in step; ``rows_out_of_step`` then matches the lines of seven numbers to the
labels left without values, in reading order, only where the counts agree and no
other label stands between a line and its row. Cells so matched carry the note
``IN_ORDER_NOTE``; rows that cannot be matched stay blank.
"""

from __future__ import annotations

from typing import NamedTuple

from .. import keys
from .simplify import Stream
from .stream_place import Placed, place
from .stream_tokens import Token, plain_number, tokens
from .table_sums import t3_sums

IN_ORDER_NOTE = "matched_in_order"
_WIDTH = len(keys.APPLICANTS)


class RowLabel(NamedTuple):
    """A table 三 row label found in the stream: where it is and the row it names."""

    start: int
    end: int
    row: str


def out_of_step(stream: Stream, labels: list[RowLabel], rows: dict[str, list[Token]]) -> bool:
    """Whether a table 三's labels and values are out of step: one label is followed by
    two whole rows of numbers or more while another is followed by none; or a label
    with its seven numbers on its own line is followed by a line of seven more, and the
    next label, with none on its line, by another such line (a line printed above its
    label); or a line of seven stands just above the first label, which has none on its
    line. (Two rows after one label alone prove nothing: a label printed out of place
    leaves its values after the row before.)

    ``rows``: the tokens read after each label, up to the next one."""
    counts = [sum(map(plain_number, row)) for row in rows.values()]
    if 0 in counts and any(n >= 2 * _WIDTH for n in counts):
        return True
    text = stream.text
    own: list[int] = []  # numbers on each label's own line
    after: list[list[Token]] = []  # the numbers after it, on lines of their own
    for label in labels:
        line_end = text.find("\n", label.end)
        line_end = len(text) if line_end < 0 else line_end
        numbers = [t for t in rows[label.row] if plain_number(t)]
        own.append(sum(t.at < line_end for t in numbers))
        after.append([t for t in numbers if t.at > line_end])

    def lines_of_seven(i: int) -> int:
        """Lines of seven numbers standing alone after label ``i`` (read only when asked:
        a text printing a cell a line has many lines)."""
        starts = {text.rfind("\n", 0, t.at) + 1 for t in after[i]}
        return sum(_seven_alone(stream, s, len(text)) is not None for s in starts)

    if any(
        own[i] == _WIDTH
        and own[i + 1] == 0
        and lines_of_seven(i) == 1
        and lines_of_seven(i + 1) >= 1
        for i in range(len(labels) - 1)
    ):
        return True
    # a line of seven numbers just before the first label, which has none on its line:
    # that label's values printed above it, or the last row of a cut-off part; either
    # way the lines after the labels may not be theirs
    if own[0] or not after[0]:
        return False
    before = text[: text.rfind("\n", 0, labels[0].start) + 1].rstrip()
    line_start = before.rfind("\n") + 1
    return (
        bool(before)
        and _seven_alone(stream, line_start, len(before)) is not None
        and lines_of_seven(0) >= 1
    )


def rows_out_of_step(
    stream: Stream, labels: list[RowLabel], rows: dict[str, list[Token]], end: int
) -> dict[str, Placed]:
    """Table 三 rows when its labels and values are out of step (``out_of_step``).

    Values on a label's own line are that label's. The lines of seven numbers standing
    alone are matched, in reading order, to the labels left without values, when there
    are as many of one as of the other and no other label stands between a line and
    its label: whichever side of its label each line stands, the k-th such line is then
    the k-th such row's (a table cut at both ends fails the second test). Otherwise
    those rows stay blank (``Placed`` with no cells, ``how="out_of_step"``).
    """
    text = stream.text
    placed: dict[str, Placed] = {}
    unfilled: list[tuple[str, int]] = []  # (row, where its label starts)
    label_lines: set[int] = set()
    for label in labels:
        line_start = text.rfind("\n", 0, label.start) + 1
        line_end = text.find("\n", label.end)
        label_lines.add(line_start)
        on_line = [t for t in rows[label.row] if line_end < 0 or t.at < line_end]
        if any(map(plain_number, on_line)):
            if len(on_line) < len(rows[label.row]):
                placed[label.row] = place(on_line, _WIDTH, t3_sums)
        else:
            unfilled.append((label.row, label.start))
    alone: list[tuple[int, list[Token]]] = []
    line_start = text.rfind("\n", 0, labels[0].start) + 1
    while line_start > 0:  # lines of seven just above the first label count too
        above = text.rfind("\n", 0, line_start - 1) + 1
        if text[above : line_start - 1].strip() and not _seven_alone(stream, above, line_start - 1):
            break
        line_start = above
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        if line_start not in label_lines and (numbers := _seven_alone(stream, line_start, end)):
            alone.append((line_start, numbers))
        line_start = line_end + 1
    starts = [label.start for label in labels]
    if len(alone) == len(unfilled) and all(
        not any(min(at, line) < s < max(at, line) for s in starts)
        for (_, at), (line, _) in zip(unfilled, alone, strict=True)
    ):
        for (row, _), (_, numbers) in zip(unfilled, alone, strict=True):
            cells = [
                t.value.model_copy(update={"note": IN_ORDER_NOTE})
                for t in numbers
                if t.value is not None
            ]
            placed[row] = Placed(cells, "in_order", " ".join(t.raw for t in numbers))
    else:
        for row, _ in unfilled:
            placed[row] = Placed(None, "out_of_step", " ".join(t.raw for t in rows[row]))
    return placed


def _seven_alone(stream: Stream, line_start: int, end: int) -> list[Token] | None:
    """The numbers of the line at ``line_start`` when it holds a table 三 row's seven
    numbers and nothing else (blank cells aside)."""
    line_end = stream.text.find("\n", line_start, end)
    line_end = end if line_end < 0 else line_end
    line = list(tokens(stream, line_start, line_end))
    numbers = [t for t in line if plain_number(t)]
    if len(numbers) == _WIDTH and all(t.kind == "blank" or plain_number(t) for t in line):
        return numbers
    return None
