"""Trained digits CNNs, cached on disk so a second run skips training."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from .._progress import say
from ._train import train_classifier


def trained_model(
    split,
    *,
    attack=None,
    epochs=8,
    eps=0.1,
    seed=0,
    cache_dir=None,
    cache=True,
    progress=True,
    **model_kwargs,
):
    """The small CNN trained on ``split.train`` (adversarially if ``attack``), from disk when cached.

    Parameters
    ----------
    split : DigitsSplit
        From :func:`digits_split`; its images and split are part of the cache key.
    attack : {None, "fgsm", "pgd"}, default=None
        None: standard training; otherwise adversarial training with this attack.
    epochs, eps, seed
        As in :func:`train_classifier`.
    cache_dir : str or path, optional
        Feature cache folder; weights go to its "models" subfolder.
    cache : bool, default=True
        False: always train, write nothing.
    **model_kwargs
        Passed to :func:`small_cnn` (arch, channels).

    Returns
    -------
    (model, info) : torch.nn.Module in eval mode, dict
        info: epochs, attack, eps, seed, losses, cache ("hit", "miss" or "off"), path.

    Example
    -------
    >>> from kstar_widgets.training import digits_split, trained_model
    >>> model, info = trained_model(digits_split(), epochs=1, progress=False)  # doctest: +SKIP
    >>> info["cache"]  # doctest: +SKIP
    'miss'
    """
    import torch

    from ..features import cache_dir as features_cache_dir
    from ._model import small_cnn

    model = small_cnn(seed=seed, **model_kwargs)
    key = {
        "split": split.fingerprint,
        "attack": attack,
        "epochs": epochs,
        "eps": eps,
        "seed": seed,
        "model": {k: list(v) if isinstance(v, tuple) else v for k, v in model_kwargs.items()},
        "torch": str(torch.__version__),
        "format": 3,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
    path = features_cache_dir(cache_dir) / "models" / f"digits-{attack or 'standard'}-{digest}.pt"
    if cache and path.is_file():
        try:
            stored = torch.load(path, map_location="cpu", weights_only=True)
            model.load_state_dict(stored["state"])
            say(f"trained weights from cache {path}", progress)
            return model.eval(), {
                **key,
                "losses": list(stored["losses"]),
                "cache": "hit",
                "path": str(path),
            }
        except (OSError, RuntimeError, KeyError, EOFError, ValueError, pickle.UnpicklingError):
            say(f"ignoring an unreadable cached model {path}", progress)
    x, y = split.x[split.train], split.y[split.train]
    losses = train_classifier(
        model, x, y, epochs=epochs, seed=seed, attack=attack, eps=eps, progress=progress
    )
    status = "off"
    if cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=path.parent)
            os.close(fd)
            torch.save({"state": model.state_dict(), "losses": losses, "key": key}, tmp)
            os.replace(tmp, path)
            status = "miss"
        except OSError as exc:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)
            say(f"could not cache the trained model ({exc}); continuing", progress)
    return model.eval(), {**key, "losses": losses, "cache": status, "path": str(Path(path))}
