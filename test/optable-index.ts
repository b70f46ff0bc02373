/** Op-table entries for advanced indexing and index assignment (fixtures: scripts/fixtures/ops_index.py). */
import { type OpEntry, E } from "./optable-entry.js";
import {
  type Tensor, arange, stack, indexPut, indexCopy, indexFill, maskedScatter, maskedSelect, nonzero, where, take, takeAlongDim,
} from "../src/index.js";

const noGrad = { differentiable: false };

/** The pattern arange(n).reshape(shape) % mod == rem, as ops_index.py builds it. */
const mask = (shape: number[], mod: number, rem: number): Tensor =>
  arange(shape.reduce((a, b) => a * b, 1), undefined, 1, { dtype: "int32" }).reshape(shape).remainder(mod).eq(rem);

/** x[...] = v on a clone, so gradients reach both x and v. */
const setting = (fn: (y: Tensor, ...rest: Tensor[]) => unknown) => (x: Tensor, ...rest: Tensor[]): Tensor => {
  const y = x.clone();
  fn(y, ...rest);
  return y;
};

const M34 = (): Tensor => mask([3, 4], 3, 1);
const M3 = (): Tensor => mask([3], 2, 0);

export const INDEX_OPS: readonly OpEntry[] = [
  E("get:int", (x, i) => x.get(i)), E("get:intNeg", (x, i) => x.get(":", i)), E("get:twoTensors", (x, i, j) => x.get(i, j)),
  E("get:separated", (x, i, k) => x.get(i, ":", k)), E("get:adjacentMiddle", (x, j, k) => x.get(":", j, k)),
  E("get:intThenTensor", (x, k) => x.get(1, ":", k)), E("get:sliceAndTensor", (x, j) => x.get("1:", j, "::2")),
  E("get:noneEllipsis", (x, j) => x.get(null, "...", j)), E("get:mask", (x) => x.get(M34())), E("get:maskRows", (x) => x.get(M3())),
  E("get:maskAndTensor", (x, j) => x.get(M3()).get(":", j)), E("get:list", (x) => x.get([0, 2, 2, -1])),
  E("get:intIndexOfInts", (x, i) => x.get(i), noGrad),
  E("set:mask", setting((y) => y.set(M34(), 0.5))), E("set:maskTensor", setting((y, v) => y.set(M34(), v))),
  E("set:tensor", setting((y, i, v) => y.set(i, v))), E("set:basic", setting((y, v) => y.set(":", "1:3", v))),
  E("set:mixed", setting((y, j, v) => y.set(1, j, v))), E("set:broadcastValue", setting((y, i, v) => y.set(i, v))),
  E("indexPut:accumulate", (x, i, j, v) => indexPut(x, [i, j], v, true)),
  E("indexPut_", setting((y, i, j, v) => y.indexPut_([i, j], v))),
  E("indexCopy", (x, i, s) => indexCopy(x, 0, i, s)), E("indexCopy:dim1", (x, i, s) => x.indexCopy(1, i, s)),
  E("indexFill", (x, i) => indexFill(x, 1, i, -1.5)), E("indexFill_", setting((y, i) => y.indexFill_(0, i, 2))),
  E("maskedScatter", (x, s) => maskedScatter(x, M34(), s)), E("maskedScatter:broadcast", (x, s) => x.maskedScatter(mask([4], 2, 1), s)),
  E("maskedScatter_", setting((y, s) => y.maskedScatter_(M34(), s))),
  E("maskedSelect", (x) => maskedSelect(x, M34())), E("maskedSelect:broadcast", (x) => x.maskedSelect(M34())),
  E("nonzero", (x) => nonzero(x.mul(M34())), noGrad), E("nonzero:asTuple", (x) => stack(x.mul(M34()).nonzero({ asTuple: true })), noGrad),
  E("where:cond", (x) => stack(where(x.mul(M34()).gt(0))), noGrad),
  E("take", (x, i) => take(x, i)), E("takeAlongDim", (x, i) => takeAlongDim(x, i, 1)),
  E("takeAlongDim:broadcast", (x, i) => x.takeAlongDim(i, 0)), E("takeAlongDim:flat", (x, i) => takeAlongDim(x, i)),
  E("scatter_", setting((y, i, s) => y.scatter_(1, i, s))), E("scatterAdd_", setting((y, i, s) => y.scatterAdd_(1, i, s))),
  E("indexAdd_:alpha", setting((y, i, s) => y.indexAdd_(0, i, s, { alpha: -2 }))),
];
