/**
 * The Python files `exportPytorch` writes, as text. `model.py` holds the module tree (generated per
 * model by `describe.ts`) plus a small safetensors reader/writer, so the export needs only PyTorch
 * (Debian's python3-torch has no `safetensors` package; the real package is used when installed).
 * `train_ddp.py` is the same for every model: it continues training under DistributedDataParallel.
 */

/**
 * Python classes for deeptype layers that have no PyTorch twin, defined in model.py when the model
 * uses them. Each computes what the deeptype layer computes, with the same state-dict keys.
 */
export const PY_HELPERS: Record<string, string> = {
  PositionalEncoding: `class PositionalEncoding(nn.Module):
    """deeptype's nn.PositionalEncoding: x + the sinusoid table pe[:T] (buffer pe [max_len, 1, d_model]), then dropout."""

    def __init__(self, d_model, max_len=5000, dropout=0.1, batch_first=False, persistent=True):
        super().__init__()
        self.batch_first = batch_first
        self.dropout = nn.Dropout(dropout)
        pos = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)
        angle = pos * torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(angle)
        pe[:, 1::2] = torch.cos(angle)[:, : d_model // 2]
        self.register_buffer("pe", pe.float().unsqueeze(1), persistent=persistent)

    def forward(self, x):
        t = x.size(1 if x.dim() == 3 and self.batch_first else 0)
        pe = self.pe[:t]
        if x.dim() == 2:
            pe = pe.squeeze(1)
        elif self.batch_first:
            pe = pe.transpose(0, 1)
        return self.dropout(x + pe.to(x.dtype))
`,
};

/** model.py around the generated `build_model` body (and the helper classes it uses). */
export function modelPy(buildExpr: string, summary: string, helpers: Iterable<string> = []): string {
  const classes = [...helpers].map((h) => `\n\n${PY_HELPERS[h]}`).join("");
  return `"""PyTorch twin of a deeptype model, written by deeptype's exportPytorch.

${summary}

build_model() returns an nn.Module whose state_dict keys equal deeptype's, so
    model = build_model(); model.load_state_dict(load_safetensors("model.safetensors"))
loads deeptype's weights strictly, and save_safetensors(path, model.state_dict()) writes weights
deeptype's loadWeights reads back.
"""
import json
import math
import struct

import torch
from torch import nn
${classes}

def build_model():
    return ${buildExpr}


_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
           "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
_CODES = {v: k for k, v in _DTYPES.items()}


def load_safetensors(path):
    """Tensors of a safetensors file (the safetensors package when installed, else this reader)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        raw = bytearray(data[8 + n + begin:8 + n + end])
        dtype = _DTYPES[e["dtype"]]
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(e["shape"]).clone()
    return out


def save_safetensors(path, tensors, metadata=None):
    """Writes tensors as safetensors (little-endian, 8-byte aligned data), as deeptype reads them."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": _CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
`;
}

/** train_ddp.py: continues training under DDP, via torchrun or --spawn N. */
export const TRAIN_DDP_PY = `"""Continue training a deeptype model with PyTorch DistributedDataParallel (written by deeptype).

One process per rank; gloo on CPU, nccl on GPUs (one GPU per rank). Either
    torchrun --nproc_per_node=2 train_ddp.py --epochs 2            # torchrun sets RANK, WORLD_SIZE, ...
    python3 train_ddp.py --spawn 2 --epochs 2                      # this script starts 2 ranks itself
    RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 python3 train_ddp.py   # one command per rank
or, with none of these, a single process. Reads model.safetensors (the weights deeptype exported) and
data.safetensors ("inputs" and "targets"; integer targets train with cross-entropy, float targets with
MSE), and rank 0 writes the trained weights (default trained.safetensors) with deeptype's keys:
    model.loadStateDict(await loadWeights("trained.safetensors"))
"""
import argparse
import os
import socket
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import build_model, load_safetensors, save_safetensors  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64, help="per rank")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    p.add_argument("--weights", default=os.path.join(HERE, "model.safetensors"))
    p.add_argument("--data", default=os.path.join(HERE, "data.safetensors"))
    p.add_argument("--out", default=os.path.join(HERE, "trained.safetensors"))
    p.add_argument("--spawn", type=int, default=0, metavar="N", help="start N ranks on this machine (instead of torchrun)")
    p.add_argument("--backend", choices=["auto", "gloo", "nccl"], default="auto")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def train(rank, world, args):
    use_cuda = torch.cuda.is_available() and args.backend != "gloo"
    backend = args.backend if args.backend != "auto" else ("nccl" if use_cuda else "gloo")
    local = int(os.environ.get("LOCAL_RANK", rank))
    if world > 1:
        dist.init_process_group(backend, rank=rank, world_size=world)
    device = torch.device(f"cuda:{local}" if use_cuda else "cpu")
    torch.manual_seed(args.seed)
    model = build_model()
    model.load_state_dict(load_safetensors(args.weights), strict=True)
    model.to(device)
    net = DDP(model, device_ids=[local] if use_cuda else None) if world > 1 else model
    data = load_safetensors(args.data)
    x, y = data["inputs"].float(), data["targets"]
    classify = not y.is_floating_point()
    if classify:
        y = y.long()
    ds = TensorDataset(x, y)
    sampler = DistributedSampler(ds, num_replicas=world, rank=rank, shuffle=True, seed=args.seed) if world > 1 else None
    loader = DataLoader(ds, batch_size=args.batch_size, sampler=sampler, shuffle=sampler is None)
    loss_fn = torch.nn.CrossEntropyLoss() if classify else torch.nn.MSELoss()
    opt = torch.optim.Adam(net.parameters(), lr=args.lr) if args.optimizer == "adam" else torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        stats = torch.zeros(2, dtype=torch.float64, device=device)
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            stats += torch.tensor([loss.item() * len(xb), len(xb)], dtype=torch.float64, device=device)
        if world > 1:
            dist.all_reduce(stats)  # every rank's samples count in the reported loss
        if rank == 0:
            print(f"epoch {epoch + 1}/{args.epochs} loss {stats[0].item() / stats[1].item():.4f} "
                  f"({world} rank{'s' if world > 1 else ''}, {backend if world > 1 else device.type}, {int(stats[1].item())} samples)", flush=True)
    if rank == 0:
        # model, not the DDP wrapper: keys without DDP's "module." prefix, equal to deeptype's.
        save_safetensors(args.out, model.state_dict(), {"format": "pt"})
        print(f"wrote {args.out}", flush=True)
    if world > 1:
        dist.destroy_process_group()


def _spawned(rank, world, port, args):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank))
    train(rank, world, args)


def main(argv=None):
    args = parse_args(argv)
    if args.spawn > 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        mp.spawn(_spawned, args=(args.spawn, port, args), nprocs=args.spawn, join=True)
    elif "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        train(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)
    else:
        train(0, 1, args)


if __name__ == "__main__":
    main()
`;
