"""``kstar-widgets compute``: precomputed vectors in, per-concept table and report out."""

from __future__ import annotations

import sys
from pathlib import Path

from . import _inputs
from ._common import CLIError, require_widgets, spreadsheet_safe, usage_error, write_report
from ._outputs import Outputs


def add_parser(sub):
    p = sub.add_parser(
        "compute",
        help="k* of precomputed vectors (.npy): per-concept table and report",
        description="k* of precomputed latent vectors: X.npy (n, d) floats, y.npy (n,) labels "
        "(ints or strings). Prints the per-concept table, or writes it (CSV or JSON by "
        "extension), and optionally the standalone HTML report and the saved result. Inputs and "
        "output paths are checked before the computation; the outputs appear together at the "
        "end, or none of them.",
    )
    p.add_argument("--features", required=True, metavar="X.npy", help="array of shape (n, d)")
    p.add_argument("--labels", required=True, metavar="y.npy", help="array of shape (n,)")
    p.add_argument(
        "--metric",
        choices=["euclidean", "cosine"],
        default="euclidean",
        help="distance between vectors; cosine compares the L2-normalised vectors (the same "
        "ranking as 1 - cosine similarity) (default: %(default)s)",
    )
    p.add_argument(
        "--method",
        choices=["auto", "exact", "approx"],
        default="auto",
        help="exact: every k* exactly; approx: k* from a pynndescent kNN graph, audited on "
        "300 random rows; auto: exact unless approx is estimated 3x faster here (the summary "
        "says why) (default: %(default)s)",
    )
    p.add_argument(
        "--backend",
        choices=["local", "dask"],
        default=None,
        help="where the exact engine runs: this process (default) or a Dask cluster "
        "(implied by --scheduler; pip install 'kstar-widgets[dask]')",
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://host:8786",
        help="address of a running Dask scheduler (default with --backend dask: a LocalCluster "
        "on this machine); its workers must be able to read --features",
    )
    p.add_argument(
        "--threshold", type=float, default=0.5, help="skewness threshold (default: %(default)s)"
    )
    p.add_argument(
        "--out", metavar="table.csv|table.json", help="per-concept table (default: print it)"
    )
    p.add_argument("--report", metavar="report.html", help="also write the interactive report")
    p.add_argument("--save", metavar="run.kstar", help="also save the result (reopen with kw.load)")
    p.add_argument("--name", help="name of this latent space in the outputs")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(run=run)


def _outputs(args) -> Outputs:
    """The output paths, checked before any input is read."""
    outputs = Outputs()
    outputs.add("--out", args.out, suffixes=(".csv", ".json"))
    outputs.add("--report", args.report, suffixes=(".html", ".htm"))
    outputs.add("--save", args.save, suffixes=(".kstar",))
    if args.report is not None:
        require_widgets("--report", "drop --report")
    return outputs


def run(args) -> int:
    backend = args.backend or ("dask" if args.scheduler else "local")
    if args.scheduler and backend != "dask":
        raise usage_error(
            "--scheduler runs on Dask, not with --backend local",
            "drop --backend local, or use --backend dask",
        )
    _inputs.threshold(args.threshold)
    outputs = _outputs(args)
    x = _inputs.features_file(args.features, metric=args.metric)
    y = _inputs.labels_file(args.labels, n_rows=len(x), features=args.features)
    if backend == "dask":
        return _run_dask(args, outputs, y)
    return _compute(args, outputs, x, y)


def _run_dask(args, outputs, y) -> int:
    """The workers memory-map the features file themselves; only the labels are sent."""
    try:
        from ..engines.dask import resolve_client

        client = resolve_client(args.scheduler, progress=not args.quiet)
    except (ImportError, ConnectionError) as exc:
        raise CLIError(str(exc)) from exc
    path = str(Path(args.features).expanduser().resolve())
    return _compute(args, outputs, path, y, backend="dask", client=client)


def _compute(args, outputs, x, y, **backend) -> int:
    import kstar_widgets as kw

    name = args.name or Path(args.features).stem
    res = kw.kstar(
        x,
        y,
        metric=args.metric,
        method=args.method,
        threshold=args.threshold,
        progress=not args.quiet,
        name=name,
        **backend,
    )
    table = res.concepts
    # the files first: a closed pipe (| head) while printing cannot stop them
    _write(outputs, res, table, title=f"k* of {name}")
    if args.out is None:
        print(table.to_string())
    stream = sys.stdout if args.out else sys.stderr
    print("\n" + res.summary.to_string(), file=stream)
    if "audit" in res.info:  # how right an approximate result is, in one line
        print(res.info["audit"]["text"], file=stream)
    done = {"--out": "per-concept table written to", "--save": "result saved to"}
    for option, path in outputs.targets.items():
        print(f"{done.get(option, 'report written to')} {path}")
    return 0


def _write(outputs, res, table, *, title) -> None:
    """Every output to its temporary file, then all of them into place."""
    with outputs.staged() as temps:
        if "--out" in temps:
            if outputs.targets["--out"].suffix.lower() == ".csv":
                # RFC 4180 line ends: a label with a carriage return is quoted, not split
                spreadsheet_safe(table).to_csv(
                    temps["--out"], index_label="concept", lineterminator="\r\n"
                )
            else:
                table.reset_index(names="concept").to_json(
                    temps["--out"], orient="records", indent=1
                )
        if "--save" in temps:
            res.save(temps["--save"])
        if "--report" in temps:
            write_report(res, temps["--report"], title=title)
