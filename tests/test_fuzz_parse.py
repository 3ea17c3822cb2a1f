"""Property tests: whatever bytes come in, parse_bytes returns a record and never raises.

Random bytes and text, and the fixture pages and the seed mutated the way real
saves go wrong (cut short, lines lost or doubled, pipes dropped, digits garbled).
Every outcome must be a Report or a ParseFailure whose JSON reads back equal.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_harvester.models import ParseFailure, Report
from report_harvester.parse.pipeline import parse_bytes, parse_html, parse_text

FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HTML_BITS = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        '<td rowspan="22">',
        '<td colspan="999999999">',
        '<td rowspan="-3">',
        "<td>",
        "</td>",
        "&nbsp;",
        "<br>",
        "<p>",
        "|",
        " | ||| ",
        "\n",
        "一、总体情况",
        "三、收到和处理政府信息公开申请情况",
        "（七）总计",
        "自然人",
        "0",
        "１２",
        "24.5万元",
        '<meta charset="gb2312">',
        "\x00",
        "\ufeff",
    ]
)


LEGIT_ERRORS = {"empty", "binary", "unreadable", "undecodable", "unsupported_format", "encrypted"}
DIGITS_AS_LETTERS = dict(zip("0123456789", "OIZEASGTBg", strict=True))


def assert_record(outcome: object) -> None:
    """A Report or ParseFailure, JSON that round-trips, and no swallowed parser exception.

    The pipeline turns an exception into error code / warning ``internal`` so a
    batch goes on; here that is a bug to report, not a pass.
    """
    assert isinstance(outcome, Report | ParseFailure)
    assert type(outcome).model_validate_json(outcome.model_dump_json()) == outcome
    if isinstance(outcome, ParseFailure):
        assert outcome.error.code in LEGIT_ERRORS, outcome.error
    else:
        assert "internal" not in outcome.warning_codes(), outcome.warnings


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    assert_record(parse_bytes(data))


@FUZZ
@given(st.text(max_size=3000), st.sampled_from([None, "page.html", "page.txt", "page.md"]))
def test_random_text(text: str, path: str | None) -> None:
    assert_record(parse_bytes(text.encode("utf-8", "surrogatepass"), path=path))
    assert_record(parse_text(text))


@FUZZ
@given(st.lists(HTML_BITS, max_size=200), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_table_soup(bits: list[str], encoding: str) -> None:
    markup = "".join(bits)
    assert_record(parse_bytes(markup.encode(encoding, "replace"), path="soup.html"))
    assert_record(parse_html(markup))


def _mutate(data: bytes, how: str, draw: st.DrawFn) -> bytes:
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    if how in ("delete_lines", "duplicate_lines") and lines:
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(lines) - 1))
            if how == "delete_lines":
                del lines[i]
            else:
                lines.insert(i, lines[i])
            if not lines:
                break
        text = "\n".join(lines)
    elif how == "drop_pipes":
        positions = [i for i, ch in enumerate(text) if ch == "|"]
        drop = set(draw(st.lists(st.sampled_from(positions), max_size=40))) if positions else set()
        text = "".join(ch for i, ch in enumerate(text) if i not in drop)
    elif how == "garble_digits":
        digits = draw(st.sampled_from(["0123456789", "13579", "0"]))
        table = str.maketrans({d: DIGITS_AS_LETTERS[d] for d in digits})
        seen = draw(st.integers(0, max(0, len(text) - 1)))
        text = text[:seen] + text[seen:].translate(table)
    return text.encode("utf-8", "surrogateescape")


@st.composite
def mutated_pages(draw: st.DrawFn, corpus: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(corpus))
    hows = draw(
        st.lists(
            st.sampled_from(
                ["truncate", "delete_lines", "duplicate_lines", "drop_pipes", "garble_digits"]
            ),
            min_size=1,
            max_size=3,
        )
    )
    for how in hows:
        data = _mutate(data, how, draw)
    return name, data


@FUZZ
@given(st.data())
def test_mutated_fixtures_and_seed(corpus: list[tuple[str, bytes]], data: st.DataObject) -> None:
    """Real pages, damaged: still a Report or ParseFailure, never an exception."""
    name, page = data.draw(mutated_pages(corpus))
    assert_record(parse_bytes(page, path=name))


@settings(max_examples=60, deadline=None, database=None)
@given(st.data())
def test_truncated_pages_keep_their_source(
    corpus: list[tuple[str, bytes]], data: st.DataObject
) -> None:
    """A page cut anywhere keeps a source with the bytes' size and hash; no exception."""
    name, page = data.draw(st.sampled_from(corpus))
    cut = page[: data.draw(st.integers(0, len(page)))]
    outcome = parse_bytes(cut, path=name)
    assert_record(outcome)
    assert outcome.source.size == len(cut)
    assert outcome.source.path == name
    if not cut:
        assert isinstance(outcome, ParseFailure)
        assert outcome.error.code == "empty"
