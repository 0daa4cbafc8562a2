# %% [markdown]
# # Teaching k*: patterns built by hand, one sample by hand, and why 2-D pictures mislead
#
# Everything here is synthetic and offline. `kw.synthetic.pattern_space(kind)` builds a
# concept **target** among four others so that it is Fractured, Overlapped or Clustered,
# in 2-D and in any dimension.

# %% tags=["parameters"]
# Parameters
HIGH_DIM = 32
SEEDS = 5

# %%
import numpy as np
import pandas as pd

# %%
from bokeh.io import output_notebook, show
from bokeh.resources import INLINE

import kstar_widgets as kw
from kstar_widgets.synthetic import concept_space, pattern_space

output_notebook(INLINE, hide_banner=True)  # BokehJS from the installed package: works offline

# %%
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


# %% [markdown]
# ## The three patterns in 2-D
# - **clustered**: one tight island far from the rest;
# - **fractured**: islands sitting inside the other concepts' clouds;
# - **overlapped**: half inside another concept's cloud, half an island of its own.

# %%
from bokeh.layouts import gridplot
from bokeh.palettes import Category10

figs = []
for kind in ("fractured", "overlapped", "clustered"):
    x, y = pattern_space(kind, dim=2, random_state=0)
    res = kw.kstar(x, y, method="exact", progress=False, name=kind)
    scatter = figure(title=kind, width=300, height=300, toolbar_location=None)
    for i, concept in enumerate(sorted(set(y))):
        m = y == concept
        colour = "black" if concept == "target" else Category10[10][i]
        scatter.scatter(
            x[m, 0],
            x[m, 1],
            size=5 if concept == "target" else 4,
            color=colour,
            alpha=0.9 if concept == "target" else 0.4,
            legend_label=concept,
        )
    scatter.legend.label_text_font_size = "7pt"
    figs.append([scatter, kstar_histogram(res, "target", title=kind, height=300)])
show(gridplot(figs))

# %% [markdown]
# ## The same constructions in high dimension
# The pattern of *target*, over several seeds:

# %%
rows = []
for kind in ("fractured", "overlapped", "clustered"):
    for dim in (2, 8, HIGH_DIM):
        got = []
        for seed in range(SEEDS):
            x, y = pattern_space(kind, dim=dim, random_state=seed)
            c = kw.kstar(x, y, method="exact", progress=False).concepts.loc["target"]
            got.append((c["skewness"], c["pattern"]))
        gammas = np.array([g for g, _ in got])
        rows.append(
            {
                "kind": kind,
                "dim": dim,
                "median Γ": np.median(gammas),
                "patterns": pd.Series([p for _, p in got]).value_counts().to_dict(),
            }
        )
pd.DataFrame(rows)

# %% [markdown]
# ## k* by hand for one sample
# Sort the other samples by distance to p. k\* is the rank of the first one from another
# concept; equivalently 1 + the number of same-concept samples strictly closer than the
# nearest foreign sample (a tie goes to the other concept).

# %%
x, y = pattern_space("overlapped", n_others=2, per_concept=12, dim=2, random_state=0)
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
print(f"sample {p}, concept {y[p]!r}")
table.head(14)

# %%
d_foreign = d[y != y[p]].min()
k_by_hand = 1 + int(((y == y[p]) & (d < d_foreign) & (np.arange(len(y)) != p)).sum())
n_c = int((y == y[p]).sum())
res = kw.kstar(x, y, method="exact", progress=False)
print(f"nearest foreign sample at distance {d_foreign:.3f}")
print(
    f"k* by hand = {k_by_hand}, kw.kstar says {res.k[p]}; normalised k* = {k_by_hand}/{n_c} = {k_by_hand / n_c:.3f}"
)
assert k_by_hand == res.k[p]

# %% [markdown]
# Then the concept's skewness Γ = m3 / m2^(3/2) of its normalised k\* values:

# %%
v = res.k_norm[y == "target"]
m2, m3 = ((v - v.mean()) ** 2).mean(), ((v - v.mean()) ** 3).mean()
print(f"normalised k* of target: {np.round(np.sort(v), 2)}")
print(
    f"Γ by hand = {m3 / m2**1.5:+.3f}; kw.kstar: {res.concepts.loc['target', 'skewness']:+.3f} "
    f"-> {res.concepts.loc['target', 'pattern']}"
)

# %% [markdown]
# ## Why a 2-D picture can mislead
# Eight concepts in 64 dimensions, then the same points in 2-D by PCA and by t-SNE. k\*
# in each space, concept by concept: does the picture keep the pattern?

# %%
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

x, y = concept_space(
    n_concepts=8,
    per_concept=60,
    dim=64,
    islands=(1, 4),
    spread=(0.5, 2.0),
    separation=1.0,
    random_state=0,
)
views = {
    "64-D": x,
    "PCA 2-D": PCA(2, random_state=0).fit_transform(x),
    "t-SNE 2-D": TSNE(2, init="pca", perplexity=30, random_state=0).fit_transform(x),
}
res = {name: kw.kstar(v, y, method="exact", progress=False, name=name) for name, v in views.items()}
for name in ("PCA 2-D", "t-SNE 2-D"):
    cmp = kw.compare(res["64-D"], res[name])
    print(
        f"{name}: same pattern as in 64-D for {cmp.pattern_agreement:.0%} of concepts, "
        f"same k* for {cmp.kstar_agreement:.0%} of samples"
    )
pd.concat({name: r.concepts[["skewness", "pattern"]] for name, r in res.items()}, axis=1)

# %%
figs = []
for name in ("PCA 2-D", "t-SNE 2-D"):
    v = views[name]
    fig = figure(title=name, width=330, height=330, toolbar_location=None)
    for c in range(8):
        m = y == c
        fig.scatter(
            v[m, 0], v[m, 1], size=4, color=Category10[10][c], alpha=0.6, legend_label=str(c)
        )
    fig.legend.label_text_font_size = "7pt"
    figs.append(fig)
show(gridplot([figs]))

# %% [markdown]
# ## Playground
# Five concepts from `concept_space`: move the sliders and watch the 2-D scatter (the first
# two coordinates) and every concept's k\* distribution update. k\* is computed in the full
# space, whatever its dimension.

# %%
import ipywidgets as W
from bokeh.models import ColumnDataSource
from jupyter_bokeh import BokehModel

N_CONCEPTS, PER = 5, 60
colours = [Category10[10][i] for i in range(N_CONCEPTS)]
points = ColumnDataSource(dict(x=[], y=[], colour=[]))
curves = ColumnDataSource(dict(xs=[], ys=[], colour=[], label=[]))
scatter = figure(title="first two coordinates", width=340, height=320, toolbar_location=None)
scatter.scatter("x", "y", color="colour", source=points, size=4, alpha=0.6)
dists = figure(
    title="k* distribution per concept",
    width=380,
    height=320,
    x_range=(0, 1),
    x_axis_label="normalised k*",
    y_axis_label="share of samples",
    toolbar_location=None,
)
dists.multi_line("xs", "ys", color="colour", source=curves, line_width=2, legend_field="label")
sliders = {
    "separation": W.FloatSlider(value=3.0, min=0.2, max=8.0, step=0.2, description="separation"),
    "spread": W.FloatSlider(value=1.0, min=0.2, max=4.0, step=0.1, description="spread"),
    "islands": W.IntSlider(value=2, min=1, max=8, description="islands"),
    "dim": W.IntSlider(value=2, min=2, max=128, description="dimension"),
}
summary = W.HTML()


def update(change=None):
    s = {k: w.value for k, w in sliders.items()}
    x, y = concept_space(
        n_concepts=N_CONCEPTS,
        per_concept=PER,
        dim=s["dim"],
        islands=(s["islands"],) * 2,
        spread=(s["spread"],) * 2,
        separation=s["separation"],
        random_state=0,
    )
    res = kw.kstar(x, y, method="exact", progress=False)
    points.data = dict(x=x[:, 0], y=x[:, 1], colour=[colours[c] for c in y])
    xs, ys, labels = [], [], []
    for c, row in res.concepts.iterrows():
        counts, edges = np.histogram(res.k_norm[y == c], bins=10, range=(0, 1))
        xs.append(list(np.repeat(edges, 2)[1:-1]))
        ys.append(list(np.repeat(counts / counts.sum(), 2)))
        labels.append(f"{c}: Γ={row['skewness']:+.2f} {row['pattern']}")
    curves.data = dict(xs=xs, ys=ys, colour=colours[: len(xs)], label=labels)
    summary.value = "<br>".join(labels)


for w in sliders.values():
    w.observe(update, names="value")
update()
W.VBox(
    [
        W.HBox(list(sliders.values())[:2]),
        W.HBox(list(sliders.values())[2:]),
        W.HBox([BokehModel(scatter), BokehModel(dists)]),
        summary,
    ]
)

# %%
# the sliders drive update(); setting a value from code does the same
sliders["separation"].value = 6.0
print(summary.value.replace("<br>", "\n"))
