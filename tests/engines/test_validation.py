"""Bad input gets a clear error that names the problem and the fix."""

import numpy as np
import pytest

import kstar_widgets as kw

X = np.random.default_rng(0).normal(size=(20, 3))
Y = np.repeat([0, 1], 10)


@pytest.mark.parametrize(
    ("features", "labels", "kwargs", "error", "match"),
    [
        (
            np.where(np.arange(60).reshape(20, 3) == 7, np.nan, X),
            Y,
            {},
            ValueError,
            "NaN or inf.*rows: \\[2\\]",
        ),
        (np.where(np.arange(60).reshape(20, 3) == 7, np.inf, X), Y, {}, ValueError, "NaN or inf"),
        (X, Y[:-1], {}, ValueError, "19 entries but features has 20 rows"),
        (X[:, 0], Y, {}, ValueError, "must be 2-d.*reshape"),
        (X.reshape(20, 3, 1), Y, {}, ValueError, "must be 2-d.*Flatten"),
        (np.empty((0, 3)), [], {}, ValueError, "empty"),
        (np.empty((5, 0)), [0, 0, 1, 1, 1], {}, ValueError, "empty"),
        (X, np.zeros(20), {}, ValueError, "at least 2 concepts"),
        (X, np.where(np.arange(20) == 3, np.nan, Y), {}, ValueError, "missing value.*index 3"),
        (
            X,
            np.array([None, *["a"] * 9, *["b"] * 10], dtype=object),
            {},
            ValueError,
            "missing value",
        ),
        (X, Y.reshape(10, 2), {}, ValueError, "labels must be 1-d"),
        (X, np.eye(2)[Y], {}, ValueError, "labels must be 1-d"),
        (X, Y + 0.5, {}, ValueError, "non-integer floats"),
        (X, np.array([1, "a"] * 10, dtype=object), {}, TypeError, "mix types"),
        (X.astype(str), Y, {}, TypeError, "must be numeric"),
        ([["a", "b"], ["c", "d"]], [0, 1], {}, TypeError, "must be numeric"),
        (X.astype(complex), Y, {}, TypeError, "complex"),
        (X, Y, {"method": "fast"}, ValueError, "method='fast' is not known"),
        (X, Y, {"metric": "manhattan"}, ValueError, "metric='manhattan' is not known"),
        (X, Y, {"n_neighbors": 0}, ValueError, "n_neighbors=0 must be at least 1"),
        (X, Y, {"n_neighbors": 2.5}, TypeError, "n_neighbors must be an int"),
        (X, Y, {"threshold": -0.1}, ValueError, "threshold"),
        (X, Y, {"random_state": "seed"}, TypeError, "random_state"),
        (X, Y, {"device": "tpu"}, ValueError, "not a torch device"),
        (
            np.vstack([X[:19], np.zeros((1, 3))]),
            Y,
            {"metric": "cosine"},
            ValueError,
            "all-zero vectors.*\\[19\\]",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(features, labels, kwargs, error, match):
    with pytest.raises(error, match=match):
        kw.kstar(features, labels, progress=False, **kwargs)


def test_all_zero_vector_is_fine_under_euclidean():
    x = np.vstack([X[:19], np.zeros((1, 3))])
    res = kw.kstar(x, Y, method="exact", progress=False)
    assert res.k.shape == (20,)


def test_torch_nan_is_caught():
    import torch

    t = torch.from_numpy(X).float()
    t[4, 1] = float("nan")
    with pytest.raises(ValueError, match="NaN or inf"):
        kw.kstar(t, Y, progress=False)


def test_compare_on_different_samples_is_unpaired():
    a = kw.kstar(X, Y, method="exact", progress=False)
    b = kw.kstar(X[:18], Y[:18], method="exact", progress=False)
    with pytest.warns(kw.ConceptSizeWarning, match="sizes differ between"):  # 10 against 8-10
        c = kw.compare(a, b)
    assert not c.paired and c.samples is None and np.isnan(c.kstar_agreement)
    assert "unpaired" in repr(c)
    d = kw.compare(a, kw.kstar(X, Y[::-1], method="exact", progress=False))
    assert not d.paired
    with pytest.raises(TypeError, match="KStarResult"):
        kw.compare(a, "b")
    with pytest.raises(ValueError, match="n_boot"):
        kw.compare(a, a, n_boot=-1)
    with pytest.raises(ValueError, match="confidence"):
        kw.compare(a, a, confidence=1.5)


def test_bootstrap_options_are_checked_before_the_computation():
    with pytest.raises(ValueError, match="n_boot"):
        kw.kstar(X, Y, n_boot=2.5, progress=False)
    with pytest.raises(ValueError, match="confidence"):
        kw.kstar(X, Y, confidence=0, progress=False)
    with pytest.raises(TypeError, match="random_state"):
        kw.kstar(X, Y, random_state="seed", progress=False)


# --- one boundary: in-memory and stored features go through the same checks -------------


@pytest.mark.parametrize(
    ("features", "match"),
    [
        (X[:, 0], "must be 2-d"),
        (X.reshape(20, 3, 1), "must be 2-d.*Flatten"),
        (np.empty((0, 3)), "empty"),
        (X.astype(str), "must be numeric"),
        (X.astype(complex), "complex"),
    ],
)
def test_stored_features_are_refused_with_the_in_memory_message(features, match, tmp_path):
    """A .npy source (checked by shape and dtype before any worker reads it) gets the very
    sentence an in-memory array gets, naming the source besides."""
    from kstar_widgets.engines import build_problem
    from kstar_widgets.engines.dask._source import open_source

    labels = np.arange(len(features)) % 2
    with pytest.raises((ValueError, TypeError), match=match) as in_memory:
        build_problem(features, labels)
    np.save(tmp_path / "x.npy", features)
    source = open_source(tmp_path / "x.npy", client=None)
    with pytest.raises(in_memory.type, match=match) as stored:
        build_problem(tmp_path / "x.npy", labels, client=object())  # refused before any task
    assert f" in {source!r}" in str(stored.value)
    assert str(stored.value).replace(f" in {source!r}", "") == str(in_memory.value)


def test_the_metric_is_checked_once_per_call(monkeypatch):
    import sys

    from kstar_widgets.utils import _validation

    calls = []
    real = _validation.check_metric

    def spy(metric):
        calls.append(metric)
        return real(metric)

    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("kstar_widgets") and hasattr(
            module, "check_metric"
        ):
            monkeypatch.setattr(module, "check_metric", spy)
    for metric in ("euclidean", "cosine"):
        calls.clear()
        kw.kstar(X, Y, metric=metric, method="exact", progress=False)
        assert calls == [metric]
