"""The test encoder (HashingEncoder): deterministic and meaning-blind, for tests of pure logic only."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


class HashingEncoder:
    """A tiny deterministic test double: hashed character trigrams, L2-normalised.

    Only for unit tests of pure logic (identical texts get identical vectors, similar strings similar
    ones); it knows nothing of meaning or languages. Integration tests use the real model.
    """

    name = "hashing-trigrams"
    batch_invariant = True  # each text is hashed alone

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.fingerprint = f"hashing-trigrams-{dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                bucket = int.from_bytes(
                    hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest(), "little"
                )
                out[row, bucket % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm > 0:
                out[row] /= norm
        return out
