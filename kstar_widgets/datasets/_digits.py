"""scikit-learn's handwritten digits: 1,797 real 8x8 images in 10 concepts, no network."""

from __future__ import annotations

import hashlib
import numbers

import numpy as np

from ._base import ImageDataset


class Digits(ImageDataset):
    """The digits as images; ``size`` upsamples them, ``channels`` is 1 (L) or 3 (RGB)."""

    def __init__(self, *, size=None, channels=3):
        from sklearn.datasets import load_digits

        if size is not None and (
            isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1
        ):
            raise ValueError(f"size={size!r} must be None (native 8x8) or a positive int.")
        if channels not in (1, 3):
            raise ValueError(f"channels={channels!r} must be 1 (grayscale) or 3 (RGB).")
        bunch = load_digits()
        # pixel values are ints 0..16: scale to the full 8-bit range
        self.pixels = np.round(bunch.images * (255.0 / 16.0)).astype(np.uint8)
        self.labels = bunch.target.astype(np.int64)
        self.concept_names = [str(c) for c in bunch.target_names]
        self.sample_ids = np.arange(len(self.labels), dtype=np.int64)
        self.size = None if size is None else int(size)
        self.channels = int(channels)
        h = hashlib.sha256(b"sklearn-digits")
        h.update(self.pixels.tobytes())
        h.update(self.labels.tobytes())
        h.update(f"{self.size}/{self.channels}".encode())
        self.fingerprint = h.hexdigest()

    def _pil(self, i):
        from PIL import Image

        img = Image.fromarray(self.pixels[i], mode="L")
        if self.size is not None and self.size != 8:
            img = img.resize((self.size, self.size), Image.BILINEAR)
        return img.convert("RGB") if self.channels == 3 else img


def digits(*, size=None, channels=3) -> Digits:
    """scikit-learn's handwritten digits (1,797 images, concepts "0".."9"), offline.

    Parameters
    ----------
    size : int, optional
        Side in pixels each image is upsampled to (bilinear); None keeps 8x8 and
        lets the model's own preprocessing resize it to its input size.
    channels : {1, 3}, default=3
        3 gives RGB images (gray replicated), 1 gives single-channel "L" images.

    Returns
    -------
    Digits
        ``labels`` int64 (1797,), ``concept_names`` ["0", ..., "9"],
        ``sample_ids`` the index in ``sklearn.datasets.load_digits()``.

    Example
    -------
    >>> import kstar_widgets as kw
    >>> data = kw.datasets.digits()
    >>> len(data), data.concept_names[:3], data.pil(0).size
    (1797, ['0', '1', '2'], (8, 8))
    """
    return Digits(size=size, channels=channels)
