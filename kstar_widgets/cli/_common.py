"""Shared helpers of the subcommands: errors, the widget stack, spreadsheet-safe tables."""

from __future__ import annotations

import errno

USAGE = 2  # exit status of what the user gave: an option, an input, an output path
FAILED = 1  # exit status of a run that failed while working


class CLIError(Exception):
    """A problem the user can fix, printed as one line ``<problem> (fix: <fix>)``.

    ``status`` is the exit status: :data:`USAGE` (2) for a bad option, input or output
    path, found before anything is computed or written; :data:`FAILED` (1) otherwise.
    """

    def __init__(self, problem: str, fix: str | None = None, *, status: int = FAILED):
        super().__init__(problem if fix is None else f"{problem} (fix: {fix})")
        self.status = status


def usage_error(problem: str, fix: str | None = None) -> CLIError:
    """A CLIError with exit status 2: nothing was computed or written."""
    return CLIError(problem, fix, status=USAGE)


# OSError causes a user can act on: (problem, fix) by errno
_OS_FIXES = {
    errno.ENOSPC: ("no space left on device", "free some space, or write the outputs elsewhere"),
    errno.EDQUOT: ("disk quota exceeded", "free some space, or write the outputs elsewhere"),
    errno.EACCES: ("permission denied", "choose files and folders you can read and write"),
    errno.EPERM: ("operation not permitted", "choose files and folders you can read and write"),
    errno.EROFS: ("read-only file system", "write the outputs to a writable folder"),
    errno.ENOENT: ("no such file or folder", "check the path (ls it)"),
    errno.EISDIR: ("is a folder", "name a file, not a folder"),
    errno.ENOTDIR: ("a part of the path is not a folder", "check the path (ls it)"),
}


def describe(exc: BaseException) -> tuple[str, int]:
    """(one line, exit status) for an exception that ended a command.

    CLIError, the package's ValueError and TypeError (its refusals say what to do), MemoryError
    and an OSError of a known cause are the user's to fix; anything else is a bug, named as one,
    with a pointer to ``--debug`` for the traceback.
    """
    if isinstance(exc, CLIError):
        return _one_line(str(exc)), exc.status
    if isinstance(exc, (ValueError, TypeError)):
        return _one_line(str(exc)), FAILED
    if isinstance(exc, MemoryError) and str(exc):  # e.g. Dask workers over their memory limit
        return _one_line(str(exc)), FAILED
    if isinstance(exc, MemoryError):
        return (
            "out of memory (fix: use --method approx, or run on a Dask cluster with --scheduler)",
            FAILED,
        )
    if isinstance(exc, OSError) and exc.errno in _OS_FIXES:
        problem, fix = _OS_FIXES[exc.errno]
        where = f" ({exc.filename!r})" if exc.filename else ""
        return f"{problem}{where} (fix: {fix})", FAILED
    return (
        f"unexpected {type(exc).__name__}: {_one_line(str(exc))} (this is a bug in kstar-widgets; "
        "run again with --debug for the traceback, and report it)",
        FAILED,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def require_widgets(option: str, alternative: str | None) -> None:
    """Refuse, before any work, an output that needs the widget extras when they are missing."""
    import importlib

    try:
        importlib.import_module("kstar_widgets.widgets")
    except ImportError as exc:
        fix = "pip install 'kstar-widgets[widgets]'" + (
            f", or {alternative}" if alternative else ""
        )
        raise usage_error(f"{option} needs the widget extras ({exc})", fix) from exc


def write_report(results, path, *, images=None, title):
    """kw.report, once :func:`require_widgets` has passed."""
    from .. import widgets

    return widgets.report(results, str(path), images=images, title=title)


# a cell starting with one of these runs as a formula in a spreadsheet (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(table):
    """``table`` with its text cells (index included) that start like a formula prefixed with
    a single quote, as OWASP advises; numbers, negative ones too, stay numbers."""

    def cell(value):
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value

    from pandas.api.types import is_numeric_dtype

    def column(values):
        return values if is_numeric_dtype(values.dtype) else values.astype(object).map(cell)

    table = table.copy()
    table.index = column(table.index)
    for name in table.columns:
        table[name] = column(table[name])
    return table


def fmt_pct(value) -> str:
    return "-" if value is None else f"{100.0 * value:.1f}%"
