"""extract() on a Dask cluster: shards of the data set encoded by workers that load the model once.

Each shard (a fixed run of rows, a multiple of the batch size, so batches match
the in-process loop) is one task; the worker builds the model from its spec on
its first shard and keeps it for the next ones. With the cache on, every shard is
also written atomically beside the final cache file (``<file>.parts/``): a run
that stops part way resumes with the shards already written, and the parts are
removed once the one cache file, keyed as in-process, is in place. The cache
folder must then be one the workers and the client share.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from .._progress import progress_bar, say

SHARD_BATCHES = 8
_MODELS: dict = {}  # per worker process: loaded backbones by spec


def shard_bounds(n: int, batch_size: int) -> list[tuple[int, int]]:
    """Row ranges of the shards: SHARD_BATCHES batches each, the same for every cluster size."""
    step = batch_size * SHARD_BATCHES
    return [(s, min(n, s + step)) for s in range(0, n, step)]


def _backbone(model, spec):
    from ._extract import load_backbone

    if not isinstance(model, str):
        return load_backbone(model, **spec)
    key = (model, *sorted((k, repr(v)) for k, v in spec.items()))
    if key not in _MODELS:
        _MODELS.clear()  # one model per worker at a time
        _MODELS[key] = load_backbone(model, **spec)
    return _MODELS[key]


def remove_parts(path) -> None:
    """Drop the shard files once the one cache file is written."""
    shutil.rmtree(str(path) + ".parts", ignore_errors=True)


def encode_shard(model, spec, data, batch_size, part_path):
    """Worker side: encode one shard (written to part_path when given); returns (features, meta)."""
    from .._device import resolve_device
    from . import _cache
    from ._extract import describe
    from ._loop import encode_all

    backbone = _backbone(model, spec)
    dev = resolve_device("auto")
    x = encode_all(
        backbone, data, backbone.default_layer, batch_size=batch_size, device=dev, progress=False
    )
    meta = describe(backbone, data, image_size=spec["image_size"], templates=None)
    meta["device"] = str(dev)
    if part_path is not None:
        _cache.save(part_path, {"features": x}, {})
    return x, meta


def text_task(model, spec, concept_names, templates):
    """Worker side: open_clip text embeddings of the concept names."""
    from .._device import resolve_device
    from ._zeroshot import encode_text

    backbone = _backbone(model, spec)
    return encode_text(backbone, concept_names, templates=templates, device=resolve_device("auto"))


def extract_on_dask(model, data, *, spec, batch_size, templates, path, client, progress):
    """(arrays, meta, device) of the whole data set, encoded shard by shard on the cluster."""
    from ..engines.dask import resolve_client
    from . import _cache
    from ._extract import describe

    client = resolve_client(client, progress=progress)
    bounds = shard_bounds(len(data), batch_size)
    parts_dir = None if path is None else Path(str(path) + ".parts")
    shards, futures = [None] * len(bounds), {}
    for i, (s0, s1) in enumerate(bounds):
        part = None if parts_dir is None else parts_dir / f"rows-{s0}-{s1}{_cache.SUFFIX}"
        hit = None if part is None else _cache.load(part)
        if hit is not None:
            shards[i] = hit[0]["features"]
            continue
        subset = data.subset(np.arange(s0, s1))
        futures[client.submit(encode_shard, model, spec, subset, batch_size, part, pure=False)] = i
    if parts_dir is not None and len(futures) < len(bounds):
        say(
            f"resuming: {len(bounds) - len(futures)} of {len(bounds)} shards already written in {parts_dir}",
            progress,
        )
    text = None
    if isinstance(model, str) and model.startswith("open_clip:"):
        text = client.submit(
            text_task, model, spec, list(data.concept_names), templates, pure=False
        )
    from distributed import as_completed

    meta = None
    bar = progress_bar(total=len(data), desc=f"{model} on dask", unit="img", enable=progress)
    bar.update(sum(len(s) for s in shards if s is not None))
    for fut in as_completed(list(futures)):
        x, meta = fut.result()
        shards[futures[fut]] = x
        bar.update(len(x))
    bar.close()
    if meta is None:  # every shard came from disk: describe the model here
        from ._extract import load_backbone

        meta = describe(
            load_backbone(model, **spec), data, image_size=spec["image_size"], templates=templates
        )
        meta["device"] = "cpu"
    meta.update(data_fingerprint=data.fingerprint, n_samples=len(data))
    if text is not None:
        from ._zeroshot import TEMPLATES

        meta["templates"] = list(TEMPLATES if templates is None else templates)
    arrays = {"features": np.concatenate(shards)}
    if text is not None:
        arrays["text_embeddings"] = text.result()
    return arrays, meta, f"dask ({meta.pop('device')})"
