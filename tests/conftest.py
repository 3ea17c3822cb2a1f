"""Shared test fixtures: where the parser fixtures and the seed report live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
PAGES = FIXTURES / "pages"
EXPECTED = FIXTURES / "expected"
SEED_NAME = "000_5f8ff69f44e0fe1c.txt"


def find_seed() -> Path | None:
    """The seed report: ``$REPORT_HARVESTER_SHARED/seeds`` first, then ``<repo>/../shared/seeds``.

    The repository sits at /work/main with shared/ beside it; CI clones it
    elsewhere and puts shared/ beside the clone or names it in the variable.
    """
    roots = []
    if env := os.environ.get("REPORT_HARVESTER_SHARED"):
        roots.append(Path(env))
    roots.append(REPO.parent / "shared")
    for root in roots:
        candidate = root / "seeds" / SEED_NAME
        if candidate.is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = find_seed()
    if path is None:
        pytest.skip(
            f"seed {SEED_NAME} not found (set REPORT_HARVESTER_SHARED to the shared/ folder)"
        )
    return path


@pytest.fixture(scope="session")
def corpus() -> list[tuple[str, bytes]]:
    """Every fixture page and, when present, the seed and the real text renderings
    (../shared/real): (name, bytes) to mutate."""
    pages = [(p.name, p.read_bytes()) for p in sorted(PAGES.iterdir()) if p.is_file()]
    seed = find_seed()
    if seed is not None:
        pages.append((seed.name, seed.read_bytes()))
        real = seed.parent.parent / "real"
        pages += [
            (p.name, p.read_bytes())
            for p in sorted(real.glob("*"))
            if p.suffix in (".txt", ".md") and p.name != "README.md"
        ]
    return pages
