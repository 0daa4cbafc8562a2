"""``kstar-widgets demo``: the digits through four latent spaces, k* of each, side by side."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from ._common import fmt_pct, require_widgets, usage_error, write_report
from ._outputs import Outputs

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
        "(clean and under attack) and writes the interactive report. The trained CNNs load "
        "from weights shipped with the package (the same numbers on every machine); --train, "
        "or other --epochs, --attack, --eps or --seed, train them here. Features are cached: "
        "a second run is quick.",
    )
    p.add_argument(
        "--out",
        default="kstar-demo.html",
        metavar="report.html",
        help="standalone HTML report (default: kstar-demo.html)",
    )
    p.add_argument("--no-report", action="store_true", help="print the tables only")
    p.add_argument(
        "--epochs",
        type=int,
        default=8,
        help="training epochs per model (default 8, as the shipped weights; others train here)",
    )
    p.add_argument(
        "--train",
        action="store_true",
        help="train the CNNs here instead of loading the shipped weights (about a minute on "
        "2 cores, cached after); float32 training on another CPU rounds differently",
    )
    p.add_argument(
        "--attack",
        choices=["fgsm", "pgd"],
        default="fgsm",
        help="adversarial training and evaluation attack (default fgsm)",
    )
    p.add_argument(
        "--eps", type=float, default=0.1, help="L-inf budget on [0, 1] pixels (default 0.1)"
    )
    p.add_argument(
        "--seed", type=int, default=0, help="split, weights and shuffling seed (default: 0)"
    )
    p.add_argument(
        "--cache-dir", metavar="DIR", help="feature and weights cache (default: user cache)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--markdown",
        action="store_true",
        help="also print the README's block: the whole-space table as Markdown, the verdicts "
        "and the library versions, between the README's two comment markers",
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


# the README holds what --markdown prints between these two lines
BLOCK_BEGIN = "<!-- begin: printed by kstar-widgets demo --markdown; paste, never type -->"
BLOCK_END = "<!-- end: printed by kstar-widgets demo --markdown -->"
PAIRS = (("random CNN", "trained CNN"), ("trained CNN", "robust CNN"))


def verdicts(results) -> list[str]:
    """The demo's verdicts: paired bootstrap intervals of each pair of neighbouring spaces."""
    import kstar_widgets as kw

    lines = []
    for a, b in PAIRS:
        if a in results and b in results:
            cmp = kw.compare(results[a], results[b])
            lines += [cmp.verdict(figure) for figure in ("share_fractured", "mean_skewness")]
    return lines


def weights_note(spaces) -> str:
    """Where the trained CNNs came from: the package, or training here (and its cache)."""
    caches = {name: s.info["cache"] for name, s in spaces.items() if "cache" in s.info}
    here = [c for c in caches.values() if c != "shipped"]
    if not here:
        return "weights shipped with the package"
    shipped = [name for name, c in caches.items() if c == "shipped"]
    return f"weights cache: {here[-1]}" + "".join(f"; {n}: shipped weights" for n in shipped)


def markdown_table(spaces, results, *, attack, eps, epochs, seed) -> str:
    """The README's block: whole-space table, verdicts and versions, between the markers."""
    from ..interpret import figure

    lines = [
        BLOCK_BEGIN,
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
    lines += ["", "Verdicts, from paired bootstrap intervals over the same digits (95%):", ""]
    lines += [f"- {v}" for v in verdicts(results)]
    lines.append("")
    lines.append(
        f"`kstar-widgets demo --markdown` ({epochs} epochs, seed {seed}, "
        f"{weights_note(spaces)}); {versions()}."
    )
    lines.append(BLOCK_END)
    return "\n".join(lines)


def run(args) -> int:
    t0 = time.perf_counter()
    outputs = _checked_outputs(args)
    import kstar_widgets as kw
    from kstar_widgets.training import digits_spaces

    progress = not args.quiet
    spaces = digits_spaces(
        epochs=args.epochs,
        attack=args.attack,
        eps=args.eps,
        seed=args.seed,
        train=True if args.train else None,
        cache_dir=args.cache_dir,
        progress=progress,
    )
    results = {
        name: kw.kstar(
            s.features.features, s.features.labels, method="exact", progress=False, name=name
        )
        for name, s in spaces.items()
    }
    _print_tables(args, spaces, results)
    print("\nVerdicts, from paired bootstrap intervals over the same digits (95%):")
    for line in verdicts(results):
        print(f"  {line}")
    if args.markdown:
        print("\nAs Markdown:\n")
        table = markdown_table(
            spaces, results, attack=args.attack, eps=args.eps, epochs=args.epochs, seed=args.seed
        )
        print(table)
    if outputs.targets:
        data = next(iter(spaces.values())).features
        with outputs.staged() as temps:
            title = "k* of the digits: pixels, random, trained, robust"
            write_report(results, temps["--out"], images=data, title=title)
        print(f"\nreport written to {outputs.targets['--out']}")
    print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0


def _checked_outputs(args) -> Outputs:
    """The report path (none with --no-report), after checking the options, before any work."""
    if args.epochs < 1:
        raise usage_error(f"--epochs {args.epochs}: train for at least 1 epoch", "--epochs 8")
    if not 0.0 <= args.eps <= 1.0:
        raise usage_error(
            f"--eps {args.eps}: the budget is on [0, 1] pixels, so it must lie in [0, 1]",
            "--eps 0.1",
        )
    if args.cache_dir is not None and Path(args.cache_dir).expanduser().is_file():
        raise usage_error(
            f"--cache-dir {args.cache_dir!r} is a file, not a folder", "name a folder"
        )
    outputs = Outputs()
    if not args.no_report:
        outputs.add("--out", args.out, suffixes=(".html", ".htm"))
        require_widgets("the report", "pass --no-report")
    return outputs


def _print_tables(args, spaces, results) -> None:
    """The setting, the per-concept table and the whole-space table."""
    per_concept, whole = tables(spaces, results, attack=args.attack, eps=args.eps)
    n = len(next(iter(spaces.values())).features)
    print(
        f"\nk* of {n} held-out digits (exact, euclidean); CNN: timm resnet10t at a quarter width, "
        f"32 px, {args.epochs} epochs; robust copy: {args.attack} adversarial training, "
        f"eps {args.eps:g} ({weights_note(spaces)})\n"
    )
    print("Per concept: skewness Γ of normalised k*, and its pattern (threshold 0.5)")
    print(per_concept.to_string())
    print("\nWhole latent space")
    print(whole.to_string())
