/**
 * torch.linalg's spectral functions: eigh / eigvalsh (symmetric eigendecomposition), svd (with U and
 * Vh), pinv and matrixRank, and the top-level svd and pinverse. Computed in float64 and rounded once, by
 * LAPACK's algorithms (linalg-spectral.ts): eigh by Householder tridiagonalization and implicit QL,
 * svd by Householder bidiagonalization and Golub-Kahan QR.
 *
 * Eigenvectors and singular vectors are unique only up to sign (up to a rotation for repeated
 * values), and LAPACK's choice of sign is not reproducible from outside it: deeptype makes the
 * largest-|·| entry of each eigenvector positive (of each right singular vector, for svd), so the
 * vectors can differ from PyTorch's by a sign; every gauge-invariant quantity (U·diag(S)·Vh, V·Vᵀ,
 * |V|, the values) agrees. The gradients are PyTorch's (linalg_eig_backward for hermitian input,
 * svd_backward) in differentiable ops; like PyTorch's they are not defined when the loss depends on
 * the vectors' gauge or on the vectors of repeated values.
 *
 * eigh and svd have several outputs: one op computes them packed in one tensor, and the outputs are
 * views of it, so the op's backward receives every output's gradient at once (zeros for an unused
 * one, which PyTorch's formulas treat as absent: checked by value, as PyTorch checks definedness).
 */
import { Tensor } from "../tensor/tensor.js";
import { broadcastShapes } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { tensor } from "../tensor/creation.js";
import { type OpDef, apply, defineOp } from "./op.js";
import { contiguous, expand, narrow, reshape, select, transpose, unsqueeze } from "./shape.js";
import { add, div, mul, sub } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { diagEmbed } from "./linalg.js";
import { namedTuple } from "./named-tuple.js";
import { thinSvd } from "./linalg-svd.js";
import { batchCount, checkFloat, checkMatrix, checkSquare, eachMatrix, fromBlocks } from "./linalg-lu.js";
import { symmetricEigen } from "./linalg-spectral.js";

const mT = (x: Tensor): Tensor => transpose(x, -1, -2);
const allZero = (t: Tensor): boolean => !Array.from(t.contiguous().data()).some((v) => v !== 0);

/** Flips each column j of the row-major r×c `v` (and of `w`, if given, with the same columns) so its largest-|·| entry is positive. */
function fixSigns(v: Float64Array, r: number, c: number, w?: Float64Array, rw = 0): void {
  for (let j = 0; j < c; j++) {
    let best = 0;
    for (let i = 0; i < r; i++) if (Math.abs(v[i * c + j]) > Math.abs(best)) best = v[i * c + j];
    if (best >= 0) continue;
    for (let i = 0; i < r; i++) v[i * c + j] = -v[i * c + j];
    if (w) for (let i = 0; i < rw; i++) w[i * c + j] = -w[i * c + j];
  }
}

// ---------------------------------------------------------------- eigh

/** Eigenvalues (ascending) and eigenvectors (columns of the row-major n×n V, signs deeptype's) of the symmetric n×n `a`. */
function eigenSigned(a: Float64Array, n: number, vectors = true): { w: Float64Array; v: Float64Array } {
  const r = symmetricEigen(a, n, vectors);
  if (vectors) fixSigns(r.v, n, n);
  return r;
}

/** The symmetric matrix from one triangle of the row-major n×n `a`, as LAPACK's syevd reads it. */
function symmetricFrom(a: Float64Array, n: number, upper: boolean): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) s[i * n + j] = s[j * n + i] = upper ? a[j * n + i] : a[i * n + j];
  }
  return s;
}

/** vectors false: the values only (eigvalsh outside autograd), V left zero, about 3x less work. */
interface EighAttrs { upper: boolean; n: number; vectors: boolean }

/** L and V of the packed [..., n, n + 1] tensor (L in column 0). */
const unpackEigh = (y: Tensor, n: number): [Tensor, Tensor] => [select(narrow(y, -1, 0, 1), -1, 0), narrow(y, -1, 1, n)];

const eighOp: OpDef<EighAttrs> = defineOp<EighAttrs>({
  name: "linalgEigh",
  forward([a], { upper, n, vectors }) {
    const blocks: Float64Array[] = [];
    eachMatrix(a, (m) => {
      const { w, v } = eigenSigned(symmetricFrom(m, n, upper), n, vectors);
      const packed = new Float64Array(n * (n + 1));
      for (let i = 0; i < n; i++) {
        packed[i * (n + 1)] = w[i];
        packed.set(v.subarray(i * n, (i + 1) * n), i * (n + 1) + 1);
      }
      blocks.push(packed);
    });
    return fromBlocks([...a.shape.slice(0, -2), n, n + 1], a.dtype, n * (n + 1), batchCount(a.shape), (b) => blocks[b]);
  },
  // PyTorch's linalg_eig_backward (hermitian): gA = V·(skew(Vᵀ·gV) / E + diag(gL))·Vᵀ, E[i, j] = L[j] - L[i].
  backward: (g, { output, attrs: { n } }) => {
    const [l, v] = unpackEigh(output, n);
    const [gl, gv] = unpackEigh(g, n);
    let inner = diagEmbed(gl);
    if (!allZero(gv)) {
      const vtg = matmul(mT(v), gv);
      const skew = mul(sub(vtg, mT(vtg)), 0.5);
      const e = sub(unsqueeze(l, -2), unsqueeze(l, -1));
      // The diagonal of skew is 0; E's diagonal is set to 1 (PyTorch's) before dividing.
      const eye = diagEmbed(add(mul(l, 0), 1));
      inner = add(inner, div(skew, add(e, eye)));
    }
    return [matmul(matmul(v, inner), mT(v))];
  },
});

/** `linalg.eigh`'s and `eigvalsh`'s option. */
export interface EighOptions {
  /** "L" (default): read the lower triangle; "U": the upper one. */
  UPLO?: "L" | "U";
}

function eighPacked(op: string, A: Tensor, UPLO: unknown): Tensor {
  if (UPLO !== "L" && UPLO !== "U") throw new Error(`${op}: Expected UPLO argument to be 'L' or 'U', but got ${String(UPLO)}`);
  checkSquare(op, A);
  // eigvalsh's gradient V·diag(g)·Vᵀ needs the vectors, so it computes them when A is differentiated.
  const vectors = op === "linalg.eigh" || (A.requiresGrad && isGradEnabled());
  return apply(eighOp, [A], { upper: UPLO === "U", n: A.shape[A.ndim - 1], vectors });
}

/** `{ eigenvalues, eigenvectors }`, also the array `[eigenvalues, eigenvectors]` (torch.return_types.linalg_eigh). */
export type EighTuple = [Tensor, Tensor] & { readonly eigenvalues: Tensor; readonly eigenvectors: Tensor };

/**
 * `linalg.eigh(A, UPLO = "L")`: eigenvalues (ascending) and eigenvectors (the columns of V, A = V·diag(L)·Vᵀ)
 * of each symmetric matrix of a [..., n, n] batch, read from its lower triangle (upper with "U"). The
 * eigenvectors' signs are deeptype's (the largest-|·| entry positive), so they may differ from
 * PyTorch's by a sign. Differentiable (PyTorch's formula; not at repeated eigenvalues when the loss
 * uses the eigenvectors).
 *
 * @example const { eigenvalues, eigenvectors } = linalg.eigh(tensor([[2, 1], [1, 2]])) // [1, 3]
 */
export function eigh(A: Tensor, UPLO: "L" | "U" = "L"): EighTuple {
  const y = eighPacked("linalg.eigh", A, UPLO);
  const [l, v] = unpackEigh(y, A.shape[A.ndim - 1]);
  return namedTuple<EighTuple>(["eigenvalues", "eigenvectors"], [l, v]);
}

/**
 * `linalg.eigvalsh(A, UPLO = "L")`: the eigenvalues of each symmetric matrix, ascending. Its gradient
 * V·diag(g)·Vᵀ is defined at repeated eigenvalues too.
 *
 * @example linalg.eigvalsh(tensor([[2, 1], [1, 2]])) // [1, 3]
 */
export function eigvalsh(A: Tensor, UPLO: "L" | "U" = "L"): Tensor {
  return unpackEigh(eighPacked("linalg.eigvalsh", A, UPLO), A.shape[A.ndim - 1])[0];
}

// ---------------------------------------------------------------- svd

interface SvdAttrs { m: number; n: number; k: number; ku: number; kv: number }

/** Columns `from`..`to`-1 of the row-major r×to `q` made orthonormal to the columns before them (Gram-Schmidt on the standard basis). */
function completeColumns(q: Float64Array, r: number, from: number, to: number): void {
  let next = 0;
  for (let j = from; j < to; j++) {
    for (; next < r; next++) {
      const e = new Float64Array(r);
      e[next] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < j; c++) {
          let dot = 0;
          for (let i = 0; i < r; i++) dot += q[i * to + c] * e[i];
          for (let i = 0; i < r; i++) e[i] -= dot * q[i * to + c];
        }
      }
      const len = Math.hypot(...e);
      if (len > 1e-6) {
        for (let i = 0; i < r; i++) q[i * to + j] = e[i] / len;
        next++;
        break;
      }
    }
  }
}

/** Offsets of U (m×ku), S (k) and Vh (kv×n) in a packed matrix of `svdSize` values. */
const svdSize = ({ m, n, k, ku, kv }: SvdAttrs): number => m * ku + k + kv * n;

function svdFactors(a: Float64Array, at: SvdAttrs): Float64Array {
  const { m, n, k, ku, kv } = at;
  const { u, s, v } = thinSvd(a, m, n); // u m×k, v n×k
  fixSigns(v, n, k, u, m);
  const uf = new Float64Array(m * ku), vf = new Float64Array(n * kv);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) uf[i * ku + j] = u[i * k + j];
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vf[i * kv + j] = v[i * k + j];
  completeColumns(uf, m, k, ku);
  completeColumns(vf, n, k, kv);
  const out = new Float64Array(svdSize(at));
  out.set(uf, 0);
  out.set(s, m * ku);
  // Vh = Vᵀ, row-major kv×n
  for (let i = 0; i < kv; i++) for (let j = 0; j < n; j++) out[m * ku + k + i * n + j] = vf[j * kv + i];
  return out;
}

function unpackSvd(y: Tensor, at: SvdAttrs): [Tensor, Tensor, Tensor] {
  const { m, n, k, ku, kv } = at;
  const batch = y.shape.slice(0, -1);
  return [
    reshape(narrow(y, -1, 0, m * ku), [...batch, m, ku]),
    narrow(y, -1, m * ku, k),
    reshape(narrow(y, -1, m * ku + k, kv * n), [...batch, kv, n]),
  ];
}

const svdOp: OpDef<SvdAttrs> = defineOp<SvdAttrs>({
  name: "linalgSvd",
  forward([a], at) {
    const size = svdSize(at);
    const blocks: Float64Array[] = [];
    eachMatrix(a, (mat) => blocks.push(svdFactors(mat, at)));
    return fromBlocks([...a.shape.slice(0, -2), size], a.dtype, size, batchCount(a.shape), (b) => blocks[b]);
  },
  backward: (g, { output, attrs }) => [svdBackward(g, output, attrs)],
});

/** PyTorch's svd_backward (FunctionsManual.cpp), on the first k columns of U and rows of Vh. */
function svdBackward(g: Tensor, y: Tensor, at: SvdAttrs): Tensor {
  const { m, n, k } = at;
  let [u, s, vh] = unpackSvd(y, at);
  let [gu, gs, gvh] = unpackSvd(g, at);
  u = narrow(u, -1, 0, k);
  vh = narrow(vh, -2, 0, k);
  gu = narrow(gu, -1, 0, k);
  gvh = narrow(gvh, -2, 0, k);
  const hasU = !allZero(gu), hasV = !allZero(gvh);
  // Singular values only: U·diag(gS)·Vh.
  if (!hasU && !hasV) return matmul(mul(u, unsqueeze(gs, -2)), vh);
  const skew = (x: Tensor): Tensor => sub(x, mT(x));
  const s2 = mul(s, s);
  const e = add(sub(unsqueeze(s2, -2), unsqueeze(s2, -1)), diagEmbed(add(mul(s, 0), 1))); // E[i, j] = S[j]² - S[i]², diagonal 1
  let inner: Tensor;
  if (hasU && hasV) inner = div(add(mul(skew(matmul(mT(u), gu)), unsqueeze(s, -2)), mul(unsqueeze(s, -1), skew(matmul(vh, mT(gvh))))), e);
  else if (hasU) inner = mul(skew(matmul(mT(u), gu)), div(unsqueeze(s, -2), e));
  else inner = div(mul(unsqueeze(s, -1), skew(matmul(vh, mT(gvh)))), e);
  inner = add(inner, diagEmbed(gs));
  if (m > n && hasU) {
    // [U·inner + (I - U·Uᵀ)·gU·S⁻¹]·Vh
    const guSinv = div(gu, unsqueeze(s, -2));
    return matmul(sub(add(matmul(u, inner), guSinv), matmul(u, matmul(mT(u), guSinv))), vh);
  }
  if (m < n && hasV) {
    // U·[inner·Vh + S⁻¹·gVh·(I - Vᵀ·Vh)]
    const sinvGvh = div(gvh, unsqueeze(s, -1));
    return matmul(u, sub(add(matmul(inner, vh), sinvGvh), matmul(matmul(sinvGvh, mT(vh)), vh)));
  }
  return matmul(matmul(u, inner), vh);
}

/** `{ U, S, Vh }`, also the array `[U, S, Vh]` (torch.return_types.linalg_svd). */
export type SvdTuple = [Tensor, Tensor, Tensor] & { readonly U: Tensor; readonly S: Tensor; readonly Vh: Tensor };

/** `linalg.svd`'s option. */
export interface SvdOptions {
  /** true (default): U m×m and Vh n×n; false: U m×k and Vh k×n (k = min(m, n)). */
  fullMatrices?: boolean;
}

function svdParts(op: string, A: Tensor, full: boolean): [Tensor, Tensor, Tensor] {
  checkFloat(op, A);
  checkMatrix(op, A);
  const [m, n] = A.shape.slice(-2);
  const k = Math.min(m, n);
  const at: SvdAttrs = { m, n, k, ku: full ? m : k, kv: full ? n : k };
  return unpackSvd(apply(svdOp, [A], at), at);
}

/**
 * `linalg.svd(A, { fullMatrices })`: A = U·diag(S)·Vh for each matrix of a [..., m, n] batch, S
 * descending. The vectors' signs are deeptype's (each right singular vector's largest-|·| entry
 * positive), so U and Vh can differ from PyTorch's by the sign of matching columns / rows; the
 * columns completing a full U or Vh are any orthonormal completion. Differentiable (PyTorch's
 * formula; gauge-invariant losses only, simple singular values when the vectors are used).
 *
 * @example const { U, S, Vh } = linalg.svd(tensor([[3, 0], [0, -4]])) // S [4, 3]
 */
export function svd(A: Tensor, opts: SvdOptions = {}): SvdTuple {
  const { fullMatrices = true } = opts;
  if (typeof fullMatrices !== "boolean") throw new Error(`linalg.svd: fullMatrices must be true or false, got ${String(fullMatrices)}`);
  return namedTuple<SvdTuple>(["U", "S", "Vh"], svdParts("linalg.svd", A, fullMatrices));
}

/** `{ U, S, V }`, also `[U, S, V]` (torch.return_types.svd: V, not Vh). */
export type SvdVTuple = [Tensor, Tensor, Tensor] & { readonly U: Tensor; readonly S: Tensor; readonly V: Tensor };

/** torch.svd (exported as `svd` by linalg-top.ts): V rather than Vh, `some` for the reduced form. */
export function svdTop(A: Tensor, some = true): SvdVTuple {
  if (typeof some !== "boolean") throw new Error(`svd: some must be true or false, got ${String(some)}`);
  const [u, s, vh] = svdParts("svd", A, !some);
  return namedTuple<SvdVTuple>(["U", "S", "V"], [u, s, mT(vh)]);
}

// ---------------------------------------------------------------- pinv, matrixRank

/** `linalg.pinv` and `linalg.matrixRank`'s keyword-only tolerances (PyTorch's). */
export interface RankOptions {
  /** Absolute tolerance: singular values at or below it count as zero. A tensor gives one per matrix (broadcast with the batch, as PyTorch's). */
  atol?: number | Tensor;
  /** Relative tolerance (times the largest singular value); default eps·max(m, n) where atol is not given or 0, else 0. A tensor as atol. */
  rtol?: number | Tensor;
  /** A is symmetric: eigenvalues' absolute values instead of singular values. */
  hermitian?: boolean;
}

interface Tolerances { atol: Float64Array; rtol: Float64Array; hermitian: boolean }

/**
 * PyTorch's tolerances, one pair per matrix: rtol defaults to eps·max(m, n) where atol is not given
 * or not positive. Tensor tolerances broadcast with A's batch dims, which can grow the batch (A is
 * then expanded, as PyTorch's result is).
 */
function tolerances(op: string, A: Tensor, opts: RankOptions): Tolerances & { A: Tensor } {
  const { atol, rtol, hermitian = false } = opts;
  for (const [name, v] of [["atol", atol], ["rtol", rtol]] as const) {
    if (v instanceof Tensor) {
      if (!isFloating(v.dtype) && v.dtype !== "int64" && v.dtype !== "int32") throw new Error(`${op}: ${name} must be a real tensor or a non-negative number, got a ${v.dtype} tensor`);
    } else if (v !== undefined && (typeof v !== "number" || !(v >= 0))) throw new Error(`${op}: ${name} must be a non-negative number, got ${String(v)}`);
  }
  if (typeof hermitian !== "boolean") throw new Error(`${op}: hermitian must be true or false, got ${String(hermitian)}`);
  const [m, n] = A.shape.slice(-2);
  const eps = A.dtype === "float32" ? 2 ** -23 : 2 ** -52;
  const shapeOf = (v: number | Tensor | undefined): number[] => (v instanceof Tensor ? [...v.shape] : []);
  const batch = broadcastShapes(broadcastShapes(A.shape.slice(0, -2), shapeOf(atol), op), shapeOf(rtol), op);
  const count = batch.reduce((a, b) => a * b, 1);
  const values = (v: number | Tensor | undefined, fallback: number): Float64Array => {
    if (v === undefined) return new Float64Array(count).fill(fallback);
    if (typeof v === "number") return new Float64Array(count).fill(v);
    return Float64Array.from(contiguous(expand(v.to("float64"), batch)).data());
  };
  const a = values(atol, 0);
  const r = rtol === undefined ? a.map((x) => (atol !== undefined && x > 0 ? 0 : eps * Math.max(m, n))) : values(rtol, 0);
  const same = batch.length === A.ndim - 2 && batch.every((s, i) => s === A.shape[i]);
  return { A: same ? A : expand(A, [...batch, m, n]), atol: a, rtol: r, hermitian };
}

/**
 * Each matrix's spectrum for pinv and matrixRank: singular values with U (m×k) and V (n×k), or for a
 * hermitian A eigenvalues with V twice (its lower triangle read, as PyTorch's eigh), as a list of
 * rank-one terms value·u·vᵀ.
 */
function spectrum(a: Float64Array, m: number, n: number, hermitian: boolean, vectors = true): { s: Float64Array; u: Float64Array; v: Float64Array; k: number } {
  if (hermitian) {
    const { w, v } = eigenSigned(symmetricFrom(a, n, false), n, vectors);
    return { s: w, u: v, v, k: n };
  }
  const k = Math.min(m, n);
  return { ...thinSvd(a, m, n, vectors), k };
}

const cutoff = (s: Float64Array, atol: number, rtol: number): number => Math.max(atol, rtol * s.reduce((x, y) => Math.max(x, Math.abs(y)), 0));

const pinvOp: OpDef<Tolerances> = defineOp<Tolerances>({
  name: "linalgPinv",
  forward([a], { atol, rtol, hermitian }) {
    const [m, n] = a.shape.slice(-2);
    const blocks: Float64Array[] = [];
    eachMatrix(a, (mat, b) => {
      const { s, u, v, k } = spectrum(mat, m, n, hermitian);
      const tol = cutoff(s, atol[b], rtol[b]);
      const out = new Float64Array(n * m); // pinv is n×m: Σ v_l·u_lᵀ / s_l over |s_l| > tol
      for (let l = 0; l < k; l++) {
        if (!(Math.abs(s[l]) > tol)) continue;
        for (let i = 0; i < n; i++) {
          const vi = v[i * k + l] / s[l];
          if (vi !== 0) for (let j = 0; j < m; j++) out[i * m + j] += vi * u[j * k + l];
        }
      }
      blocks.push(out);
    });
    return fromBlocks([...a.shape.slice(0, -2), n, m], a.dtype, n * m, batchCount(a.shape), (b) => blocks[b]);
  },
  // PyTorch's pinv_backward (FunctionsManual.cpp), from A and A⁺.
  backward: (g, { inputs: [a], output: p }) => {
    const [m, n] = a.shape.slice(-2);
    const ph = mT(p), gh = mT(g);
    if (m <= n) {
      const k = matmul(gh, p);
      const kph = matmul(k, ph);
      return [add(sub(sub(kph, mT(matmul(p, k))), matmul(matmul(a, p), kph)), matmul(matmul(ph, p), sub(gh, matmul(k, a))))];
    }
    const k = matmul(p, gh);
    const phk = matmul(ph, k);
    return [sub(add(sub(matmul(matmul(sub(gh, matmul(a, k)), p), ph), mT(matmul(k, p))), phk), matmul(matmul(phk, p), a))];
  },
});

/**
 * `linalg.pinv(A, { atol, rtol, hermitian })`: the Moore-Penrose pseudo-inverse of each matrix of a
 * [..., m, n] batch ([..., n, m]), from its SVD (its eigendecomposition with `hermitian`), singular
 * values at or below max(atol, rtol·σ_max) taken as zero, PyTorch's defaults. Differentiable
 * (PyTorch's pinv_backward).
 *
 * @example linalg.pinv(tensor([[1, 2], [2, 4]])) // [[0.04, 0.08], [0.08, 0.16]]
 */
export function pinv(A: Tensor, opts: RankOptions = {}): Tensor {
  checkFloat("linalg.pinv", A);
  checkMatrix("linalg.pinv", A);
  const { A: a, ...t } = tolerances("linalg.pinv", A, opts);
  if (t.hermitian) checkSquare("linalg.pinv", A);
  return apply(pinvOp, [a], t);
}

/** torch.pinverse (exported as `pinverse` by linalg-top.ts): `linalg.pinv` with PyTorch's `rcond` (a relative tolerance, default 1e-15). */
export function pinverseTop(A: Tensor, rcond = 1e-15): Tensor {
  if (typeof rcond !== "number" || !(rcond >= 0)) throw new Error(`pinverse: rcond must be a non-negative number, got ${String(rcond)}`);
  checkFloat("pinverse", A);
  checkMatrix("pinverse", A);
  const count = batchCount(A.shape);
  return apply(pinvOp, [A], { atol: new Float64Array(count), rtol: new Float64Array(count).fill(rcond), hermitian: false });
}

/**
 * `linalg.matrixRank(A, { atol, rtol, hermitian })`: the number of singular values of each matrix
 * above max(atol, rtol·σ_max), as int64 (PyTorch's defaults: rtol = eps·max(m, n)).
 *
 * @example linalg.matrixRank(tensor([[1, 2], [2, 4]])) // 1
 */
export function matrixRank(A: Tensor, opts: RankOptions = {}): Tensor {
  checkFloat("linalg.matrixRank", A);
  checkMatrix("linalg.matrixRank", A);
  const { A: a, atol, rtol, hermitian } = tolerances("linalg.matrixRank", A, opts);
  if (hermitian) checkSquare("linalg.matrixRank", A);
  const [m, n] = A.shape.slice(-2);
  const ranks: number[] = [];
  eachMatrix(a, (mat, b) => {
    const { s } = spectrum(mat, m, n, hermitian, false);
    const tol = cutoff(s, atol[b], rtol[b]);
    ranks.push(s.reduce((c, v) => c + (Math.abs(v) > tol ? 1 : 0), 0));
  });
  return reshape(tensor(ranks, { dtype: "int64" }), a.shape.slice(0, -2));
}

declareOptions({
  "linalg.svd": ["fullMatrices"], "linalg.pinv": ["atol", "rtol", "hermitian"], "linalg.matrixRank": ["atol", "rtol", "hermitian"],
});
const OPTIONAL_ARGS = declareOptionalArgs({
  "linalg.eigh": { first: 1, names: ["UPLO"] }, "linalg.eigvalsh": { first: 1, names: ["UPLO"] },
  svd: { first: 1, names: ["some"] }, pinverse: { first: 1, names: ["rcond"] },
});
export type EigOptionalArgs = typeof OPTIONAL_ARGS;
