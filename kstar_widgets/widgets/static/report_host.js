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
    off: (event, fn) =>
      handlers.set(
        event,
        (handlers.get(event) ?? []).filter((f) => f !== fn),
      ),
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
// and the selection, as the kernel keeps it: a matrix cell selects its samples in the
// driving result; selecting another concept drops the cell and the samples not of it
const bank = reportModel.get("sample_bank");
const sampleCodes = arr(bank.codes);
const intruderCodes = bank.intruder_codes.map(arr);
reportModel.on("change:selected_cell", () => {
  const cell = reportModel.get("selected_cell");
  if (cell.length !== 2) return;
  const names = reportModel.get("payload").results.map((r) => r.name);
  const d = Math.max(0, names.indexOf(reportModel.get("driver")));
  reportModel.set("selected_samples", cellSamples(sampleCodes, intruderCodes[d], ...cell));
});
reportModel.on("change:concept_index", () => {
  const code = reportModel.get("concept_index");
  const cell = reportModel.get("selected_cell");
  if (cell.length && cell[0] !== code) reportModel.set("selected_cell", []);
  if (!keepsSamples(sampleCodes, reportModel.get("selected_samples"), code))
    reportModel.set("selected_samples", []);
});
window.kstarModel = reportModel; // for tests and the console
render({ model: reportModel, el: document.getElementById("kstar-root") });
