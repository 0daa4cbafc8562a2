"""Every engine behind the one interface, checked the same way (scikit-learn's
algorithm-agnostic neighbour tests are the model): shapes, estimates, ground truth."""

import warnings

import numpy as np
import pytest
from brute_force import brute_force_kstar

import kstar_widgets as kw
from kstar_widgets._kstar import _problem
from kstar_widgets._warnings import DegenerateSpaceWarning
from kstar_widgets.engines import ENGINES, Engine, EngineResult, choose_engine, get_engine
from kstar_widgets.engines._cost import exact_seconds


def problem_of(x, y, metric="euclidean", n_neighbors=None):
    return _problem(x, y, "auto", metric, n_neighbors, 0, "cpu")[0]


@pytest.fixture(scope="module")
def separated():
    x, y = kw.synthetic.concept_space(n_concepts=4, per_concept=15, dim=6, random_state=3)
    return x, y


@pytest.mark.parametrize("name", sorted(ENGINES))
@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_every_engine_returns_one_result_that_matches_brute_force(name, metric, separated):
    x, y = separated
    # a budget of n - 1 holds every sample: no censoring, the list is the full ranking
    problem = problem_of(x, y, metric, n_neighbors=len(x) - 1)
    engine = get_engine(name)
    assert isinstance(engine, Engine) and engine.name == name
    out = engine.run(problem, progress=False)
    assert isinstance(out, EngineResult)
    n = len(x)
    for arr, dtype in ((out.k, np.int64), (out.intruder, np.int64), (out.censored, bool)):
        assert arr.shape == (n,) and arr.dtype == dtype
    k_ref, d_ref = brute_force_kstar(x, y, metric)
    assert not out.censored.any()
    np.testing.assert_array_equal(out.k, k_ref)
    np.testing.assert_allclose(out.intruder_sqdist, d_ref, rtol=0, atol=1e-12)
    assert np.all(np.asarray(y)[out.intruder] != np.asarray(y))
    assert out.timings and all(t >= 0 for t in out.timings.values())
    est = engine.estimate_seconds(problem)
    assert np.isfinite(est) and est >= 0


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="method='fast' is not known"):
        get_engine("fast")


def test_choice_follows_the_estimates_and_says_them(separated, monkeypatch):
    problem = problem_of(*separated)
    engine, reason = choose_engine(problem)
    assert engine.name == "exact" and "est." in reason
    monkeypatch.setattr(ENGINES["exact"], "estimate_seconds", lambda self, p: 1e9)
    engine, reason = choose_engine(problem)
    assert engine.name == "approx" and "beats exact (est. 1000000000.0 s)" in reason


def test_exact_estimate_counts_the_float64_settling_of_duplicates():
    """A space of few distinct vectors shared across concepts settles most rows in
    float64; the estimate must see that work, not only the products (issue 10)."""
    rng = np.random.default_rng(0)
    distinct = rng.normal(size=(20, 64))
    x = distinct[rng.integers(0, 20, 3000)]
    y = rng.integers(0, 10, 3000)
    problem = problem_of(x, y)
    est = get_engine("exact").estimate_seconds(problem)
    assert est > 10 * exact_seconds(problem)
    clean = problem_of(rng.normal(size=(3000, 64)), y)
    assert get_engine("exact").estimate_seconds(clean) == pytest.approx(exact_seconds(clean))


def test_warns_when_identical_vectors_cross_concepts():
    rng = np.random.default_rng(1)
    distinct = rng.normal(size=(30, 8))
    x = distinct[rng.integers(0, 30, 400)]
    y = rng.integers(0, 4, 400)
    with pytest.warns(DegenerateSpaceWarning, match=r"distance 0.*only 30 of the 400 vectors"):
        kw.kstar(x, y, method="exact", progress=False)


def test_warns_on_constant_features():
    x = np.full((60, 5), 3.0)
    x[::2, 0] += 1e-9  # nearly constant: two vectors, 1e-9 apart
    y = np.repeat([0, 1, 2], 20)
    with pytest.warns(DegenerateSpaceWarning, match="near-zero variance"):
        kw.kstar(x, y, method="exact", progress=False)


def test_no_warning_on_an_ordinary_space(separated):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kw.kstar(*separated, method="exact", progress=False)
