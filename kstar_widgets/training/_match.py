"""The standard CNN stopped early, to match another model's clean accuracy."""

from __future__ import annotations

from typing import NamedTuple


class EarlyStop(NamedTuple):
    """The chosen epoch count, its held-out accuracy and model, and every count tried."""

    epochs: int
    accuracy: float
    model: object
    tried: list


def match_clean_accuracy(split, target, *, max_epochs=8, seed=0, **kwargs) -> EarlyStop:
    """The standard CNN trained for the whole number of epochs whose accuracy is nearest ``target``.

    Trains (or loads) the CNN for 1, 2, ... epochs, each from the start with its own
    schedule, and stops at the first count that reaches ``target``: more epochs only
    move further above it. The notebook's weights for these counts ship with the package.

    Parameters
    ----------
    split : DigitsSplit
    target : float
        Held-out accuracy to match, in [0, 1].
    max_epochs : int, default=8
    seed : int, default=0
    **kwargs
        Passed to :func:`trained_model` (train, cache_dir, progress, ...).

    Returns
    -------
    EarlyStop
        ``tried`` lists ``(epochs, accuracy, model, info)`` for each count trained.

    Example
    -------
    >>> from kstar_widgets.training import digits_split, match_clean_accuracy
    >>> match_clean_accuracy(digits_split(), 0.9, progress=False).epochs  # doctest: +SKIP
    2
    """
    from ._eval import evaluate
    from ._trained import trained_model

    xt, yt = split.x[split.test], split.y[split.test]
    tried = []
    for epochs in range(1, int(max_epochs) + 1):
        model, info = trained_model(split, epochs=epochs, seed=seed, **kwargs)
        tried.append((epochs, evaluate(model, xt, yt), model, info))
        if tried[-1][1] >= target:
            break
    epochs, acc, model, _ = min(tried, key=lambda t: abs(t[1] - target))
    return EarlyStop(epochs, acc, model, tried)
