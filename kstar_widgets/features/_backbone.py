"""A loaded model ready for extraction: transform, layer names and a batch encoder."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

INIT_SEED = 0


@dataclass
class Backbone:
    """What every model family provides to the extraction loop."""

    spec: str  # e.g. "timm:resnet18"
    family: str  # "timm", "open_clip" or "module"
    model: Any  # torch.nn.Module in eval mode
    transform: Callable  # PIL image -> tensor (C, H, W)
    layers: list  # valid layer names
    default_layer: str
    encode: Callable  # (model, batch tensor, layer) -> tensor (B, d)
    weights: str = "random"
    identity: dict = field(default_factory=dict)  # extra cache-key entries
    extras: dict = field(default_factory=dict)  # e.g. open_clip tokenizer

    preprocessing: str = field(init=False, default="")

    def __post_init__(self):
        # Written once, at load: torch's tensor repr (Normalize's mean/std) is not safe to
        # run from several threads of one Dask worker at the same time.
        self.preprocessing = " ".join(repr(self.transform).split())


@contextlib.contextmanager
def seeded_init(seed: int = INIT_SEED):
    """Random initialisation that is the same on every run (so random-init features can be cached)."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


@contextlib.contextmanager
def quiet_loggers(*names):
    """Silence INFO/WARNING chatter (e.g. "model initialized randomly") of the named loggers."""
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=False):
            lg.setLevel(level)


def pool(t):
    """Global average pool a feature map to (B, d): NCHW over H, W; NLC over L."""
    if t.ndim == 4:
        return t.mean(dim=(2, 3))
    if t.ndim == 3:
        return t.mean(dim=1)
    return t.reshape(len(t), -1)
