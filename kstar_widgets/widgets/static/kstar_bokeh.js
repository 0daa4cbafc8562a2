// kstar_bokeh.js: the Bokeh views (overview ridges, histogram, intrusion matrix, Γ
// scatters). Each returns {plot, update(), show(code)}; `ctx` is the explorer's context
// (kstar_views.js::explorerContext). A part of the explorer's module
// (widgets/_views.py::VIEW_PARTS).

const ROW_PX = 22;
const LABEL_CHARS = 22; // a name on a Bokeh axis (whole in the tooltips)
const HIGHLIGHT = { fill_color: "#ffd54f", fill_alpha: 0.45, line_color: null };

/** `n` colours from `from` to `to` (RGB), as "#rrggbb". */
function ramp(n, from = [247, 251, 255], to = [8, 48, 107]) {
  const hex = (v) => Math.round(v).toString(16).padStart(2, "0");
  return Array.from({ length: n }, (_, i) => {
    const f = i / (n - 1);
    return `#${from.map((a, k) => hex(a + f * (to[k] - a))).join("")}`;
  });
}

/** The overview's empty figure: one row per concept, `rows` of them in view, y scrolls. */
function overviewFigure(B, data) {
  const visible = Math.min(data.nc, data.rows);
  const p = B.Plotting.figure({
    width: 400,
    height: Math.max(visible * ROW_PX + 60, 190),
    title: null,
    x_range: new B.Range1d({ start: 0, end: 1 }),
    y_range: new B.Range1d({
      start: visible - 0.5,
      end: -0.5,
      bounds: [-0.5, Math.max(data.nc, visible) - 0.5],
    }),
    tools: "ypan,ywheel_pan,reset",
    toolbar_location: "right",
    min_border_left: 10,
  });
  p.toolbar.active_scroll = p.toolbar.tools.find((t) => t.type === "WheelPanTool") ?? "auto";
  const yax = p.left[0];
  yax.ticker = new B.FixedTicker({ ticks: Array.from({ length: data.nc }, (_, i) => i) });
  yax.major_label_text_font_size = "11px";
  yax.major_tick_line_color = null;
  p.ygrid.visible = false;
  p.xaxis.axis_label = "normalised k* (k* / n of the concept)";
  return p;
}

/** The overview's columns: each concept's histogram as a ridge in its rank's row; labels. */
function ridgeColumns(ctx) {
  const { data } = ctx;
  const res = ctx.res();
  const t = ctx.t();
  const nb = data.n_bins;
  const cols = { xs: [], ys: [], color: [], name: [], gamma: [], pattern: [], n: [], y: [] };
  const labels = new Map();
  const xs = [0, ...Array.from({ length: nb }, (_, b) => (b + 0.5) / nb), 1];
  for (let i = 0; i < data.nc; i++) {
    const r = ctx.order.rank[i];
    const c = patternOf(res.skew[i], t);
    const counts = res.hist.subarray(i * nb, (i + 1) * nb);
    const peak = Math.max(1, ...counts);
    const base = r + 0.42;
    cols.xs.push(xs);
    cols.ys.push([base, ...Array.from(counts, (k) => base - (0.84 * k) / peak), base]);
    cols.color.push(data.vocab.colors[c]);
    cols.name.push(plotName(data.names[i]));
    cols.gamma.push(ctx.gammaText(i));
    cols.pattern.push(data.vocab.patterns[c]);
    cols.n.push(data.n[i]);
    cols.y.push(r);
    labels.set(r, `${ctx.labels[i]}  Γ ${ctx.fmt.gamma(res.skew[i])}`);
  }
  return { cols, labels };
}

function overviewPlot(B, ctx) {
  const { data } = ctx;
  const p = overviewFigure(B, data);
  const ridges = new B.ColumnDataSource({
    data: { xs: [], ys: [], color: [], name: [], gamma: [], pattern: [], n: [], y: [] },
  });
  const mark = new B.ColumnDataSource({ data: { y: [] } });
  const bar = { y: { field: "y" }, left: 0, right: 1, height: 1 };
  p.hbar({ ...bar, source: mark, ...HIGHLIGHT });
  const band = p.hbar({ ...bar, source: ridges, fill_alpha: 0, line_color: null });
  p.patches({
    xs: { field: "xs" },
    ys: { field: "ys" },
    source: ridges,
    fill_color: { field: "color" },
    line_color: { field: "color" },
    fill_alpha: 0.6,
  });
  const tooltips = [
    ["concept", "@name"],
    ["n", "@n"],
    ["Γ", "@gamma"],
    ["pattern", "@pattern"],
  ];
  p.add_tools(new B.HoverTool({ renderers: [band], tooltips }));
  p.on_event("tap", (e) => {
    const r = Math.round(e.y);
    if (r >= 0 && r < data.nc) ctx.select(ctx.order.byRank[r]);
  });
  const update = () => {
    const { cols, labels } = ridgeColumns(ctx);
    ridges.data = cols;
    p.left[0].major_label_overrides = labels;
  };
  const show = (code) => {
    if (code < 0) {
      mark.data = { y: [] };
      return;
    }
    const r = ctx.order.rank[code];
    const yr = p.y_range;
    const span = yr.start - yr.end;
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
  const p = B.Plotting.figure({
    width: 400,
    height: 180,
    title: null,
    tools: "",
    toolbar_location: null,
    x_range: new B.Range1d({ start: 0, end: 1 }),
  });
  const glyph = p.quad({
    left: { field: "left" },
    right: { field: "right" },
    top: { field: "top" },
    bottom: 0,
    source: src,
    fill_color: "#4c72b0",
    line_color: "white",
  });
  p.xaxis.axis_label = "normalised k* (k* / n)";
  p.yaxis.axis_label = "samples";
  const show = (top, edges, color) => {
    src.data = { left: edges.slice(0, -1), right: edges.slice(1), top: Array.from(top) };
    glyph.glyph.fill_color = color;
  };
  return { plot: p, show };
}

const OTHER_CONCEPTS = "other concepts";

/** The matrix's empty figure, sized for the concepts it shows, with its colour bar. */
function matrixFigure(B, ctx, mapper) {
  const k = Math.min(ctx.data.nc, ctx.data.max_matrix) + 1; // and the selected or "other"
  const label = Math.min(
    LABEL_CHARS,
    ctx.data.names.reduce((a, n) => Math.max(a, n.length), 0),
  );
  const frame = Math.max(220, Math.min(420, 15 * k)); // the cells' square
  const p = B.Plotting.figure({
    width: frame + 6 * label + 130, // the names, the axis label, the colour bar
    height: frame + 5 * label + 60,
    title: null,
    tools: "tap",
    toolbar_location: null,
    x_range: new B.FactorRange({ factors: [] }),
    y_range: new B.FactorRange({ factors: [] }),
  });
  const bar = new B.ColorBar({
    color_mapper: mapper,
    title: "share of the concept's intruders",
    width: 12,
    formatter: new B.NumeralTickFormatter({ format: "0%" }),
  });
  p.add_layout(bar, "right");
  p.xaxis.axis_label = "concept of the intruder (first foreign neighbour)";
  p.yaxis.axis_label = "concept";
  p.xaxis.major_label_orientation = 1.0;
  return p;
}

/** The matrix cells of rows `rows` as the rect glyph's columns, with an "other concepts"
 * cell per row when some concepts are not shown (col -1); labels short, tooltips whole. */
function matrixColumns(ctx, m, rows, other) {
  const cols = { x: [], y: [], xname: [], yname: [], share: [], count: [], row: [], col: [] };
  const push = (row, col, count, share) => {
    cols.x.push(col < 0 ? OTHER_CONCEPTS : ctx.labels[col]);
    cols.y.push(ctx.labels[row]);
    cols.xname.push(col < 0 ? OTHER_CONCEPTS : plotName(ctx.data.names[col]));
    cols.yname.push(plotName(ctx.data.names[row]));
    for (const [k, v] of Object.entries({ row, col, count, share })) cols[k].push(v);
  };
  for (let i = 0; i < m.row.length; i++)
    if (rows.has(m.row[i])) push(m.row[i], m.col[i], m.count[i], m.share[i]);
  if (other) for (const r of rows) if (m.other[r] > 0) push(r, -1, m.other[r], m.other_share[r]);
  return cols;
}

function matrixPlot(B, ctx) {
  const mapper = new B.LinearColorMapper({ palette: ramp(64), low: 0, high: 1 });
  const empty = { x: [], y: [], xname: [], yname: [], share: [], count: [], row: [], col: [] };
  const cells = new B.ColumnDataSource({ data: empty });
  const mark = new B.ColumnDataSource({ data: { y: [], left: [], right: [] } });
  const p = matrixFigure(B, ctx, mapper);
  const bar = { y: { field: "y" }, left: { field: "left" }, right: { field: "right" } };
  p.hbar({ ...bar, height: 1, source: mark, ...HIGHLIGHT });
  const r = p.rect({
    x: { field: "x" },
    y: { field: "y" },
    width: 0.95,
    height: 0.95,
    source: cells,
    fill_color: { field: "share", transform: mapper },
    line_color: null,
    selection_line_color: "#d62728",
    selection_line_width: 2,
    nonselection_fill_alpha: 0.85,
  });
  const tooltips = [
    ["concept", "@yname"],
    ["intruder's concept", "@xname"],
    ["intruders", "@count"],
    ["share of the row", "@share{0.0%}"],
  ];
  p.add_tools(new B.HoverTool({ renderers: [r], tooltips }));
  ctx.onTap(cells, (i) => {
    const [row, col] = [cells.data.row[i], cells.data.col[i]];
    ctx.select(row, col < 0 ? [] : [row, col]);
  });
  // rows: the shown concepts, and the selected one's last when it is not among them
  let extra = -1;
  let code = -1;
  const fill = () => {
    const m = ctx.res().matrix;
    extra = code >= 0 && !m.shown.includes(code) ? code : -1;
    const rows = [...m.shown, ...(extra >= 0 ? [extra] : [])];
    const other = ctx.data.nc > m.shown.length;
    const cols = Array.from(m.shown, (c) => ctx.labels[c]);
    p.x_range.factors = other ? [...cols, OTHER_CONCEPTS] : cols;
    p.y_range.factors = rows.map((c) => ctx.labels[c]).reverse();
    cells.data = matrixColumns(ctx, m, new Set(rows), other);
    ctx.quiet(() => {
      cells.selected.indices = [];
    });
    return p.x_range.factors.length;
  };
  const update = () => {
    fill();
    const m = ctx.res().matrix;
    return { shown: m.shown.length, other: ctx.data.nc > m.shown.length };
  };
  const show = (c) => {
    code = c;
    const m = ctx.res().matrix;
    if ((code >= 0 && !m.shown.includes(code) ? code : -1) !== extra) fill();
    mark.data =
      code >= 0
        ? { y: [ctx.labels[code]], left: [0], right: [p.x_range.factors.length] }
        : { y: [], left: [], right: [] };
    // the red outline is the selected cell's (selected_cell), gone with it
    const [row, col] = ctx.cell();
    const at = cells.data.row.findIndex((r, j) => r === row && cells.data.col[j] === col);
    ctx.quiet(() => {
      cells.selected.indices = at >= 0 ? [at] : [];
    });
  };
  return { plot: p, update, show };
}

/** The scatter's columns: Γ of results a (x) and b (y) per concept, their intervals as bars. */
function scatterColumns(ctx, a, b) {
  const t = ctx.t();
  const nc = ctx.data.nc;
  const both = plottable([...a.skew, ...b.skew]);
  const lim = Math.max(...both.filter(Number.isFinite).map(Math.abs), 1);
  const clip = (v) => (v === null || Number.isNaN(v) ? NaN : Math.max(-lim, Math.min(lim, v)));
  const ci = (r, i, side) => (r.ciLow && r.ciHigh ? clip(side ? r.ciHigh[i] : r.ciLow[i]) : NaN);
  const cols = { x: both.slice(0, nc), y: both.slice(nc), color: [], name: [], gx: [], gy: [] };
  Object.assign(cols, { x0: [], x1: [], y0: [], y1: [] });
  for (let i = 0; i < nc; i++) {
    cols.color.push(ctx.data.vocab.colors[patternOf(a.skew[i], t)]);
    cols.name.push(plotName(ctx.data.names[i]));
    cols.gx.push(ctx.fmt.gammaOf(a, i));
    cols.gy.push(ctx.fmt.gammaOf(b, i));
    cols.x0.push(ci(a, i, 0));
    cols.x1.push(ci(a, i, 1));
    cols.y0.push(ci(b, i, 0));
    cols.y1.push(ci(b, i, 1));
  }
  return cols;
}

/** The scatter's empty figure: the diagonal, the interval bars and the points. */
function scatterFigure(B, src) {
  const p = B.Plotting.figure({
    width: 340,
    height: 320,
    title: null,
    tools: "pan,wheel_zoom,reset",
    toolbar_location: "right",
  });
  p.add_layout(
    new B.Slope({ gradient: 1, y_intercept: 0, line_color: "#888888", line_dash: [6, 4] }),
  );
  const grey = { source: src, line_color: "#999999", line_alpha: 0.7 };
  p.segment({
    x0: { field: "x" },
    y0: { field: "y0" },
    x1: { field: "x" },
    y1: { field: "y1" },
    ...grey,
  });
  p.segment({
    x0: { field: "x0" },
    y0: { field: "y" },
    x1: { field: "x1" },
    y1: { field: "y" },
    ...grey,
  });
  const pts = p.scatter({
    x: { field: "x" },
    y: { field: "y" },
    size: 8,
    source: src,
    fill_color: { field: "color" },
    line_color: "#333333",
    selection_line_color: "black",
    selection_line_width: 2,
    nonselection_fill_alpha: 0.3,
  });
  const tooltips = [
    ["concept", "@name"],
    ["x", "@gx"],
    ["y", "@gy"],
  ];
  p.add_tools(new B.HoverTool({ renderers: [pts], tooltips }), new B.TapTool({ renderers: [pts] }));
  return p;
}

/** Γ of two results against each other; `axes()` gives the results' indices [x, y]. */
function scatterPlot(B, ctx, axes) {
  const empty = { x: [], y: [], color: [], name: [], gx: [], gy: [] };
  const src = new B.ColumnDataSource({ data: { ...empty, x0: [], x1: [], y0: [], y1: [] } });
  const p = scatterFigure(B, src);
  ctx.onTap(src, (i) => ctx.select(i));
  const update = () => {
    const [a, b] = axes().map((j) => ctx.data.results[j]);
    src.data = scatterColumns(ctx, a, b);
    p.xaxis.axis_label = `Γ in ${a.name}`;
    p.yaxis.axis_label = `Γ in ${b.name}`;
    return [a, b];
  };
  const show = (code) =>
    ctx.quiet(() => {
      src.selected.indices = code >= 0 ? [code] : [];
    });
  return { plot: p, update, show };
}
