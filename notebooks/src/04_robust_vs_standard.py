# %% [markdown]
# # Robust vs standard training: does robustness fracture concepts less?
#
# Two ways to look: timm's ImageNet models with and without adversarial training (needs
# the weights once), and the offline digits version, a small CNN trained plainly and with
# FGSM adversarial training. Both report what they measure.

# %% tags=["parameters"]
# Parameters
PAIRS = [
    ("inception_v3.tf_in1k", "inception_v3.tf_adv_in1k"),
    ("inception_resnet_v2.tf_in1k", "inception_resnet_v2.tf_ens_adv_in1k"),
]
IMAGE_FOLDER = None  # a folder of class subfolders of images (e.g. an ImageNet sample)
LIMIT = 1000
EPOCHS = 8

# %%
import pandas as pd
import timm

import kstar_widgets as kw
from kstar_widgets.features import WeightsUnavailableError

print(
    "adversarially trained weights timm knows:",
    [m for m in timm.list_models(pretrained=True) if "adv" in m],
)

# %% [markdown]
# ## ImageNet models (needs their weights)

# %%
data = kw.datasets.image_folder(IMAGE_FOLDER) if IMAGE_FOLDER else kw.datasets.digits()
if IMAGE_FOLDER is None:
    print("NOTE: no IMAGE_FOLDER set; the ImageNet models would see the digits.")
rows = []
for standard, robust in PAIRS:
    try:
        pair = [
            kw.extract(f"timm:{m}", data, pretrained=True, limit=LIMIT).kstar(
                progress=False, name=m
            )
            for m in (standard, robust)
        ]
    except WeightsUnavailableError:
        print(
            f"NOTE: weights of {standard} / {robust} unavailable (offline); skipped. "
            "The digits version below runs offline."
        )
        continue
    cmp = kw.compare(*pair)
    rows.append(
        {
            "standard": standard,
            "robust": robust,
            "mean Γ standard": pair[0].summary["mean_skewness"],
            "mean Γ robust": pair[1].summary["mean_skewness"],
            "pattern agreement": cmp.pattern_agreement,
        }
    )
pd.DataFrame(rows)

# %% [markdown]
# ## The offline version: digits, a small CNN, plain and FGSM-adversarial training
# Same architecture, same initial weights, same data; k\* of the held-out digits.

# %%
from kstar_widgets.training import digits_spaces

spaces = digits_spaces(epochs=EPOCHS, attack="fgsm", eps=0.1)
standard = spaces["trained CNN"].features.kstar(method="exact", progress=False, name="standard")
robust = spaces["robust CNN"].features.kstar(method="exact", progress=False, name="robust")
for name in ("trained CNN", "robust CNN"):
    s = spaces[name]
    print(f"{name}: held-out accuracy {s.accuracy:.1%}, under FGSM eps 0.1 {s.attack_accuracy:.1%}")
cmp = kw.compare(standard, robust)
cmp.summary

# %%
cmp.concepts

# %%
g_std, g_rob = standard.summary["mean_skewness"], robust.summary["mean_skewness"]
verdict = "less" if g_rob < g_std else "more (or as much)"
print(
    f"measured here: mean Γ {g_rob:+.2f} robust vs {g_std:+.2f} standard, so the robust CNN "
    f"fractures the digits {verdict} than the standard one"
)
kw.explore({"standard": standard, "robust": robust}, images=spaces["pixels"].features)
