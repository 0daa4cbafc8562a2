"""timm models: layers, shapes, the weights loading path, errors; all random-init, offline, 32 px."""

import time

import numpy as np
import pytest
from conftest import require_extra

import kstar_widgets as kw
import kstar_widgets.features as kf

timm = require_extra("timm")
torch = require_extra("torch")

SMALL = dict(image_size=32, limit=40, progress=False, cache=False)


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_list_layers_resnet18():
    assert kf.list_layers("timm:resnet18") == [
        "logits",
        "pre_logits",
        "act1",
        "layer1",
        "layer2",
        "layer3",
        "layer4",
    ]


@pytest.mark.parametrize(
    ("layer", "dim"),
    [("pre_logits", 512), ("logits", 1000), ("act1", 64), ("layer2", 128), ("stage4", 512)],
)
def test_resnet18_layer_shapes(layer, dim):
    feats = kw.extract("timm:resnet18", layer=layer, **SMALL)
    assert feats.features.shape == (40, dim) and feats.features.dtype == np.float32
    assert np.isfinite(feats.features).all()
    assert feats.meta["layer"] == (("layer4") if layer == "stage4" else layer)


def test_pre_logits_is_pooled_layer4_and_default_data_is_digits():
    pre = kw.extract("timm:resnet18", **SMALL)
    last = kw.extract("timm:resnet18", layer="layer4", **SMALL)
    # ResNet's pre-logits are the global average pool of its last stage
    np.testing.assert_allclose(pre.features, last.features, rtol=1e-5, atol=1e-6)
    assert pre.concept_names == [str(i) for i in range(10)]
    assert pre.labels.tolist() == [str(c) for c in kw.datasets.digits().labels[:40]]
    assert pre.sample_ids.tolist() == list(range(40))
    assert pre.meta["model"] == "timm:resnet18" and pre.meta["weights"] == "random"
    assert "Resize" in pre.meta["preprocessing"] and pre.meta["device"] == "cpu"
    assert pre.images([0], size=8).shape == (1, 8, 8, 3)


def test_random_init_is_reproducible_and_indices_select_rows():
    a = kw.extract("timm:resnet18", **SMALL)
    b = kw.extract("timm:resnet18", indices=[3, 1], **{**SMALL, "limit": None})
    np.testing.assert_allclose(b.features, a.features[[3, 1]], rtol=1e-5, atol=1e-6)
    assert b.sample_ids.tolist() == [3, 1]


def test_vit_intermediate_blocks_at_small_size():
    layers = kf.list_layers("timm:vit_tiny_patch16_224", image_size=32)
    assert layers[:2] == ["logits", "pre_logits"] and "blocks.11" in layers
    feats = kw.extract("timm:vit_tiny_patch16_224", layer="blocks.5", **SMALL)
    assert feats.features.shape == (40, 192)


def test_local_weights_file_through_timm_loading_path(tmp_path):
    torch.manual_seed(123)
    model = timm.create_model("resnet18", pretrained=False).eval()
    path = tmp_path / "resnet18_weights.pth"
    torch.save(model.state_dict(), path)
    loaded = kw.extract("timm:resnet18", pretrained=str(path), **SMALL)
    assert loaded.meta["weights"] == str(path)
    # the same model, run by hand with timm's own preprocessing
    cfg = timm.data.resolve_data_config({}, model=model)
    cfg["input_size"] = (3, 32, 32)
    tf = timm.data.create_transform(**cfg)
    data = kw.datasets.digits()
    x = torch.stack([tf(data.pil(i)) for i in range(40)])
    # extract() runs timm models channels-last; the same layout gives bit-identical results
    model = model.to(memory_format=torch.channels_last)
    x = x.contiguous(memory_format=torch.channels_last)
    with torch.inference_mode():
        ref = model.forward_head(model.forward_features(x), pre_logits=True).numpy()
    np.testing.assert_array_equal(loaded.features, ref)
    random = kw.extract("timm:resnet18", **SMALL)
    assert not np.allclose(random.features, loaded.features)


def test_pretrained_offline_fails_fast_with_ways_forward():
    t0 = time.perf_counter()
    with pytest.raises(
        kf.WeightsUnavailableError, match=r"timm:resnet18.*pretrained=False.*from_arrays"
    ):
        kw.extract("timm:resnet18", pretrained=True, **SMALL)
    assert time.perf_counter() - t0 < 30


def test_unknown_model_and_layer_errors():
    with pytest.raises(ValueError, match=r"no model named 'resnet81'.*resnet18"):
        kw.extract("timm:resnet81", **SMALL)
    with pytest.raises(ValueError, match=r"layer='fc7'.*pre_logits, act1, layer1"):
        kw.extract("timm:resnet18", layer="fc7", **SMALL)
    with pytest.raises(ValueError, match=r"timm:<name>"):
        kw.extract("resnet18", **SMALL)
    with pytest.raises(ValueError, match=r"not a file"):
        kw.extract("timm:resnet18", pretrained="/no/such/weights.pth", **SMALL)
    with pytest.raises(TypeError, match=r"kw\.datasets"):
        kw.extract("timm:resnet18", np.zeros((4, 8, 8)), **SMALL)
    with pytest.raises(ValueError, match=r"batch_size"):
        kw.extract("timm:resnet18", batch_size=0, **SMALL)


def test_image_folder_features_keep_paths(tmp_path):
    from PIL import Image

    for c, color in (("red", (250, 10, 10)), ("blue", (10, 10, 250))):
        (tmp_path / c).mkdir()
        for k in range(3):
            Image.new("RGBA" if k else "L", (20 + k, 11), color if k else 128).save(
                tmp_path / c / f"{k}.png"
            )
    data = kw.datasets.image_folder(tmp_path)
    feats = kw.extract("timm:resnet18", data, batch_size=4, **{**SMALL, "limit": None})
    assert feats.features.shape == (6, 512)
    assert feats.labels.tolist() == ["blue"] * 3 + ["red"] * 3
    assert feats.sample_ids[0].endswith("blue/0.png")
    with pytest.warns(kw.DegenerateSpaceWarning, match="distance 0"):  # the grey images match
        res = feats.kstar(progress=False)
    assert res.name == "timm:resnet18/pre_logits" and len(res.k) == 6


def test_unreachable_hub_is_detected_and_env_restored(monkeypatch):
    import huggingface_hub.constants as hf_constants

    from kstar_widgets.features import _offline

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(_offline, "_hub_reachable_cached", lambda stamp: False)
    before = hf_constants.HF_HUB_OFFLINE
    with pytest.raises(kf.WeightsUnavailableError, match="network is unreachable"):
        kw.extract("timm:resnet18", pretrained=True, **SMALL)
    assert "HF_HUB_OFFLINE" not in __import__("os").environ
    assert hf_constants.HF_HUB_OFFLINE == before


def test_progress_bar_reports_images_per_second(capsys):
    kw.extract("timm:resnet18", image_size=32, limit=8, progress=True, cache=False)
    err = capsys.readouterr().err
    assert "timm:resnet18 pre_logits" in err and "img/s" in err


def test_import_loads_no_model_library():
    import subprocess
    import sys

    code = (
        "import sys, kstar_widgets, kstar_widgets.features, kstar_widgets.datasets;"
        "print(sorted(m for m in ('torch', 'timm', 'open_clip', 'torchvision') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
