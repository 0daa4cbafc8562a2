# %% [markdown]
# # Several CLIP models on the same images: k* next to zero-shot accuracy
#
# The 2024 paper links generalisation to concept clustering: models that generalise better
# fracture concepts less. Here: OpenCLIP models and weights on the same images, each
# space's k\* summary next to its zero-shot accuracy (the image embedding's nearest
# concept-name text embedding).
#
# Needs the network once (weights, CIFAR-10). Offline the notebook still runs: it says
# what is missing, uses the digits instead of CIFAR-10 and computes each *architecture*
# once with random weights, so the code path is exercised. Random-weight rows show
# mechanics only: they are listed apart and never ranked.

# %% tags=["parameters"]
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
from IPython.display import display

import kstar_widgets as kw
from kstar_widgets import interpret
from kstar_widgets.features import WeightsUnavailableError

try:
    data = kw.datasets.torchvision_dataset("CIFAR10", DATA_ROOT, train=False)
except (ConnectionError, ValueError, OSError) as exc:
    print(f"NOTE: CIFAR-10 unavailable ({type(exc).__name__}); using the offline digits instead.")
    data = kw.datasets.digits()
print(data)

# %% [markdown]
# ## One k* computation per model
# Cosine distance, as CLIP embeddings are compared by angle. A model whose weights cannot
# be loaded is noted once; its architecture is then computed once with random weights
# (two weight sets of one architecture give the same random model, so one row).


# %%
def summary_row(name, weights, feats, res):
    s = res.summary
    return {
        "model": name,
        "weights": weights,
        "images": len(feats),
        "share Fractured": interpret.figure(res, "share_fractured", label=False),
        "share Clustered": interpret.figure(res, "share_clustered", label=False),
        "mean Γ": interpret.figure(res, "mean_skewness", label=False),
        "zero-shot accuracy": kw.features.zero_shot_accuracy(feats).attrs["overall"],
        "_share_fractured": s["share_fractured"],
    }


trained, stand_ins, missing, spaces = [], [], [], {}
for arch, tag in MODELS:
    spec = f"open_clip:{arch}/{tag}"
    try:
        feats = kw.extract(spec, data, pretrained=True, limit=LIMIT)
    except WeightsUnavailableError:
        missing.append(spec)
        if arch in {row["model"] for row in stand_ins}:
            continue  # this architecture's random stand-in is already computed
        feats = kw.extract(
            f"open_clip:{arch}",
            data,
            pretrained=False,
            limit=OFFLINE_LIMIT,
            image_size=OFFLINE_IMAGE_SIZE,
            progress=False,
        )
        res = feats.kstar(metric="cosine", method="exact", progress=False, name=f"{arch} (random)")
        stand_ins.append(summary_row(arch, "random", feats, res))
    else:
        res = feats.kstar(metric="cosine", method="exact", progress=False, name=f"{arch}/{tag}")
        trained.append(summary_row(arch, tag, feats, res))
    spaces[res.name] = (feats, res)
if missing:
    print(
        f"NOTE: weights unavailable here for {len(missing)} of {len(MODELS)} models "
        f"({', '.join(missing)}); their architectures ran with random weights, "
        f"{OFFLINE_LIMIT} images at {OFFLINE_IMAGE_SIZE} px. Run once with network to fetch them."
    )

# %% [markdown]
# ## Trained models, fewest Fractured concepts first
# Brackets: 95% bootstrap intervals, where the result carries them.

# %%
chance = 1 / len(data.concept_names)
if trained:
    table = pd.DataFrame(trained).sort_values("_share_fractured").drop(columns="_share_fractured")
    display(interpret.readable(table.reset_index(drop=True)))
    best, worst = table.iloc[0], table.iloc[-1]
    print(
        f"Of {len(table)} trained models, {best['model']}/{best['weights']} fractures the fewest "
        f"concepts (share {best['share Fractured']}, zero-shot accuracy "
        f"{best['zero-shot accuracy']:.1%}) and {worst['model']}/{worst['weights']} the most "
        f"({worst['share Fractured']}, {worst['zero-shot accuracy']:.1%})."
    )
    if len(table) >= 3:
        rho = pd.Series([r["_share_fractured"] for r in trained]).corr(
            pd.Series([r["zero-shot accuracy"] for r in trained]), method="spearman"
        )
        print(
            f"Spearman correlation of share Fractured and zero-shot accuracy over {len(table)} "
            f"models: {interpret.number(rho)} (negative: the better models fracture less). With this few "
            "models a rank correlation is a hint, not a test."
        )
    else:
        print("Fewer than three trained models: too few to correlate k* with accuracy.")
else:
    print("No trained weights could be loaded here: nothing to compare or rank.")

# %% [markdown]
# ## Random-weight stand-ins (mechanics only)
# Listed in the order of `MODELS`, not ranked: with random weights, the numbers describe an
# untrained architecture on small images, not what the model learned.

# %%
if stand_ins:
    display(interpret.readable(pd.DataFrame(stand_ins).drop(columns="_share_fractured")))
    accs = ", ".join(f"{r['model']} {r['zero-shot accuracy']:.1%}" for r in stand_ins)
    per_concept = stand_ins[0]["images"] / len(data.concept_names)
    print(
        f"Zero-shot accuracy of the stand-ins: {accs}, against {chance:.1%} by chance: these "
        f"weights know nothing. With about {per_concept:.0f} images per concept, one concept's "
        f"Γ is uncertain by roughly ±{(6 / per_concept) ** 0.5:.1f} (√(6/n)), so the stand-ins' "
        "patterns say nothing about the architectures either."
    )
else:
    print("Every model had its trained weights: no stand-ins.")

# %% [markdown]
# ## Explore the spaces side by side
# The views of every computed space on the same images (stand-ins see fewer images, so
# they are shown together only with spaces of the same size).

# %%
first = next(iter(spaces.values()))[0]
same = [r for f, r in spaces.values() if len(f) == len(first)]
kw.explore(same, images=first)
