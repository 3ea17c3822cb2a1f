"""Cell records are made once per distinct cell and shared, so they must never change."""

from __future__ import annotations

import pydantic
import pytest

from report_harvester.models import Value
from report_harvester.parse.cells import (
    application_cell,
    application_cell_of,
    disclosure_cell,
    review_cell_of,
)


def test_equal_cells_are_one_record_and_read_their_text() -> None:
    first = application_cell("granted", "total", "12")
    assert first is application_cell("granted", "total", "12")
    assert (first.value, first.raw, first.kind) == (12, "12", "number")
    blank = application_cell("granted", "total", "")
    assert (blank.value, blank.kind) == (None, "blank")


def test_an_integer_and_a_float_of_equal_value_stay_apart() -> None:
    whole = review_cell_of("admin_review", "total", Value(value=3, raw="3", kind="number"))
    real = review_cell_of("admin_review", "total", Value(value=3.0, raw="3", kind="number"))
    assert type(whole.value) is int and type(real.value) is float


def test_a_cell_record_cannot_be_changed() -> None:
    cell = application_cell_of("granted", "total", Value(value=1, raw="1", kind="number"))
    with pytest.raises(pydantic.ValidationError):
        cell.value = 2  # type: ignore[misc]
    assert application_cell("granted", "total", "1").value == 1


def test_a_unit_from_the_header_makes_a_record_of_its_own() -> None:
    plain = disclosure_cell("20.8", "fees", "fee_amount", 5, "5", "number", None, None)
    in_wan = disclosure_cell("20.8", "fees", "fee_amount", 5, "5", "number", "万元", None)
    assert (plain.unit, in_wan.unit) == (None, "万元")
