# %% [markdown]
# # Across the layers: from fractured to clustered?
#
# A network transforms its input stage by stage. Computing k\* at every stage shows where
# the concepts come together: early stages see strokes and edges that many digits share,
# late stages should separate what the classifier has to tell apart.
#
# Offline this uses the digits CNN of the quickstart (timm resnet10t at a quarter width,
# 32 px input), random and trained. **Each stage's feature map is global-average-pooled**
# over its spatial positions into one vector per image, so a stage's dimension is its
# channel count (16 to 128 here, 10 for the logits `fc`). Pooling discards *where* a
# feature fired; early stages, whose features are local, lose the most by it, which is
# part of why their k\* look as they do. With weights available, the last section runs any
# timm model the same way.

# %% tags=["parameters"]
EPOCHS = 8
TIMM_MODEL = "resnet18"  # a second network, stage by stage (pretrained weights if available)
TIMM_LIMIT, TIMM_IMAGE_SIZE = 600, 32

# %%
import numpy as np
import pandas as pd

import kstar_widgets as kw
from kstar_widgets import interpret
from kstar_widgets.training import digits_split, small_cnn, trained_model

split = digits_split()
test = split.data.subset(split.test)
models = {"random": small_cnn(), "trained": trained_model(split, epochs=EPOCHS)[0]}
LAYERS = ["act1", "layer1", "layer2", "layer3", "layer4", "fc"]  # fc: the logits
results, dims = {}, {}
for which, model in models.items():
    for layer in LAYERS:
        feats = kw.extract(model, test, layer=layer, progress=False)
        results[which, layer] = feats.kstar(method="exact", progress=False, name=f"{which}/{layer}")
        dims[layer] = feats.features.shape[1]

table = pd.DataFrame(
    {
        (which, column): [
            interpret.figure(results[which, layer], key, label=False) for layer in LAYERS
        ]
        for which in models
        for column, key in (
            ("share Fractured", "share_fractured"),
            ("share Clustered", "share_clustered"),
            ("mean Γ", "mean_skewness"),
        )
    },
    index=pd.Index(LAYERS, name="layer"),
)
table.insert(0, ("", "dim"), [dims[layer] for layer in LAYERS])
interpret.readable(table)

# %%
share_f = {w: [results[w, layer].summary["share_fractured"] for layer in LAYERS] for w in models}
share_c = {w: [results[w, layer].summary["share_clustered"] for layer in LAYERS] for w in models}
jump = int(np.argmax(np.diff(share_c["trained"]))) if len(LAYERS) > 1 else 0
first_c = interpret.figure(results["trained", LAYERS[0]], "share_clustered", label=False)
last_c = interpret.figure(results["trained", LAYERS[-1]], "share_clustered", label=False)
print(
    f"Reading: in the trained CNN the share of Clustered digits goes from {first_c} at "
    f"{LAYERS[0]} to {last_c} at {LAYERS[-1]}; the largest step comes between {LAYERS[jump]} "
    f"and {LAYERS[jump + 1]} ({share_c['trained'][jump]:.0%} → "
    f"{share_c['trained'][jump + 1]:.0%}). The random CNN has {min(share_f['random']):.0%} to "
    f"{max(share_f['random']):.0%} of the digits Fractured at every stage: without training, "
    "depth alone does not gather the concepts."
)


# %% [markdown]
# ## Γ of every digit, stage by stage
# Thin lines: each digit in the trained CNN; thick line: their mean; dashed: the random
# CNN's mean. The shaded bands are the pattern regions (Fractured above +t, Overlapped
# between ±t, Clustered below −t, t = 0.5).

# %%
from bokeh.models import BoxAnnotation, Legend
from bokeh.plotting import figure

# a Bokeh figure as a widget, drawn with the BokehJS the explorers share (offline, stored
# once per notebook), wherever anywidget runs
from kstar_widgets.widgets import show_figure

t = results["trained", LAYERS[0]].threshold
fig = figure(
    x_range=LAYERS,
    width=640,
    height=360,
    title="skewness Γ of each digit across the layers",
    x_axis_label="layer (stages global-average-pooled; fc = logits)",
    y_axis_label="Γ (clipped to ±6)",
    toolbar_location=None,
)
for low, high, pattern in ((t, None, "Fractured"), (-t, t, "Overlapped"), (None, -t, "Clustered")):
    colour = interpret.PATTERN_COLORS[pattern]
    fig.add_layout(BoxAnnotation(bottom=low, top=high, fill_color=colour, fill_alpha=0.12))
gammas = np.array(
    [results["trained", layer].concepts["skewness"].astype(float) for layer in LAYERS]
)
gammas = np.clip(gammas, -6, 6)  # ±inf (every k* = n or = 1) drawn at the edge
digit_lines = [
    fig.line(LAYERS, gammas[:, c], color="#7f7f7f", alpha=0.5) for c in range(gammas.shape[1])
]
mean_line = fig.line(LAYERS, np.nanmean(gammas, axis=1), color="#000000", line_width=3)
random_mean = [results["random", layer].summary["mean_skewness"] for layer in LAYERS]
random_line = fig.line(LAYERS, random_mean, color="#000000", line_dash="dashed", line_width=2)
legend = Legend(
    items=[
        ("each digit, trained", digit_lines[:1]),
        ("mean, trained", [mean_line]),
        ("mean, random", [random_line]),
    ]
)
fig.add_layout(legend, "right")
show_figure(fig)

# %% [markdown]
# ## Any timm model, stage by stage
# The same pooled stages of a timm model on the digits (resized to `TIMM_IMAGE_SIZE`).

# %%
import warnings

from kstar_widgets.features import WeightsUnavailableError

spec = f"timm:{TIMM_MODEL}"
layers = kw.features.list_layers(spec)
# pre_logits is the last stage pooled again: leave it out
stages = [name for name in layers if name not in ("logits", "pre_logits")] + ["logits"]
digits = kw.datasets.digits()
pretrained = True
try:
    kw.extract(spec, digits, pretrained=True, layer=stages[-1], limit=8, progress=False)
except WeightsUnavailableError:
    print(f"NOTE: {TIMM_MODEL} weights unavailable here: random weights (mechanics only).")
    pretrained = False
timm_results = {}
for layer in stages:
    feats = kw.extract(
        spec,
        digits,
        layer=layer,
        pretrained=pretrained,
        limit=TIMM_LIMIT,
        image_size=TIMM_IMAGE_SIZE,
        progress=False,
    )
    # a random network at a small image size maps many digits to one vector: kstar says so
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", kw.DegenerateSpaceWarning)
        timm_results[layer] = (feats.features.shape[1], feats.kstar(method="exact", progress=False))
    for w in caught:
        print(f"NOTE: {layer}: {str(w.message).split('. Their')[0]}.")
interpret.readable(  # cells that never wrap inside an interval
    pd.DataFrame(
        {
            "dim": [d for d, _ in timm_results.values()],
            "share Fractured": [
                interpret.figure(r, "share_fractured", label=False)
                for _, r in timm_results.values()
            ],
            "share Clustered": [
                interpret.figure(r, "share_clustered", label=False)
                for _, r in timm_results.values()
            ],
        },
        index=pd.Index(stages, name="layer"),
    )
)

# %%
first, last = timm_results[stages[0]][1], timm_results[stages[-1]][1]
print(
    f"{TIMM_MODEL} ({'pretrained' if pretrained else 'random weights'}): "
    f"{interpret.figure(first, 'share_fractured')} at {stages[0]}, "
    f"{interpret.figure(last, 'share_fractured')} at {stages[-1]}."
    + (
        ""
        if pretrained
        else " With random weights this shows only that the pipeline runs; it says nothing "
        "about what the network would learn."
    )
)
