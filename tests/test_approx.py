"""The approximate engine against the exact one, with stated tolerances."""

import numpy as np
import pytest
from brute_force import brute_force_kstar

import kstar_widgets as kw

# tied integer spaces and duplicates are the point here, not a mistake to warn about
pytestmark = pytest.mark.filterwarnings("ignore::kstar_widgets.DegenerateSpaceWarning")


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


@pytest.mark.slow
def test_censoring_is_reported_and_exact_when_the_list_holds_the_concept():
    rng = np.random.default_rng(1)
    # two far, tight concepts of 40 and one of 5: with K=10 the big ones are censored,
    # the small one's list holds all its 4 other samples, so k* = 5 exactly
    x = np.vstack(
        [rng.normal(0, 0.1, (40, 6)), rng.normal(50, 0.1, (40, 6)), rng.normal(-50, 0.1, (5, 6))]
    )
    y = np.repeat([0, 1, 2], [40, 40, 5])
    res = kw.kstar(x, y, method="approx", n_neighbors=10, random_state=0, progress=False)
    assert res.censored[:80].all() and (res.k[:80] == 11).all()
    assert not res.censored[80:].any() and (res.k[80:] == 5).all()
    assert (
        res.concepts.loc[0, "censored_share"] == 1.0
        and res.concepts.loc[2, "censored_share"] == 0.0
    )
    assert res.summary["censored_share"] == pytest.approx(80 / 85)
    assert (res.intruder[:80] == -1).all()
    k_ref, _ = brute_force_kstar(x, y)
    assert (k_ref[:80] > 10).all()  # the lower bound is honest
    np.testing.assert_array_equal(res.k[80:], k_ref[80:])


@pytest.mark.slow
def test_approx_on_digits_with_ties_matches_exact_where_not_censored(digits):
    x, y = digits
    res = kw.kstar(x, y, method="approx", n_neighbors=60, random_state=0, progress=False)
    exact = kw.kstar(x, y, method="exact", progress=False)
    ok = ~res.censored
    assert ok.mean() > 0.5
    assert np.mean(res.k[ok] == exact.k[ok]) >= 0.99
    assert (res.k[res.censored] == 61).all() and (exact.k[res.censored] > 60).all()


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
    assert "numba" in err and "first call" in err
    kw.kstar(x, y, method="approx", random_state=0, progress=True)
    assert "numba" not in capsys.readouterr().err
