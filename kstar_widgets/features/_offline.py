"""Fail fast, with a way forward, when weights cannot be downloaded."""

from __future__ import annotations

import contextlib
import functools
import logging
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


# "family:name" of the models whose pretrained weights were asked for and could not be fetched
_UNAVAILABLE: set[str] = set()


def random_weights_note(family: str, name: str) -> str:
    """The note for a model on random weights, true to what was tried before."""
    label = f"{family}:{name}"
    if label in _UNAVAILABLE:
        return (
            f"{label} has random weights: its pretrained weights could not be fetched here "
            "(not in the local cache, no network), so its space shows the untrained "
            "architecture. To use the trained model, run once where the network is reachable "
            "(the weights are then cached) or pass pretrained='<path to a local weights file>'"
        )
    return (
        f"{label} has random weights (pretrained=False): its space shows the untrained "
        "architecture, not a trained model; pass pretrained=True to load weights"
    )


class _Held(logging.Handler):
    """Keeps log records instead of printing them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


# loggers that report download failures while weights load (open_clip logs on the root logger)
DOWNLOAD_LOGGERS = ("", "open_clip", "huggingface_hub", "timm")


@contextlib.contextmanager
def held_logs(names=DOWNLOAD_LOGGERS):
    """Hold the named loggers' warnings and errors; replay them only if the block succeeds.

    A failed download then reaches the user once, as the exception's message (and a
    notebook's one ``NOTE:`` line), not also as ``ERROR:root:...`` log lines.
    """
    held = _Held()
    loggers = [logging.getLogger(n) for n in names]
    saved = [(lg.handlers[:], lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.handlers, lg.propagate = [held], False
    ok = False
    try:
        yield held.records
        ok = True
    finally:
        for lg, (handlers, propagate) in zip(loggers, saved, strict=True):
            lg.handlers, lg.propagate = handlers, propagate
        if ok:
            for record in held.records:
                logging.getLogger(record.name).handle(record)


def _first_line(records) -> str:
    errors = [r for r in records if r.levelno >= logging.ERROR] or records
    return errors[0].getMessage().splitlines()[0] if errors else ""


@contextlib.contextmanager
def offline_guard(label: str):
    """Load weights; offline, turn any failure (and its third-party log lines) into one clear error."""
    if not hub_offline():
        with held_logs() as records:
            try:
                yield
            except Exception as exc:
                line = _first_line(records)
                if line and hasattr(exc, "add_note"):
                    exc.add_note(f"(logged while loading: {line})")
                raise
        return
    import huggingface_hub.constants as hf_constants

    old_env = os.environ.get("HF_HUB_OFFLINE")
    old_const = hf_constants.HF_HUB_OFFLINE
    os.environ["HF_HUB_OFFLINE"] = "1"
    # huggingface_hub reads the variable at import time: set its constant as well
    hf_constants.HF_HUB_OFFLINE = True
    try:
        with held_logs():
            yield
    except Exception as exc:
        _UNAVAILABLE.add(label.split("/")[0])
        raise WeightsUnavailableError(
            f"{ways_forward(label)} ({type(exc).__name__}: {exc})"
        ) from exc
    finally:
        hf_constants.HF_HUB_OFFLINE = old_const
        if old_env is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = old_env
