"""Issue 18 §3: inputs whose numbers used to give a silent wrong k* (or a traceback).

Each case is checked against the float64 brute force (tests/brute_force.py) or against a
clear refusal: overflow of float32 squared distances at 1e18-1e19, underflow at 1e-20,
labels beyond int64 and mixed bool/int, cosine rows at 1e+-200, a .npy path without a
client, nullable pandas floats, and a large memory map validated in chunks.
"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from brute_force import brute_force_kstar

import kstar_widgets as kw
from kstar_widgets.utils._validation import check_features, check_labels

pytestmark = pytest.mark.filterwarnings("ignore::kstar_widgets.DegenerateSpaceWarning")


def overlapping_space(n_per=20, d=8, seed=0):
    """Three overlapping Gaussian concepts (no ties): 60 samples."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.standard_normal((n_per, d)) + 0.6 * c for c in range(3)])
    return x, np.repeat(np.arange(3), n_per)


@pytest.mark.parametrize("scale", [1e18, 3e19, 1e-20])
@pytest.mark.parametrize("method", ["exact", "approx"])
def test_extreme_magnitudes_give_the_brute_force_kstar(scale, method):
    x, labels = overlapping_space(d=256)
    x = x * scale
    k_ref, d_ref = brute_force_kstar(x, labels)
    # approx is exact here: every concept is verified and K covers whole concepts
    res = kw.kstar(x, labels, method=method, progress=False, device="cpu", n_neighbors=59)
    np.testing.assert_array_equal(res.k, k_ref)
    assert np.all(res.intruder_distance > 0)
    np.testing.assert_allclose(res.intruder_distance, np.sqrt(d_ref), rtol=1e-12)


def test_float32_features_near_the_float32_limit():
    x, labels = overlapping_space()
    x32 = (x * 3e37).astype(np.float32)
    k_ref, _ = brute_force_kstar(x32, labels)
    res = kw.kstar(x32, labels, method="exact", progress=False, device="cpu")
    np.testing.assert_array_equal(res.k, k_ref)


@pytest.mark.parametrize("power", [1000, -1000])
def test_float64_features_near_the_float64_limits(power):
    # k* is invariant to a power of two, and the brute force of the unscaled rows cannot overflow
    x, labels = overlapping_space(d=64)
    k_ref, d_ref = brute_force_kstar(x, labels)
    res = kw.kstar(x * 2.0**power, labels, method="exact", progress=False, device="cpu")
    np.testing.assert_array_equal(res.k, k_ref)
    np.testing.assert_allclose(res.intruder_distance, np.sqrt(d_ref) * 2.0**power, rtol=1e-12)


def test_labels_beyond_int64_stay_two_concepts():
    codes, concepts = check_labels(np.array([1e20, 1e20, 2e20, 2e20]), 4)
    assert codes.tolist() == [0, 0, 1, 1]
    assert concepts.tolist() == [1e20, 2e20]


def test_in_range_float_labels_still_become_ints():
    _, concepts = check_labels(np.array([0.0, 1.0, 1.0]), 3)
    assert concepts.dtype == np.int64 and concepts.tolist() == [0, 1]


@pytest.mark.parametrize(
    "labels",
    [[True, 1, 2, 2], np.array([True, 1, 2, 2], dtype=object), pd.Series([True, 1, 2, 2]),
     ["1", 1, 2, 2]],
)  # fmt: skip
def test_bool_and_int_labels_are_refused_as_mixed(labels):
    with pytest.raises(TypeError, match="labels mix types"):
        check_labels(labels, 4)


def test_all_bool_labels_are_two_concepts():
    codes, concepts = check_labels([True, False, True, False], 4)
    assert concepts.tolist() == [False, True] and codes.tolist() == [1, 0, 1, 0]


@pytest.mark.parametrize("row_scale", [1e200, 1e-200])
def test_cosine_of_huge_and_tiny_rows(row_scale):
    x, labels = overlapping_space()
    k_ref, _ = brute_force_kstar(x, labels, "cosine")
    rng = np.random.default_rng(1)
    scaled = x * (row_scale * rng.uniform(1, 4, size=(len(x), 1)))
    res = kw.kstar(scaled, labels, metric="cosine", method="exact", progress=False, device="cpu")
    np.testing.assert_array_equal(res.k, k_ref)


def test_npy_path_without_a_client_is_memory_mapped(tmp_path):
    x, labels = overlapping_space()
    path = tmp_path / "features.npy"
    np.save(path, x)
    k_ref, _ = brute_force_kstar(x, labels)
    for given in (path, str(path)):
        res = kw.kstar(given, labels, method="exact", progress=False, device="cpu")
        np.testing.assert_array_equal(res.k, k_ref)


def test_a_path_that_is_not_npy_names_the_fix(tmp_path):
    (tmp_path / "f.csv").write_text("1,2\n3,4\n")
    with pytest.raises(ValueError, match=r"np.load|\.npy"):
        check_features(str(tmp_path / "f.csv"))


def test_nullable_float_dataframe_with_na_says_na():
    df = pd.DataFrame({"a": pd.array([1.0, None, 3.0], dtype="Float64"), "b": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"missing values \(pandas NA\).*na_value=np.nan"):
        check_features(df)


def test_nullable_float_dataframe_without_na_is_accepted():
    df = pd.DataFrame({"a": pd.array([1.0, 2.0, 3.0], dtype="Float64"), "b": [1.0, 2.0, 3.0]})
    arr = check_features(df)
    assert arr.dtype == np.float64 and arr.shape == (3, 2)


def test_a_large_memory_map_is_validated_in_chunks(tmp_path):
    path = tmp_path / "big.npy"
    mm = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(200_000, 256))
    mm[:] = 1.0  # 205 MB
    mm[123_456, 7] = np.nan
    mm.flush()
    del mm
    arr = np.load(path, mmap_mode="r")
    tracemalloc.start()
    with pytest.raises(ValueError, match=r"1 sample\(s\) \(first rows: \[123456\]\)"):
        check_features(arr)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 40e6, f"validation allocated {peak / 1e6:.0f} MB for a 205 MB memory map"


@pytest.mark.slow
def test_dask_engines_at_3e19_from_a_npy_file_and_memory(client, tmp_path):
    from kstar_widgets.engines.dask import DaskApproxEngine, DaskExactEngine

    x, labels = overlapping_space(d=256)
    x = x * 3e19
    k_ref, d_ref = brute_force_kstar(x, labels)
    np.save(tmp_path / "x.npy", x)
    for features in (str(tmp_path / "x.npy"), x):
        res = kw.kstar(
            features, labels, method="exact", client=client, progress=False,
            engine=DaskExactEngine(client, block_rows=16),
        )  # fmt: skip
        np.testing.assert_array_equal(res.k, k_ref)
        np.testing.assert_allclose(res.intruder_distance, np.sqrt(d_ref), rtol=1e-12)
    # the approximate twin: every concept verified, K = 20 in shards of 30 rows
    res = kw.kstar(
        x, labels, method="approx", client=client, progress=False, n_neighbors=20,
        engine=DaskApproxEngine(client),
    )  # fmt: skip
    np.testing.assert_array_equal(res.k, k_ref)
