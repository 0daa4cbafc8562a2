"""Finding the Dask cluster to run on: an explicit client, an address, the default one, or a new LocalCluster."""

from __future__ import annotations

import os

from ..._progress import say

INSTALL = 'pip install "kstar-widgets[dask]"'
CONNECT_TIMEOUT = "5s"


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
    """A client of the scheduler at ``address``; a clear error when none answers."""
    distributed = import_distributed()
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConnectionError(
            f"could not reach a Dask scheduler at {address!r} within {CONNECT_TIMEOUT} "
            f"({type(exc).__name__}: {exc}). Check the address (e.g. 'tcp://host:8786', "
            "printed by `dask scheduler` or cluster.scheduler_address) and that the scheduler "
            "is running and reachable from here, or pass client=None to start a LocalCluster."
        ) from None


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
