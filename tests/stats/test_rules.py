"""Each statistical rule has one implementation: its uses agree, on the edge cases too."""

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.stats._bootstrap import skew_rows
from kstar_widgets.stats._patterns import MIN_SAMPLES, classify, pattern_codes, skewness
from kstar_widgets.utils._validation import check_threshold

EDGE_SKEW = np.array([0.5, -0.5, 0.5000001, -0.5000001, 0.0, np.nan, np.inf, -np.inf, 3.0, -3.0])


def _two_concept_pair():
    """Two results on a 2-concept space, every Γ finite in both."""
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(size=(25, 4)), rng.normal(size=(25, 4)) + 1.0]
    y = np.repeat([0, 1], 25)
    a = kw.kstar(x, y, progress=False, name="a")
    b = kw.kstar(x + rng.normal(scale=0.5, size=x.shape), y, progress=False, name="b")
    assert np.isfinite(a.concepts["skewness"]).all() and np.isfinite(b.concepts["skewness"]).all()
    return a, b


@pytest.mark.parametrize("threshold", [0.5, 0.0, 2.0])
def test_pattern_names_and_codes_agree_on_edge_cases(threshold):
    names = classify(EDGE_SKEW, threshold)
    codes = pattern_codes(EDGE_SKEW, threshold)
    order = np.array([*kw.PATTERNS, "Undefined"], dtype=object)
    np.testing.assert_array_equal(order[codes], names)


def test_gamma_exactly_at_the_threshold_is_overlapped():
    assert list(classify([0.5, -0.5], 0.5)) == ["Overlapped", "Overlapped"]
    assert list(pattern_codes(np.array([0.5, -0.5]), 0.5)) == [1, 1]
    assert list(classify([np.nan, np.inf, -np.inf])) == ["Undefined", "Fractured", "Clustered"]


def _cases():
    """Concepts of each degenerate kind, and ordinary ones: (k, codes, n_concepts)."""
    groups = [
        [1, 1, 1, 1],  # all k*=1: +inf
        [4, 4, 4, 4],  # all k*=n: -inf
        [2, 2, 2, 2],  # constant otherwise: NaN
        [1, 2],  # fewer than MIN_SAMPLES: NaN
        [1],  # one sample (k*=1=n): NaN
        [1, 1, 3],  # ordinary
        [1, 2, 3, 5, 5],  # ordinary
    ]
    k = np.concatenate([np.array(g, dtype=np.int64) for g in groups])
    codes = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    return k, codes, len(groups), groups


def test_skewness_degenerate_cases_are_the_documented_ones():
    k, codes, n, _ = _cases()
    skew, note = skewness(k, codes, n)
    assert skew[0] == np.inf and note[0] == "all k*=1"
    assert skew[1] == -np.inf and note[1] == "all k*=n"
    assert np.isnan(skew[2]) and note[2] == "constant k*"
    assert np.isnan(skew[3]) and note[3] == f"fewer than {MIN_SAMPLES} samples"
    assert np.isnan(skew[4]) and note[4] == f"fewer than {MIN_SAMPLES} samples"
    assert np.isfinite(skew[5:]).all() and (note[5:] == "").all()


def test_bootstrap_rows_and_concept_table_agree_on_every_case():
    k, codes, n, groups = _cases()
    skew, _ = skewness(k, codes, n)
    for j, g in enumerate(groups):
        row = np.array([g, g], dtype=np.float64)  # a replicate that redraws the same values
        g_rows, mean = skew_rows(row, len(g))
        np.testing.assert_allclose(g_rows, [skew[j], skew[j]], rtol=1e-12)  # inf, NaN exactly
        assert mean[0] == np.mean(g)


def test_spearman_of_two_concepts_is_undefined_in_compare():
    a, b = _two_concept_pair()
    assert np.isnan(kw.compare(a, b, n_boot=0).rank_correlation)
    assert "ρ(Γ) = n/a" in repr(kw.compare(a, b, n_boot=0))


def test_spearman_of_three_concepts_is_scipys():
    from scipy.stats import spearmanr

    x, y = kw.synthetic.concept_space(n_concepts=5, per_concept=20, dim=6, random_state=1)
    a = kw.kstar(x, y, progress=False)
    b = kw.kstar(x * np.linspace(1, 2, x.shape[1]), y, progress=False)
    ga, gb = a.concepts["skewness"].to_numpy(), b.concepts["skewness"].to_numpy()
    rho = kw.compare(a, b, n_boot=0).rank_correlation
    assert rho == pytest.approx(spearmanr(ga, gb).statistic)


@pytest.mark.parametrize("bad", ["0.5", None, True, [0.5]])
def test_threshold_that_is_not_a_number_is_a_type_error(bad):
    x, y = kw.synthetic.concept_space(n_concepts=3, per_concept=10, dim=4, random_state=0)
    with pytest.raises(TypeError, match="threshold must be a number"):
        kw.kstar(x, y, threshold=bad, progress=False)
    res = kw.kstar(x, y, progress=False)
    with pytest.raises(TypeError, match="threshold must be a number"):
        res.with_threshold(bad)


@pytest.mark.parametrize("bad", [-0.1, np.inf, np.nan, -np.inf])
def test_threshold_out_of_range_is_a_value_error(bad):
    x, y = kw.synthetic.concept_space(n_concepts=3, per_concept=10, dim=4, random_state=0)
    with pytest.raises(ValueError, match="finite number >= 0"):
        kw.kstar(x, y, threshold=bad, progress=False)
    with pytest.raises(ValueError, match="finite number >= 0"):
        kw.kstar(x, y, progress=False).with_threshold(bad)


def test_check_threshold_takes_numbers_and_a_default():
    assert check_threshold(np.float32(0.25)) == 0.25 and check_threshold(1) == 1.0
    assert check_threshold(None, 0.75) == 0.75
    assert type(check_threshold(np.int64(2))) is float
