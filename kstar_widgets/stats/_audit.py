"""How right an approximate result is: its audit (exact k* of a random sample of rows), summarised.

The approximate engines compute k* exactly for a seeded random sample of rows
(``info["audit"]``, plain numbers). This adds what a reader needs: the share of
exact k* with a Wilson score interval (a binomial share of a simple random
sample; Wilson keeps its coverage near the nominal level where the share is close
to 1, unlike the normal approximation), and what the errors found imply for Γ':
for each concept with audited rows, Γ' recomputed with the audited rows' exact k*
put in, against Γ' as computed. That is the shift the audit *sees*; errors in rows
it did not draw add to it (docs/method.md, "The audit").
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..utils._format import interval, number
from ..utils._warnings import warn_approx_audit
from ._intervals import wilson_interval
from ._patterns import skewness

SHARE_GOAL = 0.99  # below this audited share, a warning names the fixes


def gamma_shift(k, codes, n_concepts, sample, k_exact) -> float:
    """Largest |Γ'(audited rows exact) − Γ'| over concepts with audited rows (finite Γ only)."""
    if len(sample) == 0:
        return 0.0
    fixed = np.array(k, dtype=np.int64, copy=True)
    fixed[sample] = k_exact
    g_approx, _ = skewness(np.asarray(k), codes, n_concepts)
    g_fixed, _ = skewness(fixed, codes, n_concepts)
    seen = np.unique(np.asarray(codes)[sample])
    with np.errstate(invalid="ignore"):  # inf - inf: a concept with every k* = 1 in both
        d = np.abs(g_fixed[seen] - g_approx[seen])
    d = d[np.isfinite(d)]
    return float(d.max()) if len(d) else 0.0


def complete_audit(audit: dict, k, codes, n_concepts) -> dict:
    """The engine's audit with the share, its 95% interval, the Γ' shift and one line of text."""
    m, exact = audit["rows"], audit["exact"]
    low, high = wilson_interval(exact, m)
    shift = gamma_shift(k, codes, n_concepts, audit["sample"], audit["k_exact"])
    out = {**audit, "share": exact / m, "ci_low": low, "ci_high": high, "confidence": 0.95}
    out["max_gamma_shift"] = shift
    out["text"] = audit_line(out)
    return out


def audit_line(a: dict) -> str:
    """One line: share exact with its interval, overestimates, the Γ' shift, the cost."""
    under = f", {a['under']} below (censored)" if a["under"] else ""
    shown = interval(a["share"], a["ci_low"], a["ci_high"], fmt=".1%")
    return (
        f"audit: k* exact for {a['exact']:,} of {a['rows']:,} random rows, {shown} (95% CI); "
        f"overestimate mean {number(a['mean_overestimate'], '.2f')}, "
        f"largest {a['max_overestimate']:,}{under}; largest |Γ' shift| from the audited rows "
        f"{number(a['max_gamma_shift'], '.3f')} ({number(a['seconds'], '.1f')} s, seed {a['seed']})"
    )


def audited(problem, out, reason: str):
    """An engine's result and reason with its audit completed, warned about below the goal.

    (out, reason) unchanged when the engine made no audit (exact engines).
    """
    audit = out.info.get("audit")
    if not audit:
        return out, reason
    audit = complete_audit(audit, out.k, problem.codes, len(problem.sizes))
    if audit["share"] < SHARE_GOAL:
        warn_approx_audit(audit["text"], audit["share"], SHARE_GOAL)
    return replace(out, info={**out.info, "audit": audit}), f"{reason}; {audit['text']}"
