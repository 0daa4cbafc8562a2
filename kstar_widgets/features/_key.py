"""The cache key of an extraction, computed without building the model."""

from __future__ import annotations

import os
import re
from importlib.metadata import PackageNotFoundError, version

from ._backbone import INIT_SEED
from ._spec import local_weights, parse_spec


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "missing"


def _describe(transform) -> str | None:
    """A transform's identity that is stable across processes (no memory addresses)."""
    if transform is None:
        return None
    if getattr(transform, "__qualname__", None) and getattr(transform, "__module__", None):
        return f"{transform.__module__}.{transform.__qualname__}"
    return re.sub(r" at 0x[0-9a-fA-F]+", "", " ".join(repr(transform).split()))


def weights_identity(pretrained) -> str:
    """ "random:<seed>", "pretrained", or a local file by path, size and mtime (hashing GBs costs too much)."""
    path = local_weights(pretrained)
    if path is not None:
        st = os.stat(path)
        return f"file:{path}:{st.st_size}:{st.st_mtime_ns}"
    return "pretrained" if pretrained else f"random:{INIT_SEED}"


def key_parts(model, *, pretrained, layer, transform, image_size, data, templates) -> dict:
    """Everything that decides the features: model, weights, layer, preprocessing inputs, data.

    The preprocessing of timm and open_clip models follows from name, image_size and
    library version, all in the key; a module's transform enters by name or repr.
    """
    if isinstance(model, str):
        family, name, tag = parse_spec(model)
        dist = "timm" if family == "timm" else "open_clip_torch"
        parts = {"model": f"{family}:{name}" + (f"/{tag}" if tag else ""), dist: _version(dist)}
        if family == "open_clip":
            from ._zeroshot import TEMPLATES

            parts["templates"] = list(TEMPLATES if templates is None else templates)
    else:
        from ._module import parameter_hash

        parts = {
            "model": f"module:{type(model).__qualname__}",
            "parameters": parameter_hash(model),
            "transform": _describe(transform),
        }
    parts.update(
        weights=weights_identity(pretrained),
        layer=layer,
        image_size=image_size,
        data=data.fingerprint,
        n_samples=len(data),
        torch=_version("torch"),
    )
    return parts
