"""Real-browser tests: the explorer in JupyterLab 4, and the saved HTML with no kernel.

Needs Debian's chromium (/usr/bin/chromium) and Python playwright; skipped without
them unless KSTAR_REQUIRE_BROWSER=1 (CI), where a missing browser fails.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[1]

# page coordinates of a data point (x, y) of the Bokeh plot named `name`; factors allowed
PIXEL_JS = """([name, x, y]) => {
  const find = (v, m) => {
    if (v.model === m) return v;
    for (const c of v.child_views ?? []) {
      const r = find(c, m);
      if (r) return r;
    }
    return null;
  };
  for (const root of Object.values(window.Bokeh.index)) {
    const m = root.model.document.get_model_by_name(name);
    const v = m && find(root, m);
    if (!v) continue;
    const f = v.frame;
    const sx = f.x_scale.compute(typeof x === "string" ? f.x_range.synthetic(x) : x);
    const sy = f.y_scale.compute(typeof y === "string" ? f.y_range.synthetic(y) : y);
    const r = v.canvas_view.el.getBoundingClientRect();
    return [r.left + sx, r.top + sy];
  }
  return null;
}"""
MODEL_JS = """([name, attr]) => {
  for (const root of Object.values(window.Bokeh.index)) {
    const m = root.model.document.get_model_by_name(name);
    const plain = (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);  // typed arrays as lists
    if (m) return JSON.parse(JSON.stringify(attr === "data" ? m.data : m[attr], plain));
  }
  return null;
}"""


def _require_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        have = False
    else:
        have = os.path.exists(CHROMIUM)
    if not have:
        if os.environ.get("KSTAR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KSTAR_REQUIRE_BROWSER=1 but {CHROMIUM} or python playwright is missing.")
        pytest.skip(f"needs {CHROMIUM} and python playwright")


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    errors = []
    page.on(
        "console",
        lambda m: (
            errors.append(f"{m.text} @ {m.location.get('url')}") if m.type == "error" else None
        ),
    )
    page.on(
        "pageerror",
        lambda e: None if _shell_noise(e) else errors.append(f"{e} {(e.stack or '')[:600]}"),
    )
    return page, errors


def _shell_noise(error) -> bool:
    """Notebook 7's own settings registry throws this with a fresh settings dir, widgets or not."""
    return "reading 'schema'" in str(error) and "/static/notebook/notebook_core" in (
        error.stack or ""
    )


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NOTEBOOK_CELLS = [
    "import numpy as np, kstar_widgets as kw\n"
    "from sklearn.datasets import load_digits\n"
    "d = load_digits()\n"
    "res = kw.kstar(d.data, d.target, method='exact', progress=False)\n"
    "w = kw.explore(res, images=(d.images * 16).clip(0, 255).astype(np.uint8))\n"
    "w.observe(lambda c: open('selected.txt', 'w').write(repr(c['new'])), 'selected_concept')\n"
    "w",
    "w.save('report.html'); print('saved')",
]


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on a free port over a folder with one notebook; always stopped."""
    root = tmp_path / "root"
    root.mkdir()
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in NOTEBOOK_CELLS
    ]
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / "explore.ipynb").write_text(json.dumps(nb))
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=T",
        f"--LabApp.workspaces_dir={tmp_path / 'ws'}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--ServerApp.root_dir={root}",
        "--allow-root",
    ]
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=T", timeout=2)
                break
            except OSError as exc:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(
                        "JupyterLab did not start:\n"
                        + (tmp_path / "server.log").read_text()[-3000:]
                    ) from exc
                time.sleep(0.5)
        yield port, root
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


def _wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


STARTED_JS = """() => [...document.querySelectorAll('.jp-InputArea-prompt')]
    .some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"""


def _run_all(page):
    """Run > Run All Cells, once the kernel is up; repeat if no cell starts (a busy
    machine can take the first click before the kernel connects)."""
    with contextlib.suppress(Exception):
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        try:
            page.wait_for_function(STARTED_JS, timeout=30_000)
            return
        except Exception:
            page.keyboard.press("Escape")
    raise AssertionError("Run All did not start any cell")


URLS = {
    "lab": "/lab/workspaces/kstar-test/tree/explore.ipynb?reset&token=T",  # JupyterLab 4
    "notebook": "/notebooks/explore.ipynb?token=T",  # Notebook 7, same server
}


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_notebook_renders_and_clicks_reach_the_kernel(browser, lab, ui):
    port, root = lab
    page, errors = _page(browser)
    page.goto(f"http://127.0.0.1:{port}{URLS[ui]}")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_timeout(1500)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    if accept.count():
        accept.first.click()
    _run_all(page)
    try:
        page.wait_for_selector(".jp-OutputArea-output canvas", timeout=90_000)
    except Exception:
        page.screenshot(path=str(root.parent / "failure.png"))
        raise AssertionError(
            f"no plot rendered in {ui}; see {root.parent / 'failure.png'}"
        ) from None
    _wait_for(lambda: (root / "report.html").exists(), 60, "the second cell to save report.html")
    _wait_for(lambda: page.evaluate(PIXEL_JS, ["overview", 0.5, 0.0]), 20, "the overview plot view")
    assert (
        page.locator(".jp-OutputArea-output canvas").count() >= 3
    )  # overview, detail, matrix at least
    assert page.locator(".kstar-concept-bar").count() == 1  # the anywidget glue rendered

    # the top row is the most fractured concept: click it, the kernel must hear it
    top = page.evaluate(MODEL_JS, ["concepts", "data"])
    code = int(np.argmin(top["rank"]))
    x, y = page.evaluate(PIXEL_JS, ["overview", 0.5, -0.45])
    page.mouse.click(x, y)
    sel = _wait_for(
        lambda: (root / "selected.txt").exists() and (root / "selected.txt").read_text(),
        20,
        "selected_concept to change in the kernel",
    )
    assert sel == repr(int(top["name"][code]))
    _wait_for(
        lambda: len(page.evaluate(MODEL_JS, ["detail_low", "data"])["sample"]) > 0,
        10,
        "the detail table",
    )
    assert (
        top["name"][code] in page.locator(".kstar-concept-info").inner_text()
    )  # the anywidget followed
    if os.environ.get("KSTAR_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(os.environ["KSTAR_SCREENSHOT_DIR"]) / f"{ui}.png"))
    assert not errors, errors


def test_saved_html_links_views_without_kernel(browser, tmp_path):
    from sklearn.datasets import load_digits

    import kstar_widgets as kw

    d = load_digits()
    res = kw.kstar(d.data, d.target, method="exact", progress=False)
    noisy = kw.kstar(
        d.data + np.random.default_rng(0).normal(0, 4, d.data.shape),
        d.target,
        method="exact",
        progress=False,
        name="noisy",
    )
    path = kw.report(
        [res, noisy], tmp_path / "report.html", images=(d.images * 16).astype(np.uint8)
    )
    html = Path(path).read_text()
    assert "cdn.bokeh.org" not in html
    page, errors = _page(browser)
    page.goto(Path(path).as_uri())
    page.wait_for_selector("canvas", timeout=30_000)
    _wait_for(lambda: page.evaluate(PIXEL_JS, ["overview", 0.5, 0.0]), 20, "the overview plot view")
    data = page.evaluate(MODEL_JS, ["concepts", "data"])
    code = int(np.argmin(data["rank"]))
    page.mouse.click(*page.evaluate(PIXEL_JS, ["overview", 0.5, -0.45]))
    header = _wait_for(
        lambda: (
            "<b>" in page.evaluate(MODEL_JS, ["header", "text"])
            and page.evaluate(MODEL_JS, ["header", "text"])
        ),
        10,
        "the header to name the concept",
    )
    assert f"<b>{data['name'][code]}</b>" in header
    low = page.evaluate(MODEL_JS, ["detail_low", "data"])
    assert low["sample"] and all(int(s) >= 0 for s in low["sample"])
    assert len(page.evaluate(MODEL_JS, ["thumbs", "data"])["image"]) == 2 * len(low["sample"])
    assert sum(page.evaluate(MODEL_JS, ["detail_hist", "data"])["top"]) == data["n"][code]

    # a matrix cell selects its row's concept in every view
    matrix = page.evaluate(MODEL_JS, ["matrix", "data"])
    other = next(i for i, r in enumerate(matrix["row"]) if r != code)
    page.mouse.click(
        *page.evaluate(
            PIXEL_JS, ["matrix_plot", matrix["col_name"][other], matrix["row_name"][other]]
        )
    )
    row = matrix["row"][other]
    _wait_for(
        lambda: f"<b>{data['name'][row]}</b>" in page.evaluate(MODEL_JS, ["header", "text"]),
        10,
        "the matrix click to select its concept",
    )
    assert (
        page.evaluate(
            "() => Object.values(Bokeh.index)[0].model.document"
            ".get_model_by_name('concepts').selected.indices"
        )[0]
        == row
    )

    # the threshold slider re-classifies in the page: at t = 3 nothing is Fractured
    page.evaluate("""() => { const d = Object.values(Bokeh.index)[0].model.document;
                             d.get_model_by_name('threshold').value = 3.0; }""")
    patterns = page.evaluate(MODEL_JS, ["concepts", "data"])["pattern"]
    assert "Fractured" not in patterns and "Overlapped" in patterns
    assert not errors, errors
