"""Input checks at the boundary of the public API.

Every check fails with a message that says what was wrong and what to do.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np
import pandas as pd

METHODS = ("auto", "exact", "approx")
METRICS = ("euclidean", "cosine")
BACKENDS = ("local", "dask")


def _is_torch_tensor(x) -> bool:
    """True for a torch.Tensor, without importing torch."""
    return type(x).__module__.startswith("torch") and hasattr(x, "detach")


def check_features(features) -> np.ndarray:
    """Return features as a C-contiguous float32 or float64 numpy array (n, d).

    A .npy path is memory-mapped; the values are checked a chunk of rows at a time.
    """
    if _is_torch_tensor(features):
        t = features.detach().cpu()
        # float16/bfloat16 widen to float32 exactly; ints and bools to float64 exactly;
        # complex stays complex, refused below with the arrays' message
        if t.dtype.is_floating_point and t.element_size() < 4:
            t = t.float()
        elif not (t.dtype.is_floating_point or t.dtype.is_complex):
            t = t.double()
        features = t.resolve_conj().numpy()
    if isinstance(features, (str, Path)):
        features = _load_npy(features)
    if isinstance(features, (pd.DataFrame, pd.Series)):
        features = _pandas_values(features)
    try:
        arr = np.asarray(features)
    except (ValueError, TypeError) as exc:
        raise TypeError(
            "features could not be read as an array: "
            f"{exc}. Pass a numpy array or torch tensor of shape (n_samples, n_features)."
        ) from None
    check_dtype(arr.dtype)
    check_shape(arr.shape)
    if arr.dtype not in (np.float32, np.float64):
        # float16/bfloat16/ints: float64 keeps every integer and half value exactly.
        arr = arr.astype(np.float64)
    arr = np.ascontiguousarray(arr)
    bad = nonfinite_rows(arr)
    check_finite_rows(bad.size, bad[:5].tolist())
    return arr


def _load_npy(path) -> np.ndarray:
    """A .npy file, memory-mapped (read a chunk at a time, never copied whole)."""
    path = Path(path).expanduser()
    if path.suffix.lower() != ".npy" or not path.is_file():
        raise ValueError(
            f"features path {str(path)!r} is not a .npy file; without a Dask client only .npy "
            "paths are read (memory-mapped). Load other files yourself, e.g. "
            "np.load(path, mmap_mode='r') or zarr.open_array(path)[:], or pass client=."
        )
    return np.load(path, mmap_mode="r", allow_pickle=False)


def _pandas_values(frame) -> np.ndarray:
    """A DataFrame or Series as a float array; nullable columns with pandas NA are refused."""
    extension = any(
        isinstance(dt, pd.api.extensions.ExtensionDtype) and dt.kind in "biuf"
        for dt in (frame.dtypes if isinstance(frame, pd.DataFrame) else [frame.dtype])
    )
    if not extension:
        return frame.to_numpy()
    na = frame.isna().to_numpy().reshape(len(frame), -1).any(axis=1)
    if na.any():
        rows = np.flatnonzero(na)
        raise ValueError(
            f"features hold missing values (pandas NA) in {rows.size} sample(s) (first rows: "
            f"{rows[:5].tolist()}). Convert with df.to_numpy(dtype=float, na_value=np.nan), "
            "then drop or impute those rows before calling kstar()."
        )
    return frame.to_numpy(dtype=np.float64)


def _row_chunks(arr: np.ndarray, chunk_bytes: int = 1 << 24):
    """(start, stop) row ranges of about `chunk_bytes` each."""
    step = max(1, chunk_bytes // max(1, arr.shape[1] * arr.itemsize))
    return ((s, min(len(arr), s + step)) for s in range(0, len(arr), step))


def nonfinite_rows(arr: np.ndarray) -> np.ndarray:
    """Indices of rows with NaN or inf, checked a chunk of rows at a time (memory maps too)."""
    bad = [s + np.flatnonzero(~np.isfinite(arr[s:e]).all(axis=1)) for s, e in _row_chunks(arr)]
    return np.concatenate(bad)


def max_abs(arr: np.ndarray) -> float:
    """The largest |x| of finite features, a chunk of rows at a time."""
    return max(float(np.abs(arr[s:e]).max()) for s, e in _row_chunks(arr))


def check_dtype(dtype, where: str = "") -> None:
    """Refuse non-numeric and complex features; `where` names a stored source (" in ...")."""
    dt = np.dtype(dtype)
    if dt.kind == "O" or not (np.issubdtype(dt, np.number) or np.issubdtype(dt, np.bool_)):
        raise TypeError(
            f"features must be numeric, got dtype {dt}{where}. Pass a numpy array, a torch "
            "tensor or a stored array of floats of shape (n_samples, n_features)."
        )
    if np.issubdtype(dt, np.complexfloating):
        raise TypeError(
            f"features are complex numbers{where}; k* needs real vectors. "
            "Pass the real features (for example np.abs(x) or x.real) explicitly."
        )


def check_shape(shape, where: str = "") -> None:
    """Refuse features that are not 2-d (n_samples, n_features) or are empty."""
    shape = tuple(shape)
    if len(shape) != 2:
        raise ValueError(
            f"features must be 2-d (n_samples, n_features), got shape {shape}{where}. "
            + (
                "Flatten each sample first, e.g. features.reshape(len(features), -1)."
                if len(shape) > 2
                else "Stack one row per sample, e.g. features.reshape(-1, 1) for 1-d values."
            )
        )
    if 0 in shape:
        raise ValueError(
            f"features are empty (shape {shape}){where}; k* needs at least 2 samples "
            "with at least 1 feature each."
        )


def check_finite_rows(n_bad: int, first_rows: list) -> None:
    """Refuse rows with NaN or inf: `n_bad` of them, the first indices `first_rows`."""
    if n_bad:
        raise ValueError(
            f"features contain NaN or inf in {n_bad} sample(s) (first rows: "
            f"{list(first_rows)[:5]}). Drop those samples or impute them before calling kstar()."
        )


def check_nonzero_rows(n_zero: int, first_rows: list) -> None:
    """Refuse all-zero rows under the cosine metric (they have no direction)."""
    if n_zero:
        raise ValueError(
            f"metric='cosine' is undefined for all-zero vectors: {n_zero} sample(s) "
            f"(first rows: {list(first_rows)[:5]}). Drop them or use metric='euclidean'."
        )


def check_labels(labels, n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes, concepts): int64 codes (n,) into the sorted unique concept labels."""
    if _is_torch_tensor(labels):
        labels = labels.detach().cpu().numpy()
    if isinstance(labels, pd.Series):
        labels = labels.to_numpy()
    # np.asarray would merge True with 1 and "1" with 1: a list's own types are checked
    listed = {type(v) for v in labels} if isinstance(labels, (list, tuple)) else None
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(
            f"labels must be 1-d with one concept per sample, got shape {arr.shape}. "
            "Pass e.g. labels.ravel() or the class index of each sample (not one-hot rows)."
        )
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"labels has {arr.shape[0]} entries but features has {n_samples} rows; "
            "pass exactly one label per sample, in the same order."
        )
    missing = (
        pd.isna(arr) if arr.dtype == object or arr.dtype.kind == "f" else np.zeros(len(arr), bool)
    )
    if np.any(missing):
        bad = np.flatnonzero(missing)
        raise ValueError(
            f"labels contain {bad.size} missing value(s) (NaN or None, first at index {bad[0]}). "
            "Every sample needs a concept: drop the unlabelled samples first."
        )
    if listed is not None:
        check_label_kinds(listed, real=True)
    if arr.dtype.kind == "f":
        if not np.all(arr == np.round(arr)):
            raise ValueError(
                "labels are non-integer floats; concept labels must be ints or strings. "
                "Convert them, e.g. labels.astype(int), if they are class indices."
            )
        if np.all(np.abs(arr) < 2.0**63):  # beyond int64 they stay floats, each its own concept
            arr = arr.astype(np.int64)
    if arr.dtype == object:
        check_label_kinds({type(v) for v in arr})
    concepts, codes = np.unique(arr, return_inverse=True)
    if len(concepts) < 2:
        raise ValueError(
            f"labels hold {len(concepts)} concept(s); k* needs samples of at least 2 concepts "
            "(it is the rank of the first neighbour from another concept)."
        )
    return codes.astype(np.int64).ravel(), concepts


def check_label_kinds(kinds: set, real: bool = False) -> None:
    """Refuse labels that mix types: bools with numbers, strings with anything else
    (``real``: floats count as numbers, as in a list; an object array takes ints only)."""
    boolean = {k for k in kinds if issubclass(k, (bool, np.bool_))}
    strings = {k for k in kinds if issubclass(k, str)}
    number = (numbers.Real, np.floating, np.integer) if real else (numbers.Integral, np.integer)
    ints = {k for k in kinds if issubclass(k, number)} - boolean
    ok = kinds <= boolean | strings | ints
    if not ok or sum(map(bool, (boolean, strings, ints))) > 1:
        raise TypeError(
            f"labels mix types {sorted(k.__name__ for k in kinds)}; use all ints, all bools or "
            "all strings, e.g. [str(x) for x in labels] (True and 1 would be one concept)."
        )


def check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method={method!r} is not known; use one of {METHODS}.")
    return method


def check_backend(backend: str, client) -> str:
    """The backend name: "dask" when a client is given."""
    if backend not in BACKENDS:
        raise ValueError(f"backend={backend!r} is not known; use one of {BACKENDS}.")
    if client is not None:
        backend = "dask"
    return backend


def check_metric(metric: str) -> str:
    if metric not in METRICS:
        raise ValueError(
            f"metric={metric!r} is not known; use one of {METRICS} "
            "('euclidean' is the paper's, 'cosine' suits CLIP embeddings)."
        )
    return metric


def check_random_state(random_state) -> int | None:
    """An int seed or None."""
    if random_state is not None and not isinstance(random_state, (int, np.integer)):
        raise TypeError(f"random_state must be an int or None, got {random_state!r}.")
    return random_state


def check_n_neighbors(n_neighbors, n_samples: int) -> int | None:
    if n_neighbors is None:
        return None
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, numbers.Integral):
        raise TypeError(f"n_neighbors must be an int or None, got {n_neighbors!r}.")
    if n_neighbors < 1:
        raise ValueError(
            f"n_neighbors={n_neighbors} must be at least 1; it is the number of approximate "
            "neighbours read per sample (None picks one from the concept sizes)."
        )
    return int(min(n_neighbors, n_samples - 1))


def check_threshold(threshold, default: float | None = None) -> float:
    """The skewness threshold t as a float: TypeError for a non-number, ValueError for a
    number that is negative or not finite; None means ``default`` where one is given."""
    if threshold is None and default is not None:
        return float(default)
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(
            f"threshold must be a number (the paper uses 0.5), got {type(threshold).__name__} "
            f"{threshold!r}."
        )
    if not (np.isfinite(threshold) and threshold >= 0):
        raise ValueError(
            f"threshold={threshold!r} must be a finite number >= 0 (the paper uses 0.5): "
            "skewness above +threshold is Fractured, below -threshold Clustered."
        )
    return float(threshold)


def row_norms64(features: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """Float64 Euclidean norm of each row, computed chunk by chunk to bound memory.

    Each row is first divided by a power of two near its largest |x| (exact), so rows of
    1e200 do not overflow and rows of 1e-200 do not underflow to a zero norm.
    """
    out = np.empty(len(features))
    for i in range(0, len(features), chunk):
        r = features[i : i + chunk].astype(np.float64)
        big = np.abs(r).max(axis=1)
        _, e = np.frexp(np.where(big > 0, big, 1.0))
        p = np.ldexp(1.0, np.clip(e, -1021, 1022))[:, None]  # |r / p| < 1
        out[i : i + chunk] = np.linalg.norm(r / p, axis=1) * p[:, 0]
    return out


def check_cosine_rows(features: np.ndarray) -> np.ndarray:
    """Float64 row norms; reject all-zero rows, which have no direction."""
    norms = row_norms64(features)
    zero = np.flatnonzero(norms == 0)
    check_nonzero_rows(zero.size, zero[:5].tolist())
    return norms
