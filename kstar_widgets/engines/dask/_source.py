"""Where the workers read the features from: memory, a .npy file, a zarr store.

A :class:`Source` is small and picklable: tasks open it themselves (a memory map,
a zarr array), so the client never holds features that come from disk. A numpy
array already in memory is scattered to the workers once. A dask array is written
to a temporary zarr store first (workers then read rows from it at random).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import socket
import time
import weakref
from pathlib import Path

import numpy as np

_OPEN: dict = {}  # per process: opened memory maps and zarr arrays, by source id
PREFIX = "kstar_widgets_"  # temporary copies: kstar_widgets_<host>_<pid>_<random>
_COPIES: contextvars.ContextVar = contextvars.ContextVar("kstar_widgets_copies", default=None)


class Source:
    """Rows of an (n, d) feature array that every worker can read.

    Attributes
    ----------
    shape : (int, int)
    dtype : numpy dtype
    stats : dict or None
        Filled by the validation pass on the workers: ``norms`` (float64 (n,) row
        norms, cosine only), ``mean`` (float64 (d,) mean of the compared rows) and
        ``variance`` ((total variance, mean squared norm) of the compared rows).
    """

    kind = ""
    lazy = True

    def __init__(self, shape, dtype):
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype)
        self.stats = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def variance(self):
        return self.stats["variance"]

    def open(self):
        """The array, opened once per process (row slices and integer row lists index it)."""
        raise NotImplementedError

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, idx):
        """Rows read here, on the client (the approximate engine's verification reads concepts)."""
        return np.asarray(self.open()[idx])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.where()!r}, shape={self.shape}, dtype={self.dtype})"

    def where(self) -> str:
        return ""


class NpySource(Source):
    """A .npy file, memory-mapped by each worker (the path must be readable there)."""

    kind = "npy"

    def __init__(self, path):
        self.path = str(Path(path).expanduser().resolve())
        arr = np.load(self.path, mmap_mode="r", allow_pickle=False)
        super().__init__(arr.shape, arr.dtype)

    def open(self):
        if self.path not in _OPEN:
            _OPEN[self.path] = np.load(self.path, mmap_mode="r", allow_pickle=False)
        return _OPEN[self.path]

    def where(self) -> str:
        return self.path


class ZarrSource(Source):
    """A zarr array (a store path or an opened array; its store must be readable by the workers)."""

    kind = "zarr"

    def __init__(self, array):
        import zarr

        self.array = (
            zarr.open_array(str(array), mode="r") if isinstance(array, (str, Path)) else array
        )
        super().__init__(self.array.shape, self.array.dtype)

    def open(self):
        return _ZarrRows(self.array)

    def where(self) -> str:
        return str(getattr(self.array, "store", "zarr"))


class MemorySource(Source):
    """A numpy array held by the client, sent to the workers once (see :func:`scatter_memory`)."""

    kind = "memory"
    lazy = False

    def __init__(self, array: np.ndarray):
        super().__init__(array.shape, array.dtype)
        self.array = array
        self.future = None

    def open(self):
        return self.array

    def __getstate__(self):
        raise TypeError("a MemorySource travels as its scattered future, not pickled")


class _ZarrRows:
    """Row reads from a zarr array: slices as they are, integer lists sorted and de-duplicated."""

    def __init__(self, array):
        self.array = array
        self.shape = array.shape

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return self.array[idx]
        idx = np.asarray(idx)
        uniq, inverse = np.unique(idx, return_inverse=True)
        return self.array.get_orthogonal_selection((uniq, slice(None)))[inverse.ravel()]


def is_lazy(features) -> bool:
    """True for inputs the workers read themselves: a .npy or zarr path, a zarr or dask array."""
    if isinstance(features, (str, Path)):
        return True
    mod = type(features).__module__
    return mod.startswith("zarr") or mod.startswith("dask")


def open_source(features, client, *, progress=True) -> Source:
    """A Source for a .npy path, a zarr path or array, or a dask array (written to a temporary zarr store)."""
    if isinstance(features, (str, Path)):
        path = Path(features).expanduser()
        if not path.exists():
            raise FileNotFoundError(
                f"features path {str(path)!r} does not exist; pass a .npy file, a zarr store "
                "or an array (and make sure the workers can read the path too)."
            )
        if path.suffix.lower() == ".npy":
            return NpySource(path)
        if path.is_dir():
            return ZarrSource(path)
        raise ValueError(
            f"features path {str(path)!r} is neither a .npy file nor a zarr store (a folder); "
            "save the features with numpy.save or zarr."
        )
    if type(features).__module__.startswith("dask"):
        return _dask_to_zarr(features, client, progress=progress)
    return ZarrSource(features)


def _dask_to_zarr(x, client, *, progress):
    """A dask array computed once into a temporary zarr store the workers can read rows from.

    The store is removed when the call that made it ends (:func:`temporary_copies`), or
    failing that when the source is collected or the process exits; one left by a killed
    process (its pid gone from this host) is removed by the next call."""
    import tempfile

    from ...utils._progress import say
    from ._client import workers_are_local

    if x.ndim != 2:
        raise ValueError(f"features must be 2-d (n_samples, n_features), got shape {x.shape}.")
    if not workers_are_local(client):
        raise ValueError(
            "features is a dask array and the workers run on other machines: store it where "
            "every worker can read it, e.g. x.to_zarr('/shared/features.zarr') or an object "
            "store URL, and pass that path as features."
        )
    remove_stale_copies(tempfile.gettempdir())
    tmp = tempfile.mkdtemp(prefix=f"{PREFIX}{socket.gethostname()}_{os.getpid()}_")
    copies = _COPIES.get()
    if copies is not None:
        copies.append(tmp)
    path = str(Path(tmp) / "features.zarr")
    say(f"writing the dask array to a temporary zarr store {path} for random row access", progress)
    try:
        x = x.rechunk({0: min(x.shape[0], 8192), 1: -1})
        client.compute(x.to_zarr(path, compute=False)).result()
        src = ZarrSource(path)
    except BaseException:  # an interrupted or failed write leaves nothing
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    src.temporary = tmp
    weakref.finalize(src, shutil.rmtree, tmp, ignore_errors=True)
    return src


@contextlib.contextmanager
def temporary_copies():
    """Remove the temporary copies (dask arrays written to zarr) made inside, however it ends."""
    token = _COPIES.set([])
    try:
        yield
    finally:
        for tmp in _COPIES.get():
            shutil.rmtree(tmp, ignore_errors=True)
        _COPIES.reset(token)


def remove_stale_copies(folder, max_age_days: float = 7.0) -> None:
    """Remove the copies that killed processes left in ``folder``: a dead pid of this host,
    or (another host's) untouched for ``max_age_days``."""
    own = f"{socket.gethostname()}_"
    for tmp in Path(folder).glob(f"{PREFIX}*"):
        rest = tmp.name[len(PREFIX) :]
        try:
            age = time.time() - tmp.stat().st_mtime
            ours = tmp.is_dir() and {c.name for c in tmp.iterdir()} <= {"features.zarr"}
        except OSError:
            continue
        if not ours:
            continue
        pid = rest[len(own) :].split("_", 1)[0] if rest.startswith(own) else ""
        dead = pid.isdigit() and not _alive(int(pid))
        if dead or age > max_age_days * 86400:
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
