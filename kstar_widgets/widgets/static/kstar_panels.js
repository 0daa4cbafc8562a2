// kstar_panels.js: the HTML panels (the selected concept's table and islands, the
// legend, the whole-space summary, the comparison's texts). A part of the explorer's
// module (widgets/_views.py::VIEW_PARTS); `ctx` is kstar_views.js::explorerContext.

const DISTANCE_UNITS = { euclidean: "euclidean", cosine: "cosine distance" };
const CHANGED_SHOWN = 40;

/** One row of the lowest-k* table: sample, k*, k* / n, intruder, its concept, distance. */
function lowRow(ctx, res, at, picked, onPick) {
  const { data, fmt } = ctx;
  const s = res.low.sample[at];
  const ic = res.low.intruder_code[at];
  const intr = res.low.intruder[at];
  const dist = res.low.distance[at];
  const tr = h(
    "tr",
    { "data-sample": s, class: picked.has(s) ? "kstar-picked" : "" },
    h("td", { class: "kstar-l" }, thumbCanvas(ctx.thumbs, s), String(s)),
    h("td", {}, String(res.low.k[at])),
    h("td", {}, fmt.number(res.low.k_norm[at], 3)),
    h(
      "td",
      { class: "kstar-l" },
      intr >= 0 ? thumbCanvas(ctx.thumbs, intr) : null,
      intr >= 0 ? String(intr) : "censored",
    ),
    h("td", { class: "kstar-l kstar-name-cell" }, ic >= 0 ? nameEl(data.names[ic], 24) : "?"),
    h("td", {}, Number.isFinite(dist) ? fmt.number(dist, 3) : fmt.missing),
  );
  tr.addEventListener("click", () => onPick(s));
  return tr;
}

/** The `n_low` samples of concept `code` with the lowest k*, their intruders; rows click. */
function lowTable(ctx, code, picked, onPick) {
  const { data } = ctx;
  const res = ctx.res();
  const rows = [];
  for (let j = 0; j < data.n_low; j++) {
    const at = code * data.n_low + j;
    if (res.low.sample[at] < 0) break;
    rows.push(lowRow(ctx, res, at, picked, onPick));
  }
  const unit = DISTANCE_UNITS[res.metric] ?? (res.metric || "distance");
  const l = { class: "kstar-l" };
  const head = h(
    "tr",
    {},
    h("th", l, "sample"),
    h("th", {}, "k*"),
    h("th", {}, "k*/n"),
    h("th", l, "intruder"),
    h("th", l, "its concept"),
    h("th", {}, "distance", h("br"), `(${unit})`),
  );
  const note = [
    `the ${data.n_low} samples of `,
    nameEl(data.names[code]),
    " with the lowest k*, each with its intruder (first neighbour from another concept); " +
      "click rows to pick samples",
  ];
  return [
    h(
      "table",
      { class: "kstar-table kstar-detail" },
      h("thead", {}, head),
      h("tbody", {}, ...rows),
    ),
    h("div", { class: "kstar-note" }, ...note),
  ];
}

/** Concept `code`'s header (name, n, Γ, pattern, confidence, rank, result), or none's. */
function conceptHeader(ctx, code) {
  const { data, fmt } = ctx;
  const res = ctx.res();
  if (code < 0) return [h("i", {}, `${data.nc} concepts in ${res.name}; none selected`)];
  const p = patternOf(res.skew[code], ctx.t());
  // the confidence at the live threshold; said so when only the result's own t has one
  const c = confidenceOf(res, code, ctx.t());
  const conf = Number.isFinite(c)
    ? ` (confidence ${fmt.percent(c)})`
    : c === undefined
      ? ` (confidence known at t = ${fmt.number(res.threshold)} only)`
      : "";
  const style = `color:${data.vocab.colors[p]};font-weight:600`;
  return [
    h("b", {}, h("bdi", { class: "kstar-name" }, data.names[code])), // whole, isolated
    ` · n ${data.n[code]} · Γ ${ctx.gammaText(code)} · `,
    h("span", { style, class: "kstar-pattern" }, `${data.vocab.patterns[p]}${conf}`),
    ` · rank ${ctx.order.rank[code] + 1} of ${data.nc} by Γ · result ${res.name}`,
  ];
}

/** The legend: each pattern's colour, rule at threshold t and count in the driving result. */
function legendItems(ctx) {
  const { vocab } = ctx.data;
  const t = ctx.fmt.number(ctx.t());
  const counts = patternCounts(ctx.res().skew, ctx.t());
  const rule = [
    `Γ > ${t}`,
    `|Γ| ≤ ${t}`,
    `Γ < ${vocab.minus}${t}`,
    "too few samples or constant k*",
  ];
  const item = (p, i) =>
    h(
      "span",
      { class: "kstar-legend-item" },
      h("span", { class: "kstar-swatch", style: `background:${vocab.colors[i]}` }),
      `${p} (${rule[i]}): ${counts[i]}`,
    );
  return [h("span", { class: "kstar-note" }, "patterns:"), ...vocab.patterns.map(item)];
}

/** The islands section's title and notes: count, largest share, approximate, one island. */
function islandsHead(ctx, code) {
  const res = ctx.res();
  const fig = res.islandFig;
  const title = h(
    "h4",
    { class: "kstar-islands-title" },
    "Islands of ",
    nameEl(ctx.data.names[code]),
    ` in ${res.name}`,
  );
  if (!fig) {
    const none = "Islands not computed (kstar(..., islands=True))";
    return { out: [title, h("div", { class: "kstar-note kstar-islands-none" }, none)], done: true };
  }
  const count = fig.count[code];
  const largest = ctx.fmt.percent(fig.largest[code]);
  title.append(`: ${count} (largest holds ${largest} of the samples)`);
  const out = [title];
  if (fig.approximate) {
    const text =
      "approximate: in concepts small enough to verify the count is at most the exact one " +
      "(equal where the nearest foreign sample was found); in larger ones no direction is " +
      "guaranteed (docs/method.md, Islands)";
    out.push(h("div", { class: "kstar-note kstar-islands-approx" }, text));
  }
  if (count === 1) {
    const text = "One island: every sample reaches every other before a foreign sample";
    out.push(h("div", { class: "kstar-islands-one" }, text));
  }
  return { out, done: false };
}

/** The first ISLAND_ROWS islands of `mine` as table rows; a click picks or unpicks one. */
function islandRows(ctx, code, mine, picked, pick) {
  const { data } = ctx;
  const between = betweenOf(mine);
  const chosen = islandOf(mine, picked);
  const rows = [];
  for (let i = 0, at = 0; i < Math.min(ISLAND_ROWS, mine.sizes.length); at += mine.sizes[i++]) {
    const size = mine.sizes[i];
    const members = mine.members.subarray(at, at + size);
    const thumbs = Array.from(members.subarray(0, 3), (s) => thumbCanvas(ctx.thumbs, s));
    const who = between[i].flatMap(([c, k], j) => [
      j ? ", " : "",
      nameEl(data.names[c], 24),
      ` ×${k}`,
    ]);
    const tr = h(
      "tr",
      { "data-island": i, class: i === chosen ? "kstar-picked" : "" },
      h("td", {}, String(i)),
      h("td", {}, String(size)),
      h("td", {}, ctx.fmt.share(size / data.n[code])),
      h("td", { class: "kstar-l" }, ...thumbs),
      h("td", { class: "kstar-l kstar-between" }, ...(who.length ? who : ["none (censored)"])),
    );
    tr.addEventListener("click", () => pick(i === chosen ? [] : Array.from(members)));
    rows.push(tr);
  }
  return rows;
}

/** The islands table of `mine`, a line for the islands not listed, and the explanation. */
function islandsTable(ctx, code, mine, picked, pick) {
  const rows = islandRows(ctx, code, mine, picked, pick);
  const l = { class: "kstar-l" };
  const head = h(
    "tr",
    {},
    h("th", {}, "island"),
    h("th", {}, "size"),
    h("th", {}, "share"),
    h("th", l, "samples"),
    h("th", l, "between", h("br"), "(intruders' concepts)"),
  );
  const out = [
    h(
      "table",
      { class: "kstar-table kstar-islands-table" },
      h("thead", {}, head),
      h("tbody", {}, ...rows),
    ),
  ];
  const hidden = mine.sizes.length - rows.length;
  if (hidden > 0) {
    let singles = 0;
    for (let i = rows.length; i < mine.sizes.length; i++) singles += mine.sizes[i] === 1;
    const text = `… and ${hidden} more islands (${singles} singletons)`;
    out.push(h("div", { class: "kstar-islands-more" }, text));
  }
  const note =
    "islands: groups of the concept's samples that reach each other before any foreign " +
    "sample. Click a row to select its samples; between: the concepts of its members' " +
    "intruders (first neighbour from another concept), most frequent first";
  out.push(h("div", { class: "kstar-note" }, note));
  return out;
}

/** The islands section of concept `code` in the driving result: heading, texts, rows. */
function islandsView(ctx, code, picked, pick) {
  const { out, done } = islandsHead(ctx, code);
  if (done) return out;
  const isl = ctx.islands;
  const mine = isl.code === code ? isl.results[ctx.driverIndex()] : null;
  if (!mine) return [...out, h("div", { class: "kstar-note" }, "loading the islands…")];
  return [...out, ...islandsTable(ctx, code, mine, picked, pick)];
}

/** The whole-space table: one row per figure in vocab.figures, one column per result. */
function summaryTable(ctx) {
  const t = ctx.t();
  const rs = ctx.data.results;
  const labels = ctx.data.vocab.figures;
  const approx = rs.some((r) => r.method === "approx");
  const keys = Object.keys(rs[0].summary).filter(
    (k) => labels[k] && (k !== "censored_share" || approx),
  );
  const head = h(
    "tr",
    {},
    h("th", { class: "kstar-l" }, "measure"),
    ...rs.map((r) => h("th", {}, r.name)),
  );
  const rows = keys.map((k) =>
    h(
      "tr",
      {},
      h("td", { class: "kstar-l" }, labels[k]),
      ...rs.map((r) => h("td", {}, summaryValue(ctx, r, k, t))),
    ),
  );
  const s0 = rs[0].summary;
  const text =
    s0.confidence &&
    `[intervals]: ${Math.round(100 * s0.confidence)}% bootstrap intervals` +
      (s0.n_boot ? ` (${s0.n_boot} replicates)` : "") +
      "; shares' intervals at each result's own t";
  const table = h(
    "table",
    { class: "kstar-table kstar-summary" },
    h("thead", {}, head),
    h("tbody", {}, ...rows),
  );
  const sizes = sizeNotes(rs).map((line) =>
    h("div", { class: "kstar-note kstar-size-note" }, line),
  );
  return h("div", {}, table, text ? h("div", { class: "kstar-note" }, text) : null, ...sizes);
}

/** One cell of the whole-space table: result `r`'s figure `key`, with its interval. */
function summaryValue(ctx, r, key, t) {
  const { fmt } = ctx;
  const share = key.startsWith("share_") || key.endsWith("_share");
  // the value and its interval's ends in one format, as Python writes them
  const f = share ? fmt.percent : key.includes("skewness") ? fmt.gamma : (v) => fmt.number(v, 3);
  const ci = () => fmt.interval(r.summary[`${key}_ci_low`], r.summary[`${key}_ci_high`], f);
  if (key === "threshold") return fmt.number(t);
  const p = ctx.data.vocab.share_keys.indexOf(key);
  if (p >= 0) {
    // shares follow the live threshold (the page's rule), intervals only at the result's own t
    const live = patternCounts(r.skew, t)[p] / r.skew.length;
    return `${fmt.percent(live)} ${Math.abs(t - r.threshold) < 1e-9 ? ci() : ""}`.trim();
  }
  const v = r.summary[key];
  if (v === null || v === undefined) return fmt.missing;
  if (key.startsWith("n_")) return String(v);
  return `${f(v)} ${ci()}`.trim();
}

/** The concepts whose pattern differs between results a and b at the live threshold. */
function changedList(ctx, a, b) {
  const t = ctx.t();
  const { names, vocab } = ctx.data;
  const out = [];
  for (let i = 0; i < ctx.data.nc; i++) {
    const pa = patternOf(a.skew[i], t);
    const pb = patternOf(b.skew[i], t);
    if (pa !== pb)
      out.push(h("li", {}, nameEl(names[i]), `: ${vocab.patterns[pa]} → ${vocab.patterns[pb]}`));
  }
  const more = out.length - CHANGED_SHOWN;
  return h(
    "div",
    { class: "kstar-changed-box" },
    h("b", {}, `${out.length} concept(s) change pattern`),
    ` from ${a.name} to ${b.name} at t = ${ctx.fmt.number(t)}`,
    h("ul", { class: "kstar-changed" }, ...out.slice(0, CHANGED_SHOWN)),
    more > 0 ? `… and ${more} more` : null,
  );
}

/** Exact vs approximate: timings, censored share, how many concepts agree on Γ and pattern. */
function agreementText(ctx, e, a) {
  const { fmt } = ctx;
  const t = ctx.t();
  let close = 0;
  let both = 0;
  let same = 0;
  for (let i = 0; i < ctx.data.nc; i++) {
    if (Number.isFinite(e.skew[i]) && Number.isFinite(a.skew[i])) {
      both++;
      close += Math.abs(e.skew[i] - a.skew[i]) <= 0.1;
    }
    same += patternOf(e.skew[i], t) === patternOf(a.skew[i], t);
  }
  const secs = (r) => (r.seconds === null ? fmt.missing : `${fmt.number(r.seconds)} s`);
  const k = a.n_neighbors ? ` (K = ${a.n_neighbors})` : "";
  return (
    `${e.name} ${secs(e)} · ${a.name} ${secs(a)}${k} · ` +
    `censored samples ${fmt.percent(a.summary.censored_share)} · ` +
    `|Γ ${fmt.minus} Γ'| ≤ 0.1 for ${fmt.percent(both ? close / both : NaN)} of concepts · ` +
    `same pattern for ${fmt.percent(same / ctx.data.nc)}` +
    (a.audit ? ` · ${a.audit}` : "")
  );
}

/** The Spearman line under the comparison: ρ of Γ between a and b (from Python), colours. */
function rhoText(ctx, a, b) {
  const rs = ctx.data.results;
  const rho = ctx.data.rank_corr[rs.indexOf(a)][rs.indexOf(b)];
  return (
    `Spearman correlation of Γ, ${a.name} vs ${b.name}: ${ctx.fmt.number(rho)}` +
    ` · colour: pattern in ${a.name}` +
    (a.ciLow || b.ciLow ? " · grey bars: Γ intervals" : "")
  );
}
