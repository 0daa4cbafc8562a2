"""The batching loop: preprocess on one thread, encode under inference_mode, with progress."""

from __future__ import annotations

import contextlib

import numpy as np

from ..utils._progress import progress_bar


@contextlib.contextmanager
def _one_thread():
    """Run small per-image tensor ops on one thread: with intra-op threads on a busy machine,
    ToTensor + Normalize of one 224 px image took 50 ms instead of 3 ms (measured here)."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)


def _input_dtype(model):
    """The dtype images go in as: the model's floating dtype (float64 or half weights take
    float64 or half images, where a float32 image would fail), float32 for a model without
    floating parameters."""
    import torch

    for p in model.parameters():
        if p.is_floating_point():
            return p.dtype
    return torch.float32


def encode_all(backbone, data, layer, *, batch_size, device, progress):
    """Encode every image of data; returns float32 (n, d)."""
    import torch

    model = backbone.model.to(device)
    dtype = _input_dtype(model)
    # channels-last convolutions: faster on CUDA and, measured, ~20% on a 2-core CPU too
    channels_last = backbone.family == "timm"
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    out, n = [], len(data)
    bar = progress_bar(total=n, desc=f"{backbone.spec} {layer}", unit="img", enable=progress)
    try:
        with torch.inference_mode():
            for start in range(0, n, batch_size):
                idx = range(start, min(n, start + batch_size))
                with _one_thread():
                    x = torch.stack([backbone.transform(data._pil(i)) for i in idx])
                x = x.to(device, dtype=dtype)
                if channels_last:
                    x = x.contiguous(memory_format=torch.channels_last)
                y = backbone.encode(model, x, layer)
                out.append(y.float().reshape(len(y), -1).cpu().numpy())
                bar.update(len(idx))
    finally:
        bar.close()
    return np.concatenate(out) if out else np.empty((0, 0), np.float32)
