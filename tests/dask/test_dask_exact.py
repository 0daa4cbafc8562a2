"""The Dask exact engine against the in-process one, sample for sample, on a LocalCluster of processes."""

import os
import signal
import sys
import threading
import time

import numpy as np
import pytest
from brute_force import (
    brute_force_islands,
    float64_only_pairs,
    partition,
    rows_per_block,
    tied_spaces,
)
from conftest import require_extra
from hypothesis import HealthCheck, given, settings

import kstar_widgets as kw
from kstar_widgets.engines.dask import DaskExactEngine

distributed = require_extra("distributed")
pytestmark = pytest.mark.filterwarnings("ignore::kstar_widgets.DegenerateSpaceWarning")


def assert_same_as_local(
    features, labels, client, metric="euclidean", local_features=None, block_rows=None
):
    """Same k*, intruder and intruder distance (to the last bit) as the in-process engine,
    and the same islands sample for sample (`block_rows`: the Dask engine's task blocks)."""
    ref = kw.kstar(
        features if local_features is None else local_features,
        labels,
        method="exact",
        metric=metric,
        progress=False,
    )
    if block_rows is None:
        res = kw.kstar(
            features,
            labels,
            method="exact",
            metric=metric,
            backend="dask",
            client=client,
            progress=False,
        )
    else:
        engine = DaskExactEngine(client, block_rows=block_rows)
        res = kw.kstar(features, labels, metric=metric, engine=engine, progress=False)
    np.testing.assert_array_equal(res.k, ref.k)
    np.testing.assert_array_equal(res.intruder, ref.intruder)
    np.testing.assert_array_equal(res.intruder_distance, ref.intruder_distance)
    assert res.info["backend"] == "dask"
    np.testing.assert_array_equal(res.island, ref.island)
    assert res.info["islands_approximate"] is False
    return res


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tied_spaces(), rows_per_block())
def test_dask_equals_local_with_ties_and_duplicates(client, space, rows):
    x, labels = space
    res = assert_same_as_local(x, labels, client, block_rows=rows)
    np.testing.assert_array_equal(partition(res), brute_force_islands(x, labels))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tied_spaces(), rows_per_block())
def test_dask_equals_local_cosine(client, space, rows):
    x, labels = space
    keep = np.abs(x).sum(axis=1) > 0
    x, labels = x[keep], labels[keep]
    if len(np.unique(labels)) < 2:
        return
    res = assert_same_as_local(x, labels, client, metric="cosine", block_rows=rows)
    np.testing.assert_array_equal(partition(res), brute_force_islands(x, labels, "cosine"))


def test_digits_blocks_that_cut_concepts(client, digits):
    x, y = digits
    perm = np.random.default_rng(0).permutation(len(y))
    # 18 blocks, concepts of ~180 cut across them
    res = assert_same_as_local(x[perm], y[perm], client, block_rows=100)
    assert res.info["dask_blocks"] >= 18
    assert res.info["rows_settled_in_float64"] >= 148
    np.testing.assert_array_equal(partition(res), brute_force_islands(x[perm], y[perm]))
    assert res.concepts["islands"].max() > 1  # some digits break into several islands


def test_islands_of_a_huge_concept_cut_over_many_blocks_with_duplicates(client):
    """One concept over 12 blocks, duplicates across the cuts: the forests merged on the client."""
    rng = np.random.default_rng(5)
    base = rng.integers(-2, 3, size=(150, 3)).astype(np.float32)
    x = np.vstack([base, base[:30]])  # duplicates, some in the other concept
    y = np.r_[np.zeros(120, int), np.ones(30, int), rng.integers(0, 2, 30)]
    res = assert_same_as_local(x, y, client, block_rows=15)
    assert res.info["dask_blocks"] >= 12
    np.testing.assert_array_equal(partition(res), brute_force_islands(x, y))


def test_island_edges_only_float64_can_decide(client):
    """p's same-concept q lies 1e-9 closer than its foreign f: float32 cannot tell them apart,
    the float64 settling on the worker makes {p, q} an edge (without it: two islands each)."""
    pairs = 6
    x, y = float64_only_pairs(pairs)
    res = assert_same_as_local(x, y, client, block_rows=4)  # the pairs cut over blocks
    np.testing.assert_array_equal(partition(res), brute_force_islands(x, y))
    assert res.concepts["islands"].tolist() == [pairs, pairs]
    assert res.info["rows_settled_in_float64"] >= pairs


def test_islands_false_skips_them(client, digits):
    x, y = digits
    res = kw.kstar(x[:300], y[:300], method="exact", islands=False, client=client, progress=False)
    assert res.island is None and "islands" not in res.concepts
    assert "islands" not in res.timings and "islands_approximate" not in res.info


def test_crowded_rows_recompute_full_rows_from_the_source(client, tmp_path):
    """Rows with 4+ foreign duplicates recompute their whole row on the worker, from the file."""
    rng = np.random.default_rng(1)
    base = rng.normal(size=(50, 6)).astype(np.float32)
    x = np.vstack([base, np.repeat(base[:3], 6, axis=0)])  # 18 duplicates of 3 rows
    y = np.r_[np.repeat([0, 1], 25), np.tile([0, 1, 2], 6)]
    np.save(tmp_path / "x.npy", x)
    for metric in ("euclidean", "cosine"):
        res = assert_same_as_local(tmp_path / "x.npy", y, client, metric, x, block_rows=16)
        assert res.info["rows_settled_in_float64"] > 0


def test_npy_zarr_and_dask_array_inputs(client, digits, tmp_path):
    import dask.array as da
    import zarr

    x, y = digits
    np.save(tmp_path / "x.npy", x)
    z = zarr.create_array(tmp_path / "x.zarr", shape=x.shape, chunks=(500, 64), dtype="f4")
    z[:] = x
    for features in (
        str(tmp_path / "x.npy"),
        tmp_path / "x.zarr",
        z,
        da.from_array(x, chunks=(400, 64)),
    ):
        assert_same_as_local(features, y, client, local_features=x, block_rows=300)
    assert_same_as_local(tmp_path / "x.npy", y, client, "cosine", x, block_rows=300)


def test_survives_a_worker_killed_mid_run(client, tmp_path):
    rng = np.random.default_rng(3)
    n = 12_000
    centres = rng.normal(size=(40, 64)).astype(np.float32) * 0.5
    y = np.arange(n) % 40
    x = centres[y] + rng.normal(size=(n, 64)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    ref = kw.kstar(x, y, method="exact", progress=False)
    out, done = {}, threading.Event()

    engine = DaskExactEngine(client, block_rows=600)  # 20 blocks: 190 pair tasks

    def run():
        try:
            out["res"] = kw.kstar(tmp_path / "x.npy", y, engine=engine, progress=False)
        finally:
            done.set()

    def finished_pairs(dask_scheduler):
        return sum(
            ts.state == "memory" for k, ts in dask_scheduler.tasks.items() if "kstar-pair" in str(k)
        )

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while client.run_on_scheduler(finished_pairs) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = client.run(os.getpid)
    victim = sorted(pids)[0]
    os.kill(pids[victim], signal.SIGKILL)
    killed_during_run = not done.is_set()
    thread.join(timeout=300)
    assert killed_during_run, "the run ended before a worker could be killed; make it bigger"
    res = out["res"]
    np.testing.assert_array_equal(res.k, ref.k)
    np.testing.assert_array_equal(res.intruder, ref.intruder)
    np.testing.assert_array_equal(res.intruder_distance, ref.intruder_distance)
    np.testing.assert_array_equal(res.island, ref.island)
    client.wait_for_workers(2, timeout=60)


def test_default_client_is_used(client, digits):
    x, y = digits
    with distributed.Client(client.scheduler.address, set_as_default=True):
        res = kw.kstar(x[:300], y[:300], backend="dask", progress=False)
    assert res.info["dask_workers"] == 2


def test_no_client_starts_a_local_cluster_and_says_so(monkeypatch, capsys):
    import kstar_widgets.engines.dask._client as dclient

    def no_default():
        raise ValueError("No clients found")

    real = distributed.LocalCluster

    def small_cluster(**kwargs):
        return real(**{**kwargs, "n_workers": 1, "processes": False})

    monkeypatch.setattr(distributed, "default_client", no_default)
    monkeypatch.setattr(distributed, "LocalCluster", small_cluster)
    c = dclient.resolve_client(None)
    try:
        assert "started a LocalCluster" in capsys.readouterr().err
    finally:
        cluster = c.cluster
        c.close()
        cluster.close()


def test_bad_scheduler_address_names_it_and_the_fix():
    t = time.monotonic()
    with pytest.raises(ConnectionError, match=r"tcp://127\.0\.0\.1:9.*Check the address"):
        kw.kstar(np.eye(4), [0, 0, 1, 1], backend="dask", client="tcp://127.0.0.1:9")
    assert time.monotonic() - t < 30


def test_missing_distributed_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r'pip install "kstar-widgets\[dask\]"'):
        kw.kstar(np.eye(4), [0, 0, 1, 1], backend="dask")


def test_bad_inputs_are_caught_on_the_workers(client, tmp_path):
    x = np.random.default_rng(0).normal(size=(20_000, 3))
    x[[9000, 17000]] = np.nan
    np.save(tmp_path / "nan.npy", x)
    with pytest.raises(
        ValueError, match=r"NaN or inf in 2 sample\(s\) \(first rows: \[9000, 17000\]\)"
    ):
        kw.kstar(tmp_path / "nan.npy", np.arange(20_000) % 2, backend="dask", client=client)
    x[[9000, 17000]] = 0.0
    np.save(tmp_path / "zero.npy", x)
    with pytest.raises(ValueError, match=r"all-zero vectors: 2 sample\(s\)"):
        kw.kstar(
            tmp_path / "zero.npy",
            np.arange(20_000) % 2,
            metric="cosine",
            backend="dask",
            client=client,
        )
    np.save(tmp_path / "flat.npy", x[:, 0])
    with pytest.raises(ValueError, match="must be 2-d"):
        kw.kstar(tmp_path / "flat.npy", np.arange(20_000) % 2, backend="dask", client=client)
    with pytest.raises(ValueError, match="labels has 3 entries"):
        kw.kstar(tmp_path / "zero.npy", [0, 1, 0], backend="dask", client=client)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        kw.kstar(tmp_path / "missing.npy", [0, 1], backend="dask", client=client)


def test_backend_options_are_checked():
    with pytest.raises(ValueError, match="backend='spark' is not known"):
        kw.kstar(np.eye(4), [0, 0, 1, 1], backend="spark")
    with pytest.raises(ValueError, match="method='fast' is not known"):
        kw.kstar(np.eye(4), [0, 0, 1, 1], method="fast", client="tcp://127.0.0.1:9")


def test_cli_compute_on_a_scheduler(client, digits, tmp_path, capsys):
    import pandas as pd

    from kstar_widgets.cli import main

    x, y = digits
    np.save(tmp_path / "x.npy", x[:400])
    np.save(tmp_path / "y.npy", y[:400])
    files = ["--features", str(tmp_path / "x.npy"), "--labels", str(tmp_path / "y.npy"), "--quiet"]
    assert main(["compute", *files, "--out", str(tmp_path / "local.csv")]) == 0
    address = client.scheduler.address
    assert main(["compute", *files, "--scheduler", address, "--out", str(tmp_path / "d.csv")]) == 0
    on_dask, local = pd.read_csv(tmp_path / "d.csv"), pd.read_csv(tmp_path / "local.csv")
    pd.testing.assert_frame_equal(on_dask, local)  # islands columns included
    assert "islands" in on_dask
    capsys.readouterr()
    assert main(["compute", *files, "--scheduler", "tcp://127.0.0.1:9"]) == 1
    assert "could not reach a Dask scheduler at 'tcp://127.0.0.1:9'" in capsys.readouterr().err
