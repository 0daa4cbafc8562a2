"""Approximate k* with kNN lists built on Dask (one pynndescent index per shard) against the
in-process approximate and exact engines."""

import uuid

import numpy as np
import pytest
from brute_force import tied_spaces
from conftest import require_extra
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kstar_widgets as kw
from kstar_widgets.engines.dask import DaskApproxEngine

distributed = require_extra("distributed")
pytestmark = pytest.mark.slow  # numba compiles pynndescent in every worker process


def test_dask_approx_agrees_with_local_approx_and_exact(client, tmp_path):
    x, y = kw.synthetic.concept_space(n_concepts=30, per_concept=40, dim=32, random_state=3)
    x = x.astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    exact = kw.kstar(x, y, method="exact", progress=False)
    local = kw.kstar(x, y, method="approx", random_state=0, progress=False)
    for features in (x, tmp_path / "x.npy"):
        res = kw.kstar(features, y, method="approx", random_state=0, client=client, progress=False)
        assert res.method == "approx" and res.info["dask_shards"] == 2
        assert res.n_neighbors == local.n_neighbors
        # the same K-list semantics: every concept here is verified exactly, so k* is exact
        # wherever the lists found the true nearest foreign sample
        assert np.mean(res.k == exact.k) >= 0.97
        assert np.mean(res.k == local.k) >= 0.97
        found = res.intruder >= 0
        assert np.mean(res.intruder_distance[found] == exact.intruder_distance[found]) >= 0.97
        assert not res.censored.any()
        # islands from the merged lists: approximate, and (lists permitting) never fewer than exact
        assert res.info["islands_approximate"] and res.island is not None
        assert np.mean(res.concepts["islands"] >= exact.concepts["islands"]) >= 0.9


def separated_space():
    """Two concepts of 400, far apart: with K = 10 no list holds a foreign sample."""
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(0, 1, (400, 4)), rng.normal(50, 1, (400, 4))].astype(np.float32)
    return x, np.repeat([0, 1], 400)


def test_dask_approx_censors_rows_with_no_foreign_neighbour(client):
    """K below the concept sizes, no resolution (the rule's "too dear" is tested on its own,
    tests/engines/test_approx.py) and no exact counts (the path of concepts too large to
    verify): rows whose K neighbours are all of their concept are censored, with
    k* = K + 1 a true lower bound."""
    x, y = separated_space()
    engine = DaskApproxEngine(client, verify=False, resolve_censored=False)
    res = kw.kstar(x, y, n_neighbors=10, engine=engine, progress=False)
    exact = kw.kstar(x, y, method="exact", progress=False)
    assert res.info["dask_shards"] == 2 and res.info["censored_resolved_exactly"] == 0
    assert res.censored.mean() > 0.9 and np.all(res.k[res.censored] == 11)
    assert np.all(exact.k[res.censored] > 10)


def test_dask_approx_resolves_censored_rows_exactly(client, tmp_path):
    """The same space with the default rule, read off the lists: every censored row is
    computed exactly by tasks reading the .npy, as the in-process approximate engine does
    (both equal the exact engine); with the default engines (concepts verified, d_foreign
    from each concept's pool) nothing is censored and k* is exact too."""
    from kstar_widgets.engines import ApproxEngine

    x, y = separated_space()
    np.save(tmp_path / "x.npy", x)
    exact = kw.kstar(x, y, method="exact", progress=False)
    local = kw.kstar(
        x, y, engine=ApproxEngine(verify=False), n_neighbors=10, random_state=0, progress=False
    )
    res = kw.kstar(
        tmp_path / "x.npy", y, engine=DaskApproxEngine(client, verify=False), n_neighbors=10,
        progress=False,
    )  # fmt: skip
    pooled = kw.kstar(
        tmp_path / "x.npy", y, method="approx", n_neighbors=10, client=client, progress=False
    )
    assert local.info["censored_resolved_exactly"] > 700
    assert res.info["censored_resolved_exactly"] > 700 and not res.censored.any()
    assert pooled.info["censored_resolved_exactly"] == 0 and pooled.info["audit"]["share"] == 1
    for r in (res, local, pooled):
        np.testing.assert_array_equal(r.k, exact.k)
        np.testing.assert_array_equal(r.intruder, exact.intruder)
        np.testing.assert_array_equal(r.intruder_distance, exact.intruder_distance)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tied_spaces(), st.sampled_from(["euclidean", "cosine"]), st.integers(2, 9))
def test_resolved_rows_equal_exact_rows_with_ties(client, space, metric, chunk):
    """The tasks' exact rows equal the in-process exact_rows (ties, duplicates, cosine),
    with rows and columns cut in small chunks."""
    from kstar_widgets.engines import build_problem
    from kstar_widgets.engines._rows import exact_rows
    from kstar_widgets.engines.dask._resolve import resolve_rows
    from kstar_widgets.engines.dask._validate import source_arg

    x, labels = space
    if metric == "cosine":
        keep = np.abs(x).sum(axis=1) > 0
        x, labels = x[keep], labels[keep]
        if len(np.unique(labels)) < 2:
            return
    problem, _ = build_problem(x, labels, metric=metric, device="cpu")
    rows = np.flatnonzero(np.arange(len(x)) % 2 == 0)
    _, src = source_arg(problem, client)
    run = uuid.uuid4().hex[:8]
    got = resolve_rows(
        client, src, problem, rows, run, rows_per_task=chunk, cols_per_task=2 * chunk
    )
    for a, b in zip(got, exact_rows(problem, rows), strict=True):
        np.testing.assert_array_equal(a, b)
