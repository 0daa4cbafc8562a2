"""The live views never show a number or a selection of another state, in both hosts.

One person's sequence of interactions (``interact``) runs in the live widget (JupyterLab,
the kernel behind it) and in the saved report (no kernel); after each step the rendered
text must be what Python expects, and the two hosts must show the same. The threshold
test moves the slider and reads the pattern confidence in the header.
"""

from pathlib import Path

import numpy as np
import pytest
from browser_helpers import LAST_ROOT, PIXEL_JS, Expect, new_page, results, wait_for
from test_browser_widgets import CELLS, NOTEBOOK, _open_and_run  # noqa: F401 (read by the lab fixture)

import kstar_widgets as kw
from kstar_widgets.widgets import _payload

pytestmark = pytest.mark.browser

# what a person reads after each step: the concept in the header, the selection line, the
# highlighted table rows, the matrix cell outlined, the find box and the note beside it
READ_JS = (
    """() => {
  """
    + LAST_ROOT
    + """
  const root = lastRoot();
  const text = (sel) => root.querySelector(sel)?.textContent ?? null;
  const m = root.kstarViews.matrix.model.renderers.find((r) => r.glyph.type === 'Rect');
  const d = m.data_source.data;
  return {
    concept: (text('.kstar-header b') ?? ''),
    selection: text('.kstar-selection'),
    picked: [...root.querySelectorAll('.kstar-detail tbody tr.kstar-picked')].map(
      (tr) => tr.dataset.sample),
    outline: m.data_source.selected.indices.map((i) => [d.y[i], d.x[i]]),
    find: root.querySelector('.kstar-find').value,
    note: text('.kstar-find-note'),
  };
}"""
)


@pytest.fixture(scope="module")
def expect():
    return Expect(results())


def _plan(expect):
    """The steps and what each must show: a matrix cell, two names that are no concept's,
    an overview click on another concept, the find box, ▶."""
    res, names = expect.res, expect.names
    m = res.intrusion_matrix().to_numpy()
    row = next(c for c in map(int, expect.by_rank[1:]) if len(expect.rows(c)) == 6)
    col = int(np.argmax(np.where(np.arange(len(m)) == row, -1, m[row])))
    hits = np.flatnonzero((res.codes == row) & (res.codes[res.intruder] == col))
    top = int(expect.by_rank[0])
    found = next(c for c in map(int, expect.by_rank[2:-1]) if c not in (row, top))
    after = int(expect.by_rank[expect.rank[found] + 1])

    def shown(code, selection="", picked=(), outline=(), find="", note=""):
        return {
            "concept": names[code], "selection": selection, "picked": list(picked),
            "outline": [list(o) for o in outline], "find": find, "note": note,
        }  # fmt: skip

    cell = shown(
        row,
        f"selected: {len(hits)} samples of {names[row]} whose intruder is of {names[col]} "
        "(matrix cell)",
        [s for s in expect.rows(row) if int(s) in set(hits.tolist())],
        [(names[row], names[col])],
    )
    return {
        "row": row, "col": col, "hits": hits, "found": names[found],
        "steps": [
            ("matrix cell", cell),
            ("find 'seven'", {**cell, "find": "seven", "note": "no concept named “seven”"}),
            ("find '12'", {**cell, "find": "12", "note": "no concept named “12”"}),
            ("overview click", shown(top)),
            ("find a name", shown(found)),
            ("next ▶", shown(after)),
        ],
    }  # fmt: skip


def interact(page, expect, on_step=None):
    """The same interactions in any host; waits until each step shows what it must (the live
    widget answers through the kernel) and returns what the page showed after each."""
    plan = _plan(expect)
    names = expect.names
    box = page.locator(".kstar-root .kstar-find").last

    def find(name):
        box.fill(name)
        box.press("Enter")

    actions = {
        "matrix cell": lambda: page.mouse.click(
            *page.evaluate(PIXEL_JS, ["matrix", names[plan["col"]], names[plan["row"]]])
        ),
        "find 'seven'": lambda: find("seven"),
        "find '12'": lambda: find("12"),
        "overview click": lambda: page.mouse.click(*page.evaluate(PIXEL_JS, ["overview", 0.5, 0])),
        "find a name": lambda: find(plan["found"]),
        "next ▶": lambda: page.locator(".kstar-root .kstar-next").last.click(),
    }
    seen = []
    for what, want in plan["steps"]:
        actions[what]()
        try:
            wait_for(lambda w=want: page.evaluate(READ_JS) == w, 20, what)
        except AssertionError:
            raise AssertionError(
                f"after {what}: expected {want}, the page shows {page.evaluate(READ_JS)}"
            ) from None
        seen.append((what, page.evaluate(READ_JS)))
        if on_step:
            on_step(what, plan)
    return seen


def _report_page(browser, tmp_path, **options):
    scope = results()
    path = kw.report(
        {"exact": scope["res"], "noisy": scope["noisy"]},
        tmp_path / "report.html",
        images=scope["images"],
        **options,
    )
    page, errors = new_page(browser)
    page.goto(Path(path).as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    return page, errors


def test_report_and_live_widget_show_the_same_after_the_same_interactions(
    browser,
    lab,
    expect,
    tmp_path,
):
    page, errors = _report_page(browser, tmp_path)
    in_report = interact(page, expect)
    # the report's model holds what the kernel would: the cell's samples, then none
    assert page.evaluate("() => kstarModel.get('selected_samples')") == []

    port, root = lab
    live, live_errors = new_page(browser)
    _open_and_run(live, f"http://127.0.0.1:{port}/lab/workspaces/live/tree/explore.ipynb"
                  "?reset&token=T", root)  # fmt: skip
    samples = root / "samples.txt"

    def in_kernel(what, plan):  # widget.selected_samples, as the kernel holds it
        want = plan["hits"].tolist() if what == "matrix cell" else []
        if what in ("matrix cell", "overview click"):
            wait_for(
                lambda: samples.exists() and samples.read_text() == repr(want),
                20,
                f"selected_samples in the kernel after {what}",
            )

    in_lab = interact(live, expect, in_kernel)
    assert in_lab == in_report
    assert not errors and not live_errors, errors + live_errors


def _header(page):
    return page.evaluate("() => document.querySelector('.kstar-header').textContent")


def _confidence_case(res):
    """The concept whose pattern confidence differs most between t = 0.5 and t = 1.7."""
    at = {t: res.with_threshold(t).concepts["pattern_confidence"].to_numpy() for t in (0.5, 1.7)}
    pct = {t: np.floor(100 * np.nan_to_num(c, nan=-1) + 0.5) for t, c in at.items()}
    code = int(np.argmax(np.abs(pct[1.7] - pct[0.5])))
    assert pct[1.7][code] != pct[0.5][code]
    return code, {t: int(p[code]) for t, p in pct.items()}


def _move_threshold(page, value):
    page.locator(".kstar-threshold").fill(value)  # the slider, as a person drags it
    assert page.locator(".kstar-t").text_content() == value


def test_report_confidence_follows_the_threshold_slider(browser, expect, tmp_path):
    res = expect.res
    code, pct = _confidence_case(res)
    name = expect.names[code]
    page, errors = _report_page(browser, tmp_path)
    box = page.locator(".kstar-find")
    box.fill(name)
    box.press("Enter")
    assert f"(confidence {pct[0.5]}%)" in _header(page), _header(page)
    _move_threshold(page, "1.70")
    header = _header(page)
    pattern = kw.classify([float(np.float32(res.concepts["skewness"].iloc[code]))], 1.7)[0]
    assert f"{pattern}(confidence {pct[1.7]}%)" in header.replace(" (", "("), header
    assert f"confidence {pct[0.5]}%" not in header, header
    assert not errors, errors


def test_report_without_replicates_says_where_confidence_is_known(
    browser, expect, tmp_path, monkeypatch
):
    monkeypatch.setattr(_payload, "REPLICATE_BYTES", 0)  # as for too many concepts
    code, pct = _confidence_case(expect.res)
    page, errors = _report_page(browser, tmp_path, selected_concept=expect.names[code])
    assert f"(confidence {pct[0.5]}%)" in _header(page)  # Python's, at the result's own t
    _move_threshold(page, "1.70")
    header = _header(page)
    assert "(confidence known at t = 0.50 only)" in header and "%" not in header, header
    assert not errors, errors
