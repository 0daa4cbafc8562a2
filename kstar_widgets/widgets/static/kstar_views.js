// kstar_views.js: the k* explorer, the last part of its ES module.
//
// widgets/_views.py::esm_source joins bokeh_loader.js and the parts in VIEW_PARTS
// (kstar_rules, _payload, _dom, _bokeh, _controls, _sections, _panels, then this file) into
// one module, so no part imports another and their top-level names are unique. Two hosts
// run it: the live widget (anywidget's `_esm`, its style kstar_views.css as `_css`) and the
// saved report (the module and the style inlined in a page with a static model). Both hand
// render() a model with get / set / on("change:x") / off / save_changes / send. Python only
// measures (payload: per-concept summaries as binary buffers, and the words and number
// style in payload.vocab) and keeps concept_index, selected_samples, selected_cell,
// threshold, driver and compare_with in sync (and sends the selected concept's thumbnails
// and islands); what the page shows is decided here and nowhere else.

/** What every view of one payload shares: data, formatters, the driving result, selection. */
function explorerContext(model, data) {
  let quiet = false;
  const ctx = {
    data,
    fmt: numberStyle(data.vocab),
    labels: plotNames(data.names, LABEL_CHARS), // names on the Bokeh axes
    thumbs: decodeThumbs(model.get("thumbs")),
    islands: decodeIslands(model.get("islands")),
    order: null,
    t: () => model.get("threshold"),
    cell: () => model.get("selected_cell") ?? [],
    driverIndex: () =>
      Math.max(
        0,
        data.results.findIndex((r) => r.name === model.get("driver")),
      ),
    res: () => data.results[ctx.driverIndex()],
    gammaText: (i) => ctx.fmt.gammaOf(ctx.res(), i),
    select: (code, cell = []) => {
      if (!quiet) saveValues(model, { selected_cell: cell, concept_index: code });
    },
    quiet: (fn) => {
      quiet = true;
      try {
        fn();
      } finally {
        quiet = false;
      }
    },
    onTap: (source, fn) =>
      source.selected.properties.indices.change.connect(() => {
        const idx = source.selected.indices;
        if (!quiet && idx.length === 1) fn(idx[0]);
      }),
  };
  ctx.order = orderByGamma(ctx.res().skew);
  return ctx;
}

/** Draws the Bokeh views into their boxes; `root.kstarViews` names them for tests. */
function mountViews(B, root, life, views) {
  root.kstarViews = {};
  const mount = async ([name, plot, box]) => {
    const wanted = () => life.alive && root.contains(box); // not replaced meanwhile
    if (!(await whenConnected(box, wanted))) return; // BokehJS draws under <body>
    const view = await B.Plotting.show(plot, box);
    life.views.push(view);
    root.kstarViews[name] = view;
  };
  return Promise.all(views.filter(Boolean).map(mount));
}

/** The views of the current payload, built into `root`: what each model change redraws. */
function buildExplorer(B, model, root, life) {
  const data = decode(model.get("payload"));
  const ctx = explorerContext(model, data);
  const bar = conceptBar(ctx, model);
  const controls = controlBar(ctx, model);
  const legend = h("div", { class: "kstar-legend" });
  const header = h("div", { class: "kstar-header" });
  const detail = detailPanel(B, ctx, model);
  const [overview, matrix] = [overviewPanel(B, ctx), matrixPanel(B, ctx)];
  const pairs = [exactApproxPanel(B, ctx), comparePanel(B, ctx, model)].filter(Boolean);
  const panels = [overview, matrix, ...pairs];
  root.replaceChildren(
    bar.el,
    controls.el,
    legend,
    header,
    h(
      "div",
      { class: "kstar-grid" }, // panels side by side where they fit (kstar_views.css)
      ...overview.panels,
      detail.el,
      ...[matrix, ...pairs].flatMap((x) => x.panels),
    ),
  );
  const showConcept = () => {
    const code = model.get("concept_index");
    for (const x of panels) x.view.show(code);
    detail.show(code);
    header.replaceChildren(...conceptHeader(ctx, code));
    const rank = `${ctx.order.rank[code] + 1}/${data.nc}`;
    bar.info.replaceChildren(...(code < 0 ? [] : [nameEl(data.names[code]), ` (${rank})`]));
    bar.show(code);
  };
  const restyle = () => {
    ctx.order = orderByGamma(ctx.res().skew);
    controls.restyle(ctx.t(), ctx.res());
    legend.replaceChildren(...legendItems(ctx));
    for (const x of panels) x.restyle();
    showConcept();
  };
  const ready = mountViews(B, root, life, [
    [overview.name, overview.view.plot, overview.box],
    ["hist", detail.hist.plot, detail.histBox],
    ...[matrix, ...pairs].map((x) => [x.name, x.view.plot, x.box]),
  ]);
  restyle();
  controls.state();
  return {
    ready,
    restyle,
    showConcept,
    controlsState: controls.state,
    thumbs: () => {
      ctx.thumbs = decodeThumbs(model.get("thumbs"));
      showConcept();
    },
    islands: () => {
      ctx.islands = decodeIslands(model.get("islands"));
      detail.showIslands();
    },
  };
}

/** The model events each part of the views follows. */
const REDRAWS = {
  threshold: "restyle",
  driver: "restyle",
  compare_with: "restyle",
  concept_index: "showConcept",
  selected_samples: "showConcept",
  selected_cell: "showConcept",
  thumbs: "thumbs",
  islands: "islands",
  compute_reason: "controlsState",
  busy: "controlsState",
  status: "controlsState",
};

/** Model listeners and Bokeh views of one render(), removed together when it ends. */
function lifetime(model) {
  const cleanups = [];
  const life = {
    alive: true,
    views: [],
    listen: (event, fn) => {
      model.on(event, fn);
      cleanups.push(() => model.off(event, fn));
    },
    clearViews: () => {
      for (const v of life.views) v.remove();
      life.views = [];
    },
    end: () => {
      life.alive = false;
      for (const f of cleanups) f();
      life.clearViews();
    },
  };
  return life;
}

function render({ model, el }) {
  const life = lifetime(model);
  el.classList.add("kstar-explorer");
  const loading = h("div", { class: "kstar-note" }, "loading the views (BokehJS)…");
  const root = h("div", { class: "kstar-root" }, loading);
  el.replaceChildren(root);
  const fail = (err) => {
    console.error("kstar_widgets:", err);
    const text = `The k* views could not start: ${err.message || err}`;
    root.replaceChildren(h("div", { class: "kstar-error", style: "color:#b00020" }, text));
  };
  let current = null;
  loadBokeh(model).then((B) => {
    if (!life.alive) return;
    const start = () => {
      // a host may render before the payload's first update arrives: wait for change:payload
      if (!model.get("payload")?.results) return;
      try {
        life.clearViews();
        current = buildExplorer(B, model, root, life);
        current.ready.then(() => root.setAttribute("data-ready", "1"), fail);
      } catch (err) {
        fail(err);
      }
    };
    start();
    life.listen("change:payload", start);
    for (const [key, part] of Object.entries(REDRAWS))
      life.listen(`change:${key}`, () => current?.[part]());
  }, fail);
  return () => life.end();
}

export default { render };
