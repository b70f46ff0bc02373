/** `torch.linalg`, nested as in PyTorch: `linalg.norm(x)`, `linalg.vectorNorm(x, 1)`, `linalg.cross(a, b)`, `linalg.svdvals(a)`, `linalg.solve(A, B)`. */
import type { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { cross as crossAnyDim, type LinalgOptionalArgs } from "./linalg.js";
import type { LinalgNormOptionalArgs } from "./linalg-norm.js";
import type { DecompOptionalArgs } from "./linalg-decomp.js";
import type { EigOptionalArgs } from "./linalg-eig.js";
import type { LstsqOptionalArgs } from "./linalg-lstsq.js";
import type { ExtraOptionalArgs } from "./linalg-extra.js";

export { norm, vectorNorm, matrixNorm } from "./linalg-norm.js";
export { svdvals } from "./linalg-svd.js";
export { det, slogdet, inv, solve, matrixPower, multiDot, invEx, solveEx } from "./linalg-solve.js";
export { cholesky, qr, choleskyEx } from "./linalg-decomp.js";
export { eigh, eigvalsh, svd, pinv, matrixRank } from "./linalg-eig.js";
export { lstsq } from "./linalg-lstsq.js";
export { luFactor, lu, luSolve, luFactorEx } from "./linalg-lu-ops.js";
export { householderProduct } from "./linalg-householder.js";
export { ldlFactor, ldlFactorEx, ldlSolve } from "./linalg-ldl.js";
export { solveTriangular, matrixExp, cond, vecdot, matmul, diagonal, vander, tensorinv, tensorsolve } from "./linalg-extra.js";

/** The namespace's options-object forms (API.md rule 3), by the names it exports, for core.ts's types. */
export type LinalgNamespaceOptionalArgs = LinalgNormOptionalArgs & { cross: LinalgOptionalArgs["linalg.cross"]; qr: DecompOptionalArgs["linalg.qr"];
  eigh: EigOptionalArgs["linalg.eigh"]; eigvalsh: EigOptionalArgs["linalg.eigvalsh"]; lstsq: LstsqOptionalArgs["linalg.lstsq"];
  cond: ExtraOptionalArgs["linalg.cond"]; tensorinv: ExtraOptionalArgs["linalg.tensorinv"]; tensorsolve: ExtraOptionalArgs["linalg.tensorsolve"];
};

/** `linalg.cross(a, b, dim=-1)`: like `cross`, but the default dim is the last (PyTorch's linalg.cross). */
export function cross(a: Tensor, b: Tensor, dim = -1): Tensor {
  if (a.ndim !== b.ndim) {
    throw new Error(`linalg.cross: inputs must have the same number of dims, got ${fmt(a.shape)} and ${fmt(b.shape)} (unsqueeze the smaller one)`);
  }
  return crossAnyDim(a, b, dim);
}
