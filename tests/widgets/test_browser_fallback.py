"""Real browser: a notebook executed elsewhere (CI, a colleague, GitHub) and opened in
JupyterLab with no live models shows its results as text, not "model not found".

JupyterLab renders a saved output of an untrusted notebook with its safe renderers
only: the widget view is skipped and the bundle's ``text/html`` fallback is shown.
Needs Debian's chromium and Python playwright (skipped without them unless
KSTAR_REQUIRE_BROWSER=1).
"""

import json
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import (
    free_port,
    jupyter_cmd,
    new_page,
    start_server,
    stop,
    wait_for,
    write_notebook,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

CELLS = [
    "import kstar_widgets as kw\n"
    "x, y = kw.synthetic.concept_space(n_concepts=5, per_concept=50, dim=16)\n"
    "res = kw.kstar(x, y, progress=False, name='standard')\n"
    "kw.explore(res)",
    "from bokeh.plotting import figure\nfrom kstar_widgets.widgets import show_figure\n"
    "f = figure(title='three patterns', x_axis_label='normalised k*')\n"
    "_ = f.line([0, 1], [0, 1])\nshow_figure(f)",
]
# every output's text, each scrolled into view first (JupyterLab renders lazily)
OUTPUTS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map((o) => {
  o.scrollIntoView({block: 'center'});
  return o.textContent;
})"""


def _kernels(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernels?token=T") as r:
        return json.load(r)


def _shut_down_kernels(port):
    for kernel in _kernels(port):
        url = f"http://127.0.0.1:{port}/api/kernels/{kernel['id']}?token=T"
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE"))


def test_reopened_notebook_without_its_kernel_shows_the_results_text(
    browser, tmp_path, monkeypatch
):
    import nbformat
    from nbclient import NotebookClient

    from kstar_widgets import interpret

    root = tmp_path / "root"
    root.mkdir()
    path = root / "executed.ipynb"
    write_notebook(path, CELLS)
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    scope = {}
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(root)}}).execute()
    exec(CELLS[0].rsplit("\n", 1)[0], scope)  # the same seeded result, for the expected text
    top = scope["res"].concepts.sort_values("skewness").iloc[-1]
    gamma = interpret.with_interval(
        top["skewness"], top["skewness_ci_low"], top["skewness_ci_high"]
    ).replace("\u00a0", " ")
    nbformat.write(nb, path)  # executed elsewhere: saved, not signed in this Jupyter
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    port = free_port()
    proc = start_server(jupyter_cmd(port, tmp_path, root), port, tmp_path, root)
    try:
        page, errors = new_page(browser)
        url = f"http://127.0.0.1:{port}/lab/workspaces/reopen/tree/executed.ipynb?reset&token=T"

        def shown():
            texts = [t.replace("\u00a0", " ") for t in page.evaluate(OUTPUTS_JS)]
            explorer = next((t for t in texts if "most fractured" in t), None)
            figure = next((t for t in texts if "three patterns" in t), None)
            return (texts, explorer, figure) if explorer and figure else None

        for visit in ("opened", "reopened with its kernel shut down"):
            page.goto(url)
            page.wait_for_selector(".jp-Notebook", timeout=90_000)
            texts, explorer, figure = wait_for(shown, 60, f"the results as text ({visit})")
            assert not any("model not found" in t or "object at 0x" in t for t in texts), texts
            assert "Concepts of standard, most fractured (highest Γ) first" in explorer
            assert gamma in explorer and "same pattern in resamples" in explorer
            assert "normalised k*" in figure
            # the figure's sketch survives JupyterLab's sanitiser and is drawn
            sketch = page.locator('.jp-OutputArea-output img[src^="data:image/svg+xml"]')
            assert sketch.count() == 1
            assert sketch.evaluate("(img) => img.complete && img.naturalWidth") > 0
            # shut down once the kernel has started (a DELETE while it starts is a 500)
            idle = lambda: [k for k in _kernels(port) if k.get("execution_state") == "idle"]  # noqa: E731
            wait_for(idle, 120, "JupyterLab's kernel to start (execution_state idle)")
            _shut_down_kernels(port)
        assert not errors, errors
    finally:
        stop(proc)
