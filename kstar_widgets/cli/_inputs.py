"""The input files of ``compute``: each checked, and named by its option, before any work."""

from __future__ import annotations

import shlex
from pathlib import Path

import numpy as np

from ._common import usage_error

NPY_MAGIC = b"\x93NUMPY"
# how to turn other files into a .npy, by option
CONVERT = {
    "--features": "np.save('X.npy', np.loadtxt('X.csv', delimiter=',', ndmin=2))",
    "--labels": "np.save('y.npy', np.loadtxt('y.csv', delimiter=',', dtype=str))",
}


def npy_file(value, *, option: str):
    """``value`` memory-mapped, once its header says it is a whole .npy of plain values."""
    path = Path(value).expanduser()
    shown = repr(str(path))
    if not path.exists():
        raise usage_error(
            f"{option} file {shown} not found", f"check the path: ls {shlex.quote(str(path))}"
        )
    if not path.is_file():
        raise usage_error(f"{option} {shown} is not a file", f"{option} <file>.npy")
    if path.suffix.lower() != ".npy":
        raise usage_error(
            f"{option} file {shown} must be a .npy file",
            f'save the array with numpy, e.g. python -c "import numpy as np; {CONVERT[option]}"',
        )
    size = path.stat().st_size
    if size == 0:
        raise usage_error(
            f"{option} file {shown} is empty (0 bytes)",
            "write it again with numpy.save; a copy or a download may have stopped early",
        )
    dtype = _header(path, option, size)
    if dtype.hasobject:
        what = "labels as ints or fixed-width strings, e.g. np.save('y.npy', np.asarray(labels, dtype=str))"
        if option == "--features":
            what = "the vectors as floats, e.g. np.save('X.npy', np.asarray(x, dtype=np.float32))"
        raise usage_error(f"{option} file {shown} holds pickled Python objects", f"save {what}")
    return np.load(path, mmap_mode="r", allow_pickle=False)


def _header(path: Path, option: str, size: int):
    """The dtype from a .npy header; a foreign or cut-short file refused."""
    fmt = np.lib.format
    shown = repr(str(path))
    with open(path, "rb") as fh:
        start = fh.read(64)
        if not start.startswith(NPY_MAGIC):
            raise usage_error(
                f"{option} file {shown} is not a .npy file: {_kind(start)}",
                f'convert it with numpy, e.g. python -c "import numpy as np; {CONVERT[option]}"',
            )
        fh.seek(0)
        try:
            version = fmt.read_magic(fh)
            read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
            shape, _, dtype = read(fh)
        except (ValueError, OSError, EOFError) as exc:
            raise usage_error(
                f"{option} file {shown} is damaged ({exc})", "write it again with numpy.save"
            ) from None
        data = fh.tell()
    expected = data + (0 if dtype.hasobject else int(np.prod(shape)) * dtype.itemsize)
    if size < expected:
        raise usage_error(
            f"{option} file {shown} is cut short: {size} of {expected} bytes",
            "write it again with numpy.save; a copy or a download may have stopped early",
        )
    return dtype


def _kind(start: bytes) -> str:
    """What a file that is no .npy looks like, from its first bytes."""
    if start.startswith(b"PK"):
        return "it is a zip archive (an .npz?)"
    try:
        text = start.decode("utf-8")
    except UnicodeDecodeError:
        return f"it starts with {start[:8]!r}"
    if text.isprintable() or all(c.isprintable() or c in "\r\n\t" for c in text):
        return f"it holds text (a CSV?), starting {text.splitlines()[0][:30]!r}"
    return f"it starts with {start[:8]!r}"


def features_file(value, *, metric: str):
    """The --features array (n, d) of real numbers, memory-mapped; every row finite."""
    from ..utils._validation import nonfinite_rows

    x = npy_file(value, option="--features")
    shown = repr(str(Path(value).expanduser()))
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_) or x.dtype.kind == "c":
        raise usage_error(
            f"--features file {shown} holds {x.dtype} values, not real numbers",
            "save the vectors as floats, e.g. np.save('X.npy', np.asarray(x, dtype=np.float32))",
        )
    if x.ndim != 2:
        fix = "x.reshape(len(x), -1)" if x.ndim > 2 else "x.reshape(-1, 1)"
        raise usage_error(
            f"--features must have shape (n, d), one row per sample; {shown} has shape {x.shape}",
            f"save one row per sample, e.g. np.save('X.npy', {fix})",
        )
    if len(x) < 2 or x.shape[1] == 0:
        raise usage_error(
            f"--features file {shown} has shape {x.shape}",
            "k* needs at least 2 rows of at least 1 value each",
        )
    bad = nonfinite_rows(x)
    if bad.size:
        raise usage_error(
            f"--features file {shown} has NaN or inf in {bad.size} of {len(x)} rows "
            f"(rows {_rows(bad)})",
            "drop or impute those rows, drop the same rows of --labels, and save both again",
        )
    if metric == "cosine":
        zero = _zero_rows(x)
        if zero.size:
            raise usage_error(
                f"--metric cosine is undefined for all-zero vectors: {zero.size} rows of "
                f"{shown} (rows {_rows(zero)})",
                "drop those rows (and the same rows of --labels), or use --metric euclidean",
            )
    return x


def _rows(rows) -> str:
    """The first row indices, counted from 0, as a person reads them."""
    shown = ", ".join(str(int(i)) for i in rows[:5])
    return shown + (", ..." if len(rows) > 5 else "") + "; counted from 0"


def _zero_rows(x) -> np.ndarray:
    step = max(1, (1 << 24) // max(1, x.shape[1] * x.itemsize))
    parts = [s + np.flatnonzero(~x[s : s + step].any(axis=1)) for s in range(0, len(x), step)]
    return np.concatenate(parts)


def labels_file(value, *, n_rows: int | None, features: str):
    """The --labels array (n,), one concept per row of --features, checked as kstar() will."""
    from ..utils._validation import check_labels

    y = np.asarray(npy_file(value, option="--labels"))
    shown = repr(str(Path(value).expanduser()))
    if y.ndim != 1:
        raise usage_error(
            f"--labels must have shape (n,), one concept per row; {shown} has shape {y.shape}",
            "save labels.ravel(), or the class index of each row (not one-hot rows)",
        )
    if n_rows is not None and len(y) != n_rows:
        raise usage_error(
            f"--labels file {shown} holds {len(y)} labels but --features {features!r} has "
            f"{n_rows} rows",
            "save one label per row of --features, in the same order",
        )
    try:
        check_labels(y, len(y))
    except (ValueError, TypeError) as exc:
        raise usage_error(f"--labels file {shown}: {exc}") from None
    return y


def threshold(value: float) -> float:
    """The --threshold, a finite number >= 0."""
    if not (np.isfinite(value) and value >= 0):
        raise usage_error(
            f"--threshold {value:g} must be a finite number >= 0",
            "--threshold 0.5, the paper's value (skewness above it is Fractured, below -it Clustered)",
        )
    return float(value)
