/**
 * PyTorch's top-level names for torch.linalg functions (torch.det, torch.logdet, torch.slogdet,
 * torch.inverse, torch.matrix_power, torch.cholesky, torch.qr, torch.svd, torch.pinverse, torch.matrix_exp)
 * and their Tensor methods (x.det(), x.inverse(), ...), defined in linalg-solve.ts, linalg-decomp.ts,
 * linalg-eig.ts and linalg-extra.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import { installMethods } from "./op.js";
import { type SlogdetTuple, det, inverse, logdet, matrixPower, slogdet } from "./linalg-solve.js";
import { type QrTuple, choleskyTop, qrTop } from "./linalg-decomp.js";
import { type SvdVTuple, pinverseTop, svdTop } from "./linalg-eig.js";
import { matrixExp as linalgMatrixExp } from "./linalg-extra.js";

export { luUnpack } from "./linalg-lu-ops.js";
import { type GeqrfTuple, geqrf, ormqr, orgqr } from "./linalg-householder.js";
import { type TriangularSolveTuple, choleskySolve, choleskyInverse, triangularSolve, lu, luSolve } from "./linalg-legacy.js";
import type { LuFactorTuple, LuFactorExTuple } from "./linalg-lu-ops.js";

export { geqrf, ormqr, orgqr, choleskySolve, choleskyInverse, triangularSolve, lu, luSolve };

/**
 * `matrixExp(A)`: torch.matrix_exp, the same as `linalg.matrixExp`.
 *
 * @example matrixExp(tensor([[0, 1], [0, 0]])) // [[1, 1], [0, 1]]
 */
export function matrixExp(A: Tensor): Tensor {
  return linalgMatrixExp(A);
}

/**
 * `svd(A, some = true)`: torch.svd, `{ U, S, V }` with V (not Vh); `some: false` gives the full U and V.
 *
 * @example const { U, S, V } = svd(tensor([[3, 0], [0, -4]])) // S [4, 3]
 */
export function svd(A: Tensor, some = true): SvdVTuple {
  return svdTop(A, some);
}

/**
 * `pinverse(A, rcond = 1e-15)`: torch.pinverse, `linalg.pinv` with a relative tolerance.
 *
 * @example pinverse(tensor([[2, 0], [0, 0]])) // [[0.5, 0], [0, 0]]
 */
export function pinverse(A: Tensor, rcond = 1e-15): Tensor {
  return pinverseTop(A, rcond);
}

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
    /** `svd(x, some)`: `{ U, S, V }` of each matrix. */
    svd(some?: boolean): SvdVTuple;
    svd(opts: { some?: boolean }): SvdVTuple;
    /** `pinverse(x, rcond)`: the pseudo-inverse of each matrix. */
    pinverse(rcond?: number): Tensor;
    pinverse(opts: { rcond?: number }): Tensor;
    /** `matrixExp(x)`: the matrix exponential of each matrix. */
    matrixExp(): Tensor;
    /** `geqrf(x)`: LAPACK's packed QR `{ a, tau }` of each matrix. */
    geqrf(): GeqrfTuple;
    /** `orgqr(x, tau)`: Q from x's Householder reflectors (`linalg.householderProduct`). */
    orgqr(tau: Tensor): Tensor;
    /** `ormqr(x, tau, other, left, transpose)`: other multiplied by the Q of x's reflectors. */
    ormqr(tau: Tensor, other: Tensor, left?: boolean, transpose?: boolean): Tensor;
    ormqr(tau: Tensor, other: Tensor, opts: { left?: boolean; transpose?: boolean }): Tensor;
    ormqr(tau: Tensor, other: Tensor, left: boolean, opts: { transpose?: boolean }): Tensor;
    /** `choleskySolve(x, L, upper)`: A⁻¹·x for A = L·Lᵀ (Uᵀ·U). */
    choleskySolve(L: Tensor, upper?: boolean): Tensor;
    choleskySolve(L: Tensor, opts: { upper?: boolean }): Tensor;
    /** `choleskyInverse(x, upper)`: (x·xᵀ)⁻¹ (or (xᵀ·x)⁻¹) from a Cholesky factor. */
    choleskyInverse(upper?: boolean): Tensor;
    choleskyInverse(opts: { upper?: boolean }): Tensor;
    /** `triangularSolve(x, A, upper, transpose, unitriangular)`: the deprecated torch.triangular_solve. */
    triangularSolve(A: Tensor, upper?: boolean, transpose?: boolean, unitriangular?: boolean): TriangularSolveTuple;
    triangularSolve(A: Tensor, opts: { upper?: boolean; transpose?: boolean; unitriangular?: boolean }): TriangularSolveTuple;
    triangularSolve(A: Tensor, upper: boolean, opts: { transpose?: boolean; unitriangular?: boolean }): TriangularSolveTuple;
    triangularSolve(A: Tensor, upper: boolean, transpose: boolean, opts: { unitriangular?: boolean }): TriangularSolveTuple;
    /** `lu(x, pivot, getInfos)`: the deprecated torch.lu. */
    lu(pivot?: boolean, getInfos?: boolean): LuFactorTuple | LuFactorExTuple;
    lu(opts: { pivot?: boolean; getInfos?: boolean }): LuFactorTuple | LuFactorExTuple;
    lu(pivot: boolean, opts: { getInfos?: boolean }): LuFactorTuple | LuFactorExTuple;
    /** `luSolve(x, LU, pivots)`: the deprecated torch.lu_solve. */
    luSolve(LU: Tensor, pivots: Tensor): Tensor;
  }
}

installMethods({
  det, logdet, slogdet, inverse, matrixPower: (x: Tensor, n: number) => matrixPower(x, n),
  cholesky: (x: Tensor, upper?: boolean) => cholesky(x, upper), qr: (x: Tensor, some?: boolean) => qr(x, some),
  svd: (x: Tensor, some?: boolean) => svd(x, some), pinverse: (x: Tensor, rcond?: number) => pinverse(x, rcond), matrixExp,
  geqrf, orgqr, ormqr: (x: Tensor, tau: Tensor, other: Tensor, left?: boolean, transpose?: boolean) => ormqr(x, tau, other, left, transpose),
  choleskySolve: (x: Tensor, L: Tensor, upper?: boolean) => choleskySolve(x, L, upper),
  choleskyInverse: (x: Tensor, upper?: boolean) => choleskyInverse(x, upper),
  triangularSolve: (x: Tensor, A: Tensor, upper?: boolean, transpose?: boolean, unitriangular?: boolean) => triangularSolve(x, A, upper, transpose, unitriangular),
  lu: (x: Tensor, pivot?: boolean, getInfos?: boolean) => lu(x, pivot, getInfos), luSolve,
});
