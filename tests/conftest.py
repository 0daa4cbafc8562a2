import numpy as np
import pytest


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 1,797 handwritten digits: raw integer pixels (ties are real) and labels."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return x.astype(np.float32), y


@pytest.fixture
def small_blocks(monkeypatch):
    """Force the exact engine into many small row blocks that straddle concept boundaries."""
    import kstar_widgets.engines.exact as exact

    monkeypatch.setattr(exact, "work_budget", lambda device: 1)


@pytest.fixture(scope="session")
def dask_client():
    """One LocalCluster for every Dask test: two single-threaded worker processes, as on the
    2-core machines CI runs on, started by the test run and closed at its end."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit="4GiB",  # timm and torch in a worker; 2 x 4 GiB of this 24 GiB box
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture
def client(dask_client):
    """The session's Dask client, with both workers back (a test may have killed one).

    A nanny restarts a dead worker, which on a loaded 2-core machine (importing torch) can
    take minutes; a worker that did not come back is started anew by scaling to 2."""
    try:
        dask_client.wait_for_workers(2, timeout=120)
    except TimeoutError:
        dask_client.cluster.scale(2)
        dask_client.wait_for_workers(2, timeout=300)
    return dask_client


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under playwright (tests/browser_helpers.py: flags, skip or fail)."""
    from browser_helpers import ARGS, CHROMIUM, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
