"""Small HTML texts of the views: changed patterns, timings, the selected concept."""

from __future__ import annotations

import html

import numpy as np


def changed_html(built: dict, threshold: float, j: int) -> str:
    """The list of concepts whose pattern differs between result 0 and result j (as the page writes it)."""
    from ._sources import classify_codes

    src, meta = built["src"], built["meta"]
    a, b = classify_codes(src["skew_0"], threshold), classify_codes(src[f"skew_{j}"], threshold)
    pats, names = meta["patterns"], meta["results"]
    items = [
        f"<li>{html.escape(src['name'][i])}: {pats[a[i]]} → {pats[b[i]]}</li>"
        for i in np.flatnonzero(a != b)
    ]
    more = f"… and {len(items) - 40} more" if len(items) > 40 else ""
    return (
        f"<b>{len(items)} concept(s) changed pattern</b> ({html.escape(names[0])} → {html.escape(names[j])}, "
        f't = {threshold})<ul class="kstar-changed">{"".join(items[:40])}</ul>{more}'
    )


def timing_text(results: dict, pair) -> str:
    """Censored share, timings and agreement of the exact and approximate results."""
    names = list(results)
    e, a = (results[names[i]] for i in pair)
    se, sa = e.skewness.to_numpy(), a.skewness.to_numpy()
    both = np.isfinite(se) & np.isfinite(sa)
    close = float(np.mean(np.abs(se[both] - sa[both]) <= 0.1)) if both.any() else float("nan")
    same = float(np.mean(e.patterns.astype(str).to_numpy() == a.patterns.astype(str).to_numpy()))
    return (
        f"<b>exact</b> {e.timings.get('total', float('nan')):.2f} s · <b>approx</b> "
        f"{a.timings.get('total', float('nan')):.2f} s (K = {a.n_neighbors})<br>"
        f"censored samples: {a.summary['censored_share']:.1%} · |Γ − Γ'| ≤ 0.1 for {close:.0%} of concepts · "
        f"same pattern for {same:.0%}"
    )


def header_html(result, code: int, result_name: str) -> str:
    """One line about concept ``code`` of ``result`` (the page writes the same)."""
    from ._data import PATTERN_COLORS
    from ._sources import fmt_skew

    row = result.concepts.iloc[code]
    color = PATTERN_COLORS[str(row["pattern"])]
    return (
        f"<b>{html.escape(str(result.concepts.index[code]))}</b> · n {row['n']} · "
        f'Γ {fmt_skew(row["skewness"])} · <span style="color:{color}">{row["pattern"]}</span> · '
        f"result {html.escape(result_name)}"
    )
