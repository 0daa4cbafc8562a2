"""Features from a user's nn.Module and from precomputed arrays."""

import numpy as np
import pytest
from conftest import require_extra

import kstar_widgets as kw
import kstar_widgets.features as kf

torch = require_extra("torch")


class TinyNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.head = torch.nn.Linear(4, 3)

    def forward(self, x):
        return self.head(torch.relu(self.conv(x)).mean(dim=(2, 3)))


def gray_transform(img):
    return torch.from_numpy(np.asarray(img.convert("L"), dtype=np.float32) / 255.0)[None]


def test_module_output_and_submodule_match_a_manual_forward(tmp_path):
    torch.manual_seed(0)
    net = TinyNet()
    data = kw.datasets.digits()
    feats = kw.extract(
        net, data, transform=gray_transform, limit=30, progress=False, cache_dir=tmp_path
    )
    x = torch.stack([gray_transform(data.pil(i)) for i in range(30)])
    with torch.no_grad():
        ref = net(x).numpy()
        conv = torch.relu(net.conv(x)).mean(dim=(2, 3)).numpy()
    np.testing.assert_allclose(feats.features, ref, rtol=1e-5, atol=1e-6)
    assert feats.meta["layer"] == "output" and feats.meta["model"] == "module:TinyNet"
    # a submodule's output is hooked and pooled (conv before the ReLU here)
    hooked = kw.extract(
        net, data, transform=gray_transform, layer="conv", limit=30, progress=False, cache=False
    )
    assert hooked.features.shape == (30, 4)
    assert not np.allclose(hooked.features, conv)  # pre-ReLU differs from post-ReLU
    assert kf.list_layers(net) == ["output", "conv", "head"]
    with pytest.raises(ValueError, match=r"layer='fc'.*output, conv, head"):
        kw.extract(net, data, transform=gray_transform, layer="fc", progress=False)


def test_module_cache_follows_the_weights(tmp_path):
    torch.manual_seed(0)
    net = TinyNet()
    args = dict(transform=gray_transform, limit=10, progress=False, cache_dir=tmp_path)
    assert kw.extract(net, **args).meta["cache"] == "miss"
    assert kw.extract(net, **args).meta["cache"] == "hit"
    with torch.no_grad():
        net.head.bias += 1.0
    changed = kw.extract(net, **args)
    assert changed.meta["cache"] == "miss"


def test_module_default_transform_and_errors():
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3), torch.nn.Flatten(), torch.nn.LazyLinear(5))
    feats = kw.extract(net, image_size=12, limit=4, progress=False, cache=False)
    assert feats.features.shape == (4, 5)
    with pytest.raises(TypeError, match=r"transform must be callable"):
        kw.extract(net, transform="resize", progress=False, cache=False)
    with pytest.raises(ValueError, match=r"transform= is for torch.nn.Module"):
        kw.extract("timm:resnet18", transform=gray_transform, progress=False, cache=False)
    with pytest.raises(TypeError, match=r"spec string or a torch.nn.Module"):
        kf.list_layers(42)
    with pytest.raises(ValueError, match=r"image_size"):
        kw.extract(net, image_size=-1, progress=False)


def test_from_arrays_labels_names_and_kstar():
    X = np.array([[0.0, 0], [0, 1], [5, 5], [5, 6], [9, 0], [9, 1]])
    f = kw.Features.from_arrays(X, [0, 0, 1, 1, 2, 2], concept_names=["a", "b", "c"])
    assert f.features.dtype == np.float32 and f.labels.tolist() == ["a", "a", "b", "b", "c", "c"]
    assert f.codes.tolist() == [0, 0, 1, 1, 2, 2] and f.sample_ids.tolist() == list(range(6))
    res = f.kstar(progress=False)
    assert res.name == "precomputed" and res.k.tolist() == [2] * 6
    g = kw.Features.from_arrays(
        torch.tensor(X), np.array(["x", "y", "x", "y", "x", "y"]), sample_ids=list("abcdef")
    )
    assert (
        g.concept_names == ["x", "y"] and g.codes.tolist() == [0, 1] * 3 and g.sample_ids[-1] == "f"
    )
    with pytest.raises(ValueError, match=r"no images"):
        f.images([0])
    with pytest.raises(ValueError, match=r"labels has 2 entries"):
        kw.Features.from_arrays(X, [0, 1])
    with pytest.raises(ValueError, match=r"index concept_names"):
        kw.Features.from_arrays(X, [0, 0, 1, 1, 2, 3], concept_names=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"not in concept_names"):
        kw.Features.from_arrays(X, list("aabbcd"), concept_names=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"2-d"):
        kw.Features.from_arrays(np.zeros(6), [0] * 6)


@pytest.mark.parametrize("cache", [True, False])
def test_a_model_neither_spec_nor_module_is_refused_alike_with_and_without_cache(tmp_path, cache):
    with pytest.raises(TypeError, match=r"spec string or a torch.nn.Module.*got int"):
        kw.extract(42, limit=4, progress=False, cache=cache, cache_dir=tmp_path)


def test_a_float64_module_takes_float64_images_and_matches_its_float64_forward():
    torch.manual_seed(0)
    net = TinyNet().double()
    data = kw.datasets.digits()
    feats = kw.extract(net, data, transform=gray_transform, limit=20, progress=False, cache=False)
    x = torch.stack([gray_transform(data.pil(i)) for i in range(20)]).double()
    with torch.no_grad():
        ref = net(x).numpy()
    assert feats.features.dtype == np.float32  # features are stored as float32
    np.testing.assert_array_equal(feats.features, ref.astype(np.float32))
