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
import threading
from pathlib import Path

import numpy as np

from ..utils._device import resolve_device
from ..utils._progress import progress_bar, say
from . import _cache
from ._dispatch import load_backbone
from ._loop import encode_all
from ._meta import describe
from ._zeroshot import encode_text

SHARD_BATCHES = 8
_MODELS: dict = {}  # per worker process: loaded backbones by spec
_MODELS_LOCK = threading.Lock()  # a worker's threads share _MODELS


def shard_bounds(n: int, batch_size: int) -> list[tuple[int, int]]:
    """Row ranges of the shards: SHARD_BATCHES batches each, the same for every cluster size."""
    step = batch_size * SHARD_BATCHES
    return [(s, min(n, s + step)) for s in range(0, n, step)]


def _backbone(spec, options):
    """The worker's Backbone of a spec, loaded once per worker (a user's module every time)."""
    if spec.family == "module":
        return load_backbone(spec, **options)
    key = (spec, *sorted((k, repr(v)) for k, v in options.items()))
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS.clear()  # one model per worker at a time
            _MODELS[key] = load_backbone(spec, **options)
        return _MODELS[key]


def remove_parts(path) -> None:
    """Drop the shard files once the one cache file is written."""
    shutil.rmtree(str(path) + ".parts", ignore_errors=True)


def encode_shard(spec, options, data, batch_size, part_path, templates):
    """Worker side: encode one shard (written to part_path when given); returns (features, meta)."""
    backbone = _backbone(spec, options)
    dev = resolve_device("auto")
    x = encode_all(
        backbone, data, backbone.default_layer, batch_size=batch_size, device=dev, progress=False
    )
    meta = describe(backbone, data, image_size=options["image_size"], templates=templates)
    meta["device"] = str(dev)
    if part_path is not None:
        _cache.save(part_path, {"features": x}, {})
    return x, meta


def text_task(spec, options, concept_names, templates):
    """Worker side: open_clip text embeddings of the concept names."""
    backbone = _backbone(spec, options)
    return encode_text(backbone, concept_names, templates=templates, device=resolve_device("auto"))


def _submit_shards(client, spec, options, data, *, batch_size, templates, parts_dir):
    """(shards read from disk, None where still to encode; {future: index of its shard})."""
    bounds = shard_bounds(len(data), batch_size)
    shards, futures = [None] * len(bounds), {}
    for i, (s0, s1) in enumerate(bounds):
        part = None if parts_dir is None else parts_dir / f"rows-{s0}-{s1}{_cache.SUFFIX}"
        hit = None if part is None else _cache.load(part, rows=s1 - s0)
        if hit is not None:
            shards[i] = hit[0]["features"]
            continue
        subset = data.subset(np.arange(s0, s1))
        task = (encode_shard, spec, options, subset, batch_size, part, templates)
        futures[client.submit(*task, pure=False)] = i
    return shards, futures


def _gather(shards, futures, *, total, desc, progress):
    """Fill ``shards`` as their tasks finish; the meta of the last one (None if none ran)."""
    from distributed import as_completed

    meta = None
    bar = progress_bar(total=total, desc=desc, unit="img", enable=progress)
    bar.update(sum(len(s) for s in shards if s is not None))
    for fut in as_completed(list(futures)):
        x, meta = fut.result()
        shards[futures[fut]] = x
        bar.update(len(x))
    bar.close()
    return meta


def extract_on_dask(spec, data, *, options, batch_size, templates, path, client, progress):
    """(arrays, meta, device) of the whole data set, encoded shard by shard on the cluster."""
    from ..engines.dask import resolve_client

    client = resolve_client(client, progress=progress)
    parts_dir = None if path is None else Path(str(path) + ".parts")
    shards, futures = _submit_shards(
        client, spec, options, data, batch_size=batch_size, templates=templates, parts_dir=parts_dir
    )
    if parts_dir is not None and len(futures) < len(shards):
        done = len(shards) - len(futures)
        say(f"resuming: {done} of {len(shards)} shards already written in {parts_dir}", progress)
    text = None
    if spec.family == "open_clip":
        names = list(data.concept_names)
        text = client.submit(text_task, spec, options, names, templates, pure=False)
    desc = f"{spec.label} on dask"
    meta = _gather(shards, futures, total=len(data), desc=desc, progress=progress)
    if meta is None:  # every shard came from disk: describe the model here
        backbone = load_backbone(spec, **options)
        meta = describe(backbone, data, image_size=options["image_size"], templates=templates)
        meta["device"] = "cpu"
    meta.update(data_fingerprint=data.fingerprint, n_samples=len(data))
    arrays = {"features": np.concatenate(shards)}
    if text is not None:
        arrays["text_embeddings"] = text.result()
    return arrays, meta, f"dask ({meta.pop('device')})"
