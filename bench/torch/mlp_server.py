"""PyTorch side of bench/mlp-parts.ts: the MNIST MLP 784-256-128-10 training step (batch 64, SGD
lr 0.01) cut into cumulative parts, timed on request in a persistent process so that deeptype's and
PyTorch's batches can be interleaved (load from other processes then hits both alike).

Reads lines "PART THREADS REPS" on stdin and answers each with the wall seconds and the process CPU
seconds per call of REPS calls (after warm-up). PART is one of:
  fwd       model(x), recording the graph
  loss      fwd + cross_entropy
  bwd       zero_grad + loss + backward
  step      zero_grad + loss + backward + optimizer step (the training step)
  gemm      the step's matrix products alone (the same shapes and transposes as its linear layers)
The first line printed is a JSON object with the version and torch.__config__'s BLAS line.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from build_info import blas_info

torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.randn(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
w1, w2, w3 = model[1].weight.detach(), model[3].weight.detach(), model[5].weight.detach()
xf = x.reshape(64, 784)
h1 = torch.randn(64, 256)
h2 = torch.randn(64, 128)
g1, g2, g3 = torch.randn(64, 256), torch.randn(64, 128), torch.randn(64, 10)


def loss_of():
    return F.cross_entropy(model(x), y)


def bwd():
    opt.zero_grad(set_to_none=True)
    loss_of().backward()


def step():
    bwd()
    opt.step()


def gemm():
    # Forward x·Wᵀ per layer; backward gW = gᵀ·input per layer and gX = g·W for layers 2 and 3
    # (layer 1's input needs no gradient).
    with torch.no_grad():
        xf @ w1.t(); h1 @ w2.t(); h2 @ w3.t()
        g1.t() @ xf; g2.t() @ h1; g3.t() @ h2
        g2 @ w2; g3 @ w3


PARTS = {"fwd": lambda: model(x), "loss": loss_of, "bwd": bwd, "step": step, "gemm": gemm}

# No allocator warm-up, as bench/torch/bench.py (the reason there). The BLAS PyTorch actually loaded:
info, loaded = blas_info(torch)
print(json.dumps({"version": torch.__version__, "blas": [f"BLAS_INFO={info}", *loaded]}), flush=True)
for line in sys.stdin:
    part, threads, reps = line.split()
    torch.set_num_threads(int(threads))
    fn = PARTS[part]
    for _ in range(3):
        fn()
    t, c = time.perf_counter(), time.process_time()
    for _ in range(int(reps)):
        fn()
    print((time.perf_counter() - t) / int(reps), (time.process_time() - c) / int(reps), flush=True)
