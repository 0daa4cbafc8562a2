"""Write the notebooks (without outputs) from the cell sources below.

Run from the repository root: ``python notebooks/_build.py``. Edit the cells
here, not in the .ipynb files, so the notebooks stay reviewable as code.
Each notebook's first code cell holds its parameters (tagged "parameters"):
the tests run the notebooks with smaller values there.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def md(text):
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())


def code(text, *, parameters=False):
    cell = nbformat.v4.new_code_cell(textwrap.dedent(text).strip())
    if parameters:
        cell.metadata["tags"] = ["parameters"]
    return cell


BOKEH = code("""
    from bokeh.io import output_notebook, show
    from bokeh.resources import INLINE

    output_notebook(INLINE, hide_banner=True)  # BokehJS from the installed package: works offline
""")

HIST = code('''
    import numpy as np
    from bokeh.plotting import figure

    PATTERN_COLOURS = {"Fractured": "#d95f02", "Overlapped": "#7570b3", "Clustered": "#1b9e77", "Undefined": "#999999"}


    def kstar_histogram(result, concept, *, title=None, bins=20, width=300, height=220):
        """Histogram of one concept's normalised k*, coloured by its pattern."""
        row = result.concepts.loc[concept]
        values = result.k_norm[result.labels == concept]
        counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
        title = title or f"{result.name}: {concept}"
        fig = figure(title=f"{title}  Γ={row['skewness']:+.2f} {row['pattern']}", width=width, height=height,
                     x_range=(0, 1), x_axis_label="normalised k*", y_axis_label="samples", toolbar_location=None)
        fig.quad(left=edges[:-1], right=edges[1:], bottom=0, top=counts,
                 color=PATTERN_COLOURS[row["pattern"]], alpha=0.8, line_color="white")
        return fig
''')


def quickstart():
    return [
        md("""
        # k* quickstart: how a network arranges each concept

        For every sample, **k\\*** is the rank of its first neighbour from *another* concept
        (1 = its nearest neighbour is already foreign). Normalised by the concept's size, the
        k\\* values of a concept form its **k\\* distribution**; its skewness Γ names a pattern:

        | Γ | pattern | reading |
        |---|---|---|
        | Γ > 0.5 | **Fractured** | most samples meet another concept first: the concept is split |
        | -0.5 ≤ Γ ≤ 0.5 | **Overlapped** | k\\* spread evenly: the concept shares its region |
        | Γ < -0.5 | **Clustered** | most samples see their own concept first: it sits together |

        This notebook needs no network: scikit-learn's 1,797 handwritten digits, seen through
        raw pixels, a randomly initialised timm CNN, and the same CNN trained on them (seeded,
        a few epochs on the CPU; weights and features are cached, so a rerun is quick).
        """),
        code("""
        # Parameters
        EPOCHS = 8  # training epochs of the digits CNN (about 1-3 s each on a laptop CPU)
        """, parameters=True),
        code("""
        import pandas as pd

        import kstar_widgets as kw
        from kstar_widgets.training import digits_spaces

        spaces = digits_spaces(epochs=EPOCHS)  # held-out digits: pixels, random CNN, trained CNN, robust CNN
        for name, space in spaces.items():
            acc = "-" if space.accuracy is None else f"{space.accuracy:.1%}"
            print(f"{name:12s} {space.features.features.shape[1]:4d}-d  held-out accuracy {acc}")
        """),
        md("""
        ## Three latent spaces, one k* computation each
        `kw.kstar(features, labels)` computes every sample's k\\* exactly (0.1-0.3 s here).
        """),
        code("""
        names = ["pixels", "random CNN", "trained CNN"]
        results = {name: spaces[name].features.kstar(method="exact", progress=False, name=name) for name in names}
        pd.DataFrame({name: r.summary for name, r in results.items()})
        """),
        code("""
        # per concept: skewness and pattern in each space
        pd.concat({name: r.concepts[["skewness", "pattern"]] for name, r in results.items()}, axis=1)
        """),
        md("""
        ## Explore
        Click a concept to see its k\\* histogram, its lowest-k\\* samples and the intruders that
        come before their own concept; the threshold slider re-classifies live.
        """),
        code("""
        widget = kw.explore(results, images=spaces["pixels"].features)
        widget
        """),
        md("## The three patterns on real data\nOne concept of each pattern, wherever this run found one."),
        BOKEH,
        HIST,
        code("""
        from bokeh.layouts import row

        found = {}
        for name, r in results.items():
            for concept, pattern in r.concepts["pattern"].items():
                found.setdefault(pattern, (name, concept))
        for pattern in ("Fractured", "Overlapped", "Clustered"):
            if pattern not in found:
                print(f"no {pattern} concept in these spaces this time")
        show(row([kstar_histogram(results[n], c, title=f"{n}, digit {c}") for n, c in found.values()]))
        """),
        md("""
        ## A standalone report
        The same linked views in one HTML file (BokehJS and thumbnails inlined: it opens
        anywhere, offline). The command `kstar-widgets demo` does all of the above plus an
        adversarially trained CNN, from a terminal.
        """),
        code("""
        path = kw.report(results, "quickstart_report.html", images=spaces["pixels"].features,
                         title="k* of the digits")
        print("wrote", path)
        """),
    ]


def teaching():
    return [
        md("""
        # Teaching k*: patterns built by hand, one sample by hand, and why 2-D pictures mislead

        Everything here is synthetic and offline. `kw.synthetic.pattern_space(kind)` builds a
        concept **target** among four others so that it is Fractured, Overlapped or Clustered,
        in 2-D and in any dimension.
        """),
        code("""
        # Parameters
        HIGH_DIM = 32
        SEEDS = 5
        """, parameters=True),
        code("""
        import numpy as np
        import pandas as pd

        import kstar_widgets as kw
        from kstar_widgets.synthetic import concept_space, pattern_space
        """),
        BOKEH,
        HIST,
        md("""
        ## The three patterns in 2-D
        - **clustered**: one tight island far from the rest;
        - **fractured**: islands sitting inside the other concepts' clouds;
        - **overlapped**: half inside another concept's cloud, half an island of its own.
        """),
        code("""
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
                scatter.scatter(x[m, 0], x[m, 1], size=5 if concept == "target" else 4, color=colour,
                                alpha=0.9 if concept == "target" else 0.4, legend_label=concept)
            scatter.legend.label_text_font_size = "7pt"
            figs.append([scatter, kstar_histogram(res, "target", title=kind, height=300)])
        show(gridplot(figs))
        """),
        md("## The same constructions in high dimension\nThe pattern of *target*, over several seeds:"),
        code("""
        rows = []
        for kind in ("fractured", "overlapped", "clustered"):
            for dim in (2, 8, HIGH_DIM):
                got = []
                for seed in range(SEEDS):
                    x, y = pattern_space(kind, dim=dim, random_state=seed)
                    c = kw.kstar(x, y, method="exact", progress=False).concepts.loc["target"]
                    got.append((c["skewness"], c["pattern"]))
                gammas = np.array([g for g, _ in got])
                rows.append({"kind": kind, "dim": dim, "median Γ": np.median(gammas),
                             "patterns": pd.Series([p for _, p in got]).value_counts().to_dict()})
        pd.DataFrame(rows)
        """),
        md("""
        ## k* by hand for one sample
        Sort the other samples by distance to p. k\\* is the rank of the first one from another
        concept; equivalently 1 + the number of same-concept samples strictly closer than the
        nearest foreign sample (a tie goes to the other concept).
        """),
        code("""
        x, y = pattern_space("overlapped", n_others=2, per_concept=12, dim=2, random_state=0)
        p = int(np.flatnonzero(y == "target")[0])
        d = np.linalg.norm(x - x[p], axis=1)
        order = [q for q in np.argsort(d, kind="stable") if q != p]
        table = pd.DataFrame({"rank": np.arange(1, len(order) + 1), "sample": order,
                              "concept": y[order], "distance": d[order]})
        table["same concept"] = table["concept"] == y[p]
        print(f"sample {p}, concept {y[p]!r}")
        table.head(14)
        """),
        code("""
        d_foreign = d[y != y[p]].min()
        k_by_hand = 1 + int(((y == y[p]) & (d < d_foreign) & (np.arange(len(y)) != p)).sum())
        n_c = int((y == y[p]).sum())
        res = kw.kstar(x, y, method="exact", progress=False)
        print(f"nearest foreign sample at distance {d_foreign:.3f}")
        print(f"k* by hand = {k_by_hand}, kw.kstar says {res.k[p]}; normalised k* = {k_by_hand}/{n_c} = {k_by_hand / n_c:.3f}")
        assert k_by_hand == res.k[p]
        """),
        md("Then the concept's skewness Γ = m3 / m2^(3/2) of its normalised k\\* values:"),
        code("""
        v = res.k_norm[y == "target"]
        m2, m3 = ((v - v.mean()) ** 2).mean(), ((v - v.mean()) ** 3).mean()
        print(f"normalised k* of target: {np.round(np.sort(v), 2)}")
        print(f"Γ by hand = {m3 / m2 ** 1.5:+.3f}; kw.kstar: {res.concepts.loc['target', 'skewness']:+.3f} "
              f"-> {res.concepts.loc['target', 'pattern']}")
        """),
        md("""
        ## Why a 2-D picture can mislead
        Eight concepts in 64 dimensions, then the same points in 2-D by PCA and by t-SNE. k\\*
        in each space, concept by concept: does the picture keep the pattern?
        """),
        code("""
        from sklearn.decomposition import PCA
        from sklearn.manifold import TSNE

        x, y = concept_space(n_concepts=8, per_concept=60, dim=64, islands=(1, 4), spread=(0.5, 2.0),
                             separation=1.0, random_state=0)
        views = {"64-D": x, "PCA 2-D": PCA(2, random_state=0).fit_transform(x),
                 "t-SNE 2-D": TSNE(2, init="pca", perplexity=30, random_state=0).fit_transform(x)}
        res = {name: kw.kstar(v, y, method="exact", progress=False, name=name) for name, v in views.items()}
        for name in ("PCA 2-D", "t-SNE 2-D"):
            cmp = kw.compare(res["64-D"], res[name])
            print(f"{name}: same pattern as in 64-D for {cmp.pattern_agreement:.0%} of concepts, "
                  f"same k* for {cmp.kstar_agreement:.0%} of samples")
        pd.concat({name: r.concepts[["skewness", "pattern"]] for name, r in res.items()}, axis=1)
        """),
        code("""
        figs = []
        for name in ("PCA 2-D", "t-SNE 2-D"):
            v = views[name]
            fig = figure(title=name, width=330, height=330, toolbar_location=None)
            for c in range(8):
                m = y == c
                fig.scatter(v[m, 0], v[m, 1], size=4, color=Category10[10][c], alpha=0.6, legend_label=str(c))
            fig.legend.label_text_font_size = "7pt"
            figs.append(fig)
        show(gridplot([figs]))
        """),
        md("""
        ## Playground
        Five concepts from `concept_space`: move the sliders and watch the 2-D scatter (the first
        two coordinates) and every concept's k\\* distribution update. k\\* is computed in the full
        space, whatever its dimension.
        """),
        code("""
        import ipywidgets as W
        from bokeh.models import ColumnDataSource
        from jupyter_bokeh import BokehModel

        N_CONCEPTS, PER = 5, 60
        colours = [Category10[10][i] for i in range(N_CONCEPTS)]
        points = ColumnDataSource(dict(x=[], y=[], colour=[]))
        curves = ColumnDataSource(dict(xs=[], ys=[], colour=[], label=[]))
        scatter = figure(title="first two coordinates", width=340, height=320, toolbar_location=None)
        scatter.scatter("x", "y", color="colour", source=points, size=4, alpha=0.6)
        dists = figure(title="k* distribution per concept", width=380, height=320, x_range=(0, 1),
                       x_axis_label="normalised k*", y_axis_label="share of samples", toolbar_location=None)
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
            x, y = concept_space(n_concepts=N_CONCEPTS, per_concept=PER, dim=s["dim"], islands=(s["islands"],) * 2,
                                 spread=(s["spread"],) * 2, separation=s["separation"], random_state=0)
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
        W.VBox([W.HBox(list(sliders.values())[:2]), W.HBox(list(sliders.values())[2:]),
                W.HBox([BokehModel(scatter), BokehModel(dists)]), summary])
        """),
        code("""
        # the sliders drive update(); setting a value from code does the same
        sliders["separation"].value = 6.0
        print(summary.value.replace("<br>", "\\n"))
        """),
    ]


def clip_models():
    return [
        md("""
        # Several CLIP models on the same images: k* next to zero-shot accuracy

        The 2024 paper links generalisation to concept clustering: models that generalise better
        fracture concepts less. Here: OpenCLIP models and weights on the same images, each space's
        k\\* summary ranked next to its zero-shot accuracy.

        Needs the network once (weights, CIFAR-10). Offline, the notebook still runs: it notes
        what is missing, uses the digits instead of CIFAR-10 and random weights instead of the
        trained ones, so the numbers then only show the mechanics.
        """),
        code("""
        # Parameters
        MODELS = [("ViT-B-32", "laion2b_s34b_b79k"), ("ViT-B-32", "openai"), ("RN50", "openai"), ("ViT-B-16", "openai")]
        DATA_ROOT = "~/.cache/kstar_widgets/data"  # where CIFAR-10 is (or will be downloaded)
        LIMIT = 2000                               # images per model
        OFFLINE_LIMIT, OFFLINE_IMAGE_SIZE = 300, 64  # smaller and faster with random weights
        """, parameters=True),
        code("""
        import numpy as np
        import pandas as pd

        import kstar_widgets as kw
        from kstar_widgets.features import WeightsUnavailableError

        try:
            data = kw.datasets.torchvision_dataset("CIFAR10", DATA_ROOT, train=False)
        except (ConnectionError, ValueError, OSError) as exc:
            print(f"NOTE: CIFAR-10 unavailable ({type(exc).__name__}); using the offline digits instead.")
            data = kw.datasets.digits()
        print(data)
        """),
        code("""
        rows, spaces = [], {}
        for arch, tag in MODELS:
            spec = f"open_clip:{arch}/{tag}"
            try:
                feats = kw.extract(spec, data, pretrained=True, limit=LIMIT)
                weights = tag
            except WeightsUnavailableError:
                print(f"NOTE: {spec} weights unavailable offline; random weights, {OFFLINE_LIMIT} images at "
                      f"{OFFLINE_IMAGE_SIZE} px (mechanics only, not the paper's result)")
                feats = kw.extract(spec, data, pretrained=False, limit=OFFLINE_LIMIT,
                                   image_size=OFFLINE_IMAGE_SIZE, progress=False)
                weights = "random"
            res = feats.kstar(metric="cosine", method="exact", progress=False, name=f"{arch}/{weights}")
            spaces[res.name] = (feats, res)
            s = res.summary
            rows.append({"model": arch, "weights": weights, "mean Γ": s["mean_skewness"],
                         "share Fractured": s["share_fractured"], "share Clustered": s["share_clustered"],
                         "zero-shot accuracy": kw.features.zero_shot_accuracy(feats).attrs["overall"]})
        table = pd.DataFrame(rows).sort_values("mean Γ").reset_index(drop=True)
        table
        """),
        code("""
        trained = table[table["weights"] != "random"]
        if len(trained) >= 3:
            rho = trained["mean Γ"].corr(trained["zero-shot accuracy"], method="spearman")
            print(f"Spearman correlation of mean Γ and zero-shot accuracy over {len(trained)} models: {rho:+.2f}")
        else:
            print("Fewer than three models with real weights: no ranking to correlate.")
        """),
        md("## Explore the spaces side by side"),
        code("""
        first = next(iter(spaces.values()))[0]
        same = [r for f, r in spaces.values() if len(f) == len(first)]
        kw.explore(same, images=first)
        """),
    ]


def robust_vs_standard():
    return [
        md("""
        # Robust vs standard training: does robustness fracture concepts less?

        Two ways to look: timm's ImageNet models with and without adversarial training (needs
        the weights once), and the offline digits version, a small CNN trained plainly and with
        FGSM adversarial training. Both report what they measure.
        """),
        code("""
        # Parameters
        PAIRS = [("inception_v3.tf_in1k", "inception_v3.tf_adv_in1k"),
                 ("inception_resnet_v2.tf_in1k", "inception_resnet_v2.tf_ens_adv_in1k")]
        IMAGE_FOLDER = None  # a folder of class subfolders of images (e.g. an ImageNet sample)
        LIMIT = 1000
        EPOCHS = 8
        """, parameters=True),
        code("""
        import pandas as pd
        import timm

        import kstar_widgets as kw
        from kstar_widgets.features import WeightsUnavailableError

        print("adversarially trained weights timm knows:",
              [m for m in timm.list_models(pretrained=True) if "adv" in m])
        """),
        md("## ImageNet models (needs their weights)"),
        code("""
        data = kw.datasets.image_folder(IMAGE_FOLDER) if IMAGE_FOLDER else kw.datasets.digits()
        if IMAGE_FOLDER is None:
            print("NOTE: no IMAGE_FOLDER set; the ImageNet models would see the digits.")
        rows = []
        for standard, robust in PAIRS:
            try:
                pair = [kw.extract(f"timm:{m}", data, pretrained=True, limit=LIMIT).kstar(progress=False, name=m)
                        for m in (standard, robust)]
            except WeightsUnavailableError:
                print(f"NOTE: weights of {standard} / {robust} unavailable (offline); skipped. "
                      "The digits version below runs offline.")
                continue
            cmp = kw.compare(*pair)
            rows.append({"standard": standard, "robust": robust,
                         "mean Γ standard": pair[0].summary["mean_skewness"],
                         "mean Γ robust": pair[1].summary["mean_skewness"],
                         "pattern agreement": cmp.pattern_agreement})
        pd.DataFrame(rows)
        """),
        md("""
        ## The offline version: digits, a small CNN, plain and FGSM-adversarial training
        Same architecture, same initial weights, same data; k\\* of the held-out digits.
        """),
        code("""
        from kstar_widgets.training import digits_spaces

        spaces = digits_spaces(epochs=EPOCHS, attack="fgsm", eps=0.1)
        standard = spaces["trained CNN"].features.kstar(method="exact", progress=False, name="standard")
        robust = spaces["robust CNN"].features.kstar(method="exact", progress=False, name="robust")
        for name in ("trained CNN", "robust CNN"):
            s = spaces[name]
            print(f"{name}: held-out accuracy {s.accuracy:.1%}, under FGSM eps 0.1 {s.attack_accuracy:.1%}")
        cmp = kw.compare(standard, robust)
        cmp.summary
        """),
        code("""
        cmp.concepts
        """),
        code("""
        g_std, g_rob = standard.summary["mean_skewness"], robust.summary["mean_skewness"]
        verdict = "less" if g_rob < g_std else "more (or as much)"
        print(f"measured here: mean Γ {g_rob:+.2f} robust vs {g_std:+.2f} standard, so the robust CNN "
              f"fractures the digits {verdict} than the standard one")
        kw.explore({"standard": standard, "robust": robust}, images=spaces["pixels"].features)
        """),
    ]


def layers():
    return [
        md("""
        # Across the layers: from fractured to clustered?

        k\\* at each stage of one network, random and trained. Offline: the digits CNN of the
        quickstart (timm resnet10t at a quarter width). With weights available, any timm model.
        """),
        code("""
        # Parameters
        EPOCHS = 8
        TIMM_MODEL = "resnet18"  # a second network, stage by stage (pretrained weights if available)
        TIMM_LIMIT, TIMM_IMAGE_SIZE = 600, 32
        """, parameters=True),
        code("""
        import pandas as pd

        import kstar_widgets as kw
        from kstar_widgets.training import digits_split, small_cnn, trained_model

        split = digits_split()
        test = split.data.subset(split.test)
        models = {"random": small_cnn(), "trained": trained_model(split, epochs=EPOCHS)[0]}
        LAYERS = ["act1", "layer1", "layer2", "layer3", "layer4", "fc"]  # layer4 is pooled: the pre-logit features
        rows, results = [], {}
        for which, model in models.items():
            for layer in LAYERS:
                feats = kw.extract(model, test, layer=layer, progress=False)
                res = feats.kstar(method="exact", progress=False, name=f"{which}/{layer}")
                results[res.name] = res
                s = res.summary
                rows.append({"model": which, "layer": layer, "dim": feats.features.shape[1],
                             "mean Γ": s["mean_skewness"], "Fractured": s["share_fractured"],
                             "Overlapped": s["share_overlapped"], "Clustered": s["share_clustered"]})
        table = pd.DataFrame(rows)
        table.pivot(index="layer", columns="model", values="mean Γ").loc[LAYERS]
        """),
        code("""
        table
        """),
        code("""
        from bokeh.io import output_notebook, show
        from bokeh.palettes import Category10
        from bokeh.plotting import figure
        from bokeh.resources import INLINE

        output_notebook(INLINE, hide_banner=True)
        fig = figure(x_range=LAYERS, width=640, height=340, title="skewness Γ per digit across layers (trained)",
                     y_axis_label="Γ", toolbar_location=None)
        for c in range(10):
            gammas = [results[f"trained/{layer}"].concepts["skewness"].iloc[c] for layer in LAYERS]
            fig.line(LAYERS, gammas, color=Category10[10][c], legend_label=str(c))
        random_mean = table[table.model == "random"]["mean Γ"].tolist()
        fig.line(LAYERS, random_mean, color="black", line_dash="dashed", line_width=2, legend_label="random (mean)")
        fig.legend.label_text_font_size = "7pt"
        show(fig)
        """),
        md("## Any timm model, stage by stage"),
        code("""
        from kstar_widgets.features import WeightsUnavailableError

        spec = f"timm:{TIMM_MODEL}"
        layers = kw.features.list_layers(spec)
        stages = [l for l in layers if l not in ("logits", "pre_logits")] + ["logits"]  # pre_logits = last stage, pooled
        pretrained = True
        try:
            kw.extract(spec, kw.datasets.digits(), pretrained=True, layer=stages[-1], limit=8, progress=False)
        except WeightsUnavailableError:
            print(f"NOTE: {TIMM_MODEL} weights unavailable offline: random weights (mechanics only).")
            pretrained = False
        rows = []
        for layer in stages:
            feats = kw.extract(spec, kw.datasets.digits(), layer=layer, pretrained=pretrained,
                               limit=TIMM_LIMIT, image_size=TIMM_IMAGE_SIZE, progress=False)
            s = feats.kstar(method="exact", progress=False).summary
            rows.append({"layer": layer, "mean Γ": s["mean_skewness"], "Fractured": s["share_fractured"],
                         "Clustered": s["share_clustered"]})
        pd.DataFrame(rows)
        """),
    ]


NOTEBOOKS = {
    "01_quickstart.ipynb": quickstart,
    "02_teaching_kstar.ipynb": teaching,
    "03_clip_models.ipynb": clip_models,
    "04_robust_vs_standard.ipynb": robust_vs_standard,
    "05_layers.ipynb": layers,
}


def build(folder=HERE):
    """Write every notebook into ``folder``; returns the paths."""
    paths = []
    for name, cells in NOTEBOOKS.items():
        nb = nbformat.v4.new_notebook(cells=cells())
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):  # stable ids: rebuilding gives the same files
            cell.id = f"{Path(name).stem[:2]}-{i:02d}"
        path = Path(folder) / name
        nbformat.write(nb, path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in build():
        print("wrote", p)
