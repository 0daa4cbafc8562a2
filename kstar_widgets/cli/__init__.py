"""The ``kstar-widgets`` command: demo, lab and compute.

Each subcommand lives in its own module and imports torch, timm or Jupyter only
when it runs, so ``kstar-widgets --help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys

from ._common import CLIError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its three subcommands."""
    from .. import __version__
    from . import _compute, _demo, _lab

    parser = argparse.ArgumentParser(
        prog="kstar-widgets",
        description="The k* distribution of a model's latent space: how each concept is arranged "
        "(Fractured, Overlapped or Clustered).",
        epilog="Run 'kstar-widgets <command> --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for module in (_demo, _lab, _compute):
        module.add_parser(sub)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed, 2 usage error).

    Example
    -------
    >>> from kstar_widgets.cli import main
    >>> main(["compute", "--help"])  # doctest: +SKIP
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except CLIError as exc:
        print(f"kstar-widgets {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kstar-widgets: interrupted", file=sys.stderr)
        return 130
