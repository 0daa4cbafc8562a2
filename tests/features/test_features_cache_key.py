"""The cache key of a request stays what it was: a user's existing cache keeps hitting.

The key parts below were read from the code as it was before the features room was
split into modules (2026-12-01); the file name is ``<label>-<sha256 of the parts>[:32].kwf``.
"""

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import pytest

import kstar_widgets as kw
from kstar_widgets.features import _cache
from kstar_widgets.features._module import code_identity

torch = pytest.importorskip("torch")

DIGITS_24 = "a7f09ac401c3bfaa75131141031ceb1f8b140938e7ada5039810ba7b187d7360"
ONE = ["a {}."]


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def _file_name(parts: dict, label: str) -> str:
    """The rule as it was: sha256 of the JSON with sorted keys, a slug of the label."""
    key = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in label)[:60]
    return f"{slug}-{key[:32]}.kwf"


def _base() -> dict:
    return {"data": DIGITS_24, "n_samples": 24, "torch": version("torch"), "weights": "random:0"}


def test_the_key_hash_of_fixed_parts_is_pinned():
    parts = {
        **_base(),
        "image_size": 32,
        "layer": "layer1",
        "model": "timm:resnet18",
        "timm": "1.0.31",
        "torch": "2.14.1",  # fixed versions: the hash alone is pinned here
    }
    assert _cache.cache_key(parts) == (
        "bc4f67eb710f8533a3a22a5bbca822da6ce1870b7305f95d2d1977cff696f34d"
    )


def test_a_timm_request_keeps_its_cache_file(tmp_path):
    pytest.importorskip("timm")
    feats = kw.extract(
        "timm:resnet18", layer="layer1", image_size=32, limit=24, progress=False, cache_dir=tmp_path
    )
    parts = {
        **_base(),
        "image_size": 32,
        "layer": "layer1",
        "model": "timm:resnet18",
        "timm": version("timm"),
    }
    assert Path(feats.meta["cache_path"]).name == _file_name(parts, "timm:resnet18-layer1")


def test_an_open_clip_request_keeps_its_cache_file(tmp_path):
    pytest.importorskip("open_clip")
    feats = kw.extract(
        "OpenCLIP:ViT-B-32/laion2b_s34b_b79k",
        templates=ONE,
        image_size=32,
        limit=24,
        progress=False,
        cache_dir=tmp_path,
    )
    parts = {
        **_base(),
        "image_size": 32,
        "layer": None,
        "model": "open_clip:ViT-B-32/laion2b_s34b_b79k",
        "open_clip_torch": version("open_clip_torch"),
        "templates": ONE,
    }
    name = _file_name(parts, "open_clip:ViT-B-32/laion2b_s34b_b79k-default")
    assert Path(feats.meta["cache_path"]).name == name


def test_a_module_request_has_a_pinned_cache_file(tmp_path):
    net = torch.nn.Sequential(
        torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(3, 2)
    )
    with torch.no_grad():
        net[2].weight.copy_(torch.arange(6.0).reshape(2, 3))
        net[2].bias.zero_()
    feats = kw.extract(net, image_size=8, limit=24, progress=False, cache_dir=tmp_path)
    parts = {
        **_base(),
        "image_size": 8,
        "layer": None,
        "model": "module:Sequential",
        "parameters": "671f9ef177b6b3ea86dbc1f4c99c414dd4a8ef04a923724286b190e10fcfd5d1",
        "transform": None,
        # since 2026-12-01 the module's structure is in the key too (its hash depends on
        # torch's private module attributes, so it is computed here, not pinned)
        "code": code_identity(net),
    }
    assert Path(feats.meta["cache_path"]).name == _file_name(parts, "module:Sequential-default")
