"""Screenshots of the views into docs/img/: the saved report, and the explorer in JupyterLab.

    .venv/bin/python benchmarks/screenshots.py [--out docs/img] [--no-approx] [--no-lab]
                                               [--islands-only]

Digits (sklearn, offline): exact k* on raw pixels, approximate k* (pynndescent,
~60 s of numba compilation on first use), and exact k* in an 8-dimensional PCA
space as a second "model". Writes report.png and one picture per view from the
report, explorer-islands.png (the islands section of the concept with the most
islands, one island selected, at 1280x800), report-long-names.png (the digits renamed to
100+ character names, one holding U+202E and one Hebrew, at 1280x800), then lab_1280x800.png (file browser open) and lab_1920x1080.png from a live
JupyterLab, and prints any panel whose right edge passes its output area (a cut
view). Needs /usr/bin/chromium and python playwright.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from browser_helpers import (  # noqa: E402  (the browser tests' chromium flags and server)
    ARGS,
    CHROMIUM,
    LONG_NAMES,
    free_port,
    jupyter_cmd,
    start_server,
    stop,
    write_notebook,
)

VIEWS = {
    "overview": ".kstar-view-overview",
    "detail": ".kstar-view-detail",
    "matrix": ".kstar-view-matrix",
    "exact_vs_approx": ".kstar-view-exact-approx",
    "comparison": ".kstar-view-compare",
    "summary": ".kstar-view-summary",
}
SETUP = """import numpy as np, kstar_widgets as kw
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
d = load_digits()
images = (d.images * 16).clip(0, 255).astype(np.uint8)
results = {"exact": kw.kstar(d.data, d.target, method="exact", progress=False)}
if WITH_APPROX:
    results["approx"] = kw.kstar(d.data, d.target, method="approx", random_state=0, progress=False)
pca = PCA(8, random_state=0).fit_transform(d.data)
results["pca8"] = kw.kstar(pca, d.target, method="exact", progress=False, name="pca8")
"""
# panels whose right edge passes the edge of what holds the explorer (cut off)
CUT_JS = """() => {
  const root = document.querySelector('.kstar-root[data-ready]');
  const box = (root.closest('.jp-OutputArea-output') ?? document.body).getBoundingClientRect();
  const parts = [...root.querySelectorAll('.kstar-panel, .kstar-bar, .kstar-controls, .kstar-legend, .kstar-header')];
  const past = parts.filter((e) => e.getBoundingClientRect().right > box.right + 1)
    .map((e) => `${e.className}: right ${Math.round(e.getBoundingClientRect().right)} > ${Math.round(box.right)}`);
  const over = [...root.querySelectorAll('.kstar-panel > *, .kstar-panel table')]
    .filter((e) => e.getBoundingClientRect().right > e.closest('.kstar-panel').getBoundingClientRect().right + 1)
    .map((e) => `${e.tagName}.${e.className} overflows its panel`);
  return [...past, ...over];
}"""


def shoot_report(browser, out: Path, page_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    page.goto(page_path.as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    page.locator(".kstar-next").click()  # select the most fractured concept
    page.wait_for_timeout(800)
    page.mouse.move(5, 5)  # no tooltip in the pictures
    page.screenshot(path=str(out / "report.png"), full_page=True)
    print(out / "report.png", "cut:", page.evaluate(CUT_JS))
    for file, selector in VIEWS.items():
        if page.locator(selector).count():
            page.locator(selector).screenshot(path=str(out / f"{file}.png"))
            print(out / f"{file}.png")
    page.close()


def shoot_islands(browser, out: Path, page_path: Path, result: str):
    """The detail panel's islands section at 1280x800: the concept with most islands, row 1 picked."""
    page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page.goto(page_path.as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    page.evaluate(f"() => kstarModel.set('driver', {json.dumps(result)})")
    page.evaluate(
        """() => { const r = kstarModel.get('payload').results.find((r) => r.name === kstarModel.get('driver'));
                   const b = r.islands.count.buffer.$buffer, n = Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
                   const count = new Int32Array(n.buffer); let best = 0;
                   count.forEach((c, i) => { if (c > count[best]) best = i; });
                   kstarModel.set('concept_index', best); }"""
    )
    page.locator(".kstar-islands-table tbody tr").nth(1).click()
    page.evaluate(
        "() => document.querySelector('.kstar-islands').scrollIntoView({block: 'center'})"
    )
    page.mouse.move(5, 5)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "explorer-islands.png"))
    print(out / "explorer-islands.png", "cut:", page.evaluate(CUT_JS))
    page.close()


def shoot_long_names(browser, out: Path, scope: dict):
    """The report with the digits renamed as tests/widgets/test_browser_names.py does (one
    list, browser_helpers.LONG_NAMES), the
    concept with the U+202E name selected, at 1280x800: report-long-names.png."""
    import numpy as np

    kw, d = scope["kw"], scope["d"]
    res = kw.kstar(d.data, np.array(LONG_NAMES, dtype=object)[d.target], method="exact",
                   progress=False)  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "names.html"
    kw.report(res, path, images=scope["images"], title="k* of sklearn digits, long names")
    page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page.goto(path.as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    code = list(res.concepts.index).index(LONG_NAMES[3])
    page.evaluate(f"() => kstarModel.set('concept_index', {code})")
    page.wait_for_timeout(500)
    page.mouse.move(5, 5)
    page.screenshot(path=str(out / "report-long-names.png"))
    print(out / "report-long-names.png", "cut:", page.evaluate(CUT_JS))
    page.close()


def shoot_lab(browser, out: Path, with_approx: bool):
    """The explorer in a live JupyterLab at 1280x800 (file browser open) and 1920x1080."""
    tmp = Path(tempfile.mkdtemp())
    root = tmp / "root"
    root.mkdir()
    cells = [
        f"WITH_APPROX = {with_approx}\n" + SETUP,
        "w = kw.explore(results, images=images)\nw",
    ]
    write_notebook(root / "explorer.ipynb", cells)
    port = free_port()
    proc = start_server(jupyter_cmd(port, tmp, root), port, tmp, root)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"http://127.0.0.1:{port}/lab/workspaces/shots/tree/explorer.ipynb?reset&token=T")
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        page.wait_for_timeout(3000)
        if page.locator(".jp-Dialog .jp-mod-accept").count():
            page.locator(".jp-Dialog .jp-mod-accept").first.click()
        if not page.locator("#filebrowser").is_visible():  # the file browser must be open
            page.locator("li[data-id='filebrowser']").click()
        for _ in range(3):
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
            try:
                page.wait_for_selector(".kstar-root[data-ready]", timeout=240_000)
                break
            except Exception:
                page.keyboard.press("Escape")
        page.locator(".kstar-next").click()
        no_news = page.get_by_role("button", name="No", exact=True)
        if no_news.count():  # the "Jupyter news" toast would cover the views
            no_news.first.click()
        page.wait_for_timeout(1000)
        for width, height in ((1280, 800), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(1000)
            page.locator(".kstar-root").scroll_into_view_if_needed()
            page.evaluate(
                "() => document.querySelector('.kstar-root').scrollIntoView({block: 'start'})"
            )
            page.mouse.move(5, height - 5)
            page.wait_for_timeout(500)
            path = out / f"lab_{width}x{height}.png"
            page.screenshot(path=str(path))
            print(path, "file browser open:", page.locator("#filebrowser").is_visible(),
                  "cut:", page.evaluate(CUT_JS))  # fmt: skip
    finally:
        stop(proc)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/img")
    parser.add_argument("--no-approx", action="store_true", help="skip the approximate result")
    parser.add_argument("--no-lab", action="store_true", help="only the report's pictures")
    parser.add_argument(
        "--islands-only", action="store_true", help="only explorer-islands.png (implies --no-lab)"
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scope = {"WITH_APPROX": not args.no_approx}
    exec(SETUP, scope)
    page_path = Path(tempfile.mkdtemp()) / "report.html"
    scope["kw"].report(
        scope["results"], page_path, images=scope["images"], title="k* of sklearn digits"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        if not args.islands_only:
            shoot_report(browser, out, page_path)
        shoot_islands(browser, out, page_path, "pca8")
        if not args.islands_only:
            shoot_long_names(browser, out, scope)
        if not (args.no_lab or args.islands_only):
            shoot_lab(browser, out, not args.no_approx)
        browser.close()


if __name__ == "__main__":
    main()
