"""Fail fast, with a way forward, when weights cannot be downloaded."""

from __future__ import annotations

import contextlib
import functools
import os
import time

from ..datasets._torchvision import host_reachable


class WeightsUnavailableError(RuntimeError):
    """Pretrained weights are neither cached nor downloadable here."""


@functools.lru_cache(maxsize=1)
def _hub_reachable_cached(stamp: int) -> bool:
    return host_reachable("huggingface.co", 443, timeout=2.0)


def hub_offline() -> bool:
    """True when HF_HUB_OFFLINE is set or the Hugging Face hub is unreachable (checked every 5 min)."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    return not _hub_reachable_cached(int(time.time() // 300))


def ways_forward(label: str) -> str:
    return (
        f"Pretrained weights for {label} could not be loaded: they are not in the local cache and "
        "the network is unreachable (or HF_HUB_OFFLINE=1). Ways forward: pass pretrained=False "
        "(random weights), pretrained='<path to a local weights file>', copy the weights into the "
        "Hugging Face cache on a machine with network, or compute features elsewhere and use "
        "kw.Features.from_arrays(X, labels)."
    )


@contextlib.contextmanager
def offline_guard(label: str):
    """Load weights in offline mode when the hub is unreachable; turn failures into one clear error."""
    if not hub_offline():
        yield
        return
    import huggingface_hub.constants as hf_constants

    old_env = os.environ.get("HF_HUB_OFFLINE")
    old_const = hf_constants.HF_HUB_OFFLINE
    os.environ["HF_HUB_OFFLINE"] = "1"
    # huggingface_hub reads the variable at import time: set its constant as well
    hf_constants.HF_HUB_OFFLINE = True
    try:
        yield
    except Exception as exc:
        raise WeightsUnavailableError(
            f"{ways_forward(label)} ({type(exc).__name__}: {exc})"
        ) from exc
    finally:
        hf_constants.HF_HUB_OFFLINE = old_const
        if old_env is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = old_env
