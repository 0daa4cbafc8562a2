"""Bootstrap intervals of Γ, pattern confidence and whole-space intervals (docs/method.md)."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats

import kstar_widgets as kw
import kstar_widgets.stats._bootstrap as bootstrap
from kstar_widgets.stats._bootstrap import draw, percentile_interval
from kstar_widgets.stats._intervals import space_replicates, wilson_interval
from kstar_widgets.utils._format import number


def _build(k, codes, **kw_):
    """A result straight from k* values (no features needed)."""
    k = np.asarray(k, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    concepts = np.arange(codes.max() + 1)
    return kw.KStarResult.build(
        k=k,
        censored=np.zeros(len(k), bool),
        labels=codes,
        codes=codes,
        concept_labels=concepts,
        threshold=kw_.pop("threshold", 0.5),
        intruder=np.zeros(len(k), np.int64),
        intruder_distance=np.zeros(len(k)),
        method="exact",
        metric="euclidean",
        reason="test",
        **kw_,
    )


def _reference_replicates(k, codes, n_concepts, n_boot, seed):
    """A plain loop over replicates and concepts that replays the documented draw order."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_concepts, size=(n_boot, n_concepts))
    weights = np.zeros((n_boot, n_concepts), np.int64)
    for r in range(n_boot):
        for j in picks[r]:
            weights[r, j] += 1
    sizes = np.bincount(codes, minlength=n_concepts)
    skew = np.full((n_boot, n_concepts), np.nan)
    mean = np.full((n_boot, n_concepts), np.nan)
    for m in sorted(set(sizes[sizes > 0])):
        group = [c for c in range(n_concepts) if sizes[c] == m]
        idx = rng.integers(0, m, size=(n_boot, len(group), m))  # one draw, no chunks
        for gi, c in enumerate(group):
            values = k[codes == c].astype(np.float64)
            for r in range(n_boot):
                v = values[idx[r, gi]]
                mean[r, c] = v.mean()
                if m < 3:
                    continue
                if v.min() == v.max():
                    skew[r, c] = np.inf if v[0] == 1 else -np.inf if v[0] == m else np.nan
                else:
                    skew[r, c] = scipy.stats.skew(v)
    return weights, skew, mean


@pytest.fixture
def mixed_k():
    """Concepts of repeated and odd sizes, including every degenerate case."""
    rng = np.random.default_rng(3)
    sizes = [50, 50, 7, 50, 2, 1, 7, 12, 5, 6]
    k = [rng.integers(1, m + 1, m) for m in sizes]
    k[2] = np.ones(7, np.int64)  # all k* = 1
    k[6] = np.full(7, 7)  # all k* = n
    k[8] = np.array([1, 1, 1, 1, 2])  # replicates often all 1
    k[9] = np.full(6, 2)  # constant, neither 1 nor n
    codes = np.repeat(np.arange(len(sizes)), sizes)
    perm = rng.permutation(len(codes))  # samples need not be sorted by concept
    return np.concatenate(k)[perm], codes[perm]


def test_vectorised_replicates_equal_a_plain_loop(mixed_k, monkeypatch):
    k, codes = mixed_k
    monkeypatch.setattr(bootstrap, "_CHUNK_VALUES", 37)  # many chunks of replicates
    reps = draw([k], codes, 10, n_boot=60, seed=11, confidence=0.95)
    weights, skew, mean = _reference_replicates(k, codes, 10, 60, 11)
    np.testing.assert_array_equal(reps.weights, weights)
    got = reps.skewness[0]
    np.testing.assert_array_equal(np.isnan(got), np.isnan(skew))
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(skew))
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(skew))
    finite = np.isfinite(skew)
    np.testing.assert_allclose(got[finite], skew[finite], rtol=0, atol=1e-12)
    np.testing.assert_allclose(reps.mean_k[0], mean, rtol=1e-15)
    assert np.isposinf(got[:, 8]).any() and np.isfinite(got[:, 8]).any()


def test_whole_space_replicates_equal_a_plain_loop(mixed_k):
    k, codes = mixed_k
    reps = draw([k], codes, 10, n_boot=40, seed=2, confidence=0.95)
    sizes = np.bincount(codes)
    figs = space_replicates(reps.skewness[0], reps.mean_k[0], reps.weights, sizes, 0.5)
    for r in range(40):
        chosen = np.repeat(np.arange(10), reps.weights[r])
        g = reps.skewness[0][r, chosen]
        finite = g[np.isfinite(g)]
        expected = finite.mean() if finite.size else np.nan
        assert figs["mean_skewness"][r] == pytest.approx(expected, abs=1e-12, nan_ok=True)
        assert figs["share_fractured"][r] == pytest.approx(np.mean(g > 0.5))
        assert figs["share_clustered"][r] == pytest.approx(np.mean(g < -0.5))
        assert figs["share_overlapped"][r] == pytest.approx(np.mean(np.abs(g) <= 0.5))
        n_c = sizes[chosen]
        kn = (reps.mean_k[0][r, chosen] / n_c * n_c).sum() / n_c.sum()
        assert figs["mean_kstar_norm"][r] == pytest.approx(kn, abs=1e-12)


def test_percentile_interval_is_order_statistics_without_nan():
    reps = np.array([[np.nan, 1.0], [3.0, np.inf], [2.0, 2.0], [1.0, np.nan]])
    lo, hi = percentile_interval(reps, 0.5)  # quarter and three-quarter points
    assert (lo[0], hi[0]) == (1.0, 3.0)  # 3 defined: 1st and 3rd smallest
    assert (lo[1], hi[1]) == (1.0, np.inf)
    lo, hi = percentile_interval(np.full((5, 1), np.nan), 0.95)
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def test_degenerate_concepts_follow_the_documented_rules(mixed_k):
    k, codes = mixed_k
    c = _build(k, codes).concepts
    assert (c.loc[2, "skewness_ci_low"], c.loc[2, "skewness_ci_high"]) == (np.inf, np.inf)
    assert c.loc[2, "pattern_confidence"] == 1.0
    assert (c.loc[6, "skewness_ci_low"], c.loc[6, "skewness_ci_high"]) == (-np.inf, -np.inf)
    assert c.loc[6, "pattern_confidence"] == 1.0
    for small in (4, 5, 9):  # fewer than 3 samples, and constant k* = 2
        row = c.loc[small]
        assert np.isnan(row["skewness_ci_low"]) and np.isnan(row["skewness_ci_high"])
        assert np.isnan(row["pattern_confidence"]) and row["pattern"] == "Undefined"
    assert "fewer than 3" in c.loc[4, "note"] and "fewer than 3" in c.loc[5, "note"]
    # concept 8 (k* 1,1,1,1,2): Γ = 1.5; replicates of five 1s count as +inf, Fractured
    assert c.loc[8, "skewness_ci_high"] == np.inf
    assert 0.6 < c.loc[8, "pattern_confidence"] < 1.0


@pytest.mark.parametrize(("a", "b", "n"), [(1.0, 3.0, 50), (0.5, 2.0, 200), (2.0, 5.0, 200)])
def test_nominal_95_interval_covers_known_skewness(a, b, n):
    """Beta values are bounded like k*/n_c; coverage over 300 seeded trials lies in 90-99%."""
    trials = 300
    truth = 2 * (b - a) * np.sqrt(a + b + 1) / ((a + b + 2) * np.sqrt(a * b))
    x = np.random.default_rng(0).beta(a, b, size=(trials, n))
    k = np.round(x * 1e5).astype(np.int64).ravel() + 1  # Γ is scale-free
    reps = draw([k], np.repeat(np.arange(trials), n), trials, n_boot=1000, seed=1, confidence=0.95)
    lo, hi = percentile_interval(reps.skewness[0], 0.95)
    coverage = np.mean((lo <= truth) & (truth <= hi))
    assert 0.90 <= coverage <= 0.99, coverage


def test_interval_widths_shrink_as_one_over_root_n():
    trials = 200
    widths = {}
    for n in (50, 200):
        x = np.random.default_rng(n).beta(1.0, 3.0, size=(trials, n))
        k = np.round(x * 1e5).astype(np.int64).ravel() + 1
        reps = draw(
            [k], np.repeat(np.arange(trials), n), trials, n_boot=500, seed=0, confidence=0.95
        )
        lo, hi = percentile_interval(reps.skewness[0], 0.95)
        widths[n] = np.mean(hi - lo)
    assert 1.7 < widths[50] / widths[200] < 2.3, widths


def test_interval_holds_gamma_on_real_data_and_seeds_reproduce(digits):
    x, y = digits
    res = kw.kstar(x, y, method="exact", progress=False)
    c = res.concepts
    assert (
        (c["skewness_ci_low"] <= c["skewness"]) & (c["skewness"] <= c["skewness_ci_high"])
    ).all()
    assert ((c["pattern_confidence"] > 0) & (c["pattern_confidence"] <= 1)).all()
    s = res.summary
    for f in ("mean_skewness", "share_fractured", "mean_kstar_norm"):
        assert s[f"{f}_ci_low"] <= s[f] <= s[f"{f}_ci_high"], f
    assert s["n_boot"] == 1000 and s["confidence"] == 0.95
    again = kw.kstar(x, y, method="exact", progress=False, random_state=0)
    pd.testing.assert_frame_equal(res.concepts, again.concepts)  # None means seed 0
    other = kw.kstar(x, y, method="exact", progress=False, random_state=1)
    assert not np.array_equal(other.concepts["skewness_ci_low"], c["skewness_ci_low"])
    narrow = kw.kstar(x, y, method="exact", progress=False, confidence=0.5)
    assert (narrow.concepts["skewness_ci_high"] - narrow.concepts["skewness_ci_low"]
            < c["skewness_ci_high"] - c["skewness_ci_low"]).all()  # fmt: skip
    assert "mean Γ" in repr(res) and f"[{number(s['mean_skewness_ci_low'], '.3f')}," in repr(res)


def test_with_threshold_recomputes_pattern_confidence_only(mixed_k):
    k, codes = mixed_k
    res = _build(k, codes)
    loose = res.with_threshold(1.0)
    cols = ["skewness_ci_low", "skewness_ci_high"]
    pd.testing.assert_frame_equal(loose.concepts[cols], res.concepts[cols])
    reps = res.replicates.skewness[0]
    for c in (0, 1, 3, 7, 8):
        pattern = loose.concepts.loc[c, "pattern"]
        share = np.mean(kw.classify(reps[:, c], 1.0) == pattern)
        assert loose.concepts.loc[c, "pattern_confidence"] == pytest.approx(share)
    assert loose.summary["n_boot"] == res.summary["n_boot"]
    assert loose.summary["share_fractured_ci_high"] <= res.summary["share_fractured_ci_high"]


def test_n_boot_zero_switches_intervals_off(mixed_k):
    k, codes = mixed_k
    res = _build(k, codes, n_boot=0)
    assert res.replicates is None and res.summary["n_boot"] == 0
    assert (
        res.concepts[["skewness_ci_low", "skewness_ci_high", "pattern_confidence"]]
        .isna()
        .all()
        .all()
    )
    assert np.isnan(res.summary["mean_skewness_ci_low"])
    assert "[" not in repr(res) and "<table" in res._repr_html_()
    with pytest.raises(ValueError, match="n_boot"):
        _build(k, codes, n_boot=-5)


@pytest.mark.parametrize(("k", "n"), [(0, 300), (297, 300), (300, 300), (5, 9), (1, 1)])
def test_wilson_interval_is_scipys(k, n):
    """The audit's share interval against scipy's Wilson score interval (ground truth)."""
    ref = scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    np.testing.assert_allclose(wilson_interval(k, n), (ref.low, ref.high), rtol=1e-12, atol=1e-15)
    low, high = wilson_interval(k, n)
    assert low <= k / n <= high  # the share it was computed from, exactly
    assert (low == 0.0) == (k == 0) and (high == 1.0) == (k == n)
