"""bytes → str for web pages, and a test for bytes that are not a page at all.

``decode_bytes`` decides the encoding in this order; the first step that
applies wins:

1. **BOM.** A UTF-8, UTF-16-LE or UTF-16-BE byte order mark decides; method
   ``"bom"``. The BOM is not part of the returned text.
2. **Declarations** are collected, not yet trusted: the HTTP charset (the
   ``http_charset`` argument) and then the first ``<meta charset=…>`` or
   ``<meta http-equiv="Content-Type" content="…; charset=…">`` in the first
   ``META_SCAN_BYTES`` bytes. Labels are normalised: gb2312, gbk, x-gbk,
   gb_2312-80, cp936 … → ``gb18030`` (pages that say gb2312 routinely contain
   GBK-only characters); utf8 → ``utf-8``. An unknown label is ignored with an
   ``unknown_charset`` warning.
3. **UTF-8 by validity.** Bytes that are strictly valid UTF-8 and contain
   non-ASCII are UTF-8 whatever was declared (GBK text is practically never
   valid UTF-8). Method ``"http"``/``"meta"`` when that declaration said UTF-8,
   else ``"detected"``; each declaration that said otherwise adds an
   ``encoding_mismatch`` warning.
4. **Declared encodings**, HTTP first, then meta: the first one that decodes
   strictly *and* gives plausible Chinese text (see ``is_plausible``) wins;
   method ``"http"``/``"meta"``. A rejected declaration adds an
   ``encoding_mismatch`` warning naming every declaration. Pure-ASCII bytes
   take the first ASCII-compatible declaration.
5. **Detection**: gb18030, then big5, each strict and plausible; method
   ``"detected"``. Pure ASCII without a usable declaration is ``utf-8``
   ``"detected"``.
6. **Fallback**: gb18030 with undecodable bytes replaced by U+FFFD; method
   ``"fallback"`` and an ``encoding_fallback`` warning with the byte count.

``decode_bytes`` never raises.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

META_SCAN_BYTES = 4096  # how far into the document a <meta> charset is looked for
PLAUSIBLE_SHARE = 0.7  # share of non-ASCII characters that must look like Chinese text

_GB_LABELS = frozenset(
    {
        "gb2312",
        "gb_2312",
        "gb-2312",
        "gb_2312-80",
        "gb2312-80",
        "csgb2312",
        "gbk",
        "x-gbk",
        "cp936",
        "ms936",
        "windows-936",
        "euc-cn",
        "x-euc-cn",
        "chinese",
        "iso-ir-58",
        "gb18030",
        "gb-18030",
    }
)
_UTF8_LABELS = frozenset({"utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"})
_BIG5_LABELS = frozenset({"big5", "big-5", "x-x-big5", "cn-big5", "csbig5"})

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([^\"';,\s]+)", re.I)

_BINARY_MAGIC = (
    b"%PDF-",  # PDF
    b"PK\x03\x04",  # ZIP, hence .docx/.xlsx/.ofd
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE compound file: .doc/.xls/.wps
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in _TEXT_CONTROLS)  # binary's tell
_BINARY_SAMPLE = 4096
_BINARY_CONTROL_SHARE = 0.1
_SURROGATE_RUN = re.compile("[\udc80-\udcff]+")


@dataclass(slots=True)
class Decoded:
    """The decoded text of a page and how the encoding was chosen."""

    text: str
    encoding: str  # the Python codec actually used, e.g. "gb18030", "utf-8"
    method: str  # "bom", "http", "meta", "detected", "fallback"
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


@dataclass(frozen=True, slots=True)
class _Declaration:
    label: str  # as written, lower-cased
    encoding: str  # normalised Python codec name
    source: str  # "http" or "meta"


def charset_from_content_type(value: str | None) -> str | None:
    """The charset label of a Content-Type header, lower-cased.

    ``"text/html; charset=GBK"`` → ``"gbk"``; None when there is none.
    """
    if not value:
        return None
    match = _CT_CHARSET.search(value)
    return match.group(1).lower() if match else None


def normalize_charset(label: str) -> str | None:
    """The Python codec for a charset label, with the aliases pages need; None if unknown.

    gb2312/gbk and friends → ``"gb18030"``, utf8 → ``"utf-8"``, big5 → ``"big5"``;
    other labels go through ``codecs.lookup`` and must name a text encoding.
    """
    key = label.strip().strip("\"'").strip().lower()
    if not key:
        return None
    if key in _GB_LABELS:
        return "gb18030"
    if key in _UTF8_LABELS:
        return "utf-8"
    if key in _BIG5_LABELS:
        return "big5"
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13, zlib …
        return None
    return info.name


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not a text page: known file magic, NUL bytes, mostly controls.

    Recognises PDF, ZIP (docx/xlsx/ofd), OLE (doc/xls/wps), PNG, JPEG and GIF.
    UTF-16 text with a BOM is text, although it contains NUL bytes.
    """
    head = data.lstrip(b" \t\r\n")
    if head.startswith(_BINARY_MAGIC):
        return True
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:_BINARY_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > _BINARY_CONTROL_SHARE * len(sample)


def is_plausible(text: str) -> bool:
    """Whether decoded text looks like Chinese: ≥70% of its non-ASCII characters are
    CJK ideographs, CJK punctuation (U+3000–303F), full-width forms (U+FF00–FFEF) or
    general punctuation (U+2000–206F). Text without non-ASCII is plausible."""
    total = 0
    good = 0
    for ch in text:
        cp = ord(ch)
        if cp < 0x80:
            continue
        total += 1
        if (
            0x4E00 <= cp <= 0x9FFF
            or 0x3400 <= cp <= 0x4DBF
            or 0x20000 <= cp <= 0x2FFFF
            or 0xF900 <= cp <= 0xFAFF
            or 0x3000 <= cp <= 0x303F
            or 0xFF00 <= cp <= 0xFFEF
            or 0x2000 <= cp <= 0x206F
        ):
            good += 1
    return total == 0 or good >= PLAUSIBLE_SHARE * total


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode a fetched page; the precedence is in the module docstring. Never raises."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return Decoded(_strip_bom(text), encoding, "bom")

    warnings: list[tuple[str, str]] = []
    declarations = _declarations(data, http_charset, warnings)

    if not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _as_utf8(text, declarations, warnings)
    else:
        for decl in declarations:
            if _ascii_compatible(decl.encoding):
                text = data.decode(decl.encoding, errors="replace")
                return Decoded(_strip_bom(text), decl.encoding, decl.source, warnings)
        return Decoded(data.decode("ascii"), "utf-8", "detected", warnings)

    rejected: list[_Declaration] = []
    for decl in declarations:
        text_or_none = _strict_plausible(data, decl.encoding)
        if text_or_none is not None:
            warnings.extend(_mismatch(rejected, declarations, decl.encoding))
            return Decoded(_strip_bom(text_or_none), decl.encoding, decl.source, warnings)
        rejected.append(decl)

    for encoding in ("gb18030", "big5"):
        text_or_none = _strict_plausible(data, encoding)
        if text_or_none is not None:
            warnings.extend(_mismatch(rejected, declarations, encoding))
            return Decoded(_strip_bom(text_or_none), encoding, "detected", warnings)

    warnings.extend(_mismatch(rejected, declarations, "gb18030"))
    escaped = data.decode("gb18030", errors="surrogateescape")
    bad = sum(len(run) for run in _SURROGATE_RUN.findall(escaped))
    text = _SURROGATE_RUN.sub("\ufffd", escaped)
    warnings.append(
        (
            "encoding_fallback",
            f"no encoding fits the bytes; decoded as gb18030 and {bad} bytes could not be"
            " decoded (replaced by U+FFFD)",
        )
    )
    return Decoded(_strip_bom(text), "gb18030", "fallback", warnings)


def _declarations(
    data: bytes, http_charset: str | None, warnings: list[tuple[str, str]]
) -> list[_Declaration]:
    found: list[tuple[str, str]] = []
    if http_charset and http_charset.strip():
        found.append((http_charset.strip().lower(), "http"))
    match = _META_CHARSET.search(data[:META_SCAN_BYTES])
    if match:
        found.append((match.group(1).decode("ascii", errors="replace").lower(), "meta"))
    out: list[_Declaration] = []
    for label, source in found:
        encoding = normalize_charset(label)
        if encoding is None:
            warnings.append(("unknown_charset", f"ignored unknown charset {label!r} ({source})"))
            continue
        if source == "meta" and encoding.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
            # A <meta> readable as ASCII cannot be in UTF-16; browsers read it as UTF-8.
            encoding = "utf-8"
        out.append(_Declaration(label, encoding, source))
    return out


def _as_utf8(
    text: str, declarations: list[_Declaration], warnings: list[tuple[str, str]]
) -> Decoded:
    method = "detected"
    for decl in declarations:
        if decl.encoding == "utf-8":
            if method == "detected":
                method = decl.source
        else:
            warnings.append(
                (
                    "encoding_mismatch",
                    f"declared {decl.label} ({decl.source}) but the bytes are UTF-8",
                )
            )
    return Decoded(_strip_bom(text), "utf-8", method, warnings)


def _mismatch(
    rejected: list[_Declaration], declarations: list[_Declaration], used: str
) -> list[tuple[str, str]]:
    if not rejected:
        return []
    said = " and ".join(f"{d.label} ({d.source})" for d in declarations)
    wrong = " or ".join(f"{d.label} ({d.source})" for d in rejected)
    return [
        (
            "encoding_mismatch",
            f"declared {said}, but the bytes do not fit {wrong}; decoded as {used}",
        )
    ]


def _strict_plausible(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if is_plausible(text) else None


def _ascii_compatible(encoding: str) -> bool:
    probe = b"<meta charset=x> abc"
    try:
        return probe.decode(encoding) == probe.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
