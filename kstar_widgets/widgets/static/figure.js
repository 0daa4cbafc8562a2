// figure.js: a Bokeh figure or layout sent from Python as bokeh.embed.json_item (JSON
// text), drawn with Bokeh.embed.embed_item; a new item replaces the drawing in place.
//
// loadBokeh(model) comes from bokeh_loader.js, prepended to this module as to the
// explorer's, so the two widgets never load BokehJS twice in a page.

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "kstar-figure";
  const note = document.createElement("div");
  note.textContent = "loading the figure (BokehJS)…";
  box.append(note);
  el.replaceChildren(box);
  let alive = true;
  let shown = null; // { roots: [views], target: element }
  let queue = Promise.resolve();

  const fail = (err) => {
    console.error("kstar_widgets:", err);
    const msg = document.createElement("div");
    msg.className = "kstar-error";
    msg.style.color = "#b00020";
    msg.textContent = `The figure could not be drawn: ${err.message || err}`;
    note.remove();
    box.append(msg);
  };

  const clear = (old) => {
    if (!old) return;
    for (const v of old.roots) v.remove();
    old.target.remove();
  };

  // draws run one after another, so quick re-assignments end on the last figure
  const draw = (B) =>
    (queue = queue
      .then(async () => {
        if (!alive) return;
        const text = model.get("item");
        const item = text ? JSON.parse(text) : null; // JSON text keeps Bokeh's key order
        const target = document.createElement("div");
        let roots = [];
        if (item) {
          // drawn out of sight beside the old drawing, which goes once the new one is ready
          target.style.cssText = "visibility: hidden; position: absolute;";
          box.appendChild(target);
          if (!(await whenConnected(target, () => alive))) return; // ended before attached
          const views = await B.embed.embed_item(item, target);
          roots = views.roots;
          target.style.cssText = "";
        }
        if (!alive) return clear({ roots, target });
        note.remove();
        clear(shown);
        shown = { roots, target };
        box.kstarFigure = roots[0] ?? null; // the root view, for tests
        box.dataset.root = item?.root_id ?? "";
        box.dataset.ready = "1";
      })
      .catch(fail));

  const redraw = () => loadBokeh(model).then(draw, fail);
  model.on("change:item", redraw);
  redraw();
  return () => {
    alive = false;
    model.off("change:item", redraw);
    clear(shown);
  };
}

export default { render };
