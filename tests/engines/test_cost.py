"""Cost estimates follow this CPU's measured speed, and small problems never pay to measure it."""

import types

import numpy as np
import pytest

from kstar_widgets.engines import _cost
from kstar_widgets.engines._rows import rows_seconds


def _problem(n, d, sizes=None):
    sizes = np.full(10, n // 10) if sizes is None else sizes
    return types.SimpleNamespace(n=n, d=d, device=types.SimpleNamespace(type="cpu"), sizes=sizes)


def _speed(monkeypatch, times):
    """This CPU taken as `times` the reference machine's speed."""
    monkeypatch.setattr(_cost, "gemm_rate", lambda: times * _cost.REFERENCE_GEMM)


@pytest.mark.parametrize("times", [0.5, 2.0])
def test_estimates_of_large_work_scale_with_the_measured_speed(monkeypatch, times):
    big = _problem(100_000, 512)
    _speed(monkeypatch, 1.0)
    base = [
        _cost.exact_seconds(big),
        _cost.graph_seconds(big, 50, True),
        _cost.verify_seconds(big, 1e7, 4096),
        rows_seconds(3000, 100_000, 512),
    ]
    _speed(monkeypatch, times)
    now = [
        _cost.exact_seconds(big),
        _cost.graph_seconds(big, 50, True),
        _cost.verify_seconds(big, 1e7, 4096),
        rows_seconds(3000, 100_000, 512),
    ]
    np.testing.assert_allclose(np.array(now) * times, base, rtol=1e-12)
    # numba's compilation is not a product: it is added unscaled
    assert _cost.graph_seconds(big, 50, False) - now[1] == _cost.COMPILE_SECONDS


def test_small_work_uses_the_reference_rate_without_measuring(monkeypatch):
    def never():
        raise AssertionError("measured the CPU for a problem under a second")

    monkeypatch.setattr(_cost, "gemm_rate", never)
    small = _problem(2_000, 64)
    assert _cost.exact_seconds(small) == pytest.approx(2_000**2 * 64 / _cost.CPU_RATE)
    assert rows_seconds(10, 2_000, 64) < 1


def test_the_measured_rate_is_a_plausible_float32_product_speed_and_measured_once():
    rate = _cost.gemm_rate()
    assert 1e9 < rate < 1e14  # flops per second of 1 to 100,000 GFLOPS
    assert _cost.gemm_rate() == rate  # cached: one measurement per process
