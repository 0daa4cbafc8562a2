import numpy as np
import pytest


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 1,797 handwritten digits: raw integer pixels (ties are real) and labels."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return x.astype(np.float32), y


@pytest.fixture
def small_blocks():
    """The exact engine in many small row blocks (16 rows) that straddle concept boundaries."""
    from kstar_widgets.engines import ExactEngine

    return ExactEngine(block_rows=16)


@pytest.fixture(scope="session")
def dask_client():
    """One LocalCluster for every Dask test: two single-threaded worker processes, as on the
    2-core machines CI runs on, started by the test run and closed at its end."""
    distributed = require_extra("distributed")
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


def require_extra(module: str):
    """Import an optional extra's module for a test: skip when it is missing, but fail when
    KSTAR_REQUIRE_EXTRAS=1 (.ci/run sets it), so a broken install cannot pass CI as skipped."""
    import importlib
    import os

    if os.environ.get("KSTAR_REQUIRE_EXTRAS") != "1":
        return pytest.importorskip(module)
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(
            f"{module!r} does not import ({exc}) and KSTAR_REQUIRE_EXTRAS=1 requires every "
            "optional extra: pip install -e '.[dev]'",
            pytrace=False,
        )


@pytest.fixture
def lab(request, tmp_path):
    """A Jupyter server (JupyterLab 4 and Notebook 7) over a folder with one notebook, not yet
    run: the test module's ``NOTEBOOK`` (file name) holding its ``CELLS``. Yields (port, root)."""
    from browser_helpers import free_port, jupyter_cmd, start_server, stop, write_notebook

    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / request.module.NOTEBOOK, request.module.CELLS)
    port = free_port()
    proc = start_server(jupyter_cmd(port, tmp_path, root), port, tmp_path, root)
    try:
        yield port, root
    finally:
        stop(proc)
