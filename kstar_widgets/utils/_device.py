"""Torch device choice, memory budgets and full-precision float32 matrix products."""

from __future__ import annotations

import contextlib
import os


def resolve_device(device="auto"):
    """Return a torch.device: CUDA, then MPS, then CPU for "auto"."""
    import torch

    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise TypeError(f"device must be a string or torch.device, got {device!r}.")
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"device={device!r} is not a torch device; use 'auto', 'cpu', 'cuda', 'cuda:1' or 'mps'."
        ) from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was asked for but torch sees no CUDA GPU; use 'auto' or 'cpu'."
        )
    return dev


def available_memory(device) -> int:
    """Bytes free for work on device (host RAM for the CPU)."""
    if device.type == "cuda":
        import torch

        free, _total = torch.cuda.mem_get_info(device)
        return int(free)
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 4 << 30


def work_budget(device) -> int:
    """Bytes one block of the distance matrix may take: a share of free memory, capped."""
    cap = (2 << 30) if device.type == "cuda" else (256 << 20)
    return int(max(16 << 20, min(cap, available_memory(device) // 8)))


@contextlib.contextmanager
def full_precision_matmul():
    """Switch off TF32 / bf16 shortcuts so float32 products have float32 rounding.

    The exact engine's error bounds assume IEEE float32 products; TF32 keeps only
    10 mantissa bits and would make the borderline band useless.
    """
    import torch

    old_precision = torch.get_float32_matmul_precision()
    old_tf32 = torch.backends.cuda.matmul.allow_tf32
    torch.set_float32_matmul_precision("highest")
    torch.backends.cuda.matmul.allow_tf32 = False
    try:
        yield
    finally:
        torch.set_float32_matmul_precision(old_precision)
        torch.backends.cuda.matmul.allow_tf32 = old_tf32
