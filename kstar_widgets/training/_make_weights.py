"""Make the shipped weights: ``python -m kstar_widgets.training._make_weights [FOLDER]``.

Trains, seeded, on one thread with torch's deterministic algorithms, exactly what the
demo and notebooks 01 and 04 load: the standard CNN (8 epochs), the FGSM-adversarial
CNN (8 epochs, eps 0.1), and the standard CNN for 1, 2, ... epochs up to the first count
whose held-out accuracy reaches the robust CNN's (notebook 04's early stop). Writes one
safetensors file per model and ``weights.json`` (recipe, sha256, losses, versions).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ._shipped import MANIFEST, WEIGHTS

COMMAND = "python -m kstar_widgets.training._make_weights"


def _versions() -> dict:
    """The library versions and machine the weights were trained with."""
    import platform

    import numpy
    import sklearn
    import timm
    import torch

    import kstar_widgets

    return {
        "kstar_widgets": kstar_widgets.__version__,
        "torch": torch.__version__,
        "timm": timm.__version__,
        "numpy": numpy.__version__,
        "scikit-learn": sklearn.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {platform.system()}, {_cpu()}",
    }


def _cpu() -> str:
    """The CPU's model name (float32 rounding differs between CPUs)."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return "CPU unknown"
    return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "")


def _entry(folder, split, model, info, accuracy) -> dict:
    """Write ``model``'s weights into ``folder``; its manifest entry."""
    import hashlib

    from safetensors.torch import save

    from ._shipped import weights_recipe

    recipe = weights_recipe(
        split, attack=info["attack"], epochs=info["epochs"], eps=0.1, seed=0, model_kwargs={}
    )
    name = f"digits-cnn-{recipe['attack'] or 'standard'}-{recipe['epochs']}ep.safetensors"
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    data = save(state)
    (Path(folder) / name).write_bytes(data)
    return {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "recipe": recipe,
        "losses": [float(v) for v in info["losses"]],
        "held_out_accuracy": accuracy,
    }


def make(folder=WEIGHTS, *, progress=True) -> list[dict]:
    """Train the shipped models and write them with their manifest into ``folder``."""
    from ._data import digits_split
    from ._eval import evaluate
    from ._match import match_clean_accuracy
    from ._trained import trained_model

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    split = digits_split()
    xt, yt = split.x[split.test], split.y[split.test]
    entries = {}
    for attack in (None, "fgsm"):
        model, info = trained_model(
            split, attack=attack, train=True, cache=False, progress=progress
        )
        entries[info["attack"], info["epochs"]] = (model, info, evaluate(model, xt, yt))
    target = entries["fgsm", 8][2]
    early = match_clean_accuracy(split, target, train=True, cache=False, progress=progress)
    for epochs, acc, model, info in early.tried:
        entries.setdefault((None, epochs), (model, info, acc))
    files = [
        _entry(folder, split, *entries[k])
        for k in sorted(entries, key=lambda k: (k[0] or "", k[1]))
    ]
    record = {
        "made_by": {
            "command": COMMAND,
            "how": "seeded (seed 0), one torch thread, torch deterministic algorithms, float32, "
            "CPU; the digits split of digits_split() (32 px, 40% held out)",
            "notebook_04_early_stop": {"epochs": early.epochs, "target": target},
            "versions": _versions(),
        },
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(record, indent=1) + "\n")
    return files


if __name__ == "__main__":
    for f in make(*sys.argv[1:2]):
        print(f["file"], f["sha256"], f"{f['held_out_accuracy']:.1%}")
