# %% [markdown]
# # Across the layers: from fractured to clustered?
#
# k\* at each stage of one network, random and trained. Offline: the digits CNN of the
# quickstart (timm resnet10t at a quarter width). With weights available, any timm model.

# %% tags=["parameters"]
# Parameters
EPOCHS = 8
TIMM_MODEL = "resnet18"  # a second network, stage by stage (pretrained weights if available)
TIMM_LIMIT, TIMM_IMAGE_SIZE = 600, 32

# %%
import pandas as pd

import kstar_widgets as kw
from kstar_widgets.training import digits_split, small_cnn, trained_model

split = digits_split()
test = split.data.subset(split.test)
models = {"random": small_cnn(), "trained": trained_model(split, epochs=EPOCHS)[0]}
LAYERS = [
    "act1",
    "layer1",
    "layer2",
    "layer3",
    "layer4",
    "fc",
]  # layer4 is pooled: the pre-logit features
rows, results = [], {}
for which, model in models.items():
    for layer in LAYERS:
        feats = kw.extract(model, test, layer=layer, progress=False)
        res = feats.kstar(method="exact", progress=False, name=f"{which}/{layer}")
        results[res.name] = res
        s = res.summary
        rows.append(
            {
                "model": which,
                "layer": layer,
                "dim": feats.features.shape[1],
                "mean Γ": s["mean_skewness"],
                "Fractured": s["share_fractured"],
                "Overlapped": s["share_overlapped"],
                "Clustered": s["share_clustered"],
            }
        )
table = pd.DataFrame(rows)
table.pivot(index="layer", columns="model", values="mean Γ").loc[LAYERS]

# %%
table

# %%
from bokeh.io import output_notebook, show
from bokeh.palettes import Category10
from bokeh.plotting import figure
from bokeh.resources import INLINE

output_notebook(INLINE, hide_banner=True)
fig = figure(
    x_range=LAYERS,
    width=640,
    height=340,
    title="skewness Γ per digit across layers (trained)",
    y_axis_label="Γ",
    toolbar_location=None,
)
for c in range(10):
    gammas = [results[f"trained/{layer}"].concepts["skewness"].iloc[c] for layer in LAYERS]
    fig.line(LAYERS, gammas, color=Category10[10][c], legend_label=str(c))
random_mean = table[table.model == "random"]["mean Γ"].tolist()
fig.line(
    LAYERS,
    random_mean,
    color="black",
    line_dash="dashed",
    line_width=2,
    legend_label="random (mean)",
)
fig.legend.label_text_font_size = "7pt"
show(fig)

# %% [markdown]
# ## Any timm model, stage by stage

# %%
from kstar_widgets.features import WeightsUnavailableError

spec = f"timm:{TIMM_MODEL}"
layers = kw.features.list_layers(spec)
stages = [name for name in layers if name not in ("logits", "pre_logits")] + [
    "logits"
]  # pre_logits = last stage, pooled
pretrained = True
try:
    kw.extract(
        spec, kw.datasets.digits(), pretrained=True, layer=stages[-1], limit=8, progress=False
    )
except WeightsUnavailableError:
    print(f"NOTE: {TIMM_MODEL} weights unavailable offline: random weights (mechanics only).")
    pretrained = False
rows = []
for layer in stages:
    feats = kw.extract(
        spec,
        kw.datasets.digits(),
        layer=layer,
        pretrained=pretrained,
        limit=TIMM_LIMIT,
        image_size=TIMM_IMAGE_SIZE,
        progress=False,
    )
    s = feats.kstar(method="exact", progress=False).summary
    rows.append(
        {
            "layer": layer,
            "mean Γ": s["mean_skewness"],
            "Fractured": s["share_fractured"],
            "Clustered": s["share_clustered"],
        }
    )
pd.DataFrame(rows)
