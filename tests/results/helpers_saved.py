"""Results of every kind the format must carry, and a field-by-field equality check."""

import numpy as np
import pandas as pd

import kstar_widgets as kw
from kstar_widgets import KStarResult

ARRAYS = ("k", "k_norm", "censored", "labels", "codes", "intruder", "intruder_distance", "island")
SCALARS = ("method", "metric", "reason", "threshold", "n_neighbors", "timings", "name", "info")


def censored_result(labels, concept_labels, codes, n_boot=40):
    """A built result with censored samples, unknown intruders (-1, NaN) and a tiny concept."""
    n = len(codes)
    rng = np.random.default_rng(1)
    sizes = np.bincount(codes)
    k = np.minimum(rng.integers(1, 30, n), sizes[codes])
    censored = rng.random(n) < 0.2
    intruder = np.where(censored, -1, rng.integers(0, n, n))
    return KStarResult.build(
        k=k, censored=censored, labels=labels, codes=codes, concept_labels=concept_labels,
        threshold=0.3, name="approx", intruder=intruder,
        intruder_distance=np.where(censored, np.nan, rng.random(n)), method="approx",
        metric="cosine", reason="test", n_neighbors=25, n_boot=n_boot,
        timings={"graph": 1.5}, info={"graph_neighbors": 25, "verified_share": 0.75},
    )  # fmt: skip


def labelled(kind: str, n=200):
    """(labels, concept_labels, codes) with labels of the given kind and one 2-sample concept."""
    codes = np.sort(np.r_[np.arange(n - 2) % 4, [4, 4]])
    names = {
        "int": np.arange(5) * 10,
        "str": np.array(["cat", "dog", "émeu", "fox", "gnu"]),
        "object_str": np.array(["cat", "dog", "émeu", "fox", "gnu"], dtype=object),
        "object_int": np.array([3, 7, 11, 2**40, 5], dtype=object),
        "uint8": np.arange(5, dtype=np.uint8),
    }[kind]
    return names[codes], names, codes


def assert_same(a: KStarResult, b: KStarResult) -> None:
    """Every field of ``b`` equals ``a``'s exactly, dtypes included."""
    for f in ARRAYS:
        x, y = getattr(a, f), getattr(b, f)
        if x is None:
            assert y is None, f
            continue
        assert y.dtype == x.dtype and y.shape == x.shape, (f, x.dtype, y.dtype)
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), f
        assert [type(v) for v in x[:3]] == [type(v) for v in y[:3]], f
    pd.testing.assert_frame_equal(b.concepts, a.concepts, check_exact=True)
    assert b.concepts.index.name == a.concepts.index.name
    pd.testing.assert_series_equal(b.summary, a.summary, check_exact=True)
    for f in SCALARS:
        assert getattr(b, f) == getattr(a, f), f
    ra, rb = a.replicates, b.replicates
    assert (ra is None) == (rb is None)
    if ra is not None:
        assert (rb.confidence, rb.seed) == (ra.confidence, ra.seed)
        for x, y in zip(
            [ra.weights, *ra.skewness, *ra.mean_k],
            [rb.weights, *rb.skewness, *rb.mean_k],
            strict=True,
        ):
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True)
        assert len(rb.skewness) == len(ra.skewness) and len(rb.mean_k) == len(ra.mean_k)


def saved_and_loaded(result, tmp_path, name="run.kstar"):
    """``result`` saved to ``tmp_path / name`` and loaded back."""
    path = tmp_path / name
    result.save(path)
    return kw.load(path)
