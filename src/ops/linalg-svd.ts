/**
 * Singular values (`linalg.svdvals`), for the nuclear and spectral matrix norms. Each matrix of a
 * [..., m, n] batch is decomposed in float64 by one-sided Jacobi (Hestenes): rotations orthogonalise
 * the columns of A until A·V = U·Σ. It works on A itself rather than on AᵀA, so small singular values
 * keep their accuracy; the sizes used in models' norms (at most a few hundred) converge in a handful
 * of sweeps. Written here rather than taken from a library: it is ~60 lines, and the npm linear-algebra
 * packages bring their own matrix types and no batching.
 *
 * The gradient of σ is U·diag(g)·Vᵀ (PyTorch's svd backward when only S is used); its own gradient
 * is not implemented and says so.
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { apply, defineOp } from "./op.js";
import { contiguous } from "./shape.js";
import { eachMatrix, rotatePair } from "./linalg-lu.js";

interface Svd { u: Float64Array; s: Float64Array; v: Float64Array } // u: m×k, v: n×k (column j is vector j), s: k

/** One-sided Jacobi SVD of the row-major m×n matrix `a` with m >= n: thin U (m×n), S, V (n×n), S descending. */
function jacobiTall(a: Float64Array, m: number, n: number): Svd {
  const u = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) {
          const up = u[i * n + p], uq = u[i * n + q];
          alpha += up * up;
          beta += uq * uq;
          gamma += up * uq;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        rotatePair(u, m, n, p, q, c, s);
        rotatePair(v, n, n, p, q, c, s);
      }
    }
    if (!rotated) break;
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < m; i++) ss += u[i * n + j] ** 2;
    sv[j] = Math.sqrt(ss);
    if (sv[j] > 0) for (let i = 0; i < m; i++) u[i * n + j] /= sv[j];
  }
  // Descending order, moving the columns of U and V with their values.
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => sv[y] - sv[x]);
  const out: Svd = { u: new Float64Array(m * n), s: new Float64Array(n), v: new Float64Array(n * n) };
  order.forEach((src, j) => {
    out.s[j] = sv[src];
    for (let i = 0; i < m; i++) out.u[i * n + j] = u[i * n + src];
    for (let i = 0; i < n; i++) out.v[i * n + j] = v[i * n + src];
  });
  completeBasis(out.u, out.s, m, n);
  return out;
}

/**
 * Columns of U for zero singular values are left zero by the rotations; give them the first standard
 * basis vectors orthogonal to the others (Gram-Schmidt), as LAPACK does for the zero matrix (U = I),
 * so that the gradient U·diag(g)·Vᵀ at zero is PyTorch's subgradient.
 */
function completeBasis(u: Float64Array, s: Float64Array, m: number, n: number): void {
  let next = 0;
  for (let j = 0; j < n; j++) {
    if (s[j] > 0) continue;
    for (; next < m; next++) {
      const e = new Float64Array(m);
      e[next] = 1;
      for (let c = 0; c < n; c++) {
        if (c === j || (s[c] === 0 && c > j)) continue;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u[i * n + c] * e[i];
        for (let i = 0; i < m; i++) e[i] -= dot * u[i * n + c];
      }
      const len = Math.hypot(...e);
      if (len > 0.5) {
        for (let i = 0; i < m; i++) u[i * n + j] = e[i] / len;
        next++;
        break;
      }
    }
  }
}

/** Thin SVD of any m×n matrix (k = min(m, n)): u m×k, s k, v n×k. */
export function thinSvd(a: Float64Array, m: number, n: number): Svd {
  if (m >= n) return jacobiTall(a, m, n);
  const at = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
  const r = jacobiTall(at, n, m);
  return { u: r.v, s: r.s, v: r.u };
}

/** d(Σ gᵢσᵢ)/dA = U·diag(g)·Vᵀ for each matrix (inputs: A, g). */
const svdvalsBackwardOp = defineOp<undefined>({
  name: "svdvalsBackward",
  forward([x, g]) {
    const [m, n] = x.shape.slice(-2);
    const k = Math.min(m, n);
    const out = Tensor.empty(x.shape, x.dtype);
    const gd = contiguous(g).data();
    eachMatrix(x, (a, b) => {
      const { u, v } = thinSvd(a, m, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let l = 0; l < k; l++) acc += u[i * k + l] * gd[b * k + l] * v[j * k + l];
          out.storage.data[b * m * n + i * n + j] = acc;
        }
      }
    });
    return out;
  },
  backward: () => {
    throw new Error("linalg.svdvals: the gradient of its gradient is not implemented; differentiate singular values (and the nuclear and spectral norms) once only");
  },
});

const svdvalsOp = defineOp<undefined>({
  name: "svdvals",
  forward([x]) {
    const [m, n] = x.shape.slice(-2);
    const k = Math.min(m, n);
    const out = Tensor.empty([...x.shape.slice(0, -2), k], x.dtype);
    eachMatrix(x, (a, b) => (out.storage.data as Float64Array).set(thinSvd(a, m, n).s, b * k)); // x is floating
    return out;
  },
  backward: (g, { inputs: [x] }) => [apply(svdvalsBackwardOp, [x, contiguous(g)], undefined)],
});

/**
 * `linalg.svdvals(A)`: the singular values of each matrix of a [..., m, n] batch, descending, shape
 * [..., min(m, n)]. Differentiable once.
 *
 * @example linalg.svdvals(tensor([[3, 0], [0, -4]])) // [4, 3]
 */
export function svdvals(x: Tensor): Tensor {
  if (x.ndim < 2) throw new Error(`linalg.svdvals: expects a matrix or a batch of matrices [..., m, n], got shape ${fmt(x.shape)}`);
  if (!isFloating(x.dtype)) throw new Error(`linalg.svdvals: expects a floating point tensor, got ${x.dtype} (use x.float())`);
  return apply(svdvalsOp, [x], undefined);
}
