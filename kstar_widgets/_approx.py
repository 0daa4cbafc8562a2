"""Approximate k* from a pynndescent kNN graph with a neighbour budget K.

For each sample the graph gives K approximate nearest neighbours. The first one
of another concept gives d_foreign (settled in float64). k* then needs the number
of same-concept samples closer than that: where a concept is small enough
(``verify``), it is counted exactly over the whole concept, which removes the
graph's misses on the same-concept side; elsewhere it is read off the list.
When none of the K neighbours is foreign, k* is censored (only known to exceed
K), unless the list already holds all n_c - 1 other samples of the concept, in
which case k* = n_c exactly (METHOD.md).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time

import numpy as np

from ._float64 import U32, ReferenceRows
from ._progress import progress_bar, say
from ._within import count_closer_within

_COMPILED = False
# Verify a concept exactly while its n_c^2 pairs stay under this (about a second here).
VERIFY_MAX_PAIRS = 4_000_000


def default_n_neighbors(sizes: np.ndarray, n_samples: int) -> int:
    """Budget K: the largest concept size (no censoring possible), kept within [10, 100]."""
    return int(min(n_samples - 1, max(10, min(int(sizes.max()), 100))))


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
    """(indices, distances) of shape (n, n_neighbors + 1) from pynndescent, self included."""
    global _COMPILED
    t0 = time.perf_counter()
    if not _COMPILED:
        say(
            "approximate k* uses pynndescent, which compiles its numba kernels on the first "
            "call in a Python process (about a minute); later calls skip this.",
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
    _COMPILED = True
    return indices, distances, time.perf_counter() - t0


def _drop_self(indices, distances, n_neighbors):
    """Remove each sample from its own list (not always in front: duplicates)."""
    n = len(indices)
    is_self = indices == np.arange(n)[:, None]
    has_self = is_self.any(axis=1)
    # Where self is absent the list is one too long; drop its last entry instead.
    is_self[~has_self, -1] = True
    keep = ~is_self
    idx = indices[keep].reshape(n, -1)[:, :n_neighbors]
    dist = distances[keep].reshape(n, -1)[:, :n_neighbors]
    return idx, dist


def approx_kstar(
    features, codes, *, norms, n_neighbors, random_state, device, progress=True, verify=True
):
    """Approximate k* per sample; returns (k, censored, intruder, intruder_sqdist, info)."""
    n, d = features.shape
    ref = ReferenceRows(features, norms)
    sizes = np.bincount(codes)
    timings = {}
    x32 = np.empty((n, d), dtype=np.float32)
    for s in range(0, n, 16384):
        x32[s : s + 16384] = ref.rows(np.arange(s, min(n, s + 16384)))
    indices, distances, timings["graph"] = knn_graph(
        x32, n_neighbors, random_state=random_state, progress=progress
    )
    t0 = time.perf_counter()
    idx, dist = _drop_self(indices, distances, n_neighbors)
    kk = idx.shape[1]
    same = codes[idx] == codes[:, None]
    has_foreign = ~same.all(axis=1)
    first = np.argmax(~same, axis=1)
    rows = np.arange(n)

    # Settle the nearest foreign neighbour in float64 among the list's foreign
    # entries within float32 rounding of the first one.
    d_first = dist[rows, first].astype(np.float64) ** 2
    band = (2 * (d + 2) * U32 * 4) * d_first + 1e-30
    cand = (~same) & (dist.astype(np.float64) ** 2 <= (d_first + band)[:, None])
    intruder = np.full(n, -1, dtype=np.int64)
    d_foreign = np.full(n, np.inf)
    simple = has_foreign & (cand.sum(axis=1) == 1)
    intruder[simple] = idx[simple, first[simple]]
    d_foreign[simple] = ref.pair_sqdist(np.flatnonzero(simple), intruder[simple])
    for p in np.flatnonzero(has_foreign & ~simple):
        js = idx[p, cand[p]]
        dj = ref.sqdist(p, js)
        best = dj.min()
        intruder[p] = js[dj == best].min()
        d_foreign[p] = best

    k = np.empty(n, dtype=np.int64)
    censored = np.zeros(n, dtype=bool)
    n_same_in_list = same.sum(axis=1)
    complete = ~has_foreign & (n_same_in_list >= sizes[codes] - 1)
    k[complete] = sizes[codes[complete]]
    open_ = ~has_foreign & ~complete
    k[open_] = kk + 1
    censored[open_] = True

    verified = np.zeros(n, dtype=bool)
    if verify:
        for c in np.flatnonzero(sizes.astype(np.float64) ** 2 <= VERIFY_MAX_PAIRS):
            members = np.flatnonzero(codes == c)
            want = has_foreign[members]
            if not want.any():
                continue
            thr = np.where(want, d_foreign[members], -np.inf)
            counts = count_closer_within(ref, members, thr, device=device)
            k[members[want]] = 1 + counts[want]
            verified[members[want]] = True
    rest = has_foreign & ~verified
    if rest.any():
        # Same-concept entries of the list closer than d_foreign, ties settled in float64.
        sub_same = same[rest]
        d2 = dist[rest].astype(np.float64) ** 2
        dfr = d_foreign[rest][:, None]
        tol = (2 * (d + 2) * U32 * 4) * dfr + 1e-30
        surely = sub_same & (d2 < dfr - tol)
        k_rest = 1 + surely.sum(axis=1)
        unsure = sub_same & ~surely & (d2 <= dfr + tol)
        for r, p in enumerate(np.flatnonzero(rest)):
            if unsure[r].any():
                js = idx[p, unsure[r]]
                k_rest[r] += int((ref.sqdist(p, js) < d_foreign[p]).sum())
        k[rest] = k_rest
    timings["read"] = time.perf_counter() - t0
    info = {
        "graph_neighbors": kk,
        "verified_share": float(verified.mean()),
    }
    return k, censored, intruder, d_foreign, timings, info
