"""The sources file: validation, defaults, precedence, and errors that name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_harvester.errors import SourcesError
from report_harvester.fetch.sources import HarvestSettings, load_sources, parse_sources

REPO = Path(__file__).resolve().parents[1]

GOOD = """\
[harvest]
delay = 0.5
per_host = 2

[[source]]
id = "yanfeng"
name = "雁峰区人民政府"
start_urls = ["https://WWW.Example.gov.cn:443/xxgk/zfxxgknb/index.html#top"]
include = "年度报告|年报"

[[source]]
id = "b"
start_urls = ["http://b.example.gov.cn:8080/col/col1/index.html"]
allowed_hosts = ["b.example.gov.cn:8080", "*.example.gov.cn"]
"""


def error_of(text: str) -> str:
    with pytest.raises(SourcesError) as info:
        parse_sources(text)
    return str(info.value)


def test_the_documented_example_loads() -> None:
    config = load_sources(REPO / "sources.toml")
    assert [s.id for s in config.source] == ["yanfeng"]
    assert config.harvest.user_agent.startswith("report-harvester/0.1")
    assert config.source[0].allowed_hosts == ["www.example.gov.cn"]
    assert config.harvest.max_bytes == 10_000_000


def test_values_defaults_and_canonical_start_urls() -> None:
    config = parse_sources(GOOD)
    assert config.harvest.delay == 0.5
    assert config.harvest.per_host == 2
    assert config.harvest.retries == 4  # default
    a, b = config.source
    assert a.start_urls == ["https://www.example.gov.cn/xxgk/zfxxgknb/index.html"]
    assert a.allowed_hosts == ["www.example.gov.cn"]  # default: hosts of start_urls
    assert a.max_list_pages == 50
    assert b.allowed_hosts == ["b.example.gov.cn:8080", "*.example.gov.cn"]


def test_cli_flags_override_file_settings() -> None:
    config = parse_sources(GOOD)
    merged = config.harvest.merged({"delay": 2.0, "per_host": None, "retries": 0})
    assert (merged.delay, merged.per_host, merged.retries) == (2.0, 2, 0)
    assert HarvestSettings().delay == 1.0


def test_select_sources_by_id() -> None:
    config = parse_sources(GOOD)
    assert [s.id for s in config.select(["b"])] == ["b"]
    assert [s.id for s in config.select([])] == ["yanfeng", "b"]
    with pytest.raises(SourcesError, match=r"unknown source 'zz' \(known: yanfeng, b\)"):
        config.select(["zz"])


def test_bad_start_url_names_its_line() -> None:
    text = GOOD.replace('"http://b.example.gov.cn:8080/col/col1/index.html"', '"ftp://b/x"')
    assert error_of(text) == (
        "sources.toml:13: source 'b': start_urls: 'ftp://b/x' is not an http(s) URL"
    )


def test_unknown_key_names_its_line() -> None:
    text = GOOD.replace('include = "年度报告|年报"', 'inclde = "年报"')
    assert error_of(text) == "sources.toml:9: source 'yanfeng': inclde: unknown setting"


def test_bad_setting_names_the_harvest_table_line() -> None:
    text = GOOD.replace("per_host = 2", "per_host = 0")
    assert error_of(text) == (
        "sources.toml:3: [harvest]: per_host: Input should be greater than or equal to 1"
    )


def test_missing_required_key_names_the_table_header() -> None:
    text = GOOD + '\n[[source]]\nid = "c"\n'
    assert error_of(text) == "sources.toml:16: source 'c': start_urls: Field required"


def test_bad_regex_and_duplicate_ids() -> None:
    assert error_of(GOOD.replace('"年度报告|年报"', '"(年报"')).startswith(
        "sources.toml:9: source 'yanfeng': include: invalid regular expression"
    )
    dup = GOOD.replace('id = "b"', 'id = "yanfeng"')
    assert "duplicate source id 'yanfeng'" in error_of(dup)


def test_start_url_off_the_allowed_hosts() -> None:
    text = GOOD.replace('"b.example.gov.cn:8080", "*.example.gov.cn"', '"c.example.org"')
    assert error_of(text) == (
        "sources.toml:11: source 'b': start URL http://b.example.gov.cn:8080/col/col1/index.html"
        " is not on allowed_hosts"
    )


def test_invalid_toml_names_its_line() -> None:
    assert error_of('[[source]]\nid = "a"\nstart_urls = ["http://a/",\n\nname = 1\n').startswith(
        "sources.toml:5: invalid TOML:"
    )


def test_no_sources_and_missing_file(tmp_path: Path) -> None:
    assert error_of("[harvest]\ndelay = 1\n") == (
        "sources.toml:1: no [[source]] tables: nothing to harvest"
    )
    with pytest.raises(SourcesError, match="no such sources file"):
        load_sources(tmp_path / "none.toml")
    bad = tmp_path / "s.toml"
    bad.write_text('[[source]]\nid = "bad id"\nstart_urls = ["http://a/"]\n', encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load_sources(bad)
    assert str(info.value).startswith(f"{bad}:2: source 'bad id': id: must be letters")
