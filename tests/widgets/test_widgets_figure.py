"""Kernel-free tests of the Figure widget: a Bokeh figure as json_item, redrawn on assignment."""

import json

import numpy as np
import pytest

from kstar_widgets.widgets import Figure, KStarExplorer, show_figure
from kstar_widgets.widgets._views import STATIC


def _figure(title, n=5):
    from bokeh.plotting import figure

    fig = figure(title=title, x_axis_label="normalised k*", width=300, height=200)
    fig.quad(left=np.arange(n) / n, right=np.arange(1, n + 1) / n, bottom=0, top=np.arange(n))
    return fig


def _shown(item):
    """The model the page will draw: the item's document rebuilt by Bokeh, its root by id."""
    from bokeh.document import Document

    item = json.loads(item)
    doc = Document.from_json(item["doc"])
    return doc.get_model_by_id(item["root_id"])


def test_item_is_the_json_item_of_the_figure():
    import bokeh

    fig = _figure("first")
    w = Figure(fig)
    # JSON text, not a dict: a saved notebook sorts dict keys, and BokehJS reads a model's
    # definition only where it first meets the model (before any reference to it)
    assert isinstance(w.item, str)
    item = json.loads(w.item)
    assert set(item) >= {"doc", "root_id", "target_id"}
    assert item["root_id"] == fig.id and item["target_id"] is None
    assert item["doc"]["version"] == bokeh.__version__
    json.dumps(item, allow_nan=False)
    shown = _shown(w.item)
    assert shown.title.text == "first" and shown.xaxis[0].axis_label == "normalised k*"
    assert list(shown.renderers[0].data_source.data["top"]) == list(range(5))


def test_layouts_are_shown_too():
    from bokeh.layouts import gridplot, row

    a, b = _figure("a"), _figure("b")
    assert _shown(Figure(row(a, b)).item).children[1].title.text == "b"
    assert _shown(Figure(gridplot([[_figure("c"), _figure("d")]])).item).children


def test_assigning_a_figure_redraws_and_refresh_sends_changes_made_in_place():
    w = Figure(_figure("first"))
    first = w.item
    second = _figure("second", n=3)
    w.figure = second
    assert json.loads(w.item)["root_id"] == second.id != json.loads(first)["root_id"]
    assert _shown(w.item).title.text == "second"
    second.title.text = "changed in place"
    assert _shown(w.item).title.text == "second"  # nothing sent until refresh()
    w.refresh()
    assert _shown(w.item).title.text == "changed in place"
    w.figure = None
    assert w.item == ""


def test_bokehjs_comes_from_the_model_the_explorers_share():
    import kstar_widgets as kw

    x, y = np.random.default_rng(0).normal(size=(40, 3)), np.repeat([0, 1], 20)
    explorer = kw.explore(kw.kstar(x, y, progress=False))
    assert isinstance(explorer, KStarExplorer)
    w = Figure(_figure("t"))
    assert w.bokehjs is explorer.bokehjs and w.bokehjs_version == explorer.bokehjs_version
    assert "root.Bokeh = bokeh" in w.bokehjs.source
    state = w.get_state()
    assert state["bokehjs"] == f"IPY_MODEL_{explorer.bokehjs.model_id}"  # a reference, not a copy
    assert len(json.dumps({k: v for k, v in state.items() if k != "_esm"})) < 50_000


def test_the_page_can_ask_the_kernel_for_bokehjs():
    w = Figure(_figure("t"))
    sent = []
    w.send = sent.append
    w._handle_custom_msg({"action": "bokehjs"}, [])  # as a message from the page
    assert sent and sent[0]["bokehjs"] == w.bokehjs.source


def test_not_a_bokeh_figure_is_refused_with_what_to_pass():
    with pytest.raises(TypeError, match=r"Bokeh figure or layout .*got ndarray"):
        Figure(np.zeros(3))
    w = Figure()
    with pytest.raises(TypeError, match="got str"):
        w.figure = "a title"


def test_show_figure_displays_a_figure_widget(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    assert show_figure(_figure("x")) is None
    assert isinstance(shown[0], Figure) and _shown(shown[0].item).title.text == "x"
    assert "application/vnd.jupyter.widget-view+json" in shown[0]._repr_mimebundle_()[0]


def test_figure_loads_bokehjs_by_the_explorers_code():
    """Both widgets' modules carry the one loader, or a page with both would load BokehJS twice."""
    from kstar_widgets.widgets._explorer import KStarExplorer

    loader = (STATIC / "bokeh_loader.js").read_text()
    for esm in (Figure._esm, KStarExplorer._esm):
        assert esm.startswith(loader)
        assert esm.count("function loadBokeh(") == 1  # the module itself does not define one
    for own in ("figure.js", "kstar_views.js"):
        assert "function loadBokeh(" not in (STATIC / own).read_text()
    assert "embed_item" in Figure._esm and 'model.on("change:item"' in Figure._esm
