"""The saved report with concept names that are HTML: its one data script parses back to the
same names, and the views render them as text (no name can end or re-open a script)."""

import json
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import new_page

import kstar_widgets as kw

# "<!--" then "<script" puts an HTML parser in the script's "double escaped" state, where
# the data script's own </script> no longer ends it: the page went blank
NAMES = [
    "<!--x",
    "<script>alert(1)</script>",
    "a & b > c",
    "</script><b>bold</b>",
    "line\u2028sep\u2029para",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30 * len(NAMES), 4)) + np.repeat(np.arange(len(NAMES)), 30)[:, None]
    res = kw.kstar(x, np.repeat(np.array(NAMES, dtype=object), 30), progress=False, n_boot=50)
    return Path(kw.report(res, tmp_path_factory.mktemp("escape") / "names.html"))


def test_the_data_holds_no_markup_and_parses_back_to_the_names(report):
    text = report.read_text(encoding="utf-8")
    start = text.index('id="kstar-state">') + len('id="kstar-state">')
    body = text[start : text.index("</script>", start)]
    assert not {"<", ">", "&", "\u2028", "\u2029"} & set(body), "raw characters in the data"
    assert json.loads(body)["payload"]["names"] == sorted(NAMES)  # concepts in label order


@pytest.mark.browser
def test_the_views_render_names_that_are_html(browser, report):
    page, errors = new_page(browser)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_selector(".kstar-root[data-ready]", timeout=60_000)
    # the browser's own HTML parser: one data script, in one piece, parsing back to the names
    scripts = page.evaluate(
        """() => [...document.scripts].map((s) => [s.type, s.id, s.textContent])"""
    )
    assert [s[:2] for s in scripts] == [["", ""], ["application/json", "kstar-state"],
                                        ["module", ""]], [s[:2] for s in scripts]  # fmt: skip
    names = sorted(NAMES)
    assert json.loads(scripts[1][2])["payload"]["names"] == names
    for code, name in enumerate(names):
        page.evaluate(f"() => kstarModel.set('concept_index', {code})")
        header = page.evaluate("() => document.querySelector('.kstar-header').textContent")
        assert header.startswith(name + " · n 30 · Γ "), (name, header)
    assert page.locator(".kstar-header b").count() == 1  # the name's <b> is text, not markup
    assert not dialogs and not errors, (dialogs, errors)
