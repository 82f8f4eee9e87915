"""aligner: cross-lingual parallel-corpus alignment toolkit."""

__version__ = "0.1.0"
