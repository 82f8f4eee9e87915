"""The one exception type the CLI turns into a one-line message (never a traceback)."""


class AlignerError(Exception):
    """A user-facing error: its message names the file or setting and what is wrong."""


class UsageError(AlignerError):
    """Bad options or arguments (exit code 2)."""
