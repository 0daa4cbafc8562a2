"""The file format of a saved result: a zip of ``.npy`` arrays and one ``meta.json``.

Format 1 is described in docs/results.md. It holds no pickle: every array is read with
``allow_pickle=False``, so a file from a stranger is as safe to open as a ``.npy`` file.
``_result`` builds the ``KStarResult`` from the fields that ``read`` returns; each array
passes through ``utils/_codec.py`` (plain arrays and their dtype specs).
"""

from __future__ import annotations

import io
import json
import os
import platform
import tempfile
import zipfile
import zlib
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from .stats._bootstrap import Replicates
from .stats._draws import Draws
from .utils._codec import Writer, decode, json_default

FORMAT = "kstar_widgets.result"
FORMAT_VERSION = 1
PER_SAMPLE = ("k", "k_norm", "censored", "labels", "codes", "intruder", "intruder_distance")
SCALARS = ("method", "metric", "reason", "threshold", "n_neighbors", "timings", "name", "info")
UPGRADE = "upgrade with pip install -U kstar-widgets"
_UNREADABLE = (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError)


class SavedResultError(ValueError):
    """A file that is not a readable saved k* result (damaged, foreign or too new)."""


def _version(package: str) -> str | None:
    """Installed version of ``package``, None where it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _meta(result, w: Writer) -> dict:
    """meta.json of ``result``, writing its arrays through ``w`` on the way."""
    arrays = {f: w.array(f, getattr(result, f)) for f in PER_SAMPLE}
    if result.island is not None:
        arrays["island"] = w.array("island", result.island)
    table = result.concepts
    concepts = {
        "index": w.array("concepts/index", table.index),
        "index_name": table.index.name,
        "columns": [
            {"name": c, **w.array(f"concepts/{i:03d}", table[c])} for i, c in enumerate(table)
        ],
    }
    reps = result.replicates
    replicates = None if reps is None else {
        "weights": w.array("replicates/weights", reps.weights),
        "skewness": [w.array(f"replicates/skewness_{i}", a) for i, a in enumerate(reps.skewness)],
        "mean_k": [w.array(f"replicates/mean_k_{i}", a) for i, a in enumerate(reps.mean_k)],
        "confidence": reps.confidence,
        "seed": reps.seed,
    }  # fmt: skip
    s = result.summary
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "written_by": {
            "kstar_widgets": _version("kstar-widgets"),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "python": platform.python_version(),
        },
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "n_samples": len(result.k),
        "n_concepts": len(table),
        **{f: getattr(result, f) for f in SCALARS},
        "arrays": arrays,
        "concepts": concepts,
        "summary": {"name": s.name, "dtype": str(s.dtype), "items": list(s.items())},
        "replicates": replicates,
        "draws": _draws_meta(result.draws, w),
    }


_DRAW_ARRAYS = ("index", "codes", "k", "censored", "island")


def _draws_meta(draws, w: Writer) -> dict | None:
    """The draws of a size-matched result (per_concept), their arrays written through ``w``."""
    if draws is None:
        return None
    arrays = {a: w.array(f"draws/{a}", getattr(draws, a)) for a in _DRAW_ARRAYS}
    arrays = {a: spec for a, spec in arrays.items() if getattr(draws, a) is not None}
    return {
        "per_concept": draws.per_concept, "n_draws": draws.n_draws, "seed": draws.seed,
        "arrays": arrays, "n_available": w.array("draws/n_available", draws.n_available),
    }  # fmt: skip


def _read_draws(meta: dict, r) -> Draws | None:
    """The Draws stored by ``_draws_meta``, each array checked against its shape."""
    d = meta.get("draws")
    if d is None:
        return None
    shape = tuple(d["arrays"]["index"]["shape"])
    arrays = {a: r.array(spec, shape) for a, spec in d["arrays"].items()}
    return Draws(
        per_concept=d["per_concept"], n_draws=d["n_draws"], seed=d["seed"],
        island=arrays.pop("island", None), **arrays,
        n_available=r.array(d["n_available"], (meta["n_concepts"],)),
    )  # fmt: skip


def save(result, path) -> None:
    """Write ``result`` to ``path`` (overwrites), atomically: a crash leaves no half file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with (
            os.fdopen(fd, "wb") as fh,
            zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        ):
            meta = _meta(result, Writer(zf))
            zf.writestr("meta.json", json.dumps(meta, indent=1, default=json_default))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as open() would make it; mkstemp makes it 0o600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _damaged(path, problem: str) -> SavedResultError:
    """The refusal of a file whose content is not what format 1 says."""
    return SavedResultError(
        f"{path} is damaged: {problem}. Save the result again from its source "
        "(result.save(path)), or copy the file again if it was cut short in transfer."
    )


class _Reader:
    """Reads the members of one open file, each checked against its expected shape."""

    def __init__(self, zf: zipfile.ZipFile, path):
        self.zf, self.path = zf, path

    def raw(self, spec: dict, shape: tuple) -> np.ndarray:
        member = spec["member"]
        try:
            arr = np.load(io.BytesIO(self.zf.read(member)), allow_pickle=False)
        except KeyError:
            raise _damaged(self.path, f"the member {member} is missing") from None
        except _UNREADABLE as exc:
            raise _damaged(self.path, f"the member {member} cannot be read ({exc})") from None
        if arr.shape != tuple(shape) or list(arr.shape) != spec["shape"]:
            raise _damaged(self.path, f"{member} has shape {arr.shape}, expected {tuple(shape)}")
        return arr

    def array(self, spec: dict, shape: tuple):
        arr = self.raw(spec, shape)
        if "categories" in spec:
            member = spec["categories_member"]
            n = member["shape"][0] if member.get("shape") else -1
            spec = {**spec, "categories_array": self.raw(member, (n,))}
        return decode(arr, spec)


def _open_meta(zf: zipfile.ZipFile, path) -> dict:
    """meta.json of an open file, refused when foreign, damaged or of a newer format."""
    try:
        meta = json.loads(zf.read("meta.json"))
    except KeyError:
        raise SavedResultError(
            f"{path} is a zip file but holds no meta.json: it is not a k* result. "
            "Open a file written by result.save(path)."
        ) from None
    except _UNREADABLE as exc:
        raise _damaged(path, f"meta.json cannot be read ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise SavedResultError(
            f"{path} holds a meta.json that is not a k* result's (format "
            f"{meta.get('format') if isinstance(meta, dict) else None!r}). "
            "Open a file written by result.save(path)."
        )
    version = meta.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise _damaged(path, f"format_version {version!r} is not a format number")
    if version > FORMAT_VERSION:
        by = (meta.get("written_by") or {}).get("kstar_widgets")
        raise SavedResultError(
            f"{path} was written by kstar_widgets {by} with format {version}; this is format "
            f"{FORMAT_VERSION} (kstar_widgets {_version('kstar-widgets')}): {UPGRADE}."
        )
    return meta


def _fields(meta: dict, r: _Reader) -> dict:
    """The KStarResult fields stored in an opened, checked file."""
    n, m = meta["n_samples"], meta["n_concepts"]
    arrays = meta["arrays"]
    out = {f: r.array(arrays[f], (n,)) for f in PER_SAMPLE}
    out["island"] = r.array(arrays["island"], (n,)) if "island" in arrays else None
    c = meta["concepts"]
    index = pd.Index(r.array(c["index"], (m,)), name=c["index_name"])
    columns = {col["name"]: r.array(col, (m,)) for col in c["columns"]}
    out["concepts"] = pd.DataFrame(columns, index=index)
    s = meta["summary"]
    out["summary"] = pd.Series(dict(s["items"]), dtype=s["dtype"], name=s["name"])
    reps = meta["replicates"]
    if reps is not None:
        shape = tuple(reps["weights"]["shape"])
        if len(shape) != 2 or shape[1] != m:
            raise _damaged(r.path, f"the bootstrap weights have shape {shape}, expected (n, {m})")
        out["replicates"] = Replicates(
            weights=r.array(reps["weights"], shape),
            skewness=[r.array(a, shape) for a in reps["skewness"]],
            mean_k=[r.array(a, shape) for a in reps["mean_k"]],
            confidence=reps["confidence"],
            seed=reps["seed"],
        )
    out["draws"] = _read_draws(meta, r)
    return {**out, **{f: meta[f] for f in SCALARS}}


def read(path) -> dict:
    """The fields of the KStarResult saved at ``path``; refuses foreign or damaged files."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SavedResultError(
            f"{path} is not a zip file, so not a saved k* result (or it was cut short). "
            "Open a file written by result.save(path)."
        ) from None
    with zf:
        meta = _open_meta(zf, path)
        try:
            return _fields(meta, _Reader(zf, path))
        except (KeyError, TypeError, IndexError) as exc:
            raise _damaged(path, f"meta.json lacks or garbles {exc}") from None
