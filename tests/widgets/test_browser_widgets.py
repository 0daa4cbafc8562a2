"""Real-browser tests: the explorer in JupyterLab 4, Notebook 7 and marimo, and the saved report.

Each reads the rendered DOM after a sequence of selections made six ways (overview,
matrix, comparison scatter, next/previous, find box, Python), for concepts with the
same and with different numbers of table rows. Needs Debian's chromium
(/usr/bin/chromium) and Python playwright; skipped without them unless
KSTAR_REQUIRE_BROWSER=1 (CI), where a missing browser fails.
"""

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import (
    ISLANDS_JS,
    SETUP,
    SHOWN_JS,
    WATCH,
    Expect,
    expect_islands,
    expect_styled,
    free_port,
    island_members,
    marimo_app,
    new_page,
    open_notebook,
    results,
    run_all,
    run_selections,
    start_server,
    stop,
    wait_for,
)

from kstar_widgets.interpret import figure
from kstar_widgets.utils._format import MINUS, interval, number

pytestmark = pytest.mark.browser

EXPLORE = "w = kw.explore({'exact': res, 'noisy': noisy}, images=images)\n"
CELLS = [SETUP, EXPLORE + WATCH + "w", "w.save('report.html'); print('saved')"]


@pytest.fixture(scope="module")
def expect():
    return Expect(results())


NOTEBOOK = "explore.ipynb"  # the notebook of the `lab` fixture (tests/conftest.py)


URLS = {
    "lab": "/lab/workspaces/kstar-test/tree/explore.ipynb?reset&token=T",  # JupyterLab 4
    "notebook": "/notebooks/explore.ipynb?token=T",  # Notebook 7, same server
}


def _open_and_run(page, url, root):
    """Open the notebook, accept a kernel dialog if one shows, Run All, wait for the views."""
    open_notebook(page, url)
    run_all(page)
    try:
        page.wait_for_selector(".kstar-root[data-ready]", timeout=120_000)
    except Exception:
        page.screenshot(path=str(root.parent / "failure.png"))
        raise AssertionError(
            f"the explorer did not render; page text: {page.inner_text('body')[-1500:]}"
        ) from None


def _python_setter(root):
    def set_from_python(code):
        (root / "cmd.py").write_text(code)

    return set_from_python


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_notebook_views_show_the_selected_concept(browser, lab, expect, ui):
    port, root = lab
    page, errors = new_page(browser)
    _open_and_run(page, f"http://127.0.0.1:{port}{URLS[ui]}", root)
    expect_styled(page)  # anywidget's _css

    def cell_samples(expected):
        path = root / "samples.txt"
        wait_for(
            lambda: path.exists() and path.read_text() == repr(expected.tolist()),
            20,
            f"selected_samples to hold the cell's {len(expected)} samples",
        )

    seen = run_selections(page, expect, _python_setter(root), after_matrix=cell_samples)
    assert {n for _, _, n in seen} == {6, 4}, seen  # same and different row counts
    # the matrix cell's samples belong to its concept: selecting others cleared them
    wait_for(lambda: (root / "samples.txt").read_text() == "[]", 20, "the cell's samples cleared")
    assert wait_for(lambda: (root / "selected.txt").exists(), 10, "the kernel to hear clicks")
    assert (root / "selected.txt").read_text() == "'3'"  # the label, not the int set
    wait_for(lambda: (root / "report.html").exists(), 60, "the last cell to save the report")
    assert page.locator(".kstar-root").count() == 1
    assert not errors, errors


def test_reload_and_second_tab_render_again(browser, lab, expect):
    """Reload with the kernel alive and re-run; then a second tab: the views render, no JS error."""
    port, root = lab
    url = f"http://127.0.0.1:{port}{URLS['lab']}"
    page, errors = new_page(browser)
    _open_and_run(page, url, root)
    page.reload()
    _open_and_run(page, url, root)
    assert page.evaluate(SHOWN_JS)["header"]  # drawn, not an error text
    other, other_errors = new_page(browser)
    _open_and_run(
        other, f"http://127.0.0.1:{port}/lab/workspaces/second/tree/explore.ipynb?token=T", root
    )
    run_selections(other, expect, _python_setter(root))
    # one BokehJS in each page, loaded by the module itself
    assert other.evaluate("() => Object.keys(window.__kstarBokehLoading ?? {}).length") <= 1
    assert other.locator(".kstar-error").count() == 0 and page.locator(".kstar-error").count() == 0
    assert not errors and not other_errors, errors + other_errors


def test_saved_report_shows_the_selected_concept(browser, expect, tmp_path):
    import kstar_widgets as kw

    scope = results()
    path = kw.report(
        {"exact": scope["res"], "noisy": scope["noisy"]},
        tmp_path / "report.html",
        images=scope["images"],
        title="digits",
    )
    html = Path(path).read_text()
    assert "cdn.bokeh.org" not in html and "<script src=" not in html  # nothing fetched
    page, errors = new_page(browser)
    page.goto(Path(path).as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    assert page.inner_text("h1") == "digits" and "k* is the rank" in page.inner_text("p")
    assert "No concept selected" in page.inner_text(".kstar-root")  # empty state, no empty axes
    expect_styled(page)  # the style sheet inlined in the page
    code3 = expect.names.index("3")

    def set_in_page(_code):  # no Python behind a report: the host model is set instead
        page.evaluate(f"() => kstarModel.set('concept_index', {code3})")

    seen = run_selections(page, expect, set_in_page)
    assert {n for _, _, n in seen} == {6, 4}, seen
    # thumbnails sit in the table rows, sample and intruder side by side
    assert page.locator(".kstar-detail tbody tr").first.locator("canvas").count() == 2
    # the threshold re-classifies in the page, by the same rule as kw.classify
    page.evaluate("() => kstarModel.set('threshold', 1.0)")
    fractured = int((kw.classify(scope["res"].skewness, 1.0) == "Fractured").sum())
    assert f"Fractured (Γ > 1.00): {fractured}" in page.inner_text(".kstar-legend")
    # numbers in the notebook's style: a negative Γ with the typographic minus
    code = int(np.argmin(scope["res"].skewness.to_numpy()))
    g = float(scope["res"].skewness.iloc[code])
    page.evaluate(f"() => kstarModel.set('concept_index', {code})")
    header = page.inner_text(".kstar-header")
    assert g < 0 and f"Γ {number(g)}" in header and f"Γ {MINUS}" in header, header
    assert not errors, errors


def test_marimo_views_show_the_selected_concept(browser, expect, tmp_path):
    if shutil.which("marimo", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("marimo is not installed (it is in the dev extra): pip install marimo")
    app = tmp_path / "app.py"
    app.write_text(marimo_app(SETUP, EXPLORE, WATCH))
    port = free_port()
    marimo = str(Path(sys.executable).parent / "marimo")
    cmd = [marimo, "run", str(app), "--headless", "--port", str(port), "--host", "127.0.0.1"]
    proc = start_server(cmd, port, tmp_path, tmp_path, probe="/health")
    try:
        page, errors = new_page(browser)
        page.goto(f"http://127.0.0.1:{port}/")
        try:
            page.wait_for_selector(".kstar-root[data-ready]", timeout=180_000)
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            raise AssertionError(f"no views in marimo: {page.inner_text('body')[-1500:]}") from None
        expect_styled(page)  # anywidget's _css inside marimo's shadow root
        run_selections(page, expect, _python_setter(tmp_path))
        assert not errors, errors
    finally:
        stop(proc)


def test_report_views_follow_the_driver_and_show_intervals(browser, tmp_path):
    """Result buttons switch every view and its title; Γ intervals and confidence when present."""
    import dataclasses

    import numpy as np

    import kstar_widgets as kw

    scope = results()
    res = scope["res"]
    c = res.concepts.copy()
    c["skewness_ci_low"] = c["skewness"] - 0.25
    c["skewness_ci_high"] = c["skewness"] + 0.5
    c["pattern_confidence"] = 0.92
    # made-up intervals, without replicates (from which the page would compute its own)
    trusted = dataclasses.replace(res, concepts=c, replicates=None)
    # a result without intervals (as from an older version): the header must not invent one
    optional = ["skewness_ci_low", "skewness_ci_high", "pattern_confidence"]
    bare = dataclasses.replace(
        scope["noisy"], concepts=scope["noisy"].concepts.drop(columns=optional), replicates=None
    )
    path = kw.report({"exact": trusted, "noisy": bare}, tmp_path / "r.html")
    page, errors = new_page(browser)
    page.goto(Path(path).as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    code = list(c.index).index("3")
    page.evaluate(f"() => kstarModel.set('concept_index', {code})")
    g, lo, hi = (float(c.loc["3", k]) for k in ("skewness", "skewness_ci_low", "skewness_ci_high"))
    header = page.inner_text(".kstar-header")
    shown = f"Γ {interval(g, lo, hi)}"  # signed ends, as Python writes them
    assert shown in header and "(confidence 92%)" in header, header
    # the whole-space table: mean Γ with its interval, every part as Python writes it
    assert not np.isnan(trusted.summary["mean_skewness_ci_low"])
    table = page.text_content(".kstar-summary")
    assert figure(trusted, "mean_skewness", label=False) in table, table
    kinds = ("overview", "matrix", "compare", "hist")

    def titles():
        return [page.inner_text(f".kstar-{k}-title") for k in kinds]

    before = titles()
    assert all("exact" in t for t in before) and "noisy (y)" in before[2], before
    page.locator(".kstar-drivers button", has_text="noisy").click()
    after = titles()
    assert "noisy" in after[0] and "intrusion matrix of noisy" in after[1], after
    assert after[2].startswith("Γ per concept: noisy (x) vs exact (y)"), after
    assert "in noisy" in after[3] and "result noisy" in page.inner_text(".kstar-header")
    ng = float(scope["noisy"].concepts.loc["3", "skewness"])
    assert f"Γ {number(ng)} ·" in page.inner_text(".kstar-header")  # no interval: none given
    assert "confidence" not in page.inner_text(".kstar-header")
    # the matrix shows the driver's cells: the page's matrix counts are noisy's
    m = scope["noisy"].intrusion_matrix().to_numpy()
    shown = page.evaluate(
        """() => { const v = document.querySelector('.kstar-root').kstarViews.matrix;
                   const r = v.model.renderers.find((r) => r.glyph.type === 'Rect');
                   return Array.from(r.data_source.data.count).reduce((a, b) => a + b, 0); }"""
    )
    assert shown == int(np.sum(m))
    assert not errors, errors


def _island_samples(root, members):
    path = root / "samples.txt"
    wait_for(
        lambda: path.exists() and path.read_text() == repr(members.tolist()),
        20,
        f"selected_samples in the kernel to hold the island's {len(members)} samples",
    )


def test_lab_islands_select_both_ways_and_follow_the_driver(browser, lab, expect):
    """Islands of a fractured concept: rendered sizes and intruding concepts, row click ->
    selected_samples in the kernel, selected_samples from Python -> highlighted row, driver."""
    port, root = lab
    page, errors = new_page(browser)
    _open_and_run(page, f"http://127.0.0.1:{port}{URLS['lab']}", root)
    res, noisy, names = expect.res, expect.noisy, expect.names
    code = names.index("9")  # 4 islands in exact, 24 in noisy
    assert len(island_members(res, code)) > 2 and len(island_members(noisy, code)) > 12
    box = page.locator(".kstar-root .kstar-find").last
    box.fill("9")
    box.press("Enter")
    shown = expect_islands(page, res, "exact", names, code, "selecting a fractured concept")
    assert shown["picked"] == []
    members = island_members(res, code)
    page.locator(".kstar-islands-table tbody tr[data-island='1']").click()
    _island_samples(root, members[1])
    wait_for(lambda: page.evaluate(ISLANDS_JS)["picked"] == ["1"], 20, "row 1 highlighted")
    # set from Python: another island's members (any order) -> its row, and only it
    (root / "cmd.py").write_text(f"w.selected_samples = {members[2][::-1].tolist()}")
    wait_for(lambda: page.evaluate(ISLANDS_JS)["picked"] == ["2"], 20, "row 2 highlighted")
    both = np.r_[members[1], members[2]].tolist()  # two islands' samples: no single island
    (root / "cmd.py").write_text(f"w.selected_samples = {both}")
    wait_for(lambda: page.evaluate(ISLANDS_JS)["picked"] == [], 20, "no row highlighted")
    # the driver: the section shows the other result's islands, the selection stays
    page.locator(".kstar-drivers button", has_text="noisy").last.click()
    shown = expect_islands(page, noisy, "noisy", names, code, "switching the driver")
    hidden = island_members(noisy, code)[12:]
    singles = sum(len(m) == 1 for m in hidden)
    assert f"… and {len(hidden)} more islands ({singles} singletons)" in shown["text"]
    assert (root / "samples.txt").read_text() == repr(both)  # no echo overwrote it
    page.locator(".kstar-drivers button", has_text="exact").last.click()
    one = next(c for c in range(len(names)) if len(island_members(res, c)) == 1)
    box.fill(names[one])
    box.press("Enter")
    shown = expect_islands(page, res, "exact", names, one, "a concept of one island")
    assert "One island: every sample reaches every other before a foreign sample" in shown["text"]
    assert not errors, errors


def test_report_islands_select_both_ways_and_follow_the_driver(browser, expect, tmp_path):
    import dataclasses

    import kstar_widgets as kw

    scope = results()
    res, noisy, names = expect.res, expect.noisy, expect.names
    approx = dataclasses.replace(noisy, info={**noisy.info, "islands_approximate": True})
    plain = dataclasses.replace(res, island=None)
    path = kw.report(
        {"exact": res, "noisy": approx, "plain": plain},
        tmp_path / "islands.html",
        images=scope["images"],
    )
    page, errors = new_page(browser)
    page.goto(Path(path).as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    code = names.index("9")
    page.evaluate(f"() => kstarModel.set('concept_index', {code})")
    shown = expect_islands(page, res, "exact", names, code, "selecting a fractured concept")
    assert "approximate" not in shown["text"]
    rows = page.locator(".kstar-islands-table tbody tr")
    assert rows.first.locator("canvas").count() == 3  # a few thumbnails of the island
    members = island_members(res, code)
    rows.nth(1).click()
    assert page.evaluate("() => kstarModel.get('selected_samples')") == members[1].tolist()
    assert page.evaluate(ISLANDS_JS)["picked"] == ["1"]
    page.evaluate(f"() => kstarModel.set('selected_samples', {members[3].tolist()})")
    assert page.evaluate(ISLANDS_JS)["picked"] == ["3"]
    page.locator(".kstar-drivers button", has_text="noisy").click()
    shown = expect_islands(page, noisy, "noisy", names, code, "switching the driver")
    note = "approximate: in concepts small enough to verify the count is at most the exact one"
    assert note in shown["text"], shown["text"]
    page.locator(".kstar-drivers button", has_text="plain").click()
    text = page.inner_text(".kstar-islands")
    assert "Islands not computed (kstar(..., islands=True))" in text, text
    assert not errors, errors
