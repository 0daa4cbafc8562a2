"""``kstar-widgets lab``: JupyterLab on the quickstart notebook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ._common import CLIError

QUICKSTART = "01_quickstart.ipynb"


def add_parser(sub):
    p = sub.add_parser(
        "lab",
        help="open JupyterLab on the quickstart notebook",
        description="Open JupyterLab on the kstar_widgets notebooks, starting with the quickstart. "
        "From a source checkout the notebooks open in place; from an installed package they are "
        "copied to --dir first (existing copies are kept).",
    )
    p.add_argument("--port", type=int, help="port (default: Jupyter's choice)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--dir",
        metavar="DIR",
        default="~/kstar_widgets_notebooks",
        help="where to copy the shipped notebooks (default ~/kstar_widgets_notebooks)",
    )
    p.add_argument("--dry-run", action="store_true", help="print the command instead of running it")
    p.add_argument(
        "jupyter_args",
        nargs="*",
        metavar="-- JUPYTER_OPTION",
        help="options passed on to jupyter lab after '--', e.g. -- --allow-root",
    )
    p.set_defaults(run=run)


def shipped_notebooks() -> tuple[Path, bool]:
    """(folder with the notebooks, whether it is a source checkout that may be opened in place)."""
    package = Path(__file__).resolve().parent.parent
    source = package.parent / "notebooks"
    if (source / QUICKSTART).is_file() and (package.parent / "pyproject.toml").is_file():
        return source, True
    installed = package / "notebooks"
    if (installed / QUICKSTART).is_file():
        return installed, False
    raise CLIError(
        "the notebooks are not installed with this copy of kstar_widgets; get them from the "
        "source repository (folder notebooks/) and run 'jupyter lab notebooks/01_quickstart.ipynb'."
    )


def notebooks_folder(target) -> Path:
    """The folder to open: the source checkout's, or a user copy of the installed notebooks."""
    folder, in_place = shipped_notebooks()
    if in_place:
        return folder
    target = Path(target).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    for nb in sorted(folder.glob("*.ipynb")):
        if not (target / nb.name).exists():  # never overwrite a user's edits
            shutil.copy2(nb, target / nb.name)
    return target


def run(args) -> int:
    folder = notebooks_folder(args.dir)
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
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    if not _has_jupyterlab():
        raise CLIError("JupyterLab is not installed: pip install 'kstar-widgets[notebooks]'.")
    return subprocess.call(cmd, cwd=folder)


def _has_jupyterlab() -> bool:
    import importlib.util

    return importlib.util.find_spec("jupyterlab") is not None
