"""null_baseline(): the whole-space summary under shuffled labels."""

import numpy as np
import pandas as pd
import pytest

import kstar_widgets as kw


@pytest.fixture(scope="module")
def separated():
    return kw.synthetic.concept_space(
        n_concepts=8, per_concept=30, dim=16, islands=(1, 1), spread=(1.0, 1.0),
        separation=2.0, random_state=2,
    )  # fmt: skip


def test_a_separated_space_lies_far_outside_the_null(separated):
    x, y = separated
    null = kw.null_baseline(x, y, n_permutations=12, random_state=0, method="exact", progress=False)
    obs = kw.kstar(x, y, method="exact", progress=False)
    assert np.isfinite(obs.summary["mean_skewness"]) and obs.summary["mean_skewness"] < 0
    table = null.compare(obs)
    row = table.loc["mean_skewness"]
    assert row["outside"] and row["observed"] < row["null_low"]
    assert row["z"] < -5 and row["p_value"] == pytest.approx(1 / 13)
    assert null.mean["kstar1_share"] > 0.8  # label-blind: most nearest neighbours are foreign
    assert null.permutations.shape == (12, len(kw._null.NULL_FIGURES))
    assert "NullBaseline" in repr(null)


def test_random_labels_lie_inside_the_null(separated):
    x, _ = separated
    y = np.random.default_rng(7).permutation(np.repeat(np.arange(8), 30))
    null = kw.null_baseline(x, y, n_permutations=19, random_state=3, method="exact", progress=False)
    table = null.compare(kw.kstar(x, y, method="exact", progress=False))
    for figure in ("mean_skewness", "share_fractured", "kstar1_share"):
        assert not table.loc[figure, "outside"], table.loc[figure]
        assert abs(table.loc[figure, "z"]) < 3


def test_seeds_reproduce_and_options_pass_through(separated):
    x, y = separated
    opts = {"n_permutations": 3, "method": "exact", "progress": False}
    a = kw.null_baseline(x, y, random_state=5, **opts)
    b = kw.null_baseline(x, y, random_state=5, **opts)
    c = kw.null_baseline(x, y, random_state=6, **opts)
    pd.testing.assert_frame_equal(a.permutations, b.permutations)
    assert not a.permutations.equals(c.permutations)
    d = kw.null_baseline(x, y, **opts)  # None means seed 0
    pd.testing.assert_frame_equal(
        d.permutations, kw.null_baseline(x, y, random_state=0, **opts).permutations
    )
    loose = kw.null_baseline(x, y, random_state=5, threshold=100.0, **opts)
    assert (loose.permutations["share_overlapped"] > a.permutations["share_overlapped"]).all()


def test_bad_options_say_what_to_do(separated):
    x, y = separated
    with pytest.raises(ValueError, match="n_permutations"):
        kw.null_baseline(x, y, n_permutations=0, progress=False)
    with pytest.raises(TypeError, match="n_boot"):
        kw.null_baseline(x, y, n_permutations=2, n_boot=10, progress=False)
    with pytest.raises(ValueError, match="labels has"):
        kw.null_baseline(x, y[:-1], n_permutations=2, progress=False)


def test_undefined_observed_figures_stay_undefined():
    """Two far concepts: every Γ is -inf, so the observed mean Γ is NaN and so is its p-value."""
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(0, 1, (30, 4)), rng.normal(50, 1, (30, 4))]
    y = np.repeat([0, 1], 30)
    null = kw.null_baseline(x, y, n_permutations=1, method="exact", progress=False)
    table = null.compare(kw.kstar(x, y, method="exact", progress=False))
    assert np.isnan(table.loc["mean_skewness", "observed"])
    assert np.isnan(table.loc["mean_skewness", "p_value"])
    assert table.loc["share_clustered", "z"] == np.inf and table.loc["share_clustered", "outside"]
