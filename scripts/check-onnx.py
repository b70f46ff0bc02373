#!/usr/bin/python3
"""Checks deeptype's ONNX export with Python's own tools (dev only, not part of npm test):

  1. onnx.checker.check_model(full_check=True) accepts every file scripts/onnx-samples.ts writes
     (MNIST CNN and MLP with a dynamic batch, an LSTM, a 2-layer GRU with a dynamic batch, a Transformer encoder
     layer, a U-Net-style block);
  2. torch.onnx.export of the same MNIST CNN and MLP architectures gives the same op types, where ops are
     equivalent (PyTorch writes Flatten as Flatten; deeptype writes the op Flatten runs, a Reshape).

    /usr/bin/python3 scripts/check-onnx.py

Skips (exit 0, printing SKIP) when python3-onnx or python3-torch is missing.
"""
import collections
import io
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
try:
    import onnx
except ImportError:
    print("SKIP: python3-onnx is not installed")
    sys.exit(0)

tmp = tempfile.mkdtemp(prefix="deeptype-onnx-")
subprocess.run(["node", "--import", "tsx", "scripts/onnx-samples.ts", tmp], cwd=ROOT, check=True)
ops = {}
for f in sorted(os.listdir(tmp)):
    m = onnx.load(os.path.join(tmp, f))
    onnx.checker.check_model(m, full_check=True)
    ops[f[:-5]] = collections.Counter(n.op_type for n in m.graph.node)
    print(f"onnx.checker OK: {f} (opset {m.opset_import[0].version}, {len(m.graph.node)} nodes, "
          f"{len(m.graph.initializer)} initializers): {dict(ops[f[:-5]])}")

try:
    import torch
except ImportError:
    print("SKIP: python3-torch is not installed; op types not compared")
    sys.exit(0)

nn = torch.nn
archs = {
    "cnn": nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10)),
    "mlp": nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)),
}
# PyTorch's op -> the ops deeptype writes for the same computation.
EQUIVALENT = {"Flatten": {"Reshape"}}
# Plumbing deeptype's tracer may add around equivalent ops (transposes, batch reshapes, broadcasts).
PLUMBING = {"Transpose", "Reshape", "Expand"}
failed = False
for name, model in archs.items():
    buf = io.BytesIO()
    torch.onnx.export(model.eval(), torch.randn(1, 1, 28, 28), buf, opset_version=17, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    theirs = collections.Counter(n.op_type for n in onnx.load_from_string(buf.getvalue()).graph.node)
    ours = ops[name]
    mapped = set()
    for op in theirs:
        mapped |= EQUIVALENT.get(op, {op})
    missing = mapped - set(ours)
    extra = set(ours) - mapped - PLUMBING
    print(f"{name}: torch.onnx.export {dict(theirs)}")
    print(f"{name}: deeptype          {dict(ours)}")
    print(f"{name}: torch's ops (mapped through {EQUIVALENT}) all present in deeptype's: {not missing}; "
          f"deeptype's ops beyond them and plumbing {sorted(PLUMBING)}: {sorted(extra) or 'none'}")
    for op in ("Conv", "MaxPool", "Relu"):
        if theirs.get(op, 0) != ours.get(op, 0):
            print(f"{name}: {op} count differs: torch {theirs.get(op, 0)}, deeptype {ours.get(op, 0)}")
            failed = True
    failed = failed or bool(missing) or bool(extra)
print("FAILED" if failed else "OK: every export passes onnx.checker and matches torch.onnx.export's op types where equivalent")
sys.exit(1 if failed else 0)
