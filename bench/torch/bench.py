"""PyTorch reference numbers for bench/run.ts: the same sgemm and conv2d workloads, on 1 and 2 threads.

Prints one JSON object on stdout: {"version": ..., "results": {"<row id>": {"torch 1t": value, ...}}}.
Values are GFLOP/s for sgemm rows, milliseconds for the conv2d and training rows, images/s for the
inference row, as in bench/run.ts.

    python3 bench/torch/bench.py --rss-cnn THREADS STEPS

instead trains the MNIST CNN (batch 64, Adam) for STEPS steps and prints this process's peak RSS in
MB (the "peak RSS" row, one fresh process per thread count).
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


def mnist_mlp():
    """src/models mnistMlp."""
    nn = torch.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def mnist_cnn():
    """src/models mnistCnn."""
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def train_step(name, optimizer):
    """One optimizer step (forward, cross_entropy, backward, update) on a fixed random batch of 64."""
    model = mnist_mlp() if name == "mlp" else mnist_cnn()
    opt = torch.optim.SGD(model.parameters(), lr=0.01) if optimizer == "SGD" else torch.optim.Adam(model.parameters(), lr=1e-3)
    xb = torch.randn(64, 1, 28, 28)
    yb = torch.randint(0, 10, (64,))

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(xb), yb).backward()
        opt.step()

    return step


def rss_cnn(threads, steps):
    import resource

    torch.manual_seed(0)
    torch.set_num_threads(threads)
    step = train_step("cnn", "Adam")
    t = time.perf_counter()
    for _ in range(steps):
        step()
    ms = (time.perf_counter() - t) / steps * 1e3
    # ru_maxrss is in kilobytes on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"threads": threads, "steps": steps, "msPerStep": ms, "peakRssMB": peak}))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--rss-cnn":
        rss_cnn(int(sys.argv[2]), int(sys.argv[3]))
        return
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
        for name, optimizer in (("mlp", "SGD"), ("mlp", "Adam"), ("cnn", "Adam")):
            step = train_step(name, optimizer)
            results.setdefault(f"train step {name} batch 64 {optimizer}", {})[col] = measure(step) * 1e3
        model = mnist_cnn().eval()
        xb = torch.randn(256, 1, 28, 28)
        with torch.no_grad():
            s = measure(lambda: model(xb))
        results.setdefault("infer cnn batch 256", {})[col] = 256 / s
    # Which BLAS backs matmul decides the sgemm rows (Debian's build uses the system libblas.so.3,
    # reference BLAS unless OpenBLAS/BLIS is installed as the alternative).
    config = torch.__config__.show()
    blas = next((part.split("=")[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "unknown")
    print(json.dumps({"version": torch.__version__, "blas": blas, "results": results}))


if __name__ == "__main__":
    main()
