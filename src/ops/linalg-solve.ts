/**
 * torch.linalg's LU-based functions: det, slogdet, inv, solve, matrixPower, multiDot, and the
 * top-level det, logdet, slogdet, inverse, matrixPower. Batches [..., n, n] of float32/float64
 * matrices, factored in float64 (linalg-lu.ts). The gradients are PyTorch's formulas written in
 * differentiable ops (inv's -A⁻ᵀ·G·A⁻ᵀ, solve's solve(Aᵀ, G), det's det·A⁻ᵀ), so they differentiate
 * again; det at a singular matrix takes its gradient, the cofactor matrix, from the SVD as PyTorch
 * does, and that one is first-order only.
 */
import { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { broadcastShapes, fmt } from "../tensor/shape.js";
import { declareOptions } from "../tensor/check.js";
import { tensor } from "../tensor/creation.js";
import { type OpDef, apply, defineOp } from "./op.js";
import { clone, expand, reshape, squeeze, transpose, unsqueeze } from "./shape.js";
import { div, mul, neg, where } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { namedTuple } from "./named-tuple.js";
import { thinSvd as svd } from "./linalg-svd.js";
import { batchCount, batchPrefix, checkFloat, checkSquare, eachMatrix, fromBlocks, identity, luFactor, luSolveTransposed, torchTypeName, transposed } from "./linalg-lu.js";

const mT = (x: Tensor): Tensor => transpose(x, -1, -2);
/** [...] -> [..., 1, 1], to scale each matrix of a batch. */
const asMatrixScale = (x: Tensor): Tensor => unsqueeze(unsqueeze(x, -1), -1);

// ---------------------------------------------------------------- determinants

/**
 * det(A) of each matrix, in float64, from the LU of Aᵀ as PyTorch's (its row-major A is LAPACK's
 * column-major Aᵀ): a nearly singular matrix then gets PyTorch's value, exact zero or tiny, which
 * decides the gradient's branch below.
 */
function dets(a: Tensor): Float64Array {
  const n = a.shape[a.ndim - 1];
  const out = new Float64Array(batchCount(a.shape));
  eachMatrix(a, (m, b) => {
    const { lu, sign } = luFactor(transposed(m, n), n);
    let d = sign;
    for (let i = 0; i < n; i++) d *= lu[i * n + i];
    out[b] = d;
  });
  return out;
}

/**
 * The cofactor matrix det(A)·A⁻ᵀ of each matrix, also at a singular one (PyTorch's singular branch of
 * linalg_det_backward): with A = U·S·Vᵀ, it is det(U)·det(V)·U·diag(∏_{j≠i} s_j)·Vᵀ.
 */
function cofactor(a: Float64Array, n: number): Float64Array {
  const { u, s, v } = svd(a, n, n);
  const detOf = (q: Float64Array): number => {
    const { lu, sign } = luFactor(Float64Array.from(q), n);
    let d = sign;
    for (let i = 0; i < n; i++) d *= lu[i * n + i];
    return Math.sign(d);
  };
  const scale = detOf(u) * detOf(v);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = scale;
    for (let j = 0; j < n; j++) if (j !== i) acc *= s[j];
    p[i] = acc;
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let l = 0; l < n; l++) acc += u[i * n + l] * p[l] * v[j * n + l];
    out[i * n + j] = acc;
  }
  return out;
}

/** g·cofactor(A) for a batch with a singular matrix (inputs: A, g); with zeroAtSingular, 0 for its singular matrices. */
const detSingularBackwardOp = defineOp<{ zeroAtSingular: boolean }>({
  name: "linalgDetBackward",
  forward([a, g], { zeroAtSingular }) {
    const n = a.shape[a.ndim - 1];
    const gd = g.contiguous().data();
    const d = zeroAtSingular ? dets(a) : undefined;
    const blocks: Float64Array[] = [];
    eachMatrix(a, (m, b) => blocks.push(d?.[b] === 0 ? new Float64Array(n * n) : cofactor(m, n).map((c) => c * gd[b])));
    return fromBlocks(a.shape, a.dtype, n * n, blocks.length, (b) => blocks[b]);
  },
  backward: () => {
    throw new Error("linalg.det: the gradient of its gradient at a singular matrix is not implemented; differentiate det there once only");
  },
});

const detOp = defineOp<undefined>({
  name: "linalgDet",
  forward([a]) {
    const d = dets(a);
    return fromBlocks(a.shape.slice(0, -2), a.dtype, d.length, 1, () => d);
  },
  backward: (g, { inputs: [a], output: d }) => {
    // Nonsingular: g·det·A⁻ᵀ, in ops (it differentiates again). Singular: PyTorch 1.13's first-order
    // backward (grad mode off) solves with g·det = 0 and gives 0, whatever the cofactors; under
    // createGraph it takes its SVD branch, the cofactor matrix.
    if (Array.from(d.contiguous().data()).some((v) => v === 0)) return [apply(detSingularBackwardOp, [a, g.contiguous()], { zeroAtSingular: !isGradEnabled() })];
    return [mul(asMatrixScale(mul(g, d)), mT(inv(a)))];
  },
});

/**
 * `linalg.det(A)`: the determinant of each matrix of a [..., n, n] batch (0 at a singular matrix, 1
 * for 0×0 ones). Differentiable (twice away from singular matrices).
 *
 * @example linalg.det(tensor([[1, 2], [3, 4]], { dtype: "float64" })) // -2
 */
export function det(A: Tensor): Tensor {
  checkSquare("linalg.det", A);
  return apply(detOp, [A], undefined);
}

const logAbsDetOp = defineOp<undefined>({
  name: "linalgSlogdet",
  forward([a]) {
    const d = dets(a).map((v) => Math.log(Math.abs(v)));
    return fromBlocks(a.shape.slice(0, -2), a.dtype, d.length, 1, () => d);
  },
  // d log|det A| = tr(A⁻¹ dA): g·A⁻ᵀ. At a singular matrix g·cofactor(A)/det(A), ±Infinity (NaN where
  // the cofactor is 0) rather than an error, as PyTorch's.
  backward: (g, { inputs: [a] }) => {
    const d = dets(a);
    if (!d.some((v) => v === 0)) return [mul(asMatrixScale(g), mT(inv(a)))];
    const det = fromBlocks(a.shape.slice(0, -2), a.dtype, d.length, 1, () => d);
    return [apply(detSingularBackwardOp, [a, div(g, det).contiguous()], { zeroAtSingular: false })];
  },
});

/** `{ sign, logabsdet }`, also the array `[sign, logabsdet]` (torch.return_types.linalg_slogdet). */
export type SlogdetTuple = [Tensor, Tensor] & { readonly sign: Tensor; readonly logabsdet: Tensor };

/**
 * `linalg.slogdet(A)`: the sign (-1, 0 or 1) and the log of the absolute value of the determinant of
 * each matrix, as `{ sign, logabsdet }` (a singular matrix: sign 0, logabsdet -Infinity). The
 * gradient flows through logabsdet.
 *
 * @example const { sign, logabsdet } = linalg.slogdet(tensor([[1, 2], [3, 4]])) // sign -1, logabsdet log(2)
 */
export function slogdet(A: Tensor): SlogdetTuple {
  checkSquare("linalg.slogdet", A);
  const s = dets(A).map(Math.sign);
  const sign = fromBlocks(A.shape.slice(0, -2), A.dtype, s.length, 1, () => s);
  return namedTuple<SlogdetTuple>(["sign", "logabsdet"], [sign, apply(logAbsDetOp, [A], undefined)]);
}

/**
 * `logdet(A)`: log(det(A)) of each matrix: NaN where the determinant is negative, -Infinity where it
 * is 0 (PyTorch's torch.logdet). Its gradient is A⁻ᵀ.
 *
 * @example logdet(tensor([[2, 0], [0, 3]])) // log(6)
 */
export function logdet(A: Tensor): Tensor {
  checkSquare("logdet", A);
  const sign = dets(A).map(Math.sign);
  const logabsdet = apply(logAbsDetOp, [A], undefined);
  if (!sign.some((s) => s < 0)) return logabsdet;
  const negative = fromBlocks(logabsdet.shape, "bool", sign.length, 1, () => sign.map((s) => (s < 0 ? 1 : 0)));
  return where(negative, NaN, logabsdet);
}

// ---------------------------------------------------------------- inverse and solve

/** `check`: a singular matrix is an error (inv); otherwise its inverse holds infinities (invEx). */
const invOp = defineOp<{ check: boolean }>({
  name: "linalgInv",
  forward([a], { check }) {
    const n = a.shape[a.ndim - 1];
    const blocks: Float64Array[] = [];
    eachMatrix(a, (m, b) => {
      const f = luFactor(transposed(m, n), n);
      if (f.info > 0 && check) {
        throw new Error(`linalg.inv: ${batchPrefix(a, b)}The diagonal element ${f.info} is zero, the inversion could not be completed because the input matrix is singular.`);
      }
      blocks.push(luSolveTransposed(f, identity(n), n, n));
    });
    return fromBlocks(a.shape, a.dtype, n * n, blocks.length, (b) => blocks[b]);
  },
  // d(A⁻¹) = -A⁻¹·dA·A⁻¹: the gradient is -A⁻ᵀ·G·A⁻ᵀ, from the output.
  backward: (g, { output: y }) => [neg(matmul(matmul(mT(y), g), mT(y)))],
});

/**
 * `linalg.inv(A)`: the inverse of each matrix of a [..., n, n] batch; a singular matrix is an error
 * naming the batch element and the zero diagonal element of its LU factor, as PyTorch's.
 *
 * @example linalg.inv(tensor([[2, 0], [0, 4]])) // [[0.5, 0], [0, 0.25]]
 */
export function inv(A: Tensor): Tensor {
  checkSquare("linalg.inv", A);
  return apply(invOp, [A], { check: true });
}

/** X = A⁻¹B for A [..., n, n] and B [..., n, k] of one batch shape; `check` as invOp's. */
const solveOp: OpDef<{ check: boolean }> = defineOp<{ check: boolean }>({
  name: "linalgSolve",
  forward([a, bm], { check }) {
    const n = a.shape[a.ndim - 1], k = bm.shape[bm.ndim - 1];
    const rhs: Float64Array[] = [];
    eachMatrix(bm, (m) => rhs.push(m));
    const blocks: Float64Array[] = [];
    eachMatrix(a, (m, b) => {
      const f = luFactor(transposed(m, n), n);
      if (f.info > 0 && check) throw new Error(`linalg.solve: ${batchPrefix(a, b)}The solver failed because the input matrix is singular.`);
      blocks.push(luSolveTransposed(f, rhs[b], n, k));
    });
    return fromBlocks(bm.shape, bm.dtype, n * k, blocks.length, (b) => blocks[b]);
  },
  // PyTorch's linalg_solve_backward: gB = A⁻ᵀ·G, gA = -gB·Xᵀ.
  backward: (g, { inputs: [a], output: x, needsInputGrad: [needA] }) => {
    const gb = apply(solveOp, [mT(a), g], { check: false });
    return [needA ? neg(matmul(gb, mT(x))) : null, gb];
  },
});

/** `linalg.solve`'s keyword-only option. */
export interface SolveOptions {
  /** true (default): solve A·X = B; false: X·A = B. */
  left?: boolean;
}

/**
 * `linalg.solve(A, B, { left })`: X with A·X = B (or X·A = B with `left: false`) for each matrix of a
 * [..., n, n] batch; B is [..., n, k], or a vector [n] / a batch of vectors [..., n] (PyTorch's rule: B
 * is 1-D, or has one dim fewer than A and A's shape without its last dim). Batch dims broadcast. A
 * singular A is an error naming the batch element. Differentiable in A and B.
 *
 * @example linalg.solve(tensor([[2, 0], [0, 4]]), tensor([2, 2])) // [1, 0.5]
 */
export function solve(A: Tensor, B: Tensor, opts: SolveOptions = {}): Tensor {
  return solveChecked("linalg.solve", A, B, opts.left, true).x;
}

/** linalg.solve and linalg.solveEx: X, and the batch shape A and B broadcast to. */
function solveChecked(op: string, A: Tensor, B: Tensor, left: unknown = true, check: boolean): { x: Tensor; a: Tensor } {
  if (typeof left !== "boolean") throw new Error(`${op}: left must be true or false, got ${String(left)}`);
  checkFloat(op, A, "A");
  checkFloat(op, B, "B");
  checkSquare(op, A, "A", false);
  if (A.dtype !== B.dtype) {
    throw new Error(`${op}: Expected A and B to have the same dtype, but found A of type ${torchTypeName(A.dtype)} and B of type ${torchTypeName(B.dtype)} instead (convert one with .to())`);
  }
  const n = A.shape[A.ndim - 1];
  const vector = B.ndim === 1 || (B.ndim === A.ndim - 1 && B.shape.every((s, i) => s === A.shape[i]));
  // A vector is a column, also for X·A = B (PyTorch's rule: there only n = 1 fits).
  const bm = vector ? unsqueeze(B, -1) : B;
  const [r, c] = bm.shape.slice(-2);
  if (bm.ndim < 2 || (left ? r : c) !== n) {
    const shape = bm.ndim < 2 ? fmt(B.shape) : `${r}x${c}`;
    throw new Error(`${op}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${shape})`);
  }
  let batch: number[];
  try {
    batch = broadcastShapes(A.shape.slice(0, -2), bm.shape.slice(0, -2), op);
  } catch {
    throw new Error(`${op}: the batch dims of A ${fmt(A.shape)} and B ${fmt(B.shape)} do not broadcast`);
  }
  const a = expand(A, [...batch, n, n]);
  const b = expand(bm, [...batch, r, c]);
  const x = left ? apply(solveOp, [a, b], { check }) : mT(apply(solveOp, [mT(a), mT(b)], { check }));
  return { x: vector ? squeeze(x, -1) : x, a };
}

// ---------------------------------------------------------------- the *Ex forms

/** The info of inv's and solve's LU (of Aᵀ, see luSolveTransposed): 0, or the first zero diagonal element of U, 1-based; int32 of the batch shape. */
function luInfo(a: Tensor): Tensor {
  const n = a.shape[a.ndim - 1];
  const info: number[] = [];
  eachMatrix(a, (m) => info.push(luFactor(transposed(m, n), n).info));
  return reshape(tensor(info, { dtype: "int32" }), a.shape.slice(0, -2));
}

/** The `*Ex` forms' option: PyTorch's check_errors. */
export interface CheckErrorsOptions {
  /** Throw the plain function's error on a failed factorization instead of reporting it in `info` (default false). */
  checkErrors?: boolean;
}

function checkErrorsOf(op: string, opts: CheckErrorsOptions): boolean {
  const { checkErrors = false } = opts;
  if (typeof checkErrors !== "boolean") throw new Error(`${op}: checkErrors must be true or false, got ${String(checkErrors)}`);
  return checkErrors;
}

/** `{ inverse, info }`, also `[inverse, info]` (torch.return_types.linalg_inv_ex). */
export type InvExTuple = [Tensor, Tensor] & { readonly inverse: Tensor; readonly info: Tensor };
/** `{ result, info }`, also `[result, info]` (torch.return_types.linalg_solve_ex). */
export type SolveExTuple = [Tensor, Tensor] & { readonly result: Tensor; readonly info: Tensor };

/**
 * `linalg.invEx(A, { checkErrors })`: `linalg.inv` that reports a singular matrix in `info` (int32, per
 * matrix: 0, or the zero diagonal element of U, 1-based) instead of throwing; that matrix's inverse
 * then holds infinities / NaN, as PyTorch's.
 *
 * @example linalg.invEx(tensor([[1, 2], [2, 4]])).info // 2
 */
export function invEx(A: Tensor, opts: CheckErrorsOptions = {}): InvExTuple {
  const check = checkErrorsOf("linalg.invEx", opts);
  checkSquare("linalg.invEx", A);
  return namedTuple<InvExTuple>(["inverse", "info"], [apply(invOp, [A], { check }), luInfo(A)]);
}

/**
 * `linalg.solveEx(A, B, { left, checkErrors })`: `linalg.solve` that reports a singular A in `info`
 * instead of throwing (that system's result holds infinities / NaN), as PyTorch's.
 *
 * @example linalg.solveEx(tensor([[1, 2], [2, 4]]), tensor([1, 1])).info // 2
 */
export function solveEx(A: Tensor, B: Tensor, opts: SolveOptions & CheckErrorsOptions = {}): SolveExTuple {
  const check = checkErrorsOf("linalg.solveEx", opts);
  const { x, a } = solveChecked("linalg.solveEx", A, B, opts.left, check);
  return namedTuple<SolveExTuple>(["result", "info"], [x, luInfo(a)]);
}

// ---------------------------------------------------------------- products

/**
 * `linalg.matrixPower(A, n)`: A multiplied by itself n times for each matrix of a [..., m, m] batch;
 * n = 0 gives the identity, negative n the power of the inverse. Integer matrices take n >= 0.
 * Multiplies in PyTorch's order (repeated squaring), so float32 rounds as PyTorch's.
 *
 * @example linalg.matrixPower(tensor([[1, 1], [0, 1]]), 3) // [[1, 3], [0, 1]]
 */
export function matrixPower(A: Tensor, n: number): Tensor {
  const op = "linalg.matrixPower";
  if (typeof n !== "number" || !Number.isInteger(n)) throw new Error(`${op}: n must be an integer, got ${typeof n === "number" ? n : typeof n}`);
  checkSquare(op, A, "A", false);
  if (n === 0) {
    const m = A.shape[A.ndim - 1];
    const eye = clone(expand(reshape(Tensor.fromArray(identity(m), [m, m], "float64").to(A.dtype), [m, m]), A.shape));
    // PyTorch copies the identity into a clone of A, so the result stays in A's graph (a zero gradient).
    return A.requiresGrad ? where(tensor(false), A, eye) : eye;
  }
  let a = A;
  if (n < 0) {
    a = inv(A);
    n = -n;
  }
  if (n === 1) return clone(a);
  if (n === 2) return matmul(a, a);
  if (n === 3) return matmul(matmul(a, a), a);
  // PyTorch's loop: z runs over a^(2^i), result collects the powers of n's set bits.
  let z: Tensor | undefined, result: Tensor | undefined;
  while (n > 0) {
    const bit = n % 2;
    n = Math.floor(n / 2);
    z = z === undefined ? a : matmul(z, z);
    if (bit === 1) result = result === undefined ? z : matmul(result, z);
  }
  return result!;
}

/**
 * `linalg.multiDot([A, B, C, ...])`: the chained matrix product, in the order of fewest scalar
 * multiplications (PyTorch's). The first tensor may be a vector (a row), the last one too (a column);
 * all others are matrices.
 *
 * @example linalg.multiDot([tensor([1, 2]), tensor([[1, 0], [0, 1]]), tensor([3, 4])]) // 11
 */
export function multiDot(tensors: readonly Tensor[]): Tensor {
  const op = "linalg.multiDot";
  if (!Array.isArray(tensors)) throw new Error(`${op}: expects an array of tensors, got ${typeof tensors}`);
  const count = tensors.length;
  if (count < 2) throw new Error(`${op}: expected at least 2 tensors but got ${count}`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: tensor ${i} is not a Tensor (got ${typeof t})`);
  });
  const first = tensors[0], last = tensors[count - 1];
  if (first.ndim !== 1 && first.ndim !== 2) throw new Error(`${op}: the first tensor must be 1D or 2D but got ${first.ndim}D`);
  if (last.ndim !== 1 && last.ndim !== 2) throw new Error(`${op}: the last tensor must be 1D or 2D but got ${last.ndim}D`);
  for (let i = 1; i < count - 1; i++) {
    if (tensors[i].ndim !== 2) throw new Error(`${op}: tensor ${i} must be 2D but got ${tensors[i].ndim}D`);
  }
  for (let i = 1; i < count; i++) {
    if (tensors[i].dtype !== first.dtype) {
      throw new Error(`${op}: all tensors must have be the same dtype but tensor 0 is ${first.dtype} and tensor ${i} ${tensors[i].dtype}`);
    }
  }
  const mats = tensors.map((t, i) => (t.ndim === 2 ? t : unsqueeze(t, i === 0 ? 0 : 1)));
  for (let i = 0; i + 1 < count; i++) {
    if (mats[i].shape[1] !== mats[i + 1].shape[0]) {
      throw new Error(`${op}: tensors ${i} and ${i + 1} with shapes ${fmt(tensors[i].shape)} and ${fmt(tensors[i + 1].shape)} cannot be multiplied`);
    }
  }
  // Dimensions p[0..count]: mats[i] is p[i] × p[i+1]; the classic matrix-chain order.
  const p = [...mats.map((m) => m.shape[0]), mats[count - 1].shape[1]];
  const cost: number[][] = mats.map(() => new Array<number>(count).fill(0));
  const split: number[][] = mats.map(() => new Array<number>(count).fill(0));
  for (let len = 1; len < count; len++) {
    for (let i = 0; i + len < count; i++) {
      const j = i + len;
      cost[i][j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1];
        if (c < cost[i][j]) { cost[i][j] = c; split[i][j] = k; }
      }
    }
  }
  const chain = (i: number, j: number): Tensor => (i === j ? mats[i] : matmul(chain(i, split[i][j]), chain(split[i][j] + 1, j)));
  let out = chain(0, count - 1);
  if (last.ndim === 1) out = squeeze(out, 1);
  if (first.ndim === 1) out = squeeze(out, 0);
  return out;
}

/** The top-level names PyTorch has for these (torch.det, torch.inverse, ...), each naming itself in errors. */
export function inverse(A: Tensor): Tensor {
  checkSquare("inverse", A);
  return apply(invOp, [A], { check: true });
}

declareOptions({ "linalg.solve": ["left"], "linalg.invEx": ["checkErrors"], "linalg.solveEx": ["left", "checkErrors"] });

