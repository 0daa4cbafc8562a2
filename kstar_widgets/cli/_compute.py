"""``kstar-widgets compute``: precomputed vectors in, per-concept table and report out."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ._common import CLIError, output_path, write_report


def add_parser(sub):
    p = sub.add_parser(
        "compute",
        help="k* of precomputed vectors (.npy): per-concept table and report",
        description="k* of precomputed latent vectors: X.npy (n, d) floats, y.npy (n,) labels "
        "(ints or strings). Writes the per-concept table (CSV or JSON by extension) and, "
        "optionally, the standalone HTML report.",
    )
    p.add_argument("--features", required=True, metavar="X.npy", help="array of shape (n, d)")
    p.add_argument("--labels", required=True, metavar="y.npy", help="array of shape (n,)")
    p.add_argument("--metric", choices=["euclidean", "cosine"], default="euclidean")
    p.add_argument("--method", choices=["auto", "exact", "approx"], default="auto")
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
    p.add_argument("--threshold", type=float, default=0.5, help="skewness threshold (default 0.5)")
    p.add_argument(
        "--out", metavar="table.csv|table.json", help="per-concept table (default: print it)"
    )
    p.add_argument("--report", metavar="report.html", help="also write the interactive report")
    p.add_argument("--name", help="name of this latent space in the outputs")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(run=run)


def _load(path, what):
    path = Path(path).expanduser()
    if not path.is_file():
        raise CLIError(f"{what} file {str(path)!r} not found.")
    if path.suffix.lower() != ".npy":
        raise CLIError(f"{what} file {str(path)!r} must be a .npy file (numpy.save).")
    try:
        return np.load(path, allow_pickle=False)
    except ValueError as exc:
        raise CLIError(
            f"cannot read {str(path)!r} ({exc}); save labels as ints or fixed-width strings, "
            "e.g. np.save(path, np.asarray(labels, dtype=str))."
        ) from exc


def run(args) -> int:
    backend = args.backend or ("dask" if args.scheduler else "local")
    if args.scheduler and backend != "dask":
        raise CLIError("--scheduler runs on Dask: drop --backend local or use --backend dask.")
    if backend == "dask":
        return _run_dask(args)
    x, y = _load(args.features, "features"), _load(args.labels, "labels")
    if x.ndim != 2:
        raise CLIError(f"features must have shape (n, d); {args.features} has shape {x.shape}.")
    if y.ndim != 1 or len(y) != len(x):
        raise CLIError(
            f"labels must have shape ({len(x)},), one per row of features; {args.labels} has shape {y.shape}."
        )
    return _compute(args, x, y)


def _run_dask(args) -> int:
    """The workers memory-map the features file themselves; only the labels are loaded here."""
    path = Path(args.features).expanduser()
    if not path.is_file() or path.suffix.lower() != ".npy":
        _load(args.features, "features")  # the same errors as in-process
    y = _load(args.labels, "labels")
    if y.ndim != 1:
        raise CLIError(f"labels must have shape (n,); {args.labels} has shape {y.shape}.")
    try:
        from ..engines.dask import resolve_client

        client = resolve_client(args.scheduler, progress=not args.quiet)
    except (ImportError, ConnectionError) as exc:
        raise CLIError(str(exc)) from exc
    return _compute(args, str(path.resolve()), y, backend="dask", client=client)


def _compute(args, x, y, **backend) -> int:
    import kstar_widgets as kw

    out = output_path(args.out, suffixes=(".csv", ".json"), what="--out") if args.out else None
    report = (
        output_path(args.report, suffixes=(".html", ".htm"), what="--report")
        if args.report
        else None
    )
    name = args.name or Path(args.features).stem
    try:
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
    except (ValueError, TypeError) as exc:
        raise CLIError(str(exc)) from exc
    table = res.concepts
    if out is None:
        print(table.to_string())
    elif out.suffix.lower() == ".csv":
        table.to_csv(out, index_label="concept")
    else:
        table.reset_index(names="concept").to_json(out, orient="records", indent=1)
    print("\n" + res.summary.to_string(), file=sys.stdout if out else sys.stderr)
    if out is not None:
        print(f"per-concept table written to {out}")
    if report is not None:
        write_report(res, report, title=f"k* of {name}")
        print(f"report written to {report}")
    return 0
