"""Every notebook runs top to bottom offline, with smaller parameters, in a fresh kernel."""

import importlib.util
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
# once in every copy of BokehJS's core bundle (its UMD wrapper), whether stored as a
# widget model's source or as an output_notebook script; JSON leaves it unescaped
BOKEHJS_SIGNATURE = "root.Bokeh = bokeh"
# notebooks that draw Bokeh (figures or explorers): exactly one BokehJS there, none elsewhere
DRAWS_BOKEH = {"01_quickstart.ipynb", "02_teaching_kstar.ipynb", "05_layers.ipynb"}

# smaller settings for CI, written over each notebook's "parameters" cell
PARAMETERS = {
    "01_quickstart.ipynb": "EPOCHS = 8",  # the shipped weights: no training
    "02_teaching_kstar.ipynb": "HIGH_DIM = 32\nSEEDS = 2",
    "03_clip_models.ipynb": (
        'MODELS = [("ViT-B-32", "openai"), ("RN50", "openai")]\n'
        'DATA_ROOT = "~/.cache/kstar_widgets/data"\n'
        "LIMIT = 2000\n"
        "OFFLINE_LIMIT, OFFLINE_IMAGE_SIZE = 120, 32"
    ),
    "04_robust_vs_standard.ipynb": (
        'PAIRS = [("inception_v3.tf_in1k", "inception_v3.tf_adv_in1k")]\n'
        "IMAGE_FOLDER = None\nLIMIT = 1000\nEPOCHS = 8\nMATCH_TOLERANCE = 0.03"
    ),
    "05_layers.ipynb": 'EPOCHS = 1\nTIMM_MODEL = "resnet18"\nTIMM_LIMIT, TIMM_IMAGE_SIZE = 200, 32',
    "06_reproduce_paper.ipynb": (
        'DATA_FOLDER = "~/.cache/kstar_widgets/data/model-vs-human/colour"\n'
        'MODEL = "timm:resnet50.tv_in1k"\n'
        'LAYERS = {"logits": "logits", "average pool": "pre_logits"}\n'
        "STAND_IN_LIMIT, STAND_IN_IMAGE_SIZE = 120, 64"
    ),
}


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory):
    """Kernels inherit this: no network, a cache shared by the notebooks of this module."""
    cache = tmp_path_factory.mktemp("kw-cache")
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "KSTAR_WIDGETS_CACHE", "TORCH_HOME")}
    os.environ.update(
        HF_HUB_OFFLINE="1", KSTAR_WIDGETS_CACHE=str(cache), TORCH_HOME=str(cache / "torch")
    )
    yield cache
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def run_notebook(path, workdir, parameters=None, timeout=300):
    """Execute a notebook copy in ``workdir`` with nbclient; returns the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if parameters is not None:
        cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
        cells[0].source = parameters
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    return nb


def explorers(nb):
    """Explorer models in the notebook's saved widget state (those holding a k* payload)."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return sum("payload" in m.get("state", {}) for m in state.get("state", {}).values())


def outputs_text(nb):
    chunks = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            chunks.append(out.get("text", ""))
            chunks.append(json.dumps(out.get("data", {})))
    return "\n".join(chunks)


def test_notebooks_are_committed_without_outputs_and_match_the_sources(tmp_path):
    # by path: "build" is also the name of a PyPI package
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    built = build.build(tmp_path)
    assert sorted(p.name for p in built) == sorted(PARAMETERS)
    for p in built:
        committed = NOTEBOOKS / p.name
        assert committed.read_text() == p.read_text(), (
            f"run python notebooks/build.py ({p.name} is stale against notebooks/src/)"
        )
        nb = json.loads(committed.read_text())
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        for cell in nb["cells"]:
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
        tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
        assert len(tagged) == 1 and tagged[0]["cell_type"] == "code", p.name


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_notebook_runs_offline(name, offline_env, tmp_path):
    import nbformat

    nb = run_notebook(NOTEBOOKS / name, tmp_path, PARAMETERS[name])
    text = outputs_text(nb)
    assert "Traceback" not in text
    # saved with its outputs and widget state, as a person's notebook is: at most 5 MB, at
    # most 3 MB with one explorer, BokehJS stored at most once (figures and explorers share it)
    saved = nbformat.writes(nb)
    size, copies = len(saved.encode()), saved.count(BOKEHJS_SIGNATURE)
    print(f"{name}: {size / 1e6:.2f} MB, {copies} BokehJS, {explorers(nb)} explorer(s)")
    assert size <= 5_000_000, f"executed notebook over 5 MB: {size}"
    if explorers(nb) == 1:
        assert size <= 3_000_000, f"executed notebook with one explorer over 3 MB: {size}"
    assert copies == (name in DRAWS_BOKEH or explorers(nb) > 0), f"{copies} copies of BokehJS"
    # stderr shows as a pink error box: status lines, warnings and log errors must not land there
    stderr = [
        out["text"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("name") == "stderr"
    ]
    assert not [t for t in stderr if any(w in t for w in ("kstar_widgets:", "ERROR", "Warning"))]
    if name == "01_quickstart.ipynb":
        assert (tmp_path / "quickstart_report.html").stat().st_size > 100_000
        assert "KStarExplorer" in text or "application/vnd.jupyter.widget-view+json" in text
    if name == "01_quickstart.ipynb":  # the islands of the most fractured digit, in words
        assert "The most fractured digit is" in text and "digits met first" in text
    if name == "02_teaching_kstar.ipynb":
        assert "k* by hand" in text and "same pattern as in 64-D" in text
        assert "blobs -> " in text and "islands in t-SNE 2-D" in text
        assert "BokehModel" not in text and "jupyter_bokeh" not in text
    if name in ("03_clip_models.ipynb", "04_robust_vs_standard.ipynb", "05_layers.ipynb"):
        assert "NOTE:" in text  # offline: the fallback says so
    if name == "06_reproduce_paper.ipynb":  # offline: published table, what is missing, stand-in
        assert "chair" in text and "4.32" in text
        assert "NOTE:" in text and "model-vs-human/releases" in text and "STAND-IN" in text
