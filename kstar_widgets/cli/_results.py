"""``kstar-widgets report`` and ``compare``: work on results saved by ``compute --save``."""

from __future__ import annotations

from ._common import require_widgets, usage_error, write_report
from ._outputs import Outputs


def add_parser(sub):
    p = sub.add_parser(
        "report",
        help="write the interactive report of saved results",
        description="The standalone HTML report of one or more results saved by "
        "'kstar-widgets compute --save'.",
    )
    p.add_argument("results", nargs="+", metavar="run.kstar", help="results saved with --save")
    p.add_argument("--out", required=True, metavar="report.html", help="the page to write")
    p.set_defaults(run=run_report)
    p = sub.add_parser(
        "compare",
        help="print the verdicts of comparing two saved results",
        description="Paired bootstrap verdicts of two results saved by 'kstar-widgets compute "
        "--save' on the same samples.",
    )
    p.add_argument("a", metavar="a.kstar")
    p.add_argument("b", metavar="b.kstar")
    p.set_defaults(run=run_compare)


def _open(paths):
    """The saved results at ``paths``, refusals as one-line errors."""
    import kstar_widgets as kw

    results = []
    for path in paths:
        try:
            results.append(kw.load(path))
        except (OSError, ValueError) as exc:
            raise _refusal(path, exc) from None
    return results


def _refusal(path, exc):
    """One line for a file that kw.load refused: its problem, and the fix in shell terms
    (the library's own advice, in Python, is dropped after its first sentence)."""
    if isinstance(exc, OSError) and exc.strerror:
        problem = exc.strerror
    else:
        problem = str(exc).split(". ")[0].rstrip(".")
    fix = "pass files written by kstar-widgets compute --save"
    if "upgrade with pip" in problem:
        problem, fix = problem.split(": upgrade with ")[0], "pip install -U kstar-widgets"
    return usage_error(f"cannot open {str(path)!r}: {problem}", fix)


def run_report(args) -> int:
    outputs = Outputs()
    out = outputs.add("--out", args.out, suffixes=(".html", ".htm"))
    require_widgets("the report", None)
    results = _open(args.results)
    with outputs.staged() as temps:
        write_report(
            results if len(results) > 1 else results[0], temps["--out"], title="k* explorer"
        )
    print(f"report written to {out}")
    return 0


def run_compare(args) -> int:
    import kstar_widgets as kw

    a, b = _open([args.a, args.b])
    if a.name == b.name:
        b = b.renamed(f"{b.name or 'b'} (2)")
    print(kw.compare(a, b))
    return 0
