"""Data sets: digits, image folders (odd modes and sizes, errors), torchvision offline."""

import time

import numpy as np
import pytest
from conftest import require_extra
from PIL import Image

import kstar_widgets as kw
from kstar_widgets import datasets


def test_digits_are_the_sklearn_digits():
    from sklearn.datasets import load_digits

    d = datasets.digits()
    ref = load_digits()
    assert len(d) == 1797
    assert d.concept_names == [str(i) for i in range(10)]
    np.testing.assert_array_equal(d.labels, ref.target)
    np.testing.assert_array_equal(d.sample_ids, np.arange(1797))
    img = d.pil(5)
    assert img.mode == "RGB" and img.size == (8, 8)
    # 0..16 scaled to 0..255, gray replicated in the three channels
    arr = np.asarray(img)
    np.testing.assert_array_equal(arr[..., 0], np.round(ref.images[5] * 255 / 16).astype(np.uint8))
    assert (arr[..., 0] == arr[..., 2]).all()
    assert kw.datasets is datasets


def test_digits_size_channels_and_fingerprint():
    small = datasets.digits(size=32, channels=1)
    img = small.pil(0)
    assert img.mode == "L" and img.size == (32, 32)
    assert small.fingerprint != datasets.digits().fingerprint
    assert datasets.digits().fingerprint == datasets.digits().fingerprint
    with pytest.raises(ValueError, match=r"channels"):
        datasets.digits(channels=2)
    with pytest.raises(ValueError, match=r"size"):
        datasets.digits(size=0)


def test_images_thumbnails_shape_and_content():
    d = datasets.digits()
    thumbs = d.images([0, 10, -1], size=16)
    assert thumbs.shape == (3, 16, 16, 3) and thumbs.dtype == np.uint8
    # nearest upsampling by 2 keeps each 8x8 pixel as a 2x2 block
    np.testing.assert_array_equal(thumbs[0, ::2, ::2], np.asarray(d.pil(0)))
    np.testing.assert_array_equal(thumbs[2], d.images([1796], size=16)[0])
    assert d.images(size=8).shape == (1797, 8, 8, 3)
    with pytest.raises(IndexError, match=r"indices"):
        d.images([1797])
    with pytest.raises(ValueError, match=r"size"):
        d.images([0], size=0)


def test_subset_keeps_ids_and_names():
    d = datasets.digits()
    sub = d.subset([5, 3])
    assert len(sub) == 2 and sub.sample_ids.tolist() == [5, 3]
    assert sub.labels.tolist() == [d.labels[5], d.labels[3]]
    assert sub.fingerprint != d.fingerprint
    np.testing.assert_array_equal(np.asarray(sub.pil(1)), np.asarray(d.pil(3)))


@pytest.fixture()
def folder(tmp_path):
    root = tmp_path / "imgs"
    (root / "cat").mkdir(parents=True)
    (root / "dog").mkdir()
    Image.new("L", (13, 7), 100).save(root / "cat" / "gray.png")
    rgba = Image.new("RGBA", (9, 9), (255, 0, 0, 0))  # fully transparent red
    rgba.save(root / "cat" / "clear.png")
    Image.new("RGB", (31, 5), (0, 0, 255)).save(root / "cat" / "wide.jpg")
    Image.new("P", (6, 6), 3).save(root / "dog" / "palette.gif")
    Image.fromarray(np.full((4, 4), 60000, np.uint16)).save(root / "dog" / "deep.png")
    Image.new("RGB", (8, 8), (0, 255, 0)).save(root / "dog" / "green.bmp")
    (root / "dog" / "notes.txt").write_text("not an image")
    return root


def test_image_folder_layout_and_modes(folder):
    d = datasets.image_folder(folder)
    assert d.concept_names == ["cat", "dog"]
    assert d.labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert all(str(p).startswith(str(folder)) for p in d.sample_ids)
    for i in range(len(d)):
        assert d.pil(i).mode == "RGB"
    clear = next(i for i, p in enumerate(d.sample_ids) if p.endswith("clear.png"))
    assert np.asarray(d.pil(clear)).min() == 255  # transparent pixels over white
    thumbs = d.images(size=12)
    assert thumbs.shape == (6, 12, 12, 3)
    wide = next(i for i, p in enumerate(d.sample_ids) if p.endswith("wide.jpg"))
    assert (thumbs[wide, 0] == 255).all()  # letterboxed: a 31x5 image leaves white rows
    assert d.fingerprint == datasets.image_folder(folder).fingerprint


def test_image_folder_per_concept_cap_is_seeded(folder):
    a = datasets.image_folder(folder, per_concept=2, seed=1)
    b = datasets.image_folder(folder, per_concept=2, seed=1)
    assert len(a) == 4 and np.bincount(a.labels).tolist() == [2, 2]
    assert a.sample_ids.tolist() == b.sample_ids.tolist()
    seen = {
        tuple(datasets.image_folder(folder, per_concept=2, seed=s).sample_ids) for s in range(8)
    }
    assert len(seen) > 1
    with pytest.raises(ValueError, match=r"per_concept"):
        datasets.image_folder(folder, per_concept=0)


def test_image_folder_errors_name_the_problem(tmp_path, folder):
    with pytest.raises(ValueError, match=r"does not exist"):
        datasets.image_folder(tmp_path / "missing")
    (tmp_path / "flat").mkdir()
    with pytest.raises(ValueError, match=r"no subfolders"):
        datasets.image_folder(tmp_path / "flat")
    (folder / "empty").mkdir()
    with pytest.raises(ValueError, match=r"empty.*holds no images"):
        datasets.image_folder(folder)
    (folder / "empty" / "broken.png").write_bytes(b"\x89PNG garbage")
    d = datasets.image_folder(folder)
    bad = next(i for i, p in enumerate(d.sample_ids) if p.endswith("broken.png"))
    with pytest.raises(ValueError, match=r"broken\.png"):
        d.pil(bad)


def test_torchvision_offline_fails_fast_and_clearly(tmp_path, monkeypatch):
    require_extra("torchvision")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t0 = time.perf_counter()
    with pytest.raises(ConnectionError, match=r"CIFAR10.*digits\(\)"):
        datasets.torchvision_dataset("CIFAR10", tmp_path)
    assert time.perf_counter() - t0 < 30
    with pytest.raises(ValueError, match=r"download=False"):
        datasets.torchvision_dataset("CIFAR10", tmp_path, download=False)
    with pytest.raises(ValueError, match=r"CIFAR10"):
        datasets.torchvision_dataset("CIFAR11", tmp_path)


def test_torchvision_wrapper_reads_a_local_dataset(tmp_path):
    tvd = require_extra("torchvision.datasets")
    root = tmp_path / "tv"
    for c, color in (("a", (255, 0, 0)), ("b", (0, 0, 255))):
        (root / c).mkdir(parents=True)
        for k in range(2):
            Image.new("RGB", (5, 5), color).save(root / c / f"{k}.png")
    ds = datasets.TorchvisionDataset(tvd.ImageFolder(root), "ImageFolder", "test")
    assert ds.concept_names == ["a", "b"] and ds.labels.tolist() == [0, 0, 1, 1]
    assert ds.images([3], size=5)[0, 2, 2].tolist() == [0, 0, 255]
