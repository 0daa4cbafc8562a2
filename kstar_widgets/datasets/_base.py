"""The image data set interface every source implements, and its thumbnails."""

from __future__ import annotations

import hashlib
import numbers

import numpy as np


def to_rgb(img):
    """Return a PIL image as 8-bit RGB: alpha over white, 16-bit and float scaled to 0..255."""
    from PIL import Image

    if img.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = np.zeros_like(arr) if hi == lo else (arr - lo) * (255.0 / (hi - lo))
        img = Image.fromarray(np.round(scaled).astype(np.uint8), mode="L")
    if img.mode == "P" or img.mode == "LA" or img.mode == "PA":
        img = img.convert("RGBA")
    if img.mode == "RGBA":
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)
    return img.convert("RGB") if img.mode != "RGB" else img


def check_indices(indices, n: int) -> np.ndarray:
    """Return indices as int64 (m,) within [0, n); None means all."""
    if indices is None:
        return np.arange(n, dtype=np.int64)
    if isinstance(indices, numbers.Integral):
        indices = [indices]
    arr = np.asarray(indices)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"a boolean mask must have shape ({n},), got {arr.shape}.")
        return np.flatnonzero(arr).astype(np.int64)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"indices must be integers, got dtype {arr.dtype}.")
    arr = arr.astype(np.int64).ravel()
    if arr.size and (arr.min() < -n or arr.max() >= n):
        raise IndexError(f"indices must lie in [0, {n}); got min {arr.min()}, max {arr.max()}.")
    return np.where(arr < 0, arr + n, arr)


class ImageDataset:
    """Labelled images with thumbnails: the interface `extract` and the widgets use.

    Subclasses set ``labels`` (int64 codes into ``concept_names``),
    ``concept_names`` (list of str), ``sample_ids`` (dataset index or file path)
    and ``fingerprint`` (a hash of content identity), and implement ``_pil(i)``.
    """

    labels: np.ndarray
    concept_names: list
    sample_ids: np.ndarray
    fingerprint: str

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n={len(self)}, concepts={len(self.concept_names)}, "
            f"fingerprint={self.fingerprint[:12]!r})"
        )

    def _pil(self, i: int):
        raise NotImplementedError

    def pil(self, i):
        """Return sample ``i`` as a PIL image in RGB (or L for single-channel data sets)."""
        (idx,) = check_indices(int(i), len(self))
        return self._pil(int(idx))

    @property
    def label_names(self) -> np.ndarray:
        """Concept name of each sample, shape (n,)."""
        return np.asarray(self.concept_names, dtype=object)[self.labels]

    def images(self, indices=None, *, size=48) -> np.ndarray:
        """Thumbnails as uint8 of shape (m, size, size, 3), letterboxed on white.

        Example
        -------
        >>> import kstar_widgets as kw
        >>> kw.datasets.digits().images([0, 1], size=32).shape
        (2, 32, 32, 3)
        """
        from PIL import Image

        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ValueError(f"size={size!r} must be a positive int (thumbnail side in pixels).")
        idx = check_indices(indices, len(self))
        out = np.full((len(idx), size, size, 3), 255, dtype=np.uint8)
        for row, i in enumerate(idx):
            img = to_rgb(self._pil(int(i)))
            w, h = img.size
            scale = size / max(w, h)
            nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
            resample = Image.NEAREST if scale >= 2 else Image.BILINEAR
            thumb = np.asarray(img.resize((nw, nh), resample))
            top, left = (size - nh) // 2, (size - nw) // 2
            out[row, top : top + nh, left : left + nw] = thumb
        return out

    def subset(self, indices) -> Subset:
        """A view on some samples, keeping concept names and sample ids."""
        return Subset(self, check_indices(indices, len(self)))


class Subset(ImageDataset):
    """Some samples of another data set, in the given order."""

    def __init__(self, parent: ImageDataset, indices: np.ndarray):
        self.parent = parent
        self.indices = indices
        self.labels = parent.labels[indices]
        self.concept_names = list(parent.concept_names)
        self.sample_ids = parent.sample_ids[indices]
        digest = hashlib.sha256(parent.fingerprint.encode() + indices.tobytes()).hexdigest()
        self.fingerprint = digest

    def _pil(self, i):
        return self.parent._pil(int(self.indices[i]))
