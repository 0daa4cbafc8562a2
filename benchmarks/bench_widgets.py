"""The explorer on 50,000 samples in 1,000 concepts: build time, payload, selection time.

python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import time

import kstar_widgets as kw
from kstar_widgets.widgets._payload import wire_bytes


def main():
    import tempfile
    from pathlib import Path

    res = kw.synthetic.kstar_result()
    kw.explore(res)  # first call imports anywidget and ipywidgets: not the explorer's cost
    t = time.perf_counter()
    w = kw.explore(res)
    built = time.perf_counter() - t
    payload = wire_bytes(w.payload)
    t = time.perf_counter()
    w.selected_concept = "concept 17"
    select = time.perf_counter() - t
    islands = wire_bytes(w.islands)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = kw.report(res, Path(tmp) / "big.html")
        written = time.perf_counter() - t
        size = Path(path).stat().st_size
    print(
        f"50,000 samples, 1,000 concepts: explore() {built:.2f} s, payload "
        f"{payload / 1e6:.2f} MB (BokehJS apart, sent once per page), selecting from Python "
        f"{select * 1e3:.0f} ms (its islands: {islands / 1e3:.1f} kB); report {written:.2f} s, "
        f"{size / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
