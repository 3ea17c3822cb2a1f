"""The public surface is explicit: ``__all__`` is sorted and complete."""

from __future__ import annotations

import report_harvester


def _isort_key(name: str) -> tuple[int, str]:
    """Constants first, then classes, then the rest (ruff's RUF022 order)."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_exported() -> None:
    names = report_harvester.__all__
    assert names == sorted(names, key=_isort_key)
    for name in names:
        assert hasattr(report_harvester, name), name


def test_public_parse_api_is_the_pipeline() -> None:
    from report_harvester.parse import pipeline

    assert report_harvester.parse_file is pipeline.parse_file
    assert report_harvester.parse_html is pipeline.parse_html
    assert report_harvester.parse_text is pipeline.parse_text
    assert report_harvester.parse_bytes is pipeline.parse_bytes
