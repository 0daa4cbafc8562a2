"""Check what explore() and report() are given: results, images, concept labels."""

from __future__ import annotations

import numpy as np

from .._result import KStarResult


def as_results(result_or_results) -> dict[str, KStarResult]:
    """A dict name -> result from one result, a list or a dict, all on the same samples."""
    if isinstance(result_or_results, KStarResult):
        items = [(result_or_results.name or result_or_results.method, result_or_results)]
    elif isinstance(result_or_results, dict):
        items = [(str(k), v) for k, v in result_or_results.items()]
    elif isinstance(result_or_results, (list, tuple)):
        items = [
            (getattr(r, "name", None) or getattr(r, "method", str(i)), r)
            for i, r in enumerate(result_or_results)
        ]
    else:
        raise TypeError(
            f"explore() takes a KStarResult, or a list or dict of them; got {type(result_or_results).__name__}. "
            "Compute one with kw.kstar(features, labels)."
        )
    if not items:
        raise ValueError("explore() got no results; pass at least one KStarResult.")
    for name, r in items:
        if not isinstance(r, KStarResult):
            raise TypeError(
                f"explore() takes KStarResult objects; {name!r} is a {type(r).__name__}. "
                "Pass the results of kw.kstar(...)."
            )
    out: dict[str, KStarResult] = {}
    for name, r in items:
        unique, i = name, 2
        while unique in out:  # two results both named "exact" stay apart
            unique, i = f"{name} ({i})", i + 1
        out[unique] = r
    first = items[0][1]
    for name, r in out.items():
        if r.n_samples != first.n_samples or not np.array_equal(r.labels, first.labels):
            raise ValueError(
                f"result {name!r} is not on the same samples as the first one "
                f"({r.n_samples} vs {first.n_samples} samples, or different labels). "
                "Compute every result from the same labels array, in the same order."
            )
    return out


def check_images(images, n_samples: int):
    """A function (indices, size) -> uint8 (m, size, size, 3), or None."""
    if images is None:
        return None
    if hasattr(images, "images") and callable(images.images):
        if hasattr(images, "dataset") and images.dataset is None:
            raise ValueError(
                "images carries no images (features from precomputed arrays, dataset=None): "
                "pass images=None, an uint8 array of shape (n, h, w[, 3]), or features "
                "extracted from a data set (kw.extract(model, kw.datasets...))."
            )
        return lambda idx, size: _as_rgb(images.images(np.asarray(idx), size=size), size)
    if callable(images):
        return lambda idx, size: _as_rgb(images(np.asarray(idx)), size)
    arr = np.asarray(images)
    if (
        arr.dtype != np.uint8
        or arr.ndim not in (3, 4)
        or (arr.ndim == 4 and arr.shape[3] not in (1, 3))
    ):
        raise ValueError(
            f"images must be a uint8 array of shape (n, h, w) or (n, h, w, 3); got {arr.dtype} "
            f"{arr.shape}. Scale to 0-255 and cast with .astype(np.uint8), or pass a callable "
            "indices -> uint8 (m, s, s, 3)."
        )
    if len(arr) != n_samples:
        raise ValueError(
            f"images has {len(arr)} entries but the results have {n_samples} samples; "
            "pass one image per sample, in the same order."
        )
    return lambda idx, size: _as_rgb(arr[np.asarray(idx)], size)


def _as_rgb(batch, size: int) -> np.ndarray:
    """uint8 (m, size, size, 3) from (m, h, w) / (m, h, w, 1|3), nearest-neighbour resized."""
    batch = np.asarray(batch)
    if batch.dtype != np.uint8:
        raise ValueError(f"the images callable must return uint8 arrays, got {batch.dtype}.")
    if batch.ndim == 3:
        batch = batch[..., None]
    if batch.ndim != 4:
        raise ValueError(
            f"the images callable must return (m, h, w, 3) arrays, got shape {batch.shape}."
        )
    if batch.shape[3] == 1:
        batch = np.repeat(batch, 3, axis=3)
    h, w = batch.shape[1:3]
    rows = np.arange(size) * h // size
    cols = np.arange(size) * w // size
    return np.ascontiguousarray(batch[:, rows][:, :, cols, :3])


def default_partner(results: dict, driver: str) -> str:
    """The result compared with ``driver`` first: another one, an approximate one last
    (exact against approximate has its own view)."""
    others = [n for n in results if n != driver]
    return next((n for n in others if results[n].method != "approx"), others[0] if others else "")


def find_label(labels: list, value):
    """The label ``value`` names: itself, or the one label whose str() equals str(value)."""
    value = value.item() if isinstance(value, np.generic) else value
    try:
        if value in labels:
            return labels[labels.index(value)]
    except TypeError:  # unhashable or incomparable values fall through to str()
        pass
    hits = [label for label in labels if str(label) == str(value)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ValueError(
            f"selected_concept {value!r} matches {len(hits)} labels by str(); "
            f"pass the label itself ({', '.join(map(repr, hits))})."
        )
    some = ", ".join(map(repr, labels[:8])) + (", ..." if len(labels) > 8 else "")
    raise ValueError(
        f"selected_concept {value!r} is not a concept of these results; use one of {some}."
    )
