"""The explorer's layout: a grid of panels side by side where they fit (JupyterLab at 1280x800
with its file browser open), captions wrapped inside their panel, "(scroll for more)" only
when rows are hidden; and the intrusion matrix at 1,000 concepts, which shows the selected
concept's row and an "other concepts" column.

Texts are read with textContent after scrolling their element into view. Needs Debian's
chromium and Python playwright (skipped without them unless KSTAR_REQUIRE_BROWSER=1).
"""

from pathlib import Path

import numpy as np
import pytest
from browser_helpers import (
    SETUP,
    new_page,
    open_notebook,
    run_all,
)

from kstar_widgets.widgets._payload import from_buffer, matrix_cells, matrix_concepts


@pytest.fixture(scope="module")
def many():
    """1,000 concepts of 5 samples each in 8 dimensions: the matrix shows 40 of them."""
    import kstar_widgets as kw

    rng = np.random.default_rng(0)
    labels = np.repeat([f"concept {i:04d}" for i in range(1000)], 5)
    return kw.kstar(rng.normal(size=(5000, 8)), labels, method="exact", progress=False)


def test_matrix_cells_hold_every_row_and_the_rest_of_each_row(many):
    """Every concept's row over the shown columns, and its intruders from the others."""
    shown = matrix_concepts(many, 40)
    cells = matrix_cells(many, shown)
    m = many.intrusion_matrix().to_numpy()
    row, col, count = (from_buffer(cells[k]) for k in ("row", "col", "count"))
    other = from_buffer(cells["other"])
    full = np.zeros_like(m)
    np.add.at(full, (row, col), count)
    assert np.array_equal(full[:, shown], m[:, shown])
    assert np.array_equal(full.sum(axis=1) + other, m.sum(axis=1))
    assert np.array_equal(other, np.delete(m, shown, axis=1).sum(axis=1))


MATRIX_JS = """() => {
  const root = document.querySelector('.kstar-root');
  const title = root.querySelector('.kstar-matrix-title');
  title.scrollIntoView({block: 'center'});
  const v = root.kstarViews.matrix.model;
  const r = v.renderers.find((r) => r.glyph.type === 'Rect').data_source.data;
  return {title: title.textContent, x: [...v.x_range.factors], y: [...v.y_range.factors],
          cells: [...r.y].map((y, i) => [y, r.x[i], r.count[i]])};
}"""


@pytest.mark.browser
def test_matrix_at_1000_concepts_shows_the_selected_row_and_other_concepts(browser, many, tmp_path):
    import kstar_widgets as kw

    path = Path(kw.report(many, tmp_path / "many.html"))
    names = [str(c) for c in many.concepts.index]
    shown = set(matrix_concepts(many, 40).tolist())
    # a concept outside the 40 most fractured, whose intruders are all outside them too
    m = many.intrusion_matrix().to_numpy()
    code = next(c for c in range(1000) if c not in shown and m[c, sorted(shown)].sum() == 0)
    page, errors = new_page(browser, width=1280, height=800)
    page.goto(path.as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    page.evaluate(f"() => kstarModel.set('concept_index', {code})")
    page.wait_for_timeout(300)
    got = page.evaluate(MATRIX_JS)
    assert "the 40 most fractured of 1000 concepts" in got["title"], got["title"]
    assert "other concepts" in got["title"], got["title"]
    assert got["x"][-1] == "other concepts" and len(got["x"]) == 41
    label = names[code]  # as the canvas shows it
    assert label in got["y"] and len(got["y"]) == 41, got["y"]
    # the selected row holds all its intruders (5 samples: one first intruder each)
    row = [c for c in got["cells"] if c[0] == label]
    assert sum(c[2] for c in row) == 5 and row[-1][1] == "other concepts", row
    # no empty rows: every row's counts add up to its concept's size
    per_row = {}
    for y, _, k in got["cells"]:
        per_row[y] = per_row.get(y, 0) + k
    assert sorted(per_row) == sorted(got["y"]) and set(per_row.values()) == {5}
    assert not errors, errors


NOTEBOOK = "layout.ipynb"  # the notebook of the `lab` fixture (tests/conftest.py)
LAB_URL = f"/lab/workspaces/layout/tree/{NOTEBOOK}?reset&token=T"
CELLS = [SETUP, "w = kw.explore({'exact': res, 'noisy': noisy}, images=images)\nw"]

# where the panels of the explorer sit, read after scrolling each into view
LAYOUT_JS = """() => {
  const root = document.querySelector('.kstar-root[data-ready]');
  const out = root.closest('.jp-OutputArea-output').getBoundingClientRect();
  const grid = root.querySelector('.kstar-view-overview').parentElement;
  const box = (sel) => {
    const e = root.querySelector(sel);
    e.scrollIntoView({block: 'center'});
    const r = e.getBoundingClientRect();
    const g = grid.getBoundingClientRect();  // measured together: the notebook scrolls
    return {left: r.left, right: r.right, top: r.top - g.top, width: r.width,
            text: e.textContent};
  };
  const panels = [...root.querySelectorAll('.kstar-panel')].map((e) => e.className);
  return {display: getComputedStyle(grid).display, outRight: out.right, panels,
          overview: box('.kstar-view-overview'), detail: box('.kstar-view-detail'),
          compare: box('.kstar-view-compare'), rho: box('.kstar-view-compare > .kstar-note'),
          title: box('.kstar-overview-title'),
          right: Math.max(...[...root.querySelectorAll('.kstar-panel')]
                             .map((e) => e.getBoundingClientRect().right))};
}"""


@pytest.mark.browser
def test_lab_1280x800_with_the_file_browser_is_a_grid_of_panels(browser, lab):
    port, _root = lab
    page, errors = new_page(browser, width=1280, height=800)
    open_notebook(page, f"http://127.0.0.1:{port}{LAB_URL}")
    if not page.locator("#filebrowser").is_visible():  # the file browser open, as people work
        page.locator("li[data-id='filebrowser']").click()
    assert page.locator("#filebrowser").is_visible()
    run_all(page)
    page.wait_for_selector(".kstar-root[data-ready]", timeout=180_000)
    page.locator(".kstar-root .kstar-next").click()  # a concept selected: details shown
    page.wait_for_timeout(800)
    got = page.evaluate(LAYOUT_JS)
    assert got["display"] == "grid", got
    o, d, c, rho = got["overview"], got["detail"], got["compare"], got["rho"]
    assert abs(o["top"] - d["top"]) < 2 and d["left"] >= o["right"], (o, d)  # side by side
    # the caption under the scatter wraps inside its panel: the panel is one grid column,
    # as wide as the overview's, and the caption no wider than the panel
    assert abs(c["width"] - o["width"]) < 2, (c, o)
    assert rho["right"] <= c["right"] + 1 and "Spearman correlation" in rho["text"]
    assert got["right"] <= got["outRight"] + 1, got  # no panel cut off at the output's edge
    # 10 concepts, 28 rows: none hidden, so no "(scroll for more)"
    assert "scroll for more" not in got["title"]["text"], got["title"]
    assert got["title"]["text"].startswith("k* per concept in exact, sorted by Γ")
    assert not errors, errors
