"""Write the committed notebooks (without outputs) from their percent-format sources.

The sources are ``notebooks/src/*.py`` (jupytext "percent" format: ``# %%`` code
cells, ``# %% [markdown]`` text cells, the parameters cell tagged
``# %% tags=["parameters"]``). Edit those, lint them with ruff, then run from the
repository root::

    python notebooks/build.py            # rewrite notebooks/*.ipynb
    python notebooks/build.py --check    # exit 1 if a committed notebook is stale

Cell ids are numbered, so building twice gives identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def notebook(source: Path):
    """The notebook of one percent-format source, without outputs and with stable ids."""
    import jupytext
    import nbformat

    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = nbformat.NotebookNode(kernelspec=KERNEL, language_info={"name": "python"})
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags")
        cell.metadata = nbformat.NotebookNode({"tags": tags} if tags else {})
        cell.id = f"{source.stem[:2]}-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.validate(nb)
    return nb


def build(folder=HERE) -> list[Path]:
    """Write one ``.ipynb`` per source into ``folder``; returns the paths written."""
    import nbformat

    paths = []
    for source in sorted(SOURCES.glob("[0-9][0-9]_*.py")):
        path = Path(folder) / f"{source.stem}.ipynb"
        nbformat.write(notebook(source), path)
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args(argv)
    if not args.check:
        for path in build():
            print("wrote", path.relative_to(HERE.parent))
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        stale = [p.name for p in build(tmp) if not (HERE / p.name).is_file()]
        stale += [
            p.name
            for p in Path(tmp).iterdir()
            if (HERE / p.name).is_file() and (HERE / p.name).read_text() != p.read_text()
        ]
    for name in sorted(set(stale)):
        print(f"stale: notebooks/{name} (run python notebooks/build.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
