"""Tables 二, 三 and 四 read from a text rendering as a stream, aligned to their templates.

A rendering loses the grid but keeps the reading order, the statutory labels and
the tables' own arithmetic. The reader finds every row label of a template in
the normalised text (``simplify``), keeps the longest run of them in template
order (a monotone alignment: rows may be missing, repeated or preceded by group
labels), reads the values between one label and the next (``stream_tokens``)
and places them only where something proves the positions (``stream_place``).
The format comes from whichever labels were found, any subset of them.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .. import keys
from ..models import ApplicationCell, DisclosureCell, ReviewCell, Value, Warning
from .cells import application_cell_of, disclosure_cell_of, review_cell_of
from .simplify import Stream, make_stream
from .stream_align import place_by_columns
from .stream_order import RowLabel, out_of_step, rows_out_of_step
from .stream_place import (
    SPLIT_NOTE,
    Placed,
    cell_value,
    place,
    split_cells,
)
from .stream_tokens import Token, ends_text, plain_number, tokens
from .table_sums import by_sums_warning, t3_sums, t4_sums
from .table_t2 import metric_of

_GAP = r"[\s|]*"


def _fuzzy(phrase: str) -> str:
    """``phrase`` with spaces, line breaks or pipes allowed between its characters."""
    return _GAP.join(re.escape(c) for c in phrase)


# A row label's numbering (一、 (三) 4.) is looked for just before its words, so that the
# scan for labels starts on their characters (one quick pass) and the row before ends
# before the number.
_NUMBERING = re.compile(r"(?:[一二三四][、.,]|\([一二三四五六七]\)|[1-9][.、,])$")
_HEADER_WORDS = frozenset({"other_misc", "total_processed"})  # also 其他 / 总计 column headers


def _alt(*phrases: str) -> str:
    return "(?:" + "|".join(_fuzzy(p) for p in phrases) + ")"


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A row of a template and the phrases (simplified, no spaces) that name it."""

    key: str
    phrases: tuple[str, ...]


def _spec(key: str, *phrases: str) -> RowSpec:
    return RowSpec(key, phrases)


# Table 三, every row of both formats in printed order (2019's single 其他处理 row
# before 2021's three; the reader keeps whichever the page has).
T3_SPECS: tuple[RowSpec, ...] = (
    _spec("new_received", "本年新收"),
    _spec("carried_over", "上年结转"),
    _spec("granted", "予以公开"),
    _spec("partially_granted", "部分公开"),
    _spec("denied_state_secret", "属于国家秘密", "国家秘密"),
    _spec("denied_prohibited_by_law", "其他法律行政", "行政法规禁止", "禁止公开"),
    _spec("denied_three_safeties", "危及", "三安全"),
    _spec("denied_third_party", "保护第三方", "第三方合法"),
    _spec("denied_internal_affairs", "属于三类内部", "内部事务"),
    _spec("denied_process_info", "属于四类过程", "过程性信息"),
    _spec("denied_enforcement_file", "属于行政执法", "执法案卷"),
    _spec("denied_admin_query", "属于行政查询", "行政查询"),
    _spec("unavailable_not_held", "本机关不掌握", "不掌握"),
    _spec("unavailable_needs_creation", "没有现成信息", "另行制作"),
    _spec("unavailable_unclear", "补正后申请", "仍不明确"),
    _spec("rejected_petition", "信访举报", "信访"),
    _spec("rejected_duplicate", "重复申请"),
    _spec("rejected_publication", "要求提供公开出版物", "公开出版物"),
    _spec("rejected_excessive", "无正当理由大量", "大量反复"),
    _spec("rejected_confirmation", "要求行政机关确认", "重新出具"),
    _spec("other_handling", "其他处理"),
    _spec("other_no_correction", "申请人无正当理由逾期不补正", "逾期不补正"),
    _spec("other_unpaid_fee", "申请人逾期未按收费通知", "缴纳费用"),
    _spec("other_misc", "其他"),
    _spec("total_processed", "总计"),
    _spec("carried_forward", "结转下年度", "结转下年"),
)
_T3_2021_ONLY = frozenset(keys.T3_OTHER_2021)

# Table 二 items in printed order (2019 has 其他对外管理服务事项 and 政府集中采购).
T2_SPECS: tuple[tuple[RowSpec, str], ...] = (
    (_spec("regulations", "规章"), "20.1"),
    (_spec("normative_documents", "行政规范性文件", "规范性文件"), "20.1"),
    (_spec("licensing", "行政许可"), "20.5"),
    (_spec("other_services", "其他对外管理服务事项"), "20.5"),
    (_spec("penalty", "行政处罚"), "20.6"),
    (_spec("coercion", "行政强制"), "20.6"),
    (_spec("fees", "行政事业性收费"), "20.8"),
    (_spec("procurement", "政府集中采购"), "20.9"),
)
_T2_ROWS = tuple(spec for spec, _ in T2_SPECS)
_T2_2021_WORDS = re.compile(
    _alt("制发件", "本年发件", "废止件", "现行有效", "收费金额", "本年处理决定")
)
_T2_2019_WORDS = re.compile(
    _alt("新制作", "新公开", "对外公开总数", "上一年项目", "本年增", "采购项目")
)
_T2_HEADER_WORDS = 2  # a table 二 header prints two of its format's words at least
_T2_START = re.compile(_fuzzy("第二十条") + r"|^[ \t]*二\s*[、.,]\s*" + _fuzzy("主动公开"), re.M)
_T3_SECTION = re.compile(r"^[ \t]*三\s*[、.,]\s*(?:收到和处理|依申请)", re.M)
_T4_START = re.compile(
    r"四\s*[、.,]\s*(?:政府信息公开)?\s*(?:行政复议|因政府信息公开)|"
    + _alt("因政府信息公开工作被申请行政复议", "行政复议")
)


@dataclass(slots=True)
class StreamTables:
    """What the stream reader read: records, format votes, warnings."""

    active_disclosure: list[DisclosureCell] = field(default_factory=list)
    applications: list[ApplicationCell] = field(default_factory=list)
    reviews: list[ReviewCell] = field(default_factory=list)
    format_votes: dict[str, int] = field(default_factory=lambda: {"2019": 0, "2021": 0})
    warnings: list[Warning] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    index: int  # position of the row in its template


@functools.cache
def _scanner(specs: tuple[RowSpec, ...]) -> tuple[re.Pattern[str], dict[str, int]]:
    """One plain alternation of every phrase of a template, longest first, so that a
    single quick pass finds every label; and which row each phrase names."""
    owner = {phrase: i for i, spec in enumerate(specs) for phrase in spec.phrases}
    ordered = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))), owner


def _hits(stream: Stream, specs: tuple[RowSpec, ...], start: int, end: int) -> list[_Hit]:
    """Every row label of ``specs`` in ``stream.text[start:end]``, found on the compact
    text (labels broken over lines or cells join up), with its numbering in front."""
    segment = stream.text[start:end]
    matches = list(_RUN.finditer(segment))
    compact = "".join(m.group() for m in matches)
    # where each run starts, in the compact text and in the stream
    compact_at = list(itertools.accumulate((m.end() - m.start() for m in matches), initial=0))
    stream_at = [start + m.start() for m in matches]

    def where(i: int) -> int:
        run = bisect.bisect_right(compact_at, i) - 1
        return stream_at[run] + i - compact_at[run]

    found = []
    scanner, owner = _scanner(specs)
    for m in scanner.finditer(compact):
        index, begin = owner[m.group()], m.start()
        numbered = _NUMBERING.search(compact, max(0, begin - 4), begin)
        if numbered:
            begin = numbered.start()
        elif specs[index].key in _HEADER_WORDS and (
            _after_word(compact, begin) or _after_word(compact, m.end() + 1)
        ):
            continue  # 其他 / 总计 inside a longer word is not a row label
        found.append(_Hit(where(begin), where(m.end() - 1) + 1, index))
    found.sort(key=lambda h: (h.start, -h.end))
    merged: list[_Hit] = []
    for h in found:  # two phrases of one label (其他法律行政…禁止公开) are one hit
        last = merged[-1] if merged else None
        if last is not None and last.index == h.index and _same_cell(stream, last.end, h.start):
            merged[-1] = _Hit(last.start, max(last.end, h.end), h.index)
        elif last is None or h.start >= last.end or h.index != last.index:
            merged.append(h)
    return merged


_RUN = re.compile(r"[^\s|]+")


def _after_word(text: str, at: int) -> bool:
    return 0 < at <= len(text) and _is_han(text[at - 1])


def _same_cell(stream: Stream, start: int, end: int) -> bool:
    gap = stream.text[start:end]
    return len(gap) <= 12 and not any(c.isdigit() or c in "|\n" for c in gap)


def _align(hits: list[_Hit]) -> list[_Hit]:
    """The longest run of hits in strictly increasing template order (ties: the
    run whose hits sit closest together, i.e. the table rather than prose)."""
    if not hits:
        return []
    best = [1] * len(hits)
    back = [-1] * len(hits)
    for j, h in enumerate(hits):
        for i in range(j):
            g = hits[i]
            if g.index < h.index and g.end <= h.start and best[i] + 1 >= best[j]:
                best[j], back[j] = best[i] + 1, i
    j = max(range(len(hits)), key=lambda k: (best[k], -k))
    chain = []
    while j >= 0:
        chain.append(hits[j])
        j = back[j]
    return chain[::-1]


def _values_between(
    stream: Stream, start: int, end: int, *, stop_at_text: bool, own_cell_glue: bool = False
) -> list[Token]:
    """The value and blank tokens after a row label. ``own_cell_glue``: digits glued to
    a word count only in the label's own cell (``数量230``), never in a later word
    (``| 数据1 |``, a generic column header)."""
    out: list[Token] = []
    for t in tokens(stream, start, end):
        if t.kind == "text":
            if stop_at_text and any(o.kind != "text" for o in out):
                break
            continue
        if own_cell_glue and t.glued and _ends_a_later_word(stream, start, t.at):
            continue
        out.append(t)
    return out


_SEPARATOR = re.compile(r"[\s|]")


_GAPS = re.compile(r"[\s|]+")


def _ends_a_later_word(stream: Stream, start: int, at: int) -> bool:
    """Digits at the end of a word that is not the label's own cell (``| 数据1 |``).
    Spaces between two Chinese characters (``申 请 数 量230``) stay inside a word."""
    text = stream.text
    if at <= start or _SEPARATOR.match(text, at - 1):
        return False
    for gap in _GAPS.finditer(text, start, at):
        inside_a_word = (
            gap.group().strip(" \t") == ""
            and gap.start() > 0
            and _is_han(text[gap.start() - 1])
            and _is_han(text[gap.end()])
        )
        if not inside_a_word:
            return True
    return False


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def read_stream_tables(text: str) -> StreamTables:
    """Read tables 二, 三 and 四 from a text rendering (never raises on odd input)."""
    stream = make_stream(text)
    result = StreamTables()
    every_t3 = _hits(stream, T3_SPECS, 0, len(stream.text))
    t3_hits = _drop_group_label(_align(every_t3))
    if len(t3_hits) == 1 and not _whole_row_on_its_line(stream, t3_hits[0]):
        t3_hits = []  # one phrase alone is prose (予以公开 …), not a table
    t3_start = t3_hits[0].start if t3_hits else len(stream.text)
    t3_end = t3_hits[-1].end if t3_hits else len(stream.text)
    if t3_hits:
        t4 = _T4_START.search(stream.text, t3_end)
    else:  # table 四 alone: where its own header follows
        starts = _T4_START.finditer(stream.text)
        t4 = next((m for m in starts if _t4_header_follows(stream, m.end())), None)
    t4_start = t4.start() if t4 else len(stream.text)
    _read_t3(stream, result, t3_hits, every_t3, t4_start)
    t3_warnings, result.warnings = result.warnings, []
    # a table 二 row has no sums: its digits are cut only on a page whose table 三 rows
    # ran together (an archive's flattening), never where one printed number stands
    run_together = any(c.note == SPLIT_NOTE for c in result.applications)
    _read_t2(stream, result, t3_start if t3_hits else t4_start, run_together)
    result.warnings += t3_warnings
    if t4 is not None:
        _read_t4(stream, result, t4.end())
    return result


_T4_HEADER_WORDS = re.compile(_alt("结果维持", "结果纠正", "尚未审结", "直接起诉", "复议后起诉"))
_T4_HEADER_HITS = 3


def _t4_header_follows(stream: Stream, start: int) -> bool:
    """Table 四 with no table 三 before it (a page fragment, a report whose table 三 is a
    picture): read only when its own header words come before its first value, not
    when 行政复议 opens a sentence that gives a number or two."""
    first_value = next(
        (t.at for t in tokens(stream, start, len(stream.text)) if t.kind != "text"), None
    )
    header = stream.text[start : first_value if first_value is not None else len(stream.text)]
    return len(set(_T4_HEADER_WORDS.findall(header))) >= _T4_HEADER_HITS


def _whole_row_on_its_line(stream: Stream, hit: _Hit) -> bool:
    """A lone table 三 row label is a table (the last row of a table split over pages)
    only when the rest of its line (after the label's own words) is seven numbers."""
    if T3_SPECS[hit.index].key in _HEADER_WORDS:
        return False
    line_end = stream.text.find("\n", hit.end)
    line_end = len(stream.text) if line_end < 0 else line_end
    row = list(itertools.dropwhile(lambda t: t.kind == "text", tokens(stream, hit.end, line_end)))
    return len(row) == len(keys.APPLICANTS) and all(map(plain_number, row))


def _framed_row_on_its_line(stream: Stream, hit: _Hit, stop: int) -> Placed | None:
    """A row printed whole on its label's line, a ``|`` around every cell and one closing
    the line (``| 5.属于… | | | | | | | 0 |``): that line's seven cells, whatever
    padding the lines after it hold. A line the text ends in may be cut after any
    ``|``: it proves nothing."""
    line_end = stream.text.find("\n", hit.end)
    if line_end < 0 or line_end > stop:
        return None
    if not stream.text[hit.end : line_end].rstrip().endswith("|"):
        return None
    row = [t for t in tokens(stream, hit.end, line_end) if t.kind != "text"]
    if len(row) != len(keys.APPLICANTS) or any(t.glued for t in row):
        return None
    if not any(plain_number(t) for t in row):
        return None  # a label line left empty by a converter that moved its values away
    return place(row, len(keys.APPLICANTS), t3_sums)


def _drop_group_label(hits: list[_Hit]) -> list[_Hit]:
    """2021's （六）其他处理 heads its three rows: a group label, not a row."""
    keys_found = {T3_SPECS[h.index].key for h in hits}
    if keys_found & _T3_2021_ONLY:
        return [h for h in hits if T3_SPECS[h.index].key != "other_handling"]
    return hits


def _warn(result: StreamTables, code: str, table: str, row: str, placed: Placed) -> None:
    what = (
        "digits that ran together fit the sums in more than one way"
        if placed.how == "split_ambiguous"
        else "the table's labels and values are out of step (values printed apart from"
        " their labels, as a PDF's text gives them): its values may be another row's"
        if placed.how == "out_of_step"
        else "fewer values than cells and nothing proves their positions"
    )
    result.warnings.append(
        Warning(code=code, message=f"{table} row {row}: {what}; left blank (raw: {placed.raw})")
    )


def _read_t3(
    stream: Stream, result: StreamTables, hits: list[_Hit], every: list[_Hit], end: int
) -> None:
    if not hits:
        return
    keys_found = [T3_SPECS[h.index].key for h in hits]
    placed = _place_t3_rows(stream, hits, every, end)
    read_any = any(
        p.cells is not None and any(v.kind == "number" for v in p.cells) for p in placed.values()
    )
    if not read_any and (
        len(hits) <= _PROSE_HITS or all(_PROSE_COUNT.match(stream.text, h.end) for h in hits)
    ):
        return  # 予以公开12件、部分公开3件 in a sentence: no row of seven anywhere
    if set(keys_found) & _T3_2021_ONLY:
        result.format_votes["2021"] += 1
    elif "other_handling" in keys_found:
        result.format_votes["2019"] += 1
    chosen = {(h.start, h.index) for h in hits}
    repeated = sorted(
        {
            T3_SPECS[h.index].key
            for h in every
            if (h.start, h.index) not in chosen and hits[0].start < h.start < hits[-1].end
        }
        & set(keys_found) - {"total_processed", "other_misc"}  # also column headers (总计, 其他)
    )
    for key in repeated:
        result.warnings.append(
            Warning(
                code="t3_row_repeated",
                message=f"table 三 row {key} appears more than once; one copy is read",
            )
        )
    by_columns = _cut_by_column_sums(placed)
    result.applications = []
    in_order: list[str] = []
    for key, p in placed.items():
        cells = p.cells
        if key in by_columns:
            cells = by_columns[key]
            result.warnings.append(
                Warning(
                    code="t3_split_by_sums",
                    message=f"table 三 row {key}: digits ran"
                    f" together ({p.raw}); cut where the table's column sums allow one"
                    " cut only",
                )
            )
        elif cells is None:
            _warn(result, "t3_row_ambiguous", "table 三", key, p)
            cells = [Value(kind="blank") for _ in keys.APPLICANTS]
        elif p.how == "displaced":
            result.warnings.append(
                Warning(
                    code="t3_row_displaced",
                    message=f"table 三 row {key}: its label is"
                    f" printed out of order; its values ({p.raw}) are a whole row of seven"
                    " left where the template puts the row",
                )
            )
        elif p.how == "in_order":
            in_order.append(key)
        elif p.how == "by_sums":
            result.warnings.append(by_sums_warning("t3_row_by_sums", f"table 三 row {key}", p.raw))
        elif p.how == "split":
            result.warnings.append(
                Warning(
                    code="t3_split_by_sums",
                    message=f"table 三 row {key}: digits ran"
                    f" together ({p.raw}); cut where the row's sums allow one cut only",
                )
            )
        result.applications += [
            application_cell_of(key, a, v) for a, v in zip(keys.APPLICANTS, cells, strict=True)
        ]
    if in_order:
        result.warnings.append(
            Warning(
                code="t3_rows_in_order",
                message=f"table 三 row {in_order[0]}"
                + (f" and {len(in_order) - 1} more to {in_order[-1]}" if len(in_order) > 1 else "")
                + ": values printed apart from their labels; each line of seven numbers"
                " matched, in reading order, to the next row without values on its label's"
                " line",
            )
        )


_PROSE_HITS = 2  # this few row labels are a table only if a row of them reads whole
# a label followed by a count in words (予以公开97件，结转下年度继续办理7件): a sentence,
# not a table's row
_PROSE_COUNT = re.compile(
    r"[\u4e00-\u9fff]{0,8}[ \t]*\d+(?:\.\d+)?[ \t]*(?:件|条|个|篇|次|项|人次|份)"
)


def _place_t3_rows(
    stream: Stream, hits: list[_Hit], every: list[_Hit], end: int
) -> dict[str, Placed]:
    """Each row's values, placed where something proves their positions."""
    chosen = {(h.start, h.index) for h in hits}
    # a label the alignment left out (a repeated row) still ends the row before it
    others = [h.start for h in every if (h.start, h.index) not in chosen]
    placed: dict[str, Placed] = {}
    rows: dict[str, list[Token]] = {}
    for n, hit in enumerate(hits):
        last = n == len(hits) - 1
        stop = end if last else hits[n + 1].start
        stop = min([stop, *(s for s in others if hit.end <= s < stop)])
        row = _values_between(stream, hit.end, stop, stop_at_text=last, own_cell_glue=True)
        key = T3_SPECS[hit.index].key
        rows[key] = row
        placed[key] = place(row, len(keys.APPLICANTS), t3_sums)
        if last and row and row[0].kind == "blank" and ends_text(stream, _end_of(row[-1])):
            # the text ends in this row: empty cells first may be the label's padding
            # before a row cut short, not the row's first cells
            placed[key] = Placed(None, "ambiguous", placed[key].raw)
        if placed[key].cells is None:
            if displaced := _displaced_rows(stream, hits, n, every, row):
                placed.update(displaced)
            elif (own := _framed_row_on_its_line(stream, hit, stop)) is not None:
                placed[key] = own
    labels = [RowLabel(h.start, h.end, T3_SPECS[h.index].key) for h in hits]
    if out_of_step(stream, labels, rows):
        placed.update(rows_out_of_step(stream, labels, rows, end))
        return placed
    unplaced = [k for k, p in placed.items() if p.cells is None]
    if unplaced:  # a table printed with spaces: its rows and header show its columns
        header = _applicant_header(stream, hits[0].start)
        aligned = place_by_columns(stream, rows, unplaced, len(keys.APPLICANTS), header)
        for key, cells in aligned.items():
            placed[key] = Placed(cells, "aligned", placed[key].raw)
    return placed


def _end_of(token: Token) -> int:
    """Where ``token`` ends in the stream's text."""
    return token.at + len(token.raw)


def _standalone(*words: str) -> re.Pattern[str]:
    """Any of ``words`` as a word of its own (spaces, ``|`` or a line's ends around it)."""
    return re.compile(rf"(?<![^\s|])(?:{'|'.join(words)})(?![^\s|])")


_APPLICANT_WORDS = tuple(
    _standalone(word)
    for word in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
)
_HEADER_REACH = 1500  # characters before the first row label the header is looked for in


def _applicant_header(stream: Stream, first_row: int) -> list[tuple[int, int]] | None:
    """Where table 三's header prints each applicant column's word (each as a word of
    its own, the last one before the first row), or ``None`` when one is missing."""
    start = max(0, first_row - _HEADER_REACH)
    out: list[tuple[int, int]] = []
    for word in _APPLICANT_WORDS:
        found = [m.span() for m in word.finditer(stream.text, start, first_row)]
        if not found:
            return None
        out.append(found[-1])
    return out


def _displaced_rows(
    stream: Stream, hits: list[_Hit], n: int, every: list[_Hit], row: list[Token]
) -> dict[str, Placed]:
    """A conversion that pulled row labels out of place (``5.要求行政机关确认…`` printed
    rows earlier) leaves their values behind the row before: whole lines of seven
    numbers. They are placed when there is one such line for this row and one for
    each row the template has between this row and the next, and each of those
    rows' labels is printed elsewhere on the page."""
    lines = _whole_row_lines(stream, row)
    if len(lines) < 2:
        return {}
    found = {T3_SPECS[h.index].key for h in hits}
    printed = {T3_SPECS[h.index].key for h in every}
    upto = hits[n + 1].index if n + 1 < len(hits) else len(T3_SPECS)
    between = [
        T3_SPECS[i].key
        for i in range(hits[n].index + 1, upto)
        if T3_SPECS[i].key not in found
        and not (T3_SPECS[i].key == "other_handling" and found & _T3_2021_ONLY)
    ]
    if len(between) != len(lines) - 1 or not set(between) <= printed:
        return {}
    own = T3_SPECS[hits[n].index].key
    return {
        key: Placed([cell_value(t) for t in line], "displaced", " ".join(t.raw for t in line))
        for key, line in zip([own, *between], lines, strict=True)
    }


def _whole_row_lines(stream: Stream, row: list[Token]) -> list[list[Token]]:
    """The row's values as lines of exactly seven numbers each (lines of nothing but
    blanks, such as the pipe before the next label, aside); none if any line is not."""
    lines: dict[int, list[Token]] = {}
    for t in row:
        if t.kind != "text":
            lines.setdefault(stream.text.rfind("\n", 0, t.at), []).append(t)
    out = [line for line in lines.values() if any(t.kind != "blank" for t in line)]
    if any(len(line) != len(keys.APPLICANTS) or not all(map(plain_number, line)) for line in out):
        return []
    return out


_MAX_COMBINATIONS = 20_000


def _cut_by_column_sums(placed: dict[str, Placed]) -> dict[str, list[Value]]:
    """Rows whose run-together digits fit their own sums in several ways: the one
    combination of cuts under which the table's column rules (t3.outcomes,
    t3.balance) hold, when there is exactly one and every rule could be checked."""
    open_rows = {k: p.cuts for k, p in placed.items() if p.cuts}
    if not open_rows or math.prod(len(c) for c in open_rows.values()) > _MAX_COMBINATIONS:
        return {}
    fixed: dict[str, list[int | float | None]] = {
        k: [v.value for v in p.cells] for k, p in placed.items() if p.cells is not None
    }
    names = list(open_rows)
    winners = []
    for combo in itertools.product(*(open_rows[k] for k in names)):
        values = dict(fixed)
        values.update({k: [int(x) for x in cut] for k, cut in zip(names, combo, strict=True)})
        if _columns_hold(values, set(names)):
            winners.append(combo)
            if len(winners) > 1:
                return {}
    if len(winners) != 1:
        return {}
    return {k: split_cells(list(cut)) for k, cut in zip(names, winners[0], strict=True)}


def _columns_hold(rows: dict[str, list[int | float | None]], open_rows: set[str]) -> bool:
    """Whether every column rule that involves an open row can be checked and holds."""
    outcome_rows = [k for k in keys.T3_OUTCOME_ROWS if k in rows]
    balance = ("new_received", "carried_over", "total_processed", "carried_forward")
    checked = False
    for c in range(len(keys.APPLICANTS)):
        if open_rows & {*outcome_rows, "total_processed"} and "total_processed" in rows:
            parts = [rows[k][c] for k in outcome_rows]
            total = rows["total_processed"][c]
            if total is None or any(v is None for v in parts):
                return False
            if sum(v for v in parts if v is not None) != total:
                return False
            checked = True
        if open_rows & set(balance) and all(k in rows for k in balance):
            a, b, t, f = (rows[k][c] for k in balance)
            if a is None or b is None or t is None or f is None or a + b != t + f:
                return False
            checked = True
    return checked


_NEXT_SECTION = re.compile(r"[五六]\s*[、.,]")
_T4_CELLS = len(keys.PROCEEDINGS) * len(keys.OUTCOMES)


def _t4_values(stream: Stream, start: int) -> list[Token]:
    """The values after table 四's header: one run of fifteen, or runs (one per
    proceeding, each under its own header) that add up to fifteen; never past the
    next section's heading."""
    out: list[Token] = []
    run_open = False
    run_start = 0
    for t in tokens(stream, start, len(stream.text)):
        if t.kind == "text":
            if _NEXT_SECTION.match(t.raw.strip()) or len(out) >= _T4_CELLS:
                break
            if all(v.kind == "blank" for v in out[run_start:]):
                # empty header cells (a Markdown header row under merged ones), not values
                del out[run_start:]
            run_open = False
            continue
        if not run_open and out and len(out) % len(keys.OUTCOMES):
            break  # a new run after a run that was not whole proceedings
        if not run_open:
            run_start = len(out)
        run_open = True
        out.append(t)
    return out


def _cut_with_blanks(stream: Stream, row: list[Token]) -> bool:
    """Whether ``row`` has an empty cell and the text ends after its last cell."""
    if not row or all(t.kind != "blank" for t in row):
        return False
    return ends_text(stream, _end_of(row[-1]))


_WORD = re.compile(r"[^\s|]+")
_OUTCOME_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3
_OUTCOME_WORD = _standalone(*_OUTCOME_WORDS[:5])


def _outcome_header(stream: Stream, start: int, end: int) -> list[tuple[int, int]] | None:
    """Where table 四's header prints its fifteen outcome words (the last fifteen
    before its values, in the template's order), or ``None``."""
    found = list(_OUTCOME_WORD.finditer(stream.text, start, end))[-_T4_CELLS:]
    if tuple(m.group() for m in found) != _OUTCOME_WORDS:
        return None
    return [m.span() for m in found]


def _read_t4(stream: Stream, result: StreamTables, start: int) -> None:
    row = _t4_values(stream, start)
    placed = place(row, _T4_CELLS, t4_sums)
    if placed.cells is not None and _cut_with_blanks(stream, row):
        # the text ends in this row: an empty cell may be a spacer column before a row
        # cut short, not one of its fifteen cells
        placed = Placed(None, "ambiguous", placed.raw)
    elif placed.cells is None and row:  # printed with spaces: the header's columns
        header = _outcome_header(stream, start, row[0].at)
        aligned = place_by_columns(stream, {"t4": row}, ["t4"], _T4_CELLS, header)
        if "t4" in aligned:
            placed = Placed(aligned["t4"], "aligned", placed.raw)
    if placed.cells is None:
        if any(t.kind == "value" for t in row):
            _warn(result, "t4_row_ambiguous", "table 四", "values", placed)
        return
    if placed.how == "empty":
        return
    if placed.how == "by_sums":
        result.warnings.append(by_sums_warning("t4_row_by_sums", "table 四", placed.raw))
    pairs = [(p, o) for p in keys.PROCEEDINGS for o in keys.OUTCOMES]
    result.reviews = [
        review_cell_of(p, o, v) for (p, o), v in zip(pairs, placed.cells, strict=True)
    ]


def _read_t2(stream: Stream, result: StreamTables, end: int, run_together: bool) -> None:
    begin = _T2_START.search(stream.text, 0, end)
    if begin is None:
        return
    if (heading := _T3_SECTION.search(stream.text, begin.end(), end)) is not None:
        end = heading.start()  # section 三 ends table 二 wherever table 三's rows are
    region = stream.text[begin.start() : end]
    votes_2021 = len(_T2_2021_WORDS.findall(region))
    votes_2019 = len(_T2_2019_WORDS.findall(region))
    if votes_2021 == votes_2019:
        return  # no header words to tell the metrics apart: nothing placed by guesswork
    fmt = "2021" if votes_2021 > votes_2019 else "2019"
    hits = _align(_hits(stream, _T2_ROWS, begin.start(), end))
    if not hits and max(votes_2021, votes_2019) < _T2_HEADER_WORDS:
        return  # one such word and no row: prose (更新公开内容), not a header
    result.format_votes[fmt] += 1
    template = keys.T2_2021 if fmt == "2021" else keys.T2_2019
    rows: list[_T2Row] = []
    for n, hit in enumerate(hits):
        spec, clause = T2_SPECS[hit.index]
        metrics = template.get((clause, spec.key))
        if metrics is None:
            continue
        stop = end if n == len(hits) - 1 else hits[n + 1].start
        row = _values_between(stream, hit.end, stop, stop_at_text=True)
        placed = place(row, len(metrics), None, split=run_together)
        rows.append(_T2Row(spec.key, clause, metrics, row, placed))
    aligned = _t2_by_columns(stream, rows)
    for key, clause, metrics, _, placed in rows:
        cells = aligned.get(key, placed.cells)
        if cells is None:  # the row is kept, blank, so that its warning is kept with it
            _warn(result, "t2_row_ambiguous", "table 二", key, placed)
            cells = [Value(kind="blank") for _ in metrics]
        result.active_disclosure.extend(
            disclosure_cell_of(clause, key, m, v) for m, v in zip(metrics, cells, strict=True)
        )


class _T2Row(NamedTuple):
    key: str
    clause: str
    metrics: tuple[str, ...]
    tokens: list[Token]
    placed: Placed


def _t2_by_columns(stream: Stream, rows: list[_T2Row]) -> dict[str, list[Value]]:
    """Table 二 rows printed in columns of spaces, placed under the metric words of the
    header line above them (信息内容 …), each block's rows lining up together."""
    if all(row.placed.cells is not None for row in rows):
        return {}
    blocks: dict[int, list[_T2Row]] = {}
    for row in rows:
        if row.tokens:
            blocks.setdefault(stream.text.rfind("信息内容", 0, row.tokens[0].at), []).append(row)
    out: dict[str, list[Value]] = {}
    for line, block in blocks.items():
        unplaced = [row.key for row in block if row.placed.cells is None]
        metrics = block[0].metrics
        if line < 0 or not unplaced or any(row.metrics != metrics for row in block):
            continue
        header = _metric_header(stream, line, metrics)
        if header is not None:
            tokens = {row.key: row.tokens for row in block}
            out.update(place_by_columns(stream, tokens, unplaced, len(metrics), header))
    return out


def _metric_header(
    stream: Stream, at: int, metrics: tuple[str, ...]
) -> list[tuple[int, int]] | None:
    """Where the header line at ``at`` (信息内容 …) prints the words of ``metrics``, in
    that order, or ``None`` when its words name other columns."""
    start = stream.text.rfind("\n", 0, at) + 1
    end = stream.text.find("\n", at)
    end = len(stream.text) if end < 0 else end
    words = [(m.span(), metric_of(m.group())) for m in _WORD.finditer(stream.text, start, end)]
    named = [(span, metric) for span, metric in words if metric is not None]
    if tuple(metric for _, metric in named) != metrics:
        return None
    return [span for span, _ in named]
