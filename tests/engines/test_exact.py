"""The exact engine against the float64 brute force of docs/method.md, sample for sample."""

import numpy as np
import pytest
from brute_force import brute_force_kstar, rows_per_block, tied_spaces, without_zero_rows
from hypothesis import HealthCheck, given, settings

import kstar_widgets as kw
from kstar_widgets.engines import ExactEngine

# tied integer spaces and duplicates are the point here, not a mistake to warn about
pytestmark = pytest.mark.filterwarnings("ignore::kstar_widgets.DegenerateSpaceWarning")


def assert_matches_brute_force(features, labels, metric="euclidean", engine=None):
    res = kw.kstar(features, labels, method="exact", metric=metric, progress=False, engine=engine)
    k_ref, d_ref = brute_force_kstar(features, labels, metric)
    np.testing.assert_array_equal(res.k, k_ref)
    # the reported intruder is a nearest foreign sample, at the float64 distance
    labels = np.asarray(labels)
    assert np.all(labels[res.intruder] != labels)
    expected = np.sqrt(d_ref) if metric == "euclidean" else d_ref / 2
    np.testing.assert_allclose(res.intruder_distance, expected, rtol=0, atol=1e-12)
    return res


def blocks_of(rows):
    """The exact engine with `rows` rows per block (None: its own choice)."""
    return ExactEngine(block_rows=rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_spaces(), rows_per_block())
def test_exact_equals_brute_force_with_ties_and_duplicates(space, rows):
    x, labels = space
    assert_matches_brute_force(x, labels, engine=blocks_of(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_spaces(), rows_per_block())
def test_exact_equals_brute_force_cosine(space, rows):
    x, labels = without_zero_rows(*space)
    if len(np.unique(labels)) < 2:
        return
    assert_matches_brute_force(x, labels, metric="cosine", engine=blocks_of(rows))


def test_digits_tie_rule_decides_148_samples(digits):
    """Raw pixels are integers: fp32 ties are exact, and the other concept must win them."""
    x, y = digits
    res = assert_matches_brute_force(x, y)
    assert res.info["rows_settled_in_float64"] >= 148


def test_digits_with_tiny_blocks_that_straddle_concepts(digits, small_blocks):
    x, y = digits
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(y))  # concepts interleaved in the input order
    assert_matches_brute_force(x[perm], y[perm], engine=small_blocks)


def test_exact_duplicates_same_and_cross_concept(small_blocks):
    rng = np.random.default_rng(1)
    base = rng.normal(size=(60, 12))
    labels = np.repeat([0, 1, 2], 20)
    x = np.vstack([base, base[:10], base[25:35]])  # same-concept duplicates ...
    lab = np.concatenate(
        [labels, labels[:10], (labels[25:35] + 1) % 3]
    )  # ... and cross-concept ones
    for metric in ("euclidean", "cosine"):
        res = assert_matches_brute_force(x, lab, metric, engine=small_blocks)
        cross = np.r_[25:35, 70:80]
        assert np.all(res.k[cross] == 1)  # a foreign sample at distance 0 gives k* = 1
        np.testing.assert_array_equal(res.intruder_distance[cross], 0.0)


def test_exact_on_offset_and_scaled_float64_data(small_blocks):
    """Far from the origin, float32 products lose digits: the float64 settling must catch it."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 40)) + 1e4
    y = rng.integers(0, 6, size=300)
    assert_matches_brute_force(x, y, engine=small_blocks)
    assert_matches_brute_force(x * 1e-30, y, engine=small_blocks)


def test_exact_gaussian_clusters_against_brute_force():
    x, y = kw.synthetic.concept_space(n_concepts=30, per_concept=40, dim=32, random_state=3)
    for metric in ("euclidean", "cosine"):
        assert_matches_brute_force(x, y, metric)


def test_input_kinds_give_identical_results(digits):
    import torch

    x, y = digits
    ref = kw.kstar(x, y, method="exact", progress=False).k
    for feats in (
        x.astype(np.float64),
        x.astype(np.int64),
        torch.from_numpy(x),
        torch.from_numpy(x).half(),
    ):
        np.testing.assert_array_equal(kw.kstar(feats, y, method="exact", progress=False).k, ref)
    strings = np.array([f"digit {v}" for v in y])
    res = kw.kstar(x, strings, method="exact", progress=False)
    np.testing.assert_array_equal(res.k, ref)
    assert list(res.concepts.index) == sorted(set(strings))


def test_cosine_equals_euclidean_on_normalised_vectors(digits):
    x, y = digits
    xn = x.astype(np.float64) / np.linalg.norm(x.astype(np.float64), axis=1, keepdims=True)
    cos = kw.kstar(x, y, method="exact", metric="cosine", progress=False)
    euc = kw.kstar(xn, y, method="exact", metric="euclidean", progress=False)
    np.testing.assert_array_equal(cos.k, euc.k)
    # 1 - cos = |a - b|^2 / 2 for unit vectors
    np.testing.assert_allclose(cos.intruder_distance, euc.intruder_distance**2 / 2, atol=1e-12)


def test_block_size_follows_the_memory_budget(monkeypatch):
    seen = []
    real_mm = __import__("torch").mm

    def spy(a, b, **kw):
        seen.append(a.shape[0] * b.shape[1])
        return real_mm(a, b, **kw)

    engine = ExactEngine(work_budget=64 * 1000 * 4 * 3)
    monkeypatch.setattr("torch.mm", spy)
    x, y = kw.synthetic.concept_space(n_concepts=10, per_concept=100, dim=8)
    kw.kstar(x, y, engine=engine, progress=False)
    # never an n x n product: every block is a fraction of the rows
    assert max(seen) < 1000 * 1000 / 4
    # each pair of blocks multiplied once (the matrix is symmetric), plus the bands
    assert 1000 * 1000 / 2 < sum(seen) < 0.6 * 1000 * 1000
    assert_matches_brute_force(x, y, engine=engine)


def test_auto_picks_exact_for_small_inputs_and_says_why(digits):
    x, y = digits
    res = kw.kstar(x, y, progress=False)
    assert res.method == "exact"
    assert "auto" in res.reason and "exact" in res.reason
    assert res.timings["total"] > 0


@pytest.mark.parametrize("n_per", [1, 2])
def test_single_and_pair_samples_per_concept(n_per):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3 * n_per, 3))
    y = np.repeat([0, 1, 2], n_per)
    assert_matches_brute_force(x, y)


def test_one_huge_concept_among_tiny_ones(small_blocks):
    """A concept cut across many blocks next to concepts of 1, 2 and 3 samples."""
    rng = np.random.default_rng(5)
    x = np.round(rng.normal(size=(1506, 6)) * 2)  # rounded: ties and duplicates
    y = np.array(["huge"] * 1500 + ["one"] + ["two"] * 2 + ["three"] * 3)
    res = assert_matches_brute_force(x, y, engine=small_blocks)
    assert res.concepts.loc["huge", "n"] == 1500
    assert res.concepts.loc["one", "note"].startswith("fewer than")
