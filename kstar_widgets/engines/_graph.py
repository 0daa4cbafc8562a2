"""pynndescent's kNN graph, with a progress bar that moves while numba compiles and builds."""

from __future__ import annotations

import contextlib
import sys
import threading
import time

import numpy as np

from ..utils._progress import progress_bar, say

# numba compiles pynndescent's kernels on the first call in a process
_state = {"compiled": False}


def is_compiled() -> bool:
    """Whether pynndescent has already run in this process (no compilation left to pay)."""
    return _state["compiled"]


@contextlib.contextmanager
def _ticking(bar, interval=0.5):
    """Refresh a progress bar from a thread so elapsed time moves during a blocking call."""
    stop = threading.Event()
    if not (sys.stderr.isatty() or type(bar).__module__.startswith("tqdm.notebook")):
        yield  # a log file would get one line per refresh
        return

    def run():
        while not stop.wait(interval):
            with contextlib.suppress(Exception):
                bar.refresh()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join()


def knn_graph(x32: np.ndarray, n_neighbors: int, *, random_state, progress: bool):
    """pynndescent's approximate kNN graph of the rows of x32.

    Returns
    -------
    indices : int ndarray of shape (n, n_neighbors + 1)
        Neighbours of each row, nearest first; the row itself is usually among them.
    distances : float32 ndarray of shape (n, n_neighbors + 1)
    seconds : float
        Wall time, compilation included.
    """
    t0 = time.perf_counter()
    if not _state["compiled"]:
        say(
            "approximate k* uses pynndescent, which compiles its numba kernels on the first "
            "call in each Python process (about a minute on 2 cores, more on a busy machine); "
            "later calls in this process skip it, but every new process (each "
            "`kstar-widgets compute` run) pays it again: numba keeps no usable cache of them.",
            progress,
        )
    from pynndescent import NNDescent

    n = len(x32)
    bar = progress_bar(total=1, desc="pynndescent kNN graph", unit="graph", enable=progress)
    with _ticking(bar):
        index = NNDescent(
            x32,
            metric="euclidean",
            n_neighbors=min(n_neighbors + 1, n),
            random_state=random_state,
            # Seeded runs must be reproducible: numba's parallel updates are not.
            n_jobs=1 if random_state is not None else -1,
            n_iters=max(10, round(np.log2(n))),
            delta=0.0005,
            max_candidates=min(64, n_neighbors + 1),
            low_memory=True,
            compressed=True,
            verbose=False,
        )
        indices, distances = index.neighbor_graph
    bar.update(1)
    bar.close()
    _state["compiled"] = True
    return indices, distances, time.perf_counter() - t0


def drop_self(indices, distances, n_neighbors):
    """Remove each sample from its own list (not always in front: duplicates).

    Returns (indices, distances), each of shape (n, n_neighbors).
    """
    n = len(indices)
    is_self = indices == np.arange(n)[:, None]
    has_self = is_self.any(axis=1)
    # Where self is absent the list is one too long; drop its last entry instead.
    is_self[~has_self, -1] = True
    keep = ~is_self
    idx = indices[keep].reshape(n, -1)[:, :n_neighbors]
    dist = distances[keep].reshape(n, -1)[:, :n_neighbors]
    return idx, dist
