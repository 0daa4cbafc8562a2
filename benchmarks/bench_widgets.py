"""The explorer on 50,000 samples in 1,000 concepts: build time, payload, selection time.

python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import time

import numpy as np

import kstar_widgets as kw


def synthetic_result(n=50_000, n_concepts=1_000, seed=0):
    """A KStarResult with varied per-concept k* shapes, built without computing k*."""
    rng = np.random.default_rng(seed)
    codes = np.sort(rng.integers(0, n_concepts, n))
    sizes = np.bincount(codes, minlength=n_concepts)
    shape = rng.uniform(0.3, 3.0, n_concepts)[codes]
    k = np.clip((rng.beta(shape, 1.5) * sizes[codes]).astype(np.int64), 1, sizes[codes])
    names = np.array([f"concept {i}" for i in range(n_concepts)])
    return kw.KStarResult.build(
        k=k, censored=np.zeros(n, bool), labels=names[codes], codes=codes,
        concept_labels=names, threshold=0.5, name="exact", intruder=rng.integers(0, n, n),
        intruder_distance=rng.random(n), method="exact", metric="euclidean", reason="synthetic",
    )  # fmt: skip


def main():
    from bokeh.core.json_encoder import serialize_json

    res = synthetic_result()
    t = time.perf_counter()
    w = kw.explore(res)
    built = time.perf_counter() - t
    payload = len(serialize_json(w.bokeh.render_bundle))
    t = time.perf_counter()
    w.selected_concept = "concept 17"
    select = time.perf_counter() - t
    print(
        f"50,000 samples, 1,000 concepts: explore() {built:.2f} s, Bokeh payload "
        f"{payload / 1e6:.2f} MB, selecting a concept from Python {select * 1e3:.0f} ms"
    )


if __name__ == "__main__":
    main()
