"""PyTorch side of bench/run.ts: the same workloads, timed on request so the two sides interleave.

    OPENBLAS_NUM_THREADS=T python3 bench/torch/bench.py --serve T

starts a server for one thread count T (torch.set_num_threads(T); OpenBLAS reads its thread count
from the environment when it loads, so each count is its own process). It prints one JSON line
describing the build (version, BLAS_INFO, the BLAS library actually loaded, oneDNN, a measured
1024x1024 sgemm in GFLOP/s), then answers one JSON request per stdin line:

    {"cmd": "prepare", "row": ID}        -> {"ok": true, "s": seconds of one call}  or {"na": reason}
    {"cmd": "time", "row": ID, "reps": K} -> {"s": seconds for K calls, "cpu": this process's CPU seconds for them}

Row ids and workloads match bench/run.ts (see ROWS there).

    python3 bench/torch/bench.py --rss-cnn THREADS STEPS

instead trains the MNIST CNN (batch 64, Adam) for STEPS steps and prints this process's peak RSS in
MB (the "peak RSS" row, one fresh process per thread count).
"""
import json
import os
import sys
import time

import torch

from build_info import blas_info


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


def no_grad(fn):
    def call():
        with torch.no_grad():
            fn()

    return call


def make_row(row):
    """The timed call for a row id of bench/run.ts (None: not a torch row)."""
    if row == "sgemm 1024":
        a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
        return no_grad(lambda: a @ b)
    if row == "train mlp batch 64 SGD":
        return train_step("mlp", "SGD")
    if row == "train cnn batch 64 Adam":
        return train_step("cnn", "Adam")
    if row == "infer cnn batch 256":
        model = mnist_cnn().eval()
        xb = torch.randn(256, 1, 28, 28)
        return no_grad(lambda: model(xb))
    if row.startswith("conv2d"):
        # [64,16,28,28] * 32x3x3, padding 1: the CNN's second convolution.
        x, w = torch.randn(64, 16, 28, 28), torch.randn(32, 16, 3, 3)
        gy = torch.randn(64, 32, 28, 28)
        if row == "conv2d fwd":
            return no_grad(lambda: torch.nn.functional.conv2d(x, w, padding=1))
        # The kernel autograd runs for a conv's backward (oneDNN where it applies, as in training).
        mask = [True, False, False] if row == "conv2d bwd input" else [False, True, False]
        return no_grad(lambda: torch.ops.aten.convolution_backward(gy, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask))
    if row == "maxpool2d fwd":
        x = torch.randn(64, 16, 28, 28)
        return no_grad(lambda: torch.nn.functional.max_pool2d(x, 2))
    if row == "maxpool2d bwd":
        x = torch.randn(64, 16, 28, 28, requires_grad=True)
        y, idx = torch.nn.functional.max_pool2d(x, 2, return_indices=True)
        gy = torch.randn_like(y)
        return no_grad(lambda: torch.ops.aten.max_pool2d_with_indices_backward(gy, x, [2, 2], [2, 2], [0, 0], [1, 1], False, idx))
    if row == "add [64]+[64]":
        a, b = torch.randn(64), torch.randn(64)
        return no_grad(lambda: a + b)
    return None


def gflops_1024(threads):
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    a @ b
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        a @ b
        best = max(best, 2 * 1024**3 / (time.perf_counter() - t) / 1e9)
    return best


def serve(threads):
    # No allocator warm-up (this server once allocated and freed 32 MB first, raising glibc's mmap
    # threshold so large results reused memory, which deeptype's process did not get): both sides run
    # with the allocator a user's process starts with (docs/performance.md, "Fresh memory").
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    info, loaded = blas_info(torch)
    hello = {
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "blasInfo": info,
        "blasLoaded": loaded,
        "mkldnn": torch.backends.mkldnn.is_available(),
        "sgemm1024": gflops_1024(threads),
    }
    print(json.dumps(hello), flush=True)
    fns = {}
    for line in sys.stdin:
        req = json.loads(line)
        row = req["row"]
        if req["cmd"] == "prepare":
            fn = make_row(row)
            if fn is None:
                print(json.dumps({"na": "no PyTorch workload"}), flush=True)
                continue
            fns[row] = fn
            fn()
            t = time.perf_counter()
            fn()
            print(json.dumps({"ok": True, "s": time.perf_counter() - t}), flush=True)
        else:
            fn = fns[row]
            t, c = time.perf_counter(), time.process_time()
            for _ in range(req["reps"]):
                fn()
            print(json.dumps({"s": time.perf_counter() - t, "cpu": time.process_time() - c}), flush=True)


def peak_rss_mb(resource):
    """This process's peak RSS in MB: VmHWM of /proc/self/status on Linux. Not ru_maxrss, which Linux
    keeps across fork and exec, so a child of a large parent (bench/run.ts) would report the parent's
    size (see bench/rss.ts)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_cnn(threads, steps):
    import resource

    torch.manual_seed(0)
    torch.set_num_threads(threads)
    step = train_step("cnn", "Adam")
    t = time.perf_counter()
    for _ in range(steps):
        step()
    ms = (time.perf_counter() - t) / steps * 1e3
    peak = peak_rss_mb(resource)
    print(json.dumps({"threads": threads, "steps": steps, "msPerStep": ms, "peakRssMB": peak}))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--rss-cnn":
        rss_cnn(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
