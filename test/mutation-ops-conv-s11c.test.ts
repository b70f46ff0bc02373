// Survivors of `npm run mutate -- src/ops/conv.ts src/ops/unary.ts` (session 11,
// docs/mutation/session-11-opsc.md): conv2d's, conv1d's and convTranspose2d's argument checks (each
// message exact, next to the nearest call that is accepted), and unary.ts's argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { conv2d, conv1d, convTranspose2d } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const ones = (s: number[]): dt.Tensor => dt.ones(s);

test("conv2d / convTranspose2d: the bias must be [outChannels]", () => {
  const x = ones([1, 2, 5, 5]), w = ones([3, 2, 3, 3]);
  throwsWith(() => conv2d(x, w, ones([2])), "conv2d: bias must have shape [3], got [2]");
  throwsWith(() => conv2d(x, w, ones([1, 3])), "conv2d: bias must have shape [3], got [1,3]");
  throwsWith(() => conv2d(x, w, ones([3, 1])), "conv2d: bias must have shape [3], got [3,1]");
  assert.deepEqual([...conv2d(x, w, dt.tensor([1, 2, 3])).get(0, ":", 1, 1).data()], [19, 20, 21]);
  const wt = ones([2, 3, 3, 3]);
  throwsWith(() => convTranspose2d(x, wt, ones([2])), "convTranspose2d: bias must have shape [3], got [2]");
  throwsWith(() => convTranspose2d(x, wt, ones([1, 3])), "convTranspose2d: bias must have shape [3], got [1,3]");
  const y = convTranspose2d(x, wt, dt.tensor([1, 2, 3]));
  assert.deepEqual([...y.shape], [1, 3, 7, 7]);
  assert.deepEqual([...y.get(0, ":", 0, 0).data()], [3, 4, 5]);
  assert.deepEqual([...y.get(0, ":", 3, 3).data()], [19, 20, 21]);
});

test("conv2d: input rank and dtype, groups, channel and size errors", () => {
  throwsWith(() => conv2d(ones([1, 1, 1, 5, 5]), ones([1, 1, 3, 3])), "conv2d: expected input [N,C,H,W] or [C,H,W], got [1,1,1,5,5]");
  throwsWith(() => conv2d(ones([5, 5]), ones([1, 1, 3, 3])), "conv2d: expected input [N,C,H,W] or [C,H,W], got [5,5]");
  throwsWith(() => convTranspose2d(ones([5, 5]), ones([1, 1, 3, 3])), "convTranspose2d: expected input [N,C,H,W] or [C,H,W], got [5,5]");
  throwsWith(() => conv2d(dt.ones([1, 1, 5, 5], { dtype: "int64" }), ones([1, 1, 3, 3])),
    "conv2d: input must be a float tensor, got int64 (convert it first, e.g. x.float()); PyTorch rejects integer input too");
  const g = (C: number, O: number, groups: number): string => `conv2d: groups (${groups}) must divide both input channels (${C}) and output channels (${O})`;
  throwsWith(() => conv2d(ones([1, 4, 5, 5]), ones([4, 4, 3, 3]), null, { groups: 0 }), g(4, 4, 0));
  throwsWith(() => conv2d(ones([1, 4, 5, 5]), ones([4, 4, 3, 3]), null, { groups: -1 }), g(4, 4, -1));
  throwsWith(() => conv2d(ones([1, 4, 5, 5]), ones([4, 4, 3, 3]), null, { groups: 1.5 }), g(4, 4, 1.5));
  throwsWith(() => conv2d(ones([1, 3, 5, 5]), ones([4, 1, 3, 3]), null, { groups: 2 }), g(3, 4, 2));
  throwsWith(() => conv2d(ones([1, 4, 5, 5]), ones([3, 2, 3, 3]), null, { groups: 2 }), g(4, 3, 2));
  assert.deepEqual([...conv2d(ones([1, 4, 5, 5]), ones([6, 2, 3, 3]), null, { groups: 2 }).shape], [1, 6, 3, 3]);
  throwsWith(() => conv2d(ones([1, 4, 5, 5]), ones([4, 1, 3, 3]), null, { groups: 2 }),
    "conv2d: input [1,4,5,5] has 4 channels, but weight [4,1,3,3] expects 2 (inChannels/groups = 1, groups = 2)");
  throwsWith(() => conv2d(ones([1, 2, 5, 5]), ones([3, 2, 3, 3]), null, { stride: 0 }), "conv2d: stride must be integer(s) >= 1, got 0");
  throwsWith(() => conv2d(ones([1, 2, 5, 5]), ones([3, 2, 3, 3]), null, { dilation: [1, 0] }), "conv2d: dilation must be integer(s) >= 1, got [1,0]");
  throwsWith(() => conv2d(ones([1, 2, 5, 5]), ones([3, 2, 3, 3]), null, { padding: -1 }), "conv2d: padding must be integer(s) >= 0, got -1");
  throwsWith(() => conv2d(ones([1, 2, 5, 5]), ones([3, 2, 3, 3]), null, { padding: "same", stride: 2 }), 'conv2d: padding "same" needs stride 1, got [2,2]');
  throwsWith(() => conv2d(ones([1, 2, 5, 5]), ones([3, 2, 3, 3]), null, { padding: "same", stride: [1, 2] }), 'conv2d: padding "same" needs stride 1, got [1,2]');
  throwsWith(() => conv2d(ones([1, 1, 2, 5]), ones([1, 1, 3, 3])),
    "conv2d: input [1,1,2,5] is too small for kernel 3x3 with padding [0,0], dilation [1,1]: output would be 0x3");
  throwsWith(() => conv2d(ones([1, 1, 5, 2]), ones([1, 1, 3, 3]), null, { padding: [1, 0] }),
    "conv2d: input [1,1,5,2] is too small for kernel 3x3 with padding [1,0], dilation [1,1]: output would be 5x0");
  assert.deepEqual([...conv2d(ones([1, 1, 3, 3]), ones([1, 1, 3, 3])).shape], [1, 1, 1, 1]);
});

test("convTranspose2d: channel, groups and outputPadding errors", () => {
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([3, 1, 3, 3])), "convTranspose2d: input [1,2,3,3] has 2 channels, but weight [3,1,3,3] expects 3");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1])), "convTranspose2d: weight must be [inChannels, outChannels/groups, kH, kW], got [2,1]");
  throwsWith(() => convTranspose2d(ones([1, 3, 3, 3]), ones([3, 1, 3, 3]), null, { groups: 2 }), "convTranspose2d: groups (2) must divide the input channels (3)");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { groups: 0 }), "convTranspose2d: groups (0) must divide the input channels (2)");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { groups: 1.5 }), "convTranspose2d: groups (1.5) must divide the input channels (2)");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { outputPadding: 1 }),
    "convTranspose2d: outputPadding [1,1] must be smaller than stride [1,1] or dilation [1,1]");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { stride: [2, 1], outputPadding: [1, 1] }),
    "convTranspose2d: outputPadding [1,1] must be smaller than stride [2,1] or dilation [1,1]");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { stride: [1, 2], outputPadding: [1, 0] }),
    "convTranspose2d: outputPadding [1,0] must be smaller than stride [1,2] or dilation [1,1]");
  // Smaller than the dilation is enough (torch: output 1x2x8x8).
  assert.deepEqual([...convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { dilation: 2, outputPadding: 1 }).shape], [1, 1, 8, 8]);
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { stride: 0 }), "convTranspose2d: stride must be integer(s) >= 1, got 0");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { padding: -1 }), "convTranspose2d: padding must be integer(s) >= 0, got -1");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { dilation: 0 }), "convTranspose2d: dilation must be integer(s) >= 1, got 0");
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { outputPadding: -1 }), "convTranspose2d: outputPadding must be integer(s) >= 0, got -1");
  throwsWith(() => convTranspose2d(ones([1, 2, 1, 1]), ones([2, 1, 1, 1]), null, { padding: 1 }), "convTranspose2d: the output size would be -1x-1 for input [1,2,1,1]; reduce padding");
});

test("conv1d: rank errors", () => {
  throwsWith(() => conv1d(ones([4]), ones([1, 1, 3])), "conv1d: expected input [N,C,L] or [C,L], got [4]");
  throwsWith(() => conv1d(ones([1, 1, 4]), ones([1, 3])), "conv1d: weight must be [outChannels, inChannels/groups, k], got [1,3]");
  assert.deepEqual([...conv1d(ones([1, 4]), ones([2, 1, 3])).shape], [2, 2]);
});

test("unary.ts: clamp's, clampMin's and clampMax's argument errors", () => {
  const x = dt.tensor([1, -2]);
  throwsWith(() => dt.clamp(x), "clamp: give at least one of min and max");
  throwsWith(() => dt.clamp(x, null, null), "clamp: give at least one of min and max");
  throwsWith(() => dt.clamp(x, "1" as never, 2), 'clamp: min must be a number, a Tensor or null, got string "1"');
  throwsWith(() => dt.clamp(x, 0, "2" as never), 'clamp: max must be a number, a Tensor or null, got string "2"');
  throwsWith(() => dt.clampMin(x, null as never), "clampMin: min must be a number or a Tensor, got null");
  throwsWith(() => dt.clampMax(x, undefined as never), "clampMax: max must be a number or a Tensor, got undefined");
  assert.deepEqual([...dt.clampMin(x, 0).data()], [1, 0]);
  assert.deepEqual([...dt.clampMax(x, 0).data()], [0, -2]);
  assert.deepEqual([...dt.clamp(x, null, 0.5).data()], [0.5, -2]);
});

test("unary.ts: pow of integers by negative integers, leakyRelu's and elu's non-number parameters", () => {
  const i = dt.tensor([2, 3], { dtype: "int64" });
  throwsWith(() => dt.pow(i, -1), "pow: integer tensors to negative integer powers are not allowed (got int64 to the -1); cast first, e.g. x.float().pow(-1)");
  throwsWith(() => dt.pow(dt.tensor([2], { dtype: "int32" }), -2), "pow: integer tensors to negative integer powers are not allowed (got int32 to the -2); cast first, e.g. x.float().pow(-2)");
  // torch: int64 ** 2 stays int64, int64 ** 0.5 and ** -0.5 are float32, float32 ** -1 is allowed.
  const sq = dt.pow(i, 2);
  assert.equal(sq.dtype, "int64");
  assert.deepEqual([...sq.numbers()], [4, 9]);
  const r = dt.pow(i, -0.5);
  assert.equal(r.dtype, "float32");
  assert.ok(Math.abs(r.data()[0] - Math.SQRT1_2) < 1e-7);
  assert.deepEqual([...dt.pow(dt.tensor([2, 4]), -1).data()], [0.5, 0.25]);
  const x = dt.tensor([1, -2]);
  throwsWith(() => dt.leakyRelu(x, "a" as never), 'leakyRelu: negativeSlope must be a number, got string "a"');
  throwsWith(() => dt.elu(x, "a" as never), 'elu: alpha must be a number, got string "a"');
  assert.deepEqual([...dt.leakyRelu(x, 0.5).data()], [1, -1]);
});

test("convTranspose2d: an output too small in one dim only", () => {
  throwsWith(() => convTranspose2d(ones([1, 2, 1, 3]), ones([2, 1, 1, 1]), null, { padding: [0, 2] }), "convTranspose2d: the output size would be 1x-1 for input [1,2,1,3]; reduce padding");
  throwsWith(() => convTranspose2d(ones([1, 2, 1, 3]), ones([2, 1, 1, 1]), null, { padding: [1, 0] }), "convTranspose2d: the output size would be -1x3 for input [1,2,1,3]; reduce padding");
  assert.deepEqual([...convTranspose2d(ones([1, 2, 1, 3]), ones([2, 1, 1, 1]), null, { padding: [0, 1] }).shape], [1, 1, 1, 1]);
});

test("unary.ts: round keeps integer dtypes and rounds at negative decimals; pow by 0 has a zero gradient", () => {
  // torch: round(int64) is int64; round([1234.5678, -15, 25, 0.5], decimals=-1) = [1230, -20, 20, 0] (halves to even).
  const r = dt.round(dt.tensor([2, 3], { dtype: "int64" }));
  assert.equal(r.dtype, "int64");
  assert.deepEqual([...r.numbers()], [2, 3]);
  assert.deepEqual([...dt.round(dt.tensor([1234.5678, -15, 25, 0.5], { dtype: "float64" }), { decimals: -1 }).data()], [1230, -20, 20, 0]);
  assert.deepEqual([...dt.round(dt.tensor([1.25, -2.35], { dtype: "float64" }), { decimals: 1 }).data()], [1.2, -2.4]);
  throwsWith(() => dt.round(dt.tensor([1]), { decimals: 1.5 }), "round: decimals must be an integer, got 1.5");
  // torch: x = [0, 2]; x.pow(0).sum().backward() gives [0, 0] (not 0 * 0^-1 = NaN).
  const x = dt.tensor([0, 2], { requiresGrad: true });
  dt.pow(x, 0).sum().backward();
  assert.deepEqual([...x.grad!.data()], [0, 0]);
  // An integer tensor to the power 0 is allowed (stays int64).
  const i0 = dt.pow(dt.tensor([2, 3], { dtype: "int64" }), 0);
  assert.equal(i0.dtype, "int64");
  assert.deepEqual([...i0.numbers()], [1, 1]);
});

test("unary.ts: clamp with tensor bounds promotes and broadcasts with them (torch 1.13)", () => {
  const y = dt.clamp(dt.tensor([1, -2]), dt.tensor([[0], [-1], [2]], { dtype: "float64" }));
  assert.equal(y.dtype, "float64");
  assert.deepEqual([...y.shape], [3, 2]);
  assert.deepEqual([...y.data()], [1, 0, 1, -1, 2, 2]);
  throwsWith(() => dt.clamp(dt.tensor([1, -2]), dt.tensor([0, 1, 2])),
    "clamp: shapes [2] and [3] cannot be broadcast: dimension -1 is 2 vs 3 (sizes must match or one of them must be 1)");
});

test("each operand of the stride and groups checks refuses on its own", () => {
  // Only the height's stride is not 1 (the `stride[0] !== 1` operand alone).
  throwsWith(() => conv2d(ones([1, 2, 5, 5]), ones([3, 2, 3, 3]), null, { padding: "same", stride: [2, 1] }), 'conv2d: padding "same" needs stride 1, got [2,1]');
  // groups -1: C % -1 is 0, so only `groups < 1` refuses it.
  throwsWith(() => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { groups: -1 }), "convTranspose2d: groups (-1) must divide the input channels (2)");
});
