// src/nn/functional/pooling.ts: what session 10's run of the rest of src/nn left alive (70 survivors,
// docs/mutation/session-11-nn.md): each option of the 1-D pools reaching the 2-D pool, the adaptive max
// pool's own windows (sizes that do not divide, null keeping a size, the unbatched forms, NaN), and
// every check's exact message. Values are PyTorch 1.13's, from this script (float64):
//   import torch, torch.nn.functional as F; d = torch.float64
//   x = torch.tensor([[[1.,5.,2.,8.,3.,3.,7.],[0.5,-1.,4.,4.,-2.,6.,1.]]], dtype=d)
//   F.max_pool1d(x,3,stride=2,padding=1,ceil_mode=True); F.max_pool1d(x,2,dilation=2); F.max_pool1d(x,3)
//   F.max_pool1d(x,3,stride=2,padding=1,return_indices=True); F.max_pool1d(x,2,dilation=3,return_indices=True)
//   F.avg_pool1d(x,3); F.avg_pool1d(x,3,stride=2,padding=1); (..., count_include_pad=False); F.avg_pool1d(x,3,stride=2,ceil_mode=True)
//   F.adaptive_avg_pool1d(x,3); F.adaptive_avg_pool1d(x[0],3)
//   F.adaptive_max_pool1d(x,3,return_indices=True); F.adaptive_max_pool1d(x[0],4,return_indices=True)
//   img = torch.tensor([[[[1.,9.,2.,3.,0.],[4.,5.,9.,1.,2.],[7.,0.,3.,8.,8.]],[[2.,2.,2.,1.,1.],[0.,3.,3.,3.,-1.],[5.,1.,5.,2.,6.]]]], dtype=d)
//   F.adaptive_max_pool2d(img,(2,3),return_indices=True); (img,(None,2)); (img[0],(2,None)); (img,2)
//   n = img.clone(); n[0,0,0,3] = float('nan'); F.adaptive_max_pool2d(n,(2,3),return_indices=True)
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;
const x = tensor([[[1, 5, 2, 8, 3, 3, 7], [0.5, -1, 4, 4, -2, 6, 1]]], { dtype: "float64" });
const img = tensor([[[[1, 9, 2, 3, 0], [4, 5, 9, 1, 2], [7, 0, 3, 8, 8]], [[2, 2, 2, 1, 1], [0, 3, 3, 3, -1], [5, 1, 5, 2, 6]]]], { dtype: "float64" });

function eq(t: Tensor, want: unknown, tol = 1e-12): void {
  const flat = (want as number[]).flat(4) as number[];
  const got = t.numbers();
  assert.equal(got.length, flat.length, `got ${got}`);
  for (let i = 0; i < flat.length; i++) {
    if (Number.isNaN(flat[i])) assert.ok(Number.isNaN(got[i]), `[${i}] NaN`);
    else assert.ok(Math.abs(got[i] - flat[i]) <= tol, `[${i}]: got ${got[i]}, want ${flat[i]} (all ${got})`);
  }
  const shape: number[] = [];
  for (let a: unknown = want; Array.isArray(a); a = a[0]) shape.push(a.length);
  assert.deepEqual(t.shape, shape);
}

test("maxPool1d: stride, padding, dilation and ceilMode reach the pool (values and indices against PyTorch)", () => {
  eq(F.maxPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [[[5.0, 8.0, 8.0, 7.0], [0.5, 4.0, 6.0, 6.0]]]);
  eq(F.maxPool1d(x, 2, { dilation: 2 }), [[[2.0, 3.0, 7.0], [4.0, 4.0, 1.0]]]);
  eq(F.maxPool1d(x, 3), [[[5.0, 8.0], [4.0, 6.0]]]);
  eq(F.maxPool1d(x, 3, { stride: null }), [[[5.0, 8.0], [4.0, 6.0]]]);
  eq(F.maxPool1d(x, [3] as never, { stride: [2] as never, padding: [1] as never }), [[[5.0, 8.0, 8.0, 7.0], [0.5, 4.0, 6.0, 6.0]]]);
  eq(F.maxPool1d(x.select(0, 0), 3), [[5.0, 8.0], [4.0, 6.0]]);
  const r = F.maxPool1dWithIndices(x, 3, { stride: 2, padding: 1, ceilMode: true });
  eq(r.values, [[[5.0, 8.0, 8.0, 7.0], [0.5, 4.0, 6.0, 6.0]]]);
  eq(r.indices, [[[1, 3, 3, 6], [0, 2, 5, 5]]]);
  assert.equal(r.indices.dtype, "int64");
  const d3 = F.maxPool1dWithIndices(x, 2, { dilation: 3 });
  eq(d3.values, [[[8.0, 3.0], [4.0, 6.0]]]);
  eq(d3.indices, [[[3, 5], [3, 5]]]);
});

test("avgPool1d: the stride defaults to the kernel; padding, countIncludePad and ceilMode against PyTorch", () => {
  eq(F.avgPool1d(x, 3), [[[2.6666666666666665, 4.666666666666667], [1.1666666666666667, 2.6666666666666665]]]);
  eq(F.avgPool1d(x, 3, { stride: null }), [[[2.6666666666666665, 4.666666666666667], [1.1666666666666667, 2.6666666666666665]]]);
  eq(F.avgPool1d(x, 3, { stride: 2, padding: 1 }), [[[2.0, 5.0, 4.666666666666667, 3.3333333333333335], [-0.16666666666666666, 2.3333333333333335, 2.6666666666666665, 2.3333333333333335]]]);
  eq(F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), [[[3.0, 5.0, 4.666666666666667, 5.0], [-0.25, 2.3333333333333335, 2.6666666666666665, 3.5]]]);
  eq(F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: true }), [[[2.0, 5.0, 4.666666666666667, 3.3333333333333335], [-0.16666666666666666, 2.3333333333333335, 2.6666666666666665, 2.3333333333333335]]]);
  eq(F.avgPool1d(x, 3, { stride: 2, ceilMode: true }), [[[2.6666666666666665, 4.333333333333333, 4.333333333333333], [1.1666666666666667, 2.0, 1.6666666666666667]]]);
  eq(F.avgPool1d(x, 3, { stride: 2 }), [[[2.6666666666666665, 4.333333333333333, 4.333333333333333], [1.1666666666666667, 2.0, 1.6666666666666667]]]);
});

test("adaptiveAvgPool1d, batched and unbatched, against PyTorch", () => {
  eq(F.adaptiveAvgPool1d(x, 3), [[[2.6666666666666665, 4.333333333333333, 4.333333333333333], [1.1666666666666667, 2.0, 1.6666666666666667]]]);
  eq(F.adaptiveAvgPool1d(x.select(0, 0), 3), [[2.6666666666666665, 4.333333333333333, 4.333333333333333], [1.1666666666666667, 2.0, 1.6666666666666667]]);
});

test("adaptiveMaxPool1d: overlapping windows, unbatched, values and int64 indices against PyTorch", () => {
  const r = F.adaptiveMaxPool1dWithIndices(x, 3);
  eq(r.values, [[[5.0, 8.0, 7.0], [4.0, 4.0, 6.0]]]);
  eq(r.indices, [[[1, 3, 6], [2, 2, 5]]]);
  assert.equal(r.indices.dtype, "int64");
  const u = F.adaptiveMaxPool1dWithIndices(x.select(0, 0), 4);
  eq(u.values, [[5.0, 8.0, 8.0, 7.0], [0.5, 4.0, 6.0, 6.0]]);
  eq(u.indices, [[1, 3, 3, 6], [0, 2, 5, 5]]);
  eq(F.adaptiveMaxPool1d(x, 3), [[[5.0, 8.0, 7.0], [4.0, 4.0, 6.0]]]);
  // Equal windows (7 into 7): the max-pool shortcut, the identity.
  eq(F.adaptiveMaxPool1d(x, 7), x.tolist());
});

test("adaptiveMaxPool2d: windows that do not divide, null sizes, unbatched, the first maximum and NaN against PyTorch", () => {
  const r = F.adaptiveMaxPool2dWithIndices(img, [2, 3]);
  eq(r.values, [[[[9.0, 9.0, 3.0], [7.0, 9.0, 8.0]], [[3.0, 3.0, 3.0], [5.0, 5.0, 6.0]]]]);
  eq(r.indices, [[[[1, 1, 3], [10, 7, 13]], [[6, 6, 8], [10, 12, 14]]]]);
  assert.equal(r.indices.dtype, "int64");
  const n = F.adaptiveMaxPool2dWithIndices(img, [null, 2]);
  eq(n.values, [[[[9.0, 3.0], [9.0, 9.0], [7.0, 8.0]], [[2.0, 2.0], [3.0, 3.0], [5.0, 6.0]]]]);
  eq(n.indices, [[[[1, 3], [7, 7], [10, 13]], [[0, 2], [6, 7], [10, 14]]]]);
  const u = F.adaptiveMaxPool2dWithIndices(img.select(0, 0), [2, null]);
  eq(u.values, [[[4.0, 9.0, 9.0, 3.0, 2.0], [7.0, 5.0, 9.0, 8.0, 8.0]], [[2.0, 3.0, 3.0, 3.0, 1.0], [5.0, 3.0, 5.0, 3.0, 6.0]]]);
  eq(u.indices, [[[5, 1, 7, 3, 9], [10, 6, 7, 13, 14]], [[0, 6, 7, 8, 4], [10, 6, 12, 8, 14]]]);
  const s = F.adaptiveMaxPool2dWithIndices(img, 2);
  eq(s.values, [[[[9.0, 9.0], [9.0, 9.0]], [[3.0, 3.0], [5.0, 6.0]]]]);
  eq(s.indices, [[[[1, 7], [7, 7]], [[6, 7], [10, 14]]]]);
  eq(F.adaptiveMaxPool2d(img, 2), [[[[9.0, 9.0], [9.0, 9.0]], [[3.0, 3.0], [5.0, 6.0]]]]);
  const v = img.numbers().slice();
  v[3] = NaN;
  const withNaN = tensor(Array.from(v), { dtype: "float64" }).reshape([1, 2, 3, 5]);
  const q = F.adaptiveMaxPool2dWithIndices(withNaN, [2, 3]);
  eq(q.values, [[[[9.0, NaN, NaN], [7.0, 9.0, 8.0]], [[3.0, 3.0, 3.0], [5.0, 5.0, 6.0]]]]);
  eq(q.indices, [[[[1, 3, 3], [10, 7, 13]], [[6, 6, 8], [10, 12, 14]]]]);
  // The gradient goes to the chosen element only.
  const g = img.clone().requiresGrad_();
  F.adaptiveMaxPool2d(g, [2, 3]).sum().backward();
  eq(g.grad!, [[[[0, 2, 0, 1, 0], [0, 0, 1, 0, 0], [1, 0, 0, 1, 0]], [[0, 0, 0, 0, 0], [0, 2, 0, 1, 0], [1, 0, 1, 0, 1]]]]);
});

test("pooling: each check's exact message", () => {
  const xi = tensor([[[1, 2, 3]]], { dtype: "int32" });
  const cases: [() => unknown, string][] = [
    [() => F.maxPool1d(x, 0), "maxPool1d: kernelSize must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.maxPool1d(x, 1.5), "maxPool1d: kernelSize must be an integer >= 1 (or a 1-element array), got number 1.5"],
    [() => F.maxPool1d(x, [2, 2] as never), "maxPool1d: kernelSize must be an integer >= 1 (or a 1-element array), got an array of length 2"],
    [() => F.maxPool1d(x, 2, { stride: 0 }), "maxPool1d: stride must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.maxPool1d(x, 2, { padding: -1 }), "maxPool1d: padding must be an integer >= 0 (or a 1-element array), got number -1"],
    [() => F.maxPool1d(x, 2, { dilation: 0 }), "maxPool1d: dilation must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.maxPool1d(x.reshape([14]), 2), "maxPool1d: expected input [N, C, L] or [C, L], got [14]"],
    [() => F.maxPool1d(x.reshape([1, 1, 2, 7]), 2), "maxPool1d: expected input [N, C, L] or [C, L], got [1,1,2,7]"],
    [() => F.maxPool1d(x.narrow(2, 0, 0), 2), "maxPool1d: expected input [N, C, L] or [C, L] with non-empty C and L (only the batch may be empty), got [1,2,0]"],
    [() => F.maxPool1d(x.narrow(1, 0, 0), 2), "maxPool1d: expected input [N, C, L] or [C, L] with non-empty C and L (only the batch may be empty), got [1,0,7]"],
    // F's entry layer renames these after the called function; the layer calls the function itself.
    [() => F.maxPool1dWithIndices(x.reshape([14]), 2), "maxPool1dWithIndices: expected input [N, C, L] or [C, L], got [14]"],
    [() => new nn.MaxPool1d(2).forwardWithIndices(x.reshape([14])), "maxPool1d: expected input [N, C, L] or [C, L], got [14]"],
    [() => new nn.MaxPool1d(0).forwardWithIndices(x), "maxPool1d: kernelSize must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => new nn.MaxPool1d(2, 0).forwardWithIndices(x), "maxPool1d: stride must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.avgPool1d(x, 0), "avgPool1d: kernelSize must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.avgPool1d(x, 2, { stride: 0 }), "avgPool1d: stride must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.avgPool1d(x, 2, { padding: 0.5 }), "avgPool1d: padding must be an integer >= 0 (or a 1-element array), got number 0.5"],
    [() => F.avgPool1d(x.reshape([14]), 2), "avgPool1d: expected input [N, C, L] or [C, L], got [14]"],
    [() => F.adaptiveAvgPool1d(x, 0), "adaptiveAvgPool1d: outputSize must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.adaptiveAvgPool1d(x.reshape([14]), 2), "adaptiveAvgPool1d: expected input [N, C, L] or [C, L], got [14]"],
    [() => F.adaptiveMaxPool1d(x, 0), "adaptiveMaxPool1d: outputSize must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.adaptiveMaxPool1d(x.reshape([14]), 2), "adaptiveMaxPool1d: expected input [N, C, L] or [C, L], got [14]"],
    [() => F.adaptiveMaxPool1d(x.reshape([1, 1, 2, 7]), 2), "adaptiveMaxPool1d: expected input [N, C, L] or [C, L], got [1,1,2,7]"],
    [() => F.adaptiveMaxPool1d(x.narrow(2, 0, 0), 2), "adaptiveMaxPool1d: input [1,2,0] has an empty spatial dim; each window needs at least one element"],
    [() => F.adaptiveMaxPool1d(xi, 2), "adaptiveMaxPool1d: expected a floating-point input, got int32; convert it with x.float()"],
    [() => F.adaptiveMaxPool2d(img.reshape([30]), 2), "adaptiveMaxPool2d: expected input [N, C, H, W] or [C, H, W], got [30]"],
    [() => F.adaptiveMaxPool2d(img.reshape([1, 1, 2, 3, 5]), 2), "adaptiveMaxPool2d: expected input [N, C, H, W] or [C, H, W], got [1,1,2,3,5]"],
    [() => F.adaptiveMaxPool2d(img.narrow(2, 0, 0), 2), "adaptiveMaxPool2d: input [1,2,0,5] has an empty spatial dim; each window needs at least one element"],
    [() => F.adaptiveMaxPool2d(img.narrow(3, 0, 0), 2), "adaptiveMaxPool2d: input [1,2,3,0] has an empty spatial dim; each window needs at least one element"],
    [() => F.adaptiveMaxPool2d(xi.reshape([1, 1, 3]), 2), "adaptiveMaxPool2d: expected a floating-point input, got int32; convert it with x.float()"],
    [() => F.adaptiveMaxPool2d(img, [2, 2, 2] as never), "adaptiveMaxPool2d: outputSize must be an integer or 2 integers (null keeps the input size), got an array of length 3"],
    [() => F.adaptiveMaxPool2d(img, [0, 2]), "adaptiveMaxPool2d: outputSize must be an integer >= 1 (or a 1-element array), got number 0"],
    [() => F.adaptiveMaxPool2d(img, [2, 0]), "adaptiveMaxPool2d: outputSize must be an integer >= 1 (or a 1-element array), got number 0"],
  ];
  for (const [fn, msg] of cases) throwsWith(fn, msg);
});
