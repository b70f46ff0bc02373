/**
 * PyTorch's top-level solvers that came before torch.linalg and are still in 1.13 (session 14):
 * torch.cholesky_solve, torch.cholesky_inverse, and the deprecated torch.triangular_solve, torch.lu and
 * torch.lu_solve (PyTorch points to linalg.solveTriangular, linalg.luFactor and linalg.luSolve; they
 * are here so code written against them runs). cholesky_solve and cholesky_inverse read only the
 * triangle `upper` names, as LAPACK's potrs/potri, and their gradients are PyTorch's formulas
 * (cholesky_solve_backward, cholesky_inverse_backward), which treat the factor as a full matrix:
 * the gradient reaches the other triangle too, as PyTorch's does.
 */
import { Tensor } from "../tensor/tensor.js";
import { declareOptionalArgs } from "../tensor/check.js";
import { type OpDef, apply, defineOp } from "./op.js";
import { broadcastShapes } from "../tensor/shape.js";
import { clone, detach, expand, sumTo, transpose } from "./shape.js";
import { add, neg } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { tril, triu } from "./indexing.js";
import { namedTuple } from "./named-tuple.js";
import { checkFloat, checkSquare, torchTypeName } from "./linalg-lu.js";
import { solveTriangular } from "./linalg-extra.js";
import { luSolve as linalgLuSolve, luFactor, luFactorEx, type LuFactorTuple, type LuFactorExTuple } from "./linalg-lu-ops.js";

const mT = (x: Tensor): Tensor => transpose(x, -1, -2);

/** A⁻¹·B with A = L·Lᵀ (Uᵀ·U with upper), from the triangle of `f` that `upper` names (no graph). */
function cholSolveValues(b: Tensor, f: Tensor, upper: boolean): Tensor {
  const t = upper ? triu(detach(f)) : tril(detach(f));
  const lower = upper ? mT(t) : t;
  return solveTriangular(mT(lower), solveTriangular(lower, detach(b), { upper: false }), { upper: true });
}

const choleskySolveOp: OpDef<{ upper: boolean }> = defineOp<{ upper: boolean }>({
  name: "choleskySolve",
  forward([b, f], { upper }) {
    return cholSolveValues(b, f, upper).contiguous();
  },
  // PyTorch's cholesky_solve_backward: gB = cholesky_solve(g, L); with C = gB·Xᵀ + X·gBᵀ,
  // gL = -C·L (lower) or -U·C (upper). Both broadcast back to the inputs' batch shapes.
  backward: (g, { inputs: [b, f], output: x, attrs: { upper } }) => {
    const gb = choleskySolve(g, f, upper);
    const c = add(matmul(gb, mT(x)), matmul(x, mT(gb)));
    const gf = neg(upper ? matmul(f, c) : matmul(c, f));
    return [sumTo(gb, b.shape), sumTo(gf, f.shape)];
  },
});

function checkFactorPair(op: string, B: Tensor, L: Tensor, bName: string): void {
  for (const [name, t] of [[bName, B], ["L", L]] as const) {
    if (!(t instanceof Tensor)) throw new Error(`${op}: ${name} must be a Tensor, got ${typeof t}`);
  }
  checkFloat(op, B, bName);
  checkSquare(op, L, "L");
  if (B.ndim < 2) throw new Error(`${op}: ${bName} should have at least 2 dimensions, but has ${B.ndim} dimensions instead`);
  if (B.dtype !== L.dtype) throw new Error(`${op}: Expected ${bName} and L to have the same dtype, but found ${bName} of type ${torchTypeName(B.dtype)} and L of type ${torchTypeName(L.dtype)} instead.`);
  const n = L.shape[L.ndim - 1], [r, c] = B.shape.slice(-2);
  if (r !== n) throw new Error(`${op}: Incompatible matrix sizes: each L matrix is ${n} by ${n} but each ${bName} matrix is ${r} by ${c}`);
}

const checkUpper = (op: string, upper: unknown, name = "upper"): void => {
  if (typeof upper !== "boolean") throw new Error(`${op}: ${name} must be true or false, got ${String(upper)}`);
};

/**
 * `choleskySolve(B, L, upper = false)`: torch.cholesky_solve, X with A·X = B where A = L·Lᵀ (Uᵀ·U with
 * `upper`) from `linalg.cholesky`'s factor; only that triangle is read. B [..., n, k], batch dims
 * broadcast. Differentiable in B and L (PyTorch's formula).
 *
 * @example choleskySolve(B, linalg.cholesky(A)) // = linalg.solve(A, B)
 */
export function choleskySolve(B: Tensor, L: Tensor, upper = false): Tensor {
  const op = "choleskySolve";
  checkUpper(op, upper);
  checkFactorPair(op, B, L, "B");
  return apply(choleskySolveOp, [B, L], { upper });
}

const choleskyInverseOp: OpDef<{ upper: boolean }> = defineOp<{ upper: boolean }>({
  name: "choleskyInverse",
  forward([f], { upper }) {
    const n = f.shape[f.ndim - 1];
    const eye = expand(Tensor.fromArray(identityOf(n), [n, n], "float64").to(f.dtype), f.shape);
    return cholSolveValues(eye, f, upper).contiguous();
  },
  // PyTorch's cholesky_inverse_backward: C = A⁻¹·(g + gᵀ)·A⁻¹, gL = -C·L (lower) or -U·C (upper).
  backward: (g, { inputs: [f], output: inv, attrs: { upper } }) => {
    const c = matmul(inv, matmul(add(g, mT(g)), inv));
    return [neg(upper ? matmul(f, c) : matmul(c, f))];
  },
});

function identityOf(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

/**
 * `choleskyInverse(L, upper = false)`: torch.cholesky_inverse, (L·Lᵀ)⁻¹ (or (Uᵀ·U)⁻¹) from a Cholesky
 * factor of each matrix of a [..., n, n] batch; only that triangle is read. Differentiable (PyTorch's formula).
 *
 * @example choleskyInverse(linalg.cholesky(A)) // = linalg.inv(A)
 */
export function choleskyInverse(L: Tensor, upper = false): Tensor {
  const op = "choleskyInverse";
  checkUpper(op, upper);
  if (!(L instanceof Tensor)) throw new Error(`${op}: L must be a Tensor, got ${typeof L}`);
  checkSquare(op, L, "L");
  return apply(choleskyInverseOp, [L], { upper });
}

/** `{ solution, clonedCoefficient }`, also `[solution, clonedCoefficient]` (torch.return_types.triangular_solve). */
export type TriangularSolveTuple = [Tensor, Tensor] & { readonly solution: Tensor; readonly clonedCoefficient: Tensor };

/**
 * `triangularSolve(B, A, upper = true, transpose = false, unitriangular = false)`: the deprecated
 * torch.triangular_solve (PyTorch: use `linalg.solveTriangular(A, B, { upper })`): X with A·X = B
 * (Aᵀ·X = B with `transpose`) for triangular A, and a copy of A. Note B first and `upper` true by
 * default, as PyTorch's. Differentiable.
 *
 * @example triangularSolve(tensor([[3], [4]]), tensor([[2, 1], [0, 4]])).solution // [[1], [1]]
 */
export function triangularSolve(B: Tensor, A: Tensor, upper = true, transpose = false, unitriangular = false): TriangularSolveTuple {
  const op = "triangularSolve";
  for (const [name, v] of [["upper", upper], ["transpose", transpose], ["unitriangular", unitriangular]] as const) checkUpper(op, v, name);
  for (const [name, t] of [["B", B], ["A", A]] as const) {
    if (!(t instanceof Tensor)) throw new Error(`${op}: ${name} must be a Tensor, got ${typeof t}`);
    checkFloat(op, t, name);
  }
  checkSquare(op, A, "A", false);
  if (B.ndim < 2) throw new Error(`${op}: B should have at least 2 dimensions, but has ${B.ndim} dimensions instead`);
  const n = A.shape[A.ndim - 1], [r, c] = B.shape.slice(-2);
  if (r !== n) throw new Error(`${op}: Incompatible matrix sizes: each A matrix is ${n} by ${n} but each B matrix is ${r} by ${c}`);
  if (A.dtype !== B.dtype) throw new Error(`${op}: Expected B and A to have the same dtype, but found B of type ${torchTypeName(B.dtype)} and A of type ${torchTypeName(A.dtype)} instead.`);
  const x = solveTriangular(transpose ? mT(A) : A, B, { upper: transpose ? !upper : upper, unitriangular });
  const batch = broadcastShapes(B.shape.slice(0, -2), A.shape.slice(0, -2), op);
  return namedTuple<TriangularSolveTuple>(["solution", "clonedCoefficient"], [x, clone(expand(A, [...batch, n, n]))]);
}

/**
 * `lu(A, pivot = true, getInfos = false)`: the deprecated torch.lu (PyTorch: use `linalg.luFactor` /
 * `linalg.luFactorEx`): `[LU, pivots]`, with `getInfos` `[LU, pivots, info]` (and no error at a
 * singular matrix).
 *
 * @example const [LU, pivots] = lu(tensor([[1, 2], [3, 4]]))
 */
export function lu(A: Tensor, pivot = true, getInfos = false): LuFactorTuple | LuFactorExTuple {
  checkUpper("lu", pivot, "pivot");
  checkUpper("lu", getInfos, "getInfos");
  return getInfos ? luFactorEx(A, { pivot }) : luFactor(A, { pivot });
}

/**
 * `luSolve(B, LU, pivots)`: the deprecated torch.lu_solve (PyTorch: use `linalg.luSolve(LU, pivots, B)`,
 * whose arguments come in the other order): X with A·X = B from A's `lu` / `linalg.luFactor`.
 * Differentiable in B and LU.
 *
 * @example luSolve(B, ...linalg.luFactor(A)) // = linalg.solve(A, B)
 */
export function luSolve(B: Tensor, LU: Tensor, pivots: Tensor): Tensor {
  return linalgLuSolve(LU, pivots, B);
}

const OPTIONAL_ARGS = declareOptionalArgs({
  choleskySolve: { first: 2, names: ["upper"] }, choleskyInverse: { first: 1, names: ["upper"] },
  triangularSolve: { first: 2, names: ["upper", "transpose", "unitriangular"] }, lu: { first: 1, names: ["pivot", "getInfos"] },
  // torch.lu_solve has no optional parameters (linalg.luSolve's left / adjoint are not its): declared
  // so, an options object after its three tensors is an error naming it.
  luSolve: { first: 3, names: [] },
});
export type LegacyOptionalArgs = typeof OPTIONAL_ARGS;
