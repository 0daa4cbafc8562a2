"""``kstar-widgets demo``: the digits through four latent spaces, k* of each, side by side."""

from __future__ import annotations

import time

import pandas as pd

from ._common import CLIError, fmt_pct, output_path, write_report

SUMMARY_ROWS = {
    "mean_skewness": "mean skewness Γ",
    "median_skewness": "median skewness Γ",
    "share_fractured": "share Fractured",
    "share_overlapped": "share Overlapped",
    "share_clustered": "share Clustered",
    "mean_kstar_norm": "mean normalised k*",
    "kstar1_share": "share with k* = 1",
}


def add_parser(sub):
    p = sub.add_parser(
        "demo",
        help="the digits seen by pixels, a random, a trained and a robust CNN: k* of each",
        description="The 1,797 scikit-learn digits (no network) through four latent spaces: raw "
        "pixels, a randomly initialised timm CNN, the same CNN trained on the digits, and an "
        "adversarially trained copy. Prints k* per concept and per space, held-out accuracy "
        "(clean and under attack) and writes the interactive report. Trained weights and "
        "features are cached: a second run is quick.",
    )
    p.add_argument(
        "--out",
        default="kstar-demo.html",
        metavar="report.html",
        help="standalone HTML report (default: kstar-demo.html)",
    )
    p.add_argument("--no-report", action="store_true", help="print the tables only")
    p.add_argument("--epochs", type=int, default=8, help="training epochs per model (default 8)")
    p.add_argument(
        "--attack",
        choices=["fgsm", "pgd"],
        default="fgsm",
        help="adversarial training and evaluation attack (default fgsm)",
    )
    p.add_argument(
        "--eps", type=float, default=0.1, help="L-inf budget on [0, 1] pixels (default 0.1)"
    )
    p.add_argument("--seed", type=int, default=0, help="split, weights and shuffling seed")
    p.add_argument(
        "--cache-dir", metavar="DIR", help="feature and weights cache (default: user cache)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--markdown",
        action="store_true",
        help="also print the whole-space table as Markdown, with the library versions "
        "(the table the README shows)",
    )
    p.set_defaults(run=run)


def tables(spaces, results, *, attack, eps):
    """(per-concept table, whole-space table) with one column per space."""
    per_concept = pd.DataFrame(
        {
            name: [
                f"{g:+.2f} {p}"
                for g, p in zip(r.concepts["skewness"], r.concepts["pattern"], strict=True)
            ]
            for name, r in results.items()
        },
        index=next(iter(results.values())).concepts.index,
    )
    per_concept.index.name = "concept"
    rows = {}
    for key, label in SUMMARY_ROWS.items():
        rows[label] = [f"{float(r.summary[key]):.3f}" for r in results.values()]
    rows["held-out accuracy"] = [fmt_pct(s.accuracy) for s in spaces.values()]
    rows[f"accuracy under {attack} (eps {eps:g})"] = [
        fmt_pct(s.attack_accuracy) for s in spaces.values()
    ]
    rows["feature dimension"] = [str(s.features.features.shape[1]) for s in spaces.values()]
    whole = pd.DataFrame(rows, index=list(results)).T
    return per_concept, whole


def versions() -> str:
    """The library versions behind the numbers: the ones that change trained weights."""
    import platform

    import numpy
    import timm
    import torch

    import kstar_widgets

    return (
        f"kstar_widgets {kstar_widgets.__version__}, torch {torch.__version__}, "
        f"timm {timm.__version__}, numpy {numpy.__version__}, Python {platform.python_version()}"
    )


def markdown_table(spaces, results, *, attack, eps, epochs, seed) -> str:
    """The whole-space figures as a Markdown table, rows named as the demo names them."""
    from ..interpret import figure

    lines = [
        f"| latent space | mean Γ | Fractured / Overlapped / Clustered | held-out accuracy "
        f"| under {attack.upper()} (ε {eps:g}) |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        counts = r.concepts["pattern"].value_counts()
        patterns = " / ".join(
            str(counts.get(p, 0)) for p in ("Fractured", "Overlapped", "Clustered")
        )
        acc = spaces[name].accuracy
        adv = spaces[name].attack_accuracy
        held = "–" if acc is None else f"{acc:.1%}"
        under = "–" if adv is None else f"{adv:.1%}"
        lines.append(
            f"| {name} | {figure(r, 'mean_skewness', label=False)} | {patterns} | {held} | {under} |"
        )
    lines.append("")
    lines.append(f"`kstar-widgets demo --markdown` ({epochs} epochs, seed {seed}); {versions()}.")
    return "\n".join(lines)


def run(args) -> int:
    t0 = time.perf_counter()
    if args.epochs < 1:
        raise CLIError(f"--epochs {args.epochs}: train for at least 1 epoch.")
    if not 0.0 <= args.eps <= 1.0:
        raise CLIError(
            f"--eps {args.eps}: the budget is on [0, 1] pixels, so it must lie in [0, 1]."
        )
    out = (
        None if args.no_report else output_path(args.out, suffixes=(".html", ".htm"), what="--out")
    )
    import kstar_widgets as kw
    from kstar_widgets.training import digits_spaces

    progress = not args.quiet
    spaces = digits_spaces(
        epochs=args.epochs,
        attack=args.attack,
        eps=args.eps,
        seed=args.seed,
        cache_dir=args.cache_dir,
        progress=progress,
    )
    results = {
        name: kw.kstar(
            s.features.features, s.features.labels, method="exact", progress=False, name=name
        )
        for name, s in spaces.items()
    }
    per_concept, whole = tables(spaces, results, attack=args.attack, eps=args.eps)
    n = len(next(iter(spaces.values())).features)
    robust = spaces["robust CNN"].info
    print(
        f"\nk* of {n} held-out digits (exact, euclidean); CNN: timm resnet10t at a quarter width, "
        f"32 px, {args.epochs} epochs; robust copy: {args.attack} adversarial training, "
        f"eps {args.eps:g} (weights cache: {robust.get('cache')})\n"
    )
    print("Per concept: skewness Γ of normalised k*, and its pattern (threshold 0.5)")
    print(per_concept.to_string())
    print("\nWhole latent space")
    print(whole.to_string())
    print("\nVerdicts, from paired bootstrap intervals over the same digits (95%):")
    for a, b in (("random CNN", "trained CNN"), ("trained CNN", "robust CNN")):
        if a in results and b in results:
            cmp = kw.compare(results[a], results[b])
            for figure in ("share_fractured", "mean_skewness"):
                print(f"  {cmp.verdict(figure)}")
    if args.markdown:
        print("\nAs Markdown:\n")
        table = markdown_table(
            spaces, results, attack=args.attack, eps=args.eps, epochs=args.epochs, seed=args.seed
        )
        print(table)
    if out is not None:
        data = next(iter(spaces.values())).features
        write_report(
            results, out, images=data, title="k* of the digits: pixels, random, trained, robust"
        )
        print(f"\nreport written to {out}")
    print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0
