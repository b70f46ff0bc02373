/**
 * `linalg.lstsq`: least-squares solutions of A·X = B. The solution is pinv(A)·B (the minimum-norm
 * least-squares solution, singular values at or below rcond·σmax dropped), which is what LAPACK's
 * drivers give for full-rank A and what gelsy/gelsd/gelss give for rank-deficient A up to how they
 * decide the rank (gelsy from a pivoted QR, deeptype from the SVD). Its gradient is PyTorch's
 * (linalg_lstsq_backward goes through pinv too). The other outputs follow PyTorch's drivers: which
 * of residuals, rank and singularValues each computes, and empty tensors for the rest; they carry no
 * gradient, as PyTorch's.
 */
import type { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { declareOptionalArgs } from "../tensor/check.js";
import { zeros } from "../tensor/creation.js";
import { squeeze, unsqueeze, detach } from "./shape.js";
import { sub } from "./elementwise.js";
import { sum } from "./reduce.js";
import { matmul } from "./matmul.js";
import { namedTuple } from "./named-tuple.js";
import { checkFloat, checkMatrix, torchTypeName } from "./linalg-lu.js";
import { matrixRank, pinv } from "./linalg-eig.js";
import { svdvals } from "./linalg-svd.js";

type Driver = "gels" | "gelsy" | "gelsd" | "gelss";

/** `linalg.lstsq`'s keyword-only option. */
export interface LstsqOptions {
  /** LAPACK's driver, for which outputs are computed: "gelsy" (default), "gels", "gelsd", "gelss". */
  driver?: Driver;
}

/** `{ solution, residuals, rank, singularValues }`, also that array (torch.return_types.linalg_lstsq; singular_values in camelCase). */
export type LstsqTuple = [Tensor, Tensor, Tensor, Tensor] & {
  readonly solution: Tensor; readonly residuals: Tensor; readonly rank: Tensor; readonly singularValues: Tensor;
};

/**
 * `linalg.lstsq(A, B, rcond?, { driver })`: X minimising ‖A·X - B‖ for each matrix of a [..., m, n]
 * batch; B is [..., m, k] or, with one dim fewer than A, a batch of vectors [..., m]. rcond (default
 * eps·max(m, n)) sets which singular values count as zero. Differentiable in A and B (the solution).
 *
 * @example linalg.lstsq(tensor([[1, 0], [0, 1], [1, 1]]), tensor([1, 1, 0])).solution // [1/3, 1/3]
 */
export function lstsq(A: Tensor, B: Tensor, rcond?: number | null, opts: LstsqOptions = {}): LstsqTuple {
  const op = "linalg.lstsq";
  const { driver = "gelsy" } = opts;
  if (driver !== "gels" && driver !== "gelsy" && driver !== "gelsd" && driver !== "gelss") {
    throw new Error(`${op}: parameter \`driver\` should be one of (gels, gelsy, gelsd, gelss), got ${String(driver)}`);
  }
  if (rcond !== undefined && rcond !== null && (typeof rcond !== "number" || !(rcond >= 0))) {
    throw new Error(`${op}: rcond must be a non-negative number or null, got ${String(rcond)}`);
  }
  checkFloat(op, A, "A");
  checkFloat(op, B, "B");
  checkMatrix(op, A, "A");
  if (A.dtype !== B.dtype) {
    throw new Error(`${op}: Expected input and other to have the same dtype, but got input's dtype ${torchTypeName(A.dtype)} and other's dtype ${torchTypeName(B.dtype)}`);
  }
  if (B.ndim > A.ndim || A.ndim - B.ndim > 1) {
    throw new Error(`${op}: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1 (A ${fmt(A.shape)}, B ${fmt(B.shape)})`);
  }
  const [m, n] = A.shape.slice(-2);
  const vector = B.ndim === A.ndim - 1;
  if (vector ? B.shape[B.ndim - 1] !== m : B.ndim < 2 || B.shape[B.ndim - 2] !== m) {
    throw new Error(`${op}: input.size(-2) should match other.size(${vector ? -1 : -2}) (A ${fmt(A.shape)}, B ${fmt(B.shape)})`);
  }
  const eps = A.dtype === "float32" ? 2 ** -23 : 2 ** -52;
  const rtol = rcond ?? eps * Math.max(m, n);
  const bm = vector ? unsqueeze(B, -1) : B;
  const x = matmul(pinv(A, { rtol }), bm);
  const empty = (dtype: "int64" | typeof A.dtype): Tensor => zeros([0], { dtype });
  const rank = driver === "gels" ? empty("int64") : matrixRank(A, { rtol });
  // PyTorch computes residuals (‖A·X - B‖² per column) when m > n, every matrix has full rank, and the driver is not gelsy.
  let residuals = empty(A.dtype);
  if (driver !== "gelsy" && m > n && numel(A) > 0 && matrixRank(A, { rtol }).contiguous().data().every((r) => r === n)) {
    const r = sub(matmul(detach(A), detach(x)), detach(bm));
    residuals = sum(r.mul(r), -2); // [..., 1] for a vector B too, as PyTorch's
  }
  const singularValues = driver === "gelsd" || driver === "gelss" ? svdvals(detach(A)) : empty(A.dtype);
  return namedTuple<LstsqTuple>(["solution", "residuals", "rank", "singularValues"], [vector ? squeeze(x, -1) : x, residuals, rank, singularValues]);
}

const numel = (t: Tensor): number => t.shape.reduce((a, b) => a * b, 1);

const OPTIONAL_ARGS = declareOptionalArgs({ "linalg.lstsq": { first: 2, names: ["rcond"], bag: ["driver"] } });
export type LstsqOptionalArgs = typeof OPTIONAL_ARGS;
