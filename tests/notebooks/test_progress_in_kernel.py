"""Progress in a notebook leaves only text behind: no widget that a reload or reopen breaks."""

import re

import nbformat
import pytest
from test_notebooks import run_notebook

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

CELLS = [
    # a bar as the training loop draws it, updated more often than it is redrawn
    "from kstar_widgets.utils._progress import progress_bar\n"
    "bar = progress_bar(total=136, desc='training', unit='batch')\n"
    "for _ in range(136):\n"
    "    bar.update(1)\n"
    "bar.set_postfix_str('loss 0.123')\n"
    "bar.close()",
    # the demo's training loop, as notebook 01 runs it when it trains (17 batches of 8)
    "import torch\n"
    "from kstar_widgets.training._train import train_classifier\n"
    "m = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(48, 10))\n"
    "_ = train_classifier(m, torch.rand(136, 3, 4, 4), torch.arange(136) % 10, epochs=1,\n"
    "                     batch_size=8)",
    # kw.kstar's default bar (shown from n² d > 5e10: here 10,000 samples in 512-d)
    "import kstar_widgets as kw\n"
    "x, y = kw.synthetic.concept_space(n_concepts=10, per_concept=1000, dim=512)\n"
    "res = kw.kstar(x, y, n_boot=0, method='exact')",
]


def cell_texts(cell):
    """Every text a saved output of ``cell`` holds, in order."""
    texts = []
    for out in cell.get("outputs", []):
        texts.append(out.get("text", ""))
        texts.extend(str(v) for v in out.get("data", {}).values())
    return texts


@pytest.mark.slow
def test_progress_in_a_kernel_saves_only_a_finished_text_line(tmp_path):
    pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    path = tmp_path / "progress.ipynb"
    nbformat.write(nb, path)
    nb = run_notebook(path, tmp_path)
    for cell in nb.cells:
        assert not any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs), cell.source
        assert not any(out.get("output_type") == "error" for out in cell.outputs), cell.outputs
    bar, training, kstar = (cell_texts(c) for c in nb.cells)
    assert bar, "the bar left nothing"
    assert re.fullmatch(r"training: 136/136 batch in \d+(\.\d)? s \(loss 0\.123\)", bar[-1])
    assert not any("0/136" in t or "%|" in t for t in bar)
    assert re.fullmatch(r"training: 17/17 batch in \d+(\.\d)? s \(loss \d\.\d{3}\)", training[-1])
    assert not any("%|" in t for t in training), training
    assert re.fullmatch(r"exact k\*: 10000/10000 sample in \d+(\.\d)? s", kstar[-1]), kstar
