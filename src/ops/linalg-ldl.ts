/**
 * torch.linalg's LDLᵀ functions: ldlFactor / ldlFactorEx (Bunch-Kaufman diagonal pivoting as LAPACK's
 * sytrf with uplo 'L', PyTorch's call) and ldlSolve (LAPACK's sytrs). A = P·L·D·Lᵀ·Pᵀ with L unit
 * lower triangular and D block diagonal with 1×1 and 2×2 blocks. Packed as LAPACK packs it: L below
 * the diagonal, D on it (and a 2×2 block's off-diagonal entry below it), the strict upper triangle
 * zero (PyTorch zeroes it); the pivots are LAPACK's 1-based int32 ipiv, negative twice for a 2×2 block.
 * Computed in float64 and rounded once, following sytrf's unblocked path (sytf2) step for step: LD
 * and the pivots are PyTorch's to rounding up to n = 64, and above (where LAPACK's sytrf works in
 * blocks of 64) the same pivots were chosen at n = 65, 100 and 200 with LD within 1e-12; only a pivot
 * comparison that falls within rounding could go the other way. No gradients (PyTorch has none).
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { declareOptions } from "../tensor/check.js";
import { tensor } from "../tensor/creation.js";
import { apply, defineOp } from "./op.js";
import { contiguous, reshape } from "./shape.js";
import { namedTuple } from "./named-tuple.js";
import { batchCount, batchPrefix, checkFloat, checkMatrix, checkSquare, eachMatrix, fromBlocks, torchTypeName } from "./linalg-lu.js";

const ALPHA = (1 + Math.sqrt(17)) / 8; // Bunch-Kaufman's growth bound

/**
 * dsytf2 (uplo 'L') on the row-major n×n `a`, reading and overwriting its lower triangle; returns
 * the 1-based pivots and LAPACK's info (0, or the first k with D[k, k] exactly zero, 1-based). A[i, j]
 * for i >= j is a[i * n + j] (column-major lower = row-major lower of the symmetric matrix).
 */
export function sytf2(a: Float64Array, n: number): { ipiv: Int32Array; info: number } {
  const A = (i: number, j: number): number => a[i * n + j];
  const set = (i: number, j: number, v: number): void => { a[i * n + j] = v; };
  const swap = (i1: number, j1: number, i2: number, j2: number): void => {
    const t = A(i1, j1);
    set(i1, j1, A(i2, j2));
    set(i2, j2, t);
  };
  const ipiv = new Int32Array(n);
  let info = 0;
  for (let k = 0; k < n;) {
    let kstep = 1, kp = k;
    const absakk = Math.abs(A(k, k));
    // The largest off-diagonal entry of column k (the first of equals, as idamax).
    let imax = k, colmax = 0;
    if (k < n - 1) {
      imax = k + 1;
      colmax = Math.abs(A(k + 1, k));
      for (let i = k + 2; i < n; i++) {
        if (Math.abs(A(i, k)) > colmax) {
          colmax = Math.abs(A(i, k));
          imax = i;
        }
      }
    }
    if (Math.max(absakk, colmax) === 0 || Number.isNaN(absakk)) {
      if (info === 0) info = k + 1;
    } else {
      if (absakk >= ALPHA * colmax) kp = k;
      else {
        // The largest off-diagonal entry of row / column imax in the trailing matrix.
        let rowmax = 0;
        for (let j = k; j < imax; j++) rowmax = Math.max(rowmax, Math.abs(A(imax, j)));
        for (let i = imax + 1; i < n; i++) rowmax = Math.max(rowmax, Math.abs(A(i, imax)));
        if (absakk >= ALPHA * colmax * (colmax / rowmax)) kp = k;
        else if (Math.abs(A(imax, imax)) >= ALPHA * rowmax) kp = imax;
        else {
          kp = imax;
          kstep = 2;
        }
      }
      const kk = k + kstep - 1;
      if (kp !== kk) {
        // Rows and columns kk and kp of the trailing matrix interchanged (its lower triangle).
        for (let i = kp + 1; i < n; i++) swap(i, kk, i, kp);
        for (let j = kk + 1; j < kp; j++) swap(j, kk, kp, j);
        swap(kk, kk, kp, kp);
        if (kstep === 2) swap(k + 1, k, kp, k);
      }
      if (kstep === 1) {
        // A22 -= x·xᵀ / d, x = column k below the diagonal, then x /= d (L's column).
        const d11 = 1 / A(k, k);
        for (let j = k + 1; j < n; j++) {
          const t = -d11 * A(j, k);
          if (t !== 0) for (let i = j; i < n; i++) a[i * n + j] += A(i, k) * t;
        }
        for (let i = k + 1; i < n; i++) a[i * n + k] *= d11;
      } else if (k < n - 2) {
        let d21 = A(k + 1, k);
        const d11 = A(k + 1, k + 1) / d21, d22 = A(k, k) / d21;
        const t = 1 / (d11 * d22 - 1);
        d21 = t / d21;
        for (let j = k + 2; j < n; j++) {
          const wk = d21 * (d11 * A(j, k) - A(j, k + 1));
          const wkp1 = d21 * (d22 * A(j, k + 1) - A(j, k));
          for (let i = j; i < n; i++) a[i * n + j] -= A(i, k) * wk + A(i, k + 1) * wkp1;
          set(j, k, wk);
          set(j, k + 1, wkp1);
        }
      }
    }
    if (kstep === 1) ipiv[k] = kp + 1;
    else ipiv[k] = ipiv[k + 1] = -(kp + 1);
    k += kstep;
  }
  return { ipiv, info };
}

/** dsytrs (uplo 'L'): X = A⁻¹·B from the packed row-major n×n LD and ipiv, B row-major n×r (overwritten). */
export function sytrs(ld: ArrayLike<number>, ipiv: ArrayLike<number>, b: Float64Array, n: number, r: number): void {
  const A = (i: number, j: number): number => ld[i * n + j];
  const swapRows = (p: number, q: number): void => {
    for (let j = 0; j < r; j++) {
      const t = b[p * r + j];
      b[p * r + j] = b[q * r + j];
      b[q * r + j] = t;
    }
  };
  // L·D·Y = Pᵀ·B, forwards.
  for (let k = 0; k < n;) {
    if (ipiv[k] > 0) {
      const kp = ipiv[k] - 1;
      if (kp !== k) swapRows(k, kp);
      for (let i = k + 1; i < n; i++) {
        const l = A(i, k);
        if (l !== 0) for (let j = 0; j < r; j++) b[i * r + j] -= l * b[k * r + j];
      }
      const d = 1 / A(k, k);
      for (let j = 0; j < r; j++) b[k * r + j] *= d;
      k += 1;
    } else {
      const kp = -ipiv[k] - 1;
      if (kp !== k + 1) swapRows(k + 1, kp);
      for (let i = k + 2; i < n; i++) {
        const l0 = A(i, k), l1 = A(i, k + 1);
        for (let j = 0; j < r; j++) b[i * r + j] -= l0 * b[k * r + j] + l1 * b[(k + 1) * r + j];
      }
      const akm1k = A(k + 1, k), akm1 = A(k, k) / akm1k, ak = A(k + 1, k + 1) / akm1k, denom = akm1 * ak - 1;
      for (let j = 0; j < r; j++) {
        const bkm1 = b[k * r + j] / akm1k, bk = b[(k + 1) * r + j] / akm1k;
        b[k * r + j] = (ak * bkm1 - bk) / denom;
        b[(k + 1) * r + j] = (akm1 * bk - bkm1) / denom;
      }
      k += 2;
    }
  }
  // Lᵀ·(Pᵀ·X) = Y, backwards.
  for (let k = n - 1; k >= 0;) {
    const two = ipiv[k] < 0;
    for (const c of two ? [k, k - 1] : [k]) {
      for (let i = k + 1; i < n; i++) {
        const l = A(i, c);
        if (l !== 0) for (let j = 0; j < r; j++) b[c * r + j] -= l * b[i * r + j];
      }
    }
    const kp = (two ? -ipiv[k] : ipiv[k]) - 1;
    if (kp !== k) swapRows(k, kp);
    k -= two ? 2 : 1;
  }
}

/** LD and the pivots packed side by side, [..., n, n + 1] (pivots as float in the last column), and info per matrix. */
const ldlOp = defineOp<{ n: number }>({
  name: "linalgLdlFactor",
  forward([x], { n }) {
    const blocks: Float64Array[] = [];
    eachMatrix(x, (a) => {
      const { ipiv, info } = sytf2(a, n);
      const packed = new Float64Array(n * (n + 1) + 1);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) packed[i * (n + 1) + j] = a[i * n + j];
        packed[i * (n + 1) + n] = ipiv[i];
      }
      packed[n * (n + 1)] = info;
      blocks.push(packed);
    });
    const size = n * (n + 1) + 1;
    return fromBlocks([...x.shape.slice(0, -2), size], "float64", size, batchCount(x.shape), (b) => blocks[b]);
  },
  backward: () => {
    throw new Error("linalg.ldlFactor: the derivative for 'linalg_ldl_factor_ex' is not implemented (as PyTorch)");
  },
});

function checkHermitian(op: string, hermitian: unknown): void {
  if (typeof hermitian !== "boolean") throw new Error(`${op}: hermitian must be true or false, got ${String(hermitian)}`);
}

function factor(op: string, A: Tensor, hermitian: unknown): { LD: Tensor; pivots: Tensor; info: number[] } {
  checkHermitian(op, hermitian);
  if (!(A instanceof Tensor)) throw new Error(`${op}: A must be a Tensor, got ${typeof A}`);
  checkSquare(op, A);
  if (A.requiresGrad) throw new Error(`${op}: the derivative for 'linalg_ldl_factor_ex' is not implemented (as PyTorch); detach A first`);
  const n = A.shape[A.ndim - 1];
  const batch = A.shape.slice(0, -2);
  const packed = apply(ldlOp, [A], { n });
  const data = packed.data();
  const size = n * (n + 1) + 1;
  const count = batchCount(A.shape);
  const ld = new Float64Array(count * n * n), piv: number[] = [], info: number[] = [];
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) ld[b * n * n + i * n + j] = data[b * size + i * (n + 1) + j];
      piv.push(data[b * size + i * (n + 1) + n]);
    }
    info.push(data[b * size + n * (n + 1)]);
  }
  const LD = fromBlocks(A.shape, A.dtype, ld.length, 1, () => ld);
  return { LD, pivots: reshape(tensor(piv, { dtype: "int32" }), [...batch, n]), info };
}

/** `linalg.ldlFactor`'s option. */
export interface LdlOptions {
  /** Read A as hermitian rather than symmetric: the same for real matrices (PyTorch's keyword). */
  hermitian?: boolean;
}

/** `{ LD, pivots }`, also `[LD, pivots]` (torch.return_types.linalg_ldl_factor). */
export type LdlFactorTuple = [Tensor, Tensor] & { readonly LD: Tensor; readonly pivots: Tensor };
/** `{ LD, pivots, info }`, also `[LD, pivots, info]` (torch.return_types.linalg_ldl_factor_ex). */
export type LdlFactorExTuple = [Tensor, Tensor, Tensor] & { readonly LD: Tensor; readonly pivots: Tensor; readonly info: Tensor };

const singularError = (op: string, A: Tensor, b: number, k: number): Error =>
  new Error(`${op}: ${batchPrefix(A, b)}The factorization could not be completed because the input is singular: D[${k - 1}, ${k - 1}] is exactly zero (LAPACK's sytrf info ${k}); linalg.ldlFactorEx gives the factor anyway`);

/**
 * `linalg.ldlFactor(A, { hermitian })`: the LDLᵀ factorization with Bunch-Kaufman pivoting of each
 * symmetric matrix of a [..., n, n] batch (its lower triangle read), packed as LAPACK's sytrf: LD
 * (L below the diagonal, D's 1×1 and 2×2 blocks on and next to it, zero above) and 1-based int32
 * pivots (negative for a 2×2 block). A singular D is an error (PyTorch 1.13 fails there with an
 * internal assert); `ldlFactorEx` returns it with `info`. No gradient (PyTorch has none).
 *
 * @example const { LD, pivots } = linalg.ldlFactor(tensor([[4, 2], [2, 3]], { dtype: "float64" })) // LD [[4, 0], [0.5, 2]], pivots [1, 2]
 */
export function ldlFactor(A: Tensor, opts: LdlOptions = {}): LdlFactorTuple {
  const op = "linalg.ldlFactor";
  const { LD, pivots, info } = factor(op, A, opts.hermitian ?? false);
  const bad = info.findIndex((v) => v > 0);
  if (bad >= 0) throw singularError(op, A, bad, info[bad]);
  return namedTuple<LdlFactorTuple>(["LD", "pivots"], [LD, pivots]);
}

/**
 * `linalg.ldlFactorEx(A, { hermitian, checkErrors })`: `ldlFactor` that reports a singular D in
 * `info` (int32 per matrix: 0, or the first k with D[k-1, k-1] exactly zero) instead of throwing,
 * unless `checkErrors`.
 *
 * @example linalg.ldlFactorEx(tensor([[1, 0], [0, 0]], { dtype: "float64" })).info // 2
 */
export function ldlFactorEx(A: Tensor, opts: LdlOptions & { checkErrors?: boolean } = {}): LdlFactorExTuple {
  const op = "linalg.ldlFactorEx";
  const { checkErrors = false } = opts;
  if (typeof checkErrors !== "boolean") throw new Error(`${op}: checkErrors must be true or false, got ${String(checkErrors)}`);
  const { LD, pivots, info } = factor(op, A, opts.hermitian ?? false);
  const bad = info.findIndex((v) => v > 0);
  if (checkErrors && bad >= 0) throw singularError(op, A, bad, info[bad]);
  return namedTuple<LdlFactorExTuple>(["LD", "pivots", "info"], [LD, pivots, reshape(tensor(info, { dtype: "int32" }), A.shape.slice(0, -2))]);
}

const ldlSolveOp = defineOp<{ n: number; r: number }>({
  name: "linalgLdlSolve",
  forward([ld, piv, b], { n, r }) {
    const ldData = contiguous(ld).data(), pivData = contiguous(piv).data();
    const out = Tensor.empty(b.shape, b.dtype);
    const data = out.storage.data as Float32Array | Float64Array;
    eachMatrix(b, (x, i) => {
      sytrs(ldData.subarray(i * n * n, (i + 1) * n * n), pivData.subarray(i * n, (i + 1) * n), x, n, r);
      data.set(x, i * n * r);
    });
    return out;
  },
  backward: () => {
    throw new Error("linalg.ldlSolve: the derivative for 'linalg_ldl_solve' is not implemented (as PyTorch)");
  },
});

/**
 * `linalg.ldlSolve(LD, pivots, B, { hermitian })`: X with A·X = B from `ldlFactor`'s LD and pivots
 * (LAPACK's sytrs), B [..., n, k], batch dimensions broadcast as PyTorch's. No gradient (PyTorch has none).
 *
 * @example linalg.ldlSolve(...linalg.ldlFactor(A), B) // = linalg.solve(A, B)
 */
export function ldlSolve(LD: Tensor, pivots: Tensor, B: Tensor, opts: LdlOptions = {}): Tensor {
  const op = "linalg.ldlSolve";
  checkHermitian(op, opts.hermitian ?? false);
  for (const [name, t] of [["LD", LD], ["pivots", pivots], ["B", B]] as const) {
    if (!(t instanceof Tensor)) throw new Error(`${op}: ${name} must be a Tensor, got ${typeof t}`);
  }
  checkSquare(op, LD, "LD");
  checkFloat(op, B, "B");
  checkMatrix(op, B, "B");
  if (LD.dtype !== B.dtype) throw new Error(`${op}: Expected B and LD to have the same dtype, but found B of type ${torchTypeName(B.dtype)} and LD of type ${torchTypeName(LD.dtype)} instead.`);
  if (pivots.dtype !== "int32" && pivots.dtype !== "int64") throw new Error(`${op}: pivots should be an int32 Tensor (linalg.ldlFactor's), got ${pivots.dtype}`);
  const n = LD.shape[LD.ndim - 1];
  if (pivots.ndim !== LD.ndim - 1 || pivots.shape.some((s, i) => s !== [...LD.shape.slice(0, -2), n][i])) {
    throw new Error(`${op}: pivots of shape ${fmt(pivots.shape)} do not fit LD of shape ${fmt(LD.shape)} (expected ${fmt([...LD.shape.slice(0, -2), n])})`);
  }
  const [rb, r] = B.shape.slice(-2);
  if (rb !== n) throw new Error(`${op}: Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix is ${n} by ${n} but each b matrix is ${rb} by ${r}`);
  if (LD.requiresGrad || B.requiresGrad) throw new Error(`${op}: the derivative for 'linalg_ldl_solve' is not implemented (as PyTorch); detach LD and B first`);
  const piv = contiguous(pivots).data();
  for (let i = 0; i < piv.length; i++) {
    const p = Number(piv[i]);
    if (!(p !== 0 && Math.abs(p) <= n)) throw new Error(`${op}: pivots must be LAPACK's 1-based pivots in [-${n}, ${n}] without 0, as linalg.ldlFactor gives`);
  }
  // Batch dimensions broadcast (LD's and B's).
  const batchLd = LD.shape.slice(0, -2), batchB = B.shape.slice(0, -2);
  const len = Math.max(batchLd.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < len; i++) {
    const x = batchLd[batchLd.length - len + i] ?? 1, y = batchB[batchB.length - len + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`${op}: the batch dimensions of LD ${fmt(batchLd)} and B ${fmt(batchB)} do not broadcast`);
    batch.push(x === 1 ? y : x);
  }
  const ld = LD.expand([...batch, n, n]).contiguous();
  const pv = reshape(tensor(Array.from(piv, Number), { dtype: "float64" }), pivots.shape).expand([...batch, n]).contiguous();
  const b = B.expand([...batch, n, r]).contiguous();
  return apply(ldlSolveOp, [ld, pv, b], { n, r });
}

declareOptions({ "linalg.ldlFactor": ["hermitian"], "linalg.ldlFactorEx": ["hermitian", "checkErrors"], "linalg.ldlSolve": ["hermitian"] });

