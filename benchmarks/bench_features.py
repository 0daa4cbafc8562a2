"""Feature extraction throughput on this machine, and the cost of a cache hit.

    .venv/bin/python benchmarks/bench_features.py [--n 256] [--batch-size 64] [--device cpu]

Images/second of preprocessing + forward pass (the model already built) for
timm resnet18 (pre_logits) and open_clip ViT-B-32 (embedding) with random
weights at their own 224 px input, on the digits; then the time to load a cached
50,000 x 768 float32 feature file (warm page cache, as a second run finds it).
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def throughput(spec, n, batch_size, device):
    import torch

    import kstar_widgets as kw
    from kstar_widgets.features._extract import load_backbone
    from kstar_widgets.features._loop import encode_all
    from kstar_widgets.utils._device import resolve_device

    dev = resolve_device(device)
    backbone = load_backbone(spec, pretrained=False)
    data = kw.datasets.digits().subset(np.arange(n))
    layer = backbone.default_layer
    encode_all(
        backbone,
        data.subset(np.arange(batch_size)),
        layer,
        batch_size=batch_size,
        device=dev,
        progress=False,
    )
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    X = encode_all(backbone, data, layer, batch_size=batch_size, device=dev, progress=False)
    seconds = time.perf_counter() - t0
    return {
        "what": f"{spec} {layer} (d={X.shape[1]})",
        "n": n,
        "seconds": seconds,
        "rate": n / seconds,
    }


def cache_hit(n=50_000, d=768):
    from kstar_widgets.features import _cache

    X = np.random.default_rng(0).random((n, d), dtype=np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.kwf")
        t0 = time.perf_counter()
        _cache.save(path, {"features": X}, {"model": "bench"})
        write = time.perf_counter() - t0
        _cache.load(path)
        loads = []
        for _ in range(3):
            t0 = time.perf_counter()
            arrays, _ = _cache.load(path)
            loads.append(time.perf_counter() - t0)
        assert np.array_equal(arrays["features"], X)
    return write, min(loads)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=256, help="images per model")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {args.device}\n")
    print("| what | images | seconds | images/s |")
    print("|---|---:|---:|---:|")
    for spec in ("timm:resnet18", "open_clip:ViT-B-32"):
        r = throughput(spec, args.n, args.batch_size, args.device)
        print(
            f"| {r['what']}, batch {args.batch_size} | {r['n']} | {r['seconds']:.1f} | {r['rate']:.1f} |"
        )
    write, load = cache_hit()
    print(f"| cache write 50,000 x 768 float32 (147 MiB) | | {write:.2f} | |")
    print(f"| cache hit load 50,000 x 768 float32 (147 MiB) | | {load:.2f} | |")


if __name__ == "__main__":
    main()
