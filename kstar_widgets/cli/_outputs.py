"""Output files: checked before any work, written beside their targets under temporary
names, and moved into place together at the end (all or nothing)."""

from __future__ import annotations

import contextlib
import os
import shlex
import tempfile
from pathlib import Path

from ._common import usage_error


def check_output(value, *, option: str, suffixes) -> Path:
    """The path ``value`` of ``option``, refused now unless a file with one of ``suffixes``
    can be created there: its folder exists, is writable, and the path is no folder."""
    path = Path(value).expanduser()
    example = f"{option} {path.parent / ('out' + suffixes[0])}"
    if path.is_dir():
        raise usage_error(
            f"{option} {str(path)!r} is a folder, not a file",
            f"name a file inside it, e.g. {option} {path / ('out' + suffixes[0])}",
        )
    if path.suffix.lower() not in suffixes:
        raise usage_error(
            f"{option} {str(path)!r} must end in {' or '.join(suffixes)}",
            f"{option} {path.with_suffix(suffixes[0])}",
        )
    if path.exists() and not path.is_file():
        raise usage_error(f"{option} {str(path)!r} is not a regular file", example)
    if path.exists() and not os.access(path, os.W_OK):  # e.g. another user's, in /tmp
        raise usage_error(
            f"{option} {str(path)!r} exists and is not writable", f"remove it, or {example}"
        )
    folder = path.resolve().parent
    if not folder.exists():
        raise usage_error(
            f"{option} {str(path)!r}: folder {str(path.parent)!r} does not exist",
            f"mkdir -p {shlex.quote(str(path.parent))}",
        )
    if not folder.is_dir():
        raise usage_error(f"{option} {str(path)!r}: {str(path.parent)!r} is not a folder", example)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".check", dir=folder)
    except OSError as exc:
        raise usage_error(
            f"cannot create files in folder {str(folder)!r} for {option} ({exc.strerror})",
            f"choose a folder you can write, e.g. {option} ./{path.name}",
        ) from None
    os.close(fd)
    os.unlink(probe)
    return path


class Outputs:
    """The output files of one command, by option.

    :meth:`add` checks a path before any work; :meth:`staged` yields a temporary path beside
    each target for the writers, then moves them all into place once every writer is done, or
    removes them all if one failed (an older file at a target keeps its contents).
    """

    def __init__(self):
        self.targets: dict[str, Path] = {}

    def add(self, option: str, value, *, suffixes) -> Path | None:
        """Check and register ``value`` (None: the option was not given)."""
        if value is None:
            return None
        path = check_output(value, option=option, suffixes=suffixes)
        self.targets[option] = path
        return path

    @contextlib.contextmanager
    def staged(self):
        """{option: temporary path}; on success each moves onto its target."""
        temps: dict[str, Path] = {}
        try:
            for option, path in self.targets.items():
                target = Path(os.path.realpath(path))  # through a symlink, onto its file
                fd, tmp = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent
                )
                os.close(fd)
                temps[option] = Path(tmp)
            yield temps
            umask = os.umask(0)
            os.umask(umask)
            for tmp in temps.values():
                os.chmod(tmp, 0o666 & ~umask)  # as open() would make it; mkstemp makes 0o600
            for option, tmp in temps.items():  # renames within a folder: the last, quick step
                os.replace(tmp, os.path.realpath(self.targets[option]))
        finally:
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
