"""Kernel-free tests of the widgets: build them from results, drive them from Python."""

import dataclasses
import json
import re
import subprocess
import sys

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.widgets import explorer_payload
from kstar_widgets.widgets._payload import (
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
def images(digits):
    return (digits[0].images * 16).clip(0, 255).astype(np.uint8)


@pytest.fixture
def explorer(digits, images):
    return kw.explore(digits[1], images=images)


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


def _buffers(value, path=""):
    """Every (path, memoryview) in a nested payload."""
    if isinstance(value, memoryview):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _buffers(v, f"{path}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _buffers(v, f"{path}/{i}")


def test_payload_is_binary_buffers_of_small_dtypes_and_json_safe(digits):
    _, res = digits
    p = explorer_payload({"exact": res}, n_bins=16, n_low=4)
    assert p["names"] == [str(c) for c in res.concepts.index]
    assert p["patterns"] == ["Fractured", "Overlapped", "Clustered", "Undefined"]
    assert p["colors"] == [kw.PATTERN_COLORS[n] for n in p["patterns"]]  # the one colour table
    found = dict(_buffers(p))
    # int32/float32/uint8; float64 only where a share of replicates must print exactly
    exact = ("/replicates/buffer", "/confidence/buffer")
    assert found and all(v.format in ("i", "f", "B") or (v.format == "d" and k.endswith(exact))
                         for k, v in found.items()), {k: v.format for k, v in found.items()}  # fmt: skip
    r = p["results"][0]
    hist = from_buffer(r["hist"])
    assert hist.shape == (10, 16)
    assert hist.sum(axis=1).tolist() == res.concepts["n"].tolist()  # every sample in one bin
    np.testing.assert_allclose(from_buffer(r["skewness"]), res.skewness.to_numpy(), rtol=1e-6)
    # kstar() gives intervals: they travel; a result without them (n_boot=0) has none to show
    np.testing.assert_allclose(from_buffer(r["ci_low"]), res.concepts["skewness_ci_low"], rtol=1e-6)
    bare = kw.KStarResult.build(
        k=res.k, censored=res.censored, labels=res.labels, codes=res.codes,
        concept_labels=res.concepts.index.to_numpy(), threshold=0.5, n_boot=0,
        intruder=res.intruder, intruder_distance=res.intruder_distance,
        method="exact", metric="euclidean", reason="test",
    )  # fmt: skip
    r0 = explorer_payload({"exact": bare}, n_bins=16, n_low=4)["results"][0]
    assert "ci_low" not in r0 or np.isnan(from_buffer(r0["ci_low"])).all()
    # what is not a buffer must be strict JSON (NaN is not: the page would fail to parse it)
    json.dumps(p, default=lambda v: None if isinstance(v, memoryview) else repr(v), allow_nan=False)


def test_payload_carries_intervals_and_confidence_when_the_result_has_them(digits):
    _, res = digits
    c = res.concepts.copy()
    c["skewness_ci_low"] = c["skewness"] - 0.3
    c["skewness_ci_high"] = c["skewness"] + 0.4
    c["pattern_confidence"] = np.linspace(0.5, 1.0, len(c))
    with_ci = dataclasses.replace(res, concepts=c)
    r = explorer_payload({"exact": with_ci})["results"][0]
    np.testing.assert_allclose(from_buffer(r["ci_high"]), c["skewness_ci_high"], rtol=1e-6)
    np.testing.assert_allclose(from_buffer(r["confidence"]), c["pattern_confidence"], rtol=1e-6)


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


def test_explorer_traits_documented_and_mimebundle(explorer):
    w = explorer
    assert w.selected_concept is None and w.selected_samples == [] and w.concept_index == -1
    bundle = w._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    for name, trait in type(w).class_own_traits().items():
        if not name.startswith("_"):
            assert len(trait.help) > 20, f"trait {name} has no docstring (help=)"
    # the module and its BokehJS: a shared model referenced by every explorer
    assert "export default" in w._esm and "loadBokeh" in w._esm
    other = kw.explore(explorer.results)
    assert other.bokehjs is w.bokehjs and len(w.bokehjs.source) > 1_000_000
    state = w.get_state()
    assert state["bokehjs"] == f"IPY_MODEL_{w.bokehjs.model_id}"  # a reference, not 1.4 MB


def test_selected_concept_accepts_labels_and_their_str(digits):
    _, res = digits
    labels = res.labels.astype(str)
    str_res = kw.kstar(_digits_x(), labels, method="exact", progress=False)
    w = kw.explore(str_res)
    w.selected_concept = 3  # labels are '0'..'9': str(3) == '3'
    assert w.selected_concept == "3" and w.concept_index == 3
    w.selected_concept = np.int64(4)
    assert w.selected_concept == "4"
    w2 = kw.explore(res)  # int labels: a string finds them too
    w2.selected_concept = "7"
    assert w2.selected_concept == 7 and w2.concept_index == 7
    with pytest.raises(ValueError, match="not a concept"):
        w2.selected_concept = 42

    class Three:
        def __str__(self):
            return "3"

    w2.selected_concept = Three()  # anything whose str() is exactly one label
    assert w2.selected_concept == 3
    with pytest.raises(ValueError, match=r"not a concept.*use one of 0, 1"):
        w2.selected_concept = "3 "


def _digits_x():
    from sklearn.datasets import load_digits

    return load_digits().data


def test_selection_from_the_page_reaches_python(explorer, digits):
    _, res = digits
    w = explorer
    seen = []
    w.observe(lambda c: seen.append(c["new"]), "selected_concept")
    w.concept_index = 5  # as a click in any view arrives
    assert w.selected_concept == 5 and seen == [5]
    ids = from_buffer(w.thumbs["ids"]).tolist()
    low = lowest_kstar(res, 6)
    assert set(low["sample"][5]) <= set(ids) and set(low["intruder"][5]) <= set(ids)
    assert from_buffer(w.thumbs["pixels"]).shape == (len(ids), 32, 32, 3)
    w.selected_concept = None
    assert w.concept_index == -1 and from_buffer(w.thumbs["ids"]).size == 0


def test_matrix_cell_sets_samples_and_nothing_echoes_them_away(explorer, digits):
    _, res = digits
    w = explorer
    m = res.intrusion_matrix().to_numpy().copy()
    np.fill_diagonal(m, 0)
    row, col = np.unravel_index(np.argmax(m), m.shape)
    w.selected_cell = [int(row), int(col)]
    w.concept_index = int(row)  # the page sets both, then saves
    hits = np.flatnonzero((res.codes == row) & (res.codes[res.intruder] == col))
    assert len(hits) == m[row, col] > 1
    assert w.selected_samples == hits.tolist()
    w.selected_concept = int(row)  # re-selecting, thumbnails, payload: no echo clears them
    w.threshold = 0.9
    assert w.selected_samples == hits.tolist()
    w.selected_samples = [int(hits[0])]  # Python sets them; the page only highlights
    assert w.selected_samples == [int(hits[0])]


def test_threshold_and_driver_are_checked(digits):
    _, res = digits
    w = kw.explore({"exact": res, "other": _fake(res, method="exact", name="o", seed=2)})
    w.threshold = 1.5
    assert (w.result.concepts["pattern"] == kw.classify(res.skewness, 1.5)).all()
    with pytest.raises(Exception, match="threshold"):
        w.threshold = -1
    w.driver = "other"
    assert w.result.name == "o" and w.compare_with == "exact"
    with pytest.raises(Exception, match="driver must be one of"):
        w.driver = "nope"


def test_several_results_every_one_reachable(digits):
    _, res = digits
    approx = _fake(res, method="approx", name="approx", seed=1)
    twin = _fake(res, method="exact", name="ViT-B-32 random", seed=2)
    w = kw.explore([res, approx, twin, dataclasses.replace(twin)])
    assert list(w.results) == ["exact", "approx", "ViT-B-32 random", "ViT-B-32 random (2)"]
    names = [r["name"] for r in w.payload["results"]]
    assert names == list(w.results)  # the page gets a button for each
    for name in names:
        w.driver = name
        assert w.driver == name
    assert w.compute_reason == "the approximate result is already shown"


def test_save_writes_one_offline_html_file(explorer, tmp_path):
    explorer.selected_concept = 2
    out = explorer.save(tmp_path / "report.html", title="digits report")
    html = (tmp_path / "report.html").read_text()
    assert out == str(tmp_path / "report.html")
    assert "cdn.bokeh.org" not in html and "<script src=" not in html  # nothing fetched
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<h1>digits report</h1>" in html and 'class="kstar-intro"' in html
    import bokeh

    assert html.count(f'version = "{bokeh.__version__}"') <= 1  # BokehJS inlined once
    assert 1_300_000 < len(html) < 3_000_000
    assert "export default { render }" in html  # the same module as the widget
    state = json.loads(re.search(r'id="kstar-state">(.*?)</script>', html, re.S).group(1))
    assert state["concept_index"] == 2 and state["driver"] == "exact"
    assert state["thumbs"]["ids"]["buffer"]["$buffer"]  # thumbnails embedded
    assert "bokeh-widgets" not in html and "bokeh-tables" not in html  # only core + API


def test_report_needs_no_ipywidgets(digits, tmp_path, monkeypatch):
    _, res = digits
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets would fail
    monkeypatch.setitem(sys.modules, "anywidget", None)
    path = kw.report(res, tmp_path / "r.html", title="digits")
    assert "<title>digits</title>" in open(path).read()


def test_import_loads_no_ui_library():
    code = (
        "import sys, kstar_widgets\n"
        "print(sorted(m for m in ('bokeh', 'ipywidgets', 'anywidget', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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
    assert "features=" in explorer.compute_reason  # the page shows why the button is off
    with pytest.raises(ValueError, match="does not exist"):
        kw.report(res, tmp_path / "missing" / "r.html")
    with pytest.raises(TypeError, match="file path"):
        kw.report(res, 3)
    with pytest.raises(ValueError, match="driver must be one of"):
        kw.report(res, tmp_path / "r.html", driver="nope")


def test_compute_approx_runs_in_a_thread_and_adds_the_view(digits, monkeypatch):
    d, res = digits
    from kstar_widgets import _kstar

    calls = []

    def fake_kstar(features, labels, **kw_):
        calls.append(kw_["method"])
        return _fake(res, method="approx", name="approx", seed=3)

    monkeypatch.setattr(_kstar, "kstar", fake_kstar)
    w = kw.explore(res, features=d.data)
    assert w.compute_reason == ""
    w.selected_concept = 4
    w._on_message(w, {"action": "compute_approx"}, [])  # the page's button
    w._thread.join()
    assert calls == ["approx"]
    assert list(w.results) == ["exact", "approx"] and not w.busy and "ready" in w.status
    assert [r["method"] for r in w.payload["results"]] == ["exact", "approx"]
    assert w.compute_reason and w.concept_index == 4  # the selection survives the rebuild


def test_failed_compute_says_why(digits, monkeypatch):
    d, res = digits
    from kstar_widgets import _kstar

    def broken(*a, **k):
        raise MemoryError("out of memory")

    monkeypatch.setattr(_kstar, "kstar", broken)
    w = kw.explore(res, features=d.data)
    w.compute_approx(wait=True)
    assert "out of memory" in w.status and not w.busy
    assert w.compute_reason == "" and list(w.results) == ["exact"]


def test_features_without_images_are_refused_at_the_call(digits):
    d, res = digits
    feats = kw.Features(d.data, d.target, concept_names=None, sample_ids=None)  # dataset=None
    with pytest.raises(ValueError, match=r"carries no images.*images=None"):
        kw.explore(res, images=feats)
    with pytest.raises(ValueError, match="carries no images"):
        kw.report(res, "unused.html", images=feats)


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
        assert from_buffer(w.thumbs["pixels"]).shape[1:] == (32, 32, 3)
    assert seen and all(s == 32 for s in seen)


def test_bokehjs_is_asked_for_when_the_shared_model_is_out_of_reach(explorer):
    sent = []
    explorer.send = lambda content, buffers=None: sent.append(content)
    explorer._handle_custom_msg({"action": "bokehjs"}, [])  # as a message from the page
    assert sent and sent[0]["bokehjs"] == explorer.bokehjs.source


def test_payload_says_when_concept_sizes_differ_more_than_twofold(digits):
    d, res = digits
    assert explorer_payload({"exact": res})["results"][0]["size_note"] is None  # 174-183
    keep = (d.target != 3) | (np.cumsum(d.target == 3) <= 40)
    uneven = kw.kstar(d.data[keep], d.target[keep], progress=False, n_boot=0)
    note = explorer_payload({"uneven": uneven})["results"][0]["size_note"]
    assert note == (
        "concept sizes differ: 40-182 samples; Γ changes with size, compare with "
        "kstar(..., per_concept=40)"
    )


def test_explorer_opens_on_a_size_matched_result(digits, images):
    d, _ = digits
    res = kw.kstar(d.data, d.target, per_concept=40, n_draws=3, progress=False, n_boot=50)
    rows = res.draws.index[0]  # the per-sample arrays are the first draw's
    w = kw.explore(res, images=images[rows])
    w.selected_concept = 3
    assert w.selected_concept == 3
    payload = explorer_payload({"matched": res})
    assert payload["results"][0]["size_note"] is None
    assert from_buffer(payload["n"]).tolist() == [40] * 10


def _cell(res):
    """The largest off-diagonal cell of the intrusion matrix and its samples."""
    m = res.intrusion_matrix().to_numpy().copy()
    np.fill_diagonal(m, 0)
    row, col = (int(v) for v in np.unravel_index(np.argmax(m), m.shape))
    return row, col, np.flatnonzero((res.codes == row) & (res.codes[res.intruder] == col))


@pytest.mark.parametrize("order", ["cell first", "concept first"])
def test_a_selection_belongs_to_the_concept_it_was_made_in(explorer, digits, order):
    """A matrix cell's samples, then another concept (from the page or from Python): the
    cell and its samples are cleared; the concept's own picks survive its re-selection."""
    _, res = digits
    w = explorer
    row, col, hits = _cell(res)
    other = (row + 1) % len(res.concepts)

    def click(cell, code):  # one message from the page, its keys in either order
        state = {"selected_cell": cell, "concept_index": code}
        w.set_state(state if order == "cell first" else dict(reversed(state.items())))

    click([row, col], row)
    assert w.selected_samples == hits.tolist() and w.selected_cell == [row, col]
    click([], other)  # an overview click, ◀ / ▶, the find box
    assert (w.selected_samples, w.selected_cell) == ([], [])
    click([row, col], row)
    w.selected_concept = other  # from Python
    assert (w.selected_samples, w.selected_cell) == ([], [])
    # samples picked in the concept's own table stay while it stays selected
    mine = np.flatnonzero(res.codes == other)[:3].tolist()
    w.selected_samples = mine
    click([], other)
    w.threshold = 1.2
    assert w.selected_samples == mine
    w.selected_samples = [int(hits[0]), 10**9]  # not all of the concept (one not a sample)
    click([], row)
    assert w.selected_samples == []
    w.selected_samples = mine
    w.selected_concept = None
    assert w.selected_samples == []


def test_payload_carries_the_replicates_within_its_budget(digits, monkeypatch):
    """Γ's bootstrap replicates travel (float64, per concept) so the page computes the pattern
    confidence at the live threshold; beyond the budget they stay home."""
    from kstar_widgets.widgets import _payload

    _, res = digits
    r = explorer_payload({"a": res})["results"][0]
    reps = from_buffer(r["replicates"])
    assert reps.dtype == np.float64 and reps.shape == (len(res.concepts), 1000)
    np.testing.assert_array_equal(reps, res.replicates.skewness[0].T)
    assert from_buffer(r["confidence"]).dtype == np.float64  # k / n_boot exactly
    monkeypatch.setattr(_payload, "REPLICATE_BYTES", reps.nbytes - 1)
    assert "replicates" not in explorer_payload({"a": res})["results"][0]
    bare = kw.kstar(_digits_x()[:300], res.codes[:300], progress=False, n_boot=0)
    assert "replicates" not in explorer_payload({"a": bare})["results"][0]
