"""PyTorch side of bench/conv.ts: a persistent process that times single ops on request, so the
deeptype and PyTorch timings of one op can be interleaved in one run (a shared machine's load then
hits both sides alike).

Reads lines "OP THREADS REPS" on stdin and answers each with two numbers on one line: the wall
seconds and the process CPU seconds per call of REPS calls (after warm-up). OP ids are those of bench/conv.ts. The first line it prints is a
JSON object with the version and torch.__config__'s BLAS and oneDNN lines.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.manual_seed(0)
aten = torch.ops.aten


def conv_case(n, c, h, w, o, k, pad):
    x = torch.randn(n, c, h, w)
    wt = torch.randn(o, c, k, k)
    b = torch.randn(o)
    y = F.conv2d(x, wt, b, padding=pad)
    gy = torch.randn_like(y)
    args = (gy, x, wt, [o], [1, 1], [pad, pad], [1, 1], False, [0, 0], 1)
    return {
        "fwd": lambda: F.conv2d(x, wt, b, padding=pad),
        "gx": lambda: aten.convolution_backward(*args, [True, False, False]),
        "gw": lambda: aten.convolution_backward(*args, [False, True, False]),
        # The unfused composition deeptype's fused op replaces: conv + bias, ReLU, 2x2 max-pool.
        "crp": lambda: F.max_pool2d(F.relu(F.conv2d(x, wt, b, padding=pad)), 2),
    }


def pool_case(n, c, h, w, k=2, s=2, p=0):
    x = torch.randn(n, c, h, w)
    y, idx = F.max_pool2d(x, k, s, p, return_indices=True)
    gy = torch.randn_like(y)
    return {
        "maxfwd": lambda: F.max_pool2d(x, k, s, p),
        "maxbwd": lambda: aten.max_pool2d_with_indices_backward(gy, x, [k, k], [s, s], [p, p], [1, 1], False, idx),
        "avgfwd": lambda: F.avg_pool2d(x, k, s, p),
        "avgbwd": lambda: aten.avg_pool2d_backward(gy, x, [k, k], [s, s], [p, p], False, True, None),
    }


OPS = {}
for name, case in [
    ("conv1", conv_case(64, 1, 28, 28, 16, 3, 1)),
    ("conv2", conv_case(64, 16, 14, 14, 32, 3, 1)),
    ("conv16", conv_case(64, 16, 28, 28, 32, 3, 1)),
    ("pool16", pool_case(64, 16, 28, 28)),
    ("pool32", pool_case(64, 32, 14, 14)),
    # General windows (ResNet's stem pool, a stride-1 3x3 pool).
    ("pool3s2", pool_case(32, 64, 56, 56, 3, 2, 1)),
    ("pool3s1", pool_case(32, 64, 28, 28, 3, 1, 1)),
]:
    for k, fn in case.items():
        OPS[f"{name}.{k}"] = fn

# No allocator warm-up, as bench/torch/bench.py (the reason there): glibc raises its mmap threshold
# by itself when the first large result is freed, in this process as in deeptype's.

cfg = torch.__config__.show()
print(json.dumps({
    "version": torch.__version__,
    "blas": [l.strip() for l in cfg.splitlines() if "BLAS_INFO" in l or "USE_MKLDNN" in l],
}), flush=True)
with torch.no_grad():
    for line in sys.stdin:
        op, threads, reps = line.split()
        torch.set_num_threads(int(threads))
        fn = OPS[op]
        fn()
        fn()
        t, c = time.perf_counter(), time.process_time()
        for _ in range(int(reps)):
            fn()
        print((time.perf_counter() - t) / int(reps), (time.process_time() - c) / int(reps), flush=True)
