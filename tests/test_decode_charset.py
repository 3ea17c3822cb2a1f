"""decode_bytes precedence (BOM > declarations > UTF-8 validity > declared > detect > fallback)."""

from __future__ import annotations

import codecs

import pytest

from report_harvester.decode.charset import (
    META_SCAN_BYTES,
    Decoded,
    charset_from_content_type,
    decode_bytes,
    is_plausible,
    looks_binary,
    normalize_charset,
)

# 镕 and 堃 are GBK characters outside GB2312: a strict gb2312 codec fails on them.
BODY = "朱镕基、王堃：2020年政府信息公开工作年度报告（一）总体情况。"
META_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def page(meta: str = "", body: str = BODY) -> str:
    return f"<html><head>{meta}<title>年报</title></head><body><p>{body}</p></body></html>"


# -- step 1: BOM ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_bom_wins_over_declarations(bom: bytes, codec: str, encoding: str) -> None:
    """A BOM decides even when both the header and <meta> say gbk; the BOM is dropped."""
    text = page('<meta charset="gbk">')
    decoded = decode_bytes(bom + text.encode(codec), http_charset="gbk")
    assert decoded == Decoded(text, encoding, "bom", [])


# -- step 2/4: declarations -----------------------------------------------------------------


def test_gbk_bytes_declaring_gb2312_in_meta_decode_as_gb18030() -> None:
    data = page(META_GB2312).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    assert decode_bytes(data) == Decoded(page(META_GB2312), "gb18030", "meta", [])


def test_http_charset_is_used_before_meta() -> None:
    data = page(META_GB2312).encode("gbk")
    assert decode_bytes(data, http_charset="GBK") == Decoded(
        page(META_GB2312), "gb18030", "http", []
    )


def test_meta_charset_attribute_form() -> None:
    text = page("<META CHARSET='x-gbk'>")
    assert decode_bytes(text.encode("gbk")) == Decoded(text, "gb18030", "meta", [])


def test_latin1_header_on_gbk_bytes_falls_to_meta_with_mismatch_warning() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    data = page(meta).encode("gbk")
    assert decode_bytes(data, http_charset="iso-8859-1") == Decoded(
        page(meta),
        "gb18030",
        "meta",
        [
            (
                "encoding_mismatch",
                "declared iso-8859-1 (http) and gbk (meta), but the bytes do not fit"
                " iso-8859-1 (http); decoded as gb18030",
            )
        ],
    )


def test_wrong_single_declaration_is_rejected_and_detection_takes_over() -> None:
    data = page('<meta charset="windows-1252">').encode("gbk")
    decoded = decode_bytes(data)
    assert (decoded.encoding, decoded.method) == ("gb18030", "detected")
    assert decoded.warnings == [
        (
            "encoding_mismatch",
            "declared windows-1252 (meta), but the bytes do not fit windows-1252 (meta);"
            " decoded as gb18030",
        )
    ]


def test_unknown_label_is_ignored_with_a_warning() -> None:
    data = page('<meta charset="klingon-8">').encode("gbk")
    assert decode_bytes(data) == Decoded(
        page('<meta charset="klingon-8">'),
        "gb18030",
        "detected",
        [("unknown_charset", "ignored unknown charset 'klingon-8' (meta)")],
    )


def test_meta_after_the_scan_window_is_not_read() -> None:
    text = "<!--" + "x" * META_SCAN_BYTES + '--><meta charset="utf-8">' + BODY
    decoded = decode_bytes(text.encode("gbk"))
    assert (decoded.encoding, decoded.method, decoded.warnings) == ("gb18030", "detected", [])


# -- step 3: UTF-8 by validity --------------------------------------------------------------


def test_utf8_without_declaration_is_detected() -> None:
    assert decode_bytes(page().encode("utf-8")) == Decoded(page(), "utf-8", "detected", [])


@pytest.mark.parametrize(
    ("http", "meta", "method"),
    [("utf-8", "", "http"), (None, '<meta charset="UTF8">', "meta")],
)
def test_utf8_declared_and_valid(http: str | None, meta: str, method: str) -> None:
    assert decode_bytes(page(meta).encode("utf-8"), http) == Decoded(
        page(meta), "utf-8", method, []
    )


def test_utf8_bytes_declaring_gb2312_are_utf8_with_warning() -> None:
    decoded = decode_bytes(page(META_GB2312).encode("utf-8"))
    assert decoded == Decoded(
        page(META_GB2312),
        "utf-8",
        "detected",
        [("encoding_mismatch", "declared gb2312 (meta) but the bytes are UTF-8")],
    )


def test_utf8_bytes_with_gbk_header_and_utf8_meta() -> None:
    text = page('<meta charset="utf-8">')
    decoded = decode_bytes(text.encode("utf-8"), http_charset="gbk")
    assert decoded == Decoded(
        text,
        "utf-8",
        "meta",
        [("encoding_mismatch", "declared gbk (http) but the bytes are UTF-8")],
    )


# -- ASCII ----------------------------------------------------------------------------------


def test_pure_ascii_without_declaration_is_utf8_detected() -> None:
    assert decode_bytes(b"<p>hello</p>") == Decoded("<p>hello</p>", "utf-8", "detected", [])


def test_pure_ascii_takes_the_declaration() -> None:
    data = b'<meta charset="gb2312"><p>2020</p>'
    assert decode_bytes(data) == Decoded(data.decode(), "gb18030", "meta", [])


def test_pure_ascii_ignores_an_ascii_incompatible_header() -> None:
    assert decode_bytes(b"<p>1</p>", http_charset="utf-16") == Decoded(
        "<p>1</p>", "utf-8", "detected", []
    )


# -- step 5: detection ----------------------------------------------------------------------


def test_gbk_without_declaration_is_detected() -> None:
    assert decode_bytes(page().encode("gbk")) == Decoded(page(), "gb18030", "detected", [])


def test_big5_is_detected_when_gb18030_is_implausible() -> None:
    text = "人口十二人，大小上下一千"  # Big5 A4xx: private-use characters when read as GBK
    data = text.encode("big5")
    assert not is_plausible(data.decode("gb18030"))
    assert decode_bytes(data) == Decoded(text, "big5", "detected", [])


def test_leading_bom_character_from_detection_is_dropped() -> None:
    data = "\ufeff".encode("gb18030") + page().encode("gbk")
    assert decode_bytes(data) == Decoded(page(), "gb18030", "detected", [])


# -- step 6: fallback -----------------------------------------------------------------------


def test_undecodable_junk_falls_back_with_count() -> None:
    data = b"\x80\xff\xff<p>" + "年报".encode("gbk") + b"\xff"
    assert decode_bytes(data) == Decoded(
        "\ufffd<p>年报\ufffd",
        "gb18030",
        "fallback",
        [
            (
                "encoding_fallback",
                "no encoding fits the bytes; decoded as gb18030 and 4 bytes could not be"
                " decoded (replaced by U+FFFD)",
            )
        ],
    )


# -- helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("gb_2312-80", "gb18030"),
        ("cp936", "gb18030"),
        (" 'GB18030' ", "gb18030"),
        ("utf8", "utf-8"),
        ("UTF-8", "utf-8"),
        ("big5", "big5"),
        ("iso-8859-1", "iso8859-1"),
        ("windows-1252", "cp1252"),
        ("base64", None),
        ("no-such-charset", None),
        ("", None),
    ],
)
def test_normalize_charset(label: str, expected: str | None) -> None:
    assert normalize_charset(label) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/html; charset=GBK", "gbk"),
        ('text/html; charset="utf-8"', "utf-8"),
        ("text/html;charset=gb2312;q=1", "gb2312"),
        ("text/html", None),
        ("", None),
        (None, None),
    ],
)
def test_charset_from_content_type(value: str | None, expected: str | None) -> None:
    assert charset_from_content_type(value) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", True),
        (b"PK\x03\x04\x14\x00\x06\x00", True),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", True),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", True),
        (b"GIF89a\x01\x00", True),
        (b"<html>\x00<body>", True),
        (bytes(range(1, 32)) * 10, True),
        (page().encode("gbk"), False),
        (page().encode("utf-8"), False),
        (codecs.BOM_UTF16_LE + page().encode("utf-16-le"), False),
        (b"", False),
    ],
)
def test_looks_binary(data: bytes, expected: bool) -> None:
    assert looks_binary(data) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年报（一）“总体”", True),
        ("plain ascii", True),
        ("Ä½ºÃ", False),
        ("年报ÄÄ", False),  # 2 of 4 non-ASCII characters are Chinese: below 70 %
    ],
)
def test_is_plausible(text: str, expected: bool) -> None:
    assert is_plausible(text) is expected
