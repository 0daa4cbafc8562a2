# %% [markdown]
# # Teaching k*: what the skewness measures, one sample by hand, and why 2-D pictures mislead
#
# Everything here is synthetic and offline. One construction carries the whole lesson: a
# concept **target** (a round cloud of 100 points), a **neighbour** concept of the same
# size and spread placed at a chosen distance, and three concepts far away. Moving the
# neighbour moves the target through the three patterns — continuously, as real concepts
# do, not as spikes.
#
# Reminder: for a sample, k\* is the rank of its first neighbour from another concept;
# divided by the concept's size it lies in (0, 1]. The skewness Γ of a concept's k\*
# values names its pattern: Γ > 0.5 **Fractured**, Γ < −0.5 **Clustered**, otherwise
# **Overlapped**.

# %% tags=["parameters"]
HIGH_DIM = 32  # the highest dimension of the distance sweep
SEEDS = 5  # seeds per point of the sweep

# %%
import numpy as np
import pandas as pd
from bokeh.layouts import gridplot, row
from bokeh.models import BoxAnnotation, ColumnDataSource, Legend, Title
from bokeh.plotting import figure

import kstar_widgets as kw
from kstar_widgets import interpret

# Bokeh figures as widgets: BokehJS (offline, from the installed bokeh) is stored once in the
# notebook, and the figures draw in JupyterLab, Notebook 7, VS Code and Colab alike
from kstar_widgets.widgets import Figure, show_figure

PATTERN_COLORS = interpret.PATTERN_COLORS  # pattern colours, used for patterns only
# concept colours: none of them resembles a pattern colour
CONCEPT_COLORS = ["#1f77b4", "#000000", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
CONCEPT_COLORS += ["#393b79"]
NAMES = ["target", "neighbour", "far-1", "far-2", "far-3"]


def neighbour_space(distance, *, dim=2, per_concept=100, neighbour_spread=1.0, seed=0):
    """Target at the origin, a neighbour ``distance`` away on the first axis, three far concepts."""
    rng = np.random.default_rng(seed)
    e = np.eye(dim)
    far = [-15 * e[0], 15 * e[1], -15 * e[1]] if dim > 1 else [-15 * e[0], 30 * e[0], -30 * e[0]]
    centres = [0 * e[0], distance * e[0], *far]
    spreads = [1.0, neighbour_spread, 1.0, 1.0, 1.0]
    x = np.vstack(
        [c + s * rng.normal(size=(per_concept, dim)) for c, s in zip(centres, spreads, strict=True)]
    )
    return x.astype(np.float32), np.repeat(NAMES, per_concept)


def kstar_histogram(result, concept, *, title, bins=25, width=320, height=260):
    """Normalised k* of one concept in its pattern's colour; dashed: mean, solid: median."""
    c = result.concepts.loc[concept]
    values = result.k_norm[result.labels == concept]
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    fig = figure(
        title=f"{title}: {c['pattern']}",  # Γ with its interval on its own line: both fit
        width=width,
        height=height,
        x_range=(-0.03, 1.03),  # a line at 0 or 1 stays off the frame
        x_axis_label="normalised k*",
        y_axis_label="samples",
        toolbar_location=None,
    )
    fig.quad(
        left=edges[:-1],
        right=edges[1:],
        bottom=0,
        top=counts,
        color=PATTERN_COLORS[c["pattern"]],
        alpha=0.8,
    )
    fig.add_layout(Title(text=interpret.gamma(result, concept), text_font_style="normal"), "above")
    set_mean_median(mark_mean_median(fig), values, top=counts.max())
    return fig


def mark_mean_median(fig):
    """Lines for the mean (black, dashed) and the median (pink, solid), named in a legend."""
    sources = []
    for name, style in (("mean", dict(color="#000000", line_dash="dashed")), ("median", {})):
        source = ColumnDataSource(dict(x=[0.0], top=[1.0]))
        style = {"color": "#e7298a", **style}
        fig.segment(
            x0="x",
            y0=0,
            x1="x",
            y1="top",
            source=source,
            line_width=2.5,
            legend_label=name,
            **style,
        )
        sources.append(source)
    fig.add_layout(fig.legend[0], "below")  # under the axis: over the bars it hides them
    fig.legend.orientation, fig.legend.location = "horizontal", "center"
    fig.legend.label_text_font_size, fig.legend.background_fill_alpha = "8pt", 0.7
    fig.legend.padding = fig.legend.spacing = fig.legend.margin = 2
    fig.height += 30  # the legend's row, so the bars keep their height
    return sources


def set_mean_median(sources, values, *, top):
    """Move the mean and median lines to those of ``values``, as tall as the bars."""
    for source, x in zip(sources, (values.mean(), np.median(values)), strict=True):
        source.data = dict(x=[float(x)], top=[float(top) * 1.05])


def concept_scatter(x, y, *, title, names=None, width=380, height=300):
    """First two coordinates coloured by concept; the legend sits outside the data, on the right."""
    fig = figure(title=title, width=width, height=height, toolbar_location=None)
    items = []
    for i, concept in enumerate(names if names is not None else pd.unique(y)):
        m = y == concept
        r = fig.scatter(x[m, 0], x[m, 1], size=4, alpha=0.6, color=CONCEPT_COLORS[i % 8])
        items.append((str(concept), [r]))
    fig.add_layout(Legend(items=items, label_text_font_size="8pt"), "right")
    return fig


# %% [markdown]
# ## Three patterns from one knob: the neighbour's distance
# Seed 2, in 2-D. The neighbour sits 1.5, 3.5 and 5 standard deviations from the target.
# The scatter shows the points (legend outside the data); the histogram the target's
# normalised k\*, in the colour of the pattern it gets.

# %%
SEED = 2
DISTANCES = {"Fractured": 1.5, "Overlapped": 3.5, "Clustered": 5.0}
shown = {}
grid = []
for distance in DISTANCES.values():
    x, y = neighbour_space(distance, seed=SEED)
    res = kw.kstar(x, y, method="exact", progress=False, name=f"distance {distance:g}")
    shown[distance] = res
    view = x[np.isin(y, ["target", "neighbour"])]  # the far concepts are off the picture
    grid.append(
        [
            concept_scatter(
                view,
                y[np.isin(y, ["target", "neighbour"])],
                title=f"neighbour at distance {distance:g}",
            ),
            kstar_histogram(res, "target", title=f"distance {distance:g}"),
        ]
    )
show_figure(gridplot(grid, toolbar_location=None))

# %%
for distance, res in shown.items():
    k = res.k[res.labels == "target"]
    print(
        f"distance {distance:g}: {interpret.gamma(res, 'target')}, "
        f"{interpret.pattern(res, 'target')}; k* from {k.min()} to {k.max()} of {k.size}, "
        f"median {np.median(k):g}, mean {k.mean():.1f}"
    )
near, mid, far = shown.values()
k_near = near.k[near.labels == "target"]
k_far = far.k[far.labels == "target"]
print(
    f"\nReading: with the neighbour close, {np.mean(k_near <= 5):.0%} of the target's samples "
    f"meet it within their first 5 neighbours; a few deep inside the target see many of their "
    f"own first, and that long right tail pulls the mean ({k_near.mean():.1f}) above the median "
    f"({np.median(k_near):g}): {interpret.gamma(near, 'target')}, "
    f"{near.concepts.loc['target', 'pattern']}. With the neighbour far, "
    f"{np.mean(k_far >= 0.9 * k_far.size):.0%} of the samples see at least 90% of their own "
    f"concept first; only those on the side facing the neighbour meet it early, a left tail that "
    f"pulls the mean ({k_far.mean():.1f}) below the median ({np.median(k_far):g}): "
    f"{interpret.gamma(far, 'target')}, {far.concepts.loc['target', 'pattern']}. In between, "
    f"neither tail dominates: {interpret.gamma(mid, 'target')}, "
    f"{mid.concepts.loc['target', 'pattern']}."
)

# %% [markdown]
# ## Skewness is about tails, not about shape: the uniform-vs-two-peaks caveat
# Γ ≈ 0 says only that neither tail dominates. A concept whose k\* spread over the whole range and a
# concept split in two halves — one inside another concept (k\* near 1), one on its own
# (k\* = half its size) — both get Γ near 0 and both are called Overlapped. Only the
# histogram tells them apart, so look at it before reading an Overlapped label.

# %%
from kstar_widgets.synthetic import pattern_space


def spread_out_space(per_concept=100, seed=0):
    """The target along a line, the neighbour at both of its ends: normalised k* near uniform.

    A sample at t along [0, 1] meets the neighbour at distance min(t, 1 - t), with 2 min(t, 1 - t)
    of its own concept nearer: an evenly spread t gives an evenly spread normalised k*. The t
    are stratified (one per equal slice of the line, jittered inside it), so 100 samples fill
    the histogram's bins evenly instead of in random clumps.
    """
    rng = np.random.default_rng(seed)
    half = per_concept // 2
    ends = [rng.uniform(-0.5, 0, half), rng.uniform(1, 1.5, per_concept - half)]
    even = (np.arange(per_concept) + rng.uniform(0, 1, per_concept)) / per_concept
    along = np.concatenate([even, *ends])
    x = np.column_stack([along, 0.01 * rng.normal(size=along.size)])
    return x.astype(np.float32), np.repeat(["target", "neighbour"], per_concept)


x_even, y_even = spread_out_space(seed=SEED)
x_two, y_two = pattern_space("overlapped", per_concept=100, random_state=0)
even = kw.kstar(x_even, y_even, method="exact", progress=False)
two = kw.kstar(x_two, y_two, method="exact", progress=False)
show_figure(
    row(
        [
            kstar_histogram(even, "target", title="spread out"),
            kstar_histogram(two, "target", title="two peaks"),
        ]
    )
)
for name, r in (("spread out", even), ("two peaks", two)):
    v = r.k_norm[r.labels == "target"]
    middle = np.mean((v > 0.2) & (v < 0.45))
    print(
        f"{name}: {interpret.gamma(r, 'target')}, {r.concepts.loc['target', 'pattern']}; "
        f"{middle:.0%} of its normalised k* lie between 0.2 and 0.45"
    )
print(
    "Same label, different geometry: the first concept lies along a line with its neighbour at "
    "both ends, so its samples meet the neighbour after any share of their own; the second is "
    "two separate groups."
)

# %% [markdown]
# ## The knob in more dimensions
# The same construction in 2, 8 and `HIGH_DIM` dimensions, the neighbour's distance swept
# from 0 to 10, several seeds each: the line is the median Γ, the band the range over
# seeds. The shaded horizontal bands are the pattern regions.

# %%
sweep_distances = np.arange(0.0, 10.01, 0.5)
dims = sorted({2, 8, HIGH_DIM})
sweep = {}
for dim in dims:
    gammas = np.array(
        [
            [
                kw.kstar(
                    *neighbour_space(d, dim=dim, seed=s), method="exact", progress=False
                ).concepts.loc["target", "skewness"]
                for s in range(SEEDS)
            ]
            for d in sweep_distances
        ]
    )
    sweep[dim] = np.clip(gammas, -6, 6)  # ±inf (every k* = n) drawn at the edge

fig = figure(
    width=620,
    height=330,
    x_axis_label="distance of the neighbour (target spread = 1)",
    y_axis_label="Γ of the target",
    y_range=(-6, 4),
    toolbar_location=None,
)
for low, high, pattern in ((0.5, None, "Fractured"), (-0.5, 0.5, "Overlapped")):
    fig.add_layout(
        BoxAnnotation(bottom=low, top=high, fill_color=PATTERN_COLORS[pattern], fill_alpha=0.12)
    )
fig.add_layout(BoxAnnotation(top=-0.5, fill_color=PATTERN_COLORS["Clustered"], fill_alpha=0.12))
items = []
for i, (dim, gammas) in enumerate(sweep.items()):
    colour = CONCEPT_COLORS[i]
    band = fig.varea(
        x=sweep_distances, y1=gammas.min(axis=1), y2=gammas.max(axis=1), color=colour, alpha=0.2
    )
    line = fig.line(sweep_distances, np.median(gammas, axis=1), color=colour, line_width=2)
    items.append((f"{dim}-D", [line, band]))
fig.add_layout(Legend(items=items, title="dimension"), "right")
show_figure(fig)


# %%
def first_below(values, level):
    """Distance where ``values`` first drops below ``level`` (linear between sweep points)."""
    i = int(np.argmax(values < level))
    if i == 0:
        return float(sweep_distances[0] if values[0] < level else np.nan)
    x0, x1, v0, v1 = sweep_distances[i - 1], sweep_distances[i], values[i - 1], values[i]
    return float(x0 + (x1 - x0) * (v0 - level) / (v0 - v1))


crossings = []
for dim, gammas in sweep.items():
    median = np.median(gammas, axis=1)
    to_overlapped, to_clustered = first_below(median, 0.5), first_below(median, -0.5)
    crossings.append((dim, to_overlapped, to_clustered))
    print(
        f"{dim:3d}-D: Fractured until distance {to_overlapped:.1f}, Clustered from "
        f"{to_clustered:.1f} (median over {SEEDS} seeds)"
    )
(d_lo, f_lo, c_lo), (d_hi, f_hi, c_hi) = crossings[0], crossings[-1]
print(
    f"\nReading: the pattern follows how far the neighbour is relative to the spread, and the "
    f"scale changes with dimension: in {d_lo}-D the target stops being Fractured at "
    f"{f_lo:.1f} and is Clustered from {c_lo:.1f}; in {d_hi}-D at {f_hi:.1f} and {c_hi:.1f}."
    + (
        " Distances between random points grow like √d, so the same gap between two centres "
        "separates less in more dimensions."
        if c_hi > c_lo
        else ""
    )
    + " The spread over seeds is the other lesson: with 100 samples, Γ near a threshold can "
    "land on either side of it."
)

# %% [markdown]
# ## k* by hand for one sample
# Sort the other samples by distance to p. k\* is the rank of the first one from another
# concept; equivalently 1 + the number of same-concept samples strictly closer than the
# nearest foreign sample (a tie goes to the other concept).

# %%
x, y = neighbour_space(DISTANCES["Overlapped"], per_concept=12, seed=SEED)
p = int(np.flatnonzero(y == "target")[0])
d = np.linalg.norm(x - x[p], axis=1)
order = [q for q in np.argsort(d, kind="stable") if q != p]
table = pd.DataFrame(
    {
        "rank": np.arange(1, len(order) + 1),
        "sample": order,
        "concept": y[order],
        "distance": d[order],
    }
)
table["same concept"] = table["concept"] == y[p]
print(f"sample {p}, concept {y[p]!s}")
# distances to three decimals, "yes"/"no": what the eye compares, not six decimals
table.head(14).assign(
    distance=lambda t: [interpret.number(v, ".3f") for v in t["distance"]],
    **{"same concept": lambda t: t["same concept"].map({True: "yes", False: "no"})},
)

# %%
d_foreign = d[y != y[p]].min()
k_by_hand = 1 + int(((y == y[p]) & (d < d_foreign) & (np.arange(len(y)) != p)).sum())
n_c = int((y == y[p]).sum())
res = kw.kstar(x, y, method="exact", progress=False)
print(f"nearest foreign sample at distance {d_foreign:.3f}")
print(
    f"k* by hand = {k_by_hand}, kw.kstar says {res.k[p]}; "
    f"normalised k* = {k_by_hand}/{n_c} = {k_by_hand / n_c:.3f}"
)
assert k_by_hand == res.k[p]

# %% [markdown]
# Then the concept's skewness Γ = m3 / m2^(3/2) of its normalised k\* values (m2, m3: the
# second and third central moments):

# %%
v = res.k_norm[y == "target"]
m2, m3 = ((v - v.mean()) ** 2).mean(), ((v - v.mean()) ** 3).mean()
print(f"normalised k* of target: {np.round(np.sort(v), 2)}")
print(
    f"Γ by hand = {interpret.number(m3 / m2**1.5, '+.3f')}; "
    f"kw.kstar: {interpret.number(res.concepts.loc['target', 'skewness'], '+.3f')} "
    f"-> {res.concepts.loc['target', 'pattern']}"
)
print(
    f"With {n_c} samples, one sample's k* moves Γ a lot: the standard error of a skewness is "
    f"about √(6/n) = {np.sqrt(6 / n_c):.2f} here, so this concept's pattern is a rough guess."
)

# %% [markdown]
# ## Why a 2-D picture can mislead
# Eight concepts in 64 dimensions, each built as one to four Gaussian blobs (a concept's
# blobs share one spread, which differs between concepts), then the same points in 2-D by
# PCA and by t-SNE. k\* in each space, concept by concept: does
# the picture keep the pattern? The 64-D result is the ground truth; the projections are
# what a reader of a scatter plot would see.

# %%
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

from kstar_widgets.synthetic import concept_space

x, y, blobs = concept_space(
    n_concepts=8,
    per_concept=60,
    dim=64,
    islands=(1, 4),
    spread=(0.5, 2.0),
    separation=1.0,
    random_state=0,
    return_blobs=True,  # which blob each sample was drawn around: how the space was built
)
views = {
    "64-D": x,
    "PCA 2-D": PCA(2, random_state=0).fit_transform(x),
    "t-SNE 2-D": TSNE(2, init="pca", perplexity=30, random_state=0).fit_transform(x),
}
res = {name: kw.kstar(v, y, method="exact", progress=False, name=name) for name, v in views.items()}
interpret.readable(
    pd.concat({name: r.concepts[["skewness", "pattern"]] for name, r in res.items()}, axis=1)
)

# %%
truth = res["64-D"].concepts
for concept in truth.index[truth["pattern"] == "Undefined"]:
    k = np.unique(res["64-D"].k[y == concept])
    print(
        f"Concept {concept} is Undefined in 64-D: every one of its samples has k* = {k[0]} "
        f"({truth.loc[concept, 'note']}), so its k* distribution has no spread and no skewness. "
        "That happens when a concept is made of tight islands of equal size, far apart: each "
        "sample sees its island, then a foreign sample."
    )
for name in ("PCA 2-D", "t-SNE 2-D"):
    cmp = kw.compare(res["64-D"], res[name])
    print(
        f"{name}: same pattern as in 64-D for {cmp.pattern_agreement:.0%} of concepts, "
        f"same k* for {cmp.kstar_agreement:.0%} of samples"
    )


def counts(r):
    c = r.concepts["pattern"].value_counts()
    return ", ".join(f"{c.get(p, 0)} {p}" for p in (*kw.PATTERNS, "Undefined") if c.get(p, 0))


share = {name: r.concepts["pattern"].value_counts(normalize=True) for name, r in res.items()}
pca_more_fractured = share["PCA 2-D"].get("Fractured", 0) > share["64-D"].get("Fractured", 0)
tsne_more_clustered = share["t-SNE 2-D"].get("Clustered", 0) > share["64-D"].get("Clustered", 0)
print(
    f"\nReading: in the full 64-D space the eight concepts are {counts(res['64-D'])}. "
    f"PCA's picture makes them {counts(res['PCA 2-D'])}"
    + (
        ": keeping only the two directions of largest variance piles concepts on top of each "
        "other, so more of them look Fractured than really are. "
        if pca_more_fractured
        else ". "
    )
    + f"t-SNE's picture makes them {counts(res['t-SNE 2-D'])}"
    + (
        ": it is built to keep each point's nearest neighbours together, so it draws tidier "
        "clusters than the full space holds. "
        if tsne_more_clustered
        else ". "
    )
    + "Compute k* in the full space, and read a 2-D picture as an illustration, not as evidence."
)


# %% [markdown]
# Below, Γ of each concept in the three spaces (the shaded bands are the pattern regions),
# then the two pictures, coloured by concept.

# %%
concepts = [str(c) for c in truth.index]
gfig = figure(
    x_range=concepts,
    width=620,
    height=300,
    x_axis_label="concept",
    y_axis_label="Γ",
    toolbar_location=None,
)
for low, high, pattern in (
    (0.5, None, "Fractured"),
    (-0.5, 0.5, "Overlapped"),
    (None, -0.5, "Clustered"),
):
    gfig.add_layout(
        BoxAnnotation(bottom=low, top=high, fill_color=PATTERN_COLORS[pattern], fill_alpha=0.12)
    )
items = []
for (name, r), marker, colour in zip(
    res.items(), ("circle", "square", "triangle"), ("#000000", "#1f77b4", "#d62728"), strict=True
):
    g = np.clip(r.concepts["skewness"].astype(float).to_numpy(), -6, 6)
    items.append((name, [gfig.scatter(concepts, g, marker=marker, size=10, color=colour)]))
gfig.add_layout(Legend(items=items), "right")
show_figure(gfig)
show_figure(
    row(
        [
            concept_scatter(views[name], y, title=name, names=sorted(set(y)), width=360)
            for name in ("PCA 2-D", "t-SNE 2-D")
        ]
    )
)

# %% [markdown]
# ## Islands: what the full space keeps together and apart
# Γ says how a concept's k\* values are spread, not what shape the concept has. Its
# **islands** say that. Each sample links to the samples of its own concept that are closer
# to it than its nearest sample of another concept; an island is a group of samples that
# these links connect. So an island is a piece of the concept whose samples reach each
# other without a sample of another concept coming first. `kw.kstar` computes them in the
# full space with the same distances as k\* (`result.island`: each sample's island, 0 the
# largest; `concepts["islands"]`: how many).
#
# Here we know how each concept was built, so the islands of the 64-D space can be held
# against the blobs it was made of — and against the islands of the same points in the
# two pictures.


# %%
truth = res["64-D"]


def island_sizes(r, concept):
    """Sizes of one concept's islands in result ``r``, largest first."""
    return np.bincount(r.island[y == concept])


def plural(n, word):
    return f"{n} {word}{'s' * (n != 1)}"


rows = {}
for concept in truth.concepts.index:
    s = island_sizes(truth, concept)
    rows[concept] = {
        "built as": plural(len(np.unique(blobs[y == concept])), "blob"),
        "islands in 64-D": len(s),
        "their sizes": ", ".join(map(str, s[:5])) + (f" + {len(s) - 5} more" if len(s) > 5 else ""),
        "islands in PCA 2-D": len(island_sizes(res["PCA 2-D"], concept)),
        "islands in t-SNE 2-D": len(island_sizes(res["t-SNE 2-D"], concept)),
    }
island_table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("concept")

for concept in truth.concepts.index:
    m = y == concept
    cross = pd.crosstab(blobs[m], truth.island[m]) > 0  # blob x island: shares samples
    why = [
        f"blobs {' and '.join(map(str, cross.index[cross[i]]))} reach each other with no "
        "other concept's sample coming first"
        for i in cross.columns
        if cross[i].sum() > 1
    ] + [
        f"blob {b} is broken into {plural(int(cross.loc[b].sum()), 'island')}: samples of "
        "other concepts sit between its own"
        for b in cross.index
        if cross.loc[b].sum() > 1
    ]
    print(
        f"concept {concept}: built as {plural(cross.shape[0], 'blob')} -> "
        f"{plural(cross.shape[1], 'island')} in 64-D" + (": " + "; ".join(why) if why else "")
    )
island_table

# %% [markdown]
# Below, the samples of three concepts in the two pictures, coloured by their island **in
# the full space** (the other concepts in grey): the concept whose islands t-SNE gathers
# most, the one it splits most, and the one PCA breaks up most. Where one colour falls into
# several groups, the picture splits what the full space keeps together; where colours mix
# in one group, it merges what the full space keeps apart.

# %%
ISLAND_COLORS = ["#1f77b4", "#000000", "#e377c2", "#bcbd22", "#17becf"]  # no pattern colour
SMALL = "#8c564b"  # every island past the fifth
counts = island_table[["islands in 64-D", "islands in PCA 2-D", "islands in t-SNE 2-D"]]
ratio = np.log(counts.div(counts["islands in 64-D"], axis=0))
chosen = {}  # concept -> why it is shown; one row per concept
for why, concept in (
    ("t-SNE gathers", ratio["islands in t-SNE 2-D"].idxmin()),
    ("t-SNE splits", ratio["islands in t-SNE 2-D"].idxmax()),
    ("PCA breaks up", ratio["islands in PCA 2-D"].idxmax()),
):
    chosen.setdefault(concept, why)


def island_scatter(points, concept, *, title):
    """All samples in grey, ``concept``'s coloured by their full-space island."""
    fig = figure(title=title, width=450, height=280, toolbar_location=None)
    fig.scatter(points[:, 0], points[:, 1], size=3, color="#d9d9d9")
    m = y == concept
    island, sizes = truth.island[m], island_sizes(truth, concept)
    items = []
    for i, colour in enumerate(ISLAND_COLORS):
        if i < len(sizes):
            r = fig.scatter(*points[m][island == i].T, size=6, color=colour, alpha=0.8)
            items.append((f"island {i} ({sizes[i]})", [r]))
    if len(sizes) > len(ISLAND_COLORS):
        rest = island >= len(ISLAND_COLORS)
        r = fig.scatter(*points[m][rest].T, size=6, color=SMALL, alpha=0.8)
        items.append((f"{len(sizes) - len(ISLAND_COLORS)} smaller ({rest.sum()})", [r]))
    fig.add_layout(Legend(items=items, label_text_font_size="8pt"), "right")
    return fig


show_figure(
    gridplot(
        [
            [
                island_scatter(
                    views[name],
                    concept,
                    title=f"concept {concept} in {name} ({why}): "
                    f"{island_table.loc[concept, f'islands in {name}']} islands "
                    f"(64-D: {island_table.loc[concept, 'islands in 64-D']})",
                )
                for name in ("PCA 2-D", "t-SNE 2-D")
            ]
            for concept, why in chosen.items()
        ],
        toolbar_location=None,
    )
)


# %%
def fate(concept, name):
    """The concept's full-space islands of 3+ samples in a picture: kept, merged, split."""
    m = y == concept
    big = np.flatnonzero(island_sizes(truth, concept) >= 3)
    keep = np.isin(truth.island[m], big)
    cross = pd.crosstab(truth.island[m][keep], res[name].island[m][keep]) > 0
    split = cross.sum(axis=1) > 1  # spread over several islands of the picture
    merged = cross.loc[:, cross.sum(axis=0) > 1].any(axis=1)  # shares one with another
    return pd.Series(
        {"kept": (~split & ~merged).sum(), "merged": merged.sum(), "split": split.sum()}
    )


for name in ("PCA 2-D", "t-SNE 2-D"):
    f = sum(fate(c, name) for c in truth.concepts.index)
    print(
        f"{name}: of the full-space islands with 3 or more samples, {f['kept']} stay one "
        f"island of their own in the picture, {f['merged']} share an island with another "
        f"island of their concept, {f['split']} are split over several (one can be both)."
    )
one_per_blob = sum(
    pd.crosstab(blobs[y == c], truth.island[y == c]).astype(bool).sum().eq(1).all()
    and len(np.unique(blobs[y == c])) == len(island_sizes(truth, c))
    for c in truth.concepts.index
)
print(
    f"\nReading: the islands are the ground truth of what each concept is made of. Here "
    f"{one_per_blob} of the {len(truth.concepts)} concepts have exactly one island per blob "
    "they were built from; the others show where the build itself says otherwise (two blobs "
    "with nothing of another concept between them are one island; a wide blob with other "
    "concepts' samples inside it is many). A 2-D picture redraws these borders: it "
    "can merge islands that the full space keeps apart and split islands that it keeps "
    "whole. Count islands in the full space; use the picture to look, not to count."
)


# %% [markdown]
# ## Γ depends on how many samples a concept has
# The same features, fewer samples per concept: draw n images per digit (scikit-learn's
# raw pixels), compute k\* on the drawn set, repeat with five seeded draws and average
# (`kw.kstar(..., per_concept=n, n_draws=5)`). Γ moves with n, so two spaces, or two
# concepts, compare pattern for pattern only at equal samples per concept; the paper uses
# 80 per class. `kw.compare` warns (`kw.ConceptSizeWarning`) when sizes differ.

# %%
from sklearn.datasets import load_digits

digits_x, digits_y = load_digits(return_X_y=True)
by_size = {
    n: kw.kstar(digits_x, digits_y, per_concept=n, n_draws=5, random_state=0, progress=False)
    for n in (20, 40, 80)
}
by_size["all"] = kw.kstar(digits_x, digits_y, random_state=0, progress=False)
figures = ["mean_skewness", "share_fractured"]
size_table = pd.DataFrame(
    {
        n: r.summary[[k for f in figures for k in (f, f"{f}_ci_low", f"{f}_ci_high")]]
        for n, r in by_size.items()
    }
).T.rename_axis("samples per concept")
lo, hi = by_size[20].summary["mean_skewness"], by_size["all"].summary["mean_skewness"]
print(
    f"On the same pixels, mean Γ is {interpret.number(lo)} at 20 samples per digit and "
    f"{interpret.number(hi)} with all "
    f"of them (about {by_size['all'].concepts['n'].min()} per digit): "
    f"{'higher' if hi > lo else 'lower'} by {abs(hi - lo):.2f}, from the sample count alone."
)
interpret.readable(size_table).rename(columns={f: interpret.FIGURES[f][0] for f in figures})


# %% [markdown]
# ## Playground
# The target and its neighbour again: move the neighbour, change its spread (a wider
# neighbour is sparser and reaches further) and the dimension. The left plot shows the
# first two coordinates; the right one the target's k\* histogram, in its pattern's colour,
# with its mean (dashed) and median (solid). k\* is computed in the full space.

# %%
import ipywidgets as W

points = ColumnDataSource(dict(x=[], y=[], colour=[]))
bars = ColumnDataSource(dict(left=[], right=[], top=[]))
scatter = figure(title="first two coordinates", width=340, height=320, toolbar_location=None)
scatter.scatter("x", "y", color="colour", source=points, size=4, alpha=0.6)
hist = figure(
    title="target",
    width=380,
    height=320,
    x_range=(-0.03, 1.03),
    x_axis_label="normalised k* of the target",
    y_axis_label="samples",
    toolbar_location=None,
)
quads = hist.quad(left="left", right="right", bottom=0, top="top", source=bars, alpha=0.8)
marks = mark_mean_median(hist)
sliders = {
    "distance": W.FloatSlider(value=3.5, min=0.0, max=10.0, step=0.25, description="distance"),
    "spread": W.FloatSlider(value=1.0, min=0.3, max=3.0, step=0.1, description="its spread"),
    "dim": W.IntSlider(value=2, min=2, max=128, description="dimension"),
}
summary = W.HTML()
plots = Figure(row(scatter, hist))  # update() changes the figures, then sends them again


def update(change=None):
    s = {k: w.value for k, w in sliders.items()}
    x, y = neighbour_space(s["distance"], dim=s["dim"], neighbour_spread=s["spread"], seed=SEED)
    near = np.isin(y, ["target", "neighbour"])
    res = kw.kstar(x, y, method="exact", progress=False)
    points.data = dict(
        x=x[near, 0], y=x[near, 1], colour=np.where(y[near] == "target", *CONCEPT_COLORS[:2])
    )
    v = res.k_norm[y == "target"]
    counts, edges = np.histogram(v, bins=25, range=(0, 1))
    bars.data = dict(left=edges[:-1], right=edges[1:], top=counts)
    pattern = res.concepts.loc["target", "pattern"]
    quads.glyph.fill_color = quads.glyph.line_color = PATTERN_COLORS[pattern]
    set_mean_median(marks, v, top=counts.max())
    hist.title.text = f"target: {interpret.gamma(res, 'target')}, {pattern}"
    summary.value = (
        f"target (blue) {interpret.gamma(res, 'target')}: <b>{pattern}</b>; "
        f"mean normalised k* {v.mean():.2f}, median {np.median(v):.2f}; neighbour in black"
    )
    plots.refresh()


for w in sliders.values():
    w.observe(update, names="value")
update()
W.VBox(
    [
        W.HBox(list(sliders.values())),
        plots,
        summary,
    ]
)

# %%
# the sliders drive update(); setting a value from code does the same
sliders["distance"].value = 6.0
print(summary.value.replace("<b>", "").replace("</b>", ""))
