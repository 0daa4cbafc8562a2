"""Labelled image data sets with thumbnails: digits (offline), image folders, torchvision.

Every data set exposes ``len()``, ``labels`` (int64 codes into
``concept_names``), ``concept_names``, ``sample_ids`` (index or file path),
``fingerprint`` (content identity, for caching), ``pil(i)`` and
``images(indices=None, *, size=48)`` (uint8 thumbnails (m, size, size, 3)).
"""

from ._base import ImageDataset, Subset, to_rgb
from ._digits import Digits, digits
from ._folder import IMAGE_EXTENSIONS, ImageFolder, image_folder
from ._torchvision import TorchvisionDataset, torchvision_dataset

__all__ = [
    "IMAGE_EXTENSIONS",
    "Digits",
    "ImageDataset",
    "ImageFolder",
    "Subset",
    "TorchvisionDataset",
    "digits",
    "image_folder",
    "to_rgb",
    "torchvision_dataset",
]
