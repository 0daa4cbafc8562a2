"""Kernel-free tests of the widgets: build them from results, drive them from Python."""

import dataclasses

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.widgets import concept_summaries
from kstar_widgets.widgets._data import (
    from_buffer,
    kstar_histograms,
    lowest_kstar,
    rank_by_skewness,
)


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    res = kw.kstar(d.data, d.target, method="exact", progress=False)
    return d, res


@pytest.fixture(scope="module")
def explorer(digits):
    d, res = digits
    return kw.explore(res, images=(d.images * 16).clip(0, 255).astype(np.uint8))


def _fake(res, *, method, name, seed):
    """The same samples with perturbed k* (stands in for an approximate or another model's result)."""
    rng = np.random.default_rng(seed)
    sizes = np.bincount(res.codes)
    k = np.clip(res.k + rng.integers(-3, 4, res.n_samples), 1, sizes[res.codes])
    censored = (k > 60) if method == "approx" else np.zeros(res.n_samples, bool)
    return kw.KStarResult.build(
        k=k,
        censored=censored,
        labels=res.labels,
        codes=res.codes,
        concept_labels=res.concepts.index.to_numpy(),
        threshold=res.threshold,
        name=name,
        intruder=np.where(censored, -1, res.intruder),
        intruder_distance=res.intruder_distance,
        method=method,
        metric=res.metric,
        reason="test",
        n_neighbors=60 if method == "approx" else None,
        timings={"total": 1.0},
    )


def test_summaries_are_binary_buffers_of_small_dtypes(digits):
    _, res = digits
    s = concept_summaries(res, n_bins=16, n_low=4)
    for key, value in s.items():
        if key == "names":
            assert value == [str(c) for c in res.concepts.index]
            continue
        assert isinstance(value["buffer"], memoryview), key
        assert value["dtype"] in ("int32", "float32"), key
    hist = from_buffer(s["histograms"])
    assert hist.shape == (10, 16)
    assert hist.sum(axis=1).tolist() == res.concepts["n"].tolist()  # every sample in one bin
    np.testing.assert_allclose(from_buffer(s["skewness"]), res.skewness.to_numpy(), rtol=1e-6)


def test_lowest_kstar_and_rank_match_a_direct_computation(digits):
    _, res = digits
    low = lowest_kstar(res, 5)
    for code in range(10):
        members = np.flatnonzero(res.codes == code)
        expected = members[np.lexsort((members, res.k[members]))][:5]
        assert low["sample"][code].tolist() == expected.tolist()
        assert low["intruder_code"][code].tolist() == res.codes[res.intruder[expected]].tolist()
    rank = rank_by_skewness(np.array([0.1, np.nan, np.inf, -2.0]))
    assert rank.tolist() == [1, 3, 0, 2]  # +inf first, NaN last
    assert kstar_histograms(res, 8).dtype == np.int32


def test_explorer_traits_and_mimebundle(explorer):
    w = explorer
    assert w.selected_concept is None and w.selected_samples == []
    bundle = w._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    assert w.bar.names == [str(i) for i in range(10)]
    assert w.bar.array("rank").dtype == np.int32
    assert w.bokeh in w.children


def test_setting_selected_concept_updates_every_view(explorer, digits):
    _, res = digits
    w = explorer
    seen = []
    w.observe(lambda c: seen.append(c["new"]), "selected_concept")
    w.selected_concept = 3
    assert seen == [3]
    v = w.views
    assert list(v.src.selected.indices) == [3]
    assert w.bar.concept == 3
    assert sum(v.dhist.data["top"]) == int(res.concepts.loc[3, "n"])
    low = lowest_kstar(res, 6)
    assert v.dlow.data["sample"] == low["sample"][3].tolist()
    assert len(v.thumbs.data["image"]) == 12 and v.thumbs.data["image"][0].dtype == np.uint32
    assert "<b>3</b>" in v.header.text and str(res.concepts.loc[3, "pattern"]) in v.header.text
    w.selected_concept = None
    assert (
        list(v.src.selected.indices) == [] and w.bar.concept == -1 and v.dlow.data["sample"] == []
    )


def test_selection_in_any_view_reaches_python(explorer, digits):
    _, res = digits
    w, v = explorer, explorer.views
    v.src.selected.indices = [5]  # as a click on a ridge or a scatter point arrives
    assert w.selected_concept == 5
    w.bar.concept = 7  # the anywidget's search box or arrows
    assert w.selected_concept == 7 and list(v.src.selected.indices) == [7]
    v.dlow.selected.indices = [0, 2]
    assert w.selected_samples == [v.dlow.data["sample"][0], v.dlow.data["sample"][2]]
    first = v.dlow.data["sample"][1]
    w.selected_samples = [first, -5]  # from Python: the detail table highlights what it lists
    assert list(v.dlow.selected.indices) == [1] and w.selected_samples == [first, -5]
    m = v.matrix.data
    cell = int(np.argmax(m["count"]))
    v.matrix.selected.indices = [cell]
    row, col = int(m["row"][cell]), int(m["col"][cell])
    assert w.selected_concept == row
    hits = np.flatnonzero((res.codes == row) & (res.codes[res.intruder] == col))
    assert w.selected_samples == hits.tolist() and len(hits) == m["count"][cell]


def test_threshold_syncs_with_the_slider(digits):
    _, res = digits
    w = kw.explore(res, threshold=0.8)
    assert w.views.slider.value == 0.8 and w.bar.threshold == 0.8
    w.threshold = 1.5
    assert w.views.slider.value == 1.5
    w.views.slider.value = 0.2
    assert w.threshold == 0.2
    assert (w.result.concepts["pattern"] == kw.classify(res.skewness, 0.2)).all()


def test_several_results_give_comparison_and_exact_vs_approx_views(digits):
    _, res = digits
    approx = _fake(res, method="approx", name="approx", seed=1)
    other = _fake(res, method="exact", name="model B", seed=2)
    w = kw.explore({"exact": res, "approx": approx, "model B": other})
    names = [getattr(m, "name", None) for m in w.views.layout.select({"type": object})]
    assert {"exact_vs_approx", "comparison", "timings", "summaries", "changed"} <= set(names)
    assert w.views.radio.labels == ["exact", "approx", "model B"]
    expected = kw.compare(res, approx).changed
    assert f"<b>{len(expected)} concept(s) changed pattern</b>" in w.views.changed.text
    w.driver = "model B"
    assert w.views.radio.active == 2
    w.views.radio.active = 1
    assert w.driver == "approx" and w.result.method == "approx"
    src = w.views.src.data
    np.testing.assert_allclose(src["skew_1"], approx.skewness.to_numpy())


def test_save_writes_one_offline_html_file(explorer, tmp_path):
    explorer.selected_concept = 2
    out = explorer.save(tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text()
    assert out == str(tmp_path / "report.html")
    assert "cdn.bokeh.org" not in html
    assert (
        '<script type="text/javascript" src=' not in html and "<script src=" not in html
    )  # nothing fetched
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    import bokeh

    assert f'version:"{bokeh.__version__}"' in html.replace(" ", "") or bokeh.__version__ in html
    assert len(html) > 1_000_000 and "Bokeh.embed.embed_items" in html  # BokehJS itself is inlined
    assert '"name":"thumbbank"' in html.replace(" ", "")


def test_report_needs_no_ipywidgets(digits, tmp_path, monkeypatch):
    import sys

    _, res = digits
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets would fail
    path = kw.report(res, tmp_path / "r.html", title="digits")
    assert "<title>digits</title>" in open(path).read()


def test_bad_arguments_give_clear_errors(digits, explorer, tmp_path):
    d, res = digits
    with pytest.raises(TypeError, match="KStarResult"):
        kw.explore(np.zeros(3))
    with pytest.raises(TypeError, match="KStarResult objects"):
        kw.explore([res, "exact"])
    with pytest.raises(ValueError, match="no results"):
        kw.explore([])
    half = kw.kstar(d.data[:500], d.target[:500], method="exact", progress=False)
    with pytest.raises(ValueError, match="same samples"):
        kw.explore([res, half])
    with pytest.raises(ValueError, match="uint8"):
        kw.explore(res, images=d.images)
    with pytest.raises(ValueError, match="one image per sample"):
        kw.explore(res, images=np.zeros((5, 8, 8), np.uint8))
    with pytest.raises(ValueError, match="threshold"):
        kw.explore(res, threshold=-1)
    with pytest.raises(TypeError, match="n_low"):
        kw.explore(res, n_low=2.5)
    with pytest.raises(ValueError, match="not a concept"):
        explorer.selected_concept = 42
    with pytest.raises(ValueError, match="features="):
        explorer.compute_approx()
    with pytest.raises(ValueError, match="does not exist"):
        kw.report(res, tmp_path / "missing" / "r.html")
    with pytest.raises(TypeError, match="file path"):
        kw.report(res, 3)


def test_compute_approx_runs_in_a_thread_and_adds_the_view(digits, monkeypatch):
    d, res = digits
    from kstar_widgets import _kstar

    calls = []

    def fake_kstar(features, labels, **kw_):
        calls.append(kw_["method"])
        return _fake(res, method="approx", name="approx", seed=3)

    monkeypatch.setattr(_kstar, "kstar", fake_kstar)
    w = kw.explore(res, features=d.data)
    assert not w.compute_button.disabled
    w.selected_concept = 4
    w.compute_approx(wait=True)
    assert calls == ["approx"]
    assert list(w.results) == ["exact", "approx"]
    assert w.progress.bar_style == "success" and "ready" in w.status.value
    assert w.compute_button.disabled
    assert list(w.views.src.selected.indices) == [4]  # the rebuilt views keep the selection
    assert w.views.built["meta"]["pair"] == [0, 1]


def test_failed_compute_says_why(digits, monkeypatch):
    d, res = digits
    from kstar_widgets import _kstar

    def broken(*a, **k):
        raise MemoryError("out of memory")

    monkeypatch.setattr(_kstar, "kstar", broken)
    w = kw.explore(res, features=d.data)
    w.compute_approx(wait=True)
    assert "out of memory" in w.status.value and w.progress.bar_style == "danger"
    assert not w.compute_button.disabled and list(w.results) == ["exact"]


def test_images_callable_and_object(digits):
    d, res = digits
    rgb = np.repeat((d.images * 16).astype(np.uint8)[..., None], 3, axis=3)
    seen = []

    class Source:
        def images(self, indices, size=48):
            seen.append(size)
            return rgb[indices]

    for images in (lambda idx: rgb[idx], Source()):
        w = kw.explore(res, images=images)
        w.selected_concept = 1
        assert len(w.views.thumbs.data["image"]) == 12
    assert seen and all(s == 32 for s in seen)


def test_renamed_duplicates_stay_apart(digits):
    _, res = digits
    w = kw.explore([res, dataclasses.replace(res)])
    assert list(w.results) == ["exact", "exact (2)"]
