"""One registry of the engines, keyed by (backend, method), and the one place "auto" is settled.

``kstar()`` asks :func:`select_engine` and never branches by backend: each backend
says how to reach its machines (:attr:`Backend.connect`), how "auto" chooses
(:attr:`Backend.auto`) and how a named method is explained in ``result.reason``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._base import Engine, Problem
from .approx import ApproxEngine
from .dask.approx import DaskApproxEngine
from .dask.exact import DaskExactEngine
from .exact import ExactEngine

ENGINES: dict[tuple[str, str], type[Engine]] = {
    ("local", "exact"): ExactEngine,
    ("local", "approx"): ApproxEngine,
    ("dask", "exact"): DaskExactEngine,
    ("dask", "approx"): DaskApproxEngine,
}


def _no_client(client, *, progress=True):
    """The local backend runs in this process: no client."""
    return None


def _dask_client(client, *, progress=True):
    """A Dask client: the given one, an address connected, the default, or a new LocalCluster."""
    from .dask._client import resolve_client

    return resolve_client(client, progress=progress)


# an approximate engine must be estimated this many times faster than the exact one to be
# chosen: exact k* is right by construction, approximate k* only as right as its audit says
# (at 100,000 x 512, 100 overlapping concepts, approx took 0.64x exact's time and was
# exact for 91% of samples: benchmarks/bench_approx_scale.py --n 100000 --concepts 100)
APPROX_ADVANTAGE = 3.0


def fastest(problem: Problem, engines: dict[str, Engine]) -> tuple[Engine, str]:
    """The fastest exact engine by its estimate, unless an approximate one is estimated at
    least ``APPROX_ADVANTAGE`` times faster; and why, in words."""
    est = {name: e.estimate_seconds(problem) for name, e in engines.items()}
    exact = [n for n in est if engines[n].exact]
    approx = [n for n in est if not engines[n].exact]
    e = min(exact, key=est.get) if exact else None
    a = min(approx, key=est.get) if approx else None
    if e is None or (a is not None and est[a] * APPROX_ADVANTAGE <= est[e]):
        best = a
        why = f"is {APPROX_ADVANTAGE:g}x faster than" if e is not None else "is the only choice;"
    else:
        best = e
        why = "is right by construction, and no approximate engine is "
        why += f"{APPROX_ADVANTAGE:g}x faster:" if a is not None else "offered;"
    others = ", ".join(f"{k} (est. {v:.1f} s)" for k, v in est.items() if k != best)
    return engines[best], f"auto: {best} (est. {est[best]:.1f} s) {why} {others}".rstrip(" ;")


def exact_on_a_cluster(problem: Problem, engines: dict[str, Engine]) -> tuple[Engine, str]:
    """On a cluster "auto" means exact: its cost falls with the workers."""
    return engines["exact"], "backend='dask', method='auto'"


@dataclass(frozen=True)
class Backend:
    """Where engines run: how to reach it, how "auto" picks, how a named method is explained."""

    name: str
    connect: Callable
    auto: Callable
    asked: str  # result.reason for a named method, formatted with method=...


BACKENDS = {
    "local": Backend("local", _no_client, fastest, "method={method!r} was asked for"),
    "dask": Backend("dask", _dask_client, exact_on_a_cluster, "backend='dask', method={method!r}"),
}


def methods(backend: str = "local") -> tuple[str, ...]:
    """The methods a backend offers, "auto" aside."""
    return tuple(m for b, m in ENGINES if b == backend)


def get_engine(method: str, backend: str = "local", client=None) -> Engine:
    """A fresh engine for `method` ("exact" or "approx") on `backend` (Dask engines need a client)."""
    try:
        cls = ENGINES[backend, method]
    except KeyError:
        raise ValueError(
            f"method={method!r} is not known; use one of {methods(backend)}."
        ) from None
    return cls.create(client)


def choose_engine(problem: Problem, backend: str = "local", client=None, engines=None):
    """The engine "auto" settles on, and why: (engine, reason).

    engines: the candidates by method (default: every engine of the backend, fresh).
    """
    if engines is None:
        engines = {m: get_engine(m, backend, client) for m in methods(backend)}
    return BACKENDS[backend].auto(problem, engines)


def select_engine(problem: Problem, method: str, backend: str = "local", client=None):
    """The engine for `method` ("auto" settled here, once) on `backend`, and why: (engine, reason).

    Examples
    --------
    >>> import numpy as np
    >>> from kstar_widgets.engines import build_problem
    >>> problem, _ = build_problem(np.eye(4), [0, 0, 1, 1], device="cpu")
    >>> engine, reason = select_engine(problem, "approx")
    >>> engine.name, reason
    ('approx', "method='approx' was asked for")
    """
    if method == "auto":
        return choose_engine(problem, backend, client)
    return get_engine(method, backend, client), BACKENDS[backend].asked.format(method=method)


def connect(backend: str, client=None, *, progress=True):
    """The client `backend` runs on (None for "local")."""
    return BACKENDS[backend].connect(client, progress=progress)
