"""List pages → report links, sub-columns, further list pages and attachments.

A link is a report when its text (or title attribute) names an open-government
annual report (信息公开 with 年度报告 / 年报 / 工作报告; a source's ``include``
replaces that pattern) and is not an interpretation, 图解, notice or 法治政府建设
report (plus the source's ``exclude``). Pagination: TRS ``createPageHTML(N, cur,
"index", "html")`` / ``var countPage = N`` (``index.html``, ``index_1.html`` …
``index_{N-1}.html``), 下一页 / 尾页 and numbered links (``?page=N`` too).
Sub-columns: list-like links in a deeper directory of the column, or anywhere on
the allowed hosts when the link text is a department, town or year name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..decode.normalize import clean_text
from .urls import directory_of, host_allowed, try_canonical, under, url_key

REPORT_TOPIC = re.compile(r"信息公开")
REPORT_KIND = re.compile(r"年度报告|年报|工作报告")
EXCLUDE = re.compile(r"解读|图解|通知|法治政府建设")
ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|ceb)$", re.I)
_ORG_NAME = re.compile(
    r"^[\u4e00-\u9fff（）()·]{1,24}"
    r"(局|委|办|办公室|委员会|管委会|中心|街道|街道办事处|镇|乡|人民政府|政府|院|所|队|站|馆|部|处|厅)$"
)
_YEAR_NAME = re.compile(r"^(19|20)\d{2}\s*年度?(信息公开)?(年报|年度报告)?$")
_LIST_LIKE = re.compile(
    r"(/|/(index|list|default)(_\d+)?\.(s?html?|jsp|aspx?|php)|/col/col\d+(/|/index\.html)?)$", re.I
)
_SITE_HOME = re.compile(r"^/((index|default|main)\.\w+)?$", re.I)
_NEXT = {"下一页", "下页", "后一页", "尾页", "末页", "最后一页", "next", ">", ">>", "»"}
_PREV = {"上一页", "上页", "前一页", "prev", "<", "<<", "«"}
_NAV = {"首页", "返回", "返回首页", "网站首页", "主页", "更多", "more"}
_TRS_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
_CUR_PAGE = re.compile(r"\bcurrentPage\s*=\s*['\"]?(\d+)")
_PREFIX = re.compile(r"\bprefixName\s*=\s*['\"]([\w-]+)['\"]")
_SUFFIX = re.compile(r"\bsuffixName\s*=\s*['\"](\w+)['\"]")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_URL_YEAR = re.compile(
    r"/t((?:19|20)\d{2})\d{4}_|/((?:19|20)\d{2})(?:\d{2})?/|/art/((?:19|20)\d{2})/"
)


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # canonical
    text: str


@dataclass(slots=True)
class ListPage:
    """What one list page offers."""

    reports: list[Link] = field(default_factory=list)
    subcolumns: list[Link] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # other pages of the same list
    attachments: list[Link] = field(default_factory=list)  # report files linked directly


class LinkRules:
    """Which link texts are reports, for one source."""

    def __init__(self, include: str | None = None, exclude: str | None = None) -> None:
        self._include = re.compile(include) if include else None
        self._exclude = re.compile(exclude) if exclude else None

    def excluded(self, text: str, url: str) -> bool:
        """Whether the link is an interpretation, notice, … or matches the source's exclude."""
        if EXCLUDE.search(text):
            return True
        return bool(self._exclude and (self._exclude.search(text) or self._exclude.search(url)))

    def is_report(self, text: str, url: str) -> bool:
        """Whether a link with ``text`` to ``url`` is an annual report to fetch."""
        if self._include is not None:
            hit = bool(self._include.search(text) or self._include.search(url))
        else:
            hit = bool(REPORT_TOPIC.search(text) and REPORT_KIND.search(text))
        return hit and not self.excluded(text, url)


def title_year(text: str) -> int | None:
    """The first year written as ``YYYY年`` in a link text, if any."""
    m = _TITLE_YEAR.search(text)
    return int(m.group(1)) if m else None


def url_year(url: str) -> int | None:
    """The publication year a TRS/Hanweb/dated URL carries (``t20230112_``, ``/202301/``)."""
    m = _URL_YEAR.search(urlsplit(url).path)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def older_than(link: Link, since: int) -> bool:
    """Whether a report link is for a year before ``since``.

    The year in the title is the report's year; without one, a URL's publication
    year is used (a report is published in or after its own year, so a URL year
    before ``since`` is conclusive).
    """
    year = title_year(link.text)
    if year is None:
        year = url_year(link.url)
    return year is not None and year < since


def is_attachment(url: str) -> bool:
    """Whether ``url`` points to a file (PDF, Word, WPS, …) rather than a page."""
    parts = urlsplit(url)
    if ATTACHMENT.search(parts.path):
        return True
    return any(ATTACHMENT.search(v) for v in re.split(r"[&=]", parts.query) if v)


def _anchors(html: str, base: str) -> list[Link]:
    tree = LexborHTMLParser(html)
    base_tag = tree.css_first("base[href]")
    if base_tag is not None:
        href = base_tag.attributes.get("href")
        resolved = try_canonical(href, base) if href else None
        base = resolved or base
    links: list[Link] = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = try_canonical(href, base)
        if url is None:
            continue
        text = clean_text(node.text(deep=True, separator="", strip=False))
        title = clean_text(node.attributes.get("title") or "")
        if title and title not in text:
            text = f"{text} {title}".strip() if text and not text.endswith(("…", "...")) else title
        links.append(Link(url, text))
    return links


def _trs_pages(html: str, url: str, max_pages: int) -> list[str]:
    count: int | None = None
    prefix, suffix = "index", "html"
    call = _TRS_CALL.search(html)
    if call:
        args = [a.strip().strip("'\"") for a in call.group(1).split(",")]
        ints = [i for i, a in enumerate(args) if a.isdigit()]
        if len(ints) >= 2:
            count = int(args[ints[0]])
            strings = [a for a in args[ints[1] + 1 :] if a and not a.isdigit()]
            if len(strings) >= 2:
                prefix, suffix = strings[0], strings[1]
    if count is None:
        m = _COUNT_PAGE.search(html)
        if m:
            count = int(m.group(1))
            if p := _PREFIX.search(html):
                prefix = p.group(1)
            if s := _SUFFIX.search(html):
                suffix = s.group(1)
    if not count or count < 1:
        return []
    count = min(count, max_pages)  # a page may claim 50,000,000 pages
    directory = directory_of(url)
    names = [f"{prefix}.{suffix}"] + [f"{prefix}_{i}.{suffix}" for i in range(1, count)]
    return [u for n in names if (u := try_canonical(n, directory))]


def _same_list(url: str, other: str) -> bool:
    """Whether ``other`` is another page of the list at ``url`` (same path, or index_N)."""
    a, b = urlsplit(url), urlsplit(other)
    if a.netloc != b.netloc:
        return False
    if a.path == b.path:
        return a.query != b.query
    return directory_of(url) == directory_of(other) and bool(
        re.search(r"/[\w-]+_\d+\.s?html?$", b.path) or re.search(r"/[\w-]+_\d+\.s?html?$", a.path)
    )


def parse_list_page(
    html: str,
    url: str,
    *,
    rules: LinkRules,
    allowed_hosts: list[str],
    column: str | None = None,
    max_pages: int = 10_000,
) -> ListPage:
    """Read a list page at ``url`` (already decoded). ``column``: the column's directory;
    ``max_pages``: the most page URLs a pager script may make (the source's list cap)."""
    column = column or directory_of(url)
    page = ListPage()
    seen: set[str] = {url_key(url)}
    here = directory_of(url)
    page.pages.extend(p for p in _trs_pages(html, url, max_pages) if host_allowed(p, allowed_hosts))
    for link in _anchors(html, url):
        key = url_key(link.url)
        if key in seen:
            continue
        text = link.text
        bare = text.strip().lower()
        if is_attachment(link.url):
            if rules.is_report(text, link.url):
                seen.add(key)
                page.attachments.append(link)
            continue
        if not host_allowed(link.url, allowed_hosts):
            continue
        if rules.is_report(text, link.url):
            seen.add(key)
            page.reports.append(link)
            continue
        if bare in _PREV or bare in _NAV:
            continue
        if (bare in _NEXT or bare.isdigit()) and _same_list(url, link.url):
            seen.add(key)
            page.pages.append(link.url)
            continue
        path = urlsplit(link.url).path
        if rules.excluded(text, link.url) or not _LIST_LIKE.search(path) or _SITE_HOME.match(path):
            continue
        if directory_of(link.url) == here:
            continue
        named = bool(_ORG_NAME.match(text) or _YEAR_NAME.match(text))
        if (under(link.url, column) and link.url != column) or named:
            seen.add(key)
            page.subcolumns.append(link)
    unique: dict[str, str] = {}
    for other in page.pages:
        unique.setdefault(url_key(other), other)
    unique.pop(url_key(url), None)
    page.pages = list(unique.values())
    return page


def attachment_links(html: str, url: str) -> list[Link]:
    """Links to files (PDF/DOC/WPS/…) on a report page, canonical and de-duplicated."""
    out: dict[str, Link] = {}
    for link in _anchors(html, url):
        if is_attachment(link.url) and url_key(link.url) not in out:
            out[url_key(link.url)] = link
    return list(out.values())
