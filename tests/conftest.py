"""Shared fixtures. The real model loads once per test session; pure-logic tests use the test double."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.testing import HashingEncoder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


# Fixtures that load a real encoder: a test that uses one gets the mark even if its author forgot it.
FIXTURE_MARKS = {"real_encoder": "model", "real_embedder": "model", "tiny_model": "slow"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch) -> None:
    """Every test, and every `aligner` it starts, caches vectors in a folder of its own, never in the
    developer's ~/.cache/aligner (a test that means to share one sets ALIGNER_CACHE itself)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("ALIGNER_CACHE", raising=False)


@pytest.fixture
def hashing_embedder(tmp_path: Path) -> Embedder:
    """Deterministic, meaning-blind embedder for unit tests of pure logic."""
    return Embedder(HashingEncoder(), EmbeddingCache(tmp_path / "cache.sqlite"), progress=False)


@pytest.fixture(scope="session")
def real_encoder():
    """The default model, rebuilt by `make` (aligner fetch-model); integration tests need it."""
    from aligner.embedding.encoder import SentenceTransformerEncoder
    from aligner.embedding.fetch import is_verified

    model_dir = Path(os.environ.get("ALIGNER_MODEL_DIR", ROOT / "models" / "embeddinggemma-300m"))
    if not is_verified(model_dir):
        pytest.fail(f"{model_dir}: default model missing; run `make model` (aligner fetch-model) first")
    return SentenceTransformerEncoder(model_dir, name="google/embeddinggemma-300m")


@pytest.fixture(scope="session")
def real_embedder(real_encoder, tmp_path_factory) -> Embedder:
    """The real model with a cache of the test session's own (never the developer's)."""
    cache = EmbeddingCache(tmp_path_factory.mktemp("cache") / "e.sqlite")
    return Embedder(real_encoder, cache, progress=False)
