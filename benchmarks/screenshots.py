"""Screenshots of each view into docs/img/, from the saved HTML report in headless chromium.

    .venv/bin/python benchmarks/screenshots.py [--out docs/img] [--no-approx]

Digits (sklearn, offline): exact k* on raw pixels, approximate k* (pynndescent,
~60 s of numba compilation on first use), and exact k* in an 8-dimensional PCA
space as a second "model". Needs /usr/bin/chromium and python playwright.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWS = {
    "overview": "view_overview",
    "detail": "view_detail",
    "matrix": "view_matrix",
    "exact_vs_approx": "view_exact_approx",
    "comparison": "view_compare",
}
FIND_JS = """(name) => {
  const find = (v, m) => {
    if (v.model === m) return v;
    for (const c of v.child_views ?? []) { const r = find(c, m); if (r) return r; }
    return null;
  };
  for (const root of Object.values(window.Bokeh.index)) {
    const m = root.model.document.get_model_by_name(name);
    const v = m && find(root, m);
    if (!v) continue;
    if (v.frame) {
      const r = v.canvas_view.el.getBoundingClientRect();
      return [r.left + v.frame.x_scale.compute(0.5), r.top + v.frame.y_scale.compute(-0.45)];
    }
    const r = v.el.getBoundingClientRect();
    return [r.left, r.top, r.width, r.height];
  }
  return null;
}"""


def results(with_approx: bool):
    """Exact, approximate and PCA-8 k* of sklearn's digits, and the images."""
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA

    import kstar_widgets as kw

    d = load_digits()
    out = {"exact": kw.kstar(d.data, d.target, method="exact", progress=False)}
    if with_approx:
        out["approx"] = kw.kstar(d.data, d.target, method="approx", random_state=0, progress=False)
    pca = PCA(8, random_state=0).fit_transform(d.data)
    out["pca8"] = kw.kstar(pca, d.target, method="exact", progress=False, name="pca8")
    return out, (d.images * 16).clip(0, 255).astype(np.uint8)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/img")
    parser.add_argument(
        "--no-approx", action="store_true", help="skip the approximate result (no numba JIT)"
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    import kstar_widgets as kw

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    res, images = results(not args.no_approx)
    page_path = Path(tempfile.mkdtemp()) / "report.html"
    kw.report(res, page_path, images=images, title="k* of sklearn digits")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400}, device_scale_factor=1)
        page.goto(page_path.as_uri())
        page.wait_for_selector("canvas")
        page.wait_for_function("() => window.Bokeh && Object.keys(window.Bokeh.index).length > 0")
        page.wait_for_timeout(1000)
        page.mouse.click(*page.evaluate(FIND_JS, "overview"))  # select the most fractured concept
        page.mouse.move(5, 1390)  # no tooltip in the pictures
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "report.png"), full_page=True)
        for file, name in VIEWS.items():
            box = page.evaluate(FIND_JS, name)
            if box is None:
                continue
            x, y, w, h = box
            page.screenshot(
                path=str(out / f"{file}.png"),
                full_page=True,
                clip={"x": x, "y": y, "width": max(w, 10), "height": max(h, 10)},
            )
            print(out / f"{file}.png")
        browser.close()


if __name__ == "__main__":
    main()
