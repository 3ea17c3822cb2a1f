"""Tell blocked responses, JavaScript challenges and soft 404s from real pages.

Looked at on raw bytes (markers are ASCII or searched in both UTF-8 and GBK),
so a page need not be decoded first. A challenge is recorded, never answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Verdict = Literal["ok", "blocked", "soft_404"]

# cookies / scripts set by anti-bot services (Jiasule, Aliyun WAF, …): conclusive anywhere
# in a small page or in Set-Cookie
_CHALLENGE_TOKENS = (b"__jsl_clearance", b"acw_sc__v2")
# phrases asking the reader to run scripts; conclusive only in a small page (a real page
# may carry a <noscript> notice)
_JS_PHRASES = ("enable javascript", "请开启javascript", "请启用javascript", "开启浏览器javascript")
_NOT_FOUND_PHRASES = (
    "页面不存在",
    "您访问的页面不存在",
    "您所访问的页面不存在",
    "找不到该页面",
    "页面未找到",
    "该页面已删除",
    "信息已删除",
    "404 not found",
    "error 404",
    "页面找不到",
    ">404<",
)
SMALL_PAGE = 16 * 1024  # a challenge or an error page is rarely larger
TINY_PAGE = 8 * 1024  # soft 404 pages: an error message and some chrome


def _lowered_texts(body: bytes) -> list[str]:
    head = body[: 256 * 1024]
    texts = [head.decode("utf-8", errors="ignore").lower()]
    gbk = head.decode("gb18030", errors="ignore").lower()
    if gbk != texts[0]:
        texts.append(gbk)
    return texts


def _has_any(texts: list[str], phrases: tuple[str, ...]) -> bool:
    return any(p in t for t in texts for p in phrases)


def is_challenge(body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether ``body`` (with its lower-cased ``headers``) is an anti-bot challenge page."""
    cookie = headers.get("set-cookie", "").lower()
    if any(tok.decode() in cookie for tok in _CHALLENGE_TOKENS):
        return True
    if len(body) > SMALL_PAGE:
        return False
    if any(tok in body for tok in _CHALLENGE_TOKENS):
        return True
    texts = _lowered_texts(body)
    if _has_any(texts, _JS_PHRASES):
        return True
    # a page that only sets a cookie and reloads itself
    squeezed = [t.replace(" ", "") for t in texts]
    return any("document.cookie=" in t and ("location" in t or "reload" in t) for t in squeezed)


def classify(status: int, headers: Mapping[str, str], body: bytes) -> Verdict:
    """The verdict on a final (non-redirect) response.

    412 and 202-with-a-script are ``blocked``; 200 challenge pages too; a tiny 200
    page saying 页面不存在 / 404 is a ``soft_404``; everything else is ``ok``.
    """
    if status == 412:
        return "blocked"
    if status == 202 and (b"<script" in body.lower() or is_challenge(body, headers)):
        return "blocked"
    if 200 <= status < 300 and is_challenge(body, headers):
        return "blocked"
    if status == 200 and len(body) <= TINY_PAGE and _has_any(
        _lowered_texts(body), _NOT_FOUND_PHRASES
    ):
        return "soft_404"
    return "ok"
