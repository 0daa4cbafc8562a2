// kstar_views.js: the k* explorer's views and every rule they show, in one ES module.
//
// Two hosts run it: the live widget (anywidget loads it as `_esm`) and the saved
// report (the module is inlined in a page with a static model). Both hand render()
// a model with get / set / on("change:x") / off / save_changes / send. Python only
// measures (payload: per-concept summaries as binary buffers) and keeps
// concept_index, selected_samples, selected_cell, threshold, driver and
// compare_with in sync (and sends the selected concept's thumbnails and islands);
// what the page shows is decided here and nowhere else.

// ---------------------------------------------------------------- rules
/** Index into payload.patterns: 0 Fractured (Γ > t), 2 Clustered (Γ < -t), 1 Overlapped, 3 Undefined. */
export function patternOf(g, t) {
  return Number.isNaN(g) ? 3 : g > t ? 0 : g < -t ? 2 : 1;
}

/** Γ as the views print it: +0.84, -inf, n/a. */
export function fmtGamma(g) {
  if (g === null || g === undefined || Number.isNaN(g)) return "n/a";
  if (g === Infinity) return "+inf";
  if (g === -Infinity) return "-inf";
  return (g >= 0 ? "+" : "") + g.toFixed(2);
}

/** "[0.41, 1.30]" for an interval, "" when it is unknown. */
export function fmtInterval(lo, hi) {
  if (lo === undefined || hi === undefined || Number.isNaN(lo) || Number.isNaN(hi)) return "";
  const f = (v) => (v === Infinity ? "+inf" : v === -Infinity ? "-inf" : v.toFixed(2));
  return `[${f(lo)}, ${f(hi)}]`;
}

/** Concepts sorted by Γ, most fractured first, undefined last (stable): rank and its inverse. */
export function orderByGamma(skew) {
  const codes = Array.from(skew, (_, i) => i);
  const key = (g) => (Number.isNaN(g) ? -Infinity : g);
  codes.sort((a, b) => {
    const na = Number.isNaN(skew[a]), nb = Number.isNaN(skew[b]);
    if (na !== nb) return na ? 1 : -1;
    return key(skew[b]) - key(skew[a]) || a - b;
  });
  const rank = new Int32Array(skew.length);
  codes.forEach((code, r) => (rank[code] = r));
  return { rank, byRank: Int32Array.from(codes) };
}

/** Γ clipped just past the finite range so ±inf can be plotted (NaN stays NaN). */
export function plottable(skew) {
  let edge = 1;
  for (const g of skew) if (Number.isFinite(g)) edge = Math.max(edge, Math.abs(g));
  edge *= 1.15;
  return Array.from(skew, (g) => (Number.isNaN(g) ? NaN : Math.max(-edge, Math.min(edge, g))));
}

export const SUMMARY_NAMES = {
  n_samples: "samples",
  n_concepts: "concepts",
  mean_skewness: "mean Γ (finite concepts)",
  median_skewness: "median Γ",
  share_fractured: "share Fractured",
  share_overlapped: "share Overlapped",
  share_clustered: "share Clustered",
  share_undefined: "share Undefined",
  mean_kstar_norm: "mean normalised k*",
  kstar1_share: "samples with k* = 1",
  censored_share: "censored samples (approx.)",
  threshold: "threshold t",
};
const SHARE_KEYS = ["share_fractured", "share_overlapped", "share_clustered", "share_undefined"];
const DISTANCE_UNITS = { euclidean: "euclidean", cosine: "cosine distance" };

const esc = (x) =>
  String(x).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const pct = (v) => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : `${Math.round(100 * v)}%`);

// ---------------------------------------------------------------- payload
const TYPED = { int32: Int32Array, float32: Float32Array, uint8: Uint8Array, int64: BigInt64Array, float64: Float64Array };

/** A typed array from the wire form {dtype, shape, buffer} (DataView, ArrayBuffer or base64). */
export function arr(p) {
  const Ctor = TYPED[p.dtype];
  let b = p.buffer;
  if (b && b.$buffer !== undefined) b = Uint8Array.from(atob(b.$buffer), (c) => c.charCodeAt(0));
  if (Array.isArray(b)) return Ctor.from(b);
  if (b instanceof ArrayBuffer) return new Ctor(b.slice(0));
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice(); // aligned copy
  return new Ctor(bytes.buffer);
}

function decode(payload) {
  const L = payload.n_low;
  const results = payload.results.map((r) => {
    const opt = (k) => (r[k] ? arr(r[k]) : null);
    const low = Object.fromEntries(Object.entries(r.low).map(([k, v]) => [k, arr(v)]));
    const m = Object.fromEntries(Object.entries(r.matrix).map(([k, v]) => [k, arr(v)]));
    const isl = r.islands && { count: arr(r.islands.count), largest: arr(r.islands.largest), approximate: r.islands.approximate };
    return { ...r, skew: arr(r.skewness), censoredShare: arr(r.censored), hist: arr(r.hist), low, L, matrix: m,
             ciLow: opt("ci_low"), ciHigh: opt("ci_high"), confidence: opt("confidence"), islandFig: isl };
  });
  return { ...payload, n: arr(payload.n), nc: payload.names.length, results };
}

/** One concept's islands per result ({code, results}), as sent when the concept is selected. */
export function decodeIslands(p) {
  if (!p || !Array.isArray(p.results)) return { code: -1, results: [] };
  const results = p.results.map((x) => x && {
    sizes: arr(x.sizes), members: arr(x.members),
    between: { island: arr(x.between.island), concept: arr(x.between.concept), count: arr(x.between.count) },
  });
  return { code: p.code, results };
}

// ---------------------------------------------------------------- islands rules
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

/** Per island, the concepts its members' intruders belong to: [[concept, count], ...], most first. */
export function betweenOf(isl, top = BETWEEN_TOP) {
  const out = Array.from(isl.sizes, () => []), b = isl.between;
  for (let j = 0; j < b.island.length; j++) {
    const list = out[b.island[j]];
    if (list.length < top) list.push([b.concept[j], b.count[j]]);
  }
  return out;
}

/** A share as the islands table prints it: 62%, 0.6% (one decimal below 10%). */
export function fmtShare(v) {
  return v < 0.1 ? `${(100 * v).toFixed(1)}%` : `${Math.round(100 * v)}%`;
}

// BokehJS: loadBokeh(model) comes from bokeh_loader.js, prepended to this module.

// ---------------------------------------------------------------- small DOM helpers
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "style") e.style.cssText = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

const CSS = `
.kstar-root { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; display: flex; flex-direction: column; gap: 8px; }
.kstar-root button { font: inherit; padding: 2px 8px; cursor: pointer; }
.kstar-root button:disabled { cursor: default; }
.kstar-bar, .kstar-controls { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
.kstar-row { display: flex; flex-wrap: wrap; gap: 12px 14px; align-items: flex-start; }
.kstar-panel { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.kstar-view-overview { width: 400px; }
.kstar-view-detail { width: 410px; }
.kstar-panel h4 { margin: 0; font-size: 13px; font-weight: 600; }
.kstar-legend { display: flex; flex-wrap: wrap; gap: 4px 12px; }
.kstar-swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.kstar-note { color: #555; }
.kstar-header { min-height: 20px; }
.kstar-empty { color: #555; border: 1px dashed #bbb; padding: 16px; }
.kstar-table { font-size: 12px; }
.kstar-table { border-collapse: collapse; }
.kstar-table th, .kstar-table td { padding: 2px 5px; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
.kstar-table th { background: #f4f4f4; font-weight: 600; }
.kstar-table td.kstar-l, .kstar-table th.kstar-l { text-align: left; }
.kstar-detail tbody tr { cursor: pointer; }
.kstar-detail tbody tr.kstar-picked { background: #fff3c4; }
.kstar-thumb { display: inline-block; vertical-align: middle; margin-right: 4px; image-rendering: pixelated; border: 1px solid #ccc; }
.kstar-islands-table tbody tr { cursor: pointer; }
.kstar-islands-table tbody tr.kstar-picked { background: #fff3c4; }
.kstar-islands-title { margin-top: 6px !important; }
.kstar-islands-one { font-style: italic; }
.kstar-changed { margin: 2px 0; padding-left: 18px; max-height: 150px; overflow-y: auto; }
.kstar-drivers button.kstar-on { background: #1f4e79; color: white; border: 1px solid #1f4e79; }
`;

function thumbCanvas(thumbs, id) {
  const at = thumbs.index.get(id);
  if (at === undefined) return null;
  const s = thumbs.size, px = thumbs.pixels, c = h("canvas", { class: "kstar-thumb", width: s, height: s });
  c.style.width = c.style.height = "26px";
  const img = new ImageData(s, s);
  for (let p = 0, q = at * s * s * 3; p < s * s; p++, q += 3) {
    img.data[4 * p] = px[q];
    img.data[4 * p + 1] = px[q + 1];
    img.data[4 * p + 2] = px[q + 2];
    img.data[4 * p + 3] = 255;
  }
  c.getContext("2d").putImageData(img, 0, 0);
  return c;
}

function decodeThumbs(t) {
  if (!t || !t.ids) return { size: 0, index: new Map(), pixels: new Uint8Array(0) };
  const ids = arr(t.ids);
  return { size: t.size, pixels: arr(t.pixels), index: new Map(Array.from(ids, (id, k) => [id, k])) };
}

// ---------------------------------------------------------------- Bokeh views
const ROW_PX = 22;

function ramp(n, from = [247, 251, 255], to = [8, 48, 107]) {
  return Array.from({ length: n }, (_, i) => {
    const f = i / (n - 1);
    return "#" + from.map((a, k) => Math.round(a + f * (to[k] - a)).toString(16).padStart(2, "0")).join("");
  });
}

function overviewPlot(B, ctx) {
  const { data } = ctx;
  const visible = Math.min(data.nc, data.rows);
  const p = B.Plotting.figure({
    width: 400, height: Math.max(visible * ROW_PX + 60, 190), title: null,
    x_range: new B.Range1d({ start: 0, end: 1 }),
    y_range: new B.Range1d({ start: visible - 0.5, end: -0.5, bounds: [-0.5, Math.max(data.nc, visible) - 0.5] }),
    tools: "ypan,ywheel_pan,reset", toolbar_location: "right", min_border_left: 10,
  });
  p.toolbar.active_scroll = p.toolbar.tools.find((t) => t.type === "WheelPanTool") ?? "auto";
  const ridges = new B.ColumnDataSource({ data: { xs: [], ys: [], color: [], name: [], gamma: [], pattern: [], n: [], y: [] } });
  const mark = new B.ColumnDataSource({ data: { y: [] } });
  p.hbar({ y: { field: "y" }, left: 0, right: 1, height: 1, source: mark, fill_color: "#ffd54f", fill_alpha: 0.45, line_color: null });
  const band = p.hbar({ y: { field: "y" }, left: 0, right: 1, height: 1, source: ridges, fill_alpha: 0, line_color: null });
  p.patches({ xs: { field: "xs" }, ys: { field: "ys" }, source: ridges, fill_color: { field: "color" }, line_color: { field: "color" }, fill_alpha: 0.6 });
  p.add_tools(new B.HoverTool({ renderers: [band], tooltips: [["concept", "@name"], ["n", "@n"], ["Γ", "@gamma"], ["pattern", "@pattern"]] }));
  const yax = p.left[0];
  yax.ticker = new B.FixedTicker({ ticks: Array.from({ length: data.nc }, (_, i) => i) });
  yax.major_label_text_font_size = "11px";
  yax.major_tick_line_color = null;
  p.ygrid.visible = false;
  p.xaxis.axis_label = "normalised k* (k* / n of the concept)";
  p.on_event("tap", (e) => {
    const r = Math.round(e.y);
    if (r >= 0 && r < data.nc) ctx.select(ctx.order.byRank[r]);
  });
  const update = () => {
    const res = ctx.res(), t = ctx.t(), B_ = data.n_bins;
    const cols = { xs: [], ys: [], color: [], name: [], gamma: [], pattern: [], n: [], y: [] };
    const labels = new Map();
    const xs = [0, ...Array.from({ length: B_ }, (_, b) => (b + 0.5) / B_), 1];
    for (let i = 0; i < data.nc; i++) {
      const r = ctx.order.rank[i], g = res.skew[i], c = patternOf(g, t);
      let peak = 1;
      for (let b = 0; b < B_; b++) peak = Math.max(peak, res.hist[i * B_ + b]);
      const base = r + 0.42;
      const ys = [base, ...Array.from({ length: B_ }, (_, b) => base - (0.84 * res.hist[i * B_ + b]) / peak), base];
      cols.xs.push(xs); cols.ys.push(ys); cols.color.push(data.colors[c]); cols.name.push(data.names[i]);
      cols.gamma.push(ctx.gammaText(i)); cols.pattern.push(data.patterns[c]); cols.n.push(data.n[i]); cols.y.push(r);
      labels.set(r, `${data.names[i]}  Γ ${fmtGamma(g)}`);
    }
    ridges.data = cols;
    yax.major_label_overrides = labels;
  };
  const show = (code) => {
    if (code < 0) return void (mark.data = { y: [] });
    const r = ctx.order.rank[code], yr = p.y_range, span = yr.start - yr.end;
    mark.data = { y: [r] };
    if (r < yr.end + 0.5 || r > yr.start - 0.5) {
      const end = Math.max(-0.5, Math.min(r - span / 2, data.nc - 0.5 - span));
      yr.setv({ start: end + span, end });
    }
  };
  return { plot: p, update, show };
}

function histPlot(B) {
  const src = new B.ColumnDataSource({ data: { left: [0], right: [1], top: [0] } });
  const p = B.Plotting.figure({ width: 400, height: 180, title: null, tools: "", toolbar_location: null, x_range: new B.Range1d({ start: 0, end: 1 }) });
  const glyph = p.quad({ left: { field: "left" }, right: { field: "right" }, top: { field: "top" }, bottom: 0, source: src, fill_color: "#4c72b0", line_color: "white" });
  p.xaxis.axis_label = "normalised k* (k* / n)";
  p.yaxis.axis_label = "samples";
  const show = (top, edges, color) => {
    src.data = { left: edges.slice(0, -1), right: edges.slice(1), top: Array.from(top) };
    glyph.glyph.fill_color = color;
  };
  return { plot: p, show };
}

function matrixPlot(B, ctx) {
  const mapper = new B.LinearColorMapper({ palette: ramp(64), low: 0, high: 1 });
  const cells = new B.ColumnDataSource({ data: { x: [], y: [], share: [], count: [], row: [], col: [] } });
  const mark = new B.ColumnDataSource({ data: { y: [], left: [], right: [] } });
  const k = Math.min(ctx.data.nc, ctx.data.max_matrix);
  const size = Math.max(300, Math.min(560, 15 * k + 130));
  const p = B.Plotting.figure({
    width: size + 90, height: size, title: null, tools: "tap", toolbar_location: null,
    x_range: new B.FactorRange({ factors: [] }), y_range: new B.FactorRange({ factors: [] }),
  });
  p.hbar({ y: { field: "y" }, left: { field: "left" }, right: { field: "right" }, height: 1, source: mark, fill_color: "#ffd54f", fill_alpha: 0.45, line_color: null });
  const r = p.rect({ x: { field: "x" }, y: { field: "y" }, width: 0.95, height: 0.95, source: cells,
    fill_color: { field: "share", transform: mapper }, line_color: null, selection_line_color: "#d62728", selection_line_width: 2, nonselection_fill_alpha: 0.85 });
  p.add_tools(new B.HoverTool({ renderers: [r], tooltips: [["concept", "@y"], ["intruder's concept", "@x"], ["intruders", "@count"], ["share of the row", "@share{0.0%}"]] }));
  p.add_layout(new B.ColorBar({ color_mapper: mapper, title: "share of the concept's intruders", width: 12, formatter: new B.NumeralTickFormatter({ format: "0%" }) }), "right");
  p.xaxis.axis_label = "concept of the intruder (first foreign neighbour)";
  p.yaxis.axis_label = "concept";
  p.xaxis.major_label_orientation = 1.0;
  ctx.onTap(cells, (i) => ctx.select(cells.data.row[i], [cells.data.row[i], cells.data.col[i]]));
  const update = () => {
    const m = ctx.res().matrix, names = ctx.data.names, shown = Array.from(m.shown, (c) => names[c]);
    p.x_range.factors = shown;
    p.y_range.factors = [...shown].reverse();
    cells.data = { x: Array.from(m.col, (c) => names[c]), y: Array.from(m.row, (c) => names[c]), share: Array.from(m.share),
                   count: Array.from(m.count), row: Array.from(m.row), col: Array.from(m.col) };
    ctx.quiet(() => (cells.selected.indices = []));
    return { shown: m.shown.length };
  };
  const show = (code) => {
    const m = ctx.res().matrix, name = ctx.data.names[code];
    mark.data = code >= 0 && m.shown.includes(code) ? { y: [name], left: [0], right: [m.shown.length] } : { y: [], left: [], right: [] };
  };
  return { plot: p, update, show };
}

function scatterPlot(B, ctx, axes) {
  const src = new B.ColumnDataSource({ data: { x: [], y: [], color: [], name: [], gx: [], gy: [], x0: [], x1: [], y0: [], y1: [] } });
  const p = B.Plotting.figure({ width: 340, height: 320, title: null, tools: "pan,wheel_zoom,reset", toolbar_location: "right" });
  p.add_layout(new B.Slope({ gradient: 1, y_intercept: 0, line_color: "#888888", line_dash: [6, 4] }));
  p.segment({ x0: { field: "x" }, y0: { field: "y0" }, x1: { field: "x" }, y1: { field: "y1" }, source: src, line_color: "#999999", line_alpha: 0.7 });
  p.segment({ x0: { field: "x0" }, y0: { field: "y" }, x1: { field: "x1" }, y1: { field: "y" }, source: src, line_color: "#999999", line_alpha: 0.7 });
  const pts = p.scatter({ x: { field: "x" }, y: { field: "y" }, size: 8, source: src, fill_color: { field: "color" }, line_color: "#333333",
    selection_line_color: "black", selection_line_width: 2, nonselection_fill_alpha: 0.3 });
  p.add_tools(new B.HoverTool({ renderers: [pts], tooltips: [["concept", "@name"], ["x", "@gx"], ["y", "@gy"]] }), new B.TapTool({ renderers: [pts] }));
  ctx.onTap(src, (i) => ctx.select(i));
  const update = () => {
    const [a, b] = axes().map((j) => ctx.data.results[j]), t = ctx.t();
    const both = plottable([...a.skew, ...b.skew]), nc = ctx.data.nc;
    const clip = (v, lo, hi) => (v === null || Number.isNaN(v) ? NaN : Math.max(lo, Math.min(hi, v)));
    const lim = Math.max(...both.filter(Number.isFinite).map(Math.abs), 1);
    const ci = (r, i, side) => (r.ciLow && r.ciHigh ? clip(side ? r.ciHigh[i] : r.ciLow[i], -lim, lim) : NaN);
    const cols = { x: both.slice(0, nc), y: both.slice(nc), color: [], name: [], gx: [], gy: [], x0: [], x1: [], y0: [], y1: [] };
    for (let i = 0; i < nc; i++) {
      cols.color.push(ctx.data.colors[patternOf(a.skew[i], t)]);
      cols.name.push(ctx.data.names[i]);
      cols.gx.push(`${fmtGamma(a.skew[i])} ${a.ciLow ? fmtInterval(a.ciLow[i], a.ciHigh[i]) : ""}`);
      cols.gy.push(`${fmtGamma(b.skew[i])} ${b.ciLow ? fmtInterval(b.ciLow[i], b.ciHigh[i]) : ""}`);
      cols.x0.push(ci(a, i, 0)); cols.x1.push(ci(a, i, 1)); cols.y0.push(ci(b, i, 0)); cols.y1.push(ci(b, i, 1));
    }
    src.data = cols;
    p.xaxis.axis_label = `Γ in ${a.name}`;
    p.yaxis.axis_label = `Γ in ${b.name}`;
    return [a, b];
  };
  const show = (code) => ctx.quiet(() => (src.selected.indices = code >= 0 ? [code] : []));
  return { plot: p, update, show };
}

// ---------------------------------------------------------------- HTML views
/** The islands section of concept `code` in the driving result: heading, texts, one row per island. */
function islandsView(ctx, code, isl, picked, thumbs, pick) {
  const res = ctx.res(), data = ctx.data, name = data.names[code], fig = res.islandFig;
  const title = h("h4", { class: "kstar-islands-title" }, `Islands of ${name} in ${res.name}`);
  if (!fig) return [title, h("div", { class: "kstar-note kstar-islands-none" }, "Islands not computed (kstar(..., islands=True))")];
  const count = fig.count[code];
  title.textContent += `: ${count} (largest holds ${pct(fig.largest[code])} of the samples)`;
  const out = [title];
  if (fig.approximate) out.push(h("div", { class: "kstar-note kstar-islands-approx" }, "approximate (islands from the kNN lists): an upper bound on the count wherever the lists hold each sample’s nearest foreign neighbour (docs/method.md)"));
  if (count === 1) out.push(h("div", { class: "kstar-islands-one" }, "One island: every sample reaches every other before a foreign sample"));
  const mine = isl.code === code ? isl.results[ctx.driverIndex()] : null;
  if (!mine) return [...out, h("div", { class: "kstar-note" }, "loading the islands…")];
  const between = betweenOf(mine), chosen = islandOf(mine, picked), n = data.n[code], rows = [];
  for (let i = 0, at = 0; i < Math.min(ISLAND_ROWS, mine.sizes.length); at += mine.sizes[i++]) {
    const size = mine.sizes[i], members = mine.members.subarray(at, at + size);
    const tr = h("tr", { "data-island": i, class: i === chosen ? "kstar-picked" : "" },
      h("td", {}, String(i)), h("td", {}, String(size)), h("td", {}, fmtShare(size / n)),
      h("td", { class: "kstar-l" }, ...Array.from(members.subarray(0, 3), (s) => thumbCanvas(thumbs, s))),
      h("td", { class: "kstar-l kstar-between" }, between[i].length ? between[i].map(([c, k]) => `${data.names[c]} ×${k}`).join(", ") : "none (censored)"));
    tr.addEventListener("click", () => pick(i === chosen ? [] : Array.from(members)));
    rows.push(tr);
  }
  out.push(h("table", { class: "kstar-table kstar-islands-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "island"), h("th", {}, "size"), h("th", {}, "share"), h("th", { class: "kstar-l" }, "samples"),
      h("th", { class: "kstar-l" }, "between", h("br"), "(intruders' concepts)"))),
    h("tbody", {}, ...rows)));
  const hidden = mine.sizes.length - rows.length;
  if (hidden > 0) {
    let singles = 0;
    for (let i = rows.length; i < mine.sizes.length; i++) singles += mine.sizes[i] === 1;
    out.push(h("div", { class: "kstar-islands-more" }, `… and ${hidden} more islands (${singles} singletons)`));
  }
  out.push(h("div", { class: "kstar-note" }, "islands: groups of the concept's samples that reach each other before any foreign sample. " +
    "Click a row to select its samples; between: the concepts of its members' intruders (first neighbour from another concept), most frequent first"));
  return out;
}


function summaryTable(ctx) {
  const t = ctx.t(), rs = ctx.data.results;
  const keys = Object.keys(rs[0].summary).filter((k) => SUMMARY_NAMES[k] && !(k === "censored_share" && rs.every((r) => r.method !== "approx")));
  const head = h("tr", {}, h("th", { class: "kstar-l" }, "measure"), ...rs.map((r) => h("th", {}, r.name)));
  const rows = keys.map((k) =>
    h("tr", {}, h("td", { class: "kstar-l" }, SUMMARY_NAMES[k]), ...rs.map((r) => h("td", {}, summaryValue(r, k, t)))),
  );
  const s0 = rs[0].summary;
  const note = s0.confidence ? h("div", { class: "kstar-note" }, `[intervals]: ${Math.round(100 * s0.confidence)}% bootstrap intervals` +
    (s0.n_boot ? ` (${s0.n_boot} replicates)` : "") + "; shares' intervals at each result's own t") : null;
  return h("div", {}, h("table", { class: "kstar-table kstar-summary" }, h("thead", {}, head), h("tbody", {}, ...rows)), note);
}

function summaryValue(r, key, t) {
  if (key === "threshold") return t.toFixed(2);
  if (SHARE_KEYS.includes(key)) {
    // shares follow the live threshold (the page's rule), intervals only at the result's own t
    const p = SHARE_KEYS.indexOf(key);
    const share = Array.from(r.skew).filter((g) => patternOf(g, t) === p).length / r.skew.length;
    const ci = Math.abs(t - r.threshold) < 1e-9 ? fmtInterval(r.summary[`${key}_ci_low`] ?? NaN, r.summary[`${key}_ci_high`] ?? NaN) : "";
    return `${pct(share)} ${ci}`.trim();
  }
  const v = r.summary[key];
  if (v === null || v === undefined) return "n/a";
  if (key.startsWith("n_")) return String(v);
  const ci = fmtInterval(r.summary[`${key}_ci_low`] ?? NaN, r.summary[`${key}_ci_high`] ?? NaN);
  const text = key.endsWith("_share") ? pct(v) : key.includes("skewness") ? fmtGamma(v) : Number(v).toFixed(3);
  return `${text} ${ci}`.trim();
}

function changedList(ctx, a, b) {
  const t = ctx.t(), out = [];
  for (let i = 0; i < ctx.data.nc; i++) {
    const pa = patternOf(a.skew[i], t), pb = patternOf(b.skew[i], t);
    if (pa !== pb) out.push(h("li", {}, `${ctx.data.names[i]}: ${ctx.data.patterns[pa]} → ${ctx.data.patterns[pb]}`));
  }
  return h("div", { class: "kstar-changed-box" },
    h("b", {}, `${out.length} concept(s) change pattern`), ` from ${a.name} to ${b.name} at t = ${t.toFixed(2)}`,
    h("ul", { class: "kstar-changed" }, ...out.slice(0, 40)), out.length > 40 ? `… and ${out.length - 40} more` : null);
}

function agreementText(ctx, e, a) {
  let close = 0, both = 0, same = 0;
  const t = ctx.t();
  for (let i = 0; i < ctx.data.nc; i++) {
    if (Number.isFinite(e.skew[i]) && Number.isFinite(a.skew[i])) (both++, (close += Math.abs(e.skew[i] - a.skew[i]) <= 0.1));
    same += patternOf(e.skew[i], t) === patternOf(a.skew[i], t);
  }
  const secs = (r) => (r.seconds === null ? "n/a" : `${r.seconds.toFixed(2)} s`);
  return `${e.name} ${secs(e)} · ${a.name} ${secs(a)}${a.n_neighbors ? ` (K = ${a.n_neighbors})` : ""} · ` +
    `censored samples ${pct(a.summary.censored_share)} · |Γ − Γ'| ≤ 0.1 for ${pct(both ? close / both : NaN)} of concepts · ` +
    `same pattern for ${pct(same / ctx.data.nc)}`;
}

// ---------------------------------------------------------------- the explorer
function render({ model, el }) {
  const cleanups = [];
  const listen = (event, fn) => (model.on(event, fn), cleanups.push(() => model.off(event, fn)));
  el.classList.add("kstar-explorer");
  const root = h("div", { class: "kstar-root" }, h("style", {}, CSS), h("div", { class: "kstar-note" }, "loading the views (BokehJS)…"));
  el.replaceChildren(root);
  let views = [];
  let alive = true;
  const fail = (err) => {
    console.error("kstar_widgets:", err);
    root.replaceChildren(h("div", { class: "kstar-error", style: "color:#b00020" }, `The k* views could not start: ${err.message || err}`));
  };

  const build = (B) => {
    views.forEach((v) => v.remove());
    views = [];
    const data = decode(model.get("payload"));
    let thumbs = decodeThumbs(model.get("thumbs"));
    let isl = decodeIslands(model.get("islands"));
    let quiet = false;
    const ctx = {
      data,
      t: () => model.get("threshold"),
      driverIndex: () => Math.max(0, data.results.findIndex((r) => r.name === model.get("driver"))),
      res: () => data.results[ctx.driverIndex()],
      order: null,
      gammaText: (i) => {
        const r = ctx.res();
        return `${fmtGamma(r.skew[i])} ${r.ciLow ? fmtInterval(r.ciLow[i], r.ciHigh[i]) : ""}`.trim();
      },
      select: (code, cell = []) => {
        if (quiet) return;
        model.set("selected_cell", cell);
        model.set("concept_index", code);
        model.save_changes();
      },
      quiet: (fn) => {
        quiet = true;
        try { fn(); } finally { quiet = false; }
      },
      onTap: (source, fn) =>
        source.selected.properties.indices.change.connect(() => {
          const idx = source.selected.indices;
          if (!quiet && idx.length === 1) fn(idx[0]);
        }),
    };
    ctx.order = orderByGamma(ctx.res().skew);
    const multi = data.results.length > 1;

    // controls: find / step, threshold, result shown, compute
    const info = h("span", { class: "kstar-concept-info" });
    const listId = "kstar-names-" + Math.random().toString(36).slice(2);
    const find = h("input", { placeholder: "find a concept…", size: 18, list: listId, class: "kstar-find" });
    const step = (d) => {
      const code = model.get("concept_index"), n = data.nc;
      const r = code < 0 ? (d > 0 ? 0 : n - 1) : Math.min(n - 1, Math.max(0, ctx.order.rank[code] + d));
      ctx.select(ctx.order.byRank[r]);
    };
    const pick = () => {
      const code = data.names.indexOf(find.value.trim());
      if (code >= 0 && code !== model.get("concept_index")) ctx.select(code);
    };
    find.addEventListener("change", pick);
    find.addEventListener("keydown", (e) => {
      e.stopPropagation(); // typing here must not trigger the notebook's shortcuts
      if (e.key === "Enter") pick();
    });
    find.addEventListener("input", (e) => e.inputType === "insertReplacementText" || !e.inputType ? pick() : null);
    const slider = h("input", { type: "range", min: 0, max: Math.max(2, model.get("threshold")), step: 0.05, class: "kstar-threshold" });
    const tText = h("span", { class: "kstar-t" });
    slider.addEventListener("input", () => (model.set("threshold", Number(slider.value)), model.save_changes()));
    const drivers = h("span", { class: "kstar-drivers" }, ...(multi ? [h("span", {}, "result shown: ")] : []),
      ...(multi ? data.results.map((r) => h("button", { "data-name": r.name, onclick: () => (model.set("driver", r.name), model.save_changes()) }, r.name)) : []));
    const reason = model.get("compute_reason");
    const compute = h("span", { class: "kstar-compute" },
      h("button", { class: "kstar-compute-btn", onclick: () => model.send({ action: "compute_approx" }) }, "compute approximate k*"),
      h("span", { class: "kstar-note kstar-compute-why" }));
    const status = h("span", { class: "kstar-status kstar-note" });
    const legend = h("div", { class: "kstar-legend" });
    const bar = h("div", { class: "kstar-bar" },
      h("button", { class: "kstar-prev", title: "previous concept (higher Γ)", onclick: () => step(-1) }, "◀ previous"),
      h("button", { class: "kstar-next", title: "next concept (lower Γ)", onclick: () => step(1) }, "next ▶"),
      find, h("datalist", { id: listId }, ...data.names.slice(0, 5000).map((n) => h("option", { value: n }))), info);
    const controls = h("div", { class: "kstar-controls" },
      h("label", {}, "threshold t ", slider, " ", tText), drivers, compute, status);

    // the concept: header, histogram, lowest-k* table, islands (later)
    const header = h("div", { class: "kstar-header" });
    const histTitle = h("h4", { class: "kstar-hist-title" });
    const hist = histPlot(B);
    const histBox = h("div", { class: "kstar-hist" });
    const table = h("div", { class: "kstar-detail-box" });
    const empty = h("div", { class: "kstar-empty" },
      "No concept selected. Click a ridge in the overview, a cell of the intrusion matrix or a point of a comparison, " +
      "use ◀ / ▶, or type a concept's name in the find box.");
    // islands of the selected concept in the driving result (sent per concept)
    const islands = h("div", { class: "kstar-islands", "data-view": "islands", hidden: "" });
    const showIslands = () => {
      const code = model.get("concept_index");
      islands.hidden = code < 0;
      if (code < 0) return void islands.replaceChildren();
      const pick = (samples) => (model.set("selected_samples", samples), model.save_changes());
      islands.replaceChildren(...islandsView(ctx, code, isl, new Set(model.get("selected_samples")), thumbs, pick));
    };
    const detail = h("div", { class: "kstar-panel kstar-view-detail" }, histTitle, histBox, table, islands, empty);

    const over = overviewPlot(B, ctx);
    const overBox = h("div", {});
    const overTitle = h("h4", { class: "kstar-overview-title" });
    const matrix = matrixPlot(B, ctx);
    const matrixBox = h("div", {}), matrixTitle = h("h4", { class: "kstar-matrix-title" });
    const panels = [];
    let pair = null, ea = null, cmp = null;
    const methods = data.results.map((r) => r.method);
    if (methods.includes("exact") && methods.includes("approx")) {
      pair = [methods.indexOf("exact"), methods.indexOf("approx")];
      ea = { view: scatterPlot(B, ctx, () => pair), title: h("h4", { class: "kstar-ea-title" }), box: h("div", {}), text: h("div", { class: "kstar-note kstar-timings", style: "width:340px" }) };
      panels.push(h("div", { class: "kstar-panel kstar-view-exact-approx" }, ea.title, ea.box, ea.text));
    }
    if (multi) {
      const other = () => {
        // the comparison's B: compare_with, never the driver itself
        const d = ctx.driverIndex();
        const j = data.results.findIndex((r) => r.name === model.get("compare_with"));
        return j >= 0 && j !== d ? j : d === 0 ? 1 : 0;
      };
      const select = h("select", { class: "kstar-compare-with", onchange: (e) => (model.set("compare_with", e.target.value), model.save_changes()) });
      cmp = { other, select, view: scatterPlot(B, ctx, () => [ctx.driverIndex(), other()]), title: h("h4", { class: "kstar-compare-title" }),
              box: h("div", {}), rho: h("div", { class: "kstar-note" }), changed: h("div", { style: "width:340px" }), summary: h("div", {}) };
      panels.push(h("div", { class: "kstar-panel kstar-view-compare" }, cmp.title, h("label", {}, "compare with ", select), cmp.box, cmp.rho, cmp.changed));
      panels.push(h("div", { class: "kstar-panel kstar-view-summary" }, h("h4", {}, "whole-space summary per result"), cmp.summary));
    }
    root.replaceChildren(
      h("style", {}, CSS), bar, controls, legend, header,
      h("div", { class: "kstar-row" }, h("div", { class: "kstar-panel kstar-view-overview" }, overTitle, overBox), detail),
      h("div", { class: "kstar-row" }, h("div", { class: "kstar-panel kstar-view-matrix" }, matrixTitle, matrixBox), ...panels),
    );

    const showConcept = () => {
      const code = model.get("concept_index"), res = ctx.res(), t = ctx.t();
      const picked = new Set(model.get("selected_samples"));
      over.show(code);
      matrix.show(code);
      ea?.view.show(code);
      cmp?.view.show(code);
      empty.hidden = code >= 0;
      histBox.hidden = table.hidden = histTitle.hidden = code < 0;
      showIslands();
      if (code < 0) {
        header.replaceChildren(h("i", {}, `${data.nc} concepts in ${res.name}; none selected`));
        info.textContent = "";
        table.replaceChildren();
        return;
      }
      const g = res.skew[code], p = patternOf(g, t), name = data.names[code];
      const conf = res.confidence && Number.isFinite(res.confidence[code]) ? ` (confidence ${pct(res.confidence[code])})` : "";
      header.replaceChildren(h("b", {}, name), ` · n ${data.n[code]} · Γ ${ctx.gammaText(code)} · `,
        h("span", { style: `color:${data.colors[p]};font-weight:600`, class: "kstar-pattern" }, `${data.patterns[p]}${conf}`),
        ` · rank ${ctx.order.rank[code] + 1} of ${data.nc} by Γ · result ${res.name}`);
      info.textContent = `${name} (${ctx.order.rank[code] + 1}/${data.nc})`;
      histTitle.textContent = `k* of ${name} in ${res.name} (${data.n[code]} samples)`;
      const B_ = data.n_bins, edges = Array.from({ length: B_ + 1 }, (_, b) => b / B_);
      hist.show(res.hist.subarray(code * B_, (code + 1) * B_), edges, data.colors[p]);
      const unit = DISTANCE_UNITS[res.metric] ?? (res.metric || "distance");
      const rows = [];
      for (let j = 0; j < data.n_low; j++) {
        const at = code * data.n_low + j, s = res.low.sample[at];
        if (s < 0) break;
        const ic = res.low.intruder_code[at], intr = res.low.intruder[at], dist = res.low.distance[at];
        const tr = h("tr", { "data-sample": s, class: picked.has(s) ? "kstar-picked" : "" },
          h("td", { class: "kstar-l" }, thumbCanvas(thumbs, s), String(s)),
          h("td", {}, String(res.low.k[at])), h("td", {}, res.low.k_norm[at].toFixed(3)),
          h("td", { class: "kstar-l" }, intr >= 0 ? thumbCanvas(thumbs, intr) : null, intr >= 0 ? String(intr) : "censored"),
          h("td", { class: "kstar-l" }, ic >= 0 ? data.names[ic] : "?"),
          h("td", {}, Number.isFinite(dist) ? dist.toFixed(3) : "n/a"));
        tr.addEventListener("click", () => {
          const now = new Set(model.get("selected_samples"));
          now.has(s) ? now.delete(s) : now.add(s);
          model.set("selected_samples", [...now]);
          model.save_changes();
        });
        rows.push(tr);
      }
      table.replaceChildren(h("table", { class: "kstar-table kstar-detail" },
        h("thead", {}, h("tr", {}, h("th", { class: "kstar-l" }, "sample"), h("th", {}, "k*"), h("th", {}, "k*/n"),
          h("th", { class: "kstar-l" }, "intruder"), h("th", { class: "kstar-l" }, "its concept"), h("th", {}, "distance", h("br"), `(${unit})`))),
        h("tbody", {}, ...rows)),
        h("div", { class: "kstar-note" }, `the ${data.n_low} samples of ${name} with the lowest k*, each with its intruder (first neighbour from another concept); click rows to pick samples`));
    };

    const restyle = () => {
      const t = ctx.t(), res = ctx.res();
      ctx.order = orderByGamma(res.skew);
      slider.value = t;
      tText.textContent = t.toFixed(2);
      for (const b of drivers.querySelectorAll("button")) b.classList.toggle("kstar-on", b.dataset.name === res.name);
      const counts = [0, 0, 0, 0];
      for (const g of res.skew) counts[patternOf(g, t)]++;
      const rule = [`Γ > ${t.toFixed(2)}`, `|Γ| ≤ ${t.toFixed(2)}`, `Γ < −${t.toFixed(2)}`, "too few samples or constant k*"];
      legend.replaceChildren(h("span", { class: "kstar-note" }, "patterns:"), ...data.patterns.map((p, i) =>
        h("span", { class: "kstar-legend-item" }, h("span", { class: "kstar-swatch", style: `background:${data.colors[i]}` }), `${p} (${rule[i]}): ${counts[i]}`)));
      over.update();
      overTitle.textContent = `k* per concept in ${res.name}, sorted by Γ (scroll for more)`;
      const m = matrix.update();
      matrixTitle.textContent = `intrusion matrix of ${res.name}: row shares` + (m.shown < data.nc ? ` (the ${m.shown} most fractured of ${data.nc} concepts)` : "");
      if (ea) {
        const [e, a] = ea.view.update();
        ea.title.textContent = `exact vs approximate Γ: ${e.name} (x) vs ${a.name} (y)`;
        ea.text.textContent = `${agreementText(ctx, e, a)} · colour: pattern in ${e.name}`;
      }
      if (cmp) {
        cmp.select.replaceChildren(...data.results.filter((r) => r.name !== res.name).map((r) => h("option", { value: r.name }, r.name)));
        cmp.select.value = data.results[cmp.other()].name;
        const [a, b] = cmp.view.update();
        cmp.title.textContent = `Γ per concept: ${a.name} (x) vs ${b.name} (y)`;
        const rho = data.rank_corr[data.results.indexOf(a)][data.results.indexOf(b)];
        cmp.rho.textContent = `Spearman correlation of Γ, ${a.name} vs ${b.name}: ${rho === null ? "n/a" : rho.toFixed(2)}` +
          ` · colour: pattern in ${a.name}` + (a.ciLow || b.ciLow ? " · grey bars: Γ intervals" : "");
        cmp.changed.replaceChildren(changedList(ctx, a, b));
        cmp.summary.replaceChildren(summaryTable(ctx));
      }
      showConcept();
    };

    const controlsState = () => {
      const why = model.get("compute_reason"), busy = model.get("busy");
      compute.querySelector("button").disabled = Boolean(why) || busy;
      compute.querySelector(".kstar-compute-why").textContent = busy ? "running…" : why ? `(disabled: ${why})` : "";
      compute.hidden = reason === undefined;
      status.textContent = model.get("status") || "";
    };

    // the Bokeh views by name, on the root element, for tests and screenshots
    root.kstarViews = {};
    const mount = async (name, plot, box) => {
      const view = await B.Plotting.show(plot, box);
      views.push(view);
      root.kstarViews[name] = view;
    };
    Promise.all([mount("overview", over.plot, overBox), mount("hist", hist.plot, histBox), mount("matrix", matrix.plot, matrixBox),
      ...(ea ? [mount("exact_approx", ea.view.plot, ea.box)] : []), ...(cmp ? [mount("compare", cmp.view.plot, cmp.box)] : [])])
      .then(() => root.setAttribute("data-ready", "1"), fail);
    restyle();
    controlsState();
    return {
      restyle,
      showConcept,
      controlsState,
      thumbs: () => ((thumbs = decodeThumbs(model.get("thumbs"))), showConcept()),
      islands: () => ((isl = decodeIslands(model.get("islands"))), showIslands()),
    };
  };

  let current = null;
  loadBokeh(model).then((B) => {
    if (!alive) return;
    const start = () => {
      try {
        current = build(B);
      } catch (err) {
        fail(err);
      }
    };
    start();
    listen("change:payload", start);
    listen("change:threshold", () => current?.restyle());
    listen("change:driver", () => current?.restyle());
    listen("change:compare_with", () => current?.restyle());
    listen("change:concept_index", () => current?.showConcept());
    listen("change:selected_samples", () => current?.showConcept());
    listen("change:thumbs", () => current?.thumbs());
    listen("change:islands", () => current?.islands());
    for (const k of ["compute_reason", "busy", "status"]) listen(`change:${k}`, () => current?.controlsState());
  }, fail);

  return () => {
    alive = false;
    cleanups.forEach((f) => f());
    views.forEach((v) => v.remove());
  };
}

export default { render };
