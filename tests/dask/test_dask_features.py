"""extract() on a Dask LocalCluster: the in-process features, the same cache file, resumable shards."""

from pathlib import Path

import numpy as np
import pytest
from conftest import require_extra

import kstar_widgets as kw
from kstar_widgets.features import _cache

distributed = require_extra("distributed")
require_extra("timm")

SPEC = dict(model="timm:resnet18", image_size=32, limit=160, batch_size=8, progress=False)


@pytest.fixture(scope="module")
def local_features():
    return kw.extract(**SPEC, cache=False).features


def test_dask_features_equal_in_process_and_share_its_cache(client, local_features, tmp_path):
    res = kw.extract(**SPEC, cache_dir=tmp_path, client=client)
    np.testing.assert_allclose(res.features, local_features, rtol=1e-5, atol=1e-6)
    assert res.meta["cache"] == "miss" and res.meta["device"].startswith("dask")
    assert not Path(res.meta["cache_path"] + ".parts").exists()  # parts removed once merged
    again = kw.extract(**SPEC, cache_dir=tmp_path)  # in-process: the same key, a hit
    assert again.meta["cache"] == "hit" and again.meta["cache_path"] == res.meta["cache_path"]
    np.testing.assert_array_equal(again.features, res.features)


def test_interrupted_run_resumes_with_written_shards(client, local_features, tmp_path):
    first = kw.extract(**SPEC, cache_dir=tmp_path, backend="dask")  # the default client
    path = Path(first.meta["cache_path"])
    path.unlink()  # as if the run had stopped before merging
    parts = Path(str(path) + ".parts")
    # shard rows 0-64 "written before the interruption" (a marker value: must be kept),
    # shard 64-128 cut short by the interruption (must be recomputed)
    _cache.save(parts / "rows-0-64.kwf", {"features": np.full((64, 512), 7.0, np.float32)}, {})
    _cache.save(parts / "rows-64-128.kwf", {"features": np.zeros((64, 512), np.float32)}, {})
    blob = (parts / "rows-64-128.kwf").read_bytes()
    (parts / "rows-64-128.kwf").write_bytes(blob[: len(blob) // 2])
    res = kw.extract(**SPEC, cache_dir=tmp_path, client=client)
    assert np.all(res.features[:64] == 7.0)
    np.testing.assert_allclose(res.features[64:], local_features[64:], rtol=1e-5, atol=1e-6)
    assert path.exists() and not parts.exists()


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend='spark' is not known"):
        kw.extract(**SPEC, backend="spark")
