"""Every engine behind the one interface, checked the same way (scikit-learn's
algorithm-agnostic neighbour tests are the model): shapes, estimates, ground truth."""

import warnings

import numpy as np
import pytest
from brute_force import brute_force_kstar

import kstar_widgets as kw
from kstar_widgets.engines import (
    ENGINES,
    ApproxEngine,
    Engine,
    EngineResult,
    ExactEngine,
    build_problem,
    choose_engine,
    get_engine,
    select_engine,
)
from kstar_widgets.engines._cost import exact_seconds
from kstar_widgets.utils._warnings import DegenerateSpaceWarning


def problem_of(x, y, metric="euclidean", n_neighbors=None):
    return build_problem(
        x, y, metric=metric, n_neighbors=n_neighbors, random_state=0, device="cpu"
    )[0]


@pytest.fixture(scope="module")
def separated():
    x, y = kw.synthetic.concept_space(n_concepts=4, per_concept=15, dim=6, random_state=3)
    return x, y


def tied():
    """Small integer vectors: exact ties and duplicates, within and across concepts."""
    rng = np.random.default_rng(7)
    x = rng.integers(-2, 3, size=(48, 3)).astype(np.float32)
    x[(x == 0).all(axis=1)] = 1.0  # no all-zero row: cosine needs a direction
    x[40:] = x[:8]  # duplicates of concept-0 rows, some in other concepts
    return x, np.r_[np.repeat([0, 1, 2], 13), [0] * 1, rng.integers(0, 3, 8)]


def engine_for(key, request):
    """A fresh engine of the registry; the Dask ones on the session's LocalCluster."""
    backend, method = key
    client = request.getfixturevalue("client") if backend == "dask" else None
    return get_engine(method, backend, client)


REGISTRY = [
    pytest.param(key, id="-".join(key), marks=[pytest.mark.slow] if key[0] == "dask" else [])
    for key in sorted(ENGINES)
]


@pytest.mark.parametrize("key", REGISTRY)
@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("space", ["separated", "tied"])
@pytest.mark.filterwarnings("ignore::kstar_widgets.DegenerateSpaceWarning")
def test_every_engine_returns_one_result_that_matches_brute_force(key, metric, space, request):
    """Every engine of the registry, local and Dask, on the same spaces: the float64 brute
    force sample for sample (the approximate ones with a budget of n - 1, where they are exact)."""
    x, y = request.getfixturevalue("separated") if space == "separated" else tied()
    # a budget of n - 1 holds every sample: no censoring, the list is the full ranking
    problem = problem_of(x, y, metric, n_neighbors=len(x) - 1)
    engine = engine_for(key, request)
    assert isinstance(engine, Engine) and (engine.backend, engine.name) == key
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
    with pytest.raises(ValueError, match="method='fast' is not known"):
        select_engine(None, "fast", "dask")


class SlowExact(ExactEngine):
    """An exact engine that says it needs a billion seconds."""

    def estimate_seconds(self, problem):
        return 1e9


def test_choice_follows_the_estimates_and_says_them(separated):
    problem = problem_of(*separated)
    engine, reason = choose_engine(problem)
    assert engine.name == "exact" and "est." in reason
    engines = {"exact": SlowExact(), "approx": ApproxEngine()}
    engine, reason = choose_engine(problem, engines=engines)
    assert engine.name == "approx" and "3x faster than exact (est. 1000000000.0 s)" in reason


class Estimated(ExactEngine):
    def __init__(self, seconds, exact=True):
        super().__init__()
        self.seconds, self.exact = seconds, exact

    def estimate_seconds(self, problem):
        return self.seconds


@pytest.mark.parametrize(("exact_s", "approx_s", "chosen"), [(20, 10, "exact"), (30, 10, "approx")])
def test_auto_takes_an_approximate_engine_only_when_it_is_much_faster(
    separated, exact_s, approx_s, chosen
):
    """Exact k* is right by construction: approx must be estimated 3x faster to be chosen."""
    engines = {"exact": Estimated(exact_s), "approx": Estimated(approx_s, exact=False)}
    engine, reason = choose_engine(problem_of(*separated), engines=engines)
    assert engine is engines[chosen], reason
    seconds = {"exact": exact_s, "approx": approx_s}[chosen]
    assert reason.startswith(f"auto: {chosen} (est. {seconds:.1f} s)"), reason


def test_auto_is_settled_once_per_backend_and_named_methods_say_so(separated):
    problem = problem_of(*separated)
    engine, reason = select_engine(problem, "approx")
    assert isinstance(engine, ApproxEngine) and reason == "method='approx' was asked for"
    # on a cluster "auto" means exact; the engine is made without contacting the cluster
    engine, reason = select_engine(problem, "auto", "dask", client=None)
    assert (engine.backend, engine.name) == ("dask", "exact") and "method='auto'" in reason


def test_an_engine_object_runs_with_its_own_options(separated):
    x, y = separated
    res = kw.kstar(x, y, engine=ExactEngine(block_rows=7), progress=False)
    ref = kw.kstar(x, y, method="exact", progress=False)
    np.testing.assert_array_equal(res.k, ref.k)
    assert res.method == "exact" and "engine=" in res.reason


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
    # float32 makes the two vectors one: the distance-0 warning comes with it
    with pytest.warns(DegenerateSpaceWarning) as record:  # identical vectors warn as well
        kw.kstar(x, y, method="exact", progress=False)
    assert any("near-zero variance" in str(w.message) for w in record)


def test_no_warning_on_an_ordinary_space(separated):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kw.kstar(*separated, method="exact", progress=False)
