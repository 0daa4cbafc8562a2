# %% [markdown]
# # Several CLIP models on the same images: k* next to zero-shot accuracy
#
# The 2024 paper links generalisation to concept clustering: models that generalise better
# fracture concepts less. Here: OpenCLIP models and weights on the same images, each space's
# k\* summary ranked next to its zero-shot accuracy.
#
# Needs the network once (weights, CIFAR-10). Offline, the notebook still runs: it notes
# what is missing, uses the digits instead of CIFAR-10 and random weights instead of the
# trained ones, so the numbers then only show the mechanics.

# %% tags=["parameters"]
# Parameters
MODELS = [
    ("ViT-B-32", "laion2b_s34b_b79k"),
    ("ViT-B-32", "openai"),
    ("RN50", "openai"),
    ("ViT-B-16", "openai"),
]
DATA_ROOT = "~/.cache/kstar_widgets/data"  # where CIFAR-10 is (or will be downloaded)
LIMIT = 2000  # images per model
OFFLINE_LIMIT, OFFLINE_IMAGE_SIZE = 300, 64  # smaller and faster with random weights

# %%
import pandas as pd

import kstar_widgets as kw
from kstar_widgets.features import WeightsUnavailableError

try:
    data = kw.datasets.torchvision_dataset("CIFAR10", DATA_ROOT, train=False)
except (ConnectionError, ValueError, OSError) as exc:
    print(f"NOTE: CIFAR-10 unavailable ({type(exc).__name__}); using the offline digits instead.")
    data = kw.datasets.digits()
print(data)

# %%
rows, spaces = [], {}
for arch, tag in MODELS:
    spec = f"open_clip:{arch}/{tag}"
    try:
        feats = kw.extract(spec, data, pretrained=True, limit=LIMIT)
        weights = tag
    except WeightsUnavailableError:
        print(
            f"NOTE: {spec} weights unavailable offline; random weights, {OFFLINE_LIMIT} images at "
            f"{OFFLINE_IMAGE_SIZE} px (mechanics only, not the paper's result)"
        )
        feats = kw.extract(
            spec,
            data,
            pretrained=False,
            limit=OFFLINE_LIMIT,
            image_size=OFFLINE_IMAGE_SIZE,
            progress=False,
        )
        weights = "random"
    res = feats.kstar(metric="cosine", method="exact", progress=False, name=f"{arch}/{weights}")
    spaces[res.name] = (feats, res)
    s = res.summary
    rows.append(
        {
            "model": arch,
            "weights": weights,
            "mean Γ": s["mean_skewness"],
            "share Fractured": s["share_fractured"],
            "share Clustered": s["share_clustered"],
            "zero-shot accuracy": kw.features.zero_shot_accuracy(feats).attrs["overall"],
        }
    )
table = pd.DataFrame(rows).sort_values("mean Γ").reset_index(drop=True)
table

# %%
trained = table[table["weights"] != "random"]
if len(trained) >= 3:
    rho = trained["mean Γ"].corr(trained["zero-shot accuracy"], method="spearman")
    print(
        f"Spearman correlation of mean Γ and zero-shot accuracy over {len(trained)} models: {rho:+.2f}"
    )
else:
    print("Fewer than three models with real weights: no ranking to correlate.")

# %% [markdown]
# ## Explore the spaces side by side

# %%
first = next(iter(spaces.values()))[0]
same = [r for f, r in spaces.values() if len(f) == len(first)]
kw.explore(same, images=first)
