"""The command line: parses options and calls the library; nothing else lives here.
The group and ``main`` are here; each command has its module, the shared options theirs."""

from __future__ import annotations

import os
import sys

import click

from aligner import __version__
from aligner.cli.align import align
from aligner.cli.check import check
from aligner.cli.exits import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    AlignerGroup,
    _log,
    _show_usage_error,
)
from aligner.cli.run import run
from aligner.cli.stories import stories
from aligner.cli.tools import eval_command, export_command, fetch_model_command
from aligner.rundir.signals import EXIT_TERMINATED, Terminated, handle_sigterm


@click.group(cls=AlignerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def cli() -> None:
    """Align news articles and their translations: stories, sentence units, number checks."""


for _command in (run, align, stories, check, eval_command, export_command, fetch_model_command):
    cli.add_command(_command)


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    handle_sigterm()  # SIGTERM unwinds like Ctrl-C: one line, exit 143, the previous output intact
    try:
        code = cli.main(standalone_mode=False)  # commands' failures are handled in AlignerGroup.invoke
    except click.exceptions.Abort:
        _log("interrupted; no output was written")
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:  # before a command runs: unknown command, bad group option
        _show_usage_error(error)
        sys.exit(EXIT_USAGE)
    except Terminated:
        _log("terminated (SIGTERM); no output was written, the previous output is intact")
        sys.exit(EXIT_TERMINATED)
    except KeyboardInterrupt:
        _log("interrupted; no output was written, the previous output is intact")
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
