"""The widgets' rules come from one place: view defaults, page state, threshold, Spearman ρ."""

import inspect
import json
import re

import anywidget
import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.widgets import KStarExplorer, explorer_payload
from kstar_widgets.widgets._options import DEFAULTS, ViewOptions
from kstar_widgets.widgets._state import PageState


@pytest.fixture(scope="module")
def res():
    x, y = kw.synthetic.concept_space(n_concepts=4, per_concept=15, dim=6, random_state=0)
    return kw.kstar(x, y, progress=False, n_boot=0)


@pytest.fixture(scope="module")
def two_concepts():
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(size=(25, 4)), rng.normal(size=(25, 4)) + 1.0]
    y = np.repeat([0, 1], 25)
    a = kw.kstar(x, y, progress=False, name="a", n_boot=0)
    b = kw.kstar(x + rng.normal(scale=0.5, size=x.shape), y, progress=False, name="b", n_boot=0)
    return a, b


def _state_of(path):
    html = open(path, encoding="utf-8").read()
    return json.loads(re.search(r'id="kstar-state">(.*?)</script>', html, re.S).group(1))


def test_the_widget_class_works_with_the_documented_defaults(res):
    w = KStarExplorer(res)
    p = w.payload
    assert (p["n_low"], p["rows"], p["max_matrix"]) == (6, 28, 40)
    assert ViewOptions() == DEFAULTS == ViewOptions(n_low=6, rows=28, max_matrix=40)
    assert w.payload["results"][0]["low"]["sample"]["shape"] == [4, 6]


@pytest.mark.parametrize("verb", [kw.explore, kw.report])
def test_explore_and_report_default_to_the_view_options(verb):
    params = inspect.signature(verb).parameters
    assert {name: params[name].default for name in DEFAULTS.as_dict()} == DEFAULTS.as_dict()


def test_view_options_are_checked_once_for_every_host(res, tmp_path):
    with pytest.raises(TypeError, match="rows must be an int"):
        KStarExplorer(res, rows=2.5)
    with pytest.raises(ValueError, match="max_matrix must be at least 2"):
        kw.report(res, tmp_path / "r.html", max_matrix=1)
    with pytest.raises(ValueError, match="n_low must be at least 1"):
        explorer_payload({"r": res}, n_low=0)
    with pytest.raises(TypeError):
        KStarExplorer(res, n_rows=3)  # unknown options are refused, not ignored


def test_saved_widget_keeps_its_options(res, tmp_path):
    w = kw.explore(res, n_low=3, rows=5)
    state = _state_of(w.save(tmp_path / "w.html"))
    assert (state["payload"]["n_low"], state["payload"]["rows"]) == (3, 5)


def test_report_state_is_the_widgets_synced_traits(res, tmp_path):
    synced = set(KStarExplorer.class_traits(sync=True)) - set(
        anywidget.AnyWidget.class_traits(sync=True)
    )
    state = _state_of(kw.report(res, tmp_path / "r.html"))
    assert set(PageState.class_traits(sync=True)) <= synced
    # the report's host has no widget model for BokehJS, and every concept's islands and
    # each sample's concept and intruder's concept (it keeps the selection as the kernel does)
    assert set(state) == (synced - {"bokehjs"}) | {"island_bank", "sample_bank"}
    assert state["selected_samples"] == [] and state["busy"] is False


@pytest.mark.parametrize("bad", ["0.5", [1]])
def test_threshold_not_a_number_is_a_type_error_in_both_hosts(res, tmp_path, bad):
    with pytest.raises(TypeError, match="threshold must be a number"):
        kw.explore(res, threshold=bad)
    with pytest.raises(TypeError, match="threshold must be a number"):
        kw.report(res, tmp_path / "r.html", threshold=bad)


@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf])
def test_threshold_out_of_range_is_a_value_error_in_both_hosts(res, tmp_path, bad):
    with pytest.raises(ValueError, match="finite number >= 0"):
        kw.explore(res, threshold=bad)
    with pytest.raises(ValueError, match="finite number >= 0"):
        kw.report(res, tmp_path / "r.html", threshold=bad)
    w = kw.explore(res)
    with pytest.raises(ValueError, match="finite number >= 0"):
        w.threshold = bad


def test_spearman_of_two_concepts_is_none_in_the_payload(two_concepts):
    a, b = two_concepts
    corr = explorer_payload({"a": a, "b": b})["rank_corr"]
    assert corr == [[None, None], [None, None]]
    assert np.isnan(kw.compare(a, b, n_boot=0).rank_correlation)


def test_payload_and_compare_give_the_same_spearman(res):
    x, y = kw.synthetic.concept_space(n_concepts=4, per_concept=15, dim=6, random_state=0)
    noise = np.random.default_rng(1).normal(scale=0.3, size=x.shape)
    other = kw.kstar(x + noise, y, progress=False, n_boot=0)
    assert np.isfinite(other.concepts["skewness"]).sum() >= 3
    corr = explorer_payload({"a": res, "b": other})["rank_corr"]
    rho = kw.compare(res, other, n_boot=0).rank_correlation
    assert corr[0][1] == corr[1][0] == pytest.approx(rho)
    assert corr[0][0] == pytest.approx(1.0)
