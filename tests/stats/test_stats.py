"""Per-concept skewness, patterns and the whole-space summary against docs/method.md."""

import numpy as np
import pytest
import scipy.stats
from brute_force import biased_skewness

import kstar_widgets as kw
from kstar_widgets.stats._patterns import skewness


def test_skewness_matches_scipy_biased_fisher_pearson(digits):
    x, y = digits
    res = kw.kstar(x, y, method="exact", progress=False)
    for concept, row in res.concepts.iterrows():
        kn = res.k_norm[res.labels == concept]
        assert row["skewness"] == pytest.approx(scipy.stats.skew(kn), abs=1e-12)
        assert row["skewness"] == pytest.approx(biased_skewness(kn), abs=1e-12)
        assert row["n"] == len(kn)
        assert row["mean"] == pytest.approx(kn.mean())
        assert row["std"] == pytest.approx(kn.std())


@pytest.mark.parametrize(
    ("skew", "pattern"),
    [
        (0.51, "Fractured"),
        (0.5, "Overlapped"),
        (-0.5, "Overlapped"),
        (-0.51, "Clustered"),
        (np.inf, "Fractured"),
        (-np.inf, "Clustered"),
        (np.nan, "Undefined"),
    ],
)
def test_patterns_at_the_threshold(skew, pattern):
    assert kw.classify([skew], 0.5)[0] == pattern


def test_degenerate_distributions_follow_method():
    # concept 0: 4 samples, all k*=1; concept 1: all k*=n (=5); concept 2: constant k*=2
    # of 4; concept 3: 2 samples (too small)
    k = np.array([1, 1, 1, 1, 5, 5, 5, 5, 5, 2, 2, 2, 2, 1, 2])
    codes = np.array([0] * 4 + [1] * 5 + [2] * 4 + [3] * 2)
    skew, note = skewness(k, codes, 4)
    assert skew[0] == np.inf and note[0] == "all k*=1"
    assert skew[1] == -np.inf and note[1] == "all k*=n"
    assert np.isnan(skew[2]) and note[2] == "constant k*"
    assert np.isnan(skew[3]) and "fewer than 3" in note[3]


def test_small_concepts_stay_in_the_table_flagged():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(43, 4))
    y = np.array([0] * 20 + [1] * 20 + [2] * 2 + [3])
    res = kw.kstar(x, y, method="exact", progress=False)
    assert list(res.concepts.index) == [0, 1, 2, 3]
    for c in (2, 3):
        row = res.concepts.loc[c]
        assert np.isnan(row["skewness"]) and row["pattern"] == "Undefined"
        assert "fewer than 3" in row["note"]
    assert res.summary["share_undefined"] == pytest.approx(0.5)


def test_synthetic_patterns_are_recovered():
    """Separate tight concepts are Clustered; concepts in islands mixed among others fracture."""
    x, y = kw.synthetic.concept_space(
        n_concepts=20, per_concept=30, dim=16, islands=(1, 1), spread=(0.1, 0.1), separation=5.0
    )
    res = kw.kstar(x, y, method="exact", progress=False)
    assert (res.concepts["pattern"] == "Clustered").all()
    assert res.summary["share_clustered"] == 1.0
    x2, y2 = kw.synthetic.concept_space(
        n_concepts=20, per_concept=30, dim=16, islands=(6, 6), spread=(1.0, 1.0), separation=1.0
    )
    res2 = kw.kstar(x2, y2, method="exact", progress=False)
    assert res2.summary["share_fractured"] > 0.8
    assert res2.summary["mean_skewness"] > 0.5
    assert np.isnan(res.summary["mean_skewness"])  # no finite Γ: every concept has all k* = n
    assert res.summary["median_skewness"] == -np.inf


def test_summary_figures(digits):
    x, y = digits
    res = kw.kstar(x, y, method="exact", progress=False)
    s = res.summary
    finite = res.concepts["skewness"][np.isfinite(res.concepts["skewness"])]
    assert s["mean_skewness"] == pytest.approx(finite.mean())
    shares = [s[f"share_{p}"] for p in ("fractured", "overlapped", "clustered", "undefined")]
    assert sum(shares) == pytest.approx(1.0)
    assert s["kstar1_share"] == pytest.approx(np.mean(res.k == 1))
    assert s["n_samples"] == 1797 and s["n_concepts"] == 10


def test_with_threshold_reclassifies_without_recomputing(digits):
    x, y = digits
    res = kw.kstar(x, y, method="exact", progress=False)
    loose = res.with_threshold(10.0)
    assert (loose.concepts["pattern"] == "Overlapped").all()
    np.testing.assert_array_equal(loose.k, res.k)
    assert loose.threshold == 10.0 and res.threshold == 0.5
    with pytest.raises(ValueError, match="threshold"):
        res.with_threshold(-1)


def test_per_sample_frame_and_intrusion_matrix(digits):
    x, y = digits
    res = kw.kstar(x, y, method="exact", progress=False)
    df = res.to_frame()
    assert len(df) == 1797 and (df["label"] != df["intruder_label"]).all()
    m = res.intrusion_matrix()
    assert m.to_numpy().sum() == 1797
    assert np.all(np.diag(m.to_numpy()) == 0)
    np.testing.assert_allclose(res.intrusion_matrix(normalize=True).sum(axis=1), 1.0)
    assert "KStarResult" in repr(res) and "<table" in res._repr_html_()
