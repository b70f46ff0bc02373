/**
 * Linear algebra people use in models: diagonals (diagonal is a view), trace, the fused-looking
 * BLAS forms (addmm, addbmm, baddbmm, mv, addmv, addr), tensordot, kron, cross, cdist, and the
 * `x.T` property. All are compositions of matmul, views and elementwise ops, whose backward rules
 * give the gradients; only the diagonal view and its inverse (writing into a diagonal) are ops.
 */
import { declareOptionalArgs, declareOptions, optionKeys } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { promoteTypes } from "../tensor/dtype.js";
import { type HalfDType, decodeHalf, encodeHalf, isHalf } from "../tensor/half.js";
import { noGrad } from "../autograd/grad-mode.js";
import { broadcastShapes, fmt, normalizeDim, numel } from "../tensor/shape.js";
import { type OpDef, apply, backend, defineOp, installMethods } from "./op.js";
import { clone, expand, makeView, narrow, permute, reshape, select, to, transpose, unsqueeze } from "./shape.js";
import { cat, stack } from "./join.js";
import { add, mul, sub } from "./elementwise.js";
import { sum } from "./reduce.js";
import { matmul } from "./matmul.js";
import { vectorNorm } from "./linalg-norm.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** All dims reversed (PyTorch's `x.T`; for matrices the transpose). */
    readonly T: Tensor;
    /** `x.diagonal(0, 0, 1)`: a view of the diagonal over dims dim1, dim2 (moved last), `offset` above it. */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    diagonal(opts: { offset?: number; dim1?: number; dim2?: number }): Tensor;
    diagonal(offset: number | undefined, opts: { dim1?: number; dim2?: number }): Tensor;
    diagonal(offset: number | undefined, dim1: number | undefined, opts: { dim2?: number }): Tensor;
    /** `v.diagEmbed()`: batches of diagonal matrices whose diagonals are the last dim of v. */
    diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor;
    diagEmbed(opts: { offset?: number; dim1?: number; dim2?: number }): Tensor;
    diagEmbed(offset: number | undefined, opts: { dim1?: number; dim2?: number }): Tensor;
    diagEmbed(offset: number | undefined, dim1: number | undefined, opts: { dim2?: number }): Tensor;
    /** 1-D: the square matrix with v on its k-th diagonal; 2-D: a copy of its k-th diagonal. */
    diag(diagonal?: number): Tensor;
    diag(opts: { diagonal?: number }): Tensor;
    /** Sum of a matrix's diagonal. */
    trace(): Tensor;
    /** Matrix-vector product. */
    mv(vec: Tensor): Tensor;
    addmm(mat1: Tensor, mat2: Tensor, opts?: ScaleOptions): Tensor;
    addbmm(batch1: Tensor, batch2: Tensor, opts?: ScaleOptions): Tensor;
    baddbmm(batch1: Tensor, batch2: Tensor, opts?: ScaleOptions): Tensor;
    addmv(mat: Tensor, vec: Tensor, opts?: ScaleOptions): Tensor;
    addr(vec1: Tensor, vec2: Tensor, opts?: ScaleOptions): Tensor;
    /** Kronecker product. */
    kron(other: Tensor): Tensor;
    /** Cross product of 3-vectors along dim (default: the first dim of size 3). */
    cross(other: Tensor, dim?: number): Tensor;
    cross(other: Tensor, opts: { dim?: number }): Tensor;
  }
}

/** PyTorch's keyword-only scale factors: `beta * input + alpha * product`. */
export interface ScaleOptions {
  beta?: number;
  alpha?: number;
}

// ---------------------------------------------------------------- diagonals

interface DiagAttrs {
  offset: number;
  dim1: number;
  dim2: number;
}

/** Shape, strides and storage offset of the diagonal window of a tensor with this geometry. */
function diagonalGeometry(t: { shape: readonly number[]; strides: readonly number[]; offset: number }, a: DiagAttrs) {
  const n1 = t.shape[a.dim1], n2 = t.shape[a.dim2];
  const len = Math.max(0, a.offset >= 0 ? Math.min(n1, n2 - a.offset) : Math.min(n1 + a.offset, n2));
  const keep = t.shape.map((_, d) => d).filter((d) => d !== a.dim1 && d !== a.dim2);
  const start = len === 0 ? 0 : a.offset >= 0 ? a.offset * t.strides[a.dim2] : -a.offset * t.strides[a.dim1];
  return {
    shape: [...keep.map((d) => t.shape[d]), len],
    strides: [...keep.map((d) => t.strides[d]), t.strides[a.dim1] + t.strides[a.dim2]],
    offset: t.offset + start,
  };
}

/** Zeros of `shape` with g written into the diagonal window: diagonal's gradient, and diagEmbed. */
const intoDiagonalOp: OpDef<DiagAttrs & { shape: readonly number[] }> = defineOp<DiagAttrs & { shape: readonly number[] }>({
  name: "diagEmbed",
  forward([g], a) {
    const out = Tensor.empty(a.shape, g.dtype);
    backend().copy(g.view_(), { ...out.view_(), ...diagonalGeometry(out, a) });
    return out;
  },
  backward: (gg, { attrs }) => [diagonalView(gg, attrs)],
});

function diagonalView(x: Tensor, a: DiagAttrs): Tensor {
  const geo = diagonalGeometry(x, a);
  return makeView(x, "diagonal", geo.shape, geo.strides, geo.offset, (g, shape) => apply(intoDiagonalOp, [g], { ...a, shape }));
}

function diagDims(ndim: number, dim1: number, dim2: number, op: string): [number, number] {
  const d1 = normalizeDim(dim1, ndim, op), d2 = normalizeDim(dim2, ndim, op);
  if (d1 === d2) throw new Error(`${op}: dim1 and dim2 must differ, both are ${d1}`);
  return [d1, d2];
}

/** `diagonal(x, 0, 0, 1)`: a view of the diagonal over dims dim1 and dim2 (appended as the last dim). */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  if (x.ndim < 2) throw new Error(`diagonal: expects a tensor with at least 2 dims, got ${fmt(x.shape)}`);
  const [d1, d2] = diagDims(x.ndim, dim1, dim2, "diagonal");
  return diagonalView(x, { offset, dim1: d1, dim2: d2 });
}

/** `diagEmbed(v)`: [..., n] -> [..., n, n] with v on the diagonal (over dims dim1, dim2 of the result). */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  if (x.ndim < 1) throw new Error("diagEmbed: expects at least 1 dim, got a 0-d tensor");
  const [d1, d2] = diagDims(x.ndim + 1, dim1, dim2, "diagEmbed");
  const n = x.shape[x.ndim - 1] + Math.abs(offset);
  const rest = x.shape.slice(0, -1);
  const shape: number[] = [];
  for (let d = 0, r = 0; d < x.ndim + 1; d++) shape.push(d === d1 || d === d2 ? n : rest[r++]);
  return apply(intoDiagonalOp, [x], { offset, dim1: d1, dim2: d2, shape });
}

/** `diag(v)`: 1-D -> matrix with v on diagonal k; `diag(m)`: 2-D -> copy of its diagonal k. */
export function diag(x: Tensor, k = 0): Tensor {
  if (x.ndim === 1) return diagEmbed(x, k, 0, 1);
  if (x.ndim === 2) return clone(diagonal(x, k));
  throw new Error(`diag: expects a 1-D or 2-D tensor, got ${fmt(x.shape)}; use diagonal or diagEmbed for batches`);
}

/** `trace(m)`: sum of a 2-D tensor's diagonal. */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new Error(`trace: expects a 2-D tensor, got ${fmt(x.shape)}`);
  return sum(diagonal(x));
}

// ---------------------------------------------------------------- products

function expectDims(op: string, pairs: [string, Tensor, number][]): void {
  for (const [name, t, n] of pairs) {
    if (t.ndim !== n) throw new Error(`${op}: ${name} must be ${n}-D, got shape ${fmt(t.shape)}`);
  }
}

/** input expanded to the product's shape, or the error naming `op` that says it cannot be. */
function expandToProduct(op: string, input: Tensor, shape: readonly number[]): Tensor {
  try {
    return expand(input, shape);
  } catch {
    throw new Error(`${op}: input of shape ${fmt(input.shape)} cannot be broadcast to the product's shape ${fmt(shape)}; pass an input of shape ${fmt(shape)} or one that broadcasts to it (sizes 1 or missing leading dims)`);
  }
}

/** beta * input + alpha * product, input broadcast to the product's shape (beta 0 ignores input, as PyTorch). */
function scaled(op: string, input: Tensor, product: Tensor, opts: ScaleOptions): Tensor {
  const { beta = 1, alpha = 1 } = opts;
  const p = alpha === 1 ? product : mul(product, alpha);
  // Checked even when beta is 0: PyTorch rejects an input of the wrong shape whatever beta is.
  const inp = expandToProduct(op, input, product.shape);
  if (beta === 0) return p;
  return add(beta === 1 ? inp : mul(inp, beta), p);
}

/** `mv(m, v)`: [n, m] · [m] -> [n]. */
export function mv(mat: Tensor, vec: Tensor): Tensor {
  expectDims("mv", [["mat", mat, 2], ["vec", vec, 1]]);
  if (mat.shape[1] !== vec.shape[0]) throw new Error(`mv: cannot multiply ${fmt(mat.shape)} by ${fmt(vec.shape)}: sizes ${mat.shape[1]} and ${vec.shape[0]} differ`);
  return matmul(mat, vec);
}

/** `addmm(c, a, b, { beta, alpha })`: beta*c + alpha*(a @ b) for 2-D a, b. */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts: ScaleOptions = {}): Tensor {
  expectDims("addmm", [["mat1", mat1, 2], ["mat2", mat2, 2]]);
  return scaled("addmm", input, matmul(mat1, mat2), opts);
}

/** `baddbmm(c, a, b)`: beta*c + alpha*bmm(a, b) for 3-D a, b. */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: ScaleOptions = {}): Tensor {
  expectDims("baddbmm", [["batch1", batch1, 3], ["batch2", batch2, 3]]);
  if (batch1.shape[0] !== batch2.shape[0]) throw new Error(`baddbmm: batch sizes differ: ${fmt(batch1.shape)} and ${fmt(batch2.shape)}`);
  return scaled("baddbmm", input, matmul(batch1, batch2), opts);
}

/** `addbmm(c, a, b)`: beta*c + alpha*sum_i(a[i] @ b[i]). */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: ScaleOptions = {}): Tensor {
  expectDims("addbmm", [["batch1", batch1, 3], ["batch2", batch2, 3]]);
  if (batch1.shape[0] !== batch2.shape[0]) throw new Error(`addbmm: batch sizes differ: ${fmt(batch1.shape)} and ${fmt(batch2.shape)}`);
  return scaled("addbmm", input, sum(matmul(batch1, batch2), 0), opts);
}

/** `addmv(c, m, v)`: beta*c + alpha*(m @ v). */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts: ScaleOptions = {}): Tensor {
  return scaled("addmv", input, mv(mat, vec), opts);
}

/**
 * `addr` with PyTorch 1.13's rounding (addr_kernel, aten/src/ATen/native/cpu/LinearAlgebraKernel.cpp),
 * alpha and beta first rounded to the dtype as its kernel converts them:
 * - float16/bfloat16: beta*self + (alpha*u)*v elementwise in the 16-bit dtype, so each product rounds
 *   (the float32 composite was up to 2 float16 units off).
 * - float32: (alpha*u)*v when beta is 0. Otherwise GCC contracts the kernel's beta*self + alpha*u*v
 *   into one fused multiply-add, differently in its two loops: in each row the first floor(m/16)*16
 *   columns, which it runs 16 at a time in 8-wide vectors when self's rows and vec2 are unit-stride,
 *   are fma(alpha*u, v, beta*self); the rest (all of them otherwise) fma(beta, self, (alpha*u)*v).
 *   Measured against torch 1.13 on every layout (test/linalg-s12.test.ts). A float32 fma is computed
 *   in float64 (the product of two float32 is exact there), rounded to float64 and then to float32:
 *   that second rounding differs from the fma's single one only when the float64 sum lands exactly
 *   halfway between two float32 values (about 1 element in 2^29). PyTorch with several threads splits
 *   an addr of 32768 or more elements between them, which moves the loops' split in the rows where a
 *   thread's share starts; deeptype rounds as PyTorch's single thread.
 * The backward is PyTorch's formula (derivatives.yaml) with the unrounded scalars, in float32 for the
 * 16-bit dtypes like every backward rule (the autograd node widens 16-bit operands and rounds each
 * gradient once).
 */
const addrOp = defineOp<{ alpha: number; beta: number }>({
  name: "addr",
  forward([inp, vec1, vec2], { alpha, beta }) {
    return noGrad(() => (isHalf(vec1.dtype) ? addrHalf(inp, vec1, vec2, alpha, beta) : addrFloat32(inp, vec1, vec2, alpha, beta)));
  },
  backward: (g, { inputs: [, vec1, vec2], attrs: { alpha, beta }, needsInputGrad: [n0, n1, n2] }) => [
    n0 ? mul(g, beta) : null,
    n1 ? mul(matmul(g, vec2), alpha) : null,
    n2 ? mul(matmul(transpose(g, 0, 1), vec1), alpha) : null,
  ],
});

function addrHalf(inp: Tensor, vec1: Tensor, vec2: Tensor, alpha: number, beta: number): Tensor {
  const d = vec1.dtype as HalfDType;
  const rounded = (v: number): number => decodeHalf(encodeHalf(v, d), d);
  const outer = mul(unsqueeze(alpha === 1 ? vec1 : mul(vec1, rounded(alpha)), 1), unsqueeze(vec2, 0));
  return beta === 0 ? outer : add(beta === 1 ? inp : mul(inp, rounded(beta)), outer);
}

function addrFloat32(inp: Tensor, vec1: Tensor, vec2: Tensor, alpha: number, beta: number): Tensor {
  const a = Math.fround(alpha), b = Math.fround(beta);
  const col = unsqueeze(a === 1 ? vec1 : mul(vec1, a), 1); // alpha*u, rounded to float32
  const row = unsqueeze(vec2, 0);
  if (b === 0) return mul(col, row);
  const m = vec2.shape[0];
  // inp is expanded to [n, m]: its row stride 0 (broadcast along rows) or not 1 keeps PyTorch's vector loop out.
  const vectorized = inp.strides[1] === 1 && vec2.strides[0] === 1 ? m - (m % 16) : 0;
  const wide = (t: Tensor): Tensor => to(t, "float64");
  const parts: Tensor[] = [];
  if (vectorized > 0) {
    // fma(alpha*u, v, beta*self)
    const s = narrow(inp, 1, 0, vectorized);
    parts.push(add(mul(wide(col), wide(narrow(row, 1, 0, vectorized))), wide(b === 1 ? s : mul(s, b))));
  }
  if (vectorized < m) {
    // fma(beta, self, (alpha*u)*v)
    const s = wide(narrow(inp, 1, vectorized, m - vectorized));
    parts.push(add(b === 1 ? s : mul(s, b), wide(mul(col, narrow(row, 1, vectorized, m - vectorized)))));
  }
  return to(parts.length === 1 ? parts[0] : cat(parts, 1), "float32");
}

/**
 * `addr(c, u, v)`: beta*c + alpha*outer(u, v).
 * @example addr(zeros([2, 3]), tensor([1, 2]), tensor([1, 1, 1]), { alpha: 2 }) // [[2, 2, 2], [4, 4, 4]]
 */
export function addr(input: Tensor, vec1: Tensor, vec2: Tensor, opts: ScaleOptions = {}): Tensor {
  expectDims("addr", [["vec1", vec1, 1], ["vec2", vec2, 1]]);
  const d = promoteTypes(promoteTypes(input.dtype, vec1.dtype), vec2.dtype);
  const { beta = 1, alpha = 1 } = opts;
  if ((isHalf(d) || d === "float32") && input.dtype === d && vec1.dtype === d && vec2.dtype === d) {
    const inp = expandToProduct("addr", input, [vec1.shape[0], vec2.shape[0]]);
    return apply(addrOp, [inp, vec1, vec2], { alpha, beta });
  }
  // Other dtypes: PyTorch's order, (alpha*u)*v; float64 is not fused here (no exact float64 fma), so
  // its last bit can differ from PyTorch's.
  const outer = mul(unsqueeze(alpha === 1 ? vec1 : mul(vec1, alpha), 1), unsqueeze(vec2, 0));
  return scaled("addr", input, outer, { beta });
}

/**
 * `tensordot(a, b, 2)` contracts a's last 2 dims with b's first 2; `tensordot(a, b, [[1, 0], [0, 1]])`
 * contracts the listed pairs.
 */
export function tensordot(a: Tensor, b: Tensor, dims: number | readonly [readonly number[], readonly number[]] = 2): Tensor {
  let da: number[], db: number[];
  if (typeof dims === "number") {
    if (!Number.isInteger(dims) || dims < 0 || dims > a.ndim || dims > b.ndim) {
      throw new Error(`tensordot: dims (${dims}) must be an integer in [0, ${Math.min(a.ndim, b.ndim)}] for shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
    }
    da = Array.from({ length: dims }, (_, i) => a.ndim - dims + i);
    db = Array.from({ length: dims }, (_, i) => i);
  } else {
    if (dims.length !== 2 || dims[0].length !== dims[1].length) throw new Error("tensordot: dims must be a number or two lists of equal length [dimsA, dimsB]");
    da = dims[0].map((d) => normalizeDim(d, a.ndim, "tensordot"));
    db = dims[1].map((d) => normalizeDim(d, b.ndim, "tensordot"));
  }
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]]) {
      throw new Error(`tensordot: contracted dims differ in size: dim ${d} of ${fmt(a.shape)} is ${a.shape[d]}, dim ${db[i]} of ${fmt(b.shape)} is ${b.shape[db[i]]}`);
    }
  });
  const freeA = a.shape.map((_, d) => d).filter((d) => !da.includes(d));
  const freeB = b.shape.map((_, d) => d).filter((d) => !db.includes(d));
  const k = numel(da.map((d) => a.shape[d]));
  const am = reshape(permute(a, [...freeA, ...da]), [numel(freeA.map((d) => a.shape[d])), k]);
  const bm = reshape(permute(b, [...db, ...freeB]), [k, numel(freeB.map((d) => b.shape[d]))]);
  return reshape(matmul(am, bm), [...freeA.map((d) => a.shape[d]), ...freeB.map((d) => b.shape[d])]);
}

/** `kron(a, b)`: the Kronecker product (block (i, j) is a[i, j] * b), for any number of dims. */
export function kron(a: Tensor, b: Tensor): Tensor {
  const n = Math.max(a.ndim, b.ndim);
  const sa = [...new Array<number>(n - a.ndim).fill(1), ...a.shape];
  const sb = [...new Array<number>(n - b.ndim).fill(1), ...b.shape];
  const ai = reshape(a, sa.flatMap((s) => [s, 1]));
  const bi = reshape(b, sb.flatMap((s) => [1, s]));
  return reshape(mul(ai, bi), sa.map((s, i) => s * sb[i]));
}

/** `cross(a, b, dim)`: cross product of 3-vectors along dim (a and b broadcast; default: the first dim of size 3). */
export function cross(a: Tensor, b: Tensor, dim?: number): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, "cross");
  const d = dim === undefined ? shape.indexOf(3) : normalizeDim(dim, shape.length, "cross");
  if (d < 0 || shape[d] !== 3) {
    throw new Error(`cross: ${dim === undefined ? "no dim has size 3" : `dim ${dim} has size ${shape[d]}, not 3`} in the broadcast shape ${fmt(shape)} of ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  // PyTorch broadcasts every dim but the product's own: both inputs must have 3 elements there.
  const own = (t: Tensor): number => t.shape[t.ndim - shape.length + d] ?? 1;
  if (own(a) !== 3 || own(b) !== 3) {
    throw new Error(`cross: dim ${dim ?? d} must have size 3 in both inputs, got ${fmt(a.shape)} and ${fmt(b.shape)} (the product's dim is not broadcast)`);
  }
  const ae = expand(a, shape), be = expand(b, shape);
  const c = (t: Tensor, i: number): Tensor => select(t, d, i);
  const term = (i: number, j: number): Tensor => sub(mul(c(ae, i), c(be, j)), mul(c(ae, j), c(be, i)));
  return stack([term(1, 2), term(2, 0), term(0, 1)], d);
}

/** `cdist(x1, x2, p)`: p-norm distances between the rows of [..., P, M] and [..., R, M] -> [..., P, R]. */
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
  if (x1.ndim < 2 || x2.ndim < 2) throw new Error(`cdist: expects at least 2-D inputs [..., P, M] and [..., R, M], got ${fmt(x1.shape)} and ${fmt(x2.shape)}`);
  if (x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1]) {
    throw new Error(`cdist: x1 ${fmt(x1.shape)} and x2 ${fmt(x2.shape)} must have the same number of columns (last dim)`);
  }
  if (!(p >= 0)) throw new Error(`cdist: p must be non-negative, got ${p}`);
  return vectorNorm(sub(unsqueeze(x1, -2), unsqueeze(x2, -3)), p, -1);
}

/** All dims reversed. */
export function reverseDims(x: Tensor): Tensor {
  return x.ndim < 2 ? x : permute(x, x.shape.map((_, i) => x.ndim - 1 - i));
}

// The keys each op's trailing options object takes: the entry layer (tensor/guard.ts) rejects any other.
const SCALE_KEYS = optionKeys<ScaleOptions>()({ beta: true, alpha: true });
declareOptions({ addmm: SCALE_KEYS, addbmm: SCALE_KEYS, baddbmm: SCALE_KEYS, addmv: SCALE_KEYS, addr: SCALE_KEYS });
// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
// (`diag(x, { diagonal: 1 })` read the object as the offset and gave a [NaN, NaN] shape.)
const OPTIONAL_ARGS = declareOptionalArgs({
  diagonal: { first: 1, names: ["offset", "dim1", "dim2"] }, diag: { first: 1, names: ["diagonal"] },
  tensordot: { first: 2, names: ["dims"] }, cross: { first: 2, names: ["dim"] },
  "linalg.cross": { first: 2, names: ["dim"] },
  diagEmbed: { first: 1, names: ["offset", "dim1", "dim2"] }, cdist: { first: 2, names: ["p"] },
});
export type LinalgOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  diagonal, diagEmbed, diag, trace, mv, kron, cross,
  addmm: (x: Tensor, a: Tensor, b: Tensor, o?: ScaleOptions) => addmm(x, a, b, o),
  addbmm: (x: Tensor, a: Tensor, b: Tensor, o?: ScaleOptions) => addbmm(x, a, b, o),
  baddbmm: (x: Tensor, a: Tensor, b: Tensor, o?: ScaleOptions) => baddbmm(x, a, b, o),
  addmv: (x: Tensor, a: Tensor, b: Tensor, o?: ScaleOptions) => addmv(x, a, b, o),
  addr: (x: Tensor, a: Tensor, b: Tensor, o?: ScaleOptions) => addr(x, a, b, o),
});
Object.defineProperty(Tensor.prototype, "T", { get(this: Tensor) { return reverseDims(this); }, configurable: true });
