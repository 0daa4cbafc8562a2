"""The on-disk feature cache: round trip, atomic writes, corruption, hit/miss through extract()."""

import json
import os
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.features import _cache

_OUT = dict(capture_output=True, text=True, check=True)


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_round_trip_keeps_arrays_and_meta(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {
        "features": rng.standard_normal((7, 5)).astype(np.float32),
        "text": np.arange(6.0).reshape(2, 3),
    }
    path = tmp_path / "sub" / "x.kwf"
    _cache.save(path, arrays, {"model": "m", "n": 7})
    got, meta = _cache.load(path)
    assert meta == {"model": "m", "n": 7}
    for k, v in arrays.items():
        np.testing.assert_array_equal(got[k], v)
        assert got[k].dtype == v.dtype
    assert os.listdir(path.parent) == ["x.kwf"]  # no temp file left behind


@pytest.mark.parametrize("damage", ["truncate", "flip", "magic", "extra", "empty"])
def test_damaged_files_read_as_misses(tmp_path, damage):
    path = tmp_path / "x.kwf"
    _cache.save(path, {"features": np.ones((50, 8), np.float32)}, {})
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[:-9]
    elif damage == "flip":
        raw[-100] ^= 0x10
    elif damage == "magic":
        raw[0] ^= 0xFF
    elif damage == "extra":
        raw += b"\0"
    else:
        raw = b""
    path.write_bytes(bytes(raw))
    assert _cache.load(path) is None
    assert _cache.load(tmp_path / "absent.kwf") is None


def test_interrupted_write_leaves_old_file_valid(tmp_path, monkeypatch):
    path = tmp_path / "x.kwf"
    _cache.save(path, {"features": np.zeros((3, 2), np.float32)}, {"v": 1})

    def killed(src, dst):
        raise KeyboardInterrupt  # the process dies between writing and renaming

    monkeypatch.setattr(_cache.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        _cache.save(path, {"features": np.ones((3, 2), np.float32)}, {"v": 2})
    monkeypatch.undo()
    arrays, meta = _cache.load(path)
    assert meta == {"v": 1} and arrays["features"].sum() == 0
    assert os.listdir(tmp_path) == ["x.kwf"]


def test_cache_dir_default_env_and_argument(tmp_path, monkeypatch):
    monkeypatch.delenv("KSTAR_WIDGETS_CACHE", raising=False)
    assert "kstar_widgets" in str(_cache.cache_dir())
    monkeypatch.setenv("KSTAR_WIDGETS_CACHE", str(tmp_path / "env"))
    assert _cache.cache_dir() == tmp_path / "env"
    assert _cache.cache_dir(tmp_path / "arg") == tmp_path / "arg"


def test_large_cache_hit_loads_fast(tmp_path):
    X = np.random.default_rng(1).random((50_000, 768), dtype=np.float32)
    path = tmp_path / "big.kwf"
    _cache.save(path, {"features": X}, {})
    _cache.load(path)  # warm the page cache, as a second run would find it
    t0 = time.perf_counter()
    arrays, _ = _cache.load(path)
    seconds = time.perf_counter() - t0
    np.testing.assert_array_equal(arrays["features"], X)
    assert seconds < 1.0, seconds


def test_extract_miss_hit_off_and_corrupted(tmp_path, monkeypatch):
    kw_args = dict(image_size=32, limit=24, progress=False, cache_dir=tmp_path)
    first = kw.extract("timm:resnet18", **kw_args)
    assert first.meta["cache"] == "miss"
    path = first.meta["cache_path"]
    assert os.path.isfile(path) and path.endswith(".kwf")
    second = kw.extract("timm:resnet18", **kw_args)
    assert second.meta["cache"] == "hit" and second.meta["seconds"] == first.meta["seconds"]
    np.testing.assert_array_equal(second.features, first.features)
    assert second.labels.tolist() == first.labels.tolist()

    other_layer = kw.extract("timm:resnet18", layer="layer3", **kw_args)
    assert other_layer.meta["cache"] == "miss" and other_layer.meta["cache_path"] != path
    other_data = kw.extract("timm:resnet18", **{**kw_args, "limit": 25})
    assert other_data.meta["cache"] == "miss"

    with open(path, "r+b") as fh:  # corrupt the stored features
        fh.seek(-20, os.SEEK_END)
        fh.write(b"\xff" * 8)
    again = kw.extract("timm:resnet18", **kw_args)
    assert again.meta["cache"] == "miss"
    np.testing.assert_array_equal(again.features, first.features)
    assert kw.extract("timm:resnet18", **kw_args).meta["cache"] == "hit"

    n_files = len(os.listdir(tmp_path))
    off = kw.extract("timm:resnet18", **{**kw_args, "cache": False})
    assert off.meta["cache"] == "off" and len(os.listdir(tmp_path)) == n_files

    monkeypatch.setenv("KSTAR_WIDGETS_CACHE", str(tmp_path / "env"))
    via_env = kw.extract("timm:resnet18", image_size=32, limit=24, progress=False)
    assert via_env.meta["cache_path"].startswith(str(tmp_path / "env"))


def test_cache_hit_builds_no_model(tmp_path, monkeypatch):
    from kstar_widgets.features import _extract

    args = dict(image_size=32, limit=12, progress=False, cache_dir=tmp_path)
    first = kw.extract("timm:resnet18", layer="layer1", **args)

    def no_model(*a, **k):
        raise AssertionError("a cache hit must not build the model")

    monkeypatch.setattr(_extract, "load_backbone", no_model)
    hit = kw.extract("timm:resnet18", layer="layer1", **args)
    assert hit.meta["cache"] == "hit" and hit.meta["preprocessing"] == first.meta["preprocessing"]
    np.testing.assert_array_equal(hit.features, first.features)
    with pytest.raises(AssertionError, match="must not build"):
        kw.extract("timm:resnet18", layer="layer2", **args)


def _write_header(path, header: dict, payload: bytes = b"") -> None:
    """A file in the cache's layout with a hand-made header."""
    raw = json.dumps(header).encode()
    path.write_bytes(_cache.MAGIC + struct.pack("<Q", len(raw)) + raw + payload)


def test_a_header_promising_more_than_the_file_holds_is_a_miss(tmp_path):
    path = tmp_path / "x.kwf"
    spec = {"dtype": "<f4", "shape": [250_000_000_000_000, 1], "offset": 0, "nbytes": 10**15}
    _write_header(path, {"arrays": {"features": {**spec, "crc32": 0}}, "meta": {}, "total": 10**15})
    assert _cache.load(path) is None  # refused before allocating 909 TiB
    small = {"dtype": "<f4", "shape": [3, 2], "offset": 0, "nbytes": 16, "crc32": 0}
    _write_header(path, {"arrays": {"features": small}, "meta": {}, "total": 16}, b"\0" * 16)
    assert _cache.load(path) is None  # 16 bytes cannot hold 3 x 2 float32


def test_a_well_formed_file_of_another_shape_is_a_miss(tmp_path):
    path = tmp_path / "x.kwf"
    _cache.save(path, {"features": np.ones((5, 3), np.float32)}, {})
    assert _cache.load(path, rows=5) is not None
    assert _cache.load(path, rows=6) is None
    _cache.save(path, {"features": np.ones((5, 3), np.float64)}, {})
    assert _cache.load(path, rows=5) is None
    _cache.save(path, {"features": np.ones(15, np.float32)}, {})
    assert _cache.load(path) is None


def test_extract_recomputes_over_a_file_that_does_not_match(tmp_path):
    args = dict(image_size=32, limit=12, progress=False, cache_dir=tmp_path)
    first = kw.extract("timm:resnet18", layer="layer1", **args)
    path = first.meta["cache_path"]
    for wrong in (np.zeros((5, 64), np.float32), first.features.astype(np.float64)):
        _cache.save(path, {"features": wrong}, {"cache": "stale"})
        again = kw.extract("timm:resnet18", layer="layer1", **args)
        assert again.meta["cache"] == "miss"
        np.testing.assert_array_equal(again.features, first.features)
        assert kw.extract("timm:resnet18", layer="layer1", **args).meta["cache"] == "hit"


def test_temp_files_of_killed_writers_are_removed_on_the_next_write(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **_OUT)
    host = _cache.HOST
    killed = tmp_path / f"a.kwf.{host}.{int(dead.stdout)}.k1ll3d.tmp"
    old = tmp_path / "b.kwf.oldformat.tmp"
    live = tmp_path / f"c.kwf.{host}.{os.getpid()}.wr1t1ng.tmp"
    other_host = tmp_path / f"d.kwf.elsewhere.{int(dead.stdout)}.wr1t1ng.tmp"
    for tmp in (killed, old, live, other_host):
        tmp.write_bytes(b"partial")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    _cache.save(tmp_path / "x.kwf", {"features": np.ones((2, 2), np.float32)}, {})
    assert sorted(os.listdir(tmp_path)) == sorted(["x.kwf", live.name, other_host.name])
