"""A cluster run survives what clusters do: workers lost together, memory limits, a wrong
port, and it leaves nothing behind (issue 20 §3). Small clusters, small problems: seconds."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from conftest import require_extra

import kstar_widgets as kw
from kstar_widgets.engines.dask import DaskExactEngine

distributed = require_extra("distributed")
ROOT = Path(__file__).resolve().parents[2]


def clustered(n=6000, d=32, concepts=40, seed=3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(concepts, d)).astype(np.float32) * 0.5
    y = np.arange(n) % concepts
    return centres[y] + rng.normal(size=(n, d)).astype(np.float32), y


def assert_same(res, ref):
    np.testing.assert_array_equal(res.k, ref.k)
    np.testing.assert_array_equal(res.intruder, ref.intruder)
    np.testing.assert_array_equal(res.intruder_distance, ref.intruder_distance)
    np.testing.assert_array_equal(res.island, ref.island)


def finished_pairs(dask_scheduler):
    return sum(
        ts.state == "memory" for k, ts in dask_scheduler.tasks.items() if "kstar-pair" in str(k)
    )


def run_and_strike(client, features, y, strike, *, block_rows=300, after=20):
    """kstar() on the cluster in a thread; `strike()` once `after` pair tasks are done.
    Returns (result or the exception raised, whether the run was still going at the strike).

    A LocalCluster closes a nanny whose worker stays away for lost-worker-timeout (15 s),
    shorter than a restart (spawn, imports) on a loaded 2-core machine: raised here."""
    import dask

    with dask.config.set({"distributed.deploy.lost-worker-timeout": "600s"}):
        return _run_and_strike(client, features, y, strike, block_rows, after)


def _run_and_strike(client, features, y, strike, block_rows, after):
    out, done = {}, threading.Event()

    def run():
        try:
            engine = DaskExactEngine(client, block_rows=block_rows)
            out["res"] = kw.kstar(features, y, engine=engine, progress=False)
        except Exception as exc:  # the test reads it
            out["res"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while client.run_on_scheduler(finished_pairs) < after and time.monotonic() < deadline:
        if done.is_set():
            break
        time.sleep(0.1)
    strike()
    during = not done.is_set()
    thread.join(timeout=300)
    return out["res"], during


@pytest.mark.parametrize("where", ["memory", "npy"])
def test_survives_both_workers_killed_at_once(client, tmp_path, where):
    """Both worker processes SIGKILLed together mid-run: the nannies restart them, the
    scheduler recomputes every lost input from the source, the result is unchanged
    (before: FutureCancelledError 'already forgotten' for the scattered state)."""
    x, y = clustered()
    np.save(tmp_path / "x.npy", x)
    ref = kw.kstar(x, y, method="exact", progress=False)

    def kill_both():
        for pid in client.run(os.getpid).values():
            os.kill(pid, signal.SIGKILL)

    features = x if where == "memory" else tmp_path / "x.npy"
    res, during = run_and_strike(client, features, y, kill_both)
    assert during, "the run ended before the workers could be killed; make it bigger"
    assert not isinstance(res, Exception), repr(res)
    assert_same(res, ref)
    client.wait_for_workers(2, timeout=120)


@contextmanager
def small_cluster(memory_limit, **config):
    """Two single-threaded worker processes under `memory_limit` (config: dask settings)."""
    import dask

    config = {"distributed.deploy.lost-worker-timeout": "600s", **config}  # see run_and_strike
    with (
        dask.config.set(config),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_survives_a_nanny_memory_restart_of_both_workers():
    """Both workers go over memory_limit mid-run (ballast held by the worker) and their
    nannies restart them: the run finishes with the in-process result."""
    x, y = clustered()
    ref = kw.kstar(x, y, method="exact", progress=False)
    with small_cluster("1.5GiB") as c:

        async def ballast():  # worker side (its event loop): 1.5 GiB written and held
            import builtins

            builtins._kstar_ballast = np.ones(3 * 2**27)

        def overfill():
            c.run(ballast, wait=False)  # the nanny ends the process as it fills
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not c.get_events("worker-restart-memory"):
                time.sleep(0.05)

        res, during = run_and_strike(c, x, y, overfill)
        assert during, "the run ended before the workers went over their limit"
        restarts = {e["worker"] for _, e in c.get_events("worker-restart-memory")}
        assert len(restarts) == 2, restarts
        assert not isinstance(res, Exception), repr(res)
        assert_same(res, ref)


def test_workers_killed_for_memory_say_so_with_the_limit_and_the_fix(tmp_path):
    """A memory_limit below what a worker needs (torch alone is ~0.6 GiB): the nanny kills
    every worker that starts a task; the error names the limit and what to give them."""
    x, y = clustered(n=2000)
    np.save(tmp_path / "x.npy", x)
    config = {"distributed.scheduler.allowed-failures": 1}
    with small_cluster("300MiB", **config) as c:
        t = time.monotonic()
        with pytest.raises(MemoryError) as err:
            kw.kstar(tmp_path / "x.npy", y, method="exact", client=c, progress=False)
        assert time.monotonic() - t < 120
    msg = str(err.value)
    assert "\n" not in msg
    assert "workers exceeded their memory limit of 300.00 MiB; give them at least" in msg
    assert "LocalCluster(memory_limit=" in msg
    given = float(msg.split("at least ")[1].split(" GiB")[0])
    assert given >= 0.75  # above what torch alone holds


class Page(BaseHTTPRequestHandler):
    """A web page for any GET, quietly (the dashboard's kind of service)."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>dashboard</html>")

    def log_message(self, *args):
        pass


@contextmanager
def not_a_scheduler(kind):
    """A service that is not Dask on a free port: an HTTP server (the dashboard's kind),
    one that answers HTTP as soon as it accepts (a proxy's kind), or one that says nothing."""
    if kind == "http":
        srv = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            yield srv.server_address[1]
        finally:
            srv.shutdown()
            srv.server_close()
        return
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    held = []

    def accept():
        while True:
            try:
                conn, addr = sock.accept()
            except OSError:
                return
            held.append((conn, addr))
            if kind == "eager":
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()
        for conn, _ in held:
            conn.close()


@pytest.mark.parametrize("kind", ["http", "eager", "silent"])
def test_a_service_that_is_not_dask_fails_fast_and_says_what_it_found(kind):
    import torch  # noqa: F401  (kstar's one-off import is not the connection's time)

    with not_a_scheduler(kind) as port:
        t = time.monotonic()
        with pytest.raises(ConnectionError) as err:
            kw.kstar(np.eye(4), [0, 0, 1, 1], backend="dask", client=f"tcp://127.0.0.1:{port}")
        assert time.monotonic() - t < 15
    msg = str(err.value)
    assert "\n" not in msg
    assert f"tcp://127.0.0.1:{port}" in msg and "not a Dask scheduler" in msg
    assert "8786" in msg  # the scheduler's port, suggested
    if kind != "silent":
        assert "an HTTP server" in msg and "dashboard" in msg


def run_python(code, env=None, timeout=120):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_cli_on_a_port_that_is_not_dask_fails_in_one_line(tmp_path):
    np.save(tmp_path / "x.npy", np.eye(4, dtype=np.float32))
    np.save(tmp_path / "y.npy", np.array([0, 0, 1, 1]))
    with not_a_scheduler("http") as port:
        t = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-m", "kstar_widgets.cli", "compute", "--features",
             str(tmp_path / "x.npy"), "--labels", str(tmp_path / "y.npy"),
             "--scheduler", f"tcp://127.0.0.1:{port}", "--quiet"],
            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        took = time.monotonic() - t
    assert out.returncode == 1 and took < 30, (took, out.stderr)
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not a Dask scheduler" in lines[0], out.stderr
    assert "an HTTP server" in lines[0]


@pytest.mark.parametrize("kind", ["eager", "http", "refused"])
def test_a_bad_address_prints_no_traceback(kind):
    """The failed connection leaves no Client whose __del__ prints a timeout traceback
    (before: an HTTP answer read as a 3 EiB message length, a MemoryError traceback, then
    Client.__del__'s TimeoutError traceback at exit)."""
    code = (
        "import numpy as np, gc, kstar_widgets as kw\n"
        "try:\n"
        "    kw.kstar(np.eye(4), [0, 0, 1, 1], backend='dask', client='tcp://127.0.0.1:{port}')\n"
        "except ConnectionError as e:\n"
        "    print('caught:', e)\n"
        "gc.collect()\n"
    )
    if kind == "refused":
        out = run_python(code.format(port=9))
    else:
        with not_a_scheduler(kind) as port:
            out = run_python(code.format(port=port))
    assert "caught:" in out.stdout, out.stderr
    assert "Traceback" not in out.stderr and "Exception ignored" not in out.stderr, out.stderr


def leftovers(folder):
    return sorted(p.name for p in Path(folder).glob("kstar_widgets_*"))


def test_a_dask_array_input_leaves_no_copy_behind(client, digits, tmp_path, monkeypatch):
    import dask.array as da

    x, y = digits
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR anew
    ref = kw.kstar(x[:600], y[:600], method="exact", progress=False)
    res = kw.kstar(da.from_array(x[:600], chunks=(200, 64)), y[:600], client=client, progress=False)
    np.testing.assert_array_equal(res.k, ref.k)
    assert leftovers(tmp_path) == []
    bad = x[:600].copy()
    bad[5] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        kw.kstar(da.from_array(bad, chunks=(200, 64)), y[:600], client=client, progress=False)
    assert leftovers(tmp_path) == []
    with pytest.raises(ValueError, match="labels has 3 entries"):
        kw.kstar(da.from_array(x[:600], chunks=(200, 64)), [0, 1, 0], client=client)
    assert leftovers(tmp_path) == []


def test_a_copy_left_by_a_killed_client_is_removed_by_the_next_call(client, digits, tmp_path):
    """A client killed mid-run cannot clean up: the next call removes its copy (dead pid)."""
    import dask.array as da

    x, y = digits
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"kstar_widgets_{socket.gethostname()}_{dead.pid}_x1"
    (stale / "features.zarr").mkdir(parents=True)
    alive = tmp_path / f"kstar_widgets_{socket.gethostname()}_{os.getpid()}_x2"
    alive.mkdir()
    os.environ["TMPDIR"], old = str(tmp_path), os.environ.get("TMPDIR")
    import tempfile

    tempfile.tempdir = None
    try:
        kw.kstar(da.from_array(x[:300], chunks=(100, 64)), y[:300], client=client, progress=False)
    finally:
        if old is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = old
        tempfile.tempdir = None
    assert leftovers(tmp_path) == [alive.name]
