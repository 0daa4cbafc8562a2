"""Choosing an engine: by name, or the one estimated fastest for the problem here."""

from __future__ import annotations

from ._base import Engine, Problem
from .approx import ApproxEngine
from .exact import ExactEngine

ENGINES: dict[str, type[Engine]] = {"exact": ExactEngine, "approx": ApproxEngine}


def get_engine(method: str) -> Engine:
    """A fresh engine for method "exact" or "approx"."""
    try:
        return ENGINES[method]()
    except KeyError:
        raise ValueError(f"method={method!r} is not known; use one of {tuple(ENGINES)}.") from None


def choose_engine(problem: Problem) -> tuple[Engine, str]:
    """The engine with the smallest estimated time (the exact one wins ties), and why, in words."""
    estimates = {name: cls().estimate_seconds(problem) for name, cls in ENGINES.items()}
    best = min(estimates, key=lambda name: (estimates[name], not ENGINES[name].exact))
    others = ", ".join(f"{k} (est. {v:.1f} s)" for k, v in estimates.items() if k != best)
    verb = "is not slower than" if ENGINES[best].exact else "beats"
    return ENGINES[best](), f"auto: {best} (est. {estimates[best]:.1f} s) {verb} {others}"
