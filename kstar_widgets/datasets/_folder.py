"""Images in one subfolder per concept (torchvision's ImageFolder layout)."""

from __future__ import annotations

import hashlib
import numbers
import os
from pathlib import Path

import numpy as np

from ._base import ImageDataset, to_rgb

IMAGE_EXTENSIONS = (
    ".jpg",
    ".jpeg",
    ".png",
    ".ppm",
    ".bmp",
    ".pgm",
    ".tif",
    ".tiff",
    ".webp",
    ".gif",
)


class ImageFolder(ImageDataset):
    """Images found under ``root/<concept>/<file>``; ``sample_ids`` are the file paths."""

    def __init__(self, path, *, per_concept=None, seed=0):
        root = Path(path).expanduser()
        if not root.is_dir():
            raise ValueError(
                f"image folder {str(root)!r} does not exist or is not a directory; pass a folder "
                "with one subfolder per concept, e.g. root/cat/001.jpg, root/dog/002.png."
            )
        if per_concept is not None and (
            isinstance(per_concept, bool)
            or not isinstance(per_concept, numbers.Integral)
            or per_concept < 1
        ):
            raise ValueError(f"per_concept={per_concept!r} must be None or a positive int.")
        subdirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        if not subdirs:
            raise ValueError(
                f"image folder {str(root)!r} has no subfolders; put each concept's images in "
                "its own subfolder, e.g. root/cat/001.jpg."
            )
        rng = np.random.default_rng(seed)
        files, labels, names = [], [], []
        for sub in subdirs:
            found = sorted(
                p
                for p in sub.rglob("*")
                if p.suffix.lower() in IMAGE_EXTENSIONS
                and p.is_file()
                and not p.name.startswith(".")
            )
            if not found:
                raise ValueError(
                    f"concept folder {str(sub)!r} holds no images (extensions: "
                    f"{', '.join(IMAGE_EXTENSIONS)}); add images or remove the folder."
                )
            if per_concept is not None and len(found) > per_concept:
                keep = np.sort(rng.choice(len(found), size=int(per_concept), replace=False))
                found = [found[k] for k in keep]
            labels += [len(names)] * len(found)
            names.append(sub.name)
            files += found
        self.root = root
        self.labels = np.asarray(labels, dtype=np.int64)
        self.concept_names = names
        self.sample_ids = np.asarray([str(p) for p in files], dtype=object)
        # identity by relative path, size and modification time: hashing every byte of a
        # large folder would cost more than the extraction it saves
        h = hashlib.sha256(b"image-folder")
        for p, lab in zip(files, labels, strict=False):
            st = p.stat()
            h.update(f"{p.relative_to(root)}\0{lab}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        self.fingerprint = h.hexdigest()

    def _pil(self, i):
        from PIL import Image, UnidentifiedImageError

        path = self.sample_ids[i]
        try:
            with Image.open(path) as img:
                img.load()
                return to_rgb(img)
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise ValueError(
                f"cannot read image {path!r} ({type(exc).__name__}: {exc}); "
                "delete or replace the file, or lower per_concept to skip it."
            ) from exc


def image_folder(path, *, per_concept=None, seed=0) -> ImageFolder:
    """Images in one subfolder per concept (``root/<concept>/<image>``).

    Parameters
    ----------
    path : str or os.PathLike
        The root folder; each non-hidden subfolder is a concept (sorted by name).
    per_concept : int, optional
        Keep at most this many images per concept, drawn at random with ``seed``.
    seed : int, default=0
        Seed of the per-concept draw.

    Returns
    -------
    ImageFolder
        Grayscale, palette, 16-bit and RGBA images (alpha over white) are all
        read as 8-bit RGB at their own size; ``sample_ids`` are the file paths.

    Example
    -------
    >>> import kstar_widgets as kw
    >>> data = kw.datasets.image_folder("photos/", per_concept=100)  # doctest: +SKIP
    """
    return ImageFolder(os.fspath(path), per_concept=per_concept, seed=seed)
