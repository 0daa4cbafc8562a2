"""extract(): model + data -> Features, batched under inference_mode, cached on disk."""

from __future__ import annotations

import time

import numpy as np

from .. import datasets
from ..utils._device import resolve_device
from ..utils._progress import say, say_once
from ..utils._validation import check_backend
from . import _cache
from ._dask import extract_on_dask, remove_parts
from ._dispatch import load_backbone, positive_int
from ._features import Features
from ._key import cache_file
from ._loop import encode_all
from ._meta import describe, timing
from ._offline import random_weights_note
from ._spec import parse_model
from ._zeroshot import encode_text


def extract(
    model="timm:resnet18",
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
    """Latent vectors of a data set's images at a model layer.

    Parameters
    ----------
    model : str or torch.nn.Module, default="timm:resnet18"
        "timm:<name>" (any ``timm.list_models()`` name, e.g. "timm:resnet50.a1_in1k"),
        "open_clip:<name>/<weights>" (a pair from ``open_clip.list_pretrained()``),
        or your own module (then pass ``transform``).
    data : kw.datasets object, optional
        Default ``kw.datasets.digits()`` (offline), resized by the model's preprocessing.
    layer : str, optional
        timm: "pre_logits" (default; pooled features before the classifier), "logits",
        or a stage from ``feature_info`` by module name ("layer1".."layer4" for ResNets,
        "blocks.0".."blocks.11" for ViTs) or alias "stage0", "stage1", ...; spatial maps
        are globally average pooled. open_clip: "embedding" (default) or
        "embedding_normalized" (L2-normalised). Module: "output" (default) or any
        submodule name (forward hook, pooled). ``list_layers(model)`` lists them.
    pretrained : bool or str, default=False
        False: random weights (seeded, so reproducible and cacheable; works offline).
        True: the weights named by the spec (timm's default tag, the open_clip tag).
        A path: a local weights file (timm via ``pretrained_cfg_overlay=dict(file=...)``,
        open_clip via ``pretrained=<path>``). Offline, True fails fast with the ways forward.
    batch_size : int, default=64
    device : {"auto", "cpu", "cuda", "mps"} or torch.device, default="auto"
    cache : bool, default=True
        Reuse features stored on disk, keyed by model, weights, layer, preprocessing and
        data fingerprint (a ``transform`` by its code and state); ``cache=False`` bypasses
        the cache. A request the key cannot identify is not cached (said once).
    cache_dir : str or path, optional
        Default ``$KSTAR_WIDGETS_CACHE``, else the user cache dir / "kstar_widgets".
    progress : bool, default=True
        tqdm progress bar (images/second).
    transform : callable, optional
        PIL image -> tensor (C, H, W), for nn.Module models only (default: to [0, 1] floats).
    image_size : int, optional
        Override the model's input size (e.g. 32 for fast CPU tests); ViTs are created at it.
    indices : array-like of int, optional
        Encode only these data set rows (in this order).
    limit : int, optional
        Encode only the first ``limit`` selected rows.
    templates : sequence of str, optional
        Prompt templates for the open_clip text embeddings of the concept names.
    backend : {"local", "dask"}, default="local"
        "dask" splits the data set into shards encoded by the workers of a Dask
        cluster, each loading the model once (``pip install "kstar-widgets[dask]"``);
        with the cache on, written shards survive an interrupted run, which then
        resumes, and the cache folder must be shared with the workers. Workers pick
        their own device (``device`` applies in-process only).
    client : distributed.Client or str, optional
        The cluster (or its scheduler address) for backend="dask"; giving one implies
        backend="dask". Default: the current Dask client, else a new LocalCluster.

    Returns
    -------
    Features
        ``features`` float32 (n, d), ``labels`` (concept names), ``concept_names``,
        ``sample_ids``, ``dataset``, ``meta``; ``text_embeddings`` (n_concepts, d) for open_clip.

    Example
    -------
    >>> import kstar_widgets as kw
    >>> feats = kw.extract("timm:resnet18", image_size=32, limit=64, progress=False, cache=False)
    >>> feats.features.shape
    (64, 512)
    """
    data = _selected(data, indices=indices, limit=limit, batch_size=batch_size)
    spec = parse_model(model)
    if spec.family != "module" and not pretrained:
        say_once(random_weights_note(spec.family, spec.name))
    backend = check_backend(backend, client)
    dev = resolve_device(device)
    options = dict(pretrained=pretrained, layer=layer, transform=transform, image_size=image_size)
    # the key needs no model: a hit costs one file read, even offline with pretrained=True
    path = cache_file(spec, options, data, templates, cache_dir) if cache else None
    hit = None if path is None else _cache.load(path, rows=len(data))
    if hit is not None:
        say(f"features from cache {path}", progress)
        return _result(hit[0], {**hit[1], "cache": "hit", "cache_path": str(path)}, data)
    t0 = time.perf_counter()
    run = dict(batch_size=batch_size, templates=templates, progress=progress)
    if backend == "dask":
        arrays, meta, dev = extract_on_dask(
            spec, data, options=options, path=path, client=client, **run
        )
    else:
        arrays, meta = _encode_here(spec, data, options, device=dev, **run)
    X, seconds = arrays["features"], time.perf_counter() - t0
    meta.update(timing(seconds, device=dev, batch_size=batch_size, features=X, n=len(data)))
    path = _store(path, arrays, meta, parts=backend == "dask", progress=progress)
    cached = {"cache": "miss" if path else "off", "cache_path": str(path) if path else None}
    return _result(arrays, {**meta, **cached}, data)


def _selected(data, *, indices, limit, batch_size):
    """The checked data set (default digits), cut to ``indices`` and then ``limit`` rows."""
    if data is None:
        data = datasets.digits()
    if not isinstance(data, datasets.ImageDataset):
        raise TypeError(
            f"data must be a kw.datasets object (digits(), image_folder(path), ...), got "
            f"{type(data).__name__}; for precomputed vectors use kw.Features.from_arrays(X, labels)."
        )
    if not positive_int(batch_size):
        raise ValueError(f"batch_size={batch_size!r} must be a positive int.")
    if limit is not None and not positive_int(limit):
        raise ValueError(
            f"limit={limit!r} must be None or a positive int (encode the first `limit` images)."
        )
    if indices is not None or (limit is not None and limit < len(data)):
        idx = np.arange(len(data)) if indices is None else np.asarray(indices)
        data = data.subset(idx[:limit] if limit is not None else idx)
    if len(data) == 0:
        raise ValueError("no images selected: indices/limit left an empty data set.")
    return data


def _encode_here(spec, data, options, *, batch_size, templates, device, progress):
    """(arrays, meta) encoded in this process."""
    backbone = load_backbone(spec, **options)
    meta = describe(backbone, data, image_size=options["image_size"], templates=templates)
    X = encode_all(
        backbone,
        data,
        backbone.default_layer,
        batch_size=batch_size,
        device=device,
        progress=progress,
    )
    arrays = {"features": X}
    if backbone.family == "open_clip":
        arrays["text_embeddings"] = encode_text(
            backbone, data.concept_names, templates=templates, device=device
        )
    return arrays, meta


def _store(path, arrays, meta, *, parts, progress):
    """Write the cache file (then drop Dask shard parts); the path, or None when not written."""
    if path is None:
        return None
    try:
        _cache.save(path, arrays, meta)
        if parts:
            remove_parts(path)
    except OSError as exc:
        say(f"could not write the feature cache {path} ({exc}); continuing without it", progress)
        return None
    return path


def _result(arrays, meta, data) -> Features:
    """Features of the encoded (or cached) arrays, with the data set's labels and ids."""
    return Features(
        features=arrays["features"],
        labels=data.labels,
        concept_names=list(data.concept_names),
        sample_ids=data.sample_ids,
        dataset=data,
        meta=meta,
        text_embeddings=arrays.get("text_embeddings"),
    )
