/** Op-table entries for sorting, selection, scans and the extra reductions (fixtures: scripts/fixtures/ops_sort.py). */
import { type OpEntry, E } from "./optable-entry.js";
import {
  tensor, cat, where, gt, sort, argsort, msort, topk, kthvalue, median, mode, unique, searchsorted, bucketize, any, all, cumprod,
  cummax, cummin, logcumsumexp, nansum, nanmean, aminmax, countNonzero, bincount, histc,
} from "../src/index.js";

const noGrad = { differentiable: false };
const kinks = { kinks: true };

export const SORT_OPS: readonly OpEntry[] = [
  E("sort", (x) => sort(x).values), E("sort:descending", (x) => x.sort(0, true).values), E("sort:indices", (x) => sort(x, 1).indices, noGrad),
  E("sort:stableTies", (x) => sort(x, { dim: 1, stable: true }).indices, noGrad),
  E("sort:stableTiesDesc", (x) => sort(x, { dim: 0, descending: true, stable: true })[1], noGrad),
  E("sort:int", (x) => sort(x, 1).values, noGrad), E("argsort", (x) => argsort(x, 0, true), noGrad), E("msort", (x) => msort(x)),
  E("topk", (x) => topk(x, 3).values), E("topk:smallest", (x) => x.topk(2, 0, false).values),
  E("topk:indices", (x) => topk(x, 4, { dim: 1 }).indices, noGrad),
  E("kthvalue", (x) => kthvalue(x, 2).values), E("kthvalue:keepdim", (x) => x.kthvalue(4, 0, true).values),
  E("kthvalue:indices", (x) => kthvalue(x, 5, 1).indices, noGrad),
  E("median", (x) => median(x)), E("median:even", (x) => x.median()), E("median:dim", (x) => median(x, 1).values),
  E("median:indices", (x) => median(x, 0, true).indices, noGrad), E("median:ties", (x) => x.median(1).indices, noGrad),
  E("mode", (x) => mode(x).values, kinks), E("mode:indices", (x) => mode(x, 1).indices, noGrad),
  E("mode:dim0", (x) => x.mode(0, true).indices, noGrad),
  E("unique", (x) => unique(x.remainder(3)), noGrad), E("unique:inverse", (x) => unique(x.remainder(3), { returnInverse: true })[1], noGrad),
  E("unique:counts", (x) => x.remainder(4).unique({ returnCounts: true })[1], noGrad),
  E("unique:dim", (x) => unique(cat([x, x.flip(0)]), { dim: 0 }), noGrad),
  E("unique:dimInverse", (x) => unique(cat([x, x.flip(0)]), { dim: 0, returnInverse: true })[1], noGrad),
  E("searchsorted", (s, v) => searchsorted(sort(s).values, v), noGrad),
  E("searchsorted:right", (s, v) => searchsorted(sort(s).values, v, { right: true }), noGrad),
  E("searchsorted:left", (s, v) => searchsorted(sort(s).values, v), noGrad),
  E("searchsorted:batched", (s, v) => searchsorted(sort(s).values, v, { side: "right" }), noGrad),
  E("bucketize", (x) => bucketize(x, tensor([-1, 0, 0.5, 1], { dtype: x.dtype })), noGrad),
  E("bucketize:right", (x) => bucketize(x, tensor([0, 1, 2], { dtype: x.dtype }), { right: true }), noGrad),
  E("any", (x) => any(x), noGrad), E("any:dim", (x) => x.any(1), noGrad), E("all:dim", (x) => all(x, 0, true), noGrad),
  E("all", (x) => x.all(), noGrad),
  E("cumprod", (x) => cumprod(x, 1)), E("cumprod:zeros", (x) => cumprod(x.sub(1), 1)), E("cumprod:dim0", (x) => x.cumprod(0)),
  E("cummax", (x) => cummax(x, 1).values), E("cummax:indices", (x) => cummax(x, 1).indices, noGrad),
  E("cummin", (x) => x.cummin(0).values), E("cummin:indices", (x) => cummin(x, 0)[1], noGrad),
  E("logcumsumexp", (x) => logcumsumexp(x, 1)), E("logcumsumexp:large", (x) => logcumsumexp(x.mul(300), 0), { atol: 1e-9 }),
  E("nansum", (x) => nansum(where(gt(x, 1), NaN, x), 1)), E("nanmean", (x) => nanmean(where(gt(x, 1), NaN, x), 0)),
  E("aminmax:min", (x) => aminmax(x, { dim: 1 }).min), E("aminmax:max", (x) => x.aminmax().max),
  E("countNonzero", (x) => countNonzero(x, 1), noGrad), E("countNonzero:all", (x) => x.countNonzero(), noGrad),
  E("bincount", (x) => bincount(x, null, 5), noGrad), E("bincount:weights", (x, w) => x.bincount(w, 5), noGrad),
  E("histc", (x) => histc(x, 5, -1, 1), noGrad), E("histc:auto", (x) => x.histc(4), noGrad),
];
