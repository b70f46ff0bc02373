/** Op-table entries for einsum, products, diagonals and norms (fixtures: scripts/fixtures/ops_linalg.py). */
import { type OpEntry, E } from "./optable-entry.js";
import {
  einsum, addmm, addbmm, baddbmm, mv, addmv, addr, diag, diagEmbed, diagonal, trace, tensordot, kron, cross, cdist, linalg,
} from "../src/index.js";

export const LINALG_OPS: readonly OpEntry[] = [
  E("einsum:matmul", (a, b) => einsum("ij,jk->ik", a, b)), E("einsum:implicit", (a, b) => einsum("ij,jk", a, b)),
  E("einsum:batch", (a, b) => einsum("bij,bjk->bik", [a, b])), E("einsum:trace", (a) => einsum("ii", a)),
  E("einsum:diag", (a) => einsum("ii->i", a)), E("einsum:transpose", (a) => einsum("abc->cab", a)),
  E("einsum:outer", (a, b) => einsum("i,j->ij", a, b)), E("einsum:dot", (a, b) => einsum("i,i->", a, b)),
  E("einsum:sumAxis", (a) => einsum("ij->j", a)), E("einsum:ellipsis", (a, b) => einsum("...ij,...jk->...ik", a, b)),
  E("einsum:ellipsisImplicit", (a) => einsum("...ij", a)), E("einsum:three", (a, b, c) => einsum("ij,jk,kl->il", a, b, c)),
  E("einsum:bilinear", (a, w, b) => einsum("bi,oij,bj->bo", a, w, b)), E("einsum:attention", (q, k) => einsum("bqhd,bkhd->bhqk", q, k)),
  E("einsum:repeatedMixed", (a, v) => einsum("iij,j->i", a, v)), E("einsum:spaces", (a, b) => einsum("ij , ij -> i", a, b)),
  E("addmm", (c, a, b) => addmm(c, a, b)), E("addmm:scaled", (c, a, b) => c.addmm(a, b, { beta: 0.5, alpha: -2 })),
  E("addmm:beta0", (c, a, b) => addmm(c, a, b, { beta: 0 })), E("addbmm", (c, a, b) => addbmm(c, a, b, { alpha: 0.5 })),
  E("baddbmm", (c, a, b) => c.baddbmm(a, b, { beta: 2 })), E("mv", (m, v) => mv(m, v)),
  E("addmv", (c, m, v) => addmv(c, m, v, { beta: -1, alpha: 3 })), E("addr", (c, u, v) => c.addr(u, v, { alpha: 2 })),
  E("diag:vector", (v) => diag(v)), E("diag:vectorOffset", (v) => v.diag(-2)), E("diag:matrix", (m) => diag(m, 1)),
  E("diagEmbed", (v) => diagEmbed(v)), E("diagEmbed:dims", (v) => v.diagEmbed(1, 0, 2)), E("diagonal", (m) => diagonal(m)),
  E("diagonal:offsetDims", (m) => m.diagonal(-1, 2, 1)), E("diagonal:batched", (m) => diagonal(m, 1, -2, -1)), E("trace", (m) => trace(m)),
  E("tensordot", (a, b) => tensordot(a, b, 2)), E("tensordot:dims", (a, b) => tensordot(a, b, [[2, 0], [0, 1]])),
  E("kron", (a, b) => kron(a, b)), E("kron:mixedDims", (a, b) => a.kron(b)), E("cross", (a, b) => cross(a, b, 1)),
  E("cross:default", (a, b) => a.cross(b)), E("linalg.cross:broadcast", (a, b) => linalg.cross(a, b)),
  E("cdist", (a, b) => cdist(a, b)), E("cdist:p1", (a, b) => cdist(a, b, 1)), E("cdist:p3", (a, b) => cdist(a, b, 3)),
  E("cdist:inf", (a, b) => cdist(a, b, Infinity)), E("T", (x) => x.T), E("mT", (x) => x.mT),
  E("linalg.norm", (x) => linalg.norm(x)), E("linalg.norm:vectorDim", (x) => linalg.norm(x, 3, 1)),
  E("linalg.norm:matrixInf", (x) => linalg.norm(x, Infinity)), E("linalg.norm:matrix1", (x) => linalg.norm(x, 1, [1, 2], true)),
  E("linalg.norm:fro", (x) => linalg.norm(x, "fro", [0, 2])), E("linalg.vectorNorm", (x) => linalg.vectorNorm(x)),
  E("linalg.vectorNorm:ord1dim", (x) => linalg.vectorNorm(x, 1, 0, true)), E("linalg.vectorNorm:inf", (x) => linalg.vectorNorm(x, Infinity, 1)),
  E("linalg.vectorNorm:negInf", (x) => linalg.vectorNorm(x, -Infinity, 1)),
  E("linalg.vectorNorm:0", (x) => linalg.vectorNorm(x, 0, 1), { kinks: true }),
  E("linalg.vectorNorm:neg", (x) => linalg.vectorNorm(x, -2, 1)), E("linalg.vectorNorm:p3", (x) => linalg.vectorNorm(x, 3, [0, 1])),
  E("linalg.matrixNorm:negInf", (x) => linalg.matrixNorm(x, -Infinity)), E("linalg.matrixNorm:neg1", (x) => linalg.matrixNorm(x, -1)),
];
