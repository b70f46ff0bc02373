/**
 * OpInfo name -> deeptype call for torch.linalg and its top-level names (the LINALG list of
 * scripts/fixtures/opinfo.py, fixtures in linalg.json.gz; session 14). The same contract as
 * test/opinfo-map.ts: each entry is the call a PyTorch user would write, keyword arguments become
 * camelCase options, and an argument without a translation throws `Unsupported` (counted as not
 * covered, never as agreeing). The last group are op_db's linalg ops deeptype does not have: they throw
 * Unsupported with the reason, and test/opinfo-known.ts lists them.
 */
import {
  Tensor, cholesky, choleskyInverse, choleskySolve, geqrf, linalg, logdet, lu, luSolve, luUnpack, matmul, matrixExp, ormqr, pinverse, qr, svd, triangularSolve,
} from "../src/index.js";
import { Unsupported, type Out } from "./opinfo-map.js";

type Args = unknown[];
type Kw = Record<string, unknown>;
type Mapped = (input: unknown, args: Args, kw: Kw) => Out;

const T = (v: unknown): Tensor => v as Tensor;

/** Positional-or-keyword parameters in PyTorch's order; any other keyword (or an extra positional) is Unsupported. */
function params(args: Args, kw: Kw, names: string[], defaults: Kw = {}): Kw {
  for (const k of Object.keys(kw)) if (!names.includes(k)) throw new Unsupported(`keyword ${k}=${JSON.stringify(kw[k])?.slice(0, 60)}`);
  if (args.length > names.length) throw new Unsupported("extra positional arguments");
  return Object.fromEntries(names.map((n, i) => [n, args[i] ?? kw[n] ?? defaults[n]]));
}

/** A tolerance as recorded: a number, a tensor (one per matrix, broadcast with the batch) or None. */
const tol = (v: unknown): number | Tensor | undefined => (v === null || v === undefined ? undefined : (v as number | Tensor));

const notInDeeptype = (why: string): Mapped => () => { throw new Unsupported(why); };

export const LINALG_MAP: Record<string, Mapped> = {
  cholesky: (x, a, kw) => { const p = params(a, kw, ["upper"], { upper: false }); return cholesky(T(x), p.upper as boolean); },
  geqrf: (x, a, kw) => { params(a, kw, []); return geqrf(T(x)); },
  "linalg.cholesky": (x, a, kw) => { const p = params(a, kw, ["upper"], { upper: false }); return linalg.cholesky(T(x), { upper: p.upper as boolean }); },
  "linalg.cholesky_ex": (x, a, kw) => {
    const p = params(a, kw, ["upper", "check_errors"], { upper: false, check_errors: false });
    return linalg.choleskyEx(T(x), { upper: p.upper as boolean, checkErrors: p.check_errors as boolean });
  },
  "linalg.cond": (x, a, kw) => { const p = params(a, kw, ["p"], { p: null }); return linalg.cond(T(x), p.p as number | "fro" | "nuc" | null); },
  "linalg.det": (x, a, kw) => { params(a, kw, []); return linalg.det(T(x)); },
  "linalg.det.singular": (x, a, kw) => { params(a, kw, []); return linalg.det(T(x)); },
  "linalg.eigh": (x, a, kw) => { const p = params(a, kw, ["UPLO"], { UPLO: "L" }); return linalg.eigh(T(x), p.UPLO as "L" | "U"); },
  "linalg.eigvalsh": (x, a, kw) => { const p = params(a, kw, ["UPLO"], { UPLO: "L" }); return linalg.eigvalsh(T(x), p.UPLO as "L" | "U"); },
  "linalg.householder_product": (x, a, kw) => { const p = params(a, kw, ["tau"]); return linalg.householderProduct(T(x), T(p.tau)); },
  "linalg.inv": (x, a, kw) => { params(a, kw, []); return linalg.inv(T(x)); },
  "linalg.inv_ex": (x, a, kw) => { const p = params(a, kw, ["check_errors"], { check_errors: false }); return linalg.invEx(T(x), { checkErrors: p.check_errors as boolean }); },
  "linalg.ldl_factor": (x, a, kw) => { const p = params(a, kw, ["hermitian"], { hermitian: false }); return linalg.ldlFactor(T(x), { hermitian: p.hermitian as boolean }); },
  "linalg.ldl_factor_ex": (x, a, kw) => {
    const p = params(a, kw, ["hermitian", "check_errors"], { hermitian: false, check_errors: false });
    return linalg.ldlFactorEx(T(x), { hermitian: p.hermitian as boolean, checkErrors: p.check_errors as boolean });
  },
  "linalg.ldl_solve": (x, a, kw) => {
    const p = params(a, kw, ["pivots", "B", "hermitian"], { hermitian: false });
    return linalg.ldlSolve(T(x), T(p.pivots), T(p.B), { hermitian: p.hermitian as boolean });
  },
  "linalg.lstsq": (x, a, kw) => {
    const p = params(a, kw, ["b", "rcond", "driver"], { rcond: null, driver: null });
    return linalg.lstsq(T(x), T(p.b), p.rcond as number | null, { driver: (p.driver ?? undefined) as "gelsd" | undefined });
  },
  "linalg.lstsq.grad_oriented": (x, a, kw) => {
    const p = params(a, kw, ["b", "driver"], { driver: null });
    return linalg.lstsq(T(x), T(p.b), null, { driver: (p.driver ?? undefined) as "gelsd" | undefined }).solution;
  },
  "linalg.lu": (x, a, kw) => { const p = params(a, kw, ["pivot"], { pivot: true }); return linalg.lu(T(x), { pivot: p.pivot as boolean }); },
  "linalg.lu_factor": (x, a, kw) => { const p = params(a, kw, ["pivot"], { pivot: true }); return linalg.luFactor(T(x), { pivot: p.pivot as boolean }); },
  "linalg.lu_factor_ex": (x, a, kw) => {
    const p = params(a, kw, ["pivot", "check_errors"], { pivot: true, check_errors: false });
    return linalg.luFactorEx(T(x), { pivot: p.pivot as boolean, checkErrors: p.check_errors as boolean });
  },
  "linalg.lu_solve": (x, a, kw) => {
    const p = params(a, kw, ["pivots", "B", "left", "adjoint"], { left: true, adjoint: false });
    return linalg.luSolve(T(x), T(p.pivots), T(p.B), { left: p.left as boolean, adjoint: p.adjoint as boolean });
  },
  "linalg.matrix_power": (x, a, kw) => { const p = params(a, kw, ["n"]); return linalg.matrixPower(T(x), p.n as number); },
  "linalg.matrix_rank": (x, a, kw) => {
    const p = params(a, kw, ["atol", "rtol", "hermitian"], { hermitian: false });
    return linalg.matrixRank(T(x), { atol: tol(p.atol), rtol: tol(p.rtol), hermitian: p.hermitian as boolean });
  },
  "linalg.matrix_rank.hermitian": (x, a, kw) => {
    const p = params(a, kw, ["atol", "rtol", "hermitian"], { hermitian: false });
    return linalg.matrixRank(T(x), { atol: tol(p.atol), rtol: tol(p.rtol), hermitian: p.hermitian as boolean });
  },
  "linalg.multi_dot": (x, a, kw) => { params(a, kw, []); return linalg.multiDot(x as Tensor[]); },
  "linalg.pinv": (x, a, kw) => {
    const p = params(a, kw, ["atol", "rtol", "hermitian"], { hermitian: false });
    return linalg.pinv(T(x), { atol: tol(p.atol), rtol: tol(p.rtol), hermitian: p.hermitian as boolean });
  },
  "linalg.pinv.hermitian": (x, a, kw) => {
    const p = params(a, kw, ["atol", "rtol", "hermitian"], { hermitian: false });
    return linalg.pinv(T(x), { atol: tol(p.atol), rtol: tol(p.rtol), hermitian: p.hermitian as boolean });
  },
  // OpInfo's op for this variant: lambda a, b: torch.linalg.pinv(a @ b.mT)
  "linalg.pinv.singular": (x, a, kw) => { params(a, kw, ["b"]); return linalg.pinv(matmul(T(x), T(a[0]).mT)); },
  "linalg.qr": (x, a, kw) => { const p = params(a, kw, ["mode"], { mode: "reduced" }); return linalg.qr(T(x), p.mode as "reduced"); },
  "linalg.slogdet": (x, a, kw) => { params(a, kw, []); return linalg.slogdet(T(x)); },
  "linalg.solve": (x, a, kw) => { const p = params(a, kw, ["B", "left"], { left: true }); return linalg.solve(T(x), T(p.B), { left: p.left as boolean }); },
  "linalg.solve_ex": (x, a, kw) => {
    const p = params(a, kw, ["B", "left", "check_errors"], { left: true, check_errors: false });
    return linalg.solveEx(T(x), T(p.B), { left: p.left as boolean, checkErrors: p.check_errors as boolean });
  },
  "linalg.solve_triangular": (x, a, kw) => {
    const p = params(a, kw, ["B", "upper", "left", "unitriangular"], { left: true, unitriangular: false });
    return linalg.solveTriangular(T(x), T(p.B), { upper: p.upper as boolean, left: p.left as boolean, unitriangular: p.unitriangular as boolean });
  },
  "linalg.svd": (x, a, kw) => {
    const p = params(a, kw, ["full_matrices", "driver"], { full_matrices: true, driver: null });
    if (p.driver !== null) throw new Unsupported("driver (CUDA only)");
    return linalg.svd(T(x), { fullMatrices: p.full_matrices as boolean });
  },
  "linalg.tensorinv": (x, a, kw) => { const p = params(a, kw, ["ind"], { ind: 2 }); return linalg.tensorinv(T(x), p.ind as number); },
  "linalg.tensorsolve": (x, a, kw) => { const p = params(a, kw, ["B", "dims"], { dims: null }); return linalg.tensorsolve(T(x), T(p.B), p.dims as number[] | null); },
  "linalg.vander": (x, a, kw) => { const p = params(a, kw, ["N"], { N: null }); return linalg.vander(T(x), { N: (p.N ?? undefined) as number | undefined }); },
  "linalg.vecdot": (x, a, kw) => { const p = params(a, kw, ["y", "dim"], { dim: -1 }); return linalg.vecdot(T(x), T(p.y), { dim: p.dim as number }); },
  logdet: (x, a, kw) => { params(a, kw, []); return logdet(T(x)); },
  lu_unpack: (x, a, kw) => {
    const p = params(a, kw, ["pivots", "unpack_data", "unpack_pivots"], { unpack_data: true, unpack_pivots: true });
    if (p.unpack_data !== true || p.unpack_pivots !== true) throw new Unsupported("unpack_data / unpack_pivots false");
    return luUnpack(T(x), T(p.pivots));
  },
  matrix_exp: (x, a, kw) => { params(a, kw, []); return matrixExp(T(x)); },
  ormqr: (x, a, kw) => {
    const p = params(a, kw, ["input2", "input3", "left", "transpose"], { left: true, transpose: false });
    return ormqr(T(x), T(p.input2), T(p.input3), p.left as boolean, p.transpose as boolean);
  },
  pinverse: (x, a, kw) => { const p = params(a, kw, ["rcond"], { rcond: 1e-15 }); return pinverse(T(x), p.rcond as number); },
  qr: (x, a, kw) => { const p = params(a, kw, ["some"], { some: true }); return qr(T(x), p.some as boolean); },
  svd: (x, a, kw) => {
    const p = params(a, kw, ["some", "compute_uv"], { some: true, compute_uv: true });
    if (p.compute_uv !== true) throw new Unsupported("compute_uv=False");
    return svd(T(x), p.some as boolean);
  },

  cholesky_inverse: (x, a, kw) => { const p = params(a, kw, ["upper"], { upper: false }); return choleskyInverse(T(x), p.upper as boolean); },
  cholesky_solve: (x, a, kw) => { const p = params(a, kw, ["input2", "upper"], { upper: false }); return choleskySolve(T(x), T(p.input2), p.upper as boolean); },
  triangular_solve: (x, a, kw) => {
    const p = params(a, kw, ["A", "upper", "transpose", "unitriangular"], { upper: true, transpose: false, unitriangular: false });
    return triangularSolve(T(x), T(p.A), p.upper as boolean, p.transpose as boolean, p.unitriangular as boolean);
  },
  lu: (x, a, kw) => {
    const p = params(a, kw, ["pivot", "get_infos"], { pivot: true, get_infos: false });
    return lu(T(x), p.pivot as boolean, p.get_infos as boolean);
  },
  lu_solve: (x, a, kw) => { const p = params(a, kw, ["LU_data", "LU_pivots"]); return luSolve(T(x), T(p.LU_data), T(p.LU_pivots)); },

  // op_db's linalg ops that deeptype does not have.
  symeig: notInDeeptype("torch.symeig (deprecated in PyTorch 1.9 for linalg.eigh) is not in deeptype"),
  "linalg.eig": notInDeeptype("linalg.eig returns complex tensors, and deeptype has no complex dtype"),
  "linalg.eigvals": notInDeeptype("linalg.eigvals returns complex tensors, and deeptype has no complex dtype"),
  pca_lowrank: notInDeeptype("torch.pca_lowrank (randomized, PyTorch's generator) is not in deeptype"),
  svd_lowrank: notInDeeptype("torch.svd_lowrank (randomized, PyTorch's generator) is not in deeptype"),
};
