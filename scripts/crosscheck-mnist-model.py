"""Loads a deeptype run's model.safetensors into the same torch.nn.Sequential and compares logits.

    node --import tsx scripts/export-probe.ts runs/cnn > /tmp/probe.json   # deeptype's logits on fixed inputs
    /usr/bin/python3 scripts/crosscheck-mnist-model.py runs/cnn/model.safetensors /tmp/probe.json

The safetensors file is parsed from the format spec (this Python has no safetensors package), then
loaded with load_state_dict(strict=True), so every key name and shape must match PyTorch's.
"""
import json, struct, sys
import torch
from torch import nn

DT = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32}

def read_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[k] = torch.frombuffer(bytearray(body[a:b]), dtype=DT[v["dtype"]]).reshape(v["shape"])
    return out

cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))
cnn.load_state_dict(read_safetensors(sys.argv[1]), strict=True)
probe = json.load(open(sys.argv[2]))
x = torch.tensor(probe["input"], dtype=torch.float32).reshape(probe["shape"])
with torch.no_grad():
    got = cnn(x)
want = torch.tensor(probe["logits"])
diff = (got - want).abs().max().item()
same = bool((got.argmax(1) == want.argmax(1)).all())
print(f"strict load OK; max |torch - deeptype| over {x.shape[0]} inputs = {diff:.2e}; same predictions: {same}")
sys.exit(0 if diff < 1e-3 and same else 1)
