// Session 12 (helper ops): conv2dRelu's fused max-pool takes F.max_pool2d's keywords only, as maxPool2d
// does since 81c841f. countIncludePad and divisorOverride were accepted and ignored before (PyTorch:
// "max_pool2d() got an unexpected keyword argument 'count_include_pad'").
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("conv2dRelu's pool refuses avg-pool options with maxPool2d's message", () => {
  const x = dt.arange(25).reshape([1, 1, 5, 5]).float().sub(8);
  const w = dt.tensor([[[[1, -1], [0.5, 2]]]]);
  const b = dt.tensor([-3]);
  throwsWith(() => dt.conv2dRelu(x, w, b, {}, { kernelSize: 2, countIncludePad: false } as never),
    /^conv2dRelu: unknown option 'countIncludePad'; it takes stride, padding, dilation, ceilMode, kernelSize/);
  throwsWith(() => dt.conv2dRelu(x, w, b, {}, { kernelSize: 2, divisorOverride: 3 } as never), /^conv2dRelu: unknown option 'divisorOverride'/);
  // F.max_pool2d(F.relu(F.conv2d(x, w, b)), 2, ceil_mode=True) = [[5.5, 10.5], [30.5, 35.5]]
  assert.deepEqual(dt.conv2dRelu(x, w, b, {}, { kernelSize: 2, ceilMode: true }).tolist(), [[[[5.5, 10.5], [30.5, 35.5]]]]);
  // Undefined values stay allowed, as checkKeys allows them everywhere.
  assert.deepEqual(dt.conv2dRelu(x, w, b, {}, { kernelSize: 2, ceilMode: true, countIncludePad: undefined } as never).tolist(), [[[[5.5, 10.5], [30.5, 35.5]]]]);
});
