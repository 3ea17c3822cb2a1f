"""stream_order on its own: table 三 lines of seven numbers printed apart from their labels."""

from __future__ import annotations

from report_harvester.parse.simplify import make_stream
from report_harvester.parse.stream_order import (
    IN_ORDER_NOTE,
    RowLabel,
    out_of_step,
    rows_out_of_step,
)
from report_harvester.parse.stream_tokens import Token, tokens

GRANTED = "1 2 0 0 0 0 3"
PARTIAL = "4 0 0 1 0 0 5"
SECRET = "0 0 0 0 0 0 0"


def labelled(text: str, names: dict[str, str]) -> tuple[list[RowLabel], dict[str, list[Token]]]:
    """Each row label of ``text`` (row → its words) and the tokens up to the next one."""
    stream = make_stream(text)
    found = sorted((stream.text.index(words), words, row) for row, words in names.items())
    labels = [RowLabel(at, at + len(words), row) for at, words, row in found]
    rows = {}
    for n, label in enumerate(labels):
        stop = labels[n + 1].start if n + 1 < len(labels) else len(stream.text)
        rows[label.row] = [t for t in tokens(stream, label.end, stop) if t.kind != "text"]
    return labels, rows


NAMES = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "denied_state_secret": "属于国家秘密",
}


def test_values_above_their_labels_are_matched_in_reading_order() -> None:
    # the first row on its label's line, then each row's values on the line above its label
    text = f"(一)予以公开 {GRANTED}\n{PARTIAL}\n(二)部分公开\n{SECRET}\n1.属于国家秘密\n"
    stream = make_stream(text)
    labels, rows = labelled(text, NAMES)
    assert out_of_step(stream, labels, rows)
    placed = rows_out_of_step(stream, labels, rows, len(stream.text))
    # the values on a label's own line are its own, not the line after them
    assert [v.value for v in placed["granted"].cells or []] == [1, 2, 0, 0, 0, 0, 3]
    assert {v.note for v in placed["granted"].cells or []} == {None}
    assert [v.value for v in placed["partially_granted"].cells or []] == [4, 0, 0, 1, 0, 0, 5]
    assert [v.value for v in placed["denied_state_secret"].cells or []] == [0] * 7
    assert {v.note for v in placed["partially_granted"].cells or []} == {IN_ORDER_NOTE}
    assert placed["partially_granted"].how == "in_order"


def test_a_table_read_in_step_is_not_out_of_step() -> None:
    text = f"(一)予以公开\n{GRANTED}\n(二)部分公开\n{PARTIAL}\n1.属于国家秘密\n{SECRET}\n"
    stream = make_stream(text)
    labels, rows = labelled(text, NAMES)
    assert not out_of_step(stream, labels, rows)


def test_lines_and_labels_that_do_not_pair_up_stay_blank() -> None:
    # two labels without values but one line of seven: nothing says whose it is
    text = f"(一)予以公开 {GRANTED}\n{PARTIAL}\n(二)部分公开\n1.属于国家秘密\n"
    stream = make_stream(text)
    labels, rows = labelled(text, NAMES)
    placed = rows_out_of_step(stream, labels, rows, len(stream.text))
    assert placed["partially_granted"].cells is None
    assert placed["partially_granted"].how == "out_of_step"
    assert placed["denied_state_secret"].cells is None
