/**
 * torch.linalg's Cholesky and QR decompositions (and torch.cholesky, torch.qr), for batches of
 * float32/float64 matrices, computed in float64 as LAPACK's potrf and geqrf + orgqr do (R's diagonal
 * signs are LAPACK's: R[k, k] = -sign(a[k, k])·|column|, not made positive) and rounded once. The
 * gradients are PyTorch's (FunctionsManual.cpp's cholesky_backward and linalg_qr_backward) written in
 * differentiable ops, so they differentiate again.
 *
 * QR has two outputs: one op computes both, packed side by side in one tensor [..., m, kq + n] (Q in
 * the first kq columns, R in the first rows of the rest), and Q and R are views of it, so that the
 * op's backward receives both outputs' gradients at once (zeros for an unused one, which PyTorch's
 * formula treats as absent).
 */
import type { Tensor } from "../tensor/tensor.js";
import { declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { tensor, zeros } from "../tensor/creation.js";
import { type OpDef, apply, defineOp } from "./op.js";
import { narrow, reshape, transpose } from "./shape.js";
import { cat } from "./join.js";
import { add, mul, sub } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { tril, triu } from "./indexing.js";
import { diagEmbed, diagonal } from "./linalg.js";
import { namedTuple } from "./named-tuple.js";
import { batchCount, batchPrefix, checkFloat, checkMatrix, checkSquare, eachMatrix, fromBlocks, transposed } from "./linalg-lu.js";
import { inv } from "./linalg-solve.js";

const mT = (x: Tensor): Tensor => transpose(x, -1, -2);

// ---------------------------------------------------------------- Cholesky

/**
 * L with L·Lᵀ = A from the lower triangle of the row-major n×n `a` (potrf 'L'), and LAPACK's info: 0,
 * or the order of the first leading minor that is not positive-definite. There L is what the
 * unblocked potf2 leaves (PyTorch's choleskyEx values for small matrices): the columns before it
 * factored, its diagonal entry the value that was not positive, the rest A's lower triangle.
 */
function choleskyLower(a: Float64Array, n: number): { l: Float64Array; info: number } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
    if (!(s > 0)) { // NaN fails too, as LAPACK's test
      for (let c = j; c < n; c++) for (let i = c; i < n; i++) l[i * n + c] = a[i * n + c];
      l[j * n + j] = s;
      return { l, info: j + 1 };
    }
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = t / d;
    }
  }
  return { l, info: 0 };
}

/** Φ(X) of cholesky_backward: the symmetric matrix from tril(X) with its diagonal halved, mirrored. */
const phi = (x: Tensor): Tensor => {
  const t = tril(x);
  return mul(add(t, mT(tril(t, -1))), 0.5);
};

/** The factor and info of each matrix; `op` names the error when `check` (choleskyEx without checkErrors has none). */
function choleskyBlocks(a: Tensor, upper: boolean, op: string, check: boolean): { blocks: Float64Array[]; info: number[] } {
  const n = a.shape[a.ndim - 1];
  const blocks: Float64Array[] = [], info: number[] = [];
  eachMatrix(a, (m, b) => {
    // potrf 'U' reads the upper triangle: Uᵀ·U = A is the lower factor of Aᵀ, transposed.
    const f = choleskyLower(upper ? transposed(m, n) : m, n);
    if (f.info > 0 && check) {
      throw new Error(`${op}: ${batchPrefix(a, b)}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${f.info} is not positive-definite).`);
    }
    blocks.push(upper ? transposed(f.l, n) : f.l);
    info.push(f.info);
  });
  return { blocks, info };
}

const choleskyOp: OpDef<{ upper: boolean; op: string; check: boolean }> = defineOp<{ upper: boolean; op: string; check: boolean }>({
  name: "linalgCholesky",
  forward([a], { upper, op, check }) {
    const n = a.shape[a.ndim - 1];
    const { blocks } = choleskyBlocks(a, upper, op, check);
    return fromBlocks(a.shape, a.dtype, n * n, blocks.length, (b) => blocks[b]);
  },
  // gA = L⁻ᵀ·Φ(Lᵀ·gL)·L⁻¹ (Murray 2016), with L = Uᵀ and gL = gUᵀ for the upper factor.
  backward: (g, { output, attrs: { upper } }) => {
    const l = upper ? mT(output) : output, gl = upper ? mT(g) : g;
    const li = inv(l);
    return [matmul(matmul(mT(li), phi(matmul(mT(l), gl))), li)];
  },
});

/** `linalg.cholesky`'s keyword-only option. */
export interface CholeskyOptions {
  /** false (default): the lower factor L (A = L·Lᵀ); true: the upper factor U (A = Uᵀ·U). */
  upper?: boolean;
}

function checkUpper(op: string, upper: unknown): boolean {
  if (typeof upper !== "boolean") throw new Error(`${op}: upper must be true or false, got ${String(upper)}`);
  return upper;
}

/**
 * `linalg.cholesky(A, { upper })`: the Cholesky factor of each symmetric positive-definite matrix of a
 * [..., n, n] batch, read from A's lower triangle (its upper one with `upper: true`, as LAPACK). A
 * matrix that is not positive-definite is PyTorch's error naming the batch element and the minor.
 *
 * @example linalg.cholesky(tensor([[4, 2], [2, 5]])) // [[2, 0], [1, 2]]
 */
export function cholesky(A: Tensor, opts: CholeskyOptions = {}): Tensor {
  const upper = checkUpper("linalg.cholesky", opts.upper ?? false);
  checkSquare("linalg.cholesky", A);
  return apply(choleskyOp, [A], { upper, op: "linalg.cholesky", check: true });
}

/** `{ L, info }`, also `[L, info]` (torch.return_types.linalg_cholesky_ex). */
export type CholeskyExTuple = [Tensor, Tensor] & { readonly L: Tensor; readonly info: Tensor };

/**
 * `linalg.choleskyEx(A, { upper, checkErrors })`: `linalg.cholesky` that reports a matrix that is not
 * positive-definite in `info` (int32 per matrix: 0, or the order of the failing leading minor)
 * instead of throwing. A failed matrix's L is what LAPACK's unblocked potf2 leaves (see
 * choleskyLower), which PyTorch does not specify. Differentiable as cholesky.
 *
 * @example linalg.choleskyEx(tensor([[1, 2], [2, 1]])).info // 2
 */
export function choleskyEx(A: Tensor, opts: CholeskyOptions & { checkErrors?: boolean } = {}): CholeskyExTuple {
  const op = "linalg.choleskyEx";
  const upper = checkUpper(op, opts.upper ?? false);
  const { checkErrors = false } = opts;
  if (typeof checkErrors !== "boolean") throw new Error(`${op}: checkErrors must be true or false, got ${String(checkErrors)}`);
  checkSquare(op, A);
  const l = apply(choleskyOp, [A], { upper, op, check: checkErrors });
  const { info } = choleskyBlocks(A, upper, op, false);
  return namedTuple<CholeskyExTuple>(["L", "info"], [l, reshape(tensor(info, { dtype: "int32" }), A.shape.slice(0, -2))]);
}

// ---------------------------------------------------------------- QR

type QrMode = "reduced" | "complete" | "r";
interface QrAttrs { mode: QrMode; m: number; n: number; kq: number; kr: number }

/**
 * Householder QR of the row-major m×n `a` as LAPACK's geqrf (dlarfg's reflectors) and orgqr: Q (m×kq)
 * and R (kr×n), row-major.
 */
function householderQr(a: Float64Array, m: number, n: number, kq: number, kr: number): { q: Float64Array; r: Float64Array } {
  const k = Math.min(m, n);
  const tau = geqr2(a, m, n);
  const r = new Float64Array(kr * n);
  for (let i = 0; i < Math.min(kr, m); i++) for (let c = i; c < n; c++) r[i * n + c] = a[i * n + c];
  // Q = H_0·H_1·…·H_{k-1} applied to the first kq columns of the identity, last reflector first.
  const q = new Float64Array(m * kq);
  for (let i = 0; i < Math.min(m, kq); i++) q[i * kq + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    if (tau[j] === 0) continue;
    for (let c = 0; c < kq; c++) {
      let w = q[j * kq + c];
      for (let i = j + 1; i < m; i++) w += a[i * n + j] * q[i * kq + c];
      w *= tau[j];
      q[j * kq + c] -= w;
      for (let i = j + 1; i < m; i++) q[i * kq + c] -= w * a[i * n + j];
    }
  }
  return { q, r };
}

/**
 * LAPACK's geqr2 on the row-major m×n `a` (overwritten: R on and above the diagonal, the reflectors'
 * vectors below it, their leading 1 implied), returning the reflectors' scales tau (min(m, n)).
 */
export function geqr2(a: Float64Array, m: number, n: number): Float64Array {
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const alpha = a[j * n + j];
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, a[i * n + j]);
    if (xnorm === 0) continue; // H = I: tau 0, the column is left as it is
    const beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) a[i * n + j] *= scale; // v below the diagonal, v[j] = 1
    a[j * n + j] = beta;
    // The rest of the columns: c -= tau·v·(vᵀc).
    for (let c = j + 1; c < n; c++) {
      let w = a[j * n + c];
      for (let i = j + 1; i < m; i++) w += a[i * n + j] * a[i * n + c];
      w *= tau[j];
      a[j * n + c] -= w;
      for (let i = j + 1; i < m; i++) a[i * n + c] -= w * a[i * n + j];
    }
  }
  return tau;
}

/** Q and R of the packed [..., m, kq + n] tensor. */
function unpack(y: Tensor, { n, kq, kr }: QrAttrs): [Tensor, Tensor] {
  return [narrow(y, -1, 0, kq), narrow(narrow(y, -1, kq, n), -2, 0, kr)];
}

const qrOp: OpDef<QrAttrs> = defineOp<QrAttrs>({
  name: "linalgQr",
  forward([a], attrs) {
    const { m, n, kq, kr } = attrs;
    const width = kq + n;
    const blocks: Float64Array[] = [];
    eachMatrix(a, (mat) => {
      const { q, r } = householderQr(mat, m, n, kq, kr);
      const packed = new Float64Array(m * width);
      for (let i = 0; i < m; i++) {
        packed.set(q.subarray(i * kq, (i + 1) * kq), i * width);
        if (i < kr) packed.set(r.subarray(i * n, (i + 1) * n), i * width + kq);
      }
      blocks.push(packed);
    });
    return fromBlocks([...a.shape.slice(0, -2), m, width], a.dtype, m * width, batchCount(a.shape), (b) => blocks[b]);
  },
  // PyTorch's linalg_qr_backward: M = gR·Rᵀ - Qᵀ·gQ; tall: gA = (Q·syminvadj(triu(M)) + gQ)·R⁻ᵀ;
  // wide: gA = [Q·tril(Mᵀ - M)·R₁⁻ᵀ, 0] + Q·gR, R₁ the first m columns of R.
  backward: (g, { output, attrs }) => {
    const { mode, m, n } = attrs;
    if (mode === "r") {
      throw new Error("linalg.qr: The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
    }
    if (mode === "complete" && m > n) throw new Error("linalg.qr: The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
    const [q, r] = unpack(output, attrs);
    const [gq, gr] = unpack(g, attrs);
    const mh = sub(matmul(gr, mT(r)), matmul(mT(q), gq));
    if (m >= n) {
      const t = triu(mh);
      const sym = sub(add(t, mT(t)), diagEmbed(diagonal(t, 0, -2, -1)));
      return [matmul(add(matmul(q, sym), gq), mT(inv(r)))];
    }
    const lead = matmul(matmul(q, tril(sub(mT(mh), mh))), mT(inv(narrow(r, -1, 0, m))));
    const padded = cat([lead, zeros([...lead.shape.slice(0, -1), n - m], { dtype: lead.dtype })], -1);
    return [add(padded, matmul(q, gr))];
  },
});

/** `{ Q, R }`, also the array `[Q, R]` (torch.return_types.linalg_qr). */
export type QrTuple = [Tensor, Tensor] & { readonly Q: Tensor; readonly R: Tensor };

/**
 * `linalg.qr(A, mode = "reduced")`: A = Q·R for each matrix of a [..., m, n] batch, Q with orthonormal
 * columns and R upper triangular, by Householder reflections as LAPACK (R's diagonal may be negative,
 * as PyTorch's). Modes: "reduced" (Q m×k, R k×n, k = min(m, n)), "complete" (Q m×m, R m×n), "r" (R
 * only; Q is an empty tensor). Differentiable, except "r" and "complete" with m > n (as PyTorch).
 *
 * @example const { Q, R } = linalg.qr(tensor([[3, 1], [4, 2]])) // Q [[-0.6, -0.8], [-0.8, 0.6]], R [[-5, -2.2], [0, 0.4]]
 */
export function qr(A: Tensor, mode: QrMode = "reduced"): QrTuple {
  const op = "linalg.qr";
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new Error(`${op}: qr received unrecognized mode '${String(mode)}' but expected one of 'reduced' (default), 'r', or 'complete'`);
  }
  checkFloat(op, A);
  checkMatrix(op, A);
  const [m, n] = A.shape.slice(-2);
  const k = Math.min(m, n);
  const kq = mode === "complete" ? m : k;
  const kr = mode === "complete" ? m : k;
  const [q, r] = unpack(apply(qrOp, [A], { mode, m, n, kq, kr }), { mode, m, n, kq, kr });
  return namedTuple<QrTuple>(["Q", "R"], [mode === "r" ? zeros([0], { dtype: A.dtype }) : q, r]);
}

// ---------------------------------------------------------------- top-level forms

/** torch.cholesky (exported as `cholesky` by linalg-top.ts): `linalg.cholesky` with `upper` positional. */
export function choleskyTop(A: Tensor, upper = false): Tensor {
  checkUpper("cholesky", upper);
  checkSquare("cholesky", A);
  return apply(choleskyOp, [A], { upper, op: "cholesky", check: true });
}

/** torch.qr (exported as `qr` by linalg-top.ts): `linalg.qr` with mode "reduced" (some) or "complete". */
export function qrTop(A: Tensor, some = true): QrTuple {
  if (typeof some !== "boolean") throw new Error(`qr: some must be true or false, got ${String(some)}`);
  return qr(A, some ? "reduced" : "complete");
}

declareOptions({ "linalg.cholesky": ["upper"], "linalg.choleskyEx": ["upper", "checkErrors"] });
const OPTIONAL_ARGS = declareOptionalArgs({
  "linalg.qr": { first: 1, names: ["mode"] }, cholesky: { first: 1, names: ["upper"] }, qr: { first: 1, names: ["some"] },
});
export type DecompOptionalArgs = typeof OPTIONAL_ARGS;
