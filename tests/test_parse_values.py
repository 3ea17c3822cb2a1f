"""Cell text → Value: kinds, numbers, units and notes (domain.md §6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report_harvester.parse.values import parse_value

BLANKS = ["", " ", "   ", "\t", "\u3000", "\u00a0", "&nbsp;", " &nbsp; ", "&nbsp;&nbsp;", "\u200b"]
NOT_APPLICABLE = ["/", "／", "—", "——", "-", "--", "－", "无", "不适用", " / ", "\u3000无\u3000"]

# raw → (value, unit, note); every one of them is kind "number".
NUMBERS: list[tuple[str, int | float, str | None, str | None]] = [
    ("0", 0, None, None),
    ("7", 7, None, None),
    (" 12 ", 12, None, None),
    ("\u3000３\u3000", 3, None, None),
    ("０", 0, None, None),
    ("１２３", 123, None, None),
    ("1,234", 1234, None, None),
    ("1，234", 1234, None, None),
    ("12,345,678", 12345678, None, None),
    ("+1036", 1036, None, None),
    ("-3", -3, None, None),
    ("＋3", 3, None, None),
    ("－1", -1, None, None),
    ("75.9260", 75.926, None, None),
    ("0.5", 0.5, None, None),
    ("251000元", 251000, "元", None),
    ("24.5万元", 24.5, "万元", None),
    ("24.5 万元", 24.5, "万元", None),
    ("3件", 3, "件", None),
    ("3个", 3, "个", None),
    ("3项", 3, "项", None),
    ("3条", 3, "条", None),
    ("85%", 85, "%", None),
    ("99.92％", 99.92, "%", None),
    ("0(雁峰区无集采中心)", 0, None, "雁峰区无集采中心"),
    ("0（雁峰区无集采中心）", 0, None, "雁峰区无集采中心"),
    ("5件（含转办2件）", 5, "件", "含转办2件"),
]

TEXTS = [
    "abc",
    "自然人",
    "本年新",
    "1 2",
    "1,23",
    "约3",
    "3-5",
    "(一)予以公开",
    "1.属于国家秘密",
    "0(",
    ".",
]


@pytest.mark.parametrize("raw", BLANKS)
def test_blank_cells_have_no_value(raw: str) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.raw, v.unit, v.note) == ("blank", None, raw, None, None)


@pytest.mark.parametrize("raw", NOT_APPLICABLE)
def test_not_applicable_markers_have_no_value(raw: str) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.raw) == ("not_applicable", None, raw)


@pytest.mark.parametrize(("raw", "value", "unit", "note"), NUMBERS)
def test_numbers_keep_units_and_notes(
    raw: str, value: int | float, unit: str | None, note: str | None
) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.unit, v.note, v.raw) == ("number", value, unit, note, raw)
    assert type(v.value) is type(value)  # int unless the raw text has a decimal point


def test_integral_decimal_stays_float() -> None:
    v = parse_value("3.0")
    assert v.value == 3.0
    assert isinstance(v.value, float)


def test_units_are_never_converted() -> None:
    assert parse_value("24.5万元").value == 24.5
    assert parse_value("1.2亿元").value == 1.2
    assert parse_value("1.2亿元").unit == "亿元"


@pytest.mark.parametrize("raw", TEXTS)
def test_anything_else_is_text(raw: str) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.raw) == ("text", None, raw)


@given(st.text(max_size=40))
def test_parse_value_never_raises_and_keeps_raw(raw: str) -> None:
    v = parse_value(raw)
    assert v.raw == raw
    assert (v.value is not None) == (v.kind == "number")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_round_trip(n: int) -> None:
    assert parse_value(str(n)).value == n
    assert parse_value(f"{n:,}").value == n


def test_traditional_units_and_markers_read_as_their_simplified_form() -> None:
    fee = parse_value("24.5萬元")
    assert (fee.value, fee.unit, fee.raw, fee.kind) == (24.5, "万元", "24.5萬元", "number")
    assert parse_value("3個").unit == "个"
    assert parse_value("無").kind == "not_applicable"
    assert parse_value("不適用").kind == "not_applicable"
