"""50,000 samples in 1,000 concepts: the views get per-concept summaries, never every point."""

import time

import pytest

import kstar_widgets as kw
from kstar_widgets.widgets._payload import wire_bytes


@pytest.fixture(scope="module")
def big():
    """A synthetic result (no k* computation): 1,000 concepts of varied size and shape."""
    return kw.synthetic.kstar_result(islands=False)


def test_explorer_payload_does_not_grow_with_samples(big):
    from kstar_widgets.widgets._payload import from_buffer

    t0 = time.perf_counter()
    w = kw.explore(big)
    built = time.perf_counter() - t0
    size = wire_bytes(w.payload)
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
