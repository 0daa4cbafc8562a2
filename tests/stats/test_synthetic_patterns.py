"""pattern_space builds each pattern reliably, in 2-D and in high dimension."""

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.synthetic import pattern_space

EXPECTED = {"clustered": "Clustered", "overlapped": "Overlapped", "fractured": "Fractured"}


@pytest.mark.parametrize("dim", [2, 32])
@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_pattern_space_gives_its_pattern_across_seeds(kind, dim):
    for seed in range(8):
        x, y = pattern_space(kind, dim=dim, random_state=seed)
        target = kw.kstar(x, y, method="exact", progress=False).concepts.loc["target"]
        assert target["pattern"] == EXPECTED[kind], (kind, dim, seed, target["skewness"])


def test_pattern_space_patterns_hold_when_the_geometry_changes():
    cases = [dict(n_others=2, n_islands=5), dict(separation=1.0, spread=2.0), dict(per_concept=30)]
    for kwargs in cases:
        for kind, pattern in EXPECTED.items():
            x, y = pattern_space(kind, dim=16, random_state=3, **kwargs)
            got = kw.kstar(x, y, method="exact", progress=False).concepts.loc["target", "pattern"]
            assert got == pattern, (kind, kwargs)


def test_pattern_space_shape_labels_and_seed():
    x, y = pattern_space("fractured", n_others=3, per_concept=20, dim=5, random_state=7)
    assert x.shape == (80, 5) and x.dtype == np.float32
    assert (y == "target").sum() == 20 and set(y) == {"target", "other-0", "other-1", "other-2"}
    x2, _ = pattern_space("fractured", n_others=3, per_concept=20, dim=5, random_state=7)
    np.testing.assert_array_equal(x, x2)


def test_pattern_space_rejects_unknown_kind_and_bad_sizes():
    with pytest.raises(ValueError, match="kind='spiral'"):
        pattern_space("spiral")
    with pytest.raises(ValueError, match="per_concept >= 4"):
        pattern_space("clustered", per_concept=2)


def test_concept_space_returns_the_blobs_it_built_and_far_blobs_are_the_islands():
    from kstar_widgets.synthetic import concept_space

    opts = dict(n_concepts=6, per_concept=40, dim=64, islands=(1, 4), random_state=2)
    x, y = concept_space(**opts)
    x2, y2, blobs = concept_space(**opts, return_blobs=True)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert blobs.shape == y.shape and blobs.min() == 0 and blobs.max() <= 3
    # tight blobs far apart (centres ~ 56 apart, points ~ 3): a blob is never split (two
    # blobs of a concept may share an island: in 64-D all centres are about equally far)
    x, y, blobs = concept_space(**opts, spread=(0.2, 0.3), separation=5.0, return_blobs=True)
    res = kw.kstar(x, y, method="exact", progress=False)
    split = merged = 0
    for c in range(6):
        m = y == c
        pairs = set(zip(blobs[m].tolist(), res.island[m].tolist(), strict=True))
        split += len(pairs) - len(set(blobs[m]))
        merged += len(set(blobs[m])) - len(set(res.island[m]))
    assert split == 0 and merged >= 0
