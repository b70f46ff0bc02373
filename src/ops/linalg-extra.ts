/**
 * The rest of torch.linalg that models use: solveTriangular, matrixExp, cond, vecdot, vander,
 * tensorinv, tensorsolve, and linalg.matmul / linalg.diagonal. solveTriangular and matrixExp are ops
 * computed in float64 (substitution; Padé 13 with scaling and squaring, Higham 2005); their gradients
 * are PyTorch's (linalg_solve_triangular_backward; linalg_matrix_exp_differential, the upper-right
 * block of exp([[Aᵀ, G], [0, Aᵀ]])), in ops that differentiate again. The others are compositions of
 * differentiable ops.
 */
import type { Tensor } from "../tensor/tensor.js";
import { broadcastShapes, fmt } from "../tensor/shape.js";
import { promoteTypes } from "../tensor/dtype.js";
import { declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { onesLike, zeros } from "../tensor/creation.js";
import { type OpDef, apply, defineOp } from "./op.js";
import { expand, narrow, reshape, to, transpose, unsqueeze } from "./shape.js";
import { movedim } from "./shape-more.js";
import { cat } from "./join.js";
import { div, mul, neg, where } from "./elementwise.js";
import { cumprod } from "./scan.js";
import { amax, amin, sum } from "./reduce.js";
import { matmul as matmulOp } from "./matmul.js";
import { tril, triu } from "./indexing.js";
import { diagonal as diagonalOp } from "./linalg.js";
import { matrixNorm } from "./linalg-norm.js";
import { svdvals } from "./linalg-svd.js";
import { batchCount, checkFloat, checkMatrix, checkSquare, eachMatrix, fromBlocks, identity, luFactor, luSolve } from "./linalg-lu.js";
import { inv, solve } from "./linalg-solve.js";

const mT = (x: Tensor): Tensor => transpose(x, -1, -2);
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------- solveTriangular

interface TriAttrs { upper: boolean; unitriangular: boolean }

/** X = A⁻¹B for the triangle of the row-major n×n `a` that `upper` names (diagonal 1 when `unit`); b is n×k. */
function triSolve(a: Float64Array, b: Float64Array, n: number, k: number, upper: boolean, unit: boolean): Float64Array {
  const x = Float64Array.from(b);
  for (let s = 0; s < n; s++) {
    const i = upper ? n - 1 - s : s;
    const from = upper ? i + 1 : 0, until = upper ? n : i;
    for (let j = from; j < until; j++) {
      const f = a[i * n + j];
      if (f !== 0) for (let c = 0; c < k; c++) x[i * k + c] -= f * x[j * k + c];
    }
    // A zero on the diagonal gives ±Infinity / NaN, as BLAS's trsm (PyTorch checks nothing either).
    if (!unit) for (let c = 0; c < k; c++) x[i * k + c] /= a[i * n + i];
  }
  return x;
}

const solveTriOp: OpDef<TriAttrs> = defineOp<TriAttrs>({
  name: "linalgSolveTriangular",
  forward([a, b], { upper, unitriangular }) {
    const n = a.shape[a.ndim - 1], k = b.shape[b.ndim - 1];
    const rhs: Float64Array[] = [];
    eachMatrix(b, (m) => rhs.push(m));
    const blocks: Float64Array[] = [];
    eachMatrix(a, (m, i) => blocks.push(triSolve(m, rhs[i], n, k, upper, unitriangular)));
    return fromBlocks(b.shape, b.dtype, n * k, blocks.length, (i) => blocks[i]);
  },
  // gB = A⁻ᵀ·G (the other triangle of Aᵀ); gA = -gB·Xᵀ on A's triangle (without its diagonal when unitriangular).
  backward: (g, { inputs: [a], output: x, attrs: { upper, unitriangular }, needsInputGrad: [needA] }) => {
    const gb = apply(solveTriOp, [mT(a), g], { upper: !upper, unitriangular });
    if (!needA) return [null, gb];
    const ga = neg(matmulOp(gb, mT(x)));
    return [upper ? triu(ga, unitriangular ? 1 : 0) : tril(ga, unitriangular ? -1 : 0), gb];
  },
});

/** `linalg.solveTriangular`'s keyword-only arguments; `upper` is required, as PyTorch's. */
export interface SolveTriangularOptions {
  /** Which triangle of A is read (the other is ignored). */
  upper: boolean;
  /** true (default): A·X = B; false: X·A = B. */
  left?: boolean;
  /** Take A's diagonal as ones (it is not read). */
  unitriangular?: boolean;
}

/**
 * `linalg.solveTriangular(A, B, { upper, left, unitriangular })`: X with A·X = B (X·A = B for `left:
 * false`) for the triangular matrices of a [..., n, n] batch, B [..., n, k] ([..., k, n] for left:
 * false); batch dims broadcast, dtypes promote. A zero on the diagonal gives infinities, as PyTorch's.
 *
 * @example linalg.solveTriangular(tensor([[2, 1], [0, 4]]), tensor([[3], [4]]), { upper: true }) // [[1], [1]]
 */
export function solveTriangular(A: Tensor, B: Tensor, opts: SolveTriangularOptions): Tensor {
  const op = "linalg.solveTriangular";
  if (opts === undefined || opts === null || typeof opts !== "object" || opts.upper === undefined) {
    throw new Error(`${op}: upper is required (PyTorch's keyword-only argument): pass { upper: true } or { upper: false }`);
  }
  const { upper, left = true, unitriangular = false } = opts;
  for (const [name, v] of [["upper", upper], ["left", left], ["unitriangular", unitriangular]] as const) {
    if (typeof v !== "boolean") throw new Error(`${op}: ${name} must be true or false, got ${String(v)}`);
  }
  checkFloat(op, A, "A");
  checkFloat(op, B, "B");
  checkSquare(op, A, "A", false);
  if (B.ndim < 2) throw new Error(`${op}: The input tensor B must have at least 2 dimensions.`);
  const n = A.shape[A.ndim - 1];
  const [r, c] = B.shape.slice(-2);
  if ((left ? r : c) !== n) throw new Error(`${op}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${r}x${c})`);
  let batch: number[];
  try {
    batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2), op);
  } catch {
    throw new Error(`${op}: the batch dims of A ${fmt(A.shape)} and B ${fmt(B.shape)} do not broadcast`);
  }
  const d = promoteTypes(A.dtype, B.dtype);
  const a = expand(to(A, d), [...batch, n, n]), b = expand(to(B, d), [...batch, r, c]);
  if (left) return apply(solveTriOp, [a, b], { upper, unitriangular });
  // X·A = B is Aᵀ·Xᵀ = Bᵀ, Aᵀ triangular the other way.
  return mT(apply(solveTriOp, [mT(a), mT(b)], { upper: !upper, unitriangular }));
}

// ---------------------------------------------------------------- matrixExp

/** Padé 13 coefficients (Higham 2005, "The scaling and squaring method for the matrix exponential revisited"). */
const PADE13 = [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1];
const THETA13 = 5.371920351148152;

function mm(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < n; l++) {
      const f = a[i * n + l];
      if (f !== 0) for (let j = 0; j < n; j++) c[i * n + j] += f * b[l * n + j];
    }
  }
  return c;
}

/** Σ coeffs[i]·terms[i] (elementwise). */
function combine(terms: Float64Array[], coeffs: number[]): Float64Array {
  const out = new Float64Array(terms[0].length);
  terms.forEach((t, i) => { for (let j = 0; j < t.length; j++) out[j] += coeffs[i] * t[j]; });
  return out;
}

/** exp of the row-major n×n `a`: Padé 13 of A/2^s, squared s times, s from A's 1-norm. */
function expm(a: Float64Array, n: number): Float64Array {
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let col = 0;
    for (let i = 0; i < n; i++) col += Math.abs(a[i * n + j]);
    norm = Math.max(norm, col);
  }
  if (!Number.isFinite(norm)) return new Float64Array(n * n).fill(NaN);
  const s = norm > THETA13 ? Math.ceil(Math.log2(norm / THETA13)) : 0;
  const x = a.map((v) => v / 2 ** s);
  const b = PADE13, eye = identity(n);
  const x2 = mm(x, x, n), x4 = mm(x2, x2, n), x6 = mm(x4, x2, n);
  const u = mm(x, combine([mm(x6, combine([x6, x4, x2], [b[13], b[11], b[9]]), n), x6, x4, x2, eye], [1, b[7], b[5], b[3], b[1]]), n);
  const v = combine([mm(x6, combine([x6, x4, x2], [b[12], b[10], b[8]]), n), x6, x4, x2, eye], [1, b[6], b[4], b[2], b[0]]);
  // R = (V - U)⁻¹(V + U)
  const f = luFactor(combine([v, u], [1, -1]), n);
  let r = luSolve(f, combine([v, u], [1, 1]), n, n);
  for (let i = 0; i < s; i++) r = mm(r, r, n);
  return r;
}

const matrixExpOp: OpDef<undefined> = defineOp<undefined>({
  name: "linalgMatrixExp",
  forward([a]) {
    const n = a.shape[a.ndim - 1];
    const blocks: Float64Array[] = [];
    eachMatrix(a, (m) => blocks.push(expm(m, n)));
    return fromBlocks(a.shape, a.dtype, n * n, batchCount(a.shape), (i) => blocks[i]);
  },
  // PyTorch's adjoint differential: the upper-right n×n block of exp([[Aᵀ, G], [0, Aᵀ]]).
  backward: (g, { inputs: [a] }) => {
    const n = a.shape[a.ndim - 1];
    const at = mT(a);
    const block = cat([cat([at, g], -1), cat([zeros(a.shape, { dtype: a.dtype }), at], -1)], -2);
    return [narrow(narrow(apply(matrixExpOp, [block], undefined), -2, 0, n), -1, n, n)];
  },
});

/**
 * `linalg.matrixExp(A)`: the matrix exponential of each matrix of a [..., n, n] batch (also
 * `matrixExp(A)` and `A.matrixExp()`, torch.matrix_exp). Differentiable (twice and more).
 *
 * @example linalg.matrixExp(tensor([[0, 1], [0, 0]])) // [[1, 1], [0, 1]]
 */
export function matrixExp(A: Tensor): Tensor {
  checkSquare("linalg.matrixExp", A);
  return apply(matrixExpOp, [A], undefined);
}

// ---------------------------------------------------------------- cond

const NORM_ORDS = new Set<unknown>(["fro", "nuc", Infinity, -Infinity, 1, -1]);

/**
 * `linalg.cond(A, p = null)`: the condition number of each matrix: σmax/σmin for p null or 2
 * (σmin/σmax for -2, any [..., m, n]), else ‖A‖_p·‖A⁻¹‖_p ("fro", "nuc", ±1, ±Infinity; square A),
 * Infinity for a singular matrix. Computed in float64, so a singular float32 matrix gives Infinity
 * where PyTorch's float32 SVD may give a large finite number.
 *
 * @example linalg.cond(tensor([[1, 0], [0, 4]])) // 4
 */
export function cond(A: Tensor, p: number | "fro" | "nuc" | null = null): Tensor {
  const op = "linalg.cond";
  checkFloat(op, A);
  checkMatrix(op, A);
  if (p === null || p === 2 || p === -2) {
    const s = svdvals(A);
    if (s.shape[s.ndim - 1] === 0) return zeros(A.shape.slice(0, -2), { dtype: A.dtype });
    const big = amax(s, -1), small = amin(s, -1);
    return p === -2 ? div(small, big) : div(big, small);
  }
  if (!NORM_ORDS.has(p)) throw new Error(`${op}: got an invalid norm type: ${String(p)} (use null, 2, -2, 1, -1, Infinity, -Infinity, "fro" or "nuc")`);
  checkSquare(op, A);
  const n = A.shape[A.ndim - 1];
  const singular: number[] = [];
  eachMatrix(A, (m) => singular.push(luFactor(m, n).info > 0 ? 1 : 0));
  const mask = fromBlocks(A.shape.slice(0, -2), "bool", singular.length, 1, () => singular);
  // The singular matrices' inverse is not computed: the identity stands in, and their result is Infinity.
  const safe = singular.some((v) => v) ? where(unsqueeze(unsqueeze(mask, -1), -1), tril(triu(onesLike(A))), A) : A;
  const value = mul(matrixNorm(A, p), matrixNorm(inv(safe), p));
  return singular.some((v) => v) ? where(mask, Infinity, value) : value;
}

// ---------------------------------------------------------------- small compositions

/** `linalg.vecdot(x, y, { dim = -1 })`: Σ x·y over dim (x and y broadcast). @example linalg.vecdot(tensor([1, 2]), tensor([3, 4])) // 11 */
export function vecdot(x: Tensor, y: Tensor, opts: { dim?: number } = {}): Tensor {
  checkFloat("linalg.vecdot", x, "x");
  checkFloat("linalg.vecdot", y, "y");
  return sum(mul(x, y), opts.dim ?? -1);
}

/** `linalg.matmul(A, B)`: torch.linalg.matmul, the same as `matmul`. */
export function matmul(A: Tensor, B: Tensor): Tensor {
  return matmulOp(A, B);
}

/** `linalg.diagonal(A, { offset = 0, dim1 = -2, dim2 = -1 })`: torch.linalg.diagonal, `diagonal` over the last two dims by default (a view). */
export function diagonal(A: Tensor, opts: { offset?: number; dim1?: number; dim2?: number } = {}): Tensor {
  return diagonalOp(A, opts.offset ?? 0, opts.dim1 ?? -2, opts.dim2 ?? -1);
}

/**
 * `linalg.vander(x, { N })`: the Vandermonde matrices of the vectors of x [..., n]: [..., n, N] with
 * columns x⁰, x¹, …, x^(N-1) (N defaults to n). Differentiable.
 *
 * @example linalg.vander(tensor([1, 2, 3])) // [[1, 1, 1], [1, 2, 4], [1, 3, 9]]
 */
export function vander(x: Tensor, opts: { N?: number } = {}): Tensor {
  const op = "linalg.vander";
  // A 0-d x is the 1-element vector (PyTorch's): [1, N] with N given, N = 1's error without.
  if (x.ndim === 0) x = reshape(x, [1]);
  const N = opts.N ?? x.shape[x.ndim - 1];
  if (typeof N !== "number" || !Number.isInteger(N) || N <= 1) throw new Error(`${op}: N must be greater than 1. (got ${String(N)})`);
  const col = unsqueeze(x, -1);
  const powers = cumprod(expand(col, [...x.shape, N - 1]), -1);
  return cat([onesLike(col), powers], -1);
}

/**
 * `linalg.tensorinv(A, ind = 2)`: the inverse of A seen as the matrix prod(shape[:ind]) × prod(shape[ind:]),
 * shaped shape[ind:] + shape[:ind].
 *
 * @example linalg.tensorinv(eye(6).reshape([6, 2, 3]), 1).shape // [2, 3, 6]
 */
export function tensorinv(A: Tensor, ind = 2): Tensor {
  const op = "linalg.tensorinv";
  if (typeof ind !== "number" || !Number.isInteger(ind) || ind <= 0) throw new Error(`${op}: Expected a strictly positive integer for 'ind', but got ${String(ind)}`);
  const front = A.shape.slice(0, ind), back = A.shape.slice(ind);
  if (prod(front) !== prod(back)) {
    throw new Error(`${op}: Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got ${prod(back)} != ${prod(front)}`);
  }
  return reshape(inv(reshape(A, [prod(front), prod(back)])), [...back, ...front]);
}

/**
 * `linalg.tensorsolve(A, B, dims = null)`: X with tensordot(A, X, X.ndim) = B; `dims` are A's dims moved
 * to the end first. X's shape is A.shape[B.ndim:].
 *
 * @example linalg.tensorsolve(eye(6).reshape([2, 3, 6]), ones([2, 3])).shape // [6]
 */
export function tensorsolve(A: Tensor, B: Tensor, dims: readonly number[] | null = null): Tensor {
  const op = "linalg.tensorsolve";
  let a = A;
  if (dims !== null && dims !== undefined) {
    if (!Array.isArray(dims)) throw new Error(`${op}: dims must be an array of dims or null, got ${typeof dims}`);
    a = movedim(A, dims, dims.map((_, i) => A.ndim - dims.length + i));
  }
  const front = a.shape.slice(0, B.ndim), back = a.shape.slice(B.ndim);
  if (prod(back) !== prod(front) || prod(front) !== B.numel()) {
    throw new Error(`${op}: Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but got ${prod(back)} != ${B.numel()} (A ${fmt(A.shape)}, B ${fmt(B.shape)})`);
  }
  return reshape(solve(reshape(a, [B.numel(), prod(back)]), reshape(B, [B.numel()])), back);
}

declareOptions({ "linalg.solveTriangular": ["upper", "left", "unitriangular"], "linalg.vecdot": ["dim"], "linalg.diagonal": ["offset", "dim1", "dim2"], "linalg.vander": ["N"] });
const OPTIONAL_ARGS = declareOptionalArgs({
  "linalg.cond": { first: 1, names: ["p"] }, "linalg.tensorinv": { first: 1, names: ["ind"] }, "linalg.tensorsolve": { first: 2, names: ["dims"] },
});
export type ExtraOptionalArgs = typeof OPTIONAL_ARGS;
