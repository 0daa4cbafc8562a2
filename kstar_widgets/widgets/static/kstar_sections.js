// kstar_sections.js: the explorer's sections, each its title, its view (kstar_bokeh.js)
// or panel (kstar_panels.js), and what redraws it: {name, view, box, restyle, panels}.
// A part of the explorer's module (widgets/_views.py::VIEW_PARTS).

/** The selected concept: histogram, lowest-k* table and islands, or a hint when none is. */
function detailPanel(B, ctx, model) {
  const histTitle = h("h4", { class: "kstar-hist-title" });
  const hist = histPlot(B);
  const histBox = h("div", { class: "kstar-hist" });
  const table = h("div", { class: "kstar-detail-box" });
  const hint =
    "No concept selected. Click a ridge in the overview, a cell of the intrusion matrix or a " +
    "point of a comparison, use ◀ / ▶, or type a concept's name in the find box.";
  const empty = h("div", { class: "kstar-empty" }, hint);
  // islands of the selected concept in the driving result (sent per concept)
  const islands = h("div", { class: "kstar-islands", "data-view": "islands", hidden: "" });
  const showIslands = () => {
    const code = model.get("concept_index");
    islands.hidden = code < 0;
    if (code < 0) return void islands.replaceChildren();
    const picked = new Set(model.get("selected_samples"));
    const pick = (samples) => saveValues(model, { selected_samples: samples });
    islands.replaceChildren(...islandsView(ctx, code, picked, pick));
  };
  const show = (code) => {
    empty.hidden = code >= 0;
    histBox.hidden = table.hidden = histTitle.hidden = code < 0;
    showIslands();
    if (code < 0) return void table.replaceChildren();
    const { data } = ctx;
    const res = ctx.res();
    const name = data.names[code];
    histTitle.replaceChildren("k* of ", nameEl(name), ` in ${res.name} (${data.n[code]} samples)`);
    const nb = data.n_bins;
    const edges = Array.from({ length: nb + 1 }, (_, b) => b / nb);
    const color = data.vocab.colors[patternOf(res.skew[code], ctx.t())];
    hist.show(res.hist.subarray(code * nb, (code + 1) * nb), edges, color);
    const picked = new Set(model.get("selected_samples"));
    table.replaceChildren(...lowTable(ctx, code, picked, (s) => toggleSample(model, s)));
  };
  const el = h(
    "div",
    { class: "kstar-panel kstar-view-detail" },
    histTitle,
    histBox,
    table,
    islands,
    empty,
  );
  return { el, hist, histBox, show, showIslands };
}

/** The overview: every concept's k* histogram as a ridge, sorted by Γ. */
function overviewPanel(B, ctx) {
  const view = overviewPlot(B, ctx);
  const [title, box] = [h("h4", { class: "kstar-overview-title" }), h("div", {})];
  const restyle = () => {
    view.update();
    const more = ctx.data.nc > ctx.data.rows ? " (scroll for more)" : "";
    title.textContent = `k* per concept in ${ctx.res().name}, sorted by Γ${more}`;
  };
  const el = h("div", { class: "kstar-panel kstar-view-overview" }, title, box);
  return { name: "overview", view, box, restyle, panels: [el] };
}

/** The intrusion matrix of the driving result (its most fractured concepts when many). */
function matrixPanel(B, ctx) {
  const { nc } = ctx.data;
  const view = matrixPlot(B, ctx);
  const [title, box] = [h("h4", { class: "kstar-matrix-title" }), h("div", {})];
  const restyle = () => {
    const m = view.update();
    const some = m.other
      ? ` (the ${m.shown} most fractured of ${nc} concepts, and the selected one; ` +
        "the rest of each row in “other concepts”)"
      : "";
    title.textContent = `intrusion matrix of ${ctx.res().name}: row shares${some}`;
  };
  const wide = view.plot.width > 420 ? " kstar-wide" : ""; // two of the grid's columns
  const el = h("div", { class: `kstar-panel kstar-view-matrix${wide}` }, title, box);
  return { name: "matrix", view, box, restyle, panels: [el] };
}

/** Exact vs approximate Γ, when the results hold one of each. */
function exactApproxPanel(B, ctx) {
  const methods = ctx.data.results.map((r) => r.method);
  if (!(methods.includes("exact") && methods.includes("approx"))) return null;
  const pair = [methods.indexOf("exact"), methods.indexOf("approx")];
  const view = scatterPlot(B, ctx, () => pair);
  const title = h("h4", { class: "kstar-ea-title" });
  const box = h("div", {});
  const text = h("div", { class: "kstar-note kstar-timings", style: "width:340px" });
  const restyle = () => {
    const [e, a] = view.update();
    title.textContent = `exact vs approximate Γ: ${e.name} (x) vs ${a.name} (y)`;
    text.textContent = `${agreementText(ctx, e, a)} · colour: pattern in ${e.name}`;
  };
  const el = h("div", { class: "kstar-panel kstar-view-exact-approx" }, title, box, text);
  return { name: "exact_approx", view, box, restyle, panels: [el] };
}

/** The driver against another result (compare_with): Γ scatter, ρ, changed patterns, summary. */
function comparePanel(B, ctx, model) {
  const { data } = ctx;
  if (data.results.length < 2) return null;
  const other = () => {
    // the comparison's B: compare_with, never the driver itself
    const d = ctx.driverIndex();
    const j = data.results.findIndex((r) => r.name === model.get("compare_with"));
    return j >= 0 && j !== d ? j : d === 0 ? 1 : 0;
  };
  const select = h("select", {
    class: "kstar-compare-with",
    onchange: (e) => saveValues(model, { compare_with: e.target.value }),
  });
  const view = scatterPlot(B, ctx, () => [ctx.driverIndex(), other()]);
  const title = h("h4", { class: "kstar-compare-title" });
  const [box, rho] = [h("div", {}), h("div", { class: "kstar-note" })];
  const [changed, summary] = [h("div", { style: "width:340px" }), h("div", {})];
  const restyle = () => {
    const names = data.results.filter((r) => r.name !== ctx.res().name).map((r) => r.name);
    select.replaceChildren(...names.map((n) => h("option", { value: n }, n)));
    select.value = data.results[other()].name;
    const [a, b] = view.update();
    title.textContent = `Γ per concept: ${a.name} (x) vs ${b.name} (y)`;
    rho.textContent = rhoText(ctx, a, b);
    changed.replaceChildren(changedList(ctx, a, b));
    summary.replaceChildren(summaryTable(ctx));
  };
  const panels = [
    h(
      "div",
      { class: "kstar-panel kstar-view-compare" },
      title,
      h("label", {}, "compare with ", select),
      box,
      rho,
      changed,
    ),
    h(
      "div",
      // three results and more: a table wider than one of the grid's columns
      { class: `kstar-panel kstar-view-summary${data.results.length > 2 ? " kstar-wide" : ""}` },
      h("h4", {}, "whole-space summary per result"),
      summary,
    ),
  ];
  return { name: "compare", view, box, restyle, panels };
}
