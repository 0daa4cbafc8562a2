"""Trained digits CNNs: the shipped weights, or trained here and cached on disk."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile

from ..utils._progress import say
from ._shipped import WEIGHTS, ShippedWeightsError, find_shipped, load_shipped, weights_recipe
from ._train import train_classifier


def trained_model(
    split,
    *,
    attack=None,
    epochs=8,
    eps=0.1,
    seed=0,
    train=None,
    cache_dir=None,
    cache=True,
    progress=True,
    **model_kwargs,
):
    """The small CNN trained on ``split.train`` (adversarially if ``attack``): shipped or trained.

    Parameters
    ----------
    split : DigitsSplit
        From :func:`digits_split`; its images and split are part of the cache key.
    attack : {None, "fgsm", "pgd"}, default=None
        None: standard training; otherwise adversarial training with this attack.
    epochs, eps, seed
        As in :func:`train_classifier`.
    train : {None, True, False}, default=None
        None: the weights shipped with the package when they were trained with exactly
        these options (the demo's and the notebooks'), else train here. True: train here
        (the on-disk cache still applies). False: shipped weights or an error.
    cache_dir : str or path, optional
        Feature cache folder; weights trained here go to its "models" subfolder.
    cache : bool, default=True
        False: always train (unless shipped), write nothing.
    **model_kwargs
        Passed to :func:`small_cnn` (arch, channels).

    Returns
    -------
    (model, info) : torch.nn.Module in eval mode, dict
        info: the recipe (epochs, attack, eps, seed, model, ...), losses, cache ("shipped",
        "hit", "miss" or "off"), path.

    Example
    -------
    >>> from kstar_widgets.training import digits_split, trained_model
    >>> model, info = trained_model(digits_split(), epochs=8, progress=False)
    >>> info["cache"]
    'shipped'
    """
    from ._model import small_cnn

    model = small_cnn(seed=seed, **model_kwargs)
    recipe = weights_recipe(
        split, attack=attack, epochs=epochs, eps=eps, seed=seed, model_kwargs=model_kwargs
    )
    if train is not True:
        entry = find_shipped(recipe)
        if entry is not None:
            load_shipped(model, entry)
            say(f"trained weights shipped with the package: {entry['file']}", progress)
            return model, {
                **recipe,
                "losses": list(entry["losses"]),
                "cache": "shipped",
                "path": str(WEIGHTS / entry["file"]),
            }
        if train is False:
            raise ShippedWeightsError(
                f"no weights ship for this recipe ({recipe}); pass train=None or True to "
                "train the model here."
            )
    return _trained_here(model, split, recipe, cache_dir=cache_dir, cache=cache, progress=progress)


def _trained_here(model, split, recipe, *, cache_dir, cache, progress):
    """Train ``model`` by ``recipe``, or read it from the on-disk cache; (model, info)."""
    import torch

    from ..features import cache_dir as features_cache_dir

    key = {**recipe, "split": split.fingerprint, "torch": str(torch.__version__), "format": 4}
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
    folder = features_cache_dir(cache_dir) / "models"
    path = folder / f"digits-{recipe['attack'] or 'standard'}-{digest}.pt"
    losses = _read_cache(model, path, progress) if cache else None
    if losses is not None:
        return model.eval(), {**key, "losses": losses, "cache": "hit", "path": str(path)}
    losses = train_classifier(
        model,
        split.x[split.train],
        split.y[split.train],
        epochs=recipe["epochs"],
        seed=recipe["seed"],
        attack=recipe["attack"],
        eps=0.1 if recipe["eps"] is None else recipe["eps"],
        progress=progress,
    )
    status = _write_cache(model, losses, key, path, progress) if cache else "off"
    return model.eval(), {**key, "losses": losses, "cache": status, "path": str(path)}


def _read_cache(model, path, progress):
    """The cached losses after loading ``path`` into ``model``; None when absent or unreadable."""
    import torch

    if not path.is_file():
        return None
    try:
        stored = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(stored["state"])
    except (OSError, RuntimeError, KeyError, EOFError, ValueError, pickle.UnpicklingError):
        say(f"ignoring an unreadable cached model {path}", progress)
        return None
    say(f"trained weights from cache {path}", progress)
    return list(stored["losses"])


def _write_cache(model, losses, key, path, progress) -> str:
    """Save the trained model atomically; "miss" when written, "off" when it could not be."""
    import torch

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=path.parent)
        os.close(fd)
        torch.save({"state": model.state_dict(), "losses": losses, "key": key}, tmp)
        os.replace(tmp, path)
        return "miss"
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        say(f"could not cache the trained model ({exc}); continuing", progress)
        return "off"
