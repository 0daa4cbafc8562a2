"""extract(): model + data -> Features, batched under inference_mode, cached on disk."""

from __future__ import annotations

import numbers
import time

import numpy as np

from .._progress import say, say_once
from ._backbone import INIT_SEED, Backbone
from ._features import Features
from ._key import key_parts
from ._loop import encode_all


def load_backbone(
    model, *, pretrained=False, layer=None, transform=None, image_size=None
) -> Backbone:
    """Dispatch a spec string or an nn.Module to its family's loader."""
    if image_size is not None and (
        isinstance(image_size, bool)
        or not isinstance(image_size, numbers.Integral)
        or image_size < 1
    ):
        raise ValueError(
            f"image_size={image_size!r} must be None (the model's own) or a positive int."
        )
    if not isinstance(model, str):
        from . import _module

        return _module.load(model, transform=transform, image_size=image_size, layer=layer)
    from ._spec import parse_spec

    family, name, tag = parse_spec(model)
    if transform is not None:
        raise ValueError(
            "transform= is for torch.nn.Module models; timm and open_clip use their own preprocessing."
        )
    if family == "timm":
        from . import _timm

        return _timm.load(name, pretrained=pretrained, image_size=image_size, layer=layer)
    from . import _open_clip

    return _open_clip.load(name, tag, pretrained=pretrained, image_size=image_size, layer=layer)


def _select(data, indices, limit):
    """The data set rows to encode: indices, then the first ``limit`` of them."""
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1
    ):
        raise ValueError(
            f"limit={limit!r} must be None or a positive int (encode the first `limit` images)."
        )
    if indices is None and (limit is None or limit >= len(data)):
        return data
    idx = np.arange(len(data)) if indices is None else np.asarray(indices)
    return data.subset(idx[:limit] if limit is not None else idx)


def extract_features(
    model,
    data=None,
    *,
    layer=None,
    pretrained=False,
    batch_size=64,
    device="auto",
    cache=True,
    cache_dir=None,
    progress=True,
    transform=None,
    image_size=None,
    indices=None,
    limit=None,
    templates=None,
    backend="local",
    client=None,
) -> Features:
    """Implementation of :func:`kstar_widgets.features.extract`."""
    from .. import datasets
    from .._device import resolve_device
    from . import _cache

    if data is None:
        data = datasets.digits()
    if not isinstance(data, datasets.ImageDataset):
        raise TypeError(
            f"data must be a kw.datasets object (digits(), image_folder(path), ...), got "
            f"{type(data).__name__}; for precomputed vectors use kw.Features.from_arrays(X, labels)."
        )
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, numbers.Integral)
        or batch_size < 1
    ):
        raise ValueError(f"batch_size={batch_size!r} must be a positive int.")
    data = _select(data, indices, limit)
    if len(data) == 0:
        raise ValueError("no images selected: indices/limit left an empty data set.")
    if isinstance(model, str) and not pretrained:
        say_once(
            f"{model} has random weights (pretrained=False): its space shows the untrained "
            "architecture, not a trained model; pass pretrained=True to load weights"
        )
    if client is not None and backend == "local":
        backend = "dask"
    if backend not in ("local", "dask"):
        raise ValueError(f"backend={backend!r} is not known; use 'local' or 'dask'.")
    dev = resolve_device(device)
    path = None
    if cache:
        # the key needs no model: a hit costs one file read, even offline with pretrained=True
        parts = key_parts(
            model,
            pretrained=pretrained,
            layer=layer,
            transform=transform,
            image_size=image_size,
            data=data,
            templates=templates,
        )
        label = f"{parts['model']}-{layer or 'default'}"
        path = _cache.cache_path(_cache.cache_dir(cache_dir), _cache.cache_key(parts), label)
        hit = _cache.load(path)
        if hit is not None:
            arrays, stored = hit
            say(f"features from cache {path}", progress)
            return _result(arrays, {**stored, "cache": "hit", "cache_path": str(path)}, data)
    t0 = time.perf_counter()
    if backend == "dask":
        from ._dask import extract_on_dask

        arrays, meta, dev = extract_on_dask(
            model,
            data,
            spec=dict(
                pretrained=pretrained, layer=layer, transform=transform, image_size=image_size
            ),
            batch_size=batch_size,
            templates=templates,
            path=path,
            client=client,
            progress=progress,
        )
        X = arrays["features"]
    else:
        backbone = load_backbone(
            model, pretrained=pretrained, layer=layer, transform=transform, image_size=image_size
        )
        layer = backbone.default_layer
        meta = describe(backbone, data, image_size=image_size, templates=templates)
        X = encode_all(backbone, data, layer, batch_size=batch_size, device=dev, progress=progress)
        arrays = {"features": X}
        if backbone.family == "open_clip":
            from ._zeroshot import encode_text

            arrays["text_embeddings"] = encode_text(
                backbone, data.concept_names, templates=templates, device=dev
            )
    seconds = time.perf_counter() - t0
    meta.update(
        seconds=seconds,
        device=str(dev),
        batch_size=int(batch_size),
        dim=int(X.shape[1]),
        images_per_second=len(data) / seconds if seconds > 0 else None,
    )
    if path is not None:
        try:
            _cache.save(path, arrays, meta)
            if backend == "dask":
                from ._dask import remove_parts

                remove_parts(path)
        except OSError as exc:
            say(
                f"could not write the feature cache {path} ({exc}); continuing without it", progress
            )
            path = None
    return _result(
        arrays,
        {**meta, "cache": "miss" if path else "off", "cache_path": str(path) if path else None},
        data,
    )


def describe(backbone, data, *, image_size, templates) -> dict:
    """The metadata stored with extracted features (model, weights, layer, preprocessing, data)."""
    meta = {
        "model": backbone.spec,
        "family": backbone.family,
        "weights": backbone.weights,
        "layer": backbone.default_layer,
        "preprocessing": backbone.preprocessing,
        "image_size": image_size,
        "data_fingerprint": data.fingerprint,
        "n_samples": len(data),
        "init_seed": INIT_SEED if backbone.weights == "random" else None,
        **backbone.identity,
    }
    if backbone.family == "open_clip":
        from ._zeroshot import TEMPLATES

        meta["templates"] = list(TEMPLATES if templates is None else templates)
    return meta


def _result(arrays, meta, data) -> Features:
    return Features(
        features=arrays["features"],
        labels=data.labels,
        concept_names=list(data.concept_names),
        sample_ids=data.sample_ids,
        dataset=data,
        meta=meta,
        text_embeddings=arrays.get("text_embeddings"),
    )
