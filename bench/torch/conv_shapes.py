"""PyTorch side of bench/conv-shapes.ts: the same convolutions (forward, input and weight gradient)
at 1 thread, each the minimum over ROUNDS batches of process CPU time per call (ms). Prints one JSON
object {"id.op": ms}. Usage: python3 bench/torch/conv_shapes.py [ROUNDS]
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

# id, (N, C, H, W), O, kernel, stride, padding, dilation, groups: bench/conv-shapes.ts's SHAPES.
SHAPES = [
    ("s2", (64, 16, 28, 28), 32, 3, 2, 1, 1, 1),
    ("pw", (64, 64, 14, 14), 128, 1, 1, 0, 1, 1),
    ("pw-s2", (64, 64, 14, 14), 128, 1, 2, 0, 1, 1),
    ("lenet5", (64, 6, 28, 28), 16, 5, 1, 2, 1, 1),
    ("dil2", (64, 16, 28, 28), 32, 3, 1, 2, 2, 1),
    ("s2-c64", (32, 64, 28, 28), 64, 3, 2, 1, 1, 1),
    ("dw-s2", (64, 32, 28, 28), 32, 3, 2, 1, 1, 32),
    ("dw", (64, 32, 28, 28), 32, 3, 1, 1, 1, 32),
    ("c1-s2", (64, 1, 28, 28), 32, 3, 2, 1, 1, 1),
]
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
torch.set_num_threads(1)
torch.manual_seed(0)
# Steady-state allocator (see ops_server.py): one large free raises glibc's mmap threshold.
_warm = torch.empty(32 * 1024 * 1024 // 4 - 1024)
del _warm
aten = torch.ops.aten
out = {}
with torch.no_grad():
    for sid, (n, c, h, w), o, k, s, p, d, g in SHAPES:
        x = torch.randn(n, c, h, w)
        wt = torch.randn(o, c // g, k, k)
        b = torch.randn(o)
        y = F.conv2d(x, wt, b, s, p, d, g)
        gy = torch.randn_like(y)
        args = (gy, x, wt, [o], [s, s], [p, p], [d, d], False, [0, 0], g)
        ops = {
            "fwd": lambda: F.conv2d(x, wt, b, s, p, d, g),
            "gx": lambda: aten.convolution_backward(*args, [True, False, False]),
            "gw": lambda: aten.convolution_backward(*args, [False, True, False]),
        }
        for name, fn in ops.items():
            fn()
            t = time.process_time()
            fn()
            once = time.process_time() - t
            reps = max(1, round(0.02 / max(once, 5e-5)))
            best = float("inf")
            for _ in range(ROUNDS):
                t = time.process_time()
                for _ in range(reps):
                    fn()
                best = min(best, (time.process_time() - t) / reps)
            out[f"{sid}.{name}"] = best * 1e3
print(json.dumps(out))
