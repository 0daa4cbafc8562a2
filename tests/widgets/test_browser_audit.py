"""Real browser, the saved report: the exact-vs-approximate panel says how right the
approximate result is (its audit, as Python writes it), and the islands note does not claim
an upper bound the engine no longer gives.

Needs Debian's chromium and Python playwright (skipped without them unless
KSTAR_REQUIRE_BROWSER=1).
"""

import pytest
from browser_helpers import new_page

pytestmark = pytest.mark.browser


def test_the_exact_vs_approximate_panel_shows_the_audit(browser, tmp_path):
    from sklearn.datasets import load_digits

    import kstar_widgets as kw

    d = load_digits()
    exact = kw.kstar(d.data, d.target, method="exact", progress=False, name="exact")
    approx = kw.kstar(d.data, d.target, method="approx", progress=False, name="approx")
    audit = approx.info["audit"]["text"]
    assert audit.startswith("audit: k* exact for")
    path = tmp_path / "audit.html"
    kw.report({"exact": exact, "approx": approx}, path)
    page, errors = new_page(browser)
    page.goto(path.as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    note = page.locator(".kstar-view-exact-approx .kstar-timings")
    note.scroll_into_view_if_needed()
    text = note.text_content()
    assert audit in text, text
    assert "[" in audit and "CI" in audit  # "99.7% [98.1%, 99.9%] (95% CI)", the house style
    assert not errors
