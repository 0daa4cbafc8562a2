// The saved report's host: a static model with the widget model's interface
// (get / set / on("change:x") / off / save_changes / send), filled from the JSON
// state in the page, that hands the views module above what anywidget would.
function staticModel(state) {
  const handlers = new Map();
  return {
    get: (key) => state[key],
    set(key, value) {
      const old = state[key];
      state[key] = value;
      if (old !== value) for (const fn of [...(handlers.get(`change:${key}`) ?? [])]) fn();
    },
    on: (event, fn) => handlers.set(event, [...(handlers.get(event) ?? []), fn]),
    off: (event, fn) => handlers.set(event, (handlers.get(event) ?? []).filter((f) => f !== fn)),
    save_changes() {},
    send() {}, // no kernel: nothing listens
  };
}

const reportModel = staticModel(JSON.parse(document.getElementById("kstar-state").textContent));
// what the kernel does live: hand the views the selected concept's islands (registered
// before render(), so the islands are in place when the views redraw the concept)
reportModel.on("change:concept_index", () => {
  const code = reportModel.get("concept_index");
  reportModel.set("islands", reportModel.get("island_bank")[String(code)] ?? { code, results: [] });
});
window.kstarModel = reportModel; // for tests and the console
render({ model: reportModel, el: document.getElementById("kstar-root") });
