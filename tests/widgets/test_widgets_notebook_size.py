"""Saved notebooks stay small: BokehJS is stored once per notebook, however many explorers."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SETUP = """
import numpy as np, kstar_widgets as kw
from sklearn.datasets import load_digits
d = load_digits()
res = kw.kstar(d.data, d.target, method="exact", progress=False)
noisy = kw.kstar(d.data + np.random.default_rng(0).normal(0, 4, d.data.shape), d.target,
                 method="exact", progress=False, name="noisy")
images = (d.images * 16).clip(0, 255).astype(np.uint8)
"""


def _execute(tmp_path, cells):
    """Run the cells in a fresh kernel as CI does (nbclient, widget state stored), save, return text."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(REPO)  # the kernel imports this tree
    try:
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    path = tmp_path / "out.ipynb"
    nbformat.write(nb, path)
    return path, path.read_text()


@pytest.mark.slow
def test_notebook_with_one_explorer_is_at_most_3_mb(tmp_path):
    path, text = _execute(
        tmp_path, [SETUP, "w = kw.explore(res, images=images)\nw", "w.selected_concept = 3"]
    )
    size = path.stat().st_size
    state = text.count("application/vnd.jupyter.widget-state+json")
    assert state >= 1, "nbclient stored no widget state: the test would measure nothing"
    assert text.count("root.Bokeh = bokeh") == 1  # BokehJS stored once
    # the static fallback travels with the output (shown where the widget cannot be): small
    assert text.count("most fractured (highest Γ) first") == 1
    assert size <= 3_000_000, size


@pytest.mark.slow
def test_notebook_with_three_explorers_stores_bokehjs_once(tmp_path):
    cells = [
        SETUP,
        "w1 = kw.explore(res, images=images)\nw1",
        "w2 = kw.explore({'exact': res, 'noisy': noisy}, images=images)\nw2",
        "w3 = kw.explore(noisy)\nw3",
    ]
    path, text = _execute(tmp_path, cells)
    assert text.count("root.Bokeh = bokeh") == 1
    assert path.stat().st_size <= 5_000_000, path.stat().st_size
