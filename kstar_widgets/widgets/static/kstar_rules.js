// kstar_rules.js: the rules the page decides live, as pure functions of their arguments:
// the pattern from Γ and t, the order by Γ, the number style, the islands' matching.
//
// The first part of the explorer's module (widgets/_views.py::VIEW_PARTS joins the parts
// into one ES module, so no part imports another); it also imports on its own in plain
// Node (tests/js). Words and the number style are not restated here: Python sends them
// in payload.vocab (widgets/_vocab.py), and the page passes them in.

/** Index into vocab.patterns: 0 Fractured (Γ > t), 2 Clustered (Γ < −t), 1 Overlapped, 3 NaN. */
export function patternOf(g, t) {
  return Number.isNaN(g) ? 3 : g > t ? 0 : g < -t ? 2 : 1;
}

/** How many concepts have each pattern at threshold t, in vocab.patterns' order. */
export function patternCounts(skew, t) {
  const counts = [0, 0, 0, 0];
  for (const g of skew) counts[patternOf(g, t)]++;
  return counts;
}

/** Share of one concept's bootstrap replicates of Γ (`reps`) in the pattern Γ = `g` has at
 * threshold t; NaN for an undefined Γ or no replicates. The rule of pattern_confidence
 * (stats/_intervals.py::concept_columns), applied at the live threshold. */
export function patternConfidence(g, reps, t) {
  const p = patternOf(g, t);
  if (p === 3 || !reps?.length) return NaN;
  let same = 0;
  for (const v of reps) same += patternOf(v, t) === p;
  return same / reps.length;
}

/** Concept i's pattern confidence in result r at threshold t: from r's replicates when the
 * payload has them (`r.reps`, n_concepts × r.nBoot), Python's at r's own threshold
 * otherwise; undefined when neither can give it (the header then says so). */
export function confidenceOf(r, i, t) {
  if (r.reps)
    return patternConfidence(r.skew[i], r.reps.subarray(i * r.nBoot, (i + 1) * r.nBoot), t);
  if (!r.confidence) return NaN;
  return Math.abs(t - r.threshold) < 1e-9 ? r.confidence[i] : undefined;
}

// ---------------------------------------------------------------- selection (report host)
/** The samples of a matrix cell: those of concept `row` whose intruder is of concept `col`
 * (`codes`: each sample's concept; `intruderCodes`: its intruder's, −1 when censored). */
export function cellSamples(codes, intruderCodes, row, col) {
  const out = [];
  for (let s = 0; s < codes.length; s++)
    if (codes[s] === row && intruderCodes[s] === col) out.push(s);
  return out;
}

/** Whether samples picked stay when concept `code` is selected: only when every one is the
 * concept's (a selection belongs to the concept it was made in; the live widget's rule is
 * widgets/_explorer.py::_drop_foreign_selection). */
export function keepsSamples(codes, samples, code) {
  return samples.every((s) => s >= 0 && s < codes.length && codes[s] === code);
}

/** Concepts sorted by Γ, most fractured first, undefined last (stable): rank and its inverse. */
export function orderByGamma(skew) {
  const codes = Array.from(skew, (_, i) => i);
  codes.sort((a, b) => {
    const na = Number.isNaN(skew[a]);
    const nb = Number.isNaN(skew[b]);
    if (na !== nb) return na ? 1 : -1;
    return (na ? 0 : skew[b] - skew[a]) || a - b;
  });
  const rank = new Int32Array(skew.length);
  codes.forEach((code, r) => {
    rank[code] = r;
  });
  return { rank, byRank: Int32Array.from(codes) };
}

/** Γ clipped just past the finite range so ±inf can be plotted (NaN stays NaN). */
export function plottable(skew) {
  let edge = 1;
  for (const g of skew) if (Number.isFinite(g)) edge = Math.max(edge, Math.abs(g));
  edge *= 1.15;
  return Array.from(skew, (g) => (Number.isNaN(g) ? NaN : Math.max(-edge, Math.min(edge, g))));
}

const isMissing = (v) => v === null || v === undefined || Number.isNaN(v);

/** The page's formatters in the notebook's number style (vocab.minus, vocab.missing). */
export function numberStyle({ minus, missing }) {
  /** `v` with `digits` decimals, "+" before positives when `plus`; ±inf; never "−0.00". */
  const number = (v, digits = 2, plus = false) => {
    if (isMissing(v)) return missing;
    if (v === Infinity || v === -Infinity) return `${v > 0 ? "+" : minus}inf`;
    let text = Number(v).toFixed(digits);
    if (text.startsWith("-") && Number(text) === 0) text = text.slice(1);
    return (plus && !text.startsWith("-") ? "+" : "") + text.replace("-", minus);
  };
  const interval = (lo, hi, f = number) =>
    isMissing(lo) || isMissing(hi) ? "" : `[${f(lo)}, ${f(hi)}]`;
  const percent = (v) => (isMissing(v) ? missing : `${Math.round(100 * v)}%`);
  const gamma = (g) => number(g, 2, true);
  return {
    minus,
    missing,
    number,
    /** Γ as the views print it: +0.84, −0.84, +inf, −inf, n/a. */
    gamma,
    /** "[0.41, 1.30]" for an interval, "" when either end is unknown; `f` writes each end. */
    interval,
    /** Concept i's Γ in result r, signed as Python writes it, with its interval when r has
     * intervals: "+0.84 [+0.41, +1.30]". */
    gammaOf: (r, i) =>
      `${gamma(r.skew[i])} ${r.ciLow ? interval(r.ciLow[i], r.ciHigh[i], gamma) : ""}`.trim(),
    /** A share in whole percent: 62%, n/a. */
    percent,
    /** A share as the islands table prints it: 62%, 0.6% (one decimal below 10%). */
    share: (v) => (v < 0.1 ? `${(100 * v).toFixed(1)}%` : `${Math.round(100 * v)}%`),
  };
}

// ---------------------------------------------------------------- islands
export const ISLAND_ROWS = 12;
const BETWEEN_TOP = 3;

/** The island whose members are exactly the samples in `picked` (a Set), or -1. */
export function islandOf(isl, picked) {
  if (!picked.size) return -1;
  for (let i = 0, at = 0; i < isl.sizes.length; at += isl.sizes[i++]) {
    if (isl.sizes[i] !== picked.size) continue;
    let all = true;
    for (let j = at; all && j < at + isl.sizes[i]; j++) all = picked.has(isl.members[j]);
    if (all) return i;
  }
  return -1;
}

/** Per island, its members' intruders' concepts: [[concept, count], ...], most first. */
export function betweenOf(isl, top = BETWEEN_TOP) {
  const out = Array.from(isl.sizes, () => []);
  const b = isl.between;
  for (let j = 0; j < b.island.length; j++) {
    const list = out[b.island[j]];
    if (list.length < top) list.push([b.concept[j], b.count[j]]);
  }
  return out;
}

/** Python's size notes (Γ changes with concept size), one line per result that has one. */
export function sizeNotes(results) {
  return results.filter((r) => r.size_note).map((r) => `${r.name}: ${r.size_note}`);
}
