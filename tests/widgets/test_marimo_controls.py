"""Controls look like controls in marimo and in the saved report: the widget's own style sheet
gives its buttons, select and find box a border and padding and its lists their bullets, so
a host's CSS reset (marimo's) does not turn them into plain text.

Read as a person's browser computes them (getComputedStyle), after scrolling each element
into view. Needs Debian's chromium, Python playwright and marimo (skipped without the
browser unless KSTAR_REQUIRE_BROWSER=1).
"""

import shutil
import sys
from pathlib import Path

import pytest
from browser_helpers import LAST_ROOT, SETUP, free_port, marimo_app, new_page, start_server, stop

pytestmark = pytest.mark.browser

EXPLORE = "w = kw.explore({'exact': res, 'noisy': noisy}, images=images)"

# computed styles of the explorer's controls and lists (the last explorer, shadow roots too)
CONTROLS_JS = (
    """() => {
  """
    + LAST_ROOT
    + """
  const root = lastRoot();
  const look = (e) => {
    e.scrollIntoView({block: 'center'});
    const s = getComputedStyle(e);
    return {what: `${e.tagName.toLowerCase()}.${e.className} ${e.textContent.slice(0, 20)}`,
            border: s.borderTopWidth, style: s.borderTopStyle, left: s.borderLeftWidth,
            padding: s.paddingLeft};
  };
  const controls = [...root.querySelectorAll('button, select, input.kstar-find')].map(look);
  const lists = [...root.querySelectorAll('ul')].map((ul) => {
    ul.scrollIntoView({block: 'center'});
    const li = ul.querySelector('li');
    return {type: getComputedStyle(ul).listStyleType, items: ul.children.length,
            li: li ? getComputedStyle(li).display : null};
  });
  return {controls, lists};
}"""
)


def _expect_controls(page):
    got = page.evaluate(CONTROLS_JS)
    assert len(got["controls"]) >= 5, got  # ◀ ▶, find, two result buttons, compute, select
    flat = [
        c
        for c in got["controls"]
        if c["border"] == "0px"
        or c["style"] == "none"
        or c["left"] == "0px"
        or c["padding"] == "0px"
    ]
    assert not flat, f"controls drawn as plain text: {flat}"
    assert got["lists"] and all(x["items"] for x in got["lists"]), got["lists"]
    assert all(x["type"] == "disc" and x["li"] == "list-item" for x in got["lists"]), got["lists"]


def test_report_controls_look_like_controls(browser, tmp_path):
    from browser_helpers import results

    import kstar_widgets as kw

    scope = results()
    path = kw.report({"exact": scope["res"], "noisy": scope["noisy"]}, tmp_path / "r.html")
    page, errors = new_page(browser)
    page.goto(Path(path).as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    _expect_controls(page)
    assert not errors, errors


def test_marimo_controls_look_like_controls(browser, tmp_path):
    marimo = Path(sys.executable).parent / "marimo"
    if shutil.which("marimo", path=str(marimo.parent)) is None:
        pytest.fail("marimo is not installed (it is in the dev extra): pip install marimo")
    app = tmp_path / "app.py"
    app.write_text(marimo_app(SETUP, EXPLORE))
    port = free_port()
    cmd = [str(marimo), "run", str(app), "--headless", "--port", str(port), "--host", "127.0.0.1"]
    proc = start_server(cmd, port, tmp_path, tmp_path, probe="/health")
    try:
        page, errors = new_page(browser)
        page.goto(f"http://127.0.0.1:{port}/")
        ready = LAST_ROOT + "return Boolean(lastRoot());"
        page.wait_for_function(f"() => {{ {ready} }}", timeout=180_000)
        _expect_controls(page)
        assert not errors, errors
    finally:
        stop(proc)
