"""Shared fixtures: one build of the sample data per test session (spaCy is slow to load)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.pipeline import BuildOptions, BuildResult, build

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
SEED_NAME = "charter97-2024-05-26.txt"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """`kg build data/ -o OUT` through the library, shared by the tests that read its outputs."""
    out = tmp_path_factory.mktemp("sample-out")
    return build([DATA], out, BuildOptions())


@pytest.fixture(scope="session")
def sample_out(sample_build: BuildResult) -> Path:
    return sample_build.outputs[0].parent


@pytest.fixture(scope="session")
def scrapinghub_records() -> list[dict[str, Any]]:
    """`kg extract` records of the 181 scrapinghub pages (the citation gold's articles), made
    once per session: about two minutes on two cores."""
    from kg.pipeline import iter_extraction_records

    pages = SHARED / "corpora" / "scrapinghub" / "html"
    if not pages.is_dir():
        pytest.skip(f"scrapinghub pages not found at {pages} (../shared is absent)")
    return list(iter_extraction_records([pages], BuildOptions()))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (its own browser download is not used)."""
    from tests.test_html_browser import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
