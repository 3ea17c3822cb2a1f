"""HTML page → ``PageContent``: the main content as paragraphs and table grids, plus page facts.

Steps, each tolerant of broken markup (``extract_page`` never raises):

1. ``<meta name=… content=…>`` pairs and attachment links are read from the
   whole page; scripts, styles, iframes and form widgets are dropped.
2. The main content container is the first match of ``CONTAINER_SELECTORS``
   that holds real content. Failing that, the densest block: each
   div/td/article/section/main/body scores its text length minus twice its
   link text, the best wins, and while a child block still holds ≥ 85 % of
   the best score we descend into it. Navigation, breadcrumbs, headers and footers
   are removed before scoring (and inside a matched container).
3. The container is walked in document order: a table without nested tables
   is a data table and becomes a ``TableBlock``; a layout table (or a
   one-cell table) is walked like a div. Block elements, ``<br>`` and table
   rows end a ``Paragraph``; inline elements do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .grid import Block, PageContent, Paragraph, TableBlock
from .html_table import (
    SKIP_TAGS,
    flow_text,
    grid_from_table,
    node_lines,
    node_text,
    text_flow,
)

CONTAINER_SELECTORS = (
    ".TRS_Editor",
    ".trs_editor_view",
    "#zoom",
    "#ivs_content",
    ".article-content",
    ".wzzw-article",
    ".xxgk_content",
    "#content",
    ".content",
    "article",
)
_GENERIC_SELECTORS = frozenset({"#content", ".content", "article"})
MIN_CONTAINER_TEXT = 10  # non-space characters a selector match needs to count as content
DENSITY_TAGS = frozenset({"div", "td", "article", "section", "main", "body"})
DESCEND_SHARE = 0.85
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".ofd")
TITLE_HEADINGS = "h1, h2, .title, .article-title, #title, .bt"
TITLE_WORDS = ("报告", "解读")
MAX_TITLE_CHARS = 200

_KEPT_SKIP_TAGS = frozenset({"head", "title", "meta", "link"})  # never drop <head>: <title>
_JUNK_SELECTOR = ", ".join(sorted(SKIP_TAGS - _KEPT_SKIP_TAGS))
# lexbor matches each selector of a list in a walk of its own: few and plain selectors
# (any element with a span attribute, not ``td[rowspan]`` … four times) are quicker
# of the SKIP_TAGS elements left, only <title> holds text a cell could show: <meta> and
# <link> hold none, and the parser never puts a <head> inside the body
_TABLE_FACTS = "table table, caption, [rowspan], [colspan], title"
_NAVISH_TAGS = "nav, header, footer, aside"
_NAVISH_NAME = re.compile(  # a word of class="…" / id="…" that starts so
    r"(?<!\S)(?:nav|navbar|navigation|menu|mainmenu|breadcrumbs?|crumbs?|position|location|dqwz"
    r"|share|bshare|footer|foot|bottom|header|sidebar|copyright)(?:[-_\d]|(?!\S))",
    re.IGNORECASE,
)
_NAVISH_MAX_TEXT = 300  # a nav-looking element with more non-link text than this is kept
_NAVISH_MAX_ROWS = 2  # … and so is one holding a table row more than this
_MAX_CANDIDATES = 50  # matches looked at per container selector / for the title heading
_TITLE_SPLIT = re.compile(r"\s+[-－–]\s+|_|\||｜|—+")
_TITLE_KEEP = ("报告", "年报")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Case-insensitive searches, not ``html.lower()``: lower-casing 40 KB of CJK text is slow.
_HTML_END = re.compile("</html", re.IGNORECASE)
_HTML_END_TAIL = 1000
_TABLE_START = re.compile("<table", re.IGNORECASE)
_TABLE_END = re.compile("</table", re.IGNORECASE)


@dataclass(slots=True)
class _Link:
    url: str
    text: str
    node_id: int


@dataclass(slots=True)
class _Density:
    """Pre-order element list with per-element scores, for the density fallback."""

    nodes: list[LexborNode] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    text: list[int] = field(default_factory=list)
    links: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # <tr> elements inside
    children: list[list[int]] = field(default_factory=list)
    end: list[int] = field(default_factory=list)  # index just past the element's last descendant
    gone: list[bool] = field(default_factory=list)  # dropped with ``drop``

    def drop(self, i: int) -> None:
        """Forget element ``i`` and all below it: the scores become those of a page from
        which it was removed, without walking the page again."""
        if self.gone[i]:
            return  # already dropped with an ancestor
        for j in range(i, self.end[i]):
            self.gone[j] = True
        up = self.parent[i]
        self.children[up].remove(i)
        while up >= 0:
            self.text[up] -= self.text[i]
            self.links[up] -= self.links[i]
            self.rows[up] -= self.rows[i]
            up = self.parent[up]


def extract_page(html: str, url: str | None = None, *, utf8: bytes | None = None) -> PageContent:
    """Read the main content, title, meta, images and attachments of an HTML page.

    ``url`` is the page's address, used to make attachment links absolute; ``utf8``
    is ``html`` encoded as UTF-8 when the caller has it (lexbor reads bytes).
    Never raises: empty or garbage input gives a ``PageContent`` with no blocks.
    """
    if utf8 is None:
        html = _without_surrogates(html)
    tree = LexborHTMLParser(html if utf8 is None else utf8)
    meta = _meta(tree)
    links = _attachment_links(tree, url)
    for node in tree.css(_JUNK_SELECTOR):
        node.decompose()

    root = tree.body or tree.root
    if root is None:
        return PageContent(blocks=[], title=_title(tree, None, meta), meta=meta)

    container = _selected_container(root)
    if container is not None:
        _remove_navish(container)
    else:
        container = _densest_block(root, _remove_navish(root)) or root
    title = _title(tree, container, meta)

    blocks = _blocks(container)
    truncated = _ends_inside_table(html)
    if truncated:
        for block in reversed(blocks):
            if isinstance(block, TableBlock):
                block.grid.truncated = True
                break
    return PageContent(
        blocks=blocks,
        title=title,
        meta=meta,
        image_count=len(container.css("img")),
        attachments=_order_attachments(links, container),
        truncated=truncated,
    )


# -- page facts ---------------------------------------------------------------------------


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    """``<meta name>`` → content, from ``<head>`` (the whole page when it has none there)."""
    meta: dict[str, str] = {}
    head = tree.head
    nodes = head.css("meta[name]") if head is not None else []
    for node in nodes or tree.css("meta[name]"):
        attrs = node.attributes
        name = (attrs.get("name") or "").strip().lower()
        content = attrs.get("content")
        if name and content is not None:
            meta.setdefault(name, content.strip())
    return meta


def _title(
    tree: LexborHTMLParser, container: LexborNode | None, meta: dict[str, str]
) -> str | None:
    """meta ArticleTitle > a heading that names a 报告/解读 > the <title> minus site suffixes."""
    from_meta = flow_text(meta.get("articletitle", ""))
    if from_meta:
        return from_meta
    heading = _title_heading(tree, container)
    if heading:
        return heading
    node = tree.css_first("title")
    if node is None:
        return None
    parts = [p for p in (flow_text(part) for part in _TITLE_SPLIT.split(node.text())) if p]
    if not parts:
        return None
    for part in parts:
        if any(word in part for word in _TITLE_KEEP):
            return part
    return parts[0]


def _title_heading(tree: LexborHTMLParser, container: LexborNode | None) -> str | None:
    """A heading naming a report: inside the container first, then the nearest one above
    it, then any other, in document order."""
    matches: list[tuple[LexborNode, str]] = []
    for node in tree.css(TITLE_HEADINGS):
        rough = node.text()  # cheap filter before the careful line-joining walk
        if _text_len(rough) > MAX_TITLE_CHARS or not any(w in rough for w in TITLE_WORDS):
            continue
        text = node_text(node)
        if text and any(word in text for word in TITLE_WORDS):
            matches.append((node, text))
            if len(matches) >= _MAX_CANDIDATES:
                break
    if not matches:
        return None
    if container is None:
        return matches[0][1]
    before: str | None = None
    after: str | None = None
    chain = _ancestry(container)
    for node, text in matches:  # ``css`` gives them in document order
        place = _place(node, chain)
        if place == 0:
            return text
        if place < 0:
            before = text  # the last one above the container is the nearest
        elif after is None:
            after = text
    return before or after


def _ancestry(node: LexborNode) -> dict[int, LexborNode | None]:
    """``mem_id`` of ``node`` and of each of its ancestors → that ancestor's child on the
    way down to ``node`` (``None`` for ``node`` itself)."""
    chain: dict[int, LexborNode | None] = {}
    below: LexborNode | None = None
    current: LexborNode | None = node
    while current is not None:
        chain[current.mem_id] = below
        below, current = current, current.parent
    return chain


def _place(node: LexborNode, chain: dict[int, LexborNode | None]) -> int:
    """Where ``node`` is in document order against the element whose ``_ancestry`` is
    ``chain``: 0 inside it, -1 before it, 1 after it."""
    child: LexborNode | None = None  # the ancestor of ``node`` met just before their meeting
    current: LexborNode | None = node
    while current is not None and current.mem_id not in chain:
        child, current = current, current.parent
    if current is None:
        return 1
    toward = chain[current.mem_id]
    if toward is None:
        return 0  # the walk up reached the element itself
    if child is None:
        return -1  # ``node`` holds the element: it starts first
    sibling = child.next
    while sibling is not None:
        if sibling.mem_id == toward.mem_id:
            return -1
        sibling = sibling.next
    return 1


def _attachment_links(tree: LexborHTMLParser, url: str | None) -> list[_Link]:
    links: list[_Link] = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href:
            continue
        try:
            path = urlsplit(href).path
            absolute = urljoin(url, href) if url else href
        except ValueError:
            continue
        if not path.lower().endswith(ATTACHMENT_EXTENSIONS):
            continue
        text = node_text(node) or flow_text(node.attributes.get("title") or "")
        links.append(_Link(absolute, text, node.mem_id))
    return links


def _order_attachments(links: list[_Link], container: LexborNode) -> list[tuple[str, str]]:
    """Links inside the container first, then the rest of the page; one entry per URL."""
    inside = {node.mem_id for node in container.css("a[href]")}
    ordered = [link for link in links if link.node_id in inside]
    ordered += [link for link in links if link.node_id not in inside]
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for link in ordered:
        if link.url not in seen:
            seen.add(link.url)
            out.append((link.url, link.text))
    return out


def _ends_inside_table(html: str) -> bool:
    """The document stops before ``</html>`` while a ``<table>`` is still open."""
    # ``</html>`` is nearly always in the last few hundred characters: look there first.
    if _HTML_END.search(html, len(html) - _HTML_END_TAIL) or _HTML_END.search(html):
        return False
    return len(_TABLE_START.findall(html)) > len(_TABLE_END.findall(html))


# -- container ----------------------------------------------------------------------------


def _selected_container(root: LexborNode) -> LexborNode | None:
    for selector in CONTAINER_SELECTORS:
        for node in root.css(selector)[:_MAX_CANDIDATES]:
            if _has_text(node, MIN_CONTAINER_TEXT):
                return node
            if selector not in _GENERIC_SELECTORS and node.css_first("img, a[href]") is not None:
                return node
    return None


def _text_len(text: str) -> int:
    """Characters other than whitespace (``str.split`` and regex ``\\s`` agree on which)."""
    return sum(map(len, text.split()))


def _has_text(node: LexborNode, minimum: int) -> bool:
    """Whether the text below ``node`` has ``minimum`` characters other than white space,
    reading its text nodes only until it has (a container's text starts near its top)."""
    count = 0
    for child in node.traverse(include_text=True):
        if child.is_text_node:
            count += _text_len(child.text_content or "")
            if count >= minimum:
                return True
    return False


def _without_surrogates(html: str) -> str:
    """Lone surrogates (from ``surrogateescape`` decoding) as U+FFFD: lexbor needs UTF-8."""
    try:
        html.encode("utf-8")  # a C-speed test; a regex scan of the page is five times slower
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", html)
    return html


def _remove_navish(root: LexborNode) -> _Density | None:
    """Drop navigation, breadcrumbs, headers and footers below ``root`` (never ``root``
    itself, never an element holding much text or a real table).

    Gives the density scores of what is left below ``root``, or ``None`` when there was
    nothing to look at (and no scores were counted).
    """
    candidates = [node for node in root.css(_NAVISH_TAGS)]
    for node in root.css("[class], [id]"):
        attrs = node.attributes
        if _navish_name(attrs.get("class"), attrs.get("id")):
            candidates.append(node)
    if not candidates:
        return None
    d = _density(root)
    index = {node.mem_id: i for i, node in enumerate(d.nodes)}
    removed: list[int] = []
    for node in candidates:
        i = index.get(node.mem_id)
        if i is None or i == 0 or node.tag in ("html", "body", "head"):
            continue  # i == 0 is root itself
        if node.parent is None:  # already removed with an ancestor
            continue
        if d.text[i] - d.links[i] > _NAVISH_MAX_TEXT or d.rows[i] > _NAVISH_MAX_ROWS:
            continue
        node.decompose()
        removed.append(i)
    for i in removed:  # after the loop: each candidate is judged on the page as it came
        d.drop(i)
    return d


@lru_cache(maxsize=4096)
def _navish_name(class_: str | None, id_: str | None) -> bool:
    """Whether a class or id names navigation, a header or a footer (they repeat on a site)."""
    return _NAVISH_NAME.search(f"{class_ or ''} {id_ or ''}") is not None


def _densest_block(root: LexborNode, d: _Density | None = None) -> LexborNode | None:
    """The block with the best text-minus-links score, refined by descending into a child
    block that keeps ``DESCEND_SHARE`` of that score. ``d``: the scores of ``root`` when
    the caller has them."""
    if d is None:
        d = _density(root)
    if not d.nodes:
        return None
    score = [t - 2 * link for t, link in zip(d.text, d.links, strict=True)]
    best = -1
    for i, node in enumerate(d.nodes):
        if d.gone[i]:
            continue
        if node.tag in DENSITY_TAGS and (best < 0 or score[i] > score[best]):
            best = i
    if best < 0 or score[best] <= 0:
        return None
    # The threshold is a share of the best block's score, not of the current one, so that
    # a chain of wrappers each losing a little cannot add up to losing much of the text.
    threshold = DESCEND_SHARE * score[best]
    current = best
    while True:
        nxt = -1
        pending = list(d.children[current])
        while pending:  # non-block children (table, tbody, tr, font …) are looked through
            child = pending.pop()
            if score[child] < threshold:
                continue
            if d.nodes[child].tag in DENSITY_TAGS:
                if nxt < 0 or score[child] > score[nxt]:
                    nxt = child
            else:
                pending.extend(d.children[child])
        if nxt < 0:
            return d.nodes[current]
        current = nxt


def _density(root: LexborNode) -> _Density:
    d = _Density()
    in_link: list[bool] = []

    def add(node: LexborNode, tag: str | None, parent: int) -> int:
        index = len(d.nodes)
        d.nodes.append(node)
        d.parent.append(parent)
        d.text.append(0)
        d.links.append(0)
        d.rows.append(1 if tag == "tr" else 0)
        d.children.append([])
        d.end.append(index + 1)  # moved past the descendants when the walk leaves it
        d.gone.append(False)
        in_link.append(tag == "a" or (parent >= 0 and in_link[parent]))
        if parent >= 0:
            d.children[parent].append(index)
        return index

    # Pre-order, iterative: children are followed by ``next``; entering an element
    # remembers the sibling to resume at and the element that sibling belongs to.
    parent = add(root, root.tag, -1)
    resume: list[tuple[LexborNode | None, int]] = []
    child = root.first_child
    while True:
        if child is None:  # the walk leaves ``parent``
            d.end[parent] = len(d.nodes)
            if not resume:
                break
            child, parent = resume.pop()
            continue
        if child.is_text_node:
            length = _text_len(child.text_content or "")
            d.text[parent] += length
            if in_link[parent]:
                d.links[parent] += length
        elif child.is_element_node and (tag := child.tag) not in SKIP_TAGS:
            resume.append((child.next, parent))
            parent = add(child, tag, parent)
            child = child.first_child
            continue
        child = child.next
    for index in range(len(d.nodes) - 1, 0, -1):
        parent = d.parent[index]
        d.text[parent] += d.text[index]
        d.links[parent] += d.links[index]
        d.rows[parent] += d.rows[index]
    return d


# -- blocks -------------------------------------------------------------------------------


def _blocks(container: LexborNode) -> list[Block]:
    """The container's paragraphs and tables, once ``_JUNK_SELECTOR`` elements are gone."""
    tables = _TableFacts.of(container)
    blocks: list[Block] = []
    for item in text_flow(container, tables.blocks):
        if isinstance(item, str):
            blocks.append(Paragraph(item))
        else:
            blocks.extend(item)
    return blocks


@dataclass(slots=True)
class _TableFacts:
    """What the container's tables hold, found in one query for them all rather than
    several for each: tables holding a table, captions, merged cells, leftover
    ``SKIP_TAGS`` elements that hold text (of these, only <title> can be left)."""

    holders: set[int]  # mem_id of each table that holds a table
    captions: bool
    merged: set[int]  # mem_id of each cell with a rowspan or colspan
    skip_free: bool | None  # True: no table holds a SKIP_TAGS text; None: not known

    @classmethod
    def of(cls, container: LexborNode) -> _TableFacts:
        holders: set[int] = set()
        merged: set[int] = set()
        captions = False
        skip_free: bool | None = True
        for node in container.css(_TABLE_FACTS):
            tag = node.tag
            if tag == "table":
                up = node.parent
                while up is not None and up.mem_id != container.mem_id:
                    if up.tag == "table":
                        holders.add(up.mem_id)
                    up = up.parent
            elif tag == "caption":
                captions = True
            elif tag in ("td", "th"):
                merged.add(node.mem_id)
            elif tag == "title":
                skip_free = None
        return cls(holders, captions, merged, skip_free)

    def blocks(self, table: LexborNode) -> list[Block] | None:
        """A data table (no nested tables, more than one cell) as its caption lines and
        grid; ``None`` for a layout table or a one-cell frame, walked like a div."""
        if table.mem_id in self.holders:
            return None
        grid = grid_from_table(table, skip_free=self.skip_free, merged=self.merged)
        if not grid.rows or (grid.width, len(grid.rows)) == (1, 1):
            return None
        caption = table.css_first("caption") if self.captions else None
        lines = node_lines(caption) if caption is not None else []
        return [*(Paragraph(line) for line in lines), TableBlock(grid)]
