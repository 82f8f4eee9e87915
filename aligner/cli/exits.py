"""Exit codes and error mapping: every failure of a command becomes one line on stderr and an exit code."""

from __future__ import annotations

import io
import os

import click

from aligner.errors import AlignerError, UsageError
from aligner.rundir.signals import EXIT_TERMINATED, Terminated
from aligner.safe import safe_lines, safe_text

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_FINDINGS = 3  # check --fail-on: findings of the named kinds remain
# EXIT_TERMINATED = 143 (aligner.rundir.signals): SIGTERM, handled as Ctrl-C is


def _log(message: str) -> None:
    click.echo(f"aligner: {safe_text(message)}", err=True)  # messages quote file names and ids


def _show_usage_error(error: click.ClickException) -> None:
    buffer = io.StringIO()
    error.show(file=buffer)  # click quotes the bad value as given: made safe before it is printed
    click.echo(safe_lines(buffer.getvalue().rstrip("\n")), err=True)


class AlignerGroup(click.Group):
    """Every failure of a command becomes one line on stderr and an exit code (docs/cli.md, exit codes)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as error:
            _show_usage_error(error)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except UsageError as error:
            _log(f"error: {error}")
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except AlignerError as error:
            _log(f"error: {error}")
            raise click.exceptions.Exit(EXIT_FAILED) from None
        except Terminated:
            _log("terminated (SIGTERM); no output was written, the previous output is intact")
            raise click.exceptions.Exit(EXIT_TERMINATED) from None
        except KeyboardInterrupt:
            _log("interrupted; no output was written, the previous output is intact")
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except OSError as error:  # a file system problem no stage foresaw: still one line naming the file
            where = f"{error.filename}: " if error.filename else ""
            _log(f"error: {where}{error.strerror or error}")
            raise click.exceptions.Exit(EXIT_FAILED) from None
        except Exception as error:  # a defect: one line, the traceback only on request
            if os.environ.get("ALIGNER_DEBUG"):
                raise
            _log(f"internal error ({type(error).__name__}: {error}); ALIGNER_DEBUG=1 shows the traceback")
            raise click.exceptions.Exit(EXIT_FAILED) from None
