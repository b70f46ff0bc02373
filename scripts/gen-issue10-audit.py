#!/usr/bin/env python3
"""Writes test/fixtures/issue10-audit.json: a quick call of each operator, function and method that
issue 10 names, in the calling forms a PyTorch user writes (positional and keyword, method and
function, keepdim where it reduces along a dim; see variants()), each run by PyTorch 1.13, so test/issue10-audit.test.ts can make the same call in deeptype
(its camelCase name, keyword arguments as one options object, API.md rule 3) and list whatever is
missing or gives another result. The calls are data: (namespace, PyTorch name, arguments, keywords);
T(...) is a tensor argument. Values are written as JSON, with "nan", "inf", "-inf" for the specials.

    /usr/bin/python3 scripts/gen-issue10-audit.py
"""
import inspect
import json
import math
import os
import re
import torch
import torch.nn.functional as F


def T(data, dtype="float64"):
    return {"t": data, "dtype": dtype}


A = [[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]]
B = [[2.0, 1.0, -1.0], [3.0, -2.0, 0.5]]
P = [[0.2, 0.5, 0.9], [0.1, 0.7, 0.3]]  # in (0, 1)
V = [3.0, 1.0, 2.0, 1.0, 5.0]
I = [[0, 2], [1, 0]]
M22 = [[1.0, 2.0], [3.0, 4.0]]
X4 = [[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]]]

CALLS = [
    # indexing
    ("torch", "masked_select", [T(A), T([[True, False, True], [False, True, False]], "bool")], {}),
    ("torch", "nonzero", [T([[1.0, 0.0], [0.0, 2.0]])], {}),
    ("torch", "take", [T(A), T([0, 4, 5], "int64")], {}),
    ("torch", "take_along_dim", [T(A), T(I, "int64")], {"dim": 1}),
    ("torch", "where", [T([[1.0, 0.0], [0.0, 2.0]])], {}),
    ("method", "index_fill", [T(A), 1, T([0, 2], "int64"), -1.0], {}),
    ("method", "index_put", [T(A), [T([0, 1], "int64"), T([2, 0], "int64")], T([9.0, 8.0])], {}),
    ("method", "masked_scatter", [T(A), T([[True, False, True], [False, True, False]], "bool"), T([[7.0, 8.0, 9.0], [1.0, 1.0, 1.0]])], {}),
    ("torch", "scatter_add", [T(A), 1, T(I, "int64"), T(B)], {}),
    ("torch", "index_add", [T(A), 1, T([0, 2], "int64"), T([[1.0, 2.0], [3.0, 4.0]])], {}),
    # sorting and selection
    ("torch", "sort", [T(A)], {"dim": 1, "descending": True}),
    ("torch", "argsort", [T(A)], {"dim": 0}),
    ("torch", "topk", [T(V), 2], {}),
    ("torch", "topk", [T(A), 2], {"dim": 1, "largest": False}),
    ("torch", "kthvalue", [T(V), 2], {}),
    ("torch", "median", [T(V)], {}),
    ("torch", "median", [T(A), 1], {}),
    ("torch", "mode", [T(V)], {}),
    ("torch", "unique", [T(V)], {"return_counts": True}),
    ("torch", "msort", [T(A)], {}),
    ("torch", "searchsorted", [T([1.0, 3.0, 5.0]), T([0.0, 3.0, 6.0])], {}),
    ("torch", "searchsorted", [T([1.0, 3.0, 5.0]), T([0.0, 3.0, 6.0])], {"right": True}),
    ("torch", "bucketize", [T([0.0, 3.0, 6.0]), T([1.0, 3.0, 5.0])], {}),
    ("torch", "any", [T([[0.0, 1.0], [0.0, 0.0]])], {}),
    ("torch", "all", [T([[1.0, 1.0], [0.0, 1.0]]), 1], {}),
    ("torch", "cumprod", [T(A), 1], {}),
    ("torch", "cummax", [T(V), 0], {}),
    ("torch", "cummin", [T(V), 0], {}),
    ("torch", "logcumsumexp", [T(A), 1], {}),
    ("torch", "nansum", [T([1.0, float("nan"), 2.0])], {}),
    ("torch", "nanmean", [T([1.0, float("nan"), 2.0])], {}),
    ("torch", "aminmax", [T(A)], {"dim": 1}),
    ("torch", "count_nonzero", [T([[1.0, 0.0], [0.0, 2.0]])], {"dim": 0}),
    ("torch", "bincount", [T([0, 1, 1, 3], "int64")], {}),
    ("torch", "histc", [T(V)], {"bins": 4, "min": 0, "max": 6}),
    # linear algebra
    ("torch", "einsum", ["ij,kj->ik", T(A), T(B)], {}),
    ("torch", "addmm", [T(M22), T(M22), T(M22)], {"beta": 0.5, "alpha": 2}),
    ("torch", "addbmm", [T(M22), T([M22, M22]), T([M22, M22])], {}),
    ("torch", "baddbmm", [T([M22]), T([M22]), T([M22])], {}),
    ("torch", "mv", [T(A), T([1.0, 2.0, 3.0])], {}),
    ("torch", "addmv", [T([1.0, 1.0]), T(A), T([1.0, 2.0, 3.0])], {}),
    ("torch", "addr", [T(M22), T([1.0, 2.0]), T([3.0, 4.0])], {}),
    ("torch", "diag", [T([1.0, 2.0])], {"diagonal": 1}),
    ("torch", "diag_embed", [T(M22)], {}),
    ("torch", "diagonal", [T(A)], {"offset": 1}),
    ("torch", "trace", [T(M22)], {}),
    ("torch", "tensordot", [T(A), T(B)], {"dims": [[1], [1]]}),
    ("torch", "kron", [T(M22), T([[0.0, 1.0], [1.0, 0.0]])], {}),
    ("torch", "cross", [T([[1.0, 0.0, 0.0]]), T([[0.0, 1.0, 0.0]])], {"dim": 1}),
    ("torch", "cdist", [T(A), T(B)], {}),
    ("linalg", "norm", [T(A)], {}),
    ("linalg", "vector_norm", [T(A)], {"ord": 1, "dim": 1}),
    ("linalg", "matrix_norm", [T(M22)], {}),
    # shape
    ("torch", "movedim", [T([A]), 0, 2], {}),
    ("torch", "moveaxis", [T([A]), 0, 2], {}),
    ("torch", "roll", [T(A), 1, 1], {}),
    ("torch", "rot90", [T(A)], {}),
    ("torch", "tile", [T([1.0, 2.0]), [2, 2]], {}),
    ("torch", "repeat_interleave", [T([1.0, 2.0]), 2], {}),
    ("torch", "hstack", [[T([1.0]), T([2.0, 3.0])]], {}),
    ("torch", "vstack", [[T([1.0, 2.0]), T([3.0, 4.0])]], {}),
    ("torch", "dstack", [[T([1.0, 2.0]), T([3.0, 4.0])]], {}),
    ("torch", "column_stack", [[T([1.0, 2.0]), T([3.0, 4.0])]], {}),
    ("torch", "tensor_split", [T(V), 2], {}),
    ("torch", "swapaxes", [T([A]), 0, 2], {}),
    ("method", "unfold", [T(V), 0, 2, 1], {}),
    ("torch", "flipud", [T(A)], {}),
    ("torch", "fliplr", [T(A)], {}),
    ("torch", "atleast_1d", [T(2.0)], {}),
    ("torch", "atleast_2d", [T([1.0, 2.0])], {}),
    ("torch", "atleast_3d", [T([1.0, 2.0])], {}),
    ("torch", "broadcast_to", [T([1.0, 2.0]), [2, 2]], {}),
    ("method", "expand_as", [T([1.0, 2.0, 3.0]), T(A)], {}),
    ("method", "view_as", [T(V[:4]), T(M22)], {}),
    ("method", "reshape_as", [T([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), T(A)], {}),
    ("torch", "narrow_copy", [T(A), 1, 1, 2], {}),
    # math
    *[("torch", n, [T(P)], {}) for n in ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "atanh", "log2", "log10", "exp2", "trunc", "frac", "erfc", "erfinv", "lgamma", "digamma", "sinc", "deg2rad", "signbit", "isinf", "isposinf", "isneginf"]],
    ("torch", "acosh", [T([[1.5, 2.0]])], {}),
    ("torch", "fmod", [T([-3.0, 3.0, 5.5]), 2], {}),
    ("torch", "floor_divide", [T([-3.0, 3.0, 5.5]), 2], {}),
    ("torch", "div", [T([-3.0, 3.0, 5.5]), 2], {"rounding_mode": "floor"}),
    ("torch", "div", [T([-3.0, 3.0, 5.5]), 2], {"rounding_mode": "trunc"}),
    ("torch", "add", [T(A), T(B)], {"alpha": 2}),
    ("torch", "sub", [T(A), T(B)], {"alpha": 0.5}),
    ("torch", "lerp", [T(A), T(B), 0.25], {}),
    ("torch", "logaddexp", [T(A), T(B)], {}),
    ("torch", "hypot", [T(A), T(B)], {}),
    ("torch", "xlogy", [T([0.0, 2.0]), T([0.0, 3.0])], {}),
    ("torch", "nan_to_num", [T([float("nan"), float("inf"), -float("inf"), 1.0])], {"nan": 0.5, "posinf": 9.0}),
    ("torch", "copysign", [T(A), T(B)], {}),
    ("torch", "heaviside", [T([-1.0, 0.0, 2.0]), T([0.5])], {}),
    ("torch", "round", [T([1.2345, -2.5551])], {"decimals": 2}),
    ("torch", "clamp", [T(A)], {"min": T([[0.0, 0.0, 0.0]]), "max": T([[1.0, 2.0, 3.0]])}),
    ("torch", "clamp_min", [T(A), 0.5], {}),
    ("torch", "clamp_max", [T(A), 0.5], {}),
    ("torch", "allclose", [T(A), T(A)], {}),
    ("torch", "isclose", [T([1.0, 2.0]), T([1.0 + 1e-9, 2.1])], {}),
    ("torch", "equal", [T(A), T(A)], {}),
    ("torch", "sum", [T([[1, 2], [3, 4]], "int32")], {"dim": 0, "dtype": torch.float64}),
    ("torch", "softmax", [T(A), 1], {"dtype": torch.float64}),
    # nn.functional
    *[("F", n, [T(A)], {}) for n in ["softplus", "relu6", "hardswish", "hardsigmoid", "hardtanh", "selu", "celu", "mish", "softsign", "tanhshrink", "logsigmoid", "softshrink", "hardshrink"]],
    ("F", "glu", [T([[1.0, 2.0, 3.0, 4.0]])], {}),
    ("F", "prelu", [T(A), T([0.25])], {}),
    ("F", "rrelu", [T(A)], {"training": False}),
    ("F", "softmin", [T(A)], {"dim": 1}),
    ("F", "threshold", [T(A), 1.0, -5.0], {}),
    ("F", "normalize", [T(A)], {"dim": 0}),
    ("F", "cosine_similarity", [T(A), T(B)], {}),
    ("F", "pairwise_distance", [T(A), T(B)], {}),
    ("F", "max_pool1d", [T([[V]]), 2], {}),
    ("F", "avg_pool1d", [T([[V]]), 2], {}),
    ("F", "adaptive_avg_pool1d", [T([[V]]), 2], {}),
    ("F", "adaptive_max_pool1d", [T([[V]]), 2], {}),
    ("F", "adaptive_max_pool2d", [T(X4), 2], {}),
    ("F", "instance_norm", [T([A])], {}),
    ("F", "local_response_norm", [T([A]), 2], {}),
    ("F", "pad", [T([A]), [1, 1]], {"mode": "reflect"}),
    ("F", "pad", [T([A]), [1, 2]], {"mode": "replicate"}),
    ("F", "pad", [T([A]), [1, 1]], {"mode": "circular"}),
    ("F", "interpolate", [T(X4)], {"scale_factor": 0.5, "mode": "bilinear", "align_corners": False}),
    ("F", "interpolate", [T(X4)], {"size": [3, 3], "mode": "bicubic", "align_corners": True}),
    ("F", "interpolate", [T([[V]])], {"scale_factor": 2, "mode": "nearest"}),
    ("F", "pixel_shuffle", [T([[[[1.0]], [[2.0]], [[3.0]], [[4.0]]]]), 2], {}),
    ("F", "pixel_unshuffle", [T(X4), 2], {}),
    ("F", "unfold", [T(X4), 2], {"stride": 2}),
    ("F", "one_hot", [T([0, 2, 1], "int64")], {}),
    ("F", "embedding_bag", [T([0, 1, 1, 0], "int64"), T(A), T([0, 2], "int64")], {}),
    # losses
    ("F", "huber_loss", [T(A), T(B)], {"delta": 0.5}),
    ("F", "margin_ranking_loss", [T([1.0, 2.0]), T([2.0, 1.0]), T([1.0, -1.0])], {"margin": 0.5}),
    ("F", "hinge_embedding_loss", [T(A), T([[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0]])], {}),
    ("F", "multi_margin_loss", [T(A), T([2, 0], "int64")], {}),
    ("F", "multilabel_margin_loss", [T(A), T([[2, -1, 0], [1, 0, -1]], "int64")], {}),
    ("F", "multilabel_soft_margin_loss", [T(A), T([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])], {}),
    ("F", "soft_margin_loss", [T(A), T([[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0]])], {}),
    ("F", "triplet_margin_loss", [T(A), T(B), T(P)], {}),
    ("F", "cosine_embedding_loss", [T(A), T(B), T([1.0, -1.0])], {}),
    ("F", "poisson_nll_loss", [T(A), T(P)], {}),
    ("F", "gaussian_nll_loss", [T(A), T(B), T(P)], {}),
]


def build(a):
    if isinstance(a, dict) and "t" in a:
        return torch.tensor(a["t"], dtype=getattr(torch, a["dtype"]))
    if isinstance(a, list) and a and isinstance(a[0], dict):
        return [build(x) for x in a]
    return a


def enc_num(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def enc(r):
    if isinstance(r, torch.Tensor):
        flat = r.detach().reshape(-1).tolist()
        return {"shape": list(r.shape), "dtype": str(r.dtype).replace("torch.", ""), "values": [enc_num(v) for v in flat]}
    if isinstance(r, (tuple, list)):
        return [enc(x) for x in r]
    return enc_num(r)


def enc_arg(a):
    if isinstance(a, torch.dtype):
        return {"dtype": str(a).replace("torch.", "")}
    if isinstance(a, dict) and "t" in a:
        t = build(a)
        return {"t": [enc_num(v) for v in t.reshape(-1).tolist()], "shape": list(t.shape), "dtype": a["dtype"]}
    if isinstance(a, list):
        return [enc_arg(x) for x in a]
    return a


def run(ns, name, args, kwargs):
    targs = [build(a) for a in args]
    tkw = {k: build(v) for k, v in kwargs.items()}
    if ns == "torch":
        return getattr(torch, name)(*targs, **tkw)
    if ns == "method":
        return getattr(targs[0], name)(*targs[1:], **tkw)
    if ns == "linalg":
        return getattr(torch.linalg, name)(*targs, **tkw)
    return getattr(F, name)(*targs, **tkw)


SIG_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+)\((.*)\)\s*->")


def parse_params(text):
    """`input, dim, keepdim=False, *, dtype=None` -> [(name, has_default, keyword_only)]."""
    params, kw_only = [], False
    for p in [p.strip() for p in text.split(",") if p.strip()]:
        if p == "*":
            kw_only = True
            continue
        m = re.match(r"\*?\*?(\w+)", p)
        if m is None:  # a docstring fragment that is no parameter (`[...]`): this line is no signature
            return None
        params.append((m.group(1), "=" in p, kw_only))
    return params


def signatures(ns, name):
    """Every signature PyTorch documents for the function (its overloads), each a parameter list
    with the input first: from the docstrings of torch.<name> and Tensor.<name>, or inspect for F."""
    if ns == "F":
        try:
            sig = inspect.signature(getattr(F, name))
        except (TypeError, ValueError):
            return []
        return [[(p.name, p.default is not inspect.Parameter.empty, p.kind == inspect.Parameter.KEYWORD_ONLY) for p in sig.parameters.values()]]
    out = []
    sources = [(getattr(torch.linalg, name, None) if ns == "linalg" else getattr(torch, name, None), False), (getattr(torch.Tensor, name, None), True)]
    for obj, is_method in sources:
        for line in (getattr(obj, "__doc__", None) or "").split("\n"):
            m = SIG_LINE.match(line)
            if m and m.group(1) == name:
                params = parse_params(m.group(2))
                if params is not None:
                    out.append(([("input", False, False)] + params) if is_method else params)
    return out


def fits(params, nargs, kwargs):
    """Whether a signature takes the call: its positional arguments, keywords, and every required parameter."""
    positional = [p for p in params if not p[2]]
    names = {p[0] for p in params}
    required = all(i < nargs or p[0] in kwargs for i, p in enumerate(params) if not p[1] and not p[2])
    return nargs <= len(positional) and all(k in names for k in kwargs) and required


def variants(ns, name, args, kwargs):
    """The calling forms a PyTorch user writes for one call: the call itself; its method or function
    twin; its keywords given positionally (where PyTorch allows it without a gap); its optional
    positional arguments given as keywords; and keepdim=True where it reduces along a dim."""
    forms = [(ns, name, args, dict(kwargs))]
    tensor_first = bool(args) and isinstance(args[0], dict) and "t" in args[0]
    if ns == "torch" and tensor_first and hasattr(torch.Tensor, name):
        forms.append(("method", name, args, dict(kwargs)))
    if ns == "method" and hasattr(torch, name):
        forms.append(("torch", name, args, dict(kwargs)))
    sigs = [p for p in signatures(ns, name) if fits(p, len(args), kwargs)]
    if sigs:
        params = sigs[0]
        positional = [p for p in params if not p[2]]
        # Keywords positionally: each keyword must be the next positional parameter, in order.
        if kwargs:
            rest = positional[len(args):]
            order = [p[0] for p in rest[:len(kwargs)]]
            if sorted(order) == sorted(kwargs) and len(order) == len(kwargs):
                for f in list(forms):
                    forms.append((f[0], f[1], args + [kwargs[k] for k in order], {}))
        # Optional positional arguments (those with a default) as keywords, from the last one back.
        moved = {}
        for i in range(len(args) - 1, 0, -1):
            p = positional[i] if i < len(positional) else None
            if p is None or not p[1]:
                break
            moved = {p[0]: args[i], **moved}
            for f in list(forms[:2]):
                forms.append((f[0], f[1], args[:i], {**moved, **kwargs}))
        # nn.functional keywords positionally with the parameters before them at their defaults
        # (`F.normalize(x, 2.0, 0)` for `F.normalize(x, dim=0)`), where those defaults are plain values
        # and not the deprecated size_average/reduce nobody passes.
        if ns == "F" and kwargs:
            sig = inspect.signature(getattr(F, name)).parameters
            plist = [q for q in sig.values() if q.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
            last = max((i for i, q in enumerate(plist) if q.name in kwargs), default=-1)
            if all(k in [q.name for q in plist] for k in kwargs) and last >= len(args):
                fill = plist[len(args):last + 1]
                plain = all(q.name in kwargs or (not q.name.startswith("_") and q.name not in ("size_average", "reduce") and isinstance(q.default, (bool, int, float, str))) for q in fill)
                if plain:
                    forms.append((ns, name, args + [kwargs[q.name] if q.name in kwargs else q.default for q in fill], {}))
        names = [p[0] for p in params]
        dim_given = "dim" in kwargs or ("dim" in names and names.index("dim") < len(args))
        if "keepdim" in names and dim_given and "keepdim" not in kwargs and names.index("keepdim") >= len(args):
            for f in list(forms[:2]):
                forms.append((f[0], f[1], args, {**kwargs, "keepdim": True}))
    return forms


def main():
    out = []
    seen = set()
    for ns, name, args, kwargs in CALLS:
        base = run(ns, name, args, kwargs)
        for vns, vname, vargs, vkw in variants(ns, name, args, kwargs):
            key = json.dumps([vns, vname, [enc_arg(a) for a in vargs], {k: enc_arg(v) for k, v in vkw.items()}], sort_keys=True)
            if key in seen:
                continue
            try:
                r = run(vns, vname, vargs, vkw)
            except (TypeError, RuntimeError) as e:
                # A form PyTorch itself refuses (a keyword-only parameter, an overload it lacks): not a form users write.
                continue
            seen.add(key)
            out.append({"ns": vns, "name": vname, "args": [enc_arg(a) for a in vargs], "kwargs": {k: enc_arg(v) for k, v in vkw.items()}, "result": enc(r)})
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "issue10-audit.json")
    with open(path, "w") as f:
        f.write('{"torch": %s, "calls": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c) for c in out))
        f.write("\n]}\n")
    print(f"wrote {path}: {len(out)} calls")


if __name__ == "__main__":
    main()
