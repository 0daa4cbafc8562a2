"""A result's arrays are read-only: writing into one cannot leave ``concepts`` stale."""

import numpy as np
import pytest
from helpers_saved import ARRAYS, censored_result, labelled, saved_and_loaded

import kstar_widgets as kw


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 4))
    return kw.kstar(x, np.repeat([0, 1], 40), method="exact", n_boot=20, progress=False)


@pytest.mark.parametrize("field", ARRAYS)
def test_every_array_of_a_result_is_read_only(result, field):
    arr = getattr(result, field)
    with pytest.raises(ValueError, match="read-only"):
        arr[0] = arr[1]


def test_derived_and_loaded_results_are_read_only_too(result, tmp_path):
    for r in (result.with_threshold(0.2), result.renamed("x"), saved_and_loaded(result, tmp_path)):
        for field in ARRAYS:
            assert not getattr(r, field).flags.writeable, field


def test_the_callers_arrays_stay_writable(result):
    labels, names, codes = labelled("int")
    r = censored_result(labels, names, codes)
    assert not r.codes.flags.writeable
    codes[0] = codes[0]  # the caller's own array: still theirs to change
    labels[0] = labels[0]


def test_the_bootstrap_replicates_are_read_only(result):
    reps = result.replicates
    for arr in (reps.weights, *reps.skewness, *reps.mean_k):
        with pytest.raises(ValueError, match="read-only"):
            arr[0, 0] = 0
