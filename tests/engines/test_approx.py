"""The approximate engine against the exact one, with stated tolerances."""

import numpy as np
import pytest
from brute_force import brute_force_kstar

import kstar_widgets as kw


@pytest.fixture(scope="module")
def imagenet_like():
    """300 concepts x 50 samples, d=128, concepts of different spreads and island counts."""
    x, y = kw.synthetic.concept_space(
        n_concepts=300, per_concept=50, dim=128, separation=2.0, random_state=0
    )
    exact = kw.kstar(x, y, method="exact", progress=False)
    approx = kw.kstar(x, y, method="approx", random_state=0, progress=False)
    return x, y, exact, approx


@pytest.mark.slow
def test_approx_gamma_matches_exact_on_imagenet_shaped_space(imagenet_like):
    _, _, exact, approx = imagenet_like
    # 1.5 x the largest concept (50), at most 50
    assert approx.method == "approx" and approx.n_neighbors == 50
    c = kw.compare(exact, approx)
    cc = c.concepts
    close = (cc["skewness_diff"].abs() <= 0.1) | (cc["skewness_a"].isna() & cc["skewness_b"].isna())
    assert close.mean() >= 0.95
    assert c.pattern_agreement >= 0.95
    assert c.kstar_agreement >= 0.99
    assert not approx.censored.any()  # K >= n_c - 1: a list without foreign holds the whole concept


@pytest.mark.slow
def test_seeded_approx_runs_are_reproducible(imagenet_like):
    x, y, _, approx = imagenet_like
    again = kw.kstar(x, y, method="approx", random_state=0, progress=False)
    np.testing.assert_array_equal(again.k, approx.k)
    np.testing.assert_array_equal(again.intruder, approx.intruder)


def approx_without_resolving(x, y, n_neighbors):
    """The approximate engine as the lists leave it (the path of concepts too large to
    verify): k* read off the lists, censored samples stay censored."""
    from kstar_widgets.engines import ApproxEngine, build_problem

    problem, _ = build_problem(x, y, n_neighbors=n_neighbors, random_state=0, device="cpu")
    return ApproxEngine(verify=False, resolve_censored=False).run(problem, progress=False)


def two_tight_concepts_and_a_small_one():
    rng = np.random.default_rng(1)
    x = np.vstack(
        [rng.normal(0, 0.1, (40, 6)), rng.normal(50, 0.1, (40, 6)), rng.normal(-50, 0.1, (5, 6))]
    )
    return x, np.repeat([0, 1, 2], [40, 40, 5])


@pytest.mark.slow
def test_censoring_is_reported_and_exact_when_the_list_holds_the_concept():
    # two far, tight concepts of 40 and one of 5: with K=10 the big ones are censored,
    # the small one's list holds all its 4 other samples, so k* = 5 exactly
    x, y = two_tight_concepts_and_a_small_one()
    out = approx_without_resolving(x, y, 10)
    assert out.censored[:80].all() and (out.k[:80] == 11).all()
    assert not out.censored[80:].any() and (out.k[80:] == 5).all()
    assert (out.intruder[:80] == -1).all()
    k_ref, _ = brute_force_kstar(x, y)
    assert (k_ref[:80] > 10).all()  # the lower bound is honest
    np.testing.assert_array_equal(out.k[80:], k_ref[80:])
    res = kw.KStarResult.build(
        k=out.k,
        censored=out.censored,
        labels=y,
        codes=y,
        concept_labels=np.array([0, 1, 2]),
        threshold=0.5,
        intruder=out.intruder,
        intruder_distance=np.sqrt(out.intruder_sqdist),
        method="approx",
        metric="euclidean",
        reason="test",
    )
    assert res.concepts.loc[0, "censored_share"] == 1.0
    assert res.concepts.loc[2, "censored_share"] == 0.0
    assert res.summary["censored_share"] == pytest.approx(80 / 85)


@pytest.mark.slow
def test_censored_samples_are_computed_exactly_when_cheap():
    from kstar_widgets.engines import ApproxEngine

    x, y = two_tight_concepts_and_a_small_one()
    res = kw.kstar(
        x, y, engine=ApproxEngine(verify=False), n_neighbors=10, random_state=0, progress=False
    )  # the lists' path (concepts too large to verify)
    k_ref, d_ref = brute_force_kstar(x, y)
    assert not res.censored.any() and res.info["censored_resolved_exactly"] == 80
    np.testing.assert_array_equal(res.k, k_ref)
    np.testing.assert_allclose(res.intruder_distance, np.sqrt(d_ref), rtol=0, atol=1e-12)
    assert np.all(y[res.intruder] != y)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_exact_rows_equal_brute_force_with_ties(digits, metric):
    """The row-by-row exact pass that resolves censored samples, on integer pixels (ties)."""
    from kstar_widgets.engines import build_problem
    from kstar_widgets.engines._rows import exact_rows

    x, y = digits
    problem, _ = build_problem(x, y, metric=metric, random_state=0, device="cpu")
    rows = np.random.default_rng(0).choice(len(x), 300, replace=False)
    k, intruder, sqd = exact_rows(problem, rows)
    k_ref, d_ref = brute_force_kstar(x, y, metric)
    np.testing.assert_array_equal(k, k_ref[rows])
    np.testing.assert_allclose(sqd, d_ref[rows], rtol=0, atol=1e-12)
    assert np.all(y[intruder] != y[rows])


@pytest.mark.slow
def test_approx_on_digits_with_ties_matches_exact_where_not_censored(digits):
    x, y = digits
    out = approx_without_resolving(x, y, 60)
    exact = kw.kstar(x, y, method="exact", progress=False)
    ok = ~out.censored
    assert ok.mean() > 0.5
    assert np.mean(out.k[ok] == exact.k[ok]) >= 0.99
    assert (out.k[out.censored] == 61).all() and (exact.k[out.censored] > 60).all()
    res = kw.kstar(x, y, method="approx", n_neighbors=60, random_state=0, progress=False)
    assert not res.censored.any()
    np.testing.assert_array_equal(res.k[out.censored], exact.k[out.censored])
    assert np.mean(res.k == exact.k) >= 0.99


@pytest.mark.slow
def test_approx_cosine(digits):
    x, y = digits
    xs, ys = x[::3], y[::3]
    res = kw.kstar(xs, ys, method="approx", metric="cosine", random_state=0, progress=False)
    k_ref, _ = brute_force_kstar(xs, ys, "cosine")
    ok = ~res.censored
    assert np.mean(res.k[ok] == k_ref[ok]) >= 0.99


def test_first_use_tells_the_user_about_compilation(capsys, monkeypatch):
    from kstar_widgets.engines import _graph

    monkeypatch.setitem(_graph._state, "compiled", False)
    x, y = kw.synthetic.concept_space(n_concepts=3, per_concept=10, dim=4)
    kw.kstar(x, y, method="approx", random_state=0, progress=True)
    err = capsys.readouterr().err
    assert "numba" in err and "first graph" in err and "Ctrl-C" in err
    kw.kstar(x, y, method="approx", random_state=0, progress=True)
    assert "numba" not in capsys.readouterr().err


def test_censored_samples_are_resolved_only_when_cheap():
    """The one rule of every approximate engine: all censored samples, or none."""
    from kstar_widgets.engines.approx import censored_to_resolve

    censored = np.array([True, False, True, True])
    cheap = censored_to_resolve(censored, lambda m: 0.1 * m, t_graph=1.0)
    np.testing.assert_array_equal(cheap, [0, 2, 3])
    # at most half the graph's time, or 5 s, whichever is larger
    assert len(censored_to_resolve(censored, lambda m: 6.0, t_graph=12.0)) == 3
    assert len(censored_to_resolve(censored, lambda m: 6.0, t_graph=11.0)) == 0
    assert len(censored_to_resolve(censored, lambda m: float("inf"), t_graph=1.0)) == 0
    assert len(censored_to_resolve(censored, lambda m: 0.0, t_graph=1.0, enabled=False)) == 0
