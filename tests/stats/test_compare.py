"""compare() on results whose differences are known."""

import numpy as np
import pandas as pd
import pytest

import kstar_widgets as kw
from kstar_widgets.utils._format import MINUS


@pytest.fixture(scope="module")
def pair():
    x, y = kw.synthetic.concept_space(
        n_concepts=8,
        per_concept=40,
        dim=10,
        islands=(3, 3),
        spread=(1.0, 1.0),
        separation=1.0,
        random_state=5,
    )
    a = kw.kstar(x, y, method="exact", progress=False, name="mixed")
    moved = x.copy()
    moved[y == 0] = moved[y == 0] * 0.05 + 100.0  # concept 0 becomes one tight, far island
    b = kw.kstar(moved, y, method="exact", progress=False, name="moved")
    return a, b


def test_compare_identical_results_agree_fully(pair):
    a, _ = pair
    c = kw.compare(a, a.renamed("again"))
    assert c.kstar_agreement == 1.0 and c.pattern_agreement == 1.0
    assert c.rank_correlation == pytest.approx(1.0)
    assert c.changed.empty
    assert (c.concepts["skewness_diff"] == 0).all()
    assert c.names == ("mixed", "again")


def test_compare_finds_the_concept_that_changed(pair):
    a, b = pair
    c = kw.compare(a, b)
    assert a.concepts.loc[0, "pattern"] == "Fractured"
    assert b.concepts.loc[0, "pattern"] == "Clustered"
    assert 0 in c.changed.index
    assert (
        c.concepts.loc[0, "skewness_diff"]
        == b.concepts.loc[0, "skewness"] - a.concepts.loc[0, "skewness"]
    )
    assert c.kstar_agreement == pytest.approx(np.mean(a.k == b.k))
    assert c.kstar_agreement < 1.0
    assert c.confusion.loc["Fractured", "Clustered"] >= 1
    assert c.confusion.to_numpy().sum() == 8
    assert list(c.summary.columns) == ["mixed", "moved"]
    assert c.summary.loc["share_clustered", "moved"] > c.summary.loc["share_clustered", "mixed"]
    assert "Comparison" in repr(c)


def test_compare_same_names_are_made_distinct(pair):
    a, _ = pair
    c = kw.compare(a, a)
    assert c.names[0] != c.names[1]


def test_identical_results_differ_by_zero_with_interval_zero(pair):
    a, _ = pair
    c = kw.compare(a, a.renamed("again"))
    assert c.paired
    d = c.differences
    assert list(d.index) == list(kw.stats._intervals.FIGURES)
    assert (d["diff"] == 0).all() and (d["ci_low"] == 0).all() and (d["ci_high"] == 0).all()
    assert not d["excludes_zero"].any()
    assert (c.concepts["skewness_diff_ci_low"] == 0).all()
    assert (c.concepts["skewness_diff_ci_high"] == 0).all()
    assert c.verdict("share_fractured").startswith("no clear difference between mixed and again")


def test_paired_intervals_are_narrower_than_unpaired():
    x, y = kw.synthetic.concept_space(
        n_concepts=10, per_concept=40, dim=10, islands=(1, 3), spread=(0.5, 2.0),
        separation=1.0, random_state=1,
    )  # fmt: skip
    noisy = x + np.random.default_rng(0).normal(0, 0.02, x.shape).astype(np.float32)
    a = kw.kstar(x, y, method="exact", progress=False, name="a")
    b = kw.kstar(noisy, y, method="exact", progress=False, name="b")
    perm = np.random.default_rng(1).permutation(len(y))  # the same samples, reordered
    b_shuffled = kw.kstar(noisy[perm], y[perm], method="exact", progress=False, name="b")
    paired, unpaired = kw.compare(a, b), kw.compare(a, b_shuffled)
    assert paired.paired and not unpaired.paired
    pd.testing.assert_series_equal(
        paired.concepts["skewness_diff"], unpaired.concepts["skewness_diff"]
    )

    def width(c, lo, hi):
        return c[hi] - c[lo]

    w_p = width(paired.concepts, "skewness_diff_ci_low", "skewness_diff_ci_high")
    w_u = width(unpaired.concepts, "skewness_diff_ci_low", "skewness_diff_ci_high")
    assert (w_p < w_u).all() and w_p.mean() < 0.5 * w_u.mean()
    for f in ("mean_skewness", "mean_kstar_norm"):
        assert width(paired.differences.loc[f], "ci_low", "ci_high") < 0.5 * width(
            unpaired.differences.loc[f], "ci_low", "ci_high"
        )
    assert unpaired.samples is None and np.isnan(unpaired.kstar_agreement)
    assert "(unpaired)" in unpaired.verdict("mean_skewness")


def test_a_clearly_different_pair_excludes_zero():
    x, y = kw.synthetic.concept_space(
        n_concepts=12, per_concept=30, dim=10, islands=(3, 3), spread=(1.0, 1.0),
        separation=1.0, random_state=3,
    )  # fmt: skip
    x2, y2 = kw.synthetic.concept_space(
        n_concepts=12, per_concept=30, dim=10, islands=(1, 1), spread=(1.0, 1.0),
        separation=2.0, random_state=3,
    )  # fmt: skip
    assert np.array_equal(y, y2)
    a = kw.kstar(x, y, method="exact", progress=False, name="standard")
    b = kw.kstar(x2, y, method="exact", progress=False, name="robust")
    c = kw.compare(a, b)
    d = c.differences
    assert d.loc["share_fractured", "excludes_zero"] and d.loc["share_fractured", "ci_high"] < 0
    assert d.loc["mean_kstar_norm", "excludes_zero"] and d.loc["mean_kstar_norm", "ci_low"] > 0
    text = c.verdict("share_fractured")
    assert text.startswith("robust fractures fewer concepts than standard: Δ share Fractured −")
    assert c.verdict("mean_kstar_norm").startswith("robust has a higher mean normalised k*")
    # signed differences and ends, a difference of shares in percentage points
    row = d.loc["share_fractured"]
    ends = [f"{MINUS}{-row[k]:.0%}" for k in ("diff", "ci_low", "ci_high")]  # all < 0 here
    assert text.endswith(f"Δ share Fractured {ends[0]} [{ends[1]}, {ends[2]}]"), text
    back = kw.compare(b, a).verdict("mean_kstar_norm")  # a minus b: every part negative
    assert back.count(MINUS) == 3, back
    k = kw.compare(b, a).differences.loc["mean_kstar_norm"]
    assert back.endswith(f"{MINUS}{-k['ci_high']:.3f}]"), back
    low = c.concepts["skewness_diff_ci_low"]
    high = c.concepts["skewness_diff_ci_high"]
    assert ((low <= c.concepts["skewness_diff"]) & (c.concepts["skewness_diff"] <= high)).all()
    with pytest.raises(ValueError, match="figure must be one of"):
        c.verdict("share_broken")


def test_compare_without_bootstrap(pair):
    a, b = pair
    c = kw.compare(a, b, n_boot=0)
    assert c.differences[["ci_low", "ci_high"]].isna().all().all()
    assert "no interval" in c.verdict("share_clustered")
    assert c.concepts["skewness_diff_ci_low"].isna().all()


def test_degenerate_concepts_compare_without_warnings():
    """All k* = 1 in both: ΔΓ = 0 with interval [0, 0]; +inf against finite stays +inf."""
    rng = np.random.default_rng(0)
    codes = np.repeat([0, 1, 2], 20)
    k_a = np.concatenate([np.ones(20), rng.integers(1, 21, 20), np.full(20, 20)]).astype(int)
    k_b = k_a.copy()
    k_b[40:] = rng.integers(1, 21, 20)  # concept 2: all k* = n in a, spread in b

    def build(k, name):
        return kw.KStarResult.build(
            k=k, censored=np.zeros(60, bool), labels=codes, codes=codes,
            concept_labels=np.arange(3), threshold=0.5, name=name, intruder=np.zeros(60, int),
            intruder_distance=np.zeros(60), method="exact", metric="euclidean", reason="test",
        )  # fmt: skip

    c = kw.compare(build(k_a, "a"), build(k_b, "b"))
    row = c.concepts.loc[0]
    assert row["skewness_diff"] == 0
    assert (row["skewness_diff_ci_low"], row["skewness_diff_ci_high"]) == (0, 0)
    assert c.concepts.loc[2, "skewness_diff"] == np.inf
    assert c.concepts.loc[2, "skewness_diff_ci_low"] == np.inf
