"""The ``kstar-widgets`` command: demo, lab, compute, and report and compare of saved results.

Each subcommand lives in its own module and imports torch, timm or Jupyter only
when it runs, so ``kstar-widgets --help`` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from ._common import describe

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands."""
    from .. import __version__
    from . import _compute, _demo, _lab, _results

    parser = argparse.ArgumentParser(
        prog="kstar-widgets",
        description="The k* distribution of a model's latent space: how each concept is arranged "
        "(Fractured, Overlapped or Clustered).",
        epilog="Run 'kstar-widgets <command> --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for module in (_demo, _lab, _compute, _results):
        module.add_parser(sub)
    for (
        command
    ) in sub.choices.values():  # after the command too; SUPPRESS keeps a --debug before it
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
        )
    return parser


DEBUG_HELP = "on an error, show the Python traceback instead of the one-line message"


def main(argv=None) -> int:
    """Run the command line; returns the exit status.

    0: done; 1: failed while working; 2: a bad option, input or output path (found before
    anything was computed or written); 130: interrupted. Every error is one line on stderr,
    ``kstar-widgets <command>: error: <problem> (fix: <fix>)``; ``--debug`` shows the
    traceback instead.

    Example
    -------
    >>> from kstar_widgets.cli import main
    >>> main([])  # no command: the help, and the usage-error status
    usage: kstar-widgets [-h] [--version] [--debug] <command> ...
    ...
    Run 'kstar-widgets <command> --help' for a command's options.
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("kstar-widgets: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout went away (| head), as for other tools
        with contextlib.suppress(OSError, ValueError, AttributeError):  # no flush error at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        if args.debug:
            raise
        line, status = describe(exc)
        print(f"kstar-widgets {args.command}: error: {line}", file=sys.stderr)
        return status
