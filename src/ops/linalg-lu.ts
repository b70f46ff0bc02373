/**
 * The float64 kernels and input checks shared by torch.linalg's solvers and decompositions
 * (linalg-solve.ts, linalg-decomp.ts): LU with partial pivoting as LAPACK's getrf, triangular
 * solves, and the loop over the matrices of a batch. Every matrix is copied to a Float64Array and
 * factored there, whatever the tensor's dtype, and the result rounded once when written back: the
 * solvers' float32 results are then at least as accurate as PyTorch's float32 LAPACK calls (they
 * agree to float32 precision, not bit for bit).
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import type { DType } from "../tensor/dtype.js";
import { contiguous, detach } from "./shape.js";

/** PyTorch's ScalarType names, for the messages that quote PyTorch's. */
const TORCH_NAMES: Record<DType, string> = {
  float32: "Float", float64: "Double", float16: "Half", bfloat16: "BFloat16", int64: "Long", int32: "Int", int16: "Short", int8: "Char", uint8: "Byte", bool: "Bool",
};
export const torchTypeName = (d: DType): string => TORCH_NAMES[d];

/** PyTorch's dtype check of its LAPACK ops: float32 or float64 (the 16-bit types have no CPU kernel). */
export function checkFloat(op: string, x: Tensor, name = "A"): void {
  if (x.dtype === "float32" || x.dtype === "float64") return;
  if (x.dtype === "float16" || x.dtype === "bfloat16") {
    throw new Error(`${op}: ${x.dtype} is not supported (PyTorch has no CPU kernel for ${torchTypeName(x.dtype)} either); use ${name}.float() or ${name}.double()`);
  }
  throw new Error(`${op}: Expected a floating point or complex tensor as input. Got ${torchTypeName(x.dtype)} (use ${name}.float() or ${name}.double())`);
}

/** At least 2 dims, as PyTorch's checks say it. */
export function checkMatrix(op: string, x: Tensor, name = "A"): void {
  if (x.ndim < 2) throw new Error(`${op}: The input tensor ${name} must have at least 2 dimensions (got shape ${fmt(x.shape)}).`);
}

/** A float32/float64 batch of square matrices [..., n, n], or PyTorch's error naming `op`. */
export function checkSquare(op: string, x: Tensor, name = "A", dtype = true): void {
  if (dtype) checkFloat(op, x, name);
  checkMatrix(op, x, name);
  const [m, n] = x.shape.slice(-2);
  if (m !== n) throw new Error(`${op}: ${name} must be batches of square matrices, but they are ${m} by ${n} matrices`);
}

/** "(Batch element 3): " for a batch of matrices, "" for a single one, as PyTorch's LAPACK errors. */
export const batchPrefix = (x: Tensor, b: number): string => (x.ndim > 2 ? `(Batch element ${b}): ` : "");

/** The number of matrices in a [..., m, n] batch. */
export const batchCount = (shape: readonly number[]): number => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/** Each matrix of the [..., m, n] tensor x (values only), as a fresh row-major Float64Array, with its batch index. */
export function eachMatrix(x: Tensor, f: (a: Float64Array, b: number) => void): void {
  const [m, n] = x.shape.slice(-2);
  const count = batchCount(x.shape);
  if (count === 0) return;
  const data = contiguous(detach(x)).data();
  for (let b = 0; b < count; b++) f(Float64Array.from(data.subarray(b * m * n, (b + 1) * m * n)), b);
}

/** A tensor of `shape` and `dtype` filled from `fill(out, b)` once per matrix block of `block` values. */
export function fromBlocks(shape: readonly number[], dtype: DType, block: number, count: number, fill: (b: number) => ArrayLike<number>): Tensor {
  const out = Tensor.empty(shape, dtype);
  const data = out.storage.data as Float32Array | Float64Array;
  for (let b = 0; b < count; b++) data.set(fill(b), b * block);
  return out;
}

export interface Lu {
  /** L (unit lower, below the diagonal) and U (on and above it), row-major n×n. */
  lu: Float64Array;
  /** perm[i]: the original row now at row i. */
  perm: Int32Array;
  /** +1 or -1: the parity of the row swaps. */
  sign: number;
  /** LAPACK's info: 0, or 1 + the first i with U[i, i] exactly zero. */
  info: number;
}

/**
 * LU with partial pivoting of the row-major n×n matrix `a` (overwritten), as LAPACK's getrf: in each
 * column the row with the largest |value| is the pivot (the first of equals), and a zero pivot column
 * is skipped rather than stopping, so `info` names the first zero diagonal element as PyTorch's
 * errors do.
 */
export function luFactor(a: Float64Array, n: number): Lu {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1, info = 0;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) { best = v; p = i; }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
      sign = -sign;
    }
    const pivot = a[k * n + k];
    if (pivot === 0) {
      if (info === 0) info = k + 1;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k] /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
    }
  }
  return { lu: a, perm, sign, info };
}

/** X = A⁻¹B for the factored A (info 0) and the row-major n×k matrix b; returns a new n×k array. */
export function luSolve({ lu, perm }: Lu, b: ArrayLike<number>, n: number, k: number): Float64Array {
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) x[i * k + j] = b[perm[i] * k + j];
  // L y = P b (unit diagonal), then U x = y.
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < i; l++) {
      const f = lu[i * n + l];
      if (f !== 0) for (let j = 0; j < k; j++) x[i * k + j] -= f * x[l * k + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let l = i + 1; l < n; l++) {
      const f = lu[i * n + l];
      if (f !== 0) for (let j = 0; j < k; j++) x[i * k + j] -= f * x[l * k + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < k; j++) x[i * k + j] /= d;
  }
  return x;
}

/**
 * X = A⁻¹B from the LU factor of Aᵀ (Aᵀ = P·L·U, so A = Uᵀ·Lᵀ·Pᵀ), as LAPACK's getrs with trans 'T':
 * Uᵀ solved forwards, Lᵀ backwards, then the rows permuted. PyTorch's solve and inv work this way (its
 * row-major matrix is the column-major Aᵀ), which decides which diagonal element of U their errors
 * name and where a singular matrix's infinities and NaNs fall.
 */
export function luSolveTransposed({ lu, perm }: Lu, b: ArrayLike<number>, n: number, k: number): Float64Array {
  const z = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < i; l++) {
      const f = lu[l * n + i];
      if (f !== 0) for (let j = 0; j < k; j++) z[i * k + j] -= f * z[l * k + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < k; j++) z[i * k + j] /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let l = i + 1; l < n; l++) {
      const f = lu[l * n + i];
      if (f !== 0) for (let j = 0; j < k; j++) z[i * k + j] -= f * z[l * k + j];
    }
  }
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) x[perm[i] * k + j] = z[i * k + j];
  return x;
}

/** The row-major n×n transpose of `a`. */
export function transposed(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}

/** The n×n identity as a row-major Float64Array. */
export function identity(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}
