"""The trained digits CNNs that ship with the package, checked by sha256 before they load.

Float32 training rounds differently on different CPUs: trained here and there, the
same seeded recipe gives slightly different weights, and the demo's table moved (robust
CNN 2/2/6 patterns on one machine, 2/3/5 on another). Loading these files instead gives
every machine the same models. ``weights/weights.json`` says how each file was made
(command, recipe, seed, epochs, losses, library versions) and holds its sha256; a file
whose bytes differ raises :class:`ShippedWeightsError` instead of loading. Remake them
with ``python -m kstar_widgets.training._make_weights`` (see that module).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parent / "weights"
MANIFEST = "weights.json"


class ShippedWeightsError(RuntimeError):
    """No weights ship for these options, or a shipped file is missing or damaged."""


def weights_recipe(split, *, attack, epochs, eps, seed, model_kwargs) -> dict:
    """What decides a trained model's weights, as JSON-able values (one source for both keys)."""
    from ._model import SMALL_CHANNELS

    model = {"arch": "resnet10t", "channels": list(SMALL_CHANNELS), **model_kwargs}
    model = {k: list(v) if isinstance(v, tuple) else v for k, v in model.items()}
    return {
        "model": model,
        "image_size": int(split.x.shape[-1]),
        "train_rows": hashlib.sha256(split.train.astype("<i8").tobytes()).hexdigest()[:16],
        "attack": attack,
        "epochs": int(epochs),
        "eps": None if attack is None else float(eps),  # plain training never uses eps
        "seed": int(seed),
    }


def manifest(folder=WEIGHTS) -> dict:
    """The shipped weights' record: ``{"made_by": ..., "files": [entry, ...]}``."""
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {"files": []}
    except (OSError, ValueError) as exc:
        raise ShippedWeightsError(f"cannot read {path} ({exc}); reinstall kstar-widgets.") from exc


def find_shipped(recipe: dict, folder=WEIGHTS) -> dict | None:
    """The manifest entry trained with exactly ``recipe``, or None."""
    return next((e for e in manifest(folder)["files"] if e["recipe"] == recipe), None)


def file_sha256(path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_shipped(model, entry: dict, folder=WEIGHTS):
    """Load the weights of manifest ``entry`` into ``model`` after checking their sha256."""
    from safetensors.torch import load

    path = Path(folder) / entry["file"]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ShippedWeightsError(
            f"the shipped weights {path} cannot be read ({exc}): reinstall kstar-widgets, "
            "or train the model here (train=True; kstar-widgets demo --train)."
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        raise ShippedWeightsError(
            f"the shipped weights {path} are damaged: sha256 {digest[:16]}..., expected "
            f"{entry['sha256'][:16]}... Reinstall kstar-widgets, or train the model here "
            "(train=True; kstar-widgets demo --train)."
        )
    model.load_state_dict(load(data), strict=True)
    return model.eval()
