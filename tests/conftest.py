"""Shared fixtures: isolated temp stores, the deterministic fake embedder, the real model, ../shared.

Unit tests use `components` (hash embedder, temp embedded store): fast and exact. Integration tests
use `real_components` (the real MiniLM model from its PyPI package, a real Chroma store).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.components import Components
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# `briefbot ingest` lowers its own priority; the in-process CLI tests would lower the test run's.
# tests/test_ingest_priority.py checks the default in processes of its own.
os.environ.setdefault("BRIEFBOT_INGEST_NICE", "0")


def require_shared() -> Path:
    """The gold sets live in ../shared/eval. Outside CI a missing copy skips (saying so); in CI it fails."""
    if not (EVAL / "score.py").exists():
        message = f"these tests need the gold sets at {EVAL} (the steering repo's shared/eval beside this clone)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return EVAL


@pytest.fixture
def eval_dir() -> Path:
    return require_shared()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store", embedder="hash", chroma_url=None, admin_token=None, embed_origins=[])


@pytest.fixture
def components(settings: Settings) -> Components:
    return Components(settings)


@pytest.fixture
def real_settings(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store", embedder="minilm", chroma_url=None, admin_token=None, embed_origins=[])


@pytest.fixture
def real_components(real_settings: Settings) -> Components:
    """The real model (loaded once per process, cached by get_embeddings) over a fresh real store."""
    return Components(real_settings)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one per test module (the browser tests share it)."""
    import playwright.sync_api as playwright_api

    from tests.web.support import launch_chromium

    with playwright_api.sync_playwright() as p:
        launched = launch_chromium(p)
        yield launched
        launched.close()
