#!/usr/bin/python3
"""Checks the scale-out path (dev only, not part of npm test): deeptype -> PyTorch DDP -> deeptype.

  0. exportPytorch of every structural kind of model (the library's ready-made models, nested Sequential,
     RNN/LSTM/GRU and a cell, MultiheadAttention, a token encoder with Embedding + PositionalEncoding +
     TransformerEncoder, a pre-norm TransformerDecoderLayer, nn.Transformer): PyTorch loads each strictly
     and gives deeptype's outputs (every output, tuples flattened); the U-Net example (custom forward) is
     refused with an error saying what to do;
  1. exportPytorch writes model.py/model.safetensors/train_ddp.py/data.safetensors for the MNIST CNN;
  2. PyTorch builds model.py's module, loads the weights strictly and gives deeptype's logits;
  3. train_ddp.py --spawn 2 trains 2 gloo ranks on CPU and the loss goes down;
  4. the same script run as one process per rank (RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT, what torchrun
     sets) works too; torchrun itself is tried and its outcome reported (Debian's fails under Python 3.11);
  5. deeptype's loadWeights reads the trained weights back and gives PyTorch's logits.

    /usr/bin/python3 scripts/check-pytorch-export.py

Skips (exit 0, printing SKIP) without python3-torch.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
try:
    import torch
except ImportError:
    print("SKIP: python3-torch is not installed")
    sys.exit(0)

import importlib.util  # noqa: E402

node = ["node", "--import", "tsx", "scripts/pytorch-roundtrip.ts"]
failed = []


def flatten(v):
    if isinstance(v, torch.Tensor):
        return [v]
    if isinstance(v, (tuple, list)):
        return [t for x in v for t in flatten(x)]
    return []


zoo = tempfile.mkdtemp(prefix="deeptype-torch-zoo-")
lines = subprocess.run(node + ["zoo", zoo], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip().splitlines()
for line in lines:
    if not line.startswith("exported "):
        continue
    name = line.split()[1]
    spec = importlib.util.spec_from_file_location(f"zoo_{name.replace('-', '_')}", os.path.join(zoo, name, "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    m = mod.build_model().eval()
    m.load_state_dict(mod.load_safetensors(os.path.join(zoo, name, "model.safetensors")), strict=True)
    probe = mod.load_safetensors(os.path.join(zoo, name, "probe.safetensors"))
    ins = [probe[f"input_{i}"] for i in range(sum(k.startswith("input_") for k in probe))]
    ins = [t.long() if not t.is_floating_point() else t for t in ins]  # PyTorch's Embedding takes int64 ids
    want = [probe[f"output_{i}"] for i in range(sum(k.startswith("output_") for k in probe))]
    with torch.no_grad():
        got = flatten(m(*ins))
    shapes_ok = len(got) == len(want) and all(g.shape == w.shape for g, w in zip(got, want))
    err = max(((g - w).abs().max() / w.abs().max().clamp_min(1e-12)).item() for g, w in zip(got, want)) if shapes_ok else float("inf")
    print(f"{name}: strict load OK, {len(want)} output(s), max relative |torch - deeptype| = {err:.1e}")
    if err > 1e-5:
        failed.append(f"{name}: outputs differ ({err})")
refusal = [x for x in lines if x.startswith("unet:")]
print(refusal[0] if refusal else "unet: no line")
if not refusal or "refused: exportPytorch: the model is a UNet" not in refusal[0]:
    failed.append("the U-Net (custom forward) was not refused clearly")

out = tempfile.mkdtemp(prefix="deeptype-torch-")
print(subprocess.run(node + ["export", out], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip())
sys.path.insert(0, out)
from model import build_model, load_safetensors  # noqa: E402

model = build_model().eval()
model.load_state_dict(load_safetensors(os.path.join(out, "model.safetensors")), strict=True)
probe = load_safetensors(os.path.join(out, "probe.safetensors"))
with torch.no_grad():
    diff = (model(probe["input"]) - probe["logits"]).abs().max().item()
print(f"model.py + model.safetensors loaded strictly; max |torch - deeptype| logits = {diff:.2e}")
if diff > 1e-4:
    failed.append("logits differ")

env = {k: v for k, v in os.environ.items()}
r = subprocess.run([sys.executable, os.path.join(out, "train_ddp.py"), "--spawn", "2", "--epochs", "3", "--lr", "1e-3"],
                   capture_output=True, text=True, timeout=600)
print(r.stdout.strip())
losses = [float(m) for m in re.findall(r"loss ([0-9.]+) \(2 ranks, gloo", r.stdout)]
if r.returncode != 0 or len(losses) != 3 or not losses[-1] < losses[0]:
    failed.append(f"--spawn 2 run: rc {r.returncode}, losses {losses}\n{r.stderr[-2000:]}")
else:
    print(f"--spawn 2: loss went down {losses[0]:.4f} -> {losses[-1]:.4f}")

# One process per rank with the environment torchrun would set.
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
procs = []
for rank in range(2):
    e = dict(env, RANK=str(rank), WORLD_SIZE="2", LOCAL_RANK=str(rank), MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    procs.append(subprocess.Popen([sys.executable, os.path.join(out, "train_ddp.py"), "--epochs", "1", "--out", os.path.join(out, "env-trained.safetensors")],
                                  env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
outs = [p.communicate(timeout=600) for p in procs]
if any(p.returncode for p in procs) or "2 ranks, gloo" not in outs[0][0]:
    failed.append(f"env-launched ranks failed: {[p.returncode for p in procs]} {outs[0][1][-1500:]}")
else:
    print("RANK/WORLD_SIZE-launched ranks (as torchrun starts them):", outs[0][0].strip().splitlines()[0])

torchrun = shutil.which("torchrun")
if torchrun:
    t = subprocess.run([torchrun, "--nproc_per_node=2", os.path.join(out, "train_ddp.py"), "--epochs", "1", "--out", os.path.join(out, "tr.safetensors")],
                       capture_output=True, text=True, timeout=600)
    last = (t.stdout.strip().splitlines() or [""])[-1] if t.returncode == 0 else (t.stderr.strip().splitlines() or ["?"])[-1]
    print(f"torchrun --nproc_per_node=2: exit {t.returncode}: {last}")
else:
    print("torchrun: not installed")

# Back into deeptype.
trained = os.path.join(out, "trained.safetensors")
print(subprocess.run(node + ["logits", out, trained], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip())
model.load_state_dict(load_safetensors(trained), strict=True)
with torch.no_grad():
    back = (model(probe["input"]) - load_safetensors(os.path.join(out, "deeptype-logits.safetensors"))["logits"]).abs().max().item()
print(f"trained weights in deeptype vs PyTorch: max |logits difference| = {back:.2e}")
if back > 1e-4:
    failed.append("trained weights give different logits in deeptype")
print("FAILED:\n" + "\n".join(failed) if failed else "OK: export -> strict load -> DDP on 2 CPU ranks (loss down) -> loadWeights back, logits equal")
sys.exit(1 if failed else 0)
