"""Explorer and figure outputs carry a static fallback: a notebook shown without its kernel
(reopened, untrusted, nbconvert HTML, GitHub) shows the results, not "model not found"."""

import re
import subprocess
import sys

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets import interpret

pytest.importorskip("anywidget")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def result():
    x, y = kw.synthetic.concept_space(n_concepts=5, per_concept=50, dim=16)
    return kw.kstar(x, y, progress=False, name="standard")


def _bundle(widget):
    data, _metadata = widget._repr_mimebundle_()
    return data


def test_explorer_bundle_has_text_and_html_fallbacks_beside_the_widget_view(result):
    data = _bundle(kw.explore(result))
    assert WIDGET_VIEW in data  # a live front end still draws the widget
    text, page = data["text/plain"], data["text/html"]
    assert "object at 0x" not in text and "KStarExplorer" not in text
    most = result.concepts["skewness"].idxmax()
    row = result.concepts.loc[most]
    gamma = interpret.with_interval(
        row["skewness"], row["skewness_ci_low"], row["skewness_ci_high"]
    )
    for shown in (text, page.replace("\u00a0", " ")):
        assert "standard" in shown and "Γ" in shown
        assert gamma.replace("\u00a0", " ") in shown.replace("\u00a0", " ")
        assert all(p in shown for p in result.concepts["pattern"].unique())
    # the table lists the most fractured concept first
    first_row = re.search(r"<tbody><tr><td[^>]*><bdi>([^<]*)</bdi>", page).group(1)
    assert first_row == str(most)


def test_explorer_fallback_of_two_results_names_both(result):
    x, y = kw.synthetic.concept_space(n_concepts=5, per_concept=50, dim=16, random_state=1)
    other = kw.kstar(x, y, progress=False, name="robust")
    text = _bundle(kw.explore([result, other]))["text/plain"]
    assert "\nstandard: 250 samples" in text and "\nrobust: 250 samples" in text


def test_explorer_fallback_stays_small_with_a_thousand_concepts():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(1000), 4)
    res = kw.kstar(rng.normal(size=(4000, 8)), y, progress=False, n_boot=0)
    data = _bundle(kw.explore(res))
    assert data["text/html"].count("<tr>") == 1 + 30  # header and the 30 most fractured
    assert "970 more concepts" in data["text/html"] and "970 more concepts" in data["text/plain"]
    assert len(data["text/html"]) < 20_000 and len(data["text/plain"]) < 5_000


def test_figure_bundle_names_its_plots_titles_axes_and_legend():
    from bokeh.layouts import row
    from bokeh.plotting import figure

    from kstar_widgets.widgets import Figure

    a = figure(title="Clustered", x_axis_label="k*/n")
    a.line([0, 1], [0, 1], legend_label="mean")
    b = figure(title="Fractured")
    b.scatter([0, 1], [0, 1])
    data = _bundle(Figure(row(a, b)))
    assert WIDGET_VIEW in data and "object at 0x" not in data["text/plain"]
    for shown in (data["text/plain"], data["text/html"]):
        assert shown.index("Clustered") < shown.index("Fractured")  # in layout order
        assert "k*/n" in shown and "mean" in shown


def test_closed_widget_shows_nothing(result):
    w = kw.explore(result)
    w.close()
    assert w._repr_mimebundle_ is None  # ipywidgets' rule: a closed widget has no output


@pytest.mark.slow
def test_nbconvert_html_of_a_notebook_saved_without_widget_state_shows_the_concept_table(
    tmp_path, result
):
    """JupyterLab saves no widget state by default: nbconvert then renders the fallback."""
    bs4 = pytest.importorskip("bs4")  # nbconvert's own HTML parser
    import nbformat
    from test_widgets_notebook_size import _execute

    cells = [
        "import kstar_widgets as kw\n"
        "x, y = kw.synthetic.concept_space(n_concepts=5, per_concept=50, dim=16)\n"
        "kw.explore(kw.kstar(x, y, progress=False, name='standard'))",
        "from bokeh.plotting import figure\nfrom kstar_widgets.widgets import show_figure\n"
        "f = figure(title='three patterns')\n_ = f.line([0, 1], [0, 1])\nshow_figure(f)",
    ]
    path, _text = _execute(tmp_path, cells)
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(path)],
        check=True,
        capture_output=True,
    )
    doc = bs4.BeautifulSoup((tmp_path / "out.html").read_text(), "html.parser")
    outputs = " ".join(div.get_text() for div in doc.select("div.jp-OutputArea-output"))
    outputs = outputs.replace("\u00a0", " ")
    assert "model not found" not in outputs and "object at 0x" not in outputs
    assert "Concepts of standard, most fractured (highest Γ) first" in outputs
    assert "same pattern in resamples" in outputs and "three patterns" in outputs
    row = result.concepts.sort_values("skewness").iloc[-1]  # the same seeded space
    low, high = row["skewness_ci_low"], row["skewness_ci_high"]
    assert interpret.with_interval(row["skewness"], low, high) in outputs


def test_explorer_fallback_without_bootstrap_claims_no_interval():
    x, y = kw.synthetic.concept_space(n_concepts=5, per_concept=50, dim=16)
    text = _bundle(kw.explore(kw.kstar(x, y, progress=False, n_boot=0)))["text/plain"]
    assert "[" not in text and "resamples" not in text and "n/a" not in text
    assert "mean Γ " in text and "Fractured " in text


def test_figure_fallback_draws_each_plot_as_an_svg_picture():
    import base64

    from bokeh.layouts import row
    from bokeh.plotting import figure

    from kstar_widgets.widgets import Figure

    bars = figure(title="bars", width=300, height=200)
    bars.quad(left=[0, 1, 2], right=[1, 2, 3], bottom=0, top=[3, 1, 2], color="#d62728")
    bars.segment(x0=[1.5], y0=[0], x1=[1.5], y1=[3], line_dash="dashed")
    dots = figure(title="dots", width=300, height=200)
    dots.scatter(np.arange(50), np.arange(50) ** 0.5)
    page = _bundle(Figure(row(bars, dots)))["text/html"]
    pictures = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(pictures) == 2
    first, second = (base64.b64decode(p).decode() for p in pictures)
    assert first.count('<rect x="') == 3 + 2 and 'stroke-dasharray="5,3"' in first  # clip, frame
    assert 'fill="#d62728"' in first and ">bars</text>" in first
    assert second.count("<circle") == 50 and ">dots</text>" in second
    assert len(page) < 20_000


def test_a_fallback_that_fails_leaves_the_widget_view(result, monkeypatch):
    from kstar_widgets.widgets import _fallback

    def broken(_results):
        raise ValueError("no table")

    monkeypatch.setattr(_fallback, "explorer_html", broken)
    data = _bundle(kw.explore(result))
    assert WIDGET_VIEW in data and "no static view: no table" in data["text/plain"]
