"""Islands of a concept (docs/method.md) against a float64 brute force, as partitions."""

import numpy as np
import pytest
from brute_force import (
    brute_force_islands,
    canonical_partition,
    float64_only_pairs,
    partition,
    reference_rows,
    rows_per_block,
    tied_spaces,
    without_zero_rows,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exact import blocks_of

import kstar_widgets as kw
from kstar_widgets.engines import ApproxEngine, ExactEngine
from kstar_widgets.stats._islands import island_columns, number_islands

# tied integer spaces and duplicates are the point here, not a mistake to warn about
pytestmark = pytest.mark.filterwarnings("ignore::kstar_widgets.DegenerateSpaceWarning")


def assert_islands_match(features, labels, metric="euclidean", method="exact", **kw_args):
    res = kw.kstar(features, labels, method=method, metric=metric, progress=False, **kw_args)
    ref = brute_force_islands(features, labels, metric)
    np.testing.assert_array_equal(partition(res), ref)
    return res


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_spaces(), rows_per_block())
def test_exact_islands_equal_brute_force_with_ties_and_duplicates(space, rows):
    x, labels = space
    assert_islands_match(x, labels, engine=blocks_of(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_spaces(), rows_per_block())
def test_exact_islands_equal_brute_force_cosine(space, rows):
    x, labels = without_zero_rows(*space)
    if len(np.unique(labels)) < 2:
        return
    assert_islands_match(x, labels, metric="cosine", engine=blocks_of(rows))


def test_digits_islands_with_blocks_that_straddle_concepts(digits, small_blocks):
    x, y = digits
    perm = np.random.default_rng(0).permutation(len(y))
    res = assert_islands_match(x[perm], y[perm], engine=small_blocks)
    assert res.info["islands_approximate"] is False
    assert (res.concepts["islands"] > 1).any()  # the digits are not all one island each


@pytest.mark.parametrize("rows", [None, 4])
def test_island_edges_only_float64_can_decide(rows):
    """p's same-concept q lies 1e-9 closer than its foreign f: float32 cannot tell the two
    apart, the float64 settling makes {p, q} an edge (without it: two islands each)."""
    pairs = 6
    x, y = float64_only_pairs(pairs)
    # None: one block; 4: the pairs cut over blocks
    res = assert_islands_match(x, y, engine=blocks_of(rows))
    assert res.concepts["islands"].tolist() == [pairs, pairs]
    assert res.info["rows_settled_in_float64"] >= pairs


def test_digits_islands_in_one_block(digits):
    x, y = digits
    assert_islands_match(x, y)


def test_islands_with_duplicates_and_a_huge_concept_cut_over_blocks(small_blocks):
    rng = np.random.default_rng(5)
    x = np.round(rng.normal(size=(906, 6)) * 2)  # rounded: ties and duplicates
    y = np.array(["huge"] * 900 + ["one"] + ["two"] * 2 + ["three"] * 3)
    res = assert_islands_match(x, y, engine=small_blocks)
    assert res.concepts.loc["one", "islands"] == 1
    assert res.concepts.loc["one", "singleton_share"] == 1.0


def test_accelerator_path_of_the_merge_equals_the_host_path(digits):
    """The device branch (torch ops, only pairs copied) run on CPU tensors."""
    x, y = digits
    assert_islands_match(x[::2], y[::2], engine=ExactEngine(block_rows=16, torch_merge=True))


def blob_space(n_blobs, crowded, *, dim=64, per_blob=12, crowd=30, seed=0):
    """A concept "target" made of n_blobs tight blobs in `dim`-D. crowded: each blob sits
    inside a cloud of "other" samples (a foreign sample comes before the next blob);
    otherwise the other concept lies far away, with nothing between the blobs."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3.0, size=(n_blobs, dim))  # about 34 apart
    target = np.repeat(centres, per_blob, axis=0) + rng.normal(0, 0.1, (n_blobs * per_blob, dim))
    if crowded:  # about 8 from each blob's samples, far closer than the next blob
        other = np.repeat(centres, crowd, axis=0) + rng.normal(0, 1.0, (n_blobs * crowd, dim))
    else:
        other = 1000.0 + rng.normal(0, 1.0, (n_blobs * crowd, dim))
    x = np.vstack([other, target])
    y = np.array(["other"] * len(other) + ["target"] * len(target))
    blob = np.r_[np.full(len(other), -1), np.repeat(np.arange(n_blobs), per_blob)]
    return x, y, blob


@pytest.mark.parametrize("n_blobs", [1, 3, 5])
def test_blobs_each_inside_a_foreign_crowd_are_separate_islands(n_blobs):
    x, y, blob = blob_space(n_blobs, crowded=True)
    res = assert_islands_match(x, y)
    assert res.concepts.loc["target", "islands"] == n_blobs
    t = y == "target"
    # the islands are the blobs, and the equal-size blobs are numbered by smallest index
    np.testing.assert_array_equal(res.island[t], blob[t])
    assert res.concepts.loc["target", "largest_island_share"] == pytest.approx(1 / n_blobs)


def test_the_same_blobs_with_nothing_between_them_are_one_island():
    x, y, _ = blob_space(5, crowded=False)
    res = assert_islands_match(x, y)
    assert res.concepts.loc["target", "islands"] == 1
    assert (res.island[y == "target"] == 0).all()


def test_numbering_largest_first_ties_by_smallest_index():
    codes = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 0])
    raw = np.array([7, 5, 5, 9, 9, 3, 4, 2, 4, 7])
    # concept 0: {1, 2} and {3, 4} and {0, 9} have 2 samples (smallest 1, 3, 0), {5} one
    expected = np.array([0, 1, 1, 2, 2, 3, 0, 1, 0, 0])
    np.testing.assert_array_equal(number_islands(raw, codes), expected)
    cols = island_columns(expected, codes, 2)
    np.testing.assert_array_equal(cols["islands"], [4, 2])
    np.testing.assert_allclose(cols["largest_island_share"], [2 / 7, 2 / 3])
    np.testing.assert_allclose(cols["singleton_share"], [1 / 7, 1 / 3])
    # numbering is idempotent: a result's ids give the same ids again
    np.testing.assert_array_equal(number_islands(expected, codes), expected)


def test_islands_keyword_columns_threshold_frame_and_compare():
    x, y = kw.synthetic.concept_space(n_concepts=8, per_concept=30, dim=16, random_state=1)
    res = kw.kstar(x, y, progress=False)
    off = kw.kstar(x, y, progress=False, islands=False)
    np.testing.assert_array_equal(res.k, off.k)
    assert off.island is None and "islands" not in off.concepts
    assert "island" not in off.to_frame() and "islands_approximate" not in off.info
    assert res.island.dtype == np.int64 and (res.island >= 0).all()
    np.testing.assert_array_equal(res.to_frame()["island"], res.island)
    again = res.with_threshold(0.2)
    np.testing.assert_array_equal(again.concepts["islands"], res.concepts["islands"])
    c = kw.compare(res, again)
    assert (c.concepts["islands_diff"] == 0).all()
    assert (c.concepts["islands_a"] == res.concepts["islands"]).all()
    assert "islands_a" not in kw.compare(res, off).concepts


# --- approximate: the pairs read off neighbour lists -------------------------------------


def exact_lists(x, labels, n_neighbors, metric="euclidean"):
    """Exact kNN lists (float64 order, self excluded) in the engine's (idx, dist) form."""
    r = reference_rows(x, metric)
    d = np.stack([((r - r[p]) ** 2).sum(axis=1) for p in range(len(r))])
    np.fill_diagonal(d, np.inf)
    idx = np.argsort(d, axis=1, kind="stable")[:, :n_neighbors]
    return idx, np.sqrt(np.take_along_axis(d, idx, 1)).astype(np.float32)


def approx_islands(x, labels, idx, dist, *, verify):
    import torch

    from kstar_widgets.engines import Metric, Problem
    from kstar_widgets.engines.approx import list_islands, read_kstar

    codes = np.unique(labels, return_inverse=True)[1]
    x = np.asarray(x, dtype=np.float32)
    problem = Problem(
        features=x,
        codes=codes,
        metric=Metric.build("euclidean", x),
        device=torch.device("cpu"),
        n_neighbors=idx.shape[1],
    )
    _, _, _, d_foreign, verified, joined = read_kstar(problem, idx, dist, verify)
    return list_islands(problem, idx, dist, d_foreign, verified, joined)


def refines(fine, coarse):
    """Every part of `fine` lies inside one part of `coarse`."""
    pairs = set(zip(fine.tolist(), coarse.tolist(), strict=True))
    return len(pairs) == len(set(fine.tolist()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_spaces(), st.booleans())
def test_approx_islands_from_complete_lists_equal_exact_ties_included(space, verify):
    x, labels = space
    idx, dist = exact_lists(x, labels, len(x) - 1)
    island = approx_islands(x, labels, idx, dist, verify=verify)
    np.testing.assert_array_equal(canonical_partition(island), brute_force_islands(x, labels))


@pytest.mark.parametrize("verify", [True, False])
@pytest.mark.parametrize("n_neighbors", [3, 8, 20])
def test_approx_islands_from_short_exact_lists_refine_the_exact_ones(verify, n_neighbors):
    x, y = kw.synthetic.concept_space(
        n_concepts=12, per_concept=25, dim=8, separation=1.0, random_state=n_neighbors
    )
    idx, dist = exact_lists(x, y, n_neighbors)
    approx = canonical_partition(approx_islands(x, y, idx, dist, verify=verify))
    exact = brute_force_islands(x, y)
    assert refines(approx, exact)
    # per concept: at least as many islands; fewer edges with short lists, so more somewhere
    n_a = np.array([len(set(approx[y == c])) for c in range(12)])
    n_e = np.array([len(set(exact[y == c])) for c in range(12)])
    assert (n_a >= n_e).all()
    if not verify and n_neighbors == 3:
        assert (n_a > n_e).any()


@pytest.mark.slow
def test_approx_engine_islands_equal_exact_on_a_separated_space_with_large_k():
    x, y = kw.synthetic.concept_space(
        n_concepts=10, per_concept=40, dim=32, separation=4.0, random_state=2
    )
    e = kw.kstar(x, y, method="exact", progress=False)
    a = kw.kstar(x, y, method="approx", n_neighbors=60, random_state=0, progress=False)
    assert a.info["islands_approximate"] is True
    np.testing.assert_array_equal(a.island, e.island)
    assert (kw.compare(e, a).concepts["islands_diff"] == 0).all()


@pytest.mark.slow
def test_approx_engine_islands_at_least_the_exact_count():
    x, y = kw.synthetic.concept_space(
        n_concepts=20, per_concept=40, dim=16, separation=1.5, random_state=3
    )
    e = kw.kstar(x, y, method="exact", progress=False)
    lists_only = ApproxEngine(verify_max_pairs=0)  # islands from the lists alone
    a = kw.kstar(x, y, engine=lists_only, n_neighbors=20, random_state=0, progress=False)
    # the claim holds where each sample's list found its true nearest foreign distance
    # (censored samples, with no foreign entry, are not counted as found)
    found = same_foreign_distance(e, a)
    assert found.mean() >= 0.5
    assert (a.concepts["islands"][found] >= e.concepts["islands"][found]).all()
    keep = np.isin(e.codes, np.flatnonzero(found))
    assert refines(partition(a)[keep], partition(e)[keep])


def same_foreign_distance(e, a):
    """Per concept: every sample's list gave the exact nearest foreign distance."""
    ok = a.intruder_distance == e.intruder_distance
    return np.bincount(e.codes, ~ok, minlength=len(e.concepts)) == 0
