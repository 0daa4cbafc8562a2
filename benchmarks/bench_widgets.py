"""The explorer on 50,000 samples in 1,000 concepts: build time, payload, selection time.

python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import json
import time

import numpy as np

import kstar_widgets as kw


def synthetic_result(n=50_000, n_concepts=1_000, seed=0, islands=True):
    """A KStarResult with varied per-concept k* shapes, built without computing k*.

    With ``islands``, a tenth of the samples are singleton islands and the rest of
    each concept one island (about 6,000 islands).
    """
    rng = np.random.default_rng(seed)
    codes = np.sort(rng.integers(0, n_concepts, n))
    sizes = np.bincount(codes, minlength=n_concepts)
    shape = rng.uniform(0.3, 3.0, n_concepts)[codes]
    k = np.clip((rng.beta(shape, 1.5) * sizes[codes]).astype(np.int64), 1, sizes[codes])
    names = np.array([f"concept {i}" for i in range(n_concepts)])
    island = np.where(rng.random(n) < 0.1, np.arange(n) + 1, 0) if islands else None
    return kw.KStarResult.build(
        k=k, censored=np.zeros(n, bool), labels=names[codes], codes=codes,
        concept_labels=names, threshold=0.5, name="exact", intruder=rng.integers(0, n, n),
        intruder_distance=rng.random(n), method="exact", metric="euclidean", reason="synthetic",
        island=island,
    )  # fmt: skip


def payload_bytes(value) -> int:
    """Bytes the page receives: binary buffers as they travel, the rest as JSON."""
    sizes = []

    def strip(v):
        if isinstance(v, memoryview):
            sizes.append(v.nbytes)
            return None
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items()}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    return len(json.dumps(strip(value))) + sum(sizes)


def main():
    import tempfile
    from pathlib import Path

    res = synthetic_result()
    kw.explore(res)  # first call imports anywidget and ipywidgets: not the explorer's cost
    t = time.perf_counter()
    w = kw.explore(res)
    built = time.perf_counter() - t
    payload = payload_bytes(w.payload)
    t = time.perf_counter()
    w.selected_concept = "concept 17"
    select = time.perf_counter() - t
    islands = payload_bytes(w.islands)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = kw.report(res, Path(tmp) / "big.html")
        written = time.perf_counter() - t
        size = Path(path).stat().st_size
    print(
        f"50,000 samples, 1,000 concepts: explore() {built:.2f} s, payload "
        f"{payload / 1e6:.2f} MB (BokehJS apart, sent once per page), selecting from Python "
        f"{select * 1e3:.0f} ms (its islands: {islands / 1e3:.1f} kB); report {written:.2f} s, "
        f"{size / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
