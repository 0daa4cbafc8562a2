"""Real browser, the saved report: concept names of 100+ characters and names holding bidi
control characters (U+202E) keep the views' size and reorder nothing outside the name.

Every text is read with textContent after scrolling its element into view; positions of
the characters on screen (Range.getClientRects) tell the order a person reads them in.
Needs Debian's chromium and Python playwright (skipped without them unless
KSTAR_REQUIRE_BROWSER=1).
"""

from pathlib import Path

import numpy as np
import pytest
from browser_helpers import LONG_NAMES, new_page

pytestmark = pytest.mark.browser

BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LONG = LONG_NAMES
WIDTH = 1280


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A report of the digits, their concepts renamed to 100+ character names and one RLO."""
    from sklearn.datasets import load_digits

    import kstar_widgets as kw

    d = load_digits()
    assert min(len(n) for i, n in enumerate(LONG) if i != 3) >= 100
    labels = np.array(LONG, dtype=object)[d.target]
    res = kw.kstar(d.data, labels, method="exact", progress=False)
    noisy = kw.kstar(
        d.data + np.random.default_rng(0).normal(0, 4, d.data.shape),
        labels,
        method="exact",
        progress=False,
        name="noisy",
    )
    images = (d.images * 16).clip(0, 255).astype(np.uint8)
    path = tmp_path_factory.mktemp("names") / "names.html"
    kw.report({"exact": res, "noisy": noisy}, path, images=images)
    return Path(path), res


def _open(browser, path, concept):
    page, errors = new_page(browser, width=WIDTH, height=800)
    page.goto(path.as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    page.evaluate(f"() => kstarModel.set('concept_index', {concept})")
    page.wait_for_timeout(300)
    return page, errors


# the text of `sel` after scrolling it into view, and the on-screen x of each character of the
# first occurrence of `part` in it (left edges, in the order the characters are stored)
TEXT_AND_ORDER_JS = """([sel, part]) => {
  const el = document.querySelector(sel);
  el.scrollIntoView({block: 'center'});
  const text = el.textContent;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let xs = null;
  for (let n = walker.nextNode(); n && !xs; n = walker.nextNode()) {
    const at = n.data.indexOf(part);
    if (at < 0) continue;
    xs = [...part].map((_, i) => {
      const r = document.createRange();
      r.setStart(n, at + i);
      r.setEnd(n, at + i + 1);
      return r.getClientRects()[0].left;
    });
  }
  return {text, xs};
}"""


def _reads_left_to_right(page, sel, part):
    shown = page.evaluate(TEXT_AND_ORDER_JS, [sel, part])
    assert shown["xs"] is not None, f"{part!r} not in {sel}: {shown['text']!r}"
    return shown["text"], shown["xs"] == sorted(shown["xs"])


def test_an_override_in_a_name_reorders_nothing_outside_it(browser, report):
    from kstar_widgets.utils._format import number

    path, res = report
    code = list(res.concepts.index).index(LONG[3])
    page, errors = _open(browser, path, code)
    g = number(float(res.concepts["skewness"].iloc[code]))
    text, in_order = _reads_left_to_right(page, ".kstar-header", f"Γ {g}")
    assert LONG[3] in text, text  # the header shows the whole name
    assert in_order, f"'Γ {g}' is drawn reordered in the header: {text!r}"
    n = str(int(res.concepts["n"].iloc[code]))
    text, in_order = _reads_left_to_right(page, ".kstar-hist-title", f"({n} samples)")
    assert in_order, f"the histogram title is reordered: {text!r}"
    # the name sits in an isolate: <bdi> or unicode-bidi: isolate
    isolated = page.evaluate(
        """() => [...document.querySelectorAll('.kstar-root *')]
             .filter((e) => [...e.childNodes].some((c) => c.nodeType === 3 && c.data.includes('\u202e')))
             .every((e) => getComputedStyle(e).unicodeBidi.includes('isolate'))"""
    )
    assert isolated, "a text holding U+202E outside an isolate"
    # Bokeh draws on a canvas, where no element isolates: its labels carry no bidi control
    # except the isolates FSI ... PDI around a name
    labels = page.evaluate(
        """() => { const v = document.querySelector('.kstar-root').kstarViews;
          const o = v.overview.model.left[0].major_label_overrides;
          const m = v.matrix.model;
          return [...(o instanceof Map ? o.values() : Object.values(o)),
                  ...m.x_range.factors, ...m.y_range.factors]; }"""
    )
    bad = [s for s in labels if set(s.replace("\u2068", "").replace("\u2069", "")) & BIDI]
    assert not bad, bad
    hebrew = [s for s in labels if "כלב" in s]
    assert hebrew and all(s[0] == "\u2068" and "\u2069" in s for s in hebrew), hebrew
    assert not errors, errors


def test_long_names_keep_the_views_size(browser, report):
    path, _res = report
    page, errors = _open(browser, path, 0)
    # nothing passes the page's right edge, and the overview's plot keeps its drawing area
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    frame = page.evaluate(
        "() => document.querySelector('.kstar-root').kstarViews.overview.frame.bbox.width"
    )
    assert frame >= 150, f"the overview's ridges are {frame} px wide"
    matrix = page.evaluate(
        "() => document.querySelector('.kstar-root').kstarViews.matrix.frame.bbox.width"
    )
    assert matrix >= 150, f"the matrix's cells are {matrix} px wide"
    # the header holds the whole name; the table cells a shortened one, whole on hover
    text = page.evaluate(
        """() => { const e = document.querySelector('.kstar-header');
                   e.scrollIntoView({block: 'center'}); return e.textContent; }"""
    )
    assert LONG[0] in text, text
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.kstar-detail tbody tr')].map((tr) => {
             tr.scrollIntoView({block: 'center'});
             const td = tr.querySelectorAll('td')[4];
             const title = td.querySelector('[title]');
             return [td.textContent, title ? title.getAttribute('title') : null]; })"""
    )
    assert cells, "no rows in the lowest-k* table"
    for shown, full in cells:
        assert full in LONG and len(shown) < len(full) and shown.endswith(full[-6:]), (shown, full)
        assert "…" in shown, shown
    # nothing in a panel passes the panel's right edge
    over = page.evaluate(
        """() => [...document.querySelectorAll('.kstar-panel > *, .kstar-panel table')]
          .filter((e) => e.getBoundingClientRect().right >
                         e.closest('.kstar-panel').getBoundingClientRect().right + 1)
          .map((e) => `${e.tagName}.${e.className}`)"""
    )
    assert not over, over
    assert not errors, errors
