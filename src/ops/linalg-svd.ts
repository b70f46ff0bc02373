/**
 * Singular values (`linalg.svdvals`), for the nuclear and spectral matrix norms, and the thin SVD that
 * linalg.svd, pinv, matrixRank and cond share. Each matrix of a [..., m, n] batch is decomposed in
 * float64 by Householder bidiagonalization and Golub-Kahan QR (linalg-spectral.ts, LAPACK's algorithm);
 * a wide matrix (m < n) through its transpose. Non-finite entries are PyTorch's error.
 *
 * The gradient of σ is U·diag(g)·Vᵀ (PyTorch's svd backward when only S is used); its own gradient
 * is not implemented and says so.
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { apply, defineOp } from "./op.js";
import { contiguous } from "./shape.js";
import { eachMatrix } from "./linalg-lu.js";
import { type Svd, golubKahanSvd } from "./linalg-spectral.js";

/** Thin SVD of any m×n matrix (k = min(m, n)): u m×k, s k, v n×k (u and v empty without `vectors`). */
export function thinSvd(a: Float64Array, m: number, n: number, vectors = true): Svd {
  if (m === 0 || n === 0) return { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0) };
  if (m >= n) return golubKahanSvd(a, m, n, vectors);
  const at = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
  const r = golubKahanSvd(at, n, m, vectors);
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
    eachMatrix(x, (a, b) => (out.storage.data as Float64Array).set(thinSvd(a, m, n, false).s, b * k)); // x is floating
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
