// Session 12 (helper fixes): maxPool2d takes F.max_pool2d's keywords only. It ignored countIncludePad
// and divisorOverride before (PyTorch: "max_pool2d() got an unexpected keyword argument
// 'count_include_pad'"); returnIndices points to maxPool2dWithIndices. avgPool2d's options are unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("maxPool2d refuses avg-pool options and says where returnIndices lives", () => {
  const x = dt.arange(16).reshape([1, 1, 4, 4]).float();
  const F = dt.nn.functional;
  throwsWith(() => F.maxPool2d(x, 2, { countIncludePad: false } as never), /^maxPool2d: unknown option 'countIncludePad'; it takes stride, padding, dilation, ceilMode, returnIndices/);
  throwsWith(() => dt.maxPool2d(x, 2, { divisorOverride: 3 } as never), /^maxPool2d: unknown option 'divisorOverride'/);
  throwsWith(() => F.maxPool2d(x, 2, { returnIndices: true }), "maxPool2d: returnIndices is not an option here; call maxPool2dWithIndices(x, kernelSize, opts) for { values, indices }");
  // torch.nn.functional.max_pool2d(torch.arange(16.).reshape(1,1,4,4), 2, return_indices=False) = [[5, 7], [13, 15]]
  assert.deepEqual(F.maxPool2d(x, 2, { returnIndices: false, ceilMode: false }).tolist(), [[[[5, 7], [13, 15]]]]);
  // F.max_pool2d(x, 2, return_indices=True)[1] = [[5, 7], [13, 15]] (flat positions)
  assert.deepEqual(dt.maxPool2dWithIndices(x, 2, { stride: 2 }).indices.tolist(), [[[[5, 7], [13, 15]]]]);
  // torch.nn.functional.avg_pool2d(x, 2, divisor_override=3) = [[10/3, 6], [14, 50/3]]
  const a = F.avgPool2d(x, 2, { divisorOverride: 3, countIncludePad: true }).tolist() as number[][][][];
  assert.deepEqual(a[0][0].map((r) => r.map((v) => Math.round(v * 1e5) / 1e5)), [[3.33333, 6], [14, 16.66667]]);
});
