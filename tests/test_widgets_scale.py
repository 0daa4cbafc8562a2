"""50,000 samples in 1,000 concepts: the views get per-concept summaries, never every point."""

import time

import numpy as np
import pytest

import kstar_widgets as kw


@pytest.fixture(scope="module")
def big():
    """A synthetic result (no k* computation): 1,000 concepts of varied size and shape."""
    rng = np.random.default_rng(0)
    n, nc = 50_000, 1_000
    codes = np.sort(rng.integers(0, nc, n))
    sizes = np.bincount(codes, minlength=nc)
    k = (rng.beta(rng.uniform(0.3, 3.0, nc)[codes], 1.5) * sizes[codes]).astype(np.int64)
    k = np.clip(k, 1, sizes[codes])
    names = np.array([f"concept {i}" for i in range(nc)])
    return kw.KStarResult.build(
        k=k, censored=np.zeros(n, bool), labels=names[codes], codes=codes, concept_labels=names,
        threshold=0.5, name="exact", intruder=rng.integers(0, n, n), intruder_distance=rng.random(n),
        method="exact", metric="euclidean", reason="synthetic",
    )  # fmt: skip


def payload_bytes(value) -> int:
    """Bytes sent to the page: buffers as they travel, the rest as JSON."""
    import json

    buffers = []

    def strip(v):
        if isinstance(v, memoryview):
            buffers.append(v.nbytes)
            return None
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items()}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    return len(json.dumps(strip(value))) + sum(buffers)


def test_explorer_payload_does_not_grow_with_samples(big):
    from kstar_widgets.widgets._payload import from_buffer

    t0 = time.perf_counter()
    w = kw.explore(big)
    built = time.perf_counter() - t0
    size = payload_bytes(w.payload)
    r = w.payload["results"][0]
    assert len(w.payload["names"]) == 1_000 and from_buffer(r["skewness"]).shape == (1_000,)
    assert from_buffer(r["hist"]).shape == (1_000, 32)  # one histogram per concept, not per sample
    assert size < 1_000_000, size  # ~0.4 MB measured
    assert built < 30, built  # ~1 s measured here
    t0 = time.perf_counter()
    w.selected_concept = "concept 17"
    assert time.perf_counter() - t0 < 1.0
    assert w.concept_index == 17
    assert from_buffer(r["matrix"]["shown"]).size == 40  # the 40 most fractured concepts


def test_report_of_1000_concepts_stays_small(big, tmp_path):
    path = kw.report(big, tmp_path / "big.html")
    size = (tmp_path / "big.html").stat().st_size
    assert size < 3_000_000, size  # BokehJS core + API (~1.4 MB) + summaries measured
    assert "concept 999" in open(path).read()
