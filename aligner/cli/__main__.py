"""``python -m aligner.cli``: the console script ``aligner``."""

from aligner.cli import main

if __name__ == "__main__":
    main()
