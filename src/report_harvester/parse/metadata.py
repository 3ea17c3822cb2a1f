"""Report metadata: title, issuing body, year, publication date, page kind, format.

Year precedence (domain.md): the title, else the statistics period, else the
year most mentioned in the text. When title and statistics period disagree the
title wins and a ``year_conflict`` warning says so.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..decode.normalize import TRADITIONAL, nfkc
from ..models import Format, PageKind, Warning
from .simplify import simplified, without_pinyin

_CN_NUM = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([二一][〇○零O一二三四五六七八九]{3})\s*年")
_STATS_PERIOD = re.compile(
    r"((?:19|20)\d{2})年?\s*1\s*月?\s*1\s*日?(?:起)?\s*(?:至|到|—|-|~)\s*((?:19|20)\d{2})年?\s*12\s*月?\s*31\s*日"
)
# Where a period can end (before NFKC: full-width digits too), and how far back it starts.
_PERIOD_END = re.compile(r"[1１]\s*[2２]\s*月?\s*[3３]\s*[1１]\s*日")
_PERIOD_WINDOW = 120
_ISO_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(
    r"([二一][〇○零O一二三四五六七八九]{3})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
# traditional forms too (發佈時間): a page read through a 繁體 switch
_PUBLISHED_LINE = re.compile(
    r"(?:[发發][布佈]|公[开開]|成文|印[发發])(?:[时時][间間]|日期)\s*[:：]?\s*"
)
_TAGS = re.compile(r"<[^>]*>")
_PUBLISHED_META = (
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "publishtime",
    "releasedate",
    "dc.date",
    "createdate",
)
_BREADCRUMB = re.compile(r"[>›»]|当前位置|您的位置|首页")
_TITLE_WORDS = re.compile(r"报告|年报|解读|图解|通知")
_ORG_TAIL = re.compile(r"[（(\s《“\"]+$")
_ORG_STOP = re.compile(
    r"(?:19|20)\d{2}\s*年|[二一][〇○零O一二三四五六七八九]{3}年|政府信息公开|信息公开|政务公开"
)

_INTERPRETATION = re.compile(r"解读|图解|一图读懂|答记者问")
_OTHER_REPORT = re.compile(r"法治政府建设|法治建设|依法行政工作|工作总结|财政预算|决算")
_NOTICE = re.compile(r"通知$|通知》?$|的函$|关于(?:做好|编制|报送|开展|印发)")
_REPORT = re.compile(r"年度报告|年报|年度工作报告|工作报告")
# Words before 政府信息公开 that name no body: the law's and the template's own titles
# (中华人民共和国政府信息公开条例 / …年度报告格式).
_NOT_A_BODY = frozenset({"中华人民共和国", "中国"})
_ABOUT = re.compile(r"^关于|^《|》$")
_ABOUT_ACTION = re.compile(r"^关于(?:做好|开展|印发|编制|报送|进一步|加强|公布|转发)")

MIN_TEXT_FOR_REPORT = 200


@dataclass(slots=True)
class PageFacts:
    """What the pipeline knows when it decides the page kind and the format."""

    title: str | None
    text_length: int  # characters of body text, title excluded
    section_count: int  # statutory sections found
    mapped_tables: int  # tables mapped to 二/三/四
    image_count: int
    attachment_count: int
    format_votes: dict[str, int]
    pre2019_headings: bool
    year: int | None
    preamble_names_report: bool = False  # 现将…年政府信息公开工作年度报告予以公布
    preamble_is_notice: bool = False  # 现就做好…年度报告编制和发布工作通知如下


_PREAMBLE_REPORT = re.compile(r"政府信息公开(?:工作)?年度报告")
# a line that may read otherwise once simplified (公開, 報告); a scan is quicker than ``simplified``
_TRADITIONAL_CHAR = re.compile(f"[{TRADITIONAL}]")


def preamble_names_report(lines: Sequence[str]) -> bool:
    """Whether the first lines of the body say they are the annual report (a page
    whose title was not kept, as in many text renderings)."""
    return any(
        _PREAMBLE_REPORT.search(line)
        or (_TRADITIONAL_CHAR.search(line) and _PREAMBLE_REPORT.search(simplified(line)))
        for line in lines[:5]
    )


_NOTICE_PREAMBLE = re.compile(r"通知如下")


def preamble_is_notice(lines: Sequence[str]) -> bool:
    """Whether the first lines of the body are those of a notice (…工作通知如下：)."""
    # no character of 通知如下 has another form that ``simplified`` would change
    return any(_NOTICE_PREAMBLE.search(line) for line in lines[:5])


_TITLE_PREFIX = re.compile(r"^(?:标题\s*[:：]\s*|(?:Page\s*\d+\s*-\s*)+)", re.I)
_NOT_A_TITLE = re.compile(r"^(?:根据|依据|按照|本报告|本年度|现将|为)")
_TITLE_LINES = 8  # a text rendering's title is among its first lines of text
# portal chrome in a rendering: a Markdown line of links or images, a short menu item
# (``* 首页``), a form field (``____ (BUTTON) 搜索``, lynx)
_LINK_LINE = re.compile(
    r"\s*(?:[*+-]\s+)?(?:!?\[[^\]]*\]\([^)]*\)\s*)+$|\s*[*+•·-]\s+\S{1,12}\s*$|.*(?:_{6}|\(BUTTON\))"
)


def clean_title(text: str) -> str:
    """A title without an archive's ``标题:`` or a flip-book's ``Page 9 -`` in front."""
    return _TITLE_PREFIX.sub("", text.strip()).strip()


def find_title(html_title: str | None, lines: Iterable[str]) -> str | None:
    """The page title; for text renderings the first short line that names a report."""
    if html_title:
        return clean_title(html_title) or None
    previous = ""
    n = 0
    for line in lines:
        if _LINK_LINE.match(line):
            continue  # portal chrome: a logo, a menu, links, a search box
        n += 1
        if n > _TITLE_LINES:
            break
        text = clean_title(line.strip().strip("#"))
        words = simplified(text)  # a 繁體 page's 當前位置 / 報告
        if not text or len(text) > 80 or _BREADCRUMB.search(words) or words.startswith("编制说明"):
            previous = text
            continue
        if _NOT_A_TITLE.match(words):
            previous = ""
            continue
        if _TITLE_WORDS.search(words) and not text.endswith(("。", "：", ":")):
            if len(text) <= 8 and previous and len(previous) <= 40 and not previous.endswith("。"):
                return previous + text  # a title broken over two lines (…信息公开工作 / 年度报告)
            return text
        previous = text
    return None


_ORG_NAME = re.compile(
    r"[\u4e00-\u9fff（）()]{2,30}?(?:人民政府办公室|人民政府|管理委员会|委员会|办公室|办事处|"
    r"街道|局|委|厅|署|院|中心|镇|乡|区|县|市|馆|所|队|站|会)"
)
_ARCHIVE_ORG = re.compile(r"^\s*发布机构\s*[:：]\s*(\S.*?)\s*$")
_CMS_ORG = re.compile(r"发布机构\s*[:：]?\s*([\u4e00-\u9fff（）()]{2,30})")
_PREAMBLE_ORG = re.compile(
    r"(?:现将|现公布|现公开|现予公布|特发布|特公布|现发布|特编制|现编制)\s*([\u4e00-\u9fff（）()]{2,30}?)"
    r"\s*(?:(?:19|20)\d{2}|[二一][〇○零O一二三四五六七八九]{3})\s*年"
    r"|^\s*(?:19|20)\d{2}\s*年度?\s*[,，]\s*([\u4e00-\u9fff（）()]{2,30}?)(?:政府)?信息公开工作"
)
# failing those, a name standing alone before its year and 政府信息公开
# (``…格式>永安镇人民政府2024年政府信息公开总体情况``)
_NAME_BEFORE_YEAR = re.compile(
    r"(?:^|[^\u4e00-\u9fff（）()])([\u4e00-\u9fff（）()]{4,30}?)\s*(?:19|20)\d{2}\s*年度?"
    r"\s*政府信息公开"
)
_DATE_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}|[二一][〇○零O一二三四五六七八九]{3})\s*年")


def _clean_org(text: str) -> str | None:
    text = text.strip(" 　:：,，。《》“”\"")
    words = simplified(text)
    m = _ORG_NAME.fullmatch(words)
    return text if m and not _REPORT.search(words) and not _NOT_A_TITLE.match(words) else None


def find_org(title: str | None, lines: Sequence[str]) -> str | None:
    """The issuing body: from the title, else an archive header (``发布机构:``), a CMS
    metadata line (索引号 … 发布机构 …), the line above a title that names none, the
    preamble (现将…), or the signature at the end (落款: the body, then a date)."""
    named = org_from_title(title)
    if named and named[0] in _LEVELS:
        # a title that leaves out the place (市人民政府办公室…): the preamble's full name
        full = _preamble_org(lines)
        return full if full and full.endswith(named) else named
    if named:
        return named
    head = lines[:12]
    for line in head:
        simple = simplified(line)
        m = _ARCHIVE_ORG.match(simple) or _CMS_ORG.search(simple)
        if m and (org := _clean_org(line[m.start(1) : m.end(1)])):
            return org
    if title:
        for above, line in itertools.pairwise(head):
            if clean_title(line.strip().strip("#")) == title and (org := _clean_org(above)):
                return org
    if org := _preamble_org(lines):
        return org
    for line in lines[:6]:
        for m in _NAME_BEFORE_YEAR.finditer(nfkc(line)):
            if org := _clean_org(m.group(1)):
                return org
    tail = [line.strip() for line in lines[-8:] if line.strip()]
    for above, below in itertools.pairwise(tail):
        if _DATE_LINE.match(below) and (org := _clean_org(above)):
            return org
    return None


_LEVELS = "省市区县镇乡"  # a name starting with its level word has lost its place name


def _preamble_org(lines: Sequence[str]) -> str | None:
    """The body the preamble names (现将某某局2022年…, 2022年,某某局信息公开工作…)."""
    for line in lines[:6]:
        m = _PREAMBLE_ORG.search(nfkc(line))
        if m and (org := _clean_org(m.group(1) or m.group(2))):
            return org
    return None


def org_from_title(title: str | None) -> str | None:
    """``某某区财政局2022年政府信息公开工作年度报告`` → ``某某区财政局`` (words matched in
    their simplified form, the name given as printed, without a mirror's pinyin); a
    flip-book's ``2020年报_审计局`` → ``审计局``."""
    if not title:
        return None
    title = without_pinyin(title)
    named = _as_printed(title, _org_from_title(simplified(title)))
    if named is None and "_" in title:  # a book or page name: ``2020年报_审计局``
        named = next((org for part in title.split("_") if (org := _clean_org(part))), None)
    return named


def _as_printed(raw: str, found: str | None) -> str | None:
    """``found``, read from ``simplified(raw)``, as ``raw`` prints it (the same length:
    simplification maps one character to one)."""
    if found is None:
        return None
    at = simplified(raw).find(found)
    return raw[at : at + len(found)] if at >= 0 else found


def _org_from_title(title: str) -> str | None:
    if _ABOUT_ACTION.match(title.strip()):
        return None
    text = _ABOUT.sub("", title.strip()).strip("《》 ")
    m = _ORG_STOP.search(text)
    if not m:
        return None
    org = _ORG_TAIL.sub("", text[: m.start()]).strip('《》“”" ')
    if len(org) < 2:
        after = text[m.end() :]
        n = re.search(r"政府信息公开|信息公开", after)
        org = after[: n.start()].strip("度（）() ") if n else ""
    org = org.removesuffix("关于").strip()
    if org in _NOT_A_BODY:
        return None
    return org if len(org) >= 2 and not _REPORT.search(org) else None


def year_from_title(title: str | None) -> int | None:
    if not title:
        return None
    text = unicodedata.normalize("NFKC", title)
    m = _YEAR.search(text)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(text)
    return _cn_year(m.group(1)) if m else None


def year_from_period(text: str) -> int | None:
    """The statistics period ``自2020年1月1日起至2020年12月31日止`` → 2020.

    Also reads periods whose 年/月 were lost in extraction: ``201911日起至20191231日``.
    """
    for end in _PERIOD_END.finditer(text):  # only the text before each 12月31日 is read
        window = text[max(0, end.start() - _PERIOD_WINDOW) : end.end()]
        compact = "".join(nfkc(window).split())  # ``str.split`` and ``\s`` agree on spaces
        m = _STATS_PERIOD.search(compact)
        if m:
            return int(m.group(2))
    return None


def year_from_text(text: str) -> int | None:
    counts = Counter(int(y) for y in _YEAR.findall(nfkc(text)))
    counts = Counter({y: n for y, n in counts.items() if 2000 <= y <= 2099})
    return counts.most_common(1)[0][0] if counts else None


def decide_year(title: str | None, text: str) -> tuple[int | None, list[Warning]]:
    warnings: list[Warning] = []
    from_title = year_from_title(title)
    from_period = year_from_period(text)
    if from_title and from_period and from_title != from_period:
        warnings.append(
            Warning(
                code="year_conflict",
                message=f"title says {from_title} but the statistics period is {from_period}; "
                f"year taken from the title",
            )
        )
    return from_title or from_period or year_from_text(text), warnings


def find_published(meta: dict[str, str], lines: list[str], page_text: str = "") -> str | None:
    """ISO date from a <meta>, a 发布时间 line (in the content or anywhere on the page,
    e.g. an info bar above the content), or the closing date line of the report."""
    for name in _PUBLISHED_META:
        if meta.get(name):
            iso = _iso_date(meta[name])
            if iso:
                return iso
    for line in lines:
        m = _PUBLISHED_LINE.search(line)
        if m:
            iso = _iso_date(line[m.end() :])
            if iso:
                return iso
    page_words = _TAGS.sub(" ", page_text)
    m = _PUBLISHED_LINE.search(page_words)
    if m:
        iso = _iso_date(page_words[m.end() : m.end() + 40])
        if iso:
            return iso
    for line in reversed(lines[-6:]):
        if len(line.strip()) <= 24:
            iso = _iso_date(line)
            if iso:
                return iso
    return None


_TEMPLATE = re.compile(r"年度报告格式|报告模板")


def decide_kind(facts: PageFacts) -> tuple[PageKind, list[Warning]]:
    title = simplified(facts.title or "")
    if _TEMPLATE.search(title):
        return "unknown", [_not_report("the report template (年度报告格式), not a report")]
    if _INTERPRETATION.search(title):
        return "interpretation", [_not_report("an interpretation (解读/图解) of a report")]
    if _OTHER_REPORT.search(title) and not re.search(r"政府信息公开|政务公开", title):
        return "other_report", [_not_report("another kind of annual report")]
    if (
        _NOTICE.search(title) or (not title and facts.preamble_is_notice)
    ) and facts.mapped_tables == 0:
        return "notice", [_not_report("a notice, not a report")]
    looks_like_report = (
        bool(_REPORT.search(title)) or facts.section_count >= 3 or facts.preamble_names_report
    )
    if facts.mapped_tables or facts.section_count >= 3:
        return "report", []
    if facts.text_length < MIN_TEXT_FOR_REPORT and facts.image_count and looks_like_report:
        return "image_only", [
            Warning(
                code="image_only",
                message=f"the report is {facts.image_count} image(s); no text or tables to extract",
            )
        ]
    if facts.text_length < MIN_TEXT_FOR_REPORT and facts.attachment_count and looks_like_report:
        return "attachment_only", [
            Warning(
                code="attachment_only",
                message=f"the report is in {facts.attachment_count} "
                "attachment(s) (PDF/DOC/WPS); attachments are listed, not parsed",
            )
        ]
    if looks_like_report:
        return "report", []
    return "unknown", [_not_report("no report title, sections or tables")]


def decide_format(facts: PageFacts, kind: PageKind = "report") -> tuple[Format, list[Warning]]:
    """2019/2021 from the table labels' votes; pre2019 from headings or year, reports only."""
    v2019 = facts.format_votes.get("2019", 0)
    v2021 = facts.format_votes.get("2021", 0)
    if kind == "unknown":  # not a report (a template, a portal page): no format to speak of
        return "unknown", []
    if v2019 or v2021:
        fmt: Format = "2021" if v2021 > v2019 else "2019"
        if v2019 and v2021:
            why = ""
            if v2019 == v2021 and facts.year is not None and facts.year >= 2021:
                fmt, why = "2021", f", the format due for {facts.year}"  # a tie: the year's
            return fmt, [
                Warning(
                    code="format_mixed",
                    message=f"labels of both formats ({v2021} of 2021, "
                    f"{v2019} of 2019); read as {fmt}{why}",
                )
            ]
        return fmt, []
    if kind != "report":
        return "unknown", []
    if facts.pre2019_headings or (
        facts.year is not None and facts.year < 2019 and facts.section_count >= 3
    ):
        return "pre2019", []
    if facts.year is not None:  # no table labels at all: the format the year was due in
        fmt = "pre2019" if facts.year < 2019 else "2019" if facts.year < 2021 else "2021"
        return fmt, [
            Warning(
                code="format_from_year",
                message=f"no table labels tell the format; {fmt} is the format due for"
                f" {facts.year}",
            )
        ]
    return "unknown", []


def _not_report(what: str) -> Warning:
    return Warning(
        code="not_a_report", message=f"this page is {what}; nothing is extracted by guesswork"
    )


def _iso_date(text: str) -> str | None:
    text = unicodedata.normalize("NFKC", text)
    m = _ISO_DATE.search(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        c = _CN_DATE.search(text)
        if not c:
            return None
        year = _cn_year(c.group(1))
        month, day = _cn_small(c.group(2)), _cn_small(c.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cn_year(token: str) -> int:
    return int("".join(str(_CN_NUM.get(ch, 0)) for ch in token))


def _cn_small(token: str) -> int:
    if "十" not in token:
        return _CN_NUM.get(token, 0)
    tens, _, ones = token.partition("十")
    return (_CN_NUM.get(tens, 1) if tens else 1) * 10 + (_CN_NUM.get(ones, 0) if ones else 0)
