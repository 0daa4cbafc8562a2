"""The digits through several latent spaces: pixels, a random CNN, trained, adversarially trained."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np


@dataclass(repr=False)
class Space:
    """One latent space of the held-out digits, and how its model does.

    Attributes
    ----------
    name : str
    features : kw.Features
        Vectors of the held-out digits (``features.images()`` gives thumbnails).
    accuracy : float or None
        Held-out accuracy (None for raw pixels: no classifier).
    attack_accuracy : float or None
        Held-out accuracy under the attack (trained models only).
    info : dict
        Training details (epochs, attack, eps, losses, cache), seconds.
    """

    name: str
    features: object
    accuracy: float | None = None
    attack_accuracy: float | None = None
    info: dict = field(default_factory=dict)

    def __repr__(self):
        return (
            f"Space({self.name!r}, d={self.features.features.shape[1]}, accuracy={self.accuracy})"
        )


def digits_spaces(
    *,
    epochs=8,
    attack="fgsm",
    eps=0.1,
    size=32,
    test_size=0.4,
    seed=0,
    robust=True,
    cache_dir=None,
    progress=True,
) -> dict:
    """The held-out digits seen through raw pixels and a small timm CNN: random, trained, robust.

    The CNN (timm resnet10t at a quarter width, ``size`` px input) is trained on the
    training part of a seeded stratified split, once plainly and once adversarially;
    weights and features are cached on disk, so a second call is quick.

    Parameters
    ----------
    epochs : int, default=8
        Training epochs of each trained model.
    attack : {"fgsm", "pgd"}, default="fgsm"
        Adversarial training attack, also used to measure accuracy under attack.
    eps : float, default=0.1
        L-infinity budget on [0, 1] images.
    size : int, default=32
        Input side in pixels.
    test_size : float, default=0.4
        Held-out share; every space holds these samples only.
    seed : int, default=0
        Split, initial weights, shuffling.
    robust : bool, default=True
        Also train the adversarial copy (about half the first call's time); False
        leaves out "robust CNN".
    cache_dir : str or path, optional
        Feature cache folder (trained weights go to its "models" subfolder).
    progress : bool, default=True

    Returns
    -------
    dict of str -> Space
        "pixels", "random CNN", "trained CNN", "robust CNN" (if ``robust``), in that order.

    Example
    -------
    >>> from kstar_widgets.training import digits_spaces
    >>> spaces = digits_spaces(epochs=1, progress=False)  # doctest: +SKIP
    >>> {name: s.features.kstar(progress=False).summary["mean_skewness"] for name, s in spaces.items()}  # doctest: +SKIP
    """
    from ..features import Features, extract
    from ._data import digits_split
    from ._eval import accuracy_under_attack, evaluate
    from ._model import small_cnn
    from ._trained import trained_model

    split = digits_split(size=size, test_size=test_size, random_state=seed)
    test = split.data.subset(split.test)
    xt, yt = split.x[split.test], split.y[split.test]
    pixels = split.data.pixels[split.test].reshape(len(split.test), -1).astype(np.float32)
    raw = Features.from_arrays(
        pixels,
        test.labels,
        test.concept_names,
        test.sample_ids,
        meta={"model": "pixels", "layer": "8x8"},
    )
    raw.dataset = test
    spaces = {"pixels": Space("pixels", raw, info={"dim": pixels.shape[1]})}

    def encode(model):
        return extract(model, test, layer="global_pool", cache_dir=cache_dir, progress=progress)

    t0 = time.perf_counter()
    random_model = small_cnn(seed=seed)
    spaces["random CNN"] = Space(
        "random CNN",
        encode(random_model),
        evaluate(random_model, xt, yt),
        info={"seconds": time.perf_counter() - t0},
    )
    trainings = [("trained CNN", None), ("robust CNN", attack)][: 2 if robust else 1]
    for name, how in trainings:
        t0 = time.perf_counter()
        model, info = trained_model(
            split,
            attack=how,
            epochs=epochs,
            eps=eps,
            seed=seed,
            cache_dir=cache_dir,
            progress=progress,
        )
        acc = evaluate(model, xt, yt)
        adv = accuracy_under_attack(model, xt, yt, attack=attack, eps=eps, seed=seed)
        info["seconds"] = time.perf_counter() - t0
        spaces[name] = Space(name, encode(model), acc, adv, info)
    return spaces
