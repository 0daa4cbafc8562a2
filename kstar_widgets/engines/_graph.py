"""pynndescent's kNN graph, built in a worker process that Ctrl-C stops, with a progress bar.

One numba call builds the graph and holds the GIL, so a build in this process
cannot be interrupted (Ctrl-C waited for the end, then arrived as a SystemError).
The build runs in a worker (:mod:`._graph_worker`, a separate Python process that
stays alive between graphs, so numba compiles once per session); this process
waits in small steps, redraws the progress line and, on Ctrl-C, kills the worker
and raises KeyboardInterrupt within a fraction of a second. The rows go to the
worker as a .npy file in a temporary folder, the lists come back the same way.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np

from ..utils._progress import _TextBar, progress_bar, say

WORKER = Path(__file__).with_name("_graph_worker.py")
POLL = 0.25  # seconds between looks at the worker (and how late Ctrl-C can be)

# numba compiles pynndescent's kernels on a worker's first graph
_state = {"compiled": False, "worker": None}


def is_compiled() -> bool:
    """Whether a live worker has already built a graph (no compilation left to pay)."""
    return _state["compiled"]


class Worker:
    """The worker process, its answers (a thread reads them into a queue) and its log."""

    def __init__(self):
        self.log = tempfile.NamedTemporaryFile(prefix="kstar-graph-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, start_new_session=True,  # a terminal's Ctrl-C reaches this process only
        )  # fmt: skip
        self.answers = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.answers.put(json.loads(line))
        self.answers.put(None)  # the worker ended

    def ask(self, job: dict, tick) -> dict:
        """Send a job, wait for its answer (calling ``tick`` every POLL seconds)."""
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        while True:
            try:
                answer = self.answers.get(timeout=POLL)
            except queue.Empty:
                tick()
                continue
            if answer is None:
                raise RuntimeError(
                    f"the process building the kNN graph ended (exit code {self.proc.wait()}), "
                    "most often for lack of memory; its last words: "
                    f"{self.tail() or '(none)'}. Try method='exact', or a machine with more memory."
                )
            return answer

    def tail(self, chars=600) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-chars:].strip()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.close()

    def close(self):
        """End the worker (it exits when its stdin closes) and remove its log."""
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def _worker() -> Worker:
    """The live worker, started on first use (or after the last one ended)."""
    w = _state["worker"]
    if w is None or w.proc.poll() is not None:
        if w is not None:
            w.close()
        w = _state["worker"] = Worker()
        _state["compiled"] = False
    return w


@atexit.register
def _end_worker():
    if _state["worker"] is not None:
        _state["worker"].close()


def _ticker(bar, every=1.0):
    """Redraw the bar once a second (elapsed time moves) where that shows: a notebook line,
    a terminal; not a log file, which would get a line per redraw."""
    if not (isinstance(bar, _TextBar) or (hasattr(bar, "refresh") and sys.stderr.isatty())):
        return lambda: None
    last = [time.monotonic()]

    def tick():
        if time.monotonic() - last[0] >= every:
            last[0] = time.monotonic()
            bar.refresh()

    return tick


def knn_graph(x32: np.ndarray, n_neighbors: int, *, random_state, progress: bool):
    """pynndescent's approximate kNN graph of the rows of x32, built in the worker.

    Returns
    -------
    indices : int ndarray of shape (n, n_neighbors + 1)
        Neighbours of each row, nearest first; the row itself is usually among them.
    distances : float32 ndarray of shape (n, n_neighbors + 1)
    seconds : float
        Wall time, compilation and the files included.
    """
    t0 = time.perf_counter()
    if not _state["compiled"]:
        say(
            "approximate k* uses pynndescent, which compiles its numba kernels on the first "
            "graph of each Python session (about a minute on 2 cores, more on a busy machine; "
            "in a separate process, so Ctrl-C stops it at once); later graphs in this session "
            "skip it, but every new session (each `kstar-widgets compute` run) pays it again: "
            "numba keeps no usable cache of them.",
            progress,
        )
    bar = progress_bar(total=1, desc="pynndescent kNN graph", unit="graph", enable=progress)
    with tempfile.TemporaryDirectory(prefix="kstar-graph-") as tmp:
        np.save(Path(tmp, "x.npy"), np.ascontiguousarray(x32, dtype=np.float32))
        job = {
            "x": str(Path(tmp, "x.npy")), "out": tmp, "n_neighbors": int(n_neighbors),
            "random_state": random_state,
            # Seeded runs must be reproducible: numba's parallel updates are not.
            "n_jobs": 1 if random_state is not None else -1,
        }  # fmt: skip
        worker = _worker()
        try:
            answer = worker.ask(job, _ticker(bar))
        except BaseException:  # Ctrl-C, or the worker died: no half-built graph is kept
            worker.kill()
            _state["worker"] = None
            bar.close()
            raise
        if not answer["ok"]:
            bar.close()
            raise RuntimeError(f"pynndescent could not build the kNN graph: {answer['error']}")
        indices = np.load(Path(tmp, "indices.npy"))
        distances = np.load(Path(tmp, "distances.npy"))
    for message in answer["warnings"]:  # as pynndescent gave them in this process
        warnings.warn_explicit(message, UserWarning, "pynndescent_.py", 0, module="pynndescent")
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
