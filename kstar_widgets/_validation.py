"""Input checks at the boundary of the public API.

Every check fails with a message that says what was wrong and what to do.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

METHODS = ("auto", "exact", "approx")
METRICS = ("euclidean", "cosine")
BACKENDS = ("local", "dask")


def _is_torch_tensor(x) -> bool:
    """True for a torch.Tensor, without importing torch."""
    return type(x).__module__.startswith("torch") and hasattr(x, "detach")


def check_features(features) -> np.ndarray:
    """Return features as a C-contiguous float32 or float64 numpy array (n, d)."""
    if _is_torch_tensor(features):
        t = features.detach().cpu()
        if t.dtype.is_complex:
            raise TypeError("features are a complex tensor; k* needs real vectors.")
        # float16/bfloat16 widen to float32 exactly; ints and bools to float64 exactly.
        if t.dtype.is_floating_point and t.element_size() < 4:
            t = t.float()
        features = t.numpy() if t.dtype.is_floating_point else t.double().numpy()
    if isinstance(features, (pd.DataFrame, pd.Series)):
        features = features.to_numpy()
    try:
        arr = np.asarray(features)
    except (ValueError, TypeError) as exc:
        raise TypeError(
            "features could not be read as an array: "
            f"{exc}. Pass a numpy array or torch tensor of shape (n_samples, n_features)."
        ) from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(
            f"features must be numeric, got dtype {arr.dtype}. "
            "Pass a numpy array or torch tensor of floats of shape (n_samples, n_features)."
        )
    if np.iscomplexobj(arr):
        raise TypeError(
            "features are complex numbers; k* needs real vectors. "
            "Pass the real features (for example np.abs(x) or x.real) explicitly."
        )
    if arr.ndim != 2:
        raise ValueError(
            f"features must be 2-d (n_samples, n_features), got shape {arr.shape}. "
            + (
                "Flatten each sample first, e.g. features.reshape(len(features), -1)."
                if arr.ndim > 2
                else "Stack one row per sample, e.g. features.reshape(-1, 1) for 1-d values."
            )
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"features are empty (shape {arr.shape}); k* needs at least 2 samples "
            "with at least 1 feature each."
        )
    if arr.dtype not in (np.float32, np.float64):
        # float16/bfloat16/ints: float64 keeps every integer and half value exactly.
        arr = arr.astype(np.float64)
    arr = np.ascontiguousarray(arr)
    finite = np.isfinite(arr).all(axis=1)
    if not finite.all():
        bad = np.flatnonzero(~finite)
        raise ValueError(
            f"features contain NaN or inf in {bad.size} sample(s) (first rows: "
            f"{bad[:5].tolist()}). Drop those samples or impute them before calling kstar()."
        )
    return arr


def check_labels(labels, n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes, concepts): int64 codes (n,) into the sorted unique concept labels."""
    if _is_torch_tensor(labels):
        labels = labels.detach().cpu().numpy()
    if isinstance(labels, pd.Series):
        labels = labels.to_numpy()
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
    if arr.dtype.kind == "f":
        if not np.all(arr == np.round(arr)):
            raise ValueError(
                "labels are non-integer floats; concept labels must be ints or strings. "
                "Convert them, e.g. labels.astype(int), if they are class indices."
            )
        arr = arr.astype(np.int64)
    if arr.dtype == object:
        kinds = {type(v) for v in arr}
        if not all(issubclass(k, (str, numbers.Integral, np.integer)) for k in kinds) or (
            any(issubclass(k, str) for k in kinds) and len(kinds) > 1
        ):
            raise TypeError(
                f"labels mix types {sorted(k.__name__ for k in kinds)}; use all ints or all "
                "strings, e.g. [str(x) for x in labels]."
            )
    concepts, codes = np.unique(arr, return_inverse=True)
    if len(concepts) < 2:
        raise ValueError(
            f"labels hold {len(concepts)} concept(s); k* needs samples of at least 2 concepts "
            "(it is the rank of the first neighbour from another concept)."
        )
    return codes.astype(np.int64).ravel(), concepts


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


def check_threshold(threshold) -> float:
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, numbers.Real)
        or not (np.isfinite(threshold) and threshold >= 0)
    ):
        raise ValueError(
            f"threshold={threshold!r} must be a finite number >= 0 (the paper uses 0.5): "
            "skewness above +threshold is Fractured, below -threshold Clustered."
        )
    return float(threshold)


def row_norms64(features: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """Float64 Euclidean norm of each row, computed chunk by chunk to bound memory."""
    out = np.empty(len(features))
    for i in range(0, len(features), chunk):
        out[i : i + chunk] = np.linalg.norm(features[i : i + chunk].astype(np.float64), axis=1)
    return out


def check_cosine_rows(features: np.ndarray) -> np.ndarray:
    """Float64 row norms; reject all-zero rows, which have no direction."""
    norms = row_norms64(features)
    zero = np.flatnonzero(norms == 0)
    if zero.size:
        raise ValueError(
            f"metric='cosine' is undefined for all-zero vectors: {zero.size} sample(s) "
            f"(first rows: {zero[:5].tolist()}). Drop them or use metric='euclidean'."
        )
    return norms
