#!/usr/bin/env python3
"""Writes test/fixtures/signed-zero.json: every unary op and activation deeptype has, applied by
PyTorch 1.13 to +0, -0, +inf, -inf, NaN and a few ordinary values, in float32 and float64, so that
test/signed-zero.test.ts can check the sign of each zero (and each infinity and NaN) exactly, on the
js and wasm backends. JSON has no -0, Infinity or NaN: every value is written as a string
("-0", "0", "inf", "-inf", "nan") or as a finite number's repr.

    /usr/bin/python3 scripts/gen-signed-zero-fixtures.py
"""
import json
import math
import os
import torch
import torch.nn.functional as F

INPUTS = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.5, -1.5, 1e-30, -1e-30]

# deeptype name -> PyTorch function of a tensor (defaults as deeptype's).
OPS = {
    "neg": torch.neg, "exp": torch.exp, "log": torch.log, "log1p": torch.log1p, "expm1": torch.expm1,
    "sqrt": torch.sqrt, "rsqrt": torch.rsqrt, "abs": torch.abs, "sign": torch.sign, "sin": torch.sin,
    "cos": torch.cos, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "erf": torch.erf,
    "floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "trunc": torch.trunc,
    "reciprocal": torch.reciprocal, "square": torch.square,
    "tan": torch.tan, "asin": torch.asin, "acos": torch.acos, "atan": torch.atan, "sinh": torch.sinh,
    "cosh": torch.cosh, "asinh": torch.asinh, "acosh": torch.acosh, "atanh": torch.atanh, "log2": torch.log2,
    "log10": torch.log10, "exp2": torch.exp2, "frac": torch.frac, "erfc": torch.erfc, "erfinv": torch.erfinv,
    "lgamma": torch.lgamma, "digamma": torch.digamma, "sinc": torch.sinc, "deg2rad": torch.deg2rad,
    "rad2deg": torch.rad2deg, "nanToNum": torch.nan_to_num,
    "gelu": F.gelu, "geluTanh": lambda x: F.gelu(x, approximate="tanh"), "leakyRelu": F.leaky_relu,
    "elu": F.elu, "silu": F.silu,
    "softplus": F.softplus, "relu6": F.relu6, "hardswish": F.hardswish, "hardsigmoid": F.hardsigmoid,
    "hardtanh": F.hardtanh, "selu": F.selu, "celu": F.celu, "mish": F.mish, "softsign": F.softsign,
    "tanhshrink": F.tanhshrink, "logsigmoid": F.logsigmoid, "softshrink": F.softshrink,
    "hardshrink": F.hardshrink, "rrelu": F.rrelu,  # rrelu: training=False, the mean slope
    "threshold": lambda x: F.threshold(x, 0.5, -2.0),
}


def enc(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    return v


def main():
    out = {"inputs": [enc(v) for v in INPUTS], "torch": torch.__version__, "ops": {}}
    for name, fn in OPS.items():
        out["ops"][name] = {}
        for dt in ("float32", "float64"):
            x = torch.tensor(INPUTS, dtype=getattr(torch, dt))
            out["ops"][name][dt] = [enc(float(v)) for v in fn(x).tolist()]
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "signed-zero.json")
    with open(path, "w") as f:
        # One line per op: the file stays reviewable in a diff.
        f.write('{"torch": %s, "inputs": %s, "ops": {\n' % (json.dumps(out["torch"]), json.dumps(out["inputs"])))
        f.write(",\n".join("%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in out["ops"].items()))
        f.write("\n}}\n")
    print(f"wrote {path}: {len(OPS)} ops")


if __name__ == "__main__":
    main()
