"""Test doubles shipped with the package: a deterministic, meaning-blind encoder for
tests of pure logic (never used by a real run).
"""

from aligner.testing.encoders import HashingEncoder

__all__ = ["HashingEncoder"]
