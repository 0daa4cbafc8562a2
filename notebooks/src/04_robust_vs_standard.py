# %% [markdown]
# # Robust vs standard training: does robustness fracture concepts less?
#
# The papers compare ImageNet models with and without adversarial training. A fair
# comparison holds everything else equal — architecture, data, and **clean accuracy**:
# a model that classifies worse also separates its concepts less, whatever its training.
# The figure to compare is the **share of Fractured concepts** with its interval; mean Γ
# can be dominated by one extreme concept.
#
# Two parts: timm's ImageNet pairs on your own ImageNet images (needs weights and an image
# folder), and the offline digits version: one small CNN trained plainly and with FGSM
# adversarial training.

# %% tags=["parameters"]
PAIRS = [
    ("inception_v3.tf_in1k", "inception_v3.tf_adv_in1k"),
    ("inception_resnet_v2.tf_in1k", "inception_resnet_v2.tf_ens_adv_in1k"),
]
IMAGE_FOLDER = None  # a folder of ImageNet class subfolders of images (e.g. a 10-class sample)
LIMIT = 1000
EPOCHS = 8  # 8: the shipped weights load; other counts train here
MATCH_TOLERANCE = 0.03  # clean accuracies within 3 points count as matched

# %%
import pandas as pd
from IPython.display import display

import kstar_widgets as kw
from kstar_widgets import interpret
from kstar_widgets.features import WeightsUnavailableError


def verdict(cmp, a, b):
    """The comparison's own verdict on share Fractured if it has one, else each result's figure."""
    if callable(getattr(cmp, "verdict", None)):  # paired bootstrap over the same samples
        return cmp.verdict("share_fractured")
    text = (
        f"share Fractured {interpret.figure(a, 'share_fractured', label=False)} ({a.name}) vs "
        f"{interpret.figure(b, 'share_fractured', label=False)} ({b.name})"
    )
    if interpret.has_intervals(a) and interpret.has_intervals(b):
        return text + " (separate 95% intervals; overlapping ones do not separate the models)"
    return text + " (point values only: these results carry no intervals)"


# %% [markdown]
# ## ImageNet models (needs their weights and ImageNet images)
# The pairs run only on ImageNet images: on anything else (the digits) an ImageNet
# classifier's space would test nothing.

# %%
rows = []
if IMAGE_FOLDER is None:
    print(
        "NOTE: no IMAGE_FOLDER set, so the ImageNet pairs are skipped. Point IMAGE_FOLDER at a "
        "folder of ImageNet class subfolders (for example 10 classes x 100 validation images) "
        "to run them; the digits version below runs offline."
    )
else:
    data = kw.datasets.image_folder(IMAGE_FOLDER)
    for standard, robust in PAIRS:
        try:
            pair = [
                kw.extract(f"timm:{m}", data, pretrained=True, limit=LIMIT).kstar(
                    progress=False, name=m
                )
                for m in (standard, robust)
            ]
        except WeightsUnavailableError:
            print(f"NOTE: weights of {standard} / {robust} unavailable here; pair skipped.")
            continue
        cmp = kw.compare(*pair)
        rows.append(
            {
                "standard": standard,
                "robust": robust,
                "share Fractured, standard": interpret.figure(pair[0], "share_fractured"),
                "share Fractured, robust": interpret.figure(pair[1], "share_fractured"),
                "pattern agreement": f"{cmp.pattern_agreement:.0%}",
                "verdict": verdict(cmp, *pair),
            }
        )
if rows:
    display(interpret.readable(pd.DataFrame(rows)))
    print(
        "Clean ImageNet accuracy is not measured here; the standard and adversarial weights "
        "differ in it, so read these as differences of whole models, not of training alone."
    )
else:
    print("No ImageNet pair ran here.")

# %% [markdown]
# ## The offline version: digits, a small CNN, plain and FGSM-adversarial training
# Same architecture, same initial weights, same data; k\* of the held-out digits. The
# trained weights ship with the package (the demo's, and those of the early stop below),
# so nothing trains here by default; other `EPOCHS` train the CNNs here.

# %%
from kstar_widgets.training import digits_spaces, digits_split, match_clean_accuracy

spaces = digits_spaces(epochs=EPOCHS, attack="fgsm", eps=0.1)
standard = spaces["trained CNN"].features.kstar(method="exact", progress=False, name="standard")
robust = spaces["robust CNN"].features.kstar(method="exact", progress=False, name="robust")
for name, res in (("trained CNN", standard), ("robust CNN", robust)):
    s = spaces[name]
    print(
        f"{name}: held-out accuracy {s.accuracy:.1%}, under FGSM (eps 0.1) "
        f"{s.attack_accuracy:.1%}; {interpret.figure(res, 'share_fractured')}"
    )
gap = spaces["trained CNN"].accuracy - spaces["robust CNN"].accuracy
print(
    f"\nClean accuracy differs by {interpret.number(gap, '+.1%')} (standard minus robust): compared as they are, a "
    "difference in k* mixes the effect of adversarial training with that of accuracy."
)

# %% [markdown]
# ## Matched clean accuracy
# Stop the standard training early: train it for 1, 2, ... epochs (each run with its own
# schedule) until its clean accuracy reaches the robust CNN's, and keep the count whose
# accuracy is closest. Then the two differ in how they were trained, not in how well they
# classify. The weights of these short runs ship with the package as well.

# %%
split = digits_split()
test = split.data.subset(split.test)
target_acc = spaces["robust CNN"].accuracy
match = match_clean_accuracy(split, target_acc, max_epochs=EPOCHS, progress=False)
for n, a, *_ in match.tried:
    print(f"standard CNN after {n} epoch(s): {a:.1%} clean accuracy")
epochs, acc, model = match.epochs, match.accuracy, match.model
matched = abs(acc - target_acc) <= MATCH_TOLERANCE
early = kw.extract(model, test, layer="global_pool", progress=False).kstar(
    method="exact", progress=False, name=f"standard, {epochs} epochs"
)
print(
    f"standard after {epochs} epoch(s): {acc:.1%} clean accuracy vs robust {target_acc:.1%} "
    f"({'matched' if matched else 'not matched'} within {MATCH_TOLERANCE * 100:g} points)"
)

# %%
cmp = kw.compare(early, robust)
display(interpret.readable(cmp.summary))
if matched:
    print(
        f"At matched clean accuracy ({acc:.1%} vs {target_acc:.1%}): {verdict(cmp, early, robust)}. "
        f"The two CNNs give the same pattern to {cmp.pattern_agreement:.0%} of the digits."
    )
else:
    print(
        f"The clean accuracies cannot be matched within {MATCH_TOLERANCE * 100:g} points with "
        "whole epochs "
        f"(closest: {acc:.1%} vs {target_acc:.1%}), so this notebook cannot separate the effect "
        f"of adversarial training from that of accuracy. For the record: "
        f"{verdict(cmp, early, robust)}."
    )
print(
    "With ten concepts, a share moves in steps of 10%, and its interval is wide: ten digits "
    "are too few to settle the papers' question; they show how to ask it."
)

# %% [markdown]
# ## Concept by concept, and the views

# %%
interpret.readable(cmp.concepts)

# %%
kw.explore({early.name: early, "robust": robust}, images=spaces["pixels"].features)
