"""HTML page → PageContent (main content blocks, title, meta). (STUB: helper fills in)"""

from __future__ import annotations

from .grid import PageContent, Paragraph


def extract_page(html: str, url: str | None = None) -> PageContent:
    return PageContent(blocks=[Paragraph(html)])
