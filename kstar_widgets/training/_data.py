"""The digits as image tensors, split into a training and a held-out part."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(repr=False)
class DigitsSplit:
    """The digits at ``size`` pixels, RGB in [0, 1], with a stratified train/test split.

    Attributes
    ----------
    data : kw.datasets.Digits
        The images (thumbnails, fingerprint) at ``size`` pixels.
    x : float32 torch.Tensor of shape (1797, 3, size, size)
    y : int64 torch.Tensor of shape (1797,)
    train, test : int64 ndarray
        Row indices of the two parts (disjoint, every concept in both).
    """

    data: object
    x: object
    y: object
    train: np.ndarray
    test: np.ndarray

    def __repr__(self):
        side = tuple(self.x.shape[2:])
        return f"DigitsSplit(train={len(self.train)}, test={len(self.test)}, image={side})"

    @property
    def fingerprint(self) -> str:
        """Identity of images and split, for caching trained models."""
        import hashlib

        h = hashlib.sha256(self.data.fingerprint.encode())
        h.update(self.train.tobytes())
        return h.hexdigest()


def digits_split(*, size=32, test_size=0.4, random_state=0) -> DigitsSplit:
    """The 1,797 digits as tensors and a seeded, stratified train/test split.

    Parameters
    ----------
    size : int, default=32
        Side in pixels (the 8x8 images are upsampled bilinearly, as ``kw.datasets.digits(size=)``).
    test_size : float, default=0.4
        Held-out share, in (0, 1).
    random_state : int, default=0

    Returns
    -------
    DigitsSplit

    Example
    -------
    >>> from kstar_widgets.training import digits_split
    >>> split = digits_split(size=16)
    >>> split.x.shape[1:], len(split.train) + len(split.test)
    (torch.Size([3, 16, 16]), 1797)
    """
    import torch
    from sklearn.model_selection import train_test_split

    from ..datasets import digits

    if not 0.0 < float(test_size) < 1.0:
        raise ValueError(f"test_size={test_size!r} must lie strictly between 0 and 1.")
    data = digits(size=size, channels=3)
    pixels = np.stack([np.asarray(data.pil(i)) for i in range(len(data))])
    x = torch.from_numpy(pixels).permute(0, 3, 1, 2).float().div_(255.0).contiguous()
    y = torch.from_numpy(data.labels.copy())
    rows = np.arange(len(data))
    train, test = train_test_split(
        rows, test_size=test_size, random_state=random_state, stratify=data.labels
    )
    return DigitsSplit(data, x, y, np.sort(train).astype(np.int64), np.sort(test).astype(np.int64))
