"""Finding the Dask cluster to run on: an explicit client, an address, the default one, or a new LocalCluster."""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import time

from ...utils._progress import say

INSTALL = 'pip install "kstar-widgets[dask]"'
CONNECT_SECONDS = 5.0
CONNECT_TIMEOUT = "5s"
HANDSHAKE_SECONDS = 5.0  # a scheduler sends its handshake as soon as it accepts
SCHEDULER_PORT, DASHBOARD_PORT = 8786, 8787


def import_distributed():
    """The ``distributed`` module, or an ImportError that names the extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(
            f'backend="dask" needs dask.distributed, which is not installed ({exc}); '
            f"install it with {INSTALL}."
        ) from None
    return distributed


def resolve_client(client=None, *, progress=True):
    """A ``distributed.Client`` to run on.

    Parameters
    ----------
    client : distributed.Client, str or None
        A client; a scheduler address such as "tcp://host:8786" (connected with a
        short timeout); or None: the current default client, else a new
        ``LocalCluster`` of single-threaded worker processes, one per core, which
        becomes the default client for later calls (a status line says so).
    """
    distributed = import_distributed()
    if isinstance(client, distributed.Client):
        return client
    if isinstance(client, str):
        return connect(client)
    if client is not None:
        raise TypeError(
            f"client must be a distributed.Client, a scheduler address such as "
            f"'tcp://host:8786', or None; got {type(client).__name__}."
        )
    try:
        return distributed.default_client()
    except ValueError:
        pass
    n = _cores()
    cluster = distributed.LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    started = distributed.Client(cluster, set_as_default=True)
    say(
        f"no Dask client given or running: started a LocalCluster of {n} single-threaded "
        f"worker processes on this machine (dashboard {started.dashboard_link}); pass "
        "client=Client('tcp://host:8786') to use a real cluster",
        progress,
    )
    return started


def connect(address: str):
    """A client of the scheduler at ``address``; a one-line error, within ~10 s, when none answers.

    The address is probed first (:func:`probe`): a service that is not Dask (the
    dashboard's HTTP port, say) would keep distributed waiting for a handshake that
    never comes, and a failed ``Client`` prints a timeout traceback when collected.
    """
    distributed = import_distributed()
    found = probe(address)
    if found is not None:
        raise ConnectionError(found)
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # the probe saw a scheduler: a version clash, a lost race, ...
        _close_half_started(exc)
        raise ConnectionError(
            f"could not connect to the Dask scheduler at {address!r} "
            f"({type(exc).__name__}: {exc}); check that this machine has the scheduler's "
            "versions of dask and distributed (client.get_versions(check=True) tells)."
        ) from None


def probe(address: str) -> str | None:
    """None when a Dask scheduler answers at a tcp:// ``address`` (other schemes: None,
    left to distributed); else the error to raise, in one line, after at most ~8 s."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, where = parse_address(address)
        host, port = parse_host_port(where, default_port=SCHEDULER_PORT)
    except ValueError:
        return None  # distributed names a malformed address itself
    if scheme != "tcp":
        return None
    sock, failure = _open(host, port)
    if sock is None:
        return (
            f"could not reach a Dask scheduler at {address!r} within {CONNECT_TIMEOUT} "
            f"({failure}). Check the address (e.g. 'tcp://host:{SCHEDULER_PORT}', printed by "
            "`dask scheduler` or cluster.scheduler_address) and that the scheduler is running "
            "and reachable from here, or pass client=None to start a LocalCluster."
        )
    with sock:
        head = _read(sock, 16, HANDSHAKE_SECONDS)
        if _is_dask_handshake(head):
            return None
        if not head:  # an HTTP server waits for a request before it says anything
            try:
                sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
                head = _read(sock, 16, 2.0)
            except OSError:
                pass
    return (
        f"the service at {address!r} is not a Dask scheduler: {_describe(head)}. A Dask "
        f"scheduler listens on port {SCHEDULER_PORT} unless told otherwise (its address is "
        "printed by `dask scheduler` and in cluster.scheduler_address); pass that address, "
        "or client=None to start a LocalCluster."
    )


def _open(host, port):
    """(a connected socket, None) or (None, why not), retrying a refused port for 5 s."""
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return socket.create_connection((host, port), timeout=CONNECT_SECONDS), None
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                return None, f"connection refused: nothing listens on port {port} of {host}"
            time.sleep(0.25)
        except TimeoutError:
            return None, f"no answer from {host}:{port}"
        except OSError as exc:
            return None, f"{type(exc).__name__}: {exc.strerror or exc}"


def _read(sock, n: int, seconds: float) -> bytes:
    """Up to n bytes, as many as came within ``seconds`` (b"" if none)."""
    out, deadline = b"", time.monotonic() + seconds
    while len(out) < n and (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            chunk = sock.recv(n - len(out))
        except OSError:  # a timeout, a reset
            break
        if not chunk:
            break
        out += chunk
    return out


def _is_dask_handshake(head: bytes) -> bool:
    """A distributed TCP message starts with its length and its number of frames (uint64s)."""
    if len(head) < 16:
        return False
    total, frames = struct.unpack("<QQ", head[:16])
    return 0 < frames <= 64 and 8 * (frames + 1) <= total < 2**26


def _describe(head: bytes) -> str:
    if head.startswith(b"HTTP/"):
        return (
            f"an HTTP server answered (the Dask dashboard, port {DASHBOARD_PORT} by default, "
            "is one)"
        )
    if head.startswith(b"SSH-"):
        return "an SSH server answered"
    if not head:
        return (
            f"it accepted the connection but sent no Dask handshake within {HANDSHAKE_SECONDS:g} s"
        )
    return f"it answered {head!r}, not a Dask handshake"


def _close_half_started(exc: BaseException) -> None:
    """Close the Client a failed constructor leaves in ``exc``'s traceback, quietly: its
    ``__del__`` would otherwise wait 10 s and print a TimeoutError traceback."""
    distributed = import_distributed()
    tb = exc.__traceback__
    while tb is not None:
        obj = tb.tb_frame.f_locals.get("self")
        if isinstance(obj, distributed.Client):
            with contextlib.suppress(Exception):
                obj.close(timeout=2)
            obj.status = "closed"  # __del__ then has nothing left to do
            with contextlib.suppress(Exception):
                obj._loop_runner.stop()
            return
        tb = tb.tb_next


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def workers_are_local(client) -> bool:
    """True when every worker runs on this machine (a LocalCluster), so a temporary folder is shared."""
    hosts = {
        w.get("host") or addr.split("://")[-1].rsplit(":", 1)[0]
        for addr, w in client.scheduler_info(n_workers=-1)["workers"].items()
    }
    import socket

    own = {"127.0.0.1", "localhost", "::1", socket.gethostname()}
    try:
        own.add(socket.gethostbyname(socket.gethostname()))
    except OSError:
        pass
    return bool(hosts) and hosts <= own


# A worker process with distributed, torch and this package imported: 607 MiB RSS measured
# (distributed 2026.8, torch 2, Linux); tasks need this much before their own arrays.
WORKER_BASE_BYTES = 640 * 2**20
SPILL_FRACTION = 0.7  # distributed's default memory.spill: keep a worker's peak below it


@contextlib.contextmanager
def explain_lost_workers(client, task_bytes: float = 0.0):
    """Turn the scheduler's KilledWorker into a one-line MemoryError when nannies restarted
    workers for exceeding their memory limit (the limit and a sufficient one named);
    ``task_bytes``: the most one task of this stage allocates."""
    distributed = import_distributed()
    try:
        yield
    except distributed.KilledWorker as exc:
        error = memory_error(client, task_bytes, exc)
        if error is None:
            raise
        raise error from None


def memory_error(client, task_bytes: float, exc=None) -> MemoryError | None:
    """The MemoryError to raise when nannies restarted workers for memory, else None."""
    from dask.utils import format_bytes

    try:
        events = [e for _, e in client.get_events("worker-restart-memory")]
    except Exception:  # the scheduler itself is gone: nothing to say about memory
        return None
    if not events:
        return None
    limit = _memory_limit(client)
    if limit is None:  # no worker back yet: the nanny ends a worker just past 95% of it
        limit = max(e["rss"] for e in events) / 0.95
    need = max((WORKER_BASE_BYTES + task_bytes) / SPILL_FRACTION, 1.25 * limit)
    need_gib = 0.25 * -(-need // (0.25 * 2**30))
    task = f"; task {exc.task!r} was running on each worker that died" if exc is not None else ""
    return MemoryError(
        f"workers exceeded their memory limit of {format_bytes(limit)}; give them at least "
        f"{need_gib:.2f} GiB (LocalCluster(memory_limit=...), dask-jobqueue's memory=, "
        f"`dask worker --memory-limit`): their nannies restarted {len(events)} worker(s) for "
        f"memory{task}."
    )


def _memory_limit(client) -> float | None:
    """The smallest memory limit of the workers (waiting a little for one to come back)."""
    for _ in range(40):
        try:
            workers = client.scheduler_info(n_workers=-1)["workers"].values()
        except Exception:
            return None
        limits = [w.get("memory_limit") or 0 for w in workers]
        if any(limits):
            return float(min(x for x in limits if x))
        time.sleep(0.25)
    return None
