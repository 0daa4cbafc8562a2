# %% [markdown]
# # Reproducing the paper's ResNet-50 table
#
# The k\* paper reports the skewness Γ of every class for a ResNet-50 with torchvision's
# ImageNet weights, at its logits and at its average-pool layer, on the 16-class
# ImageNet "colour" stimuli of the model-vs-human benchmark (1,280 images, 80 per class).
# This notebook computes the same numbers with the toolkit and sets them beside the
# published ones, with the differences and, where the results carry them, bootstrap
# intervals.
#
# **What you need** (once, with network):
#
# 1. The images: `colour.tar.gz` from the model-vs-human releases,
#    <https://github.com/bethgelab/model-vs-human/releases/download/v0.1/colour.tar.gz>,
#    unpacked so that `DATA_FOLDER` below holds its `dnn/session-1/*.png` files
#    (`mkdir -p ~/.cache/kstar_widgets/data/model-vs-human && tar xzf colour.tar.gz -C
#    ~/.cache/kstar_widgets/data/model-vs-human`).
# 2. The weights: `timm:resnet50.tv_in1k` is downloaded by timm from the Hugging Face hub
#    the first time `pretrained=True` runs with network, then cached.
#
# **Offline** the notebook shows the published table, says what is missing, and runs the
# same cells on a clearly labelled **stand-in** (the scikit-learn digits through a
# randomly initialised ResNet-50 at small size), whose numbers are not comparable with
# the paper's.

# %% tags=["parameters"]
DATA_FOLDER = "~/.cache/kstar_widgets/data/model-vs-human/colour"  # holds dnn/session-1/*.png
MODEL = "timm:resnet50.tv_in1k"  # torchvision's ImageNet weights, as in the paper
LAYERS = {"logits": "logits", "average pool": "pre_logits"}  # paper's name -> timm layer
STAND_IN_LIMIT, STAND_IN_IMAGE_SIZE = (
    300,
    64,
)  # the offline stand-in (at 32 px a random ResNet-50 maps many digits to one vector)

# %%
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import display

import kstar_widgets as kw
from kstar_widgets import interpret
from kstar_widgets.features import WeightsUnavailableError

# %% [markdown]
# ## The published values
# Γ per class of the ResNet-50 as published: logits for all sixteen classes, the
# average-pool layer for the first eight.

# %%
PUBLISHED_LOGITS = {
    "airplane": -0.84,
    "bear": 0.65,
    "bicycle": 2.6,
    "bird": 2.01,
    "boat": 0.84,
    "bottle": 1.02,
    "car": -0.17,
    "cat": 0.79,
    "chair": 4.32,
    "clock": 0.57,
    "dog": 2.88,
    "elephant": -0.99,
    "keyboard": -0.31,
    "knife": 1.62,
    "oven": 1.3,
    "truck": -0.2,
}
PUBLISHED_POOL = {
    "airplane": -0.93,
    "bear": 0.91,
    "bicycle": 2.59,
    "bird": 3.15,
    "boat": 0.9,
    "bottle": 1.3,
    "car": -0.07,
    "cat": 0.49,
}
published = pd.DataFrame({"logits": PUBLISHED_LOGITS, "average pool": PUBLISHED_POOL})
published.index.name = "class"
published["pattern (logits)"] = kw.classify(published["logits"].to_numpy())
# headed as Γ, so written as Γ is everywhere (signed); "n/a" where the paper gives none
interpret.readable(
    published.rename(columns={"logits": "Γ logits", "average pool": "Γ average pool"})
)

# %%
counts = published["pattern (logits)"].value_counts()
print(
    f"Published, logits: {', '.join(f'{n} {p}' for p, n in counts.items())} of "
    f"{len(published)} classes; mean Γ {interpret.number(published['logits'].mean())}."
    + (
        " A trained ImageNet classifier leaves most of these classes Fractured at its logits."
        if counts.get("Fractured", 0) > len(published) / 2
        else ""
    )
)

# %% [markdown]
# ## The images, sorted into one folder per class
# The model-vs-human files sit in one folder and carry their class in their name
# (`0001_cl_dnn_cr_airplane_00_....png`: the fifth field). `kw.datasets.image_folder`
# wants one subfolder per class, so the cell links each file into `<class>/` next to
# `DATA_FOLDER`. Without the files, the stand-in takes over.


# %%
def by_class(folder: Path) -> Path:
    """Link the model-vs-human files into one subfolder per class; returns that root."""
    files = sorted((folder / "dnn" / "session-1").glob("*.png"))
    root = folder.parent / f"{folder.name}-by-class"
    for f in files:
        target = root / f.name.split("_")[4] / f.name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.symlink(f, target)
            except OSError:  # no symlinks here (some Windows set-ups): copy
                shutil.copyfile(f, target)
    return root


folder = Path(DATA_FOLDER).expanduser()
real_data = (folder / "dnn" / "session-1").is_dir()
if real_data:
    data = kw.datasets.image_folder(by_class(folder))
    print(data, f"({len(data)} images; the paper used 1,280)")
else:
    print(
        f"NOTE: the colour stimuli are not in {folder} — download colour.tar.gz from "
        "https://github.com/bethgelab/model-vs-human/releases/download/v0.1/colour.tar.gz "
        "and unpack it there (see the top of this notebook). STAND-IN: the scikit-learn digits."
    )
    data = kw.datasets.digits()

# %% [markdown]
# ## The model, at the paper's two layers
# Euclidean k\*, exact, as the paper computes it. `logits` is the 1,000-way output before
# the softmax; `pre_logits` is timm's name for the 2,048-d global average pool.

# %%
pretrained = True
try:
    kw.extract(MODEL, data, pretrained=True, layer="logits", limit=2, progress=False)
except WeightsUnavailableError:
    print(
        f"NOTE: the weights of {MODEL} are not cached and cannot be downloaded here; run this "
        "cell once with network (timm fetches them from the Hugging Face hub). STAND-IN: "
        "random weights."
    )
    pretrained = False
stand_in = not (real_data and pretrained)
options = (
    {"limit": STAND_IN_LIMIT, "image_size": STAND_IN_IMAGE_SIZE} if stand_in else {"limit": None}
)
results = {}
for name, layer in LAYERS.items():
    feats = kw.extract(MODEL, data, pretrained=pretrained, layer=layer, **options)
    label = f"{'STAND-IN ' if stand_in else ''}{name}"
    results[name] = feats.kstar(method="exact", progress=False, name=label)
if stand_in:
    source = "the colour stimuli" if real_data else f"{len(feats)} digits"
    weights = "pretrained" if pretrained else "random"
    what = f"STAND-IN ({source}, {weights} {MODEL}, {STAND_IN_IMAGE_SIZE} px)"
else:
    what = f"{MODEL} on the {len(feats)} colour stimuli"
print(what)

# %% [markdown]
# ## Computed beside published
# Per class: the toolkit's Γ (with its 95% bootstrap interval where the result has one),
# the published Γ, their difference, and whether the published value lies inside the
# interval.


# %%
def computed_table(res, published_column):
    c = res.concepts
    table = pd.DataFrame(
        {
            "Γ computed": [interpret.gamma(res, k).removeprefix("Γ ") for k in c.index],
            "pattern": c["pattern"].to_numpy(),
        },
        index=c.index.astype(str),
    )
    if not stand_in:
        pub = published[published_column].reindex(table.index)
        table["Γ published"] = pub
        table["difference"] = c["skewness"].astype(float).to_numpy() - pub.to_numpy()
        if "skewness_ci_low" in c:
            low, high = c["skewness_ci_low"].to_numpy(), c["skewness_ci_high"].to_numpy()
            table["published inside interval"] = np.where(
                pub.isna(), None, (pub.to_numpy() >= low) & (pub.to_numpy() <= high)
            )
    return table


tables = {name: computed_table(res, name) for name, res in results.items()}
for name, table in tables.items():
    print(f"{what} — {name}")
    display(interpret.readable(table))

# %%
for name, table in tables.items():
    res = results[name]
    if stand_in:
        print(
            f"{name}: {interpret.figure(res, 'mean_skewness')}, "
            f"{interpret.figure(res, 'share_fractured')} — stand-in numbers, which say nothing "
            "about the paper's; run with the stimuli and the weights to compare."
        )
        continue
    known = table.dropna(subset=["Γ published"])
    worst = known["difference"].abs().idxmax()
    line = (
        f"{name}: over {len(known)} published classes the toolkit differs by "
        f"{known['difference'].abs().median():.2f} in the median, most for {worst} "
        f"({interpret.number(known.loc[worst, 'difference'])})"
    )
    if "published inside interval" in known:
        inside = int(known["published inside interval"].astype(bool).sum())
        line += f"; {inside} of {len(known)} published values lie inside the 95% interval"
    print(line + ".")

# %% [markdown]
# ## Where the toolkit and the authors' code could differ
# - **Ties.** The authors sort each row of the distance matrix with `argsort` and take the
#   first sample of another class; when a foreign sample and a same-class sample lie at
#   exactly the same distance, the order `argsort` happens to give decides. The toolkit
#   breaks such ties one fixed way: the foreign sample counts first
#   ([docs/method.md](../docs/method.md)). This changes k\* only for exact ties — rare
#   with float features of natural images, common with duplicated images.
# - **Preprocessing.** timm's `resnet50.tv_in1k` transform (resize, centre crop 224,
#   ImageNet normalisation) stands in for torchvision's; the stimuli are already 224 px.
# - **Floating point.** Distances in float32 with float64 settling near the boundary;
#   an implementation in float32 throughout can order near-equal distances differently.
#
# Differences in the table beyond these are worth reporting, with the interval: a
# difference inside the bootstrap interval is within what resampling 80 images moves Γ.
