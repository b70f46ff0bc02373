/**
 * torch.linalg's LU functions: luFactor (LAPACK's packed LU and 1-based int32 pivots), lu (P, L, U),
 * luSolve, and torch.lu_unpack. Square and rectangular [..., m, n] batches, computed in float64 as
 * getrf (partial pivoting; PyTorch has no CPU LU without pivoting, and neither does deeptype).
 *
 * One op computes the packed LU; L, U and P come from it by views and masks, so the gradient of
 * every output reaches the op's backward, which is PyTorch's linalg_lu_backward (square, wide and tall
 * cases) in differentiable ops. luSolve is triangular solves on the packed factor (solveTriangular
 * reads one triangle of it) after the row permutation, so its gradients in LU and B are those of
 * the composition, which are PyTorch's.
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { declareOptions } from "../tensor/check.js";
import { tensor } from "../tensor/creation.js";
import { type OpDef, apply, defineOp } from "./op.js";
import { contiguous, detach, narrow, reshape, transpose } from "./shape.js";
import { cat } from "./join.js";
import { add, sub } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { tril, triu } from "./indexing.js";
import { namedTuple } from "./named-tuple.js";
import { batchCount, batchPrefix, checkFloat, checkMatrix, eachMatrix, fromBlocks, torchTypeName } from "./linalg-lu.js";
import { solveTriangular } from "./linalg-extra.js";

const mT = (x: Tensor): Tensor => transpose(x, -1, -2);

/** getrf of the row-major m×n `a` (overwritten with L below the diagonal and U on and above it): 1-based pivots, LAPACK's info. */
function getrf(a: Float64Array, m: number, n: number): { ipiv: Int32Array; info: number } {
  const k = Math.min(m, n);
  const ipiv = new Int32Array(k);
  let info = 0;
  for (let j = 0; j < k; j++) {
    let p = j, best = Math.abs(a[j * n + j]);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(a[i * n + j]);
      if (v > best) { best = v; p = i; }
    }
    ipiv[j] = p + 1;
    if (p !== j) {
      for (let c = 0; c < n; c++) {
        const t = a[j * n + c];
        a[j * n + c] = a[p * n + c];
        a[p * n + c] = t;
      }
    }
    const pivot = a[j * n + j];
    if (pivot === 0) {
      if (info === 0) info = j + 1;
      continue;
    }
    for (let i = j + 1; i < m; i++) {
      const f = (a[i * n + j] /= pivot);
      if (f !== 0) for (let c = j + 1; c < n; c++) a[i * n + c] -= f * a[j * n + c];
    }
  }
  return { ipiv, info };
}

/** The permutation the 1-based pivots make: perm[i] is the original row that ends at row i. */
function permutation(ipiv: ArrayLike<number>, m: number): number[] {
  const perm = Array.from({ length: m }, (_, i) => i);
  for (let j = 0; j < ipiv.length; j++) {
    const p = ipiv[j] - 1;
    [perm[j], perm[p]] = [perm[p], perm[j]];
  }
  return perm;
}

/** P (m×m, A = P·L·U) of each matrix from the pivots [..., k], as a tensor of `dtype`. */
function permutationMatrices(pivots: Tensor, m: number, dtype: Tensor["dtype"]): Tensor {
  const k = pivots.shape[pivots.ndim - 1];
  const batch = pivots.shape.slice(0, -1);
  const count = batch.reduce((a, b) => a * b, 1);
  const piv = contiguous(pivots).data();
  return fromBlocks([...batch, m, m], dtype, m * m, count, (b) => {
    const perm = permutation(piv.subarray(b * k, (b + 1) * k), m);
    const out = new Float64Array(m * m);
    perm.forEach((src, i) => (out[src * m + i] = 1));
    return out;
  });
}

interface LuAttrs { m: number; n: number }

/** The pivots of each matrix of a, as an int32 tensor [..., k], and the info of each. */
function pivotsOf(a: Tensor): { pivots: Tensor; info: number[] } {
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const all: number[] = [], info: number[] = [];
  eachMatrix(a, (mat) => {
    const f = getrf(mat, m, n);
    all.push(...f.ipiv);
    info.push(f.info);
  });
  const pivots = reshape(tensor(all, { dtype: "int32" }), [...a.shape.slice(0, -2), k]);
  return { pivots, info };
}

/** L (m×k, unit diagonal) and U (k×n) of a packed LU. */
function unpackLU(lu: Tensor): [Tensor, Tensor] {
  const [m, n] = lu.shape.slice(-2);
  const k = Math.min(m, n);
  const l = add(tril(narrow(lu, -1, 0, k), -1), eyeLike(lu, m, k));
  return [l, triu(narrow(lu, -2, 0, k))];
}

/** The m×k "identity" (ones on the diagonal), batched as x. */
function eyeLike(x: Tensor, m: number, k: number): Tensor {
  const e = new Float64Array(m * k);
  for (let i = 0; i < Math.min(m, k); i++) e[i * k + i] = 1;
  return fromBlocks([m, k], x.dtype, m * k, 1, () => e);
}

const luFactorOp: OpDef<LuAttrs> = defineOp<LuAttrs>({
  name: "linalgLuFactor",
  forward([a], { m, n }) {
    const blocks: Float64Array[] = [];
    eachMatrix(a, (mat) => {
      getrf(mat, m, n);
      blocks.push(mat);
    });
    return fromBlocks(a.shape, a.dtype, m * n, batchCount(a.shape), (b) => blocks[b]);
  },
  backward: (g, { inputs: [a], output, attrs: { m, n } }) => [luBackward(g, a, output, m, n)],
});

/**
 * The gradient of the packed LU (its strict lower part is L's, the rest U's), as PyTorch's
 * linalg_lu_backward: with P·L·U = A, X = L⁻¹·Pᵀ·dA·U⁻¹ gives dL = L·tril(X, -1), dU = triu(X)·U,
 * so gA = P·L⁻ᵀ·(tril(Lᵀ·gL, -1) + triu(gU·Uᵀ))·U⁻ᵀ for square A; the wide and tall cases add the
 * extra columns of U or rows of L.
 */
function luBackward(g: Tensor, a: Tensor, lu: Tensor, m: number, n: number): Tensor {
  const k = Math.min(m, n);
  const [l, u] = unpackLU(lu);
  const gl = tril(narrow(g, -1, 0, k), -1), gu = triu(narrow(g, -2, 0, k));
  const p = permutationMatrices(pivotsOf(detach(a)).pivots, m, a.dtype);
  // L⁻ᵀ·x (Lᵀ is unit upper) and x·U⁻ᵀ (Uᵀ is lower).
  const lInvT = (lk: Tensor, x: Tensor): Tensor => solveTriangular(mT(lk), x, { upper: true, unitriangular: true });
  const uInvT = (uk: Tensor, x: Tensor): Tensor => solveTriangular(mT(uk), x, { upper: false, left: false });
  let ga: Tensor;
  if (m === n) {
    ga = lInvT(l, uInvT(u, add(tril(matmul(mT(l), gl), -1), triu(matmul(gu, mT(u))))));
  } else if (m < n) {
    const u1 = narrow(u, -1, 0, k), u2 = narrow(u, -1, k, n - k);
    const gu1 = narrow(gu, -1, 0, k), gu2 = narrow(gu, -1, k, n - k);
    const m1 = add(tril(sub(matmul(mT(l), gl), matmul(gu2, mT(u2))), -1), triu(matmul(gu1, mT(u1))));
    ga = lInvT(l, cat([uInvT(u1, m1), gu2], -1));
  } else {
    const l1 = narrow(l, -2, 0, k), l2 = narrow(l, -2, k, m - k);
    const gl1 = narrow(gl, -2, 0, k), gl2 = narrow(gl, -2, k, m - k);
    const m1 = add(tril(matmul(mT(l1), gl1), -1), triu(sub(matmul(gu, mT(u)), matmul(mT(l2), gl2))));
    ga = cat([uInvT(u, lInvT(l1, m1)), uInvT(u, gl2)], -2);
  }
  return matmul(p, ga);
}

/** `{ LU, pivots }`, also `[LU, pivots]` (torch.return_types.linalg_lu_factor). */
export type LuFactorTuple = [Tensor, Tensor] & { readonly LU: Tensor; readonly pivots: Tensor };
/** `{ P, L, U }`, also `[P, L, U]` (torch.return_types.linalg_lu). */
export type LuTuple = [Tensor, Tensor, Tensor] & { readonly P: Tensor; readonly L: Tensor; readonly U: Tensor };

function checkPivot(op: string, pivot: unknown): void {
  if (pivot === false) throw new Error(`${op}: LU without pivoting is not implemented on the CPU`);
  if (pivot !== true) throw new Error(`${op}: pivot must be true or false, got ${String(pivot)}`);
}

function factor(op: string, A: Tensor): { lu: Tensor; pivots: Tensor; info: number[] } {
  checkFloat(op, A);
  checkMatrix(op, A);
  const [m, n] = A.shape.slice(-2);
  const { pivots, info } = pivotsOf(A);
  return { lu: apply(luFactorOp, [A], { m, n }), pivots, info };
}

/**
 * `linalg.luFactor(A)`: the LU factorization of each matrix of a [..., m, n] batch, packed as LAPACK's
 * (L's strict lower part and U in one [..., m, n] tensor) with 1-based int32 pivots [..., min(m, n)].
 * A singular matrix is PyTorch's error (use `linalg.lu`, which allows it). Differentiable in LU.
 *
 * @example const { LU, pivots } = linalg.luFactor(tensor([[1, 2], [3, 4]])) // pivots [2, 2]
 */
export function luFactor(A: Tensor, opts: { pivot?: boolean } = {}): LuFactorTuple {
  const op = "linalg.luFactor";
  checkPivot(op, opts.pivot ?? true);
  return luFactorChecked(op, A);
}

function luFactorChecked(op: string, A: Tensor): LuFactorTuple {
  const { lu, pivots, info } = factor(op, A);
  const bad = info.findIndex((v) => v > 0);
  if (bad >= 0) {
    const j = info[bad] - 1;
    throw new Error(`${op}: ${batchPrefix(A, bad)}U[${j},${j}] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A)`);
  }
  return namedTuple<LuFactorTuple>(["LU", "pivots"], [lu, pivots]);
}

/** `{ LU, pivots, info }`, also `[LU, pivots, info]` (torch.return_types.linalg_lu_factor_ex). */
export type LuFactorExTuple = [Tensor, Tensor, Tensor] & { readonly LU: Tensor; readonly pivots: Tensor; readonly info: Tensor };

/**
 * `linalg.luFactorEx(A, { pivot, checkErrors })`: `linalg.luFactor` that reports a singular matrix in
 * `info` (int32 per matrix: 0, or the first zero diagonal element of U, 1-based) instead of throwing.
 *
 * @example linalg.luFactorEx(tensor([[1, 2], [2, 4]])).info // 2
 */
export function luFactorEx(A: Tensor, opts: { pivot?: boolean; checkErrors?: boolean } = {}): LuFactorExTuple {
  const op = "linalg.luFactorEx";
  checkPivot(op, opts.pivot ?? true);
  const { checkErrors = false } = opts;
  if (typeof checkErrors !== "boolean") throw new Error(`${op}: checkErrors must be true or false, got ${String(checkErrors)}`);
  if (checkErrors) {
    const { LU, pivots } = luFactorChecked(op, A);
    return namedTuple<LuFactorExTuple>(["LU", "pivots", "info"], [LU, pivots, zerosInt(A)]);
  }
  const { lu: packed, pivots, info } = factor(op, A);
  return namedTuple<LuFactorExTuple>(["LU", "pivots", "info"], [packed, pivots, reshape(tensor(info, { dtype: "int32" }), A.shape.slice(0, -2))]);
}

const zerosInt = (A: Tensor): Tensor => reshape(tensor(new Array<number>(batchCount(A.shape)).fill(0), { dtype: "int32" }), A.shape.slice(0, -2));

/**
 * `linalg.lu(A)`: P, L, U with A = P·L·U for each matrix of a [..., m, n] batch (L m×k with a unit
 * diagonal, U k×n, k = min(m, n)); singular matrices too. Differentiable in L and U.
 *
 * @example const { P, L, U } = linalg.lu(tensor([[1, 2], [3, 4]])) // P [[0, 1], [1, 0]]
 */
export function lu(A: Tensor, opts: { pivot?: boolean } = {}): LuTuple {
  const op = "linalg.lu";
  checkPivot(op, opts.pivot ?? true);
  const { lu: packed, pivots } = factor(op, A);
  const [l, u] = unpackLU(packed);
  return namedTuple<LuTuple>(["P", "L", "U"], [permutationMatrices(pivots, A.shape[A.ndim - 2], A.dtype), l, u]);
}

/**
 * `luUnpack(LU, pivots)`: torch.lu_unpack, P, L, U from `linalg.luFactor`'s packed form.
 *
 * @example const [P, L, U] = luUnpack(...linalg.luFactor(tensor([[1, 2], [3, 4]])))
 */
export function luUnpack(LU: Tensor, pivots: Tensor): LuTuple {
  const op = "luUnpack";
  checkMatrix(op, LU, "LU");
  checkPivots(op, LU, pivots);
  const [l, u] = unpackLU(LU);
  return namedTuple<LuTuple>(["P", "L", "U"], [permutationMatrices(pivots, LU.shape[LU.ndim - 2], LU.dtype), l, u]);
}

function checkPivots(op: string, LU: Tensor, pivots: Tensor): void {
  if (!(pivots instanceof Tensor)) throw new Error(`${op}: pivots must be a Tensor (linalg.luFactor's), got ${typeof pivots}`);
  if (pivots.dtype !== "int32") throw new Error(`${op}: pivots should be a Tensor of scalar type torch.int32, got ${pivots.dtype}`);
  const [m, n] = LU.shape.slice(-2);
  const want = [...LU.shape.slice(0, -2), Math.min(m, n)];
  if (pivots.ndim !== want.length || pivots.shape.some((s, i) => s !== want[i])) {
    throw new Error(`${op}: pivots of shape ${fmt(pivots.shape)} do not fit LU of shape ${fmt(LU.shape)} (expected ${fmt(want)})`);
  }
  const piv = contiguous(pivots).data();
  if (Array.from(piv).some((p) => !(p >= 1 && p <= m))) throw new Error(`${op}: pivots must be 1-based row numbers in [1, ${m}], as linalg.luFactor gives`);
}

/**
 * `linalg.luSolve(LU, pivots, B, { left, adjoint })`: X with A·X = B (X·A = B for left: false; Aᴴ for
 * adjoint) from `linalg.luFactor`'s LU and pivots of a square A; B is [..., n, k] (left) or
 * [..., k, n]. Differentiable in LU and B.
 *
 * @example linalg.luSolve(...linalg.luFactor(A), B) // = linalg.solve(A, B)
 */
export function luSolve(LU: Tensor, pivots: Tensor, B: Tensor, opts: { left?: boolean; adjoint?: boolean } = {}): Tensor {
  const op = "linalg.luSolve";
  const { left = true, adjoint = false } = opts;
  for (const [name, v] of [["left", left], ["adjoint", adjoint]] as const) {
    if (typeof v !== "boolean") throw new Error(`${op}: ${name} must be true or false, got ${String(v)}`);
  }
  checkFloat(op, LU, "LU");
  checkFloat(op, B, "B");
  checkMatrix(op, LU, "LU");
  const [m, n] = LU.shape.slice(-2);
  if (m !== n) throw new Error(`${op}: LU must be batches of square matrices, but they are ${m} by ${n} matrices`);
  if (LU.dtype !== B.dtype) throw new Error(`${op}: Expected LU and B to have the same dtype, but found LU of type ${torchTypeName(LU.dtype)} and B of type ${torchTypeName(B.dtype)} instead`);
  if (B.ndim < 2) throw new Error(`${op}: The input tensor B must have at least 2 dimensions.`);
  checkPivots(op, LU, pivots);
  const [r, c] = B.shape.slice(-2);
  if ((left ? r : c) !== n) throw new Error(`${op}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${r}x${c})`);
  // Every case as a left solve: X·A = B is Aᵀ·Xᵀ = Bᵀ.
  const rhs = left ? B : mT(B);
  const transposed = left === adjoint; // solve with Aᵀ = Uᵀ·Lᵀ·Pᵀ
  const p = permutationMatrices(pivots, n, LU.dtype);
  let x: Tensor;
  if (!transposed) {
    // A·X = P·L·U·X = R: X = U⁻¹·L⁻¹·Pᵀ·R
    const y = solveTriangular(LU, matmul(mT(p), rhs), { upper: false, unitriangular: true });
    x = solveTriangular(LU, y, { upper: true });
  } else {
    // Aᵀ·X = Uᵀ·Lᵀ·Pᵀ·X = R: X = P·L⁻ᵀ·U⁻ᵀ·R
    const y = solveTriangular(mT(LU), rhs, { upper: false });
    x = matmul(p, solveTriangular(mT(LU), y, { upper: true, unitriangular: true }));
  }
  return left ? x : mT(x);
}

declareOptions({ "linalg.luFactor": ["pivot"], "linalg.luFactorEx": ["pivot", "checkErrors"], "linalg.lu": ["pivot"], "linalg.luSolve": ["left", "adjoint"] });
