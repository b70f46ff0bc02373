"""PyTorch reference numbers for bench/run.ts: the same sgemm and conv2d workloads, on 1 and 2 threads.

Prints one JSON object on stdout: {"version": ..., "results": {"<row id>": {"torch 1t": value, ...}}}.
Values are GFLOP/s for sgemm rows and milliseconds for the conv2d row, as in bench/run.ts.
"""
import json
import sys
import time

import torch


def measure(fn, min_time=0.3, batches=5):
    """Median seconds per call over `batches` batches of at least `min_time` each (after warm-up)."""
    fn()
    fn()
    reps = 1
    while True:
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        if time.perf_counter() - t >= min_time / 4:
            break
        reps *= 2
    times = []
    for _ in range(batches):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t) / reps)
    times.sort()
    return times[len(times) // 2]


def main():
    sizes = [int(s) for s in sys.argv[1].split(",")] if len(sys.argv) > 1 else [256, 512, 1024]
    torch.manual_seed(0)
    results = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        col = f"torch {threads}t"
        for n in sizes:
            a = torch.randn(n, n)
            b = torch.randn(n, n)
            for variant, f in (("A·B", lambda: a @ b), ("A·Bᵀ", lambda: a @ b.t()), ("Aᵀ·B", lambda: a.t() @ b)):
                s = measure(f)
                results.setdefault(f"sgemm {n} {variant}", {})[col] = 2 * n**3 / s / 1e9
        x = torch.randn(64, 16, 28, 28)
        w = torch.randn(32, 16, 3, 3)
        with torch.no_grad():
            s = measure(lambda: torch.nn.functional.conv2d(x, w, padding=1))
        results.setdefault("conv2d [64,16,28,28] 32×3×3 pad 1", {})[col] = s * 1e3
    print(json.dumps({"version": torch.__version__, "results": results}))


if __name__ == "__main__":
    main()
