# %% [markdown]
# # k* quickstart: how a network arranges each concept
#
# For every sample, **k\*** is the rank of its first neighbour from *another* concept
# (1 = its nearest neighbour is already foreign). Divided by the concept's size, the
# k\* values of a concept form its **k\* distribution**, and the skewness Γ of that
# distribution names a pattern:
#
# | Γ | pattern | what the k\* distribution looks like |
# |---|---|---|
# | Γ > 0.5 | **Fractured** | a pile of low k\* with a long tail to the right: most samples meet another concept first, a few sit among their own |
# | −0.5 ≤ Γ ≤ 0.5 | **Overlapped** | no long tail either way: low and high k\* balance (spread out, or in two groups), the concept shares its region |
# | Γ < −0.5 | **Clustered** | a pile of high k\* with a tail to the left: most samples see their own concept first, it sits together |
#
# This notebook needs no network: scikit-learn's 1,797 handwritten digits (the 719
# held-out ones), seen through raw pixels, a randomly initialised timm CNN, and the
# same CNN trained on the other 1,078. The trained weights ship with the package
# (seeded training, done once; checked by sha256 when they load), so this notebook trains
# nothing and prints the numbers of the README's table on every machine. Other `EPOCHS`,
# or `digits_spaces(train=True)`, train the CNN here (about a minute on 2 cores; cached).

# %% tags=["parameters"]
EPOCHS = 8  # training epochs of the digits CNN: 8 loads the shipped weights, others train here

# %%
import numpy as np
import pandas as pd

import kstar_widgets as kw
from kstar_widgets import interpret
from kstar_widgets.training import digits_spaces

# held-out digits through pixels, a random CNN and the trained CNN (robust=False: the
# adversarially trained copy belongs to notebook 04)
spaces = digits_spaces(epochs=EPOCHS, robust=False)
for name, space in spaces.items():
    acc = "no classifier" if space.accuracy is None else f"held-out accuracy {space.accuracy:.1%}"
    print(f"{name:12s} {space.features.features.shape[1]:4d}-d  {acc}")

# %% [markdown]
# ## Three latent spaces, one k* computation each
# `kw.kstar(features, labels)` computes every sample's k\* exactly (well under a second
# here). Each space's summary counts its concepts per pattern; where the result carries
# bootstrap intervals, the figures below show them in brackets (95%: resampling each
# concept's k\* values, then the concepts).

# %%
results = {
    name: space.features.kstar(method="exact", progress=False, name=name)
    for name, space in spaces.items()
}
interpret.readable(pd.DataFrame({name: r.summary for name, r in results.items()}))


# %%
def pattern_counts(r):
    counts = r.concepts["pattern"].value_counts()
    return " / ".join(f"{counts.get(p, 0)}" for p in kw.PATTERNS)


for name, r in results.items():
    print(
        f"{name:12s} Fractured / Overlapped / Clustered: {pattern_counts(r)} of {len(r.concepts)};"
        f"  {interpret.figure(r, 'share_fractured')},  {interpret.figure(r, 'share_clustered')}"
    )

random_f = interpret.figure(results["random CNN"], "share_fractured", label=False)
trained_c = interpret.figure(results["trained CNN"], "share_clustered", label=False)
pixels = results["pixels"].concepts["pattern"].value_counts()
print(
    f"\nReading: the random CNN leaves {random_f} of the digits Fractured — an untrained "
    f"network scatters each digit among the others. Training makes {trained_c} of them "
    f"Clustered ({spaces['trained CNN'].accuracy:.1%} held-out accuracy). Raw pixels are "
    f"mixed: {', '.join(f'{n} {p}' for p, n in pixels.items() if n)}. What a network learned, "
    "not the images alone, decides how it arranges the digits."
)

# %% [markdown]
# ## Concept by concept
# Γ of each digit in each space. With only 72 held-out samples per digit, one concept's Γ
# is uncertain by a few tenths (its interval, when shown, says how much); a pattern is
# firm when its interval stays on one side of ±0.5.

# %%
columns = ["skewness", "skewness_ci_low", "skewness_ci_high", "pattern"]
interpret.readable(pd.concat({name: r.concepts[columns] for name, r in results.items()}, axis=1))

# %%
changed = results["random CNN"].concepts["pattern"] != results["trained CNN"].concepts["pattern"]
steady = results["trained CNN"].concepts["skewness"].idxmax()
print(
    f"Training changed the pattern of {int(changed.sum())} of {len(changed)} digits. "
    f"The least clustered digit after training is {steady}: "
    f"{interpret.gamma(results['trained CNN'], steady)}, "
    f"{interpret.pattern(results['trained CNN'], steady)}."
)

# %% [markdown]
# ## Into what does the most fractured digit break?
# Γ says *that* a digit is fractured, not into what. Its **islands** say that, in the full
# space: an island is a group of the digit's samples that reach each other without a sample
# of another digit coming first (each sample links to the samples of its own digit that are
# closer than its first foreign neighbour; an island is what these links connect). One
# island: the digit holds together. Many: it is broken up, and the digits met first by the
# samples of each island (the concepts of their first foreign neighbours) are what lies
# between the pieces. Below, the digit with the highest Γ of the three spaces.


# %%
def island_table(result, concept, *, top=3):
    """One row per island of ``concept``: its size and the digits first met by its samples."""
    members = np.flatnonzero(result.labels == concept)
    island = result.island[members]
    rows = []
    for i in range(int(island.max()) + 1):
        samples = members[island == i]
        intruders = result.intruder[samples]
        first = pd.Series(result.labels[intruders[intruders >= 0]]).value_counts()
        rows.append(
            {
                "island": i,
                "samples": samples.size,
                "digits met first (samples)": ", ".join(
                    f"{d} ({n})" for d, n in first.head(top).items()
                ),
            }
        )
    return pd.DataFrame(rows).set_index("island")


gammas = pd.concat({name: r.concepts["skewness"].astype(float) for name, r in results.items()})
space, digit = gammas[np.isfinite(gammas)].idxmax()
r = results[space]
islands = island_table(r, digit)
sizes = islands["samples"]
members = r.labels == digit
met = r.intruder[members]
met = pd.Series(r.labels[met[met >= 0]]).value_counts(normalize=True)
alone = int((sizes == 1).sum())
SHOWN = 8
print(
    f"The most fractured digit is {digit}, in the {space} space ({interpret.gamma(r, digit)}). "
    f"Its {sizes.sum()} samples form {len(sizes)} island{'s' * (len(sizes) != 1)}: the largest "
    f"holds {sizes.iloc[0]} of them ({sizes.iloc[0] / sizes.sum():.0%})"
    + (
        f", {alone} samples are islands of their own"
        if alone > 1
        else ", 1 sample is an island of its own"
        if alone
        else ""
    )
    + ". Between them come first, most often, the digits "
    + ", ".join(f"{d} ({s:.0%})" for d, s in met.head(3).items())
    + " (share of the digit's samples whose first foreign neighbour is that digit)."
    + (
        f" The table lists the {SHOWN} largest islands; the other {len(sizes) - SHOWN} hold "
        f"{sizes.iloc[SHOWN:].sum()} samples."
        if len(sizes) > SHOWN
        else ""
    )
)
islands.head(SHOWN)

# %% [markdown]
# ## Explore
# Click a concept to see its k\* histogram, its lowest-k\* samples and the intruders that
# come before their own concept; the threshold slider re-classifies live.

# %%
widget = kw.explore(results, images=spaces["pixels"].features)
widget

# %% [markdown]
# ## The three patterns on real data
# For each pattern, a typical concept well inside its region, from any of the three
# spaces (not one on the threshold). The dashed line is the mean k\*, the solid one the median:
# a long right tail pulls the mean above the median (Γ > 0), a long left tail below it.

# %%
from bokeh.layouts import row
from bokeh.models import Title
from bokeh.plotting import figure

# a Bokeh figure as a widget: drawn with the BokehJS the explorer already loaded (offline,
# stored once per notebook), in JupyterLab, Notebook 7, VS Code and Colab alike
from kstar_widgets.widgets import show_figure


def kstar_histogram(result, concept, *, title, bins=20):
    """Histogram of one concept's normalised k*, in its pattern's colour, mean and median marked."""
    c = result.concepts.loc[concept]
    values = result.k_norm[result.labels == concept]
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    fig = figure(
        title=f"{title}: {c['pattern']}",  # Γ with its interval on its own line: both fit
        width=310,
        height=240,
        x_range=(-0.03, 1.03),  # a line at 0 or 1 stays off the frame
        x_axis_label="normalised k*",
        y_axis_label="samples",
        toolbar_location=None,
    )
    colour = interpret.PATTERN_COLORS[c["pattern"]]
    fig.quad(left=edges[:-1], right=edges[1:], bottom=0, top=counts, color=colour, alpha=0.8)
    fig.add_layout(Title(text=interpret.gamma(result, concept), text_font_style="normal"), "above")
    mark_mean_median(fig, values, top=counts.max())
    return fig


def mark_mean_median(fig, values, *, top):
    """Mean (black, dashed) and median (pink, solid) as lines the legend names."""
    for x, style, name in (
        (values.mean(), dict(color="#000000", line_dash="dashed"), "mean"),
        (np.median(values), dict(color="#e7298a", line_dash="solid"), "median"),
    ):
        fig.segment(
            x0=[x], y0=[0], x1=[x], y1=[top * 1.05], line_width=2.5, legend_label=name, **style
        )
    fig.add_layout(fig.legend[0], "below")  # under the axis: over the bars it hides them
    fig.legend.orientation, fig.legend.location = "horizontal", "center"
    fig.legend.label_text_font_size, fig.legend.background_fill_alpha = "8pt", 0.7
    fig.legend.padding = fig.legend.spacing = fig.legend.margin = 2
    fig.height += 30  # the legend's row, so the bars keep their height


candidates = pd.concat(
    {name: r.concepts[["skewness", "pattern"]] for name, r in results.items()}, names=["space"]
)
candidates = candidates[np.isfinite(candidates["skewness"].astype(float))]
exemplars = {}
for pattern in kw.PATTERNS:
    gammas = candidates[candidates["pattern"] == pattern]["skewness"].astype(float)
    if pattern == "Overlapped":
        gammas = gammas.abs()  # the one nearest Γ = 0
        target = 0.0
    else:  # a typical one well inside the region: the median Γ of those with |Γ| >= 1
        inside = gammas[gammas.abs() >= 1.0]
        gammas = inside if len(inside) else gammas
        target = gammas.median()
    if len(gammas):
        exemplars[pattern] = (gammas - target).abs().idxmin()
    else:
        print(f"no {pattern} concept in these spaces this time")
show_figure(
    row([kstar_histogram(results[s], c, title=f"{s}, digit {c}") for s, c in exemplars.values()])
)

# %%
for pattern, (space, concept) in exemplars.items():
    r = results[space]
    k = r.k[r.labels == concept]
    tail = {
        "Fractured": "the long right tail pulls the mean up",
        "Clustered": "the long left tail pulls the mean down",
    }.get(pattern, "no long tail: mean and median close")
    print(
        f"{pattern}: digit {concept} in {space}, {interpret.gamma(r, concept)}; k* out of {k.size}: "
        f"mean {k.mean():.1f}, median {np.median(k):g} ({tail}); "
        f"{np.mean(k == 1):.0%} of its samples have k* = 1, {np.mean(k == k.size):.0%} k* = {k.size}."
    )

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
