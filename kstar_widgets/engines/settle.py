"""Float64 settling, shared by every engine: the float32 rounding bound and the ground truth.

The engines compare float32 products; whatever rounding cannot settle is
recomputed here exactly as the brute-force reference does, ``sum((r_q - r_p)**2)``
over float64 rows (raw rows, or unit rows for cosine), so the result equals the
reference sample for sample, ties included (docs/method.md, "Exact engine").
"""

from __future__ import annotations

import math

import numpy as np

U32 = 2.0**-24
U64 = 2.0**-53
SAFE_LOG2 = 40  # |x| within [2^-40, 2^40]: float32 squared norms neither overflow nor underflow


def exact_scale(max_abs: float) -> float:
    """The power of two the compared rows are multiplied by: 1.0 where the largest |x| lies
    within [2^-40, 2^40], else the one that brings it into [1, 2). k* is invariant to a
    common scale, and a power of two changes no digit of any float (docs/method.md,
    "Numeric limits")."""
    if max_abs == 0 or 2.0**-SAFE_LOG2 <= max_abs <= 2.0**SAFE_LOG2:
        return 1.0
    return math.ldexp(1.0, min(max(1 - math.frexp(max_abs)[1], -1022), 1022))


class ReferenceRows:
    """The float64 vectors the reference compares: raw rows times ``scale`` (a power of
    two, :func:`exact_scale`), or unit rows for cosine."""

    def __init__(self, features: np.ndarray, norms: np.ndarray | None = None, scale=1.0):
        self.features = features
        self.norms = norms
        self.scale = float(scale)

    def rows(self, idx) -> np.ndarray:
        r = self.features[idx].astype(np.float64)
        if self.norms is not None:
            r = r / self.norms[idx, None]
        elif self.scale != 1.0:
            r *= self.scale
        return r

    def rows32(self, a: int = 0, b: int | None = None, chunk: int = 16384) -> np.ndarray:
        """The compared rows a..b in float32 (pynndescent's input), converted chunk by chunk."""
        b = len(self.features) if b is None else b
        out = np.empty((b - a, self.features.shape[1]), dtype=np.float32)
        for s in range(a, b, chunk):
            out[s - a : min(b, s + chunk) - a] = self.rows(np.arange(s, min(b, s + chunk)))
        return out

    def sqdist(self, i: int, js: np.ndarray) -> np.ndarray:
        """Float64 squared distances from row i to rows js, as the reference computes them."""
        return ((self.rows(js) - self.rows(i)) ** 2).sum(axis=1)

    def pair_sqdist(self, i: np.ndarray, j: np.ndarray, chunk: int = 16384) -> np.ndarray:
        out = np.empty(len(i))
        for s in range(0, len(i), chunk):
            out[s : s + chunk] = (
                (self.rows(j[s : s + chunk]) - self.rows(i[s : s + chunk])) ** 2
            ).sum(1)
        return out


def centred_float32(ref: ReferenceRows, order: np.ndarray, chunk: int = 8192):
    """Rows in concept order, centred in float64 and rounded to float32.

    Centring keeps |w|^2 small next to the distances, which keeps the rounding
    band narrow (ReLU features sit far from the origin).
    Returns (w, slack): slack bounds the float64 centring error per row.
    """
    n, d = ref.features.shape
    mean = np.zeros(d)
    for s in range(0, n, chunk):
        mean += ref.rows(np.arange(s, min(n, s + chunk))).sum(axis=0)
    mean /= n
    w = np.empty((n, d), dtype=np.float32)
    raw_norm = np.empty(n)
    for s in range(0, n, chunk):
        w[s : s + chunk], raw_norm[s : s + chunk] = centre_rows(
            ref.rows(order[s : s + chunk]), mean
        )
    return w, centring_slack(raw_norm, mean)


def centre_rows(r: np.ndarray, mean: np.ndarray):
    """Float64 rows r centred by `mean` and rounded to float32, and their float64 norms |r|."""
    return (r - mean).astype(np.float32), np.linalg.norm(r, axis=1)


def centring_slack(raw_norm: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Bound on the float64 centring error per row, from the rows' norms |r| and the mean."""
    return 4 * U64 * (raw_norm + np.linalg.norm(mean))


def float32_margins(sq64: np.ndarray, slack: np.ndarray, d: int):
    """The products' float32 inputs besides the rows: (|w|^2 as float32, the margin 2 e_p).

    Entries of S within the margin of a row's threshold are settled in float64.
    """
    margin = 2 * rounding_bound(np.sqrt(sq64), slack, d)
    return sq64.astype(np.float32), margin.astype(np.float32)


def float32_rows(ref: ReferenceRows, order: np.ndarray):
    """Rows in `order`, centred and in float32, with |w|^2 and margins: (w, sq, margin)."""
    w, slack = centred_float32(ref, order)
    sq, margin = float32_margins(squared_norms64(w), slack, w.shape[1])
    return w, sq, margin


def squared_norms64(w: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """|w|^2 per row of a float32 array, accumulated in float64."""
    out = np.empty(len(w))
    for s in range(0, len(w), chunk):
        out[s : s + chunk] = np.einsum(
            "ij,ij->i", w[s : s + chunk], w[s : s + chunk], dtype=np.float64
        )
    return out


def rounding_bound(a: np.ndarray, slack: np.ndarray, d: int) -> np.ndarray:
    """e_p with |S~[p, q] - (d64(p, q) - |w_p|^2)| <= e_p for every q.

    a: |w| per row (float32 centred rows); slack: float64 centring error per row.
    Terms, times (a_p + a_q)^2 <= (a_p + a_max)^2: the float32 product with C
    initialised to |w_q|^2, gamma_d 2 a_p a_q + u |S| <= (d/2 + 1) u (a_p + a_q)^2;
    rounding |w_q|^2 to float32 (u); rounding the rows to float32 (2u); the float64
    reference's own sum (gamma_{d+2} in binary64); 5% on top covers (1 + d u) and
    the rounding of f~ +- margin in float32.
    """
    c1 = 1.05 * ((d / 2 + 6) * U32 + 4 * (d + 2) * U64)
    return c1 * (a + a.max()) ** 2 + 2 * (slack + slack.max()) * (a + a.max()) + 1e-300


def nearest_foreign(ref, order, p_sorted, cand):
    """Float64 nearest foreign distance per ambiguous row; ties go to the lowest sample index.

    cand: (m, 2) int array of (position in p_sorted, sorted column) candidate pairs.
    """
    rows, cols = cand[:, 0], order[cand[:, 1]]
    d64 = ref.pair_sqdist(order[p_sorted[rows]], cols)
    pick = np.lexsort((cols, d64, rows))
    first = pick[np.r_[True, rows[pick][1:] != rows[pick][:-1]]]
    nearest = np.empty(len(p_sorted))
    nearest[rows[first]] = d64[first]
    intruder_sorted = np.empty(len(p_sorted), dtype=np.int64)
    intruder_sorted[rows[first]] = cand[first, 1]
    return nearest, intruder_sorted


def below_and_unsure(s, centre, margin):
    """Entries of s surely below `centre`, and those float32 cannot place.

    s: torch tensor (m, w); centre, margin: (m,). Returns (below, unsure), both (m, w) bool:
    unsure entries lie within `margin` of the row's centre; the float64 reference decides them.
    """
    below = s < (centre - margin)[:, None]
    unsure = (s <= (centre + margin)[:, None]) ^ below  # below implies <=
    return below, unsure


def sure_and_unsure(s, centre, margin):
    """As :func:`below_and_unsure`, with the sure entries counted per row: (count (m,), unsure)."""
    below, unsure = below_and_unsure(s, centre, margin)
    return below.sum(dim=1), unsure


def settled_closer(ref, p, cols, pairs, thr64):
    """Per unsure pair (r, j) in pairs: float64 d(p[r], cols[j])^2 < thr64[r] (bool (m,))."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=bool)
    return ref.pair_sqdist(p[pairs[:, 0]], cols[pairs[:, 1]]) < thr64[pairs[:, 0]]


def settled_counts(ref, p, cols, pairs, thr64):
    """Per row r: #{unsure (r, j) in pairs with float64 d(p[r], cols[j])^2 < thr64[r]}."""
    if len(pairs) == 0:
        return np.zeros(len(p), dtype=np.int64)
    closer = settled_closer(ref, p, cols, pairs, thr64)
    return np.bincount(pairs[:, 0], weights=closer, minlength=len(p)).astype(np.int64)
