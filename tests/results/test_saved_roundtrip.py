"""save/load keep every field of a result exactly, and a loaded result works everywhere."""

import numpy as np
import pytest
from helpers_saved import assert_same, censored_result, labelled, saved_and_loaded

import kstar_widgets as kw


@pytest.fixture(scope="module")
def computed():
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(size=(60, 5)), rng.normal(1.0, size=(60, 5)), rng.normal(3, size=(2, 5))]
    y = np.repeat(np.array(["a", "b", "tiny"]), [60, 60, 2])
    return x, y, kw.kstar(x, y, method="exact", n_boot=50, progress=False, name="exact")


def test_a_computed_result_round_trips_exactly(computed, tmp_path):
    r = computed[2]
    assert r.replicates is not None and r.island is not None
    assert np.isnan(r.concepts["skewness"]).any()  # the 2-sample concept: Γ undefined
    assert_same(r, saved_and_loaded(r, tmp_path))


@pytest.mark.parametrize("kind", ["int", "str", "object_str", "object_int", "uint8"])
def test_labels_of_every_kind_round_trip_with_their_dtype(kind, tmp_path):
    r = censored_result(*labelled(kind))
    assert r.censored.any() and (r.intruder == -1).any()
    loaded = saved_and_loaded(r, tmp_path)
    assert_same(r, loaded)
    assert loaded.concepts.index.dtype == r.concepts.index.dtype


def test_no_bootstrap_and_no_islands_round_trip(tmp_path):
    r = censored_result(*labelled("int"), n_boot=0)
    assert r.replicates is None and r.island is None
    assert_same(r, saved_and_loaded(r, tmp_path))


def test_paired_replicates_of_several_results_round_trip(computed, tmp_path):
    import dataclasses

    r = computed[2]
    reps = dataclasses.replace(
        r.replicates, skewness=[*r.replicates.skewness] * 2, mean_k=[*r.replicates.mean_k] * 2
    )
    r2 = dataclasses.replace(r, replicates=reps)
    assert_same(r2, saved_and_loaded(r2, tmp_path))


def test_with_threshold_and_compare_work_on_a_loaded_result(computed, tmp_path):
    r = computed[2]
    loaded = saved_and_loaded(r, tmp_path)
    assert_same(r.with_threshold(0.1), loaded.with_threshold(0.1))
    a, b = (
        kw.compare(r, r.renamed("b"), n_boot=30),
        kw.compare(loaded, loaded.renamed("b"), n_boot=30),
    )
    assert repr(a) == repr(b)


def test_explore_and_report_work_on_a_loaded_result(computed, tmp_path):
    r = computed[2]
    loaded = saved_and_loaded(r, tmp_path)
    widget = kw.explore(loaded)
    assert widget is not None
    kw.report(loaded, tmp_path / "r.html")
    kw.report(r, tmp_path / "o.html")
    page = (tmp_path / "r.html").read_text()
    assert "k* explorer" in page and len(page) > 10_000


def test_save_overwrites_and_keeps_no_temporary_file(computed, tmp_path):
    r = computed[2]
    path = tmp_path / "run.kstar"
    censored_result(*labelled("int")).save(path)
    r.save(path)
    assert_same(r, kw.load(path))
    assert [p.name for p in tmp_path.iterdir()] == ["run.kstar"]


def test_a_failing_save_leaves_no_file_and_the_old_one_intact(computed, tmp_path):
    import dataclasses

    r = computed[2]
    bad = dataclasses.replace(r, info={"device": object()})  # not JSON: fails after the arrays
    with pytest.raises(TypeError, match="cannot save object"):
        bad.save(tmp_path / "new.kstar")
    assert list(tmp_path.iterdir()) == []
    r.save(tmp_path / "old.kstar")
    with pytest.raises(TypeError):
        bad.save(tmp_path / "old.kstar")
    assert [p.name for p in tmp_path.iterdir()] == ["old.kstar"]
    assert_same(r, kw.load(tmp_path / "old.kstar"))


def test_labels_that_need_pickle_are_refused_on_save(tmp_path):
    _, names, codes = labelled("object_int")
    names[3] = 2**70  # beyond int64: only pickle could keep it
    r = censored_result(names[codes], names, codes)
    with pytest.raises(TypeError, match=r"without pickle .* make them all strings"):
        r.save(tmp_path / "run.kstar")
    assert list(tmp_path.iterdir()) == []
