/**
 * torch.geqrf (LAPACK's packed QR: R and the Householder vectors in one matrix, with their scales tau)
 * and torch.linalg.householder_product (the first n columns of H_0·H_1·…·H_{k-1}, LAPACK's orgqr).
 * geqrf is computed in float64 as linalg.qr's (linalg-decomp.ts) and, as PyTorch's, has no gradient;
 * householderProduct is a composition of differentiable ops (each reflector applied as
 * Q - tau·v·(vᵀQ)), so its gradients in A (the entries below the diagonal it reads) and tau are exact.
 */
import type { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { ones, zeros } from "../tensor/creation.js";
import { apply, defineOp } from "./op.js";
import { expand, narrow, select, unsqueeze } from "./shape.js";
import { cat } from "./join.js";
import { mul, sub } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { namedTuple } from "./named-tuple.js";
import { batchCount, checkFloat, checkMatrix, eachMatrix, fromBlocks, torchTypeName } from "./linalg-lu.js";
import { geqr2 } from "./linalg-decomp.js";

/** geqrf packs a and tau side by side, [..., m, n + 1]: tau in the last column's first k rows. */
const geqrfOp = defineOp<undefined>({
  name: "geqrf",
  forward([x]) {
    const [m, n] = x.shape.slice(-2);
    const blocks: Float64Array[] = [];
    eachMatrix(x, (a) => {
      const tau = geqr2(a, m, n);
      const packed = new Float64Array(m * (n + 1));
      for (let i = 0; i < m; i++) {
        packed.set(a.subarray(i * n, (i + 1) * n), i * (n + 1));
        if (i < tau.length) packed[i * (n + 1) + n] = tau[i];
      }
      blocks.push(packed);
    });
    return fromBlocks([...x.shape.slice(0, -2), m, n + 1], x.dtype, m * (n + 1), batchCount(x.shape), (b) => blocks[b]);
  },
  backward: () => {
    throw new Error("geqrf: the derivative for 'geqrf' is not implemented (as PyTorch); differentiate linalg.qr instead");
  },
});

/** `{ a, tau }`, also `[a, tau]` (torch.return_types.geqrf). */
export type GeqrfTuple = [Tensor, Tensor] & { readonly a: Tensor; readonly tau: Tensor };

/**
 * `geqrf(A)`: torch.geqrf, LAPACK's QR of each matrix of a [..., m, n] batch in packed form: R on and
 * above the diagonal of `a`, the Householder vectors below it (leading 1 implied), their scales `tau`
 * [..., min(m, n)]. No gradient (PyTorch has none).
 *
 * @example const { a, tau } = geqrf(tensor([[3, 1], [4, 2]])) // a [[-5, -2.2], [0.5, 0.4]], tau [1.6, 0]
 */
export function geqrf(A: Tensor): GeqrfTuple {
  checkFloat("geqrf", A);
  if (A.ndim < 2) throw new Error(`geqrf: input must have at least 2 dimensions, got shape ${fmt(A.shape)}.`);
  const [m, n] = A.shape.slice(-2);
  const packed = apply(geqrfOp, [A], undefined);
  const tau = select(narrow(narrow(packed, -1, n, 1), -2, 0, Math.min(m, n)), -1, 0);
  return namedTuple<GeqrfTuple>(["a", "tau"], [narrow(packed, -1, 0, n), tau]);
}

/**
 * `linalg.householderProduct(A, tau)`: the first n columns of H_0·H_1·…·H_{k-1} for each matrix of a
 * [..., m, n] batch (m >= n >= k), H_i = I - tau_i·v_i·v_iᵀ with v_i column i of A below the diagonal
 * and a 1 on it, as LAPACK's orgqr (so `householderProduct(...geqrf(A))` is linalg.qr's Q).
 * Differentiable in A and tau.
 *
 * @example linalg.householderProduct(...geqrf(A)) // linalg.qr(A).Q
 */
export function householderProduct(A: Tensor, tau: Tensor): Tensor {
  const op = "linalg.householderProduct";
  checkFloat(op, A, "A");
  checkFloat(op, tau, "tau");
  checkMatrix(op, A, "A");
  const [m, n] = A.shape.slice(-2);
  if (m < n) throw new Error(`${op}: input.shape[-2] must be greater than or equal to input.shape[-1] (got ${m} < ${n})`);
  if (tau.ndim !== A.ndim - 1) {
    throw new Error(`${op}: Expected tau to have one dimension less than input, but got tau.ndim equal to ${tau.ndim} and input.ndim is equal to ${A.ndim}`);
  }
  const k = tau.shape[tau.ndim - 1];
  if (k > n) throw new Error(`${op}: input.shape[-1] must be greater than or equal to tau.shape[-1] (got ${n} < ${k})`);
  const batch = A.shape.slice(0, -2);
  if (tau.shape.slice(0, -1).some((s, i) => s !== batch[i])) {
    throw new Error(`${op}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got ${fmt(tau.shape.slice(0, -1))} and ${fmt(batch)}`);
  }
  if (A.dtype !== tau.dtype) {
    throw new Error(`${op}: tau dtype ${torchTypeName(tau.dtype)} does not match input dtype ${torchTypeName(A.dtype)}`);
  }
  const eye = new Float64Array(m * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  let q = expand(fromBlocks([m, n], A.dtype, m * n, 1, () => eye), [...batch, m, n]);
  for (let i = k - 1; i >= 0; i--) {
    const below = narrow(select(A, -1, i), -1, i + 1, m - i - 1);
    const v = cat([zeros([...batch, i], { dtype: A.dtype }), ones([...batch, 1], { dtype: A.dtype }), below], -1);
    const w = matmul(unsqueeze(v, -2), q); // vᵀ·Q, [..., 1, n]
    const t = unsqueeze(unsqueeze(select(tau, -1, i), -1), -1);
    q = sub(q, mul(mul(t, unsqueeze(v, -1)), w));
  }
  return q;
}
