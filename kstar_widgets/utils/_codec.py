"""Values as plain numpy arrays and JSON, without pickle: the codec of a saved result.

``encode`` turns a column (numpy, pandas, categorical, with missing values) into a
non-object array plus a JSON spec, ``Writer`` stores it as a ``.npy`` member of a zip file,
and ``decode`` restores it. Used by ``kstar_widgets._saved``.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd


def encode(values) -> tuple[np.ndarray, dict]:
    """A plain (non-object) numpy array for ``values`` and what restores their dtype."""
    dtype = values.dtype
    spec = {"dtype": str(dtype)}
    if isinstance(dtype, pd.CategoricalDtype):
        categories, spec["categories"] = encode(dtype.categories)
        spec["ordered"] = bool(dtype.ordered)
        codes = pd.Categorical(values, dtype=dtype).codes
        return np.asarray(codes, dtype=np.int64), {**spec, "categories_array": categories}
    values = np.asarray(values, dtype=object if dtype.kind in "OT" else None)
    if values.dtype.kind in "biufcUSmM":
        return values, spec
    missing = pd.isna(values)
    spec["missing"] = np.flatnonzero(missing).tolist()
    kept = values[~missing]
    if all(isinstance(v, str) for v in kept):
        return np.where(missing, "", values).astype(str), spec
    try:
        return np.where(missing, 0, values).astype(np.int64), spec
    except (TypeError, ValueError, OverflowError):
        kinds = sorted({type(v).__name__ for v in kept})
        raise TypeError(
            f"cannot save values of types {kinds} without pickle (only all-strings, or ints "
            "within int64, are stored): make them all strings first, e.g. [str(x) for x in labels]."
        ) from None


class Writer:
    """Collects the members of one file: arrays as .npy, their specs for meta.json."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf

    def array(self, member: str, values) -> dict:
        arr, spec = encode(values)
        if "categories_array" in spec:
            spec["categories_member"] = self.array(
                member + ".categories", spec.pop("categories_array")
            )
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
        self.zf.writestr(member + ".npy", buf.getvalue())
        return {**spec, "member": member + ".npy", "shape": list(arr.shape)}


def decode(arr: np.ndarray, spec: dict):
    """The values ``encode`` stored: a numpy array, or a pandas array for pandas dtypes."""
    if "categories" in spec:
        categories = decode(spec["categories_array"], spec["categories"])
        return pd.Categorical.from_codes(arr, categories=categories, ordered=spec["ordered"])
    if "missing" not in spec:
        return arr.astype(spec["dtype"], copy=False)
    out = arr.astype(object)
    out[spec["missing"]] = None
    if spec["dtype"] == "object":
        return out
    return pd.array(out, dtype=pd.api.types.pandas_dtype(spec["dtype"]))


def json_default(value):
    """numpy scalars as Python numbers; anything else is refused."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot save {type(value).__name__} {value!r} in meta.json")
