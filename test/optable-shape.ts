/** Op-table entries for the extra shape ops (fixtures: scripts/fixtures/ops_shape.py). */
import { type OpEntry, E } from "./optable-entry.js";
import {
  type Tensor, cat, movedim, moveaxis, swapaxes, roll, rot90, tile, repeatInterleave, hstack, vstack, dstack, columnStack, tensorSplit,
  flipud, fliplr, atleast1d, atleast2d, atleast3d, broadcastTo, narrowCopy,
} from "../src/index.js";

/** Several results as one tensor, each part scaled differently so gradients tell them apart (as ops_shape.py). */
const joined = (parts: Tensor[]): Tensor => cat(parts.map((p, i) => p.reshape([-1]).mul(i + 1)));

export const SHAPE_OPS: readonly OpEntry[] = [
  E("movedim", (x) => movedim(x, 0, -1)), E("movedim:multi", (x) => x.movedim([0, 1], [3, 0])), E("moveaxis", (x) => moveaxis(x, -1, 0)),
  E("swapaxes", (x) => swapaxes(x, 0, 2)), E("swapdims", (x) => x.swapdims(-1, 1)),
  E("roll", (x) => roll(x, 1, 0)), E("roll:flat", (x) => x.roll(-5)), E("roll:multi", (x) => roll(x, [2, -7], [1, 0])),
  E("rot90", (x) => rot90(x)), E("rot90:k2", (x) => x.rot90(2)), E("rot90:k3dims", (x) => rot90(x, -1, [2, 0])),
  E("tile", (x) => tile(x, [2, 1])), E("tile:short", (x) => x.tile([2])), E("tile:long", (x) => tile(x, [2, 1, 2])),
  E("repeatInterleave", (x) => repeatInterleave(x, 2)), E("repeatInterleave:dim", (x) => x.repeatInterleave(3, 0)),
  E("repeatInterleave:tensor", (x, r) => repeatInterleave(x, r, 0)),
  E("hstack", (a, b) => hstack([a, b])), E("hstack:1d", (a, b) => hstack([a, b])), E("vstack", (a, b) => vstack([a, b])),
  E("dstack", (a, b) => dstack([a, b])), E("dstack:1d", (a, b) => dstack([a, b])), E("columnStack", (a, b) => columnStack([a, b])),
  E("tensorSplit", (x) => joined(tensorSplit(x, 3))), E("tensorSplit:indices", (x) => joined(x.tensorSplit([1, 5, 9], 1))),
  E("unfold", (x) => x.unfold(0, 3, 2)), E("unfold:overlap", (x) => x.unfold(1, 4, 1)), E("unfold:gap", (x) => x.unfold(-1, 2, 3)),
  E("flipud", (x) => flipud(x)), E("fliplr", (x) => x.fliplr()),
  E("atleast1d", (x) => atleast1d(x)), E("atleast2d", (x) => atleast2d(x)), E("atleast3d", (x) => atleast3d(x)),
  E("atleast3d:2d", (x) => atleast3d(x)),
  E("broadcastTo", (x) => broadcastTo(x, [2, 3, 4])), E("expandAs", (x, y) => x.expandAs(y)),
  // view needs compatible strides (PyTorch's view_as throws on a transposed input too): view a contiguous copy.
  E("viewAs", (x, y) => x.contiguous().viewAs(y)), E("reshapeAs", (x, y) => x.reshapeAs(y)),
  E("narrowCopy", (x) => narrowCopy(x, 1, 1, 3)),
];
