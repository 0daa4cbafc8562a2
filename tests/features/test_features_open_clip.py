"""open_clip models: embeddings, text embeddings, zero-shot accuracy, weights path, errors."""

import time

import numpy as np
import pytest
from conftest import require_extra

import kstar_widgets as kw
import kstar_widgets.features as kf

open_clip = require_extra("open_clip")
torch = require_extra("torch")

SMALL = dict(image_size=32, limit=40, progress=False, cache=False)
ONE = ["a photo of the digit {}."]  # one template keeps the CPU text encoder quick


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def vit_b32():
    return kw.extract("open_clip:ViT-B-32/laion2b_s34b_b79k", templates=ONE, **SMALL)


def test_embeddings_raw_and_normalized(vit_b32):
    assert vit_b32.features.shape == (40, 512) and vit_b32.meta["layer"] == "embedding"
    assert vit_b32.meta["weights"] == "random"
    normed = kw.extract(
        "open_clip:ViT-B-32/laion2b_s34b_b79k", layer="embedding_normalized", templates=ONE, **SMALL
    )
    np.testing.assert_allclose(np.linalg.norm(normed.features, axis=1), 1.0, rtol=1e-5)
    ref = vit_b32.features / np.linalg.norm(vit_b32.features, axis=1, keepdims=True)
    np.testing.assert_allclose(normed.features, ref, rtol=1e-4, atol=1e-6)
    assert kf.list_layers("open_clip:ViT-B-32", image_size=32) == [
        "embedding",
        "embedding_normalized",
    ]


def test_text_embeddings_of_concept_names(vit_b32):
    t = vit_b32.text_embeddings
    assert t.shape == (10, 512) and t.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(t, axis=1), 1.0, rtol=1e-5)
    again = kf.text_embeddings(
        "open_clip:ViT-B-32", vit_b32.concept_names, templates=ONE, image_size=32
    )
    np.testing.assert_allclose(again, t, rtol=1e-5, atol=1e-6)
    two = kf.text_embeddings(
        "open_clip:ViT-B-32", ["3", "7"], templates=["{}", "the digit {}"], image_size=32
    )
    assert two.shape == (2, 512) and not np.allclose(two[0], t[3])
    # the mean over templates of the normalised prompt embeddings, renormalised
    singles = [
        kf.text_embeddings("open_clip:ViT-B-32", ["7"], templates=[tp], image_size=32)[0]
        for tp in ("{}", "the digit {}")
    ]
    mean = np.mean(singles, axis=0)
    np.testing.assert_allclose(two[1], mean / np.linalg.norm(mean), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match=r"'{}'"):
        kf.text_embeddings("open_clip:ViT-B-32", ["3"], templates=["no slot"], image_size=32)
    with pytest.raises(ValueError, match=r"open_clip model"):
        kf.text_embeddings("timm:resnet18", ["3"])


def test_zero_shot_accuracy_matches_brute_force(vit_b32):
    acc = kf.zero_shot_accuracy(vit_b32)
    assert list(acc.index) == vit_b32.concept_names
    sims = vit_b32.features @ vit_b32.text_embeddings.T
    pred = np.asarray(vit_b32.concept_names)[sims.argmax(axis=1)]
    for name in vit_b32.concept_names:
        mine = vit_b32.labels == name
        assert acc[name] == pytest.approx((pred[mine] == name).mean())
    assert acc.attrs["overall"] == pytest.approx((pred == vit_b32.labels).mean())
    # class means as "text": each sample nearest its own mean direction scores well
    means = np.stack([vit_b32.features[vit_b32.codes == c].mean(0) for c in range(10)])
    assert kf.zero_shot_accuracy(vit_b32, means).attrs["overall"] > acc.attrs["overall"]
    with pytest.raises(ValueError, match=r"shape"):
        kf.zero_shot_accuracy(vit_b32, means[:3])


def test_local_weights_file_through_open_clip_loading_path(tmp_path):
    torch.manual_seed(7)
    model, _, preprocess = open_clip.create_model_and_transforms(
        "ViT-S-32", pretrained=None, force_image_size=32
    )
    path = tmp_path / "vit_s32.pt"
    torch.save(model.state_dict(), path)
    feats = kw.extract("open_clip:ViT-S-32", pretrained=str(path), **SMALL)
    data = kw.datasets.digits()
    x = torch.stack([preprocess(data.pil(i)) for i in range(40)])
    with torch.inference_mode():
        ref = model.eval().encode_image(x).numpy()
    np.testing.assert_array_equal(feats.features, ref)
    assert feats.meta["weights"] == str(path)


def test_open_clip_errors():
    with pytest.raises(ValueError, match=r"no model named 'ViT-B-23'.*ViT-B-32"):
        kw.extract("open_clip:ViT-B-23", **SMALL)
    with pytest.raises(ValueError, match=r"layer='pre_logits'.*embedding, embedding_normalized"):
        kw.extract("open_clip:ViT-B-32", layer="pre_logits", **SMALL)
    with pytest.raises(ValueError, match=r"laion2b_s34b_b79k"):
        kw.extract("open_clip:ViT-B-32", pretrained=True, **SMALL)
    with pytest.raises(ValueError, match=r"no weights 'nope'"):
        kw.extract("open_clip:ViT-B-32/nope", pretrained=True, **SMALL)
    t0 = time.perf_counter()
    with pytest.raises(
        kf.WeightsUnavailableError, match=r"ViT-B-32/laion2b_s34b_b79k.*pretrained=False"
    ):
        kw.extract("open_clip:ViT-B-32/laion2b_s34b_b79k", pretrained=True, **SMALL)
    assert time.perf_counter() - t0 < 30
