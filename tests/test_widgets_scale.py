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


def test_explorer_payload_does_not_grow_with_samples(big):
    from bokeh.core.json_encoder import serialize_json

    t0 = time.perf_counter()
    w = kw.explore(big)
    built = time.perf_counter() - t0
    payload = serialize_json(w.bokeh.render_bundle)
    lengths = {k: len(v) for k, v in w.views.src.data.items()}
    assert set(lengths.values()) == {1_000}  # one row per concept
    assert all(len(v) <= 1_000 * 32 for v in w.views.built["bank"].values())
    assert len(payload) < 3_000_000, len(payload)  # ~0.75 MB measured
    assert built < 30, built  # ~1.6 s measured here
    t0 = time.perf_counter()
    w.selected_concept = "concept 17"
    assert time.perf_counter() - t0 < 1.0
    assert w.views.dlow.data["sample"] and len(w.views.matrix.data["row"]) > 0
    assert len(w.views.built["meta"]["matrix_names"]) == 40  # the 40 most fractured concepts


def test_report_of_1000_concepts_stays_small(big, tmp_path):
    path = kw.report(big, tmp_path / "big.html")
    size = (tmp_path / "big.html").stat().st_size
    assert size < 6_000_000, size  # BokehJS (~1.9 MB) + summaries (~0.8 MB) measured
    assert "concept 999" in open(path).read()
