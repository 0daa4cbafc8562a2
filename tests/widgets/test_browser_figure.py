"""Real browser: a Figure widget and an explorer in one JupyterLab notebook share one BokehJS.

The figure is drawn (a canvas with ink, its title in the drawn view), BokehJS is
injected once into the page, and assigning a new figure from Python redraws it in
place. Needs Debian's chromium and Python playwright (skipped without them unless
KSTAR_REQUIRE_BROWSER=1).
"""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import (
    SETUP,
    free_port,
    jupyter_cmd,
    new_page,
    open_notebook,
    run_all,
    start_server,
    stop,
    wait_for,
    write_notebook,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

FIGURE = """
from bokeh.plotting import figure
from kstar_widgets.widgets import Figure, show_figure

def make(title, tops):
    fig = figure(title=title, x_axis_label="normalised k*", width=360, height=240,
                 toolbar_location=None)
    fig.quad(left=[0, 0.5], right=[0.5, 1], bottom=0, top=tops, color="#d62728")
    return fig

f = Figure(make("first figure", [3, 1]))
f
"""
EXPLORE = "w = kw.explore(res, images=images)\nw"
# a kernel thread that runs what the test writes to cmd.py, as a person's later cell would
WATCH = """
import pathlib, threading, time
def _watch(scope):
    p = pathlib.Path("cmd.py")
    while True:
        if p.exists():
            code = p.read_text(); p.unlink()
            exec(code, scope)
        time.sleep(0.2)
threading.Thread(target=_watch, args=({"f": f, "make": make},), daemon=True).start()
show_figure(make("shown after the explorer", [1, 2]))
"""
CELLS = [SETUP, FIGURE, EXPLORE, WATCH]

# every drawn Figure on the page: its title as the drawn view holds it, and its canvas size
FIGURES_JS = """() => [...document.querySelectorAll('.kstar-figure[data-ready]')].map((box) => {
  const v = box.kstarFigure;
  const canvases = [];
  const walk = (node) => {
    canvases.push(...node.querySelectorAll('canvas'));
    for (const e of node.querySelectorAll('*')) if (e.shadowRoot) walk(e.shadowRoot);
  };
  walk(box);
  return {title: v?.model?.title?.text ?? null, root: box.dataset.root,
          canvas: canvases.map((c) => c.width * c.height).reduce((a, b) => a + b, 0)};
})"""
BOKEH_SCRIPTS_JS = """() => [...document.scripts]
    .filter((s) => s.textContent.includes('root.Bokeh = bokeh')).length"""


NOTEBOOK = "figure.ipynb"  # the notebook of the `lab` fixture (tests/conftest.py)


def _ink(page, index):
    """Share of non-white pixels in a screenshot of the index-th figure (what is drawn)."""
    from PIL import Image

    shot = page.locator(".kstar-figure[data-ready]").nth(index).screenshot()
    px = np.asarray(Image.open(io.BytesIO(shot)).convert("L"))
    return float(np.mean(px < 200))


def test_figure_and_explorer_share_one_bokehjs_and_redraw_from_python(browser, lab):
    port, root = lab
    page, errors = new_page(browser)
    open_notebook(
        page, f"http://127.0.0.1:{port}/lab/workspaces/fig/tree/figure.ipynb?reset&token=T"
    )
    run_all(page)
    page.wait_for_selector(".kstar-root[data-ready]", timeout=180_000)
    shown = wait_for(
        lambda: (lambda f: f if len(f) == 2 and all(x["canvas"] for x in f) else None)(
            page.evaluate(FIGURES_JS)
        ),
        60,
        "both figures drawn",
    )
    assert [f["title"] for f in shown] == ["first figure", "shown after the explorer"]
    assert _ink(page, 0) > 0.02  # axes, title and red bars are on the canvas
    assert page.evaluate(BOKEH_SCRIPTS_JS) == 1  # BokehJS injected once for three widgets
    assert page.evaluate("() => Object.keys(window.__kstarBokehLoading ?? {}).length") == 1

    first_root = shown[0]["root"]
    (root / "cmd.py").write_text('f.figure = make("second figure", [1, 4])')
    redrawn = wait_for(
        lambda: (lambda f: f if f[0]["title"] == "second figure" else None)(
            page.evaluate(FIGURES_JS)
        ),
        30,
        "the figure redrawn after assignment from Python",
    )
    assert redrawn[0]["root"] != first_root and redrawn[0]["canvas"]
    # redrawn in place: still one drawing in that output, no second copy beside it
    assert page.locator(".kstar-figure").count() == 2
    assert page.locator(".kstar-figure").first.locator(":scope > div").count() == 1
    assert _ink(page, 0) > 0.02
    assert page.evaluate(BOKEH_SCRIPTS_JS) == 1
    assert page.locator(".kstar-error").count() == 0
    page.screenshot(path=str(root.parent / "figure_and_explorer.png"), full_page=True)
    assert not errors, errors


SAVED = [
    SETUP,
    FIGURE,
    EXPLORE,
    "show_figure(make('second figure', [1, 4]))",
]


def test_saved_notebook_draws_its_figures_from_the_stored_bokehjs(browser, tmp_path, monkeypatch):
    """Executed and saved as CI and people do (nbclient, widget state stored), then opened:
    the figures draw from the saved state alone, BokehJS read from the one stored copy."""
    import nbformat
    from nbclient import NotebookClient

    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / "saved.ipynb", SAVED)
    nb = nbformat.read(root / "saved.ipynb", as_version=4)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(root)}}).execute()
    text = nbformat.writes(nb)
    assert text.count("root.Bokeh = bokeh") == 1
    (root / "saved.ipynb").write_text(text)
    # widget outputs render only in a trusted notebook; sign it in a data dir of this test
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    subprocess.run(
        [sys.executable, "-m", "jupyter", "trust", str(root / "saved.ipynb")], check=True
    )
    port = free_port()
    proc = start_server(jupyter_cmd(port, tmp_path, root), port, tmp_path, root)
    try:
        page, errors = new_page(browser)
        page.goto(f"http://127.0.0.1:{port}/lab/workspaces/saved/tree/saved.ipynb?reset&token=T")
        page.wait_for_selector(".jp-Notebook", timeout=90_000)

        def drawn():
            f = page.evaluate(FIGURES_JS)
            return [x["title"] for x in f] if len(f) == 2 else None

        try:
            titles = wait_for(drawn, 90, "the saved figures drawn")  # no reload allowed
        except AssertionError:
            # jupyterlab_widgets 3.0's restoreWidgets loads the saved state only in its first
            # attempt, which gives up silently when the kernel is not ready; the retry on
            # "connected" skips the notebook (docs/notebooks.md, "Known limits"; upstream
            # jupyterlab/jupyterlab#15361): seen, said, never retried
            if page.get_by_text(MODEL_NOT_FOUND).count():
                pytest.xfail(f"first open of the saved notebook: {MODEL_NOT_FOUND!r} (#15361)")
            raise
        assert titles == ["first figure", "second figure"]
        page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
        assert _ink(page, 1) > 0.02
        assert page.evaluate(BOKEH_SCRIPTS_JS) == 1
        assert page.locator(".kstar-error").count() == 0
        assert not errors, errors
    finally:
        stop(proc)


# what every widget output of the page shows: drawn figures, ready explorers, and failures
# (a drawing error, a widget without its model), each output scrolled into view first
OUTPUTS_JS = (
    """() => {
  for (const o of document.querySelectorAll('.jp-OutputArea-output')) o.scrollIntoView();
  const text = [...document.querySelectorAll('.jp-OutputArea-output')]
    .map((o) => o.textContent).join('\\n');
  const errors = [...document.querySelectorAll('.kstar-error')].map((e) => e.textContent);
  if (text.includes('model not found')) errors.push('Error displaying widget: model not found');
  return {figures: ("""
    + FIGURES_JS
    + """)().filter((f) => f.canvas).map((f) => f.title),
          explorers: document.querySelectorAll('.kstar-root[data-ready]').length, errors};
}"""
)
RELOADS = 10
MODEL_NOT_FOUND = "Error displaying widget: model not found"


def _all_drawn(page, what):
    """Wait until both figures and the explorer are drawn, or one of them fails; the outputs."""

    def settled():
        got = page.evaluate(OUTPUTS_JS)
        done = len(got["figures"]) == 2 and got["explorers"] == 1
        return got if done or got["errors"] else None

    try:
        return wait_for(settled, 120, what)
    except AssertionError:
        return {**page.evaluate(OUTPUTS_JS), "timeout": what}


@pytest.fixture(scope="module")
def saved_run(browser, tmp_path_factory):
    """A notebook run once in JupyterLab and saved with its outputs; the kernel stays alive."""
    tmp = tmp_path_factory.mktemp("reload")
    root = tmp / "root"
    root.mkdir()
    write_notebook(root / "reload.ipynb", SAVED)
    port = free_port()
    proc = start_server(jupyter_cmd(port, tmp, root), port, tmp, root)
    try:
        page, errors = new_page(browser)
        open_notebook(
            page, f"http://127.0.0.1:{port}/lab/workspaces/one/tree/reload.ipynb?reset&token=T"
        )
        run_all(page)
        first = _all_drawn(page, "the first run drawn")
        assert first["figures"] == ["first figure", "second figure"], first
        assert not errors, errors
        page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
        page.locator("li.lm-Menu-item[data-command='docmanager:save']").click()  # as people do
        wait_for(
            lambda: (
                "outputs" in (root / "reload.ipynb").read_text()
                and '"output_type"' in (root / "reload.ipynb").read_text()
            ),
            30,
            "the save",
        )
        assert not errors, errors
        page.errors = errors  # JS errors of every reload, reported with a failure
        yield port, page
    finally:
        stop(proc)


def test_figures_and_explorer_draw_after_every_reload(saved_run):
    """Ten reloads, the kernel alive: every one shows both figures and the explorer."""
    _port, page = saved_run
    failures = []
    for i in range(RELOADS):
        page.reload()
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        got = _all_drawn(page, f"reload {i + 1}")
        if got["errors"] or "timeout" in got or len(got["figures"]) != 2:
            failures.append((i + 1, got))
    ours = [e for e in page.errors if "kstar_widgets" in e or "Bokeh" in e]
    assert not failures and not ours, (
        f"{len(failures)} of {RELOADS} reloads failed: {failures}; {ours}"
    )


def test_figures_and_explorer_draw_in_a_second_tab(browser, saved_run):
    port, _page = saved_run
    other, errors = new_page(browser)
    other.goto(f"http://127.0.0.1:{port}/lab/workspaces/two/tree/reload.ipynb?token=T")
    other.wait_for_selector(".jp-Notebook", timeout=90_000)
    got = _all_drawn(other, "the second tab drawn")
    assert got["figures"] == ["first figure", "second figure"] and got["explorers"] == 1, got
    assert not got["errors"] and "timeout" not in got, got
    assert other.evaluate(BOKEH_SCRIPTS_JS) == 1
    assert not errors, errors
