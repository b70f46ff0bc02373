#!/usr/bin/env python3
"""Dev cross-check of src/io/safetensors.ts against an independent reader/writer (not part of npm test).

The `safetensors` Python package is not installable here, so this script reimplements the format from
its spec with struct + json + torch/numpy (Debian's python3-torch), which is independent of our code:
  1. reads test/fixtures/io/tiny.safetensors (written by our writer) and checks every value;
  2. writes a file the way PyTorch users produce them (I64, F16, BF16, metadata first, header keys
     in a different order than the data) and has our TypeScript parser read it back via Node.
Run: /usr/bin/python3 scripts/crosscheck-safetensors.py
"""
import json, math, os, struct, subprocess, sys, tempfile
import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NP = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64, "BOOL": np.bool_, "F16": np.float16}

def read(path):
    b = open(path, "rb").read()
    (n,) = struct.unpack("<Q", b[:8])
    header = json.loads(b[8:8 + n])
    data = b[8 + n:]
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        out[k] = np.frombuffer(data[s:e], dtype=np.dtype(NP[v["dtype"]]).newbyteorder("<")).reshape(v["shape"])
    return n, header, out

n, header, t = read(os.path.join(ROOT, "test/fixtures/io/tiny.safetensors"))
assert n % 8 == 0, n
assert header["__metadata__"] == {"format": "pt", "producer": "deeptype"}
assert np.array_equal(t["fc.weight"], np.array([[0.5, -1.25, 3], [1e-3, -0.0, 2.5]], np.float32))
assert t["fc.bias"][0] == math.pi and math.isnan(t["fc.bias"][1])
assert t["bn.num_batches_tracked"].shape == () and int(t["bn.num_batches_tracked"]) == 7
assert t["labels"].tolist() == [-2, 0, 2147483647]
assert t["mask"].tolist() == [[True, False], [False, True]]
assert t["empty"].shape == (0, 4)
print("1. fixture read independently: OK", {k: list(v.shape) for k, v in t.items()})

torch.manual_seed(0)
tensors = {
    "conv.weight": torch.randn(4, 1, 3, 3),
    "fc.bias": torch.randn(5, dtype=torch.float64),
    "bn.num_batches_tracked": torch.tensor(1234, dtype=torch.int64),
    "half": torch.tensor([0.1, -3.5, 1000.0], dtype=torch.float16),
    "bhalf": torch.tensor([0.1, -3.5, 1e20], dtype=torch.bfloat16),
    "mask": torch.tensor([True, False, True]),
    "idx": torch.tensor([[1, -2], [3, 4]], dtype=torch.int32),
}
codes = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.float16: "F16",
         torch.bfloat16: "BF16", torch.bool: "BOOL", torch.int32: "I32"}
hdr, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
for k, v in tensors.items():
    raw = (v.view(torch.int16) if v.dtype == torch.bfloat16 else v).contiguous().numpy().tobytes()
    hdr[k] = {"dtype": codes[v.dtype], "shape": list(v.shape), "data_offsets": [off, off + len(raw)]}
    blobs.append(raw); off += len(raw)
# Header keys in reverse order: readers must go by offsets, not by key order.
hdr = dict(reversed(list(hdr.items())))
hb = json.dumps(hdr).encode()
hb += b" " * (-len(hb) % 8)
path = os.path.join(tempfile.mkdtemp(), "from-python.safetensors")
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(hb)) + hb + b"".join(blobs))

js = ("import {loadSafetensors} from './src/io/files.ts';"
      "const r = await loadSafetensors(process.argv[1]);"
      "const o = {}; for (const [k, v] of Object.entries(r.tensors)) o[k] = {dtype: v.dtype, fileDtype: v.fileDtype, shape: v.shape, data: Array.from(v.data)};"
      "console.log(JSON.stringify({metadata: r.metadata, tensors: o}));")
res = subprocess.run(["node", "--import", "tsx", "--input-type=module", "-e", js, path], cwd=ROOT, capture_output=True, text=True)
if res.returncode != 0:
    print(res.stderr); sys.exit(1)
got = json.loads(res.stdout)
assert got["metadata"] == {"format": "pt"}
for k, v in tensors.items():
    g = got["tensors"][k]
    assert g["shape"] == list(v.shape), (k, g["shape"])
    assert g["fileDtype"] == codes[v.dtype]
    ref = v.float() if v.dtype in (torch.float16, torch.bfloat16) else v
    exp = ref.flatten().tolist()
    exp = [int(x) for x in exp] if v.dtype == torch.bool else exp
    if v.dtype == torch.float32 or v.dtype in (torch.float16, torch.bfloat16):
        assert np.array_equal(np.array(g["data"], np.float32), np.array(exp, np.float32)), (k, g["data"], exp)
    else:
        assert g["data"] == exp, (k, g["data"], exp)
    print(f"   {k:24s} {codes[v.dtype]:5s} -> {g['dtype']:8s} {g['shape']} OK")
print("2. file written by an independent writer read by deeptype: OK")
