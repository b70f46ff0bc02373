/**
 * PyTorch's top-level names for torch.linalg functions (torch.det, torch.logdet, torch.slogdet,
 * torch.inverse, torch.matrix_power, torch.cholesky, torch.qr) and their Tensor methods (x.det(),
 * x.inverse(), ...), defined in linalg-solve.ts and linalg-decomp.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import { installMethods } from "./op.js";
import { type SlogdetTuple, det, inverse, logdet, matrixPower, slogdet } from "./linalg-solve.js";
import { type QrTuple, choleskyTop, qrTop } from "./linalg-decomp.js";

/**
 * `cholesky(A, upper = false)`: torch.cholesky, `linalg.cholesky` with `upper` positional.
 *
 * @example cholesky(tensor([[4, 2], [2, 5]]), true) // [[2, 1], [0, 2]]
 */
export function cholesky(A: Tensor, upper = false): Tensor {
  return choleskyTop(A, upper);
}

/**
 * `qr(A, some = true)`: torch.qr, `linalg.qr` with mode "reduced" (some) or "complete".
 *
 * @example const [Q, R] = qr(tensor([[3, 1], [4, 2]]))
 */
export function qr(A: Tensor, some = true): QrTuple {
  return qrTop(A, some);
}

export { det, logdet, slogdet, inverse, matrixPower };

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `linalg.det(x)`: the determinant of each matrix of a [..., n, n] batch. */
    det(): Tensor;
    /** `logdet(x)`: log(det) of each matrix (NaN for a negative determinant). */
    logdet(): Tensor;
    /** `linalg.slogdet(x)`: `{ sign, logabsdet }` of each matrix's determinant. */
    slogdet(): SlogdetTuple;
    /** `linalg.inv(x)`: the inverse of each matrix. */
    inverse(): Tensor;
    /** `linalg.matrixPower(x, n)`: each matrix to the integer power n. */
    matrixPower(n: number): Tensor;
    /** `cholesky(x, upper)`: the Cholesky factor of each matrix. */
    cholesky(upper?: boolean): Tensor;
    cholesky(opts: { upper?: boolean }): Tensor;
    /** `qr(x, some)`: `{ Q, R }` of each matrix. */
    qr(some?: boolean): QrTuple;
    qr(opts: { some?: boolean }): QrTuple;
  }
}

installMethods({
  det, logdet, slogdet, inverse, matrixPower: (x: Tensor, n: number) => matrixPower(x, n),
  cholesky: (x: Tensor, upper?: boolean) => cholesky(x, upper), qr: (x: Tensor, some?: boolean) => qr(x, some),
});
