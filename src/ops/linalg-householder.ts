/**
 * torch.geqrf (LAPACK's packed QR: R and the Householder vectors in one matrix, with their scales tau),
 * torch.ormqr (C times that Q, without forming it; no gradient, as PyTorch's), torch.orgqr
 * and torch.linalg.householder_product (the first n columns of H_0·H_1·…·H_{k-1}, LAPACK's orgqr).
 * geqrf is computed in float64 as linalg.qr's (linalg-decomp.ts) and, as PyTorch's, has no gradient;
 * householderProduct is a composition of differentiable ops (each reflector applied as
 * Q - tau·v·(vᵀQ)), so its gradients in A (the entries below the diagonal it reads) and tau are exact.
 */
import { Tensor } from "../tensor/tensor.js";
import { declareOptionalArgs } from "../tensor/check.js";
import { fmt } from "../tensor/shape.js";
import { ones, zeros, zerosLike } from "../tensor/creation.js";
import { apply, defineOp } from "./op.js";
import { contiguous, expand, narrow, select, unsqueeze } from "./shape.js";
import { cat } from "./join.js";
import { mul, sub, where } from "./elementwise.js";
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
  // No reflectors (k = 0): Q is the identity, kept in A's graph as PyTorch's (a zero gradient).
  if (k === 0 && A.requiresGrad) return where(zerosLike(A).to("bool"), A, q);
  return q;
}

/** Q·C, Qᵀ·C, C·Q or C·Qᵀ of each matrix (inputs: the reflectors [..., mn, k'], tau [..., k], C [..., m, n]). */
const ormqrOp = defineOp<{ left: boolean; transpose: boolean }>({
  name: "ormqr",
  forward([x, tau, other], { left, transpose }) {
    const [mn, kk] = x.shape.slice(-2);
    const [m, n] = other.shape.slice(-2);
    const k = tau.shape[tau.ndim - 1];
    const xd = contiguous(x).data(), td = contiguous(tau).data();
    const out = Tensor.empty(other.shape, other.dtype);
    const data = out.storage.data as Float32Array | Float64Array;
    eachMatrix(other, (c, b) => {
      const v = new Float64Array(mn);
      // H_i = I - tau_i·v_i·v_iᵀ, Q = H_0·H_1·…·H_{k-1}: Q·C and C·Qᵀ apply H_{k-1} first, Qᵀ·C and C·Q H_0 first.
      const forward = left === transpose;
      for (let s = 0; s < k; s++) {
        const i = forward ? s : k - 1 - s;
        const t = td[b * k + i];
        if (t === 0) continue;
        v.fill(0);
        v[i] = 1;
        for (let r = i + 1; r < mn; r++) v[r] = xd[b * mn * kk + r * kk + i];
        if (left) {
          // C <- C - t·v·(vᵀ·C), rows i.. of C.
          for (let j = 0; j < n; j++) {
            let dot = 0;
            for (let r = i; r < m; r++) dot += v[r] * c[r * n + j];
            dot *= t;
            if (dot !== 0) for (let r = i; r < m; r++) c[r * n + j] -= dot * v[r];
          }
        } else {
          // C <- C - t·(C·v)·vᵀ, columns i.. of C.
          for (let r = 0; r < m; r++) {
            let dot = 0;
            for (let j = i; j < n; j++) dot += c[r * n + j] * v[j];
            dot *= t;
            if (dot !== 0) for (let j = i; j < n; j++) c[r * n + j] -= dot * v[j];
          }
        }
      }
      data.set(c, b * m * n);
    });
    return out;
  },
  backward: () => {
    throw new Error("ormqr: the derivative for 'ormqr' is not implemented (as PyTorch)");
  },
});

/**
 * `ormqr(A, tau, C, left = true, transpose = false)`: torch.ormqr, C multiplied by the Q of `geqrf`'s
 * packed reflectors without forming Q (LAPACK's ormqr): Q·C, Qᵀ·C with `transpose`, C·Q or C·Qᵀ with
 * `left: false`. A is [..., mn, k'] (mn = C's rows when left, its columns otherwise), tau [..., k],
 * k <= min(mn, k'). No gradient (PyTorch has none).
 *
 * @example ormqr(...geqrf(A), C) // = linalg.householderProduct(...geqrf(A)) · C for a square A
 */
export function ormqr(A: Tensor, tau: Tensor, C: Tensor, left = true, transpose = false): Tensor {
  const op = "ormqr";
  for (const [name, v] of [["left", left], ["transpose", transpose]] as const) {
    if (typeof v !== "boolean") throw new Error(`${op}: ${name} must be true or false, got ${String(v)}`);
  }
  for (const [name, t] of [["input", A], ["tau", tau], ["other", C]] as const) {
    if (!(t instanceof Tensor)) throw new Error(`${op}: ${name} must be a Tensor, got ${typeof t}`);
    checkFloat(op, t, name);
  }
  if (A.ndim < 2) throw new Error(`${op}: input must have at least 2 dimensions.`);
  if (C.ndim < 2) throw new Error(`${op}: other must have at least 2 dimensions.`);
  if (tau.ndim !== A.ndim - 1) {
    throw new Error(`${op}: Expected tau to have one dimension less than input, but got tau.ndim equal to ${tau.ndim} and input.ndim is equal to ${A.ndim}`);
  }
  if (C.ndim !== A.ndim) throw new Error(`${op}: Expected other to have the same number of dimensions as input, but got other.ndim equal to ${C.ndim} and input.ndim is equal to ${A.ndim}`);
  const [mn, kk] = A.shape.slice(-2);
  const k = tau.shape[tau.ndim - 1];
  const [m, n] = C.shape.slice(-2);
  if (left) {
    if (m !== mn) throw new Error(`${op}: other.shape[-2] must be equal to input.shape[-2] (got ${m} and ${mn})`);
    if (m < k) throw new Error(`${op}: other.shape[-2] must be greater than or equal to tau.shape[-1] (got ${m} < ${k})`);
  } else {
    if (n !== mn) throw new Error(`${op}: other.shape[-1] must be equal to input.shape[-2] (got ${n} and ${mn})`);
    if (n < k) throw new Error(`${op}: other.shape[-1] must be greater than or equal to tau.shape[-1] (got ${n} < ${k})`);
  }
  if (k > kk) throw new Error(`${op}: tau.shape[-1] must be less than or equal to input.shape[-1] (got ${k} > ${kk})`);
  const batch = A.shape.slice(0, -2);
  const same = (s: readonly number[]): boolean => s.length === batch.length && s.every((x, i) => x === batch[i]);
  if (!same(tau.shape.slice(0, -1))) throw new Error(`${op}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got ${fmt(tau.shape.slice(0, -1))} and ${fmt(batch)}`);
  if (!same(C.shape.slice(0, -2))) throw new Error(`${op}: Expected batch dimensions of other to be equal to input.shape[:-2], but got ${fmt(C.shape.slice(0, -2))} and ${fmt(batch)}`);
  for (const [name, t] of [["tau", tau], ["other", C]] as const) {
    if (t.dtype !== A.dtype) throw new Error(`${op}: Expected input and ${name} to have the same dtype, but input has dtype ${torchTypeName(A.dtype)} and ${name} has dtype ${torchTypeName(t.dtype)}`);
  }
  if (A.requiresGrad || tau.requiresGrad || C.requiresGrad) throw new Error(`${op}: the derivative for 'ormqr' is not implemented (as PyTorch); detach its inputs first`);
  return apply(ormqrOp, [A, tau, C], { left, transpose });
}

/**
 * `orgqr(A, tau)`: torch.orgqr, the same as `linalg.householderProduct(A, tau)` (Q from `geqrf`'s
 * reflectors, LAPACK's orgqr). Differentiable.
 *
 * @example orgqr(...geqrf(A)) // linalg.qr(A).Q
 */
export function orgqr(A: Tensor, tau: Tensor): Tensor {
  return householderProduct(A, tau);
}

const OPTIONAL_ARGS = declareOptionalArgs({ ormqr: { first: 3, names: ["left", "transpose"] } });
export type HouseholderOptionalArgs = typeof OPTIONAL_ARGS;
