"""Shared fixtures: the seed, small articles, and one full build of the book."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from build_tools.pipeline.build import run_build
from build_tools.pipeline.config import ROOT, BuildConfig, Report

#: ``make test`` (and so CI) draws the same examples on every run: a property test
#: fails there only when the code changed. ``make fuzz`` draws new ones each time.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("fuzz", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

SEED = ROOT / "seeds" / "korean-war.md"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    """The seed built once in all three formats (the PDFs by Typst), into a temporary folder."""
    out = tmp_path_factory.mktemp("book")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
        report = run_build(BuildConfig(seed=SEED, out=out))
    return out, report


def write_article(folder: Path, text: str, name: str = "article.md") -> Path:
    """Write a small article (and nothing else) into a folder."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """# A Small War

The lead paragraph says what happened on June 25, 1950.

## First Chapter

### Opening Section

A paragraph of the first section.

| Side | Troops |
|------|--------|
| North | 135,000 |
| South | 98,000 |

## Second Chapter

### Closing Section

The last paragraph.
"""
