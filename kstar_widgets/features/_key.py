"""The cache key of an extraction, computed without building the model."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..utils._progress import say_once
from . import _cache
from ._backbone import INIT_SEED
from ._identity import Unidentifiable, identity
from ._module import code_identity, parameter_hash
from ._spec import local_weights
from ._templates import chosen_templates


def _version(dist: str) -> str:
    """The installed version of a distribution, or "missing"."""
    try:
        return version(dist)
    except PackageNotFoundError:
        return "missing"


def _describe(transform) -> str | None:
    """A transform's identity: its code and state (``Unidentifiable`` when there is none)."""
    return None if transform is None else f"identity:{identity(transform)}"


def weights_identity(pretrained) -> str:
    """ "random:<seed>", "pretrained", or a local file by path, size and mtime (hashing GBs costs too much)."""
    path = local_weights(pretrained)
    if path is not None:
        st = os.stat(path)
        return f"file:{path}:{st.st_size}:{st.st_mtime_ns}"
    return "pretrained" if pretrained else f"random:{INIT_SEED}"


def key_parts(spec, *, pretrained, layer, transform, image_size, data, templates) -> dict:
    """Everything that decides the features of a parsed spec: model, weights, layer, inputs, data.

    The preprocessing of timm and open_clip models follows from name, image_size and
    library version, all in the key; a module by its weights and its structure (and its
    code when the classes are the user's own), its transform by its code and state.
    """
    if spec.family == "module":
        parts = {
            "model": spec.label,
            "parameters": parameter_hash(spec.module),
            "transform": _describe(transform),
            "code": code_identity(spec.module),
        }
    else:
        dist = "timm" if spec.family == "timm" else "open_clip_torch"
        parts = {"model": spec.label, dist: _version(dist)}
        if spec.family == "open_clip":
            parts["templates"] = list(chosen_templates(templates))
    parts.update(
        weights=weights_identity(pretrained),
        layer=layer,
        image_size=image_size,
        data=data.fingerprint,
        n_samples=len(data),
        torch=_version("torch"),
    )
    return parts


def cache_file(spec, options: dict, data, templates, directory) -> Path | None:
    """The cache file of a request (``options``: pretrained, layer, transform, image_size).

    None, said once, when the request holds something the key cannot identify.
    """
    try:
        parts = key_parts(spec, **options, data=data, templates=templates)
    except Unidentifiable as exc:
        say_once(
            f"features not cached: the request holds {exc}, which the cache key cannot "
            "identify; pass cache=False to silence this, or a plain function to cache them"
        )
        return None
    label = f"{parts['model']}-{options['layer'] or 'default'}"
    return _cache.cache_path(_cache.cache_dir(directory), _cache.cache_key(parts), label)
