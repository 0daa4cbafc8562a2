# %% [markdown]
# # k* quickstart: how a network arranges each concept
#
# For every sample, **k\*** is the rank of its first neighbour from *another* concept
# (1 = its nearest neighbour is already foreign). Normalised by the concept's size, the
# k\* values of a concept form its **k\* distribution**; its skewness Γ names a pattern:
#
# | Γ | pattern | reading |
# |---|---|---|
# | Γ > 0.5 | **Fractured** | most samples meet another concept first: the concept is split |
# | -0.5 ≤ Γ ≤ 0.5 | **Overlapped** | k\* spread evenly: the concept shares its region |
# | Γ < -0.5 | **Clustered** | most samples see their own concept first: it sits together |
#
# This notebook needs no network: scikit-learn's 1,797 handwritten digits, seen through
# raw pixels, a randomly initialised timm CNN, and the same CNN trained on them (seeded,
# a few epochs on the CPU; weights and features are cached, so a rerun is quick).

# %% tags=["parameters"]
# Parameters
EPOCHS = 8  # training epochs of the digits CNN (about 1-3 s each on a laptop CPU)

# %%
import pandas as pd

import kstar_widgets as kw
from kstar_widgets.training import digits_spaces

spaces = digits_spaces(
    epochs=EPOCHS
)  # held-out digits: pixels, random CNN, trained CNN, robust CNN
for name, space in spaces.items():
    acc = "-" if space.accuracy is None else f"{space.accuracy:.1%}"
    print(f"{name:12s} {space.features.features.shape[1]:4d}-d  held-out accuracy {acc}")

# %% [markdown]
# ## Three latent spaces, one k* computation each
# `kw.kstar(features, labels)` computes every sample's k\* exactly (0.1-0.3 s here).

# %%
names = ["pixels", "random CNN", "trained CNN"]
results = {
    name: spaces[name].features.kstar(method="exact", progress=False, name=name) for name in names
}
pd.DataFrame({name: r.summary for name, r in results.items()})

# %%
# per concept: skewness and pattern in each space
pd.concat({name: r.concepts[["skewness", "pattern"]] for name, r in results.items()}, axis=1)

# %% [markdown]
# ## Explore
# Click a concept to see its k\* histogram, its lowest-k\* samples and the intruders that
# come before their own concept; the threshold slider re-classifies live.

# %%
widget = kw.explore(results, images=spaces["pixels"].features)
widget

# %% [markdown]
# ## The three patterns on real data
# One concept of each pattern, wherever this run found one.

# %%
from bokeh.io import output_notebook, show
from bokeh.resources import INLINE

output_notebook(INLINE, hide_banner=True)  # BokehJS from the installed package: works offline

# %%
import numpy as np
from bokeh.plotting import figure

PATTERN_COLOURS = {
    "Fractured": "#d95f02",
    "Overlapped": "#7570b3",
    "Clustered": "#1b9e77",
    "Undefined": "#999999",
}


def kstar_histogram(result, concept, *, title=None, bins=20, width=300, height=220):
    """Histogram of one concept's normalised k*, coloured by its pattern."""
    row = result.concepts.loc[concept]
    values = result.k_norm[result.labels == concept]
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    title = title or f"{result.name}: {concept}"
    fig = figure(
        title=f"{title}  Γ={row['skewness']:+.2f} {row['pattern']}",
        width=width,
        height=height,
        x_range=(0, 1),
        x_axis_label="normalised k*",
        y_axis_label="samples",
        toolbar_location=None,
    )
    fig.quad(
        left=edges[:-1],
        right=edges[1:],
        bottom=0,
        top=counts,
        color=PATTERN_COLOURS[row["pattern"]],
        alpha=0.8,
        line_color="white",
    )
    return fig


# %%
from bokeh.layouts import row

found = {}
for name, r in results.items():
    for concept, pattern in r.concepts["pattern"].items():
        found.setdefault(pattern, (name, concept))
for pattern in ("Fractured", "Overlapped", "Clustered"):
    if pattern not in found:
        print(f"no {pattern} concept in these spaces this time")
show(row([kstar_histogram(results[n], c, title=f"{n}, digit {c}") for n, c in found.values()]))

# %% [markdown]
# ## A standalone report
# The same linked views in one HTML file (BokehJS and thumbnails inlined: it opens
# anywhere, offline). The command `kstar-widgets demo` does all of the above plus an
# adversarially trained CNN, from a terminal.

# %%
path = kw.report(
    results, "quickstart_report.html", images=spaces["pixels"].features, title="k* of the digits"
)
print("wrote", path)
