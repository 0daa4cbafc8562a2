"""pynndescent's kNN graph with this package's parameters, and the worker process that builds it.

pynndescent builds its graph in one numba call that holds the GIL: Ctrl-C in the
calling process waits until the build ends and then surfaces as a ``SystemError``.
So the local engine builds it here, in a separate Python process (started by
:mod:`._graph` as ``python <this file>``, importing nothing of the package), which
the caller can kill at once on Ctrl-C. The worker stays alive between jobs, so
numba compiles pynndescent's kernels once per worker, not once per graph.

Protocol: one JSON line per job on stdin (``x``: a .npy file of the float32 rows,
``out``: a folder for the answer, and the graph's parameters), one JSON line per
answer on the original stdout (``ok``, or the error; the warnings pynndescent
gave). Everything else the worker prints goes to stderr.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import warnings

import numpy as np


def nndescent(x32, n_neighbors: int, *, random_state, n_jobs: int, **options):
    """pynndescent's index of the rows of x32, K + 1 neighbours each (the row itself is
    usually among them); the one place of the graph's parameters (local and Dask)."""
    from pynndescent import NNDescent

    n = len(x32)
    return NNDescent(
        x32,
        metric="euclidean",
        n_neighbors=min(n_neighbors + 1, n),
        random_state=random_state,
        n_jobs=n_jobs,
        n_iters=max(10, round(np.log2(n))),
        delta=0.0005,
        max_candidates=min(64, n_neighbors + 1),
        low_memory=True,
        verbose=False,
        **options,
    )


def build(job: dict) -> dict:
    """One job: the graph of the rows in job["x"], saved as indices.npy and distances.npy
    in job["out"]. Returns the answer line (with the warnings pynndescent gave)."""
    x32 = np.load(job["x"], mmap_mode="r")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        index = nndescent(
            x32, job["n_neighbors"], random_state=job["random_state"], n_jobs=job["n_jobs"],
            compressed=True,
        )  # fmt: skip
        indices, distances = index.neighbor_graph
    np.save(os.path.join(job["out"], "indices.npy"), indices)
    np.save(os.path.join(job["out"], "distances.npy"), distances)
    return {"ok": True, "warnings": [str(w.message) for w in seen]}


def serve(jobs, answers) -> None:
    """Answer jobs (JSON lines) until stdin closes; an error is answered, not raised."""
    for line in jobs:
        try:
            answer = build(json.loads(line))
        except Exception as e:  # the caller raises it, with the worker's words
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the caller decides (it kills us)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints cannot break the protocol
    serve(sys.stdin, answers)


if __name__ == "__main__":
    main()
