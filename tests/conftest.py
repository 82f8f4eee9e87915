"""Shared fixtures. The real model loads once per test session; pure-logic tests use the test double."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.embed import Embedder, EmbeddingCache, HashingEncoder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def hashing_embedder(tmp_path: Path) -> Embedder:
    """Deterministic, meaning-blind embedder for unit tests of pure logic."""
    return Embedder(HashingEncoder(), EmbeddingCache(tmp_path / "cache.sqlite"), progress=False)


@pytest.fixture(scope="session")
def real_encoder():
    """The default model, rebuilt by `make` (aligner fetch-model); integration tests need it."""
    from aligner.embed import SentenceTransformerEncoder
    from aligner.fetch import is_verified

    model_dir = Path(os.environ.get("ALIGNER_MODEL_DIR", ROOT / "models" / "embeddinggemma-300m"))
    if not is_verified(model_dir):
        pytest.fail(f"{model_dir}: default model missing; run `make model` (aligner fetch-model) first")
    return SentenceTransformerEncoder(model_dir, name="google/embeddinggemma-300m")


@pytest.fixture(scope="session")
def real_embedder(real_encoder, tmp_path_factory) -> Embedder:
    cache_dir = os.environ.get("ALIGNER_CACHE")
    path = (
        Path(cache_dir) / "embeddings.sqlite" if cache_dir else tmp_path_factory.mktemp("cache") / "e.sqlite"
    )
    return Embedder(real_encoder, EmbeddingCache(path), progress=False)
