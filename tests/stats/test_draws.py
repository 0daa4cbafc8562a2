"""kstar(..., per_concept=n, n_draws=m): size-matched Γ against the plain runs it averages."""

import warnings

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.stats._bootstrap import percentile_interval
from kstar_widgets.stats._draws import size_note, stratified


@pytest.fixture(scope="module")
def space():
    """Six concepts of 60 samples and one of 12 (fewer than per_concept)."""
    x, y = kw.synthetic.concept_space(n_concepts=7, per_concept=60, dim=8, random_state=3)
    keep = (y != 6) | (np.cumsum(y == 6) <= 12)
    return x[keep], y[keep]


@pytest.fixture(scope="module")
def matched(space):
    x, y = space
    return kw.kstar(x, y, per_concept=20, n_draws=4, random_state=7, progress=False, n_boot=200)


def test_per_concept_averages_plain_runs_on_the_recorded_draws(space, matched):
    x, y = space
    d = matched.draws
    assert d.index.shape == (4, 6 * 20 + 12) and matched.info["per_concept"] == 20
    assert (matched.info["n_draws"], matched.info["draws_seed"]) == (4, 7)
    plain = [kw.kstar(x[rows], y[rows], progress=False, n_boot=0) for rows in d.index]
    for p, k in zip(plain, d.k, strict=True):
        assert np.array_equal(p.k, k)  # each draw is a plain run on its rows
    skew = np.array([p.concepts["skewness"].to_numpy() for p in plain])
    # draws without Γ (NaN) are left out of the mean and counted in the note
    np.testing.assert_allclose(matched.concepts["skewness"].to_numpy(), np.nanmean(skew, axis=0))
    undefined = np.isnan(skew).sum(axis=0)
    for j in np.flatnonzero((undefined > 0) & (undefined < len(plain))):
        assert f"in {undefined[j]} of 4 draws" in matched.concepts["note"].iloc[j]
    for f in ("mean_skewness", "share_fractured", "mean_kstar_norm", "kstar1_share"):
        assert matched.summary[f] == pytest.approx(np.mean([p.summary[f] for p in plain]))
    # the per-sample arrays are the first draw's, on rows draws.index[0]
    assert np.array_equal(matched.k, plain[0].k)
    assert np.array_equal(matched.labels, y[d.index[0]])
    assert "132 samples (per_concept=20, 4 draws), 7 concepts" in repr(matched)


def test_every_draw_is_stratified_and_seeded(space):
    _, y = space
    codes = np.unique(y, return_inverse=True)[1]
    rows = stratified(codes, 20, 3, 5)
    for r in rows:
        assert np.array_equal(np.bincount(codes[r]), [20] * 6 + [12])
        assert len(np.unique(r)) == len(r)
    assert np.array_equal(rows, stratified(codes, 20, 3, 5))
    assert not np.array_equal(rows[0], rows[1])
    assert not np.array_equal(rows, stratified(codes, 20, 3, 6))


def test_concepts_with_fewer_samples_are_reported(matched):
    c = matched.concepts
    assert c["n"].tolist() == [20] * 6 + [12]
    assert c["n_available"].tolist() == [60] * 6 + [12]
    assert c["subsampled"].tolist() == [True] * 6 + [False]
    assert "only 12 samples (< per_concept=20)" in c["note"].iloc[6]


def test_intervals_include_the_draw_to_draw_spread(space, matched):
    x, y = space
    c = matched.concepts
    assert matched.summary["n_boot"] == 200 and matched.replicates.n_boot == 200
    per_draw = np.array(
        [
            kw.kstar(x[r], y[r], progress=False, n_boot=0).concepts["skewness"]
            for r in matched.draws.index
        ]
    )
    finite = np.isfinite(per_draw).all(axis=0)
    assert (c["skewness_ci_low"].to_numpy()[finite] <= per_draw.min(axis=0)[finite]).all()
    assert (c["skewness_ci_high"].to_numpy()[finite] >= per_draw.max(axis=0)[finite]).all()
    low, high = percentile_interval(matched.replicates.skewness[0], 0.95)
    np.testing.assert_array_equal(c["skewness_ci_low"], low)
    np.testing.assert_array_equal(c["skewness_ci_high"], high)


def test_per_concept_is_reproducible_and_follows_the_seed(space, matched):
    x, y = space
    again = kw.kstar(x, y, per_concept=20, n_draws=4, random_state=7, progress=False, n_boot=200)
    assert again.concepts.equals(matched.concepts)
    other = kw.kstar(x, y, per_concept=20, n_draws=4, random_state=8, progress=False, n_boot=200)
    assert not np.array_equal(other.draws.index, matched.draws.index)


def test_a_new_threshold_reclassifies_the_averaged_gamma(matched):
    t = matched.with_threshold(0.05)
    np.testing.assert_array_equal(t.concepts["skewness"], matched.concepts["skewness"])
    expected = kw.classify(matched.concepts["skewness"].to_numpy(), 0.05)
    assert t.concepts["pattern"].astype(str).tolist() == list(expected)
    shares = [
        np.mean(kw.classify(kw.stats.skewness(k, c, 7)[0], 0.05) == "Fractured")
        for k, c in zip(matched.draws.k, matched.draws.codes, strict=True)
    ]
    assert t.summary["share_fractured"] == pytest.approx(np.mean(shares))


def test_a_size_matched_result_saves_and_loads_exactly(matched, tmp_path):
    matched.save(tmp_path / "m.kstar")
    back = kw.load(tmp_path / "m.kstar")
    assert back.concepts.equals(matched.concepts) and back.summary.equals(matched.summary)
    assert np.array_equal(back.draws.index, matched.draws.index)
    assert back.with_threshold(0.2).concepts.equals(matched.with_threshold(0.2).concepts)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"per_concept": 2}, "per_concept must be a whole number >= 3"),
        ({"per_concept": 20.5}, "per_concept must be a whole number"),
        ({"per_concept": 20, "n_draws": 0}, "n_draws must be a whole number >= 1"),
        ({"per_concept": 20, "backend": "dask"}, "per_concept runs on the local backend"),
    ],
)
def test_bad_draw_options_are_refused(space, options, match):
    x, y = space
    with pytest.raises(ValueError, match=match):
        kw.kstar(x, y, progress=False, **options)


def test_compare_warns_when_sizes_differ_between_results(space):
    x, y = space
    a = kw.kstar(x, y, progress=False, n_boot=0)
    half = np.r_[np.flatnonzero(y != 6)[::2], np.flatnonzero(y == 6)]
    b = kw.kstar(x[half], y[half], progress=False, n_boot=0)
    with pytest.warns(
        kw.ConceptSizeWarning, match=r"between exact \(a\) \(12-60 samples.*per_concept=12"
    ):
        kw.compare(a, b, n_boot=0)


def test_compare_warns_when_sizes_differ_within_a_result(space):
    x, y = space
    a = kw.kstar(x, y, progress=False, n_boot=0)
    with pytest.warns(kw.ConceptSizeWarning, match="concept sizes differ: 12-60 samples"):
        kw.compare(a, a.renamed("again"), n_boot=0)


def test_two_size_matched_results_compare_paired_without_a_warning(space, matched):
    x, y = space
    noisy = x + np.random.default_rng(0).normal(0, 0.5, x.shape)
    x, y = x[y != 6], y[y != 6]  # every concept has at least per_concept samples
    opts = {"per_concept": 20, "n_draws": 4, "random_state": 7, "progress": False, "n_boot": 200}
    a = kw.kstar(x, y, name="clean", **opts)
    b = kw.kstar(noisy[: len(y)], y, name="noisy", **opts)
    with warnings.catch_warnings():
        warnings.simplefilter("error", kw.ConceptSizeWarning)
        cmp = kw.compare(a, b, n_boot=200)
    assert cmp.paired  # the same rows in every draw
    diff = cmp.differences.loc["mean_skewness"]
    assert diff["diff"] == pytest.approx(b.summary["mean_skewness"] - a.summary["mean_skewness"])
    assert diff["ci_low"] <= diff["diff"] <= diff["ci_high"]
    other = kw.kstar(noisy[: len(y)], y, name="other seed", **{**opts, "random_state": 8})
    with warnings.catch_warnings():
        warnings.simplefilter("error", kw.ConceptSizeWarning)
        assert not kw.compare(a, other, n_boot=50).paired


def test_size_note_names_the_spread_only_past_twofold():
    assert size_note([12, 100, 480]) == (
        "concept sizes differ: 12-480 samples; Γ changes with size, compare with kstar(..., per_concept=12)"
    )
    assert size_note([50, 100, 90]) is None
    assert size_note([2, 100, 90]) is None  # a concept without Γ does not count


def test_a_draw_without_gamma_is_left_out_of_the_mean_and_counted():
    from kstar_widgets.stats._draws import Draws, tabulate

    codes = np.array([[0, 0, 0, 1, 1, 1]] * 2)
    k = np.array([[2, 2, 2, 1, 1, 3], [1, 2, 3, 1, 1, 3]])  # concept 0 constant in draw 0
    d = Draws(
        per_concept=3, n_draws=2, seed=0, index=np.tile(np.arange(6), (2, 1)), codes=codes,
        k=k, censored=np.zeros_like(k, dtype=bool), island=None, n_available=np.array([3, 3]),
    )  # fmt: skip
    table, _ = tabulate(d, np.array(["a", "b"]), 0.5, None, name="t", n_boot=0, confidence=0.95)
    assert table.loc["a", "skewness"] == pytest.approx(0.0)  # the defined draw's Γ
    assert table.loc["a", "note"] == "constant k* in 1 of 2 draws"
    assert table.loc["b", "skewness"] == pytest.approx(kw.stats.skewness(k[0], codes[0], 2)[0][1])
