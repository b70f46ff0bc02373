/**
 * torch.linalg's norms: vectorNorm (any order, over any dims), matrixNorm (Frobenius, the induced
 * 1/inf norms, and the nuclear and spectral norms from singular values) and norm (which picks between them as PyTorch does). Exposed as
 * `linalg.norm`, `linalg.vectorNorm`, `linalg.matrixNorm`.
 */
import type { Tensor } from "../tensor/tensor.js";
import { fmt, normalizeDim, normalizeDims } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { argError, declareOptionalArgs } from "../tensor/check.js";
import { abs } from "./elementwise.js";
import { type KeepDim, amax, amin, keepdimOf, norm as pNorm, sum } from "./reduce.js";
import { permute, unsqueeze } from "./shape.js";
import { svdvals } from "./linalg-svd.js";

type Dims = number | readonly number[];

// ord and dim may come in the options object too (API.md rule 3): `linalg.vectorNorm(x, { ord: 1, dim: 1 })`.
const NORM_ARGS = { first: 1, names: ["ord", "dim"], bag: ["keepdim"] } as const;
const OPTIONAL_ARGS = declareOptionalArgs({ "linalg.vectorNorm": NORM_ARGS, "linalg.matrixNorm": NORM_ARGS, "linalg.norm": NORM_ARGS });
/** By the names the linalg namespace exports them under, for the types of the options-object forms. */
export type LinalgNormOptionalArgs = {
  vectorNorm: (typeof OPTIONAL_ARGS)["linalg.vectorNorm"]; matrixNorm: (typeof OPTIONAL_ARGS)["linalg.matrixNorm"]; norm: (typeof OPTIONAL_ARGS)["linalg.norm"];
};

/** `vectorNorm(x, ord=2, dim?, keepdim)`: (sum |x|^ord)^(1/ord) over dims (all when omitted); ord ±Infinity and 0 too. */
export function vectorNorm(x: Tensor, ord = 2, dim?: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("vectorNorm", keepdimArg);
  // A string ord (matrixNorm's "fro") would otherwise reach pow() and be reported as its operand.
  if (typeof ord !== "number") throw argError("linalg.vectorNorm", "ord", 'a number (2, 1, Infinity, -Infinity or 0; "fro" and "nuc" are linalg.matrixNorm\'s)', ord);
  if (!isFloating(x.dtype)) throw new Error(`linalg.vectorNorm: expects a floating point tensor, got ${x.dtype} (use x.float())`);
  if (Number.isNaN(ord)) throw new Error("linalg.vectorNorm: ord must be a number, got NaN");
  const axes = normalizeDims(dim, x.ndim, "linalg.vectorNorm");
  if (x.numel() === 0 && (ord === -Infinity || ord === Infinity || ord < 0) && axes.some((d) => x.shape[d] === 0)) {
    throw new Error(`linalg.vectorNorm: ord ${ord} of an empty reduction (shape ${fmt(x.shape)}) is undefined`);
  }
  // reduce.ts's norm: amax/amin of |x| for ±Infinity, the count of non-zeros for 0 (NaN counts; a zero
  // gradient), the sum of |x| for 1, and the p-norm op otherwise, negative ords included (its gradient
  // is 0 at a zero element and for a zero norm, as PyTorch's).
  return pNorm(x, ord, axes, keepdim);
}

/** `matrixNorm(A, "fro" | "nuc" | 1 | -1 | Infinity | -Infinity | 2 | -2, dim=[-2, -1], keepdim)`. */
export function matrixNorm(x: Tensor, ord: "fro" | "nuc" | number = "fro", dim: readonly [number, number] = [-2, -1], keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("matrixNorm", keepdimArg);
  if (x.ndim < 2) throw new Error(`linalg.matrixNorm: expects at least 2 dims, got ${fmt(x.shape)}`);
  const d0 = normalizeDim(dim[0], x.ndim, "linalg.matrixNorm"), d1 = normalizeDim(dim[1], x.ndim, "linalg.matrixNorm");
  if (d0 === d1) throw new Error(`linalg.matrixNorm: dims must differ, got ${fmt(dim)}`);
  if (ord === "fro") return vectorNorm(x, 2, [d0, d1], keepdim);
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // Induced norms: the largest (smallest) absolute column sum (ord ±1) or row sum (ord ±inf).
    const [sumDim, pickDim] = Math.abs(ord) === 1 ? [d0, d1] : [d1, d0];
    const sums = sum(abs(x), sumDim, true);
    const r = (ord > 0 ? amax : amin)(sums, pickDim, true);
    return keepdim ? r : r.squeeze(Math.max(d0, d1)).squeeze(Math.min(d0, d1));
  }
  if (ord === "nuc" || ord === 2 || ord === -2) {
    // As PyTorch: the singular values of the matrices in (d0, d1), then their sum, largest or smallest.
    const rest = x.shape.map((_, d) => d).filter((d) => d !== d0 && d !== d1);
    const sv = svdvals(permute(x, [...rest, d0, d1]));
    const r = ord === "nuc" ? sum(sv, -1) : ord === 2 ? amax(sv, -1) : amin(sv, -1);
    return keepdim ? unsqueeze(unsqueeze(r, Math.min(d0, d1)), Math.max(d0, d1)) : r;
  }
  throw new Error(`linalg.matrixNorm: ord ${JSON.stringify(ord)} is not a matrix norm; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity`);
}

/**
 * `linalg.norm(x)`: the 2-norm of all elements; `linalg.norm(x, ord, dim)` a vector norm when dim is
 * one dim (or x is 1-D), a matrix norm when dim is two dims (or x is 2-D), as PyTorch chooses.
 */
export function norm(x: Tensor, ord?: "fro" | "nuc" | number, dim?: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("norm", keepdimArg);
  const dims = dim === undefined ? undefined : typeof dim === "number" ? [dim] : [...dim];
  if (dims && dims.length === 2) return matrixNorm(x, ord ?? "fro", [dims[0], dims[1]], keepdim);
  if (dims && dims.length === 1) {
    if (typeof ord === "string") throw new Error(`linalg.norm: ord "${ord}" is a matrix norm; give two dims (e.g. dim [-2, -1]) or a numeric ord`);
    return vectorNorm(x, ord ?? 2, dims, keepdim);
  }
  if (dims) throw new Error(`linalg.norm: dim must be one or two dims, got ${fmt(dims)}`);
  if (ord === undefined) return vectorNorm(x, 2, undefined, keepdim);
  if (x.ndim === 1 && typeof ord === "number") return vectorNorm(x, ord, undefined, keepdim);
  if (x.ndim === 2) return matrixNorm(x, ord, [-2, -1], keepdim);
  throw new Error(`linalg.norm: with ord ${JSON.stringify(ord)} and no dim the input must be 1-D or 2-D, got ${fmt(x.shape)}; give dim`);
}
