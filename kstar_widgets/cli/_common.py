"""Shared helpers of the subcommands: errors, output paths, tables."""

from __future__ import annotations

from pathlib import Path


class CLIError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def output_path(value, *, suffixes, what) -> Path:
    """A writable output file with one of ``suffixes``; its folder must exist."""
    path = Path(value).expanduser()
    if path.suffix.lower() not in suffixes:
        raise CLIError(f"{what} {str(path)!r} must end in {' or '.join(suffixes)}.")
    if not path.parent.is_dir():
        raise CLIError(f"cannot write {str(path)!r}: folder {str(path.parent)!r} does not exist.")
    return path


def write_report(results, path, *, images=None, title):
    """kw.report with a clear error when the widget stack is not installed."""
    try:
        from ..widgets import report
    except ImportError as exc:
        raise CLIError(
            f"writing the report needs the widget extras ({exc}); install them with "
            "pip install 'kstar-widgets[widgets]', or pass --no-report."
        ) from exc
    return report(results, str(path), images=images, title=title)


def fmt_pct(value) -> str:
    return "-" if value is None else f"{100.0 * value:.1f}%"
