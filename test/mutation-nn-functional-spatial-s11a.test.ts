// src/nn/functional/spatial.ts: what session 10's run of the rest of src/nn left alive (62 survivors,
// docs/mutation/session-11-nn.md): unfold's and fold's options per dim (kernel, dilation, padding and
// stride that differ between height and width, so a swapped index shows), the positional form, the
// unbatched forms, pixelShuffle/pixelUnshuffle with two leading dims, and every check's exact message.
// Values are PyTorch 1.13's, from this script (float64; printed as integers):
//   import torch, torch.nn.functional as F; d = torch.float64
//   x = torch.arange(1, 41, dtype=d).reshape(1,2,4,5)
//   U1 = F.unfold(x,(2,3),dilation=(2,1),padding=(1,0),stride=(1,2))   # [1,12,8]
//   U2 = F.unfold(x,(3,2),dilation=(1,2),padding=(0,1),stride=(2,1))   # [1,12,5]
//   U3 = F.unfold(x[0],2)                                               # [8,12]
//   F1 = F.fold(torch.arange(1,49,dtype=d).reshape(1,12,4),(4,5),(2,3),dilation=(2,1),padding=(1,0),stride=(2,2))
//   F2 = F.fold(torch.arange(1,25,dtype=d).reshape(4,6),(4,5),2,stride=(1,2))   # [1,4,5]
//   PS = F.pixel_shuffle(torch.arange(0,96,dtype=d).reshape(2,1,8,2,3),2)        # [2,1,2,4,6]
//   PU = F.pixel_unshuffle(torch.arange(0,96,dtype=d).reshape(2,1,2,4,6),2)      # [2,1,8,2,3]
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, arange, tensor, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;
const x = arange(1, 41, 1, { dtype: "float64" }).reshape([1, 2, 4, 5]);

function same(t: Tensor, shape: number[], want: number[]): void {
  assert.deepEqual(t.shape, shape);
  assert.deepEqual(Array.from(t.numbers()), want);
}

const U1 = [
  0, 0, 1, 3, 6, 8, 11, 13, 0, 0, 2, 4, 7, 9, 12, 14, 0, 0, 3, 5, 8, 10, 13, 15,
  6, 8, 11, 13, 16, 18, 0, 0, 7, 9, 12, 14, 17, 19, 0, 0, 8, 10, 13, 15, 18, 20, 0, 0,
  0, 0, 21, 23, 26, 28, 31, 33, 0, 0, 22, 24, 27, 29, 32, 34, 0, 0, 23, 25, 28, 30, 33, 35,
  26, 28, 31, 33, 36, 38, 0, 0, 27, 29, 32, 34, 37, 39, 0, 0, 28, 30, 33, 35, 38, 40, 0, 0,
]; // shape [1, 12, 8]
const U2 = [
  0, 1, 2, 3, 4, 2, 3, 4, 5, 0, 0, 6, 7, 8, 9, 7, 8, 9, 10, 0, 0, 11, 12, 13,
  14, 12, 13, 14, 15, 0, 0, 21, 22, 23, 24, 22, 23, 24, 25, 0, 0, 26, 27, 28, 29, 27, 28, 29,
  30, 0, 0, 31, 32, 33, 34, 32, 33, 34, 35, 0,
]; // shape [1, 12, 5]
const U3 = [
  1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 14, 15,
  6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 7, 8, 9, 10, 12, 13, 14, 15, 17, 18, 19, 20,
  21, 22, 23, 24, 26, 27, 28, 29, 31, 32, 33, 34, 22, 23, 24, 25, 27, 28, 29, 30, 32, 33, 34, 35,
  26, 27, 28, 29, 31, 32, 33, 34, 36, 37, 38, 39, 27, 28, 29, 30, 32, 33, 34, 35, 37, 38, 39, 40,
]; // shape [8, 12]
const F1 = [
  0, 0, 0, 0, 0, 16, 24, 50, 26, 34, 0, 0, 0, 0, 0, 15, 19, 39, 20, 24, 0, 0, 0, 0,
  0, 64, 72, 146, 74, 82, 0, 0, 0, 0, 0, 39, 43, 87, 44, 48,
]; // shape [1, 2, 4, 5]
const F2 = [
  1, 7, 2, 8, 0, 16, 28, 18, 30, 0, 20, 32, 22, 34, 0, 17, 23, 18, 24, 0,
]; // shape [1, 4, 5]
const PS = [
  0, 6, 1, 7, 2, 8, 12, 18, 13, 19, 14, 20, 3, 9, 4, 10, 5, 11, 15, 21, 16, 22, 17, 23,
  24, 30, 25, 31, 26, 32, 36, 42, 37, 43, 38, 44, 27, 33, 28, 34, 29, 35, 39, 45, 40, 46, 41, 47,
  48, 54, 49, 55, 50, 56, 60, 66, 61, 67, 62, 68, 51, 57, 52, 58, 53, 59, 63, 69, 64, 70, 65, 71,
  72, 78, 73, 79, 74, 80, 84, 90, 85, 91, 86, 92, 75, 81, 76, 82, 77, 83, 87, 93, 88, 94, 89, 95,
];
const PU = [
  0, 2, 4, 12, 14, 16, 1, 3, 5, 13, 15, 17, 6, 8, 10, 18, 20, 22, 7, 9, 11, 19, 21, 23,
  24, 26, 28, 36, 38, 40, 25, 27, 29, 37, 39, 41, 30, 32, 34, 42, 44, 46, 31, 33, 35, 43, 45, 47,
  48, 50, 52, 60, 62, 64, 49, 51, 53, 61, 63, 65, 54, 56, 58, 66, 68, 70, 55, 57, 59, 67, 69, 71,
  72, 74, 76, 84, 86, 88, 73, 75, 77, 85, 87, 89, 78, 80, 82, 90, 92, 94, 79, 81, 83, 91, 93, 95,
]; // shape [2, 1, 8, 2, 3]

test("unfold: per-dim kernel, dilation, padding and stride, positional or as options, unbatched, against PyTorch", () => {
  same(F.unfold(x, [2, 3], { dilation: [2, 1], padding: [1, 0], stride: [1, 2] }), [1, 12, 8], U1);
  same(F.unfold(x, [2, 3], [2, 1], [1, 0], [1, 2]), [1, 12, 8], U1);
  same(F.unfold(x, [3, 2], { dilation: [1, 2], padding: [0, 1], stride: [2, 1] }), [1, 12, 5], U2);
  same(F.unfold(x.select(0, 0), 2), [8, 12], U3);
  same(F.unfold(x.select(0, 0), 2, {}), [8, 12], U3);
  // A padding in one dim only still pads (PyTorch: F.unfold(x,1,padding=(0,1),stride=(3,5)) and (x,1,padding=(1,0),stride=(2,3))).
  same(F.unfold(x, 1, { padding: [0, 1], stride: [3, 5] }), [1, 2, 4], [0, 5, 0, 20, 0, 25, 0, 40]);
  same(F.unfold(x, 1, { padding: [1, 0], stride: [2, 3] }), [1, 2, 6], [0, 0, 6, 9, 16, 19, 0, 0, 26, 29, 36, 39]);
});

test("fold: per-dim options, the unbatched form, and overlapping blocks adding up, against PyTorch", () => {
  const c = arange(1, 49, 1, { dtype: "float64" }).reshape([1, 12, 4]);
  same(F.fold(c, [4, 5], [2, 3], { dilation: [2, 1], padding: [1, 0], stride: [2, 2] }), [1, 2, 4, 5], F1);
  same(F.fold(c, [4, 5], [2, 3], [2, 1], [1, 0], [2, 2]), [1, 2, 4, 5], F1);
  const c2 = arange(1, 25, 1, { dtype: "float64" }).reshape([4, 6]);
  same(F.fold(c2, [4, 5], 2, { stride: [1, 2] }), [1, 4, 5], F2);
  // fold is unfold's adjoint: <unfold(x), y> = <x, fold(y)>.
  const y = arange(0, 96, 1, { dtype: "float64" }).reshape([1, 12, 8]).sin();
  const o = { dilation: [2, 1] as [number, number], padding: [1, 0] as [number, number], stride: [1, 2] as [number, number] };
  const lhs = F.unfold(x, [2, 3], o).mul(y).sum().item();
  const rhs = x.mul(F.fold(y, [4, 5], [2, 3], o)).sum().item();
  assert.ok(Math.abs(lhs - rhs) < 1e-9, `${lhs} vs ${rhs}`);
});

test("pixelShuffle and pixelUnshuffle with two leading dims, against PyTorch, and each other's inverse", () => {
  const p = arange(0, 96, 1, { dtype: "float64" }).reshape([2, 1, 8, 2, 3]);
  same(F.pixelShuffle(p, 2), [2, 1, 2, 4, 6], PS);
  const q = arange(0, 96, 1, { dtype: "float64" }).reshape([2, 1, 2, 4, 6]);
  same(F.pixelUnshuffle(q, 2), [2, 1, 8, 2, 3], PU);
  same(F.pixelUnshuffle(F.pixelShuffle(p, 2), 2), [2, 1, 8, 2, 3], Array.from(p.numbers()));
  same(F.pixelShuffle(tensor([[[1]], [[2]], [[3]], [[4]]]), 2), [1, 2, 2], [1, 2, 3, 4]);
  same(F.pixelShuffle(p, 1), [2, 1, 8, 2, 3], Array.from(p.numbers()));
});

test("pad: a null value fills with 0, as the default does", () => {
  same(F.pad(tensor([1, 2]), [1, 2], "constant", null as never), [5], [0, 1, 2, 0, 0]);
  same(F.pad(tensor([1, 2]), [1, 0], "constant", 7), [3], [7, 1, 2]);
  same(F.pad(tensor([1, 2]), [1, 0]), [3], [0, 1, 2]);
});

test("spatial: each check's exact message", () => {
  const cases: [() => unknown, string][] = [
    [() => F.pad(x, 1 as never), "pad: pads must be an array of integers (last dim's left, right, then the dim before...), got number 1"],
    [() => F.pixelShuffle(x, 0), "pixelShuffle: upscaleFactor must be an integer >= 1, got number 0"],
    [() => F.pixelShuffle(x, 1.5), "pixelShuffle: upscaleFactor must be an integer >= 1, got number 1.5"],
    [() => F.pixelShuffle(x, "2" as never), "pixelShuffle: upscaleFactor must be an integer >= 1, got string \"2\""],
    [() => F.pixelShuffle(x.reshape([8, 5]), 2), "pixelShuffle: expected input [*, C·r², H, W] with at least 3 dims, got [8,5]"],
    [() => F.pixelShuffle(x, 2), "pixelShuffle: the channel dim (2) of input [1,2,4,5] must be divisible by upscaleFactor² = 4"],
    [() => F.pixelUnshuffle(x, 0), "pixelUnshuffle: downscaleFactor must be an integer >= 1, got number 0"],
    [() => F.pixelUnshuffle(x.reshape([8, 5]), 2), "pixelUnshuffle: expected input [*, C, H·r, W·r] with at least 3 dims, got [8,5]"],
    [() => F.pixelUnshuffle(x, 2), "pixelUnshuffle: the height (4) and width (5) of input [1,2,4,5] must be divisible by downscaleFactor 2"],
    [() => F.pixelUnshuffle(x.reshape([1, 2, 5, 4]), 2), "pixelUnshuffle: the height (5) and width (4) of input [1,2,5,4] must be divisible by downscaleFactor 2"],
    [() => F.unfold(x, 0), "unfold: kernelSize must be an integer or 2 integers >= 1, got number 0"],
    [() => F.unfold(x, [2, 2, 2] as never), "unfold: kernelSize must be an integer or 2 integers >= 1, got an array of length 3"],
    [() => F.unfold(x, [2, 1.5] as never), "unfold: kernelSize must be an integer or 2 integers >= 1, got an array of length 2"],
    [() => F.unfold(x, "2" as never), "unfold: kernelSize must be an integer or 2 integers >= 1, got string \"2\""],
    [() => F.unfold(x, 2, { dilation: 0 }), "unfold: dilation must be an integer or 2 integers >= 1, got number 0"],
    [() => F.unfold(x, 2, 1, -1), "unfold: padding must be an integer or 2 integers >= 0, got number -1"],
    [() => F.unfold(x, 2, 1, 0, [1, 0]), "unfold: stride must be an integer or 2 integers >= 1, got an array of length 2"],
    // Bug fixed in session 11: with an options object, the entry layer replaced these by "padding is a positional parameter, not an option".
    [() => F.unfold(x, 2, { padding: -1 }), "unfold: padding must be an integer or 2 integers >= 0, got number -1"],
    [() => F.unfold(x, 2, { stride: [1, 0] }), "unfold: stride must be an integer or 2 integers >= 1, got an array of length 2"],
    [() => F.fold(x.reshape([1, 8, 5]), [4, 5], 2, { padding: -1 }), "fold: padding must be an integer or 2 integers >= 0, got number -1"],
    [() => F.unfold(x, 2, { strides: 1 } as never), "unfold: unknown option 'strides'; did you mean 'stride'? (it takes dilation, padding, stride)"],
    [() => F.unfold(x, [5, 2]), "unfold: a 5x2 kernel (dilation [1,1]) does not fit the padded 4x5 image (padding [0,0]); give a smaller kernel or more padding"],
    [() => F.unfold(x, [2, 3], { dilation: [1, 4], padding: [0, 1] }), "unfold: a 2x3 kernel (dilation [1,4]) does not fit the padded 4x7 image (padding [0,1]); give a smaller kernel or more padding"],
    [() => F.unfold(x.reshape([40]), 2), "unfold: expected input [N, C, H, W] or [C, H, W], got [40]"],
    [() => F.unfold(x.reshape([1, 1, 2, 4, 5]), 2), "unfold: expected input [N, C, H, W] or [C, H, W], got [1,1,2,4,5]"],
    [() => F.unfold(x, 2, { stride: 1 } as never, 1 as never), "unfold: got an options object and also positional padding 1 and stride undefined after it; give them in one place, e.g. unfold(x, kernelSize, { dilation, padding, stride })"],
    [() => F.unfold(x, 2, { stride: 1 } as never, undefined, 2 as never), "unfold: got an options object and also positional padding undefined and stride 2 after it; give them in one place, e.g. unfold(x, kernelSize, { dilation, padding, stride })"],
    [() => F.unfold(x, 2, "1" as never), "unfold: dilation must be an integer, a pair of integers or an options object like { stride: 2 }, got string \"1\""],
    [() => F.fold(x.reshape([1, 8, 5]), [4, 5], 2, { stride: 1 } as never, 1 as never), "fold: got an options object and also positional padding 1 and stride undefined after it; give them in one place, e.g. fold(x, kernelSize, { dilation, padding, stride })"],
    [() => F.fold(x.reshape([1, 8, 5]), [4, 5], 2, true as never), "fold: dilation must be an integer, a pair of integers or an options object like { stride: 2 }, got boolean true"],
    [() => F.fold(x, [4, 5], 2), "fold: expected input [N, C·kh·kw, L] or [C·kh·kw, L], got [1,2,4,5]"],
    [() => F.fold(x.reshape([40]), [4, 5], 2), "fold: expected input [N, C·kh·kw, L] or [C·kh·kw, L], got [40]"],
    [() => F.fold(x.reshape([1, 8, 5]), [0, 5], 2), "fold: outputSize must be an integer or 2 integers >= 1, got an array of length 2"],
    [() => F.fold(x.reshape([1, 8, 5]), [4, 5], 0), "fold: kernelSize must be an integer or 2 integers >= 1, got number 0"],
    [() => F.fold(x.reshape([1, 10, 4]), [3, 3], 2), "fold: dim 1 of input [1,10,4] (10) must be divisible by the kernel's 2x2 = 4 positions"],
    [() => F.fold(x.reshape([1, 8, 5]), [3, 3], [2, 2]), "fold: input [1,8,5] has 5 blocks, but an output of 3x3 with this kernel, dilation, padding and stride has 2 * 2 = 4"],
    [() => F.fold(x.reshape([1, 8, 5]), [3, 4], [2, 2]), "fold: input [1,8,5] has 5 blocks, but an output of 3x4 with this kernel, dilation, padding and stride has 2 * 3 = 6"],
    [() => F.fold(x.reshape([1, 8, 5]), [3, 4], [4, 2]), "fold: a 4x2 kernel (dilation [1,1]) does not fit the padded 3x4 image (padding [0,0]); give a smaller kernel or more padding"],
  ];
  for (const [fn, msg] of cases) throwsWith(fn, msg);
});
