"""``kstar-widgets lab``: JupyterLab on the quickstart notebook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ._common import CLIError, usage_error

QUICKSTART = "01_quickstart.ipynb"


def add_parser(sub):
    p = sub.add_parser(
        "lab",
        help="open JupyterLab on the quickstart notebook",
        description="Open JupyterLab on the kstar_widgets notebooks, starting with the quickstart. "
        "The notebooks of a clone of the repository open in place: the clone this package runs "
        "from, the clone in the working folder, or the one it was installed from. Otherwise "
        "the installed notebooks are copied to --dir first (existing copies are kept). As root, "
        "Jupyter's --allow-root is passed for you.",
    )
    p.add_argument("--port", type=int, help="port (default: Jupyter's choice)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--dir",
        metavar="DIR",
        default="~/kstar_widgets_notebooks",
        help="where to copy the installed notebooks when no clone is found (default: %(default)s)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the command, and what would be copied, instead of doing it",
    )
    p.add_argument(
        "jupyter_args",
        nargs="*",
        metavar="-- JUPYTER_OPTION",
        help="options passed on to jupyter lab after '--', e.g. -- --ServerApp.ip=0.0.0.0",
    )
    p.set_defaults(run=run)


def is_clone(folder) -> bool:
    """Whether ``folder`` is a clone of this repository with its built notebooks."""
    folder = Path(folder)
    project = folder / "pyproject.toml"
    return (
        (folder / "notebooks" / QUICKSTART).is_file()
        and (folder / "kstar_widgets").is_dir()
        and project.is_file()
        and 'name = "kstar-widgets"' in project.read_text(encoding="utf-8", errors="replace")
    )


def installed_from() -> Path | None:
    """The local folder pip installed this package from (its direct_url.json), if any."""
    from importlib import metadata

    try:
        raw = metadata.distribution("kstar-widgets").read_text("direct_url.json")
        url = json.loads(raw or "{}").get("url", "")
    except (metadata.PackageNotFoundError, ValueError, OSError):
        return None
    return Path(url.removeprefix("file://")) if url.startswith("file://") else None


def find_clone() -> tuple[Path, str] | None:
    """(a clone's notebooks folder, which clone it is) or None."""
    package = Path(__file__).resolve().parent.parent
    for folder, which in (
        (package.parent, "the clone this package runs from"),
        (Path.cwd(), "the clone in the working folder"),
        (installed_from(), "the clone it was installed from"),
    ):
        if folder is not None and is_clone(folder):
            return folder / "notebooks", which
    return None


def shipped_notebooks() -> Path:
    """The notebooks installed with the package."""
    installed = Path(__file__).resolve().parent.parent / "notebooks"
    if (installed / QUICKSTART).is_file():
        return installed
    raise CLIError(
        "the notebooks are not installed with this copy of kstar_widgets",
        "get them from the source repository (folder notebooks/) and run "
        "'jupyter lab notebooks/01_quickstart.ipynb'",
    )


def notebooks_folder(target, *, dry_run=False) -> Path:
    """The folder to open: a clone's, or a user copy of the installed notebooks (made now,
    unless ``dry_run``; the user's edited copies are never overwritten)."""
    clone = find_clone()
    if clone is not None:
        print(f"opening the notebooks of {clone[1]}: {clone[0]}", file=sys.stderr)
        return clone[0]
    folder = shipped_notebooks()
    target = Path(target).expanduser()
    if target.exists() and not target.is_dir():
        raise usage_error(f"--dir {str(target)!r} is a file, not a folder", "name a folder")
    new = [nb for nb in sorted(folder.glob("*.ipynb")) if not (target / nb.name).exists()]
    if dry_run:
        print(f"would copy {len(new)} notebooks from {folder} to {target}", file=sys.stderr)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for nb in new:
        shutil.copy2(nb, target / nb.name)
    return target


def run(args) -> int:
    folder = notebooks_folder(args.dir, dry_run=args.dry_run)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={folder}",
        f"--LabApp.default_url=/lab/tree/{QUICKSTART}",  # the browser and the printed URL open it
    ]
    if args.port is not None:
        cmd.append(f"--port={args.port}")
    if args.no_browser:
        cmd.append("--no-browser")
    cmd.extend(args.jupyter_args)
    if _is_root() and "--allow-root" not in cmd:
        # Jupyter refuses root without it; containers and Binder-like machines run as root
        print("running as root: passing --allow-root to jupyter lab", file=sys.stderr)
        cmd.append("--allow-root")
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    if not _has_jupyterlab():
        raise CLIError("JupyterLab is not installed", "pip install 'kstar-widgets[notebooks]'")
    return subprocess.call(cmd, cwd=folder)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _has_jupyterlab() -> bool:
    import importlib.util

    return importlib.util.find_spec("jupyterlab") is not None
