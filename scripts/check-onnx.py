#!/usr/bin/python3
"""Checks deeptype's ONNX export with Python's own tools (dev only, not part of npm test):

  1. onnx.checker.check_model(full_check=True) accepts every file scripts/onnx-samples.ts writes
     (MNIST CNN and MLP with a dynamic batch; LSTM, GRU and RNN variants (multi-layer, bidirectional,
     batch_first, relu) with a dynamic time axis; a Transformer encoder layer; a U-Net-style block);
  2. torch.onnx.export of the same architectures (CNN, MLP and each recurrent one) gives the same op
     types, where ops are equivalent (PyTorch writes Flatten as Flatten; deeptype writes the op Flatten
     runs, a Reshape), and the same number of Conv/MaxPool/Relu/LSTM/GRU/RNN nodes;
  3. onnx.shape_inference infers the recurrent files' time axis as symbolic ("time"), not a fixed size.

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
L, G, R = nn.LSTM, nn.GRU, nn.RNN
# name -> (PyTorch twin, example input shape, dynamic axes of input and first output)
TIME0, TIME1 = {0: "time"}, {1: "time"}
archs = {
    "cnn": (nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10)), (1, 1, 28, 28), {0: "batch"}),
    "mlp": (nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)), (1, 1, 28, 28), {0: "batch"}),
    "lstm": (L(8, 16, batch_first=True), (2, 5, 8), TIME1),
    "lstm-2layer-bidirectional": (L(8, 16, num_layers=2, bidirectional=True), (5, 2, 8), TIME0),
    "gru-2layer": (G(8, 16, num_layers=2), (5, 2, 8), {0: "time", 1: "batch"}),
    "gru-bidirectional-batchfirst": (G(8, 16, bidirectional=True, batch_first=True), (2, 5, 8), TIME1),
    "rnn-tanh-2layer": (R(8, 16, num_layers=2), (5, 2, 8), TIME0),
    "rnn-relu-bidirectional": (R(8, 16, nonlinearity="relu", bidirectional=True), (5, 2, 8), TIME0),
}
# PyTorch's op -> the ops deeptype writes for the same computation.
EQUIVALENT = {"Flatten": {"Reshape"}}
# Plumbing either exporter may add around equivalent ops (layout transposes, squeezes, state slicing and concatenation).
PLUMBING = {"Transpose", "Reshape", "Expand", "Squeeze", "Unsqueeze", "Slice", "Concat", "Identity", "Shape", "Gather", "Constant", "ConstantOfShape"}
COUNTED = ("Conv", "MaxPool", "Relu", "Gemm", "LSTM", "GRU", "RNN")
failed = False
for name, (model, shape, axes) in archs.items():
    buf = io.BytesIO()
    recurrent = isinstance(model, nn.RNNBase)
    outs = ["output_0", "output_1"] + (["output_2"] if isinstance(model, nn.LSTM) else []) if recurrent else ["output_0"]
    torch.onnx.export(model.eval(), torch.randn(*shape), buf, opset_version=17, input_names=["input_0"], output_names=outs,
                      dynamic_axes={"input_0": axes, "output_0": axes})
    theirs = collections.Counter(n.op_type for n in onnx.load_from_string(buf.getvalue()).graph.node)
    ours = ops[name]
    mapped = set()
    for op in theirs:
        mapped |= EQUIVALENT.get(op, {op})
    missing = mapped - set(ours) - PLUMBING
    extra = set(ours) - mapped - PLUMBING
    print(f"{name}: torch.onnx.export {dict(theirs)}")
    print(f"{name}: deeptype          {dict(ours)}")
    print(f"{name}: torch's ops (mapped through {EQUIVALENT}, plumbing aside) all in deeptype's: {not missing}; "
          f"deeptype's beyond torch's and plumbing: {sorted(extra) or 'none'}")
    for op in COUNTED:
        if theirs.get(op, 0) != ours.get(op, 0):
            print(f"{name}: {op} count differs: torch {theirs.get(op, 0)}, deeptype {ours.get(op, 0)}")
            failed = True
    failed = failed or bool(missing) or bool(extra)
    if recurrent:
        m = onnx.shape_inference.infer_shapes(onnx.load(os.path.join(tmp, name + ".onnx")))
        dims = [d.dim_param or d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim]
        ok = all(dims[a] == axes[a] for a in axes)
        print(f"{name}: output_0 dims {dims} (time axis symbolic: {ok})")
        failed = failed or not ok
print("FAILED" if failed else "OK: every export passes onnx.checker and matches torch.onnx.export's op types where equivalent")
sys.exit(1 if failed else 0)
