"""compare() on results whose differences are known."""

import numpy as np
import pytest

import kstar_widgets as kw


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
