"""Shared pieces of the real-browser tests: chromium, servers, data, and reading the rendered views.

Everything here reads what the page SHOWS (DOM text), not model data: a view can
hold the right data and still display stale rows.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

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
N_LOW = 6
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE, never closed in the name
# concept names as CLIP prompts and ImageNet classes have them: 100+ characters, one holding
# an unclosed U+202E, one Hebrew ("shepherd dog", right to left)
LONG_NAMES = [f"a photo of a {'very ' * 20}long class name number {i}" for i in range(10)]
LONG_NAMES[3] = f"evil {RLO}name with an override"
LONG_NAMES[5] = "כלב רועה " * 12 + "5"

# the data every browser test shows: sklearn digits as string labels, plus a 4-sample
# concept "rare" (4 table rows instead of 6), exact k* on the pixels and on noisy pixels
SETUP = """
import numpy as np, kstar_widgets as kw
from sklearn.datasets import load_digits
d = load_digits()
labels = d.target.astype(str).astype(object)
labels[[0, 10, 20, 30]] = "rare"
res = kw.kstar(d.data, labels, method="exact", progress=False)
noisy = kw.kstar(d.data + np.random.default_rng(0).normal(0, 4, d.data.shape), labels,
                 method="exact", progress=False, name="noisy")
images = (d.images * 16).clip(0, 255).astype(np.uint8)
"""
# a kernel thread that runs the Python the test writes to cmd.py (the "set from Python" step)
WATCH = """
import builtins, pathlib, threading, time
builtins._kstar_scope = {"w": w}  # re-running the cell points the one watcher at the new w
def _watch():
    p = pathlib.Path("cmd.py")
    while True:
        if p.exists():
            code = p.read_text(); p.unlink()
            exec(code, builtins._kstar_scope)
        time.sleep(0.2)
if not hasattr(builtins, "_kstar_watcher"):
    builtins._kstar_watcher = threading.Thread(target=_watch, daemon=True)
    builtins._kstar_watcher.start()
w.observe(lambda c: open("selected.txt", "w").write(repr(c["new"])), "selected_concept")
w.observe(lambda c: open("samples.txt", "w").write(repr(c["new"])), "selected_samples")
"""


def results():
    """The same results the notebook computes (deterministic), for the expected texts."""
    scope: dict = {}
    exec(SETUP, scope)
    return scope


def require_browser():
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


def new_page(browser, width=1400, height=1200):
    """A page that records JS errors (console errors and uncaught exceptions)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(f"{m.text} @ {m.location.get('url')}") if m.type == "error" else None
        ),
    )
    page.on(
        "pageerror",
        lambda e: None if shell_noise(e) else errors.append(f"{e} {(e.stack or '')[:600]}"),
    )
    return page, errors


def shell_noise(error) -> bool:
    """Notebook 7's own settings registry throws this with a fresh settings dir, widgets or not."""
    return "reading 'schema'" in str(error) and "/static/notebook/notebook_core" in (
        error.stack or ""
    )


def write_notebook(path: Path, cells) -> None:
    """A notebook of code cells (source strings), not yet run, with a python3 kernel."""
    import json

    cells = [
        {
            "id": f"cell-{i}",
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": source,
        }
        for i, source in enumerate(cells)
    ]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}
    Path(path).write_text(json.dumps(nb))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}; last value {value!r}")


def start_server(cmd, port, tmp_path, cwd, probe="/api/status?token=T"):
    """Start a server, wait until it answers; returns the process (stop it with stop())."""
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    proc.log = log
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2)
            return proc
        except OSError as exc:
            if time.time() > deadline or proc.poll() is not None:
                stop(proc)
                raise RuntimeError(
                    "server did not start:\n" + (tmp_path / "server.log").read_text()[-3000:]
                ) from exc
            time.sleep(0.5)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    proc.log.close()


def jupyter_cmd(port, tmp_path, root):
    return [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=T",
        f"--LabApp.workspaces_dir={tmp_path / 'ws'}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--ServerApp.root_dir={root}", "--allow-root",
    ]  # fmt: skip


STARTED_JS = """() => [...document.querySelectorAll('.jp-InputArea-prompt')]
    .some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"""
# the notebook's kernel is connected and idle, as its toolbar shows it (JupyterLab 4 and
# Notebook 7): the execution indicator reads 'idle' AND a kernel is named. The indicator also
# reads 'idle' for a moment before the session starts, with "No Kernel" beside it; Run All
# clicked then runs nothing.
KERNEL_READY_JS = """() => {
  const status = [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator')]
      .map((e) => e.dataset.status);
  const name = document.querySelector('.jp-Toolbar-kernelName')?.textContent.trim() ?? '';
  return status.length > 0 && status.every((s) => s === 'idle') && name !== ''
      && name !== 'No Kernel';
}"""
KERNEL_SHOWN_JS = """() => ({
  status: [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator')]
      .map((e) => e.dataset.status),
  kernel: document.querySelector('.jp-Toolbar-kernelName')?.textContent.trim() ?? null,
  dialog: document.querySelector('.jp-Dialog')?.innerText ?? null,
  prompts: [...document.querySelectorAll('.jp-InputArea-prompt')].map((e) => e.textContent),
})"""


MARIMO_APP = """import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
{body}
    view = mo.ui.anywidget(w)
    view
    return


if __name__ == "__main__":
    app.run()
"""


def marimo_app(*code) -> str:
    """A marimo app of one cell: the pieces of ``code`` (which leave the explorer in ``w``),
    then the explorer shown through ``mo.ui.anywidget``."""
    lines = "\n".join(c.strip() for c in code).splitlines()
    return MARIMO_APP.format(body="\n".join("    " + x if x.strip() else "" for x in lines))


def open_notebook(page, url):
    """Open a notebook in JupyterLab or Notebook 7, accept a kernel dialog if one shows and
    wait (up to 60 s, not failing) for the kernel to be idle; run_all then checks it is."""
    page.goto(url)
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_timeout(1500)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    if accept.count():
        accept.first.click()
    with contextlib.suppress(Exception):
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )


def run_all(page, kernel_timeout=180):
    """Wait until the notebook's kernel is connected and idle, then Run > Run All Cells once.

    Fails (no second click) if the kernel never becomes ready or no cell starts."""
    try:
        page.wait_for_function(KERNEL_READY_JS, timeout=kernel_timeout * 1000)
    except Exception:
        raise AssertionError(
            f"the notebook's kernel was not connected and idle after {kernel_timeout} s; "
            f"the page shows {page.evaluate(KERNEL_SHOWN_JS)}"
        ) from None
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    try:
        page.wait_for_function(STARTED_JS, timeout=60_000)
    except Exception:
        raise AssertionError(
            "Run > Run All Cells started no cell within 60 s of one click on an idle kernel; "
            f"the page shows {page.evaluate(KERNEL_SHOWN_JS)}"
        ) from None


# the last explorer on the page, looking into shadow roots too (marimo renders widgets in one)
LAST_ROOT = """const lastRoot = () => {
  const found = [];
  const walk = (node) => {
    found.push(...node.querySelectorAll('.kstar-root[data-ready]'));
    for (const e of node.querySelectorAll('*')) if (e.shadowRoot) walk(e.shadowRoot);
  };
  walk(document);
  return found[found.length - 1];
};"""
# what the page shows, read from the DOM of the last explorer on the page
SHOWN_JS = (
    """() => {
  """
    + LAST_ROOT
    + """
  const root = lastRoot();
  if (!root) return null;
  const text = (sel) => root.querySelector(sel)?.innerText ?? null;
  const rows = [...root.querySelectorAll('.kstar-detail tbody tr')].map(
      (tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()));
  return {header: text('.kstar-header'), hist: text('.kstar-hist-title'), rows};
}"""
)

# the style sheet reached the explorer (anywidget's _css live, inlined in the report):
# computed styles of the root, a bar and a table header cell
STYLED_JS = (
    """() => {
  """
    + LAST_ROOT
    + """
  const root = lastRoot();
  const style = (el) => (el ? getComputedStyle(el) : null);
  const th = style(root?.querySelector('.kstar-table th'));
  return {
    root: style(root)?.display ?? null,
    bar: style(root?.querySelector('.kstar-bar'))?.display ?? null,
    th: th ? th.backgroundColor : null,
  };
}"""
)


def expect_styled(page):
    """The explorer is laid out by kstar_views.css: flex root and bars, grey table heads."""
    shown = page.evaluate(STYLED_JS)
    assert shown == {"root": "flex", "bar": "flex", "th": "rgb(244, 244, 244)"}, shown


# page coordinates of data point (x, y) in the named Bokeh view of the last explorer;
# for the scatters a number x means "the point of concept x"
PIXEL_JS = (
    """([name, x, y]) => {
  """
    + LAST_ROOT
    + """
  const v = lastRoot().kstarViews[name];
  const f = v.frame;
  v.canvas_view.el.scrollIntoView({block: 'center'});  // clicks land only inside the viewport
  if (y === null) {
    const r = v.model.renderers.find((r) => r.glyph.type === 'Scatter');
    const d = r.data_source.data;
    [x, y] = [d.x[x], d.y[x]];
  }
  const sx = f.x_scale.compute(typeof x === 'string' ? f.x_range.synthetic(x) : x);
  const sy = f.y_scale.compute(typeof y === 'string' ? f.y_range.synthetic(y) : y);
  const r = v.canvas_view.el.getBoundingClientRect();
  return [r.left + sx, r.top + sy];
}"""
)


class Expect:
    """What the views must show for each concept of the driving result (computed in Python)."""

    def __init__(self, scope):
        from kstar_widgets.widgets._payload import lowest_kstar, rank_by_skewness

        self.res, self.noisy = scope["res"], scope["noisy"]
        self.names = [str(c) for c in self.res.concepts.index]
        self.n = self.res.concepts["n"].tolist()
        self.low = lowest_kstar(self.res, N_LOW)["sample"]
        self.rank = rank_by_skewness(self.res.concepts["skewness"].to_numpy())
        self.by_rank = np.argsort(self.rank)

    def rows(self, code):
        return [str(s) for s in self.low[code] if s >= 0]

    def matches(self, shown, code):
        name = self.names[code]
        return (
            shown is not None
            and shown["header"].startswith(name + " ")
            and f"n {self.n[code]}" in shown["header"]
            and shown["hist"] == f"k* of {name} in exact ({self.n[code]} samples)"
            and [r[0] for r in shown["rows"]] == self.rows(code)
        )


def expect_shown(page, expect, code, what):
    """Wait until header, histogram title and table rows all belong to concept ``code``."""
    try:
        wait_for(lambda: expect.matches(page.evaluate(SHOWN_JS), code), 20, what)
    except AssertionError:
        raise AssertionError(
            f"after {what}: expected concept {expect.names[code]!r} with rows "
            f"{expect.rows(code)}, the page shows {page.evaluate(SHOWN_JS)}"
        ) from None


def run_selections(page, expect, set_from_python, after_matrix=None):
    """Six kinds of selection, same and different row counts; check the page after each."""
    seen = []

    def step(code, what):
        expect_shown(page, expect, code, what)
        seen.append((what, expect.names[code], len(expect.rows(code))))

    top = int(expect.by_rank[0])  # overview: the first row is the most fractured concept
    page.mouse.click(*page.evaluate(PIXEL_JS, ["overview", 0.5, 0]))
    step(top, "overview click")

    # matrix: a cell in the row of a 6-row concept
    m = expect.res.intrusion_matrix().to_numpy()
    row = next(c for c in map(int, expect.by_rank[1:]) if len(expect.rows(c)) == N_LOW)
    col = int(np.argmax(np.where(np.arange(len(m)) == row, -1, m[row])))
    page.mouse.click(*page.evaluate(PIXEL_JS, ["matrix", expect.names[col], expect.names[row]]))
    step(row, "matrix click")
    if after_matrix is not None:  # the cell's samples, as the kernel holds them
        after_matrix(
            np.flatnonzero(
                (expect.res.codes == row) & (expect.res.codes[expect.res.intruder] == col)
            )
        )

    # comparison scatter: the 6-row concept whose point stands farthest from the others
    # (6 rows again: the same row count as the matrix's concept)
    pts = np.array([page.evaluate(PIXEL_JS, ["compare", c, None]) for c in range(len(m))])
    gap = np.linalg.norm(pts[:, None] - pts[None], axis=2) + np.eye(len(m)) * 1e9
    ok = [
        c
        for c in range(len(m))
        if c != row and len(expect.rows(c)) == N_LOW and expect.rank[c] < len(m) - 1
    ]
    point = max(ok, key=lambda c: gap[c].min())
    page.mouse.click(*pts[point])
    step(point, "comparison-scatter click")

    r = min(int(expect.rank[point]) + 1, len(m) - 1)  # the last concept has no next
    page.locator(".kstar-root .kstar-next").last.click()
    step(int(expect.by_rank[r]), "next ▶")
    page.locator(".kstar-root .kstar-prev").last.click()
    step(int(expect.by_rank[max(r - 1, 0)]), "◀ previous")

    rare = expect.names.index("rare")  # 4 rows after 6
    box = page.locator(".kstar-root .kstar-find").last
    box.fill("rare")
    box.press("Enter")
    step(rare, "find box")

    set_from_python("w.selected_concept = 3")  # an int whose str() is the label '3'; 6 rows
    step(expect.names.index("3"), "set from Python")
    return seen


# the islands section of the last explorer: title, rows (cell texts), picked rows, texts
ISLANDS_JS = (
    """() => {
  """
    + LAST_ROOT
    + """
  const box = lastRoot()?.querySelector('.kstar-islands');
  if (!box || box.hidden) return null;
  const rows = [...box.querySelectorAll('.kstar-islands-table tbody tr')];
  return {
    title: box.querySelector('.kstar-islands-title')?.innerText ?? null,
    text: box.innerText,
    rows: rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
    picked: rows.filter((tr) => tr.classList.contains('kstar-picked')).map((tr) => tr.dataset.island),
  };
}"""
)


def island_members(res, code):
    """Members of each island of concept ``code`` (island 0 first), from the result itself."""
    here = res.codes == code
    return [np.flatnonzero(here & (res.island == i)) for i in range(res.island[here].max() + 1)]


def expected_islands(res, result_name, name, code):
    """The islands title and the first cells (id, size) of each listed row, for ``res``."""
    members = island_members(res, code)
    largest = max(len(m) for m in members) / int((res.codes == code).sum())
    title = (
        f"Islands of {name} in {result_name}: {len(members)} "
        f"(largest holds {int(np.floor(100 * largest + 0.5))}% of the samples)"
    )
    return title, [[str(i), str(len(m))] for i, m in enumerate(members[:12])]


def between_text(res, names, members):
    """The 'between' cell: the top three concepts of the members' intruders, with counts."""
    intr = res.intruder[members]
    codes = res.codes[intr[intr >= 0]]
    counts = np.bincount(codes, minlength=len(names))
    top = sorted((c for c in range(len(names)) if counts[c]), key=lambda c: (-counts[c], c))[:3]
    return ", ".join(f"{names[c]} ×{counts[c]}" for c in top) or "none (censored)"


def expect_islands(page, res, result_name, names, code, what):
    """Wait until the islands section shows concept ``code`` of ``res``: title, rows, between."""
    title, rows = expected_islands(res, result_name, names[code], code)
    members = island_members(res, code)
    between = [between_text(res, names, m) for m in members[:12]]

    def ok():
        shown = page.evaluate(ISLANDS_JS)
        return (
            shown is not None
            and shown["title"] == title
            and [r[:2] for r in shown["rows"]] == rows
            and [r[4] for r in shown["rows"]] == between
        )

    try:
        wait_for(ok, 20, what)
    except AssertionError:
        raise AssertionError(
            f"after {what}: expected {title!r} rows {rows} between {between}; "
            f"the page shows {page.evaluate(ISLANDS_JS)}"
        ) from None
    return page.evaluate(ISLANDS_JS)
