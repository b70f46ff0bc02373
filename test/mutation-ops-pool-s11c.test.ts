// Survivors and uncovered mutants of src/ops/pool.ts and src/ops/fused.ts (session 11,
// docs/mutation/session-11-opsc.md): avgPool2d's divisorOverride and dilation rules, the pools' input
// errors, the second derivatives of maxPool2d and avgPool2d, and conv2dRelu's recorded/unrecorded
// paths (bias-only gradients, createGraph backward, the pool indices' recycling). Values from
// PyTorch 1.13 (F.avg_pool2d with divisor_override, torch.autograd.grad with create_graph).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { type Tensor, avgPool2d, maxPool2d, conv2d, conv2dRelu, relu, grad } from "../src/index.js";
import { clearRecycled, takeRecycled } from "../src/tensor/recycle.js";
import { throwsWith } from "./throws-with.js";
import { closeArray as close } from "./float64-close.js";

// x[i] = (7(i+1) mod 11) - 3.5, shape [1,2,5,6].
const XV = Array.from({ length: 60 }, (_, i) => ((7 * (i + 1)) % 11) - 3.5);
const X = (dtype: dt.DType = "float64"): Tensor => dt.tensor(XV, { dtype }).reshape([1, 2, 5, 6]);

test("avgPool2d with divisorOverride: window sums over the input (padding counts 0) divided by it", () => {
  const cases: [number | [number, number], dt.Pool2dOptions, number[], number[]][] = [
    [3, { stride: 2, padding: 1, ceilMode: true, divisorOverride: 5 }, [1, 2, 3, 4],
      [0.4, 2.2, 1.4, 1.8, 1.4, 2.3, 1.1, 0.9, 2.2, 1.6, 0.8, -0.6, 1.2, 1.2, 2.6, 2.2, 0.4, 1.9, 2.9, 1.5, 0.8, 2.8, 2.0, -0.2]],
    [2, { stride: 2, padding: 1, divisorOverride: 3 }, [1, 2, 3, 4],
      [7 / 6, 2, 1 / 3, 11 / 6, 1 / 3, 11 / 3, 1 / 3, 5 / 3, 4 / 3, 2, 7 / 3, -1, 1.5, -1, 1, 13 / 6, 1, 4 / 3, 5 / 3, 7 / 3, -5 / 3, 10 / 3, 11 / 3, -1 / 3]],
    [3, { stride: 1, divisorOverride: -2 }, [1, 2, 3, 4],
      [-10.75, -9.25, -7.75, -6.25, -7.25, -5.75, -4.25, -2.75, -9.25, -7.75, -6.25, -4.75, -4.25, -2.75, -6.75, -10.75, -6.25, -4.75, -8.75, -7.25, -2.75, -6.75, -10.75, -9.25]],
    [[2, 3], { stride: [1, 2], padding: [1, 1], ceilMode: true, divisorOverride: 4 }, [1, 2, 6, 4],
      [0.75, 2.125, 1.625, 1.375, 0.5, 2.75, 1.75, 2.25, 1.25, 2.5, 1.5, 1.25, 2.0, 2.25, 1.25, 0.25, 2.75, 2.0, 1.0, -0.75, 2.25, 1.625, 1.125, -0.625,
        1.25, 0.125, 2.375, 1.625, 1.5, 1.5, 3.25, 2.75, -0.5, 1.25, 3.0, 1.75, 0.25, 1.0, 2.75, 0.75, 1.0, 3.5, 2.5, -0.25, 0.0, 2.375, 1.875, -0.375]],
  ];
  for (const [k, o, shape, want] of cases) {
    const y = avgPool2d(X(), k, o);
    assert.deepEqual([...y.shape], shape);
    close(y.data(), want);
    // countIncludePad does not matter with a divisor (PyTorch ignores it too); unbatched input too.
    close(avgPool2d(X(), k, { ...o, countIncludePad: false }).data(), want);
    const u = avgPool2d(X().squeeze(0), k, o);
    assert.deepEqual([...u.shape], shape.slice(1));
    close(u.data(), want);
  }
  // null means no override.
  close(avgPool2d(X(), 2, { divisorOverride: null }).data(), avgPool2d(X(), 2).data() as unknown as number[]);
});

test("avgPool2d with divisorOverride on bfloat16: the window sum in float32, rounded once (torch 1.13)", () => {
  const y = avgPool2d(X("bfloat16"), 3, { stride: 2, padding: 1, ceilMode: true, divisorOverride: 3 });
  assert.equal(y.dtype, "bfloat16");
  close(y.data(), [0.66796875, 3.671875, 2.328125, 3.0, 2.328125, 3.828125, 1.8359375, 1.5, 3.671875, 2.671875, 1.3359375, -1.0,
    2.0, 2.0, 4.34375, 3.671875, 0.66796875, 3.171875, 4.84375, 2.5, 1.3359375, 4.65625, 3.328125, -0.333984375], 0);
});

test("avgPool2d: divisorOverride must be a non-zero integer, dilation must be 1", () => {
  throwsWith(() => avgPool2d(X(), 2, { divisorOverride: 0 }), "avgPool2d: divisorOverride must be a non-zero integer, got 0");
  throwsWith(() => avgPool2d(X(), 2, { divisorOverride: 1.5 }), "avgPool2d: divisorOverride must be a non-zero integer, got 1.5");
  throwsWith(() => avgPool2d(X(), 2, { dilation: 2 }), "avgPool2d: dilation is not supported (as in PyTorch), got 2");
  throwsWith(() => avgPool2d(X(), 2, { dilation: [1, 2] }), "avgPool2d: dilation is not supported (as in PyTorch), got [1,2]");
  throwsWith(() => avgPool2d(X(), 2, { dilation: [2, 1] }), "avgPool2d: dilation is not supported (as in PyTorch), got [2,1]");
  // A dilation of 1 is the default.
  close(avgPool2d(X(), 2, { dilation: [1, 1] }).data(), avgPool2d(X(), 2).data() as unknown as number[]);
  close(avgPool2d(X(), 2, { dilation: 1 }).data(), avgPool2d(X(), 2).data() as unknown as number[]);
});

test("the pools' shape errors", () => {
  throwsWith(() => maxPool2d(X(), 2, { padding: 2 }), "maxPool2d: padding [2,2] must be at most half the kernel size [2,2]");
  throwsWith(() => avgPool2d(X(), [4, 2], { padding: [2, 2] }), "avgPool2d: padding [2,2] must be at most half the kernel size [4,2]");
  throwsWith(() => maxPool2d(dt.ones([6, 6]), 2), "maxPool2d: expected input [N,C,H,W] or [C,H,W], got [6,6]");
  throwsWith(() => avgPool2d(dt.ones([1, 1, 1, 6, 6]), 2), "avgPool2d: expected input [N,C,H,W] or [C,H,W], got [1,1,1,6,6]");
});

test("maxPool2d and avgPool2d: second and third derivatives, as torch.autograd.grad with create_graph", () => {
  const THIRD_MAX = [2.0, 0, 1.7272727272727273, 0, 0, 1.4545454545454546, 0, 0, 0, 0, 0, 0, 0, 1.1818181818181819, 0.9090909090909092, 0, 0.6363636363636365,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.36363636363636376, 0, 0, 0, 0, -0.18181818181818188, 0, 0, 0.09090909090909105, 0, 0, 0, 0, 0,
    -0.7272727272727273, 0, -1.0, 0, 0, -0.4545454545454546, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const a = [0.5, 0.4318181818181818, 0.36363636363636365, 0.29545454545454547, 0.2272727272727273, 0.15909090909090912,
    0.09090909090909094, 0.022727272727272763, -0.04545454545454547, -0.11363636363636365, -0.18181818181818182, -0.25];
  // avgPool2d's third derivative: z/4 spread over each 2x2 window, the last row (outside every window) 0.
  const THIRD_AVG: number[] = [];
  for (const c of [0, 1]) for (let h = 0; h < 5; h++) for (let w = 0; w < 6; w++) THIRD_AVG.push(h < 4 ? a[c * 6 + Math.floor(h / 2) * 3 + Math.floor(w / 2)] : 0);
  const pools: [string, (x: Tensor) => Tensor, number[], number[]][] = [
    ["max", (x) => maxPool2d(x, 2), [0.5, 0.5508474576271186, 0.6271186440677966, 0.8305084745762713, 0.8559322033898306, 0.9067796610169492,
      1.2627118644067798, 1.4661016949152543, 1.3898305084745763, 1.7457627118644068, 1.61864406779661, 1.6694915254237288], THIRD_MAX],
    ["avg", (x) => avgPool2d(x, 2), [0.5889830508474576, 0.6398305084745763, 0.6906779661016949, 0.8940677966101696, 0.9449152542372882,
      0.9957627118644068, 1.3516949152542372, 1.402542372881356, 1.4533898305084745, 1.6567796610169492, 1.707627118644068, 1.7584745762711864], THIRD_AVG],
  ];
  for (const [name, f, second, third] of pools) {
    const x = X().requiresGrad_();
    const v = dt.linspace(-1, 1, 12, { dtype: "float64" }).reshape([1, 2, 2, 3]).requiresGrad_();
    const u = dt.linspace(0.5, 2, 60, { dtype: "float64" }).reshape([1, 2, 5, 6]).requiresGrad_();
    const [gx] = grad([f(x)], [x], { gradOutputs: [v], createGraph: true });
    const [gv] = grad([gx!], [v], { gradOutputs: [u], createGraph: true });
    assert.deepEqual([...gv!.shape], [1, 2, 2, 3], name);
    close(gv!.data(), second);
    const z = dt.linspace(2, -1, 12, { dtype: "float64" }).reshape([1, 2, 2, 3]);
    const [gu] = grad([gv!], [u], { gradOutputs: [z] });
    assert.deepEqual([...gu!.shape], [1, 2, 5, 6], name);
    close(gu!.data(), third, 1e-12);
  }
});

/** conv2d → relu (→ maxPool2d 2), the composition conv2dRelu replaces. */
const composite = (x: Tensor, w: Tensor, b: Tensor | null, pool: boolean): Tensor => {
  const r = relu(conv2d(x, w, b, { padding: 1 }));
  return pool ? maxPool2d(r, 2) : r;
};
const seeded = (shape: number[], seed: number): Tensor => {
  dt.manualSeed(seed);
  return dt.randn(shape, { dtype: "float64" });
};

test("conv2dRelu: a bias alone requiring grad still records the pool's positions", () => {
  for (const pool of [true, false]) {
    const x = seeded([2, 2, 6, 6], 1), w = seeded([3, 2, 3, 3], 2);
    const b = seeded([3], 3).requiresGrad_(), b2 = b.detach().requiresGrad_();
    const v = seeded(pool ? [2, 3, 3, 3] : [2, 3, 6, 6], 4);
    conv2dRelu(x, w, b, { padding: 1 }, pool ? { kernelSize: 2 } : null).backward(v);
    composite(x, w, b2, pool).backward(v);
    close(b.grad!.data(), [...b2.grad!.data()]);
    assert.ok(b.grad!.abs().sum().item() > 0);
  }
});

test("conv2dRelu: a createGraph backward gives the composition's gradients and second derivatives", () => {
  for (const pool of [true, false]) {
    const mk = (): Tensor[] => [seeded([1, 2, 6, 6], 5).requiresGrad_(), seeded([3, 2, 3, 3], 6).requiresGrad_(), seeded([3], 7).requiresGrad_()];
    const [x, w, b] = mk(), [x2, w2, b2] = mk();
    const v = seeded(pool ? [1, 3, 3, 3] : [1, 3, 6, 6], 8);
    const got = grad([conv2dRelu(x, w, b, { padding: 1 }, pool ? { kernelSize: 2 } : null)], [x, w, b], { gradOutputs: [v], createGraph: true });
    const want = grad([composite(x2, w2, b2, pool)], [x2, w2, b2], { gradOutputs: [v], createGraph: true });
    for (let i = 0; i < 3; i++) {
      // The bias's gradient is a sum of g where the output is positive: piecewise constant, no graph.
      assert.equal(got[i]!.requiresGrad, i < 2, `grad ${i} has a graph`);
      close(got[i]!.data(), [...want[i]!.data()], 1e-12);
    }
    // d/dw of Σ gx² and d/dx of Σ gw²: mixed second derivatives through the recorded rule.
    const s = got[0]!.square().sum().add(got[1]!.square().sum()), s2 = want[0]!.square().sum().add(want[1]!.square().sum());
    const [gw, gx] = grad([s], [w, x]), [gw2, gx2] = grad([s2], [w2, x2]);
    close(gw!.data(), [...gw2!.data()], 1e-10);
    close(gx!.data(), [...gx2!.data()], 1e-10);
  }
});

test("conv2dRelu: the pool's positions are recycled after a plain backward, never after a createGraph one", () => {
  // float64 values, so the int32 positions ([1,4,64,64], 64 KiB) are the only buffer of their size.
  const bytes = 4 * 4 * 64 * 64;
  const x = seeded([1, 1, 128, 128], 9).requiresGrad_(), w = seeded([4, 1, 3, 3], 10).requiresGrad_();
  clearRecycled();
  conv2dRelu(x, w, null, { padding: 1 }, { kernelSize: 2 }).sum().backward();
  assert.ok(takeRecycled(bytes) !== undefined, "plain backward recycles the positions");
  clearRecycled();
  const y = conv2dRelu(x, w, null, { padding: 1 }, { kernelSize: 2 });
  const [gx] = grad([y.sum()], [x], { createGraph: true });
  y.sum().backward(); // frees the node: its positions are shared with gx's graph
  assert.equal(takeRecycled(bytes), undefined, "shared positions are not recycled");
  // gx's graph still reads them (after other buffers of their size were handed out): the same
  // derivative of gx by w as the composition's.
  for (let i = 0; i < 4; i++) dt.zeros([1, 4, 64, 64], { dtype: "int32" }).fill_(7);
  const x2 = x.detach().requiresGrad_(), w2 = w.detach().requiresGrad_();
  const [gx2] = grad([maxPool2d(relu(conv2d(x2, w2, null, { padding: 1 })), 2).sum()], [x2], { createGraph: true });
  const g = seeded([1, 1, 128, 128], 11);
  const [gw] = grad([gx!], [w], { gradOutputs: [g] }), [gw2] = grad([gx2!], [w2], { gradOutputs: [g] });
  close(gw!.data(), [...gw2!.data()], 1e-9);
  assert.ok(gw!.abs().sum().item() > 0);
  clearRecycled();
});

test("conv2dRelu: the pool options' keys are checked", () => {
  throwsWith(() => conv2dRelu(dt.ones([1, 1, 4, 4]), dt.ones([1, 1, 3, 3]), null, { padding: 1 }, { kernelSize: 2, strde: 2 } as never),
    "conv2dRelu: unknown option 'strde'; did you mean 'stride'? (it takes stride, padding, dilation, ceilMode, kernelSize)");
  throwsWith(() => conv2dRelu(dt.ones([1, 1, 4, 4]), dt.ones([1, 1, 3, 3]), null, { pading: 1 } as never), /^conv2dRelu: unknown option 'pading'; did you mean 'padding'\?/);
  assert.deepEqual([...conv2dRelu(dt.ones([1, 1, 4, 4]), dt.ones([1, 1, 3, 3]), null, { padding: 1 }, { kernelSize: 2, stride: 2 }).shape], [1, 1, 2, 2]);
});

test("poolParams: each size argument is checked under its own name; ceil mode's last-window rule", () => {
  const x = X();
  throwsWith(() => maxPool2d(x, 0), "maxPool2d: kernelSize must be integer(s) >= 1, got 0");
  throwsWith(() => maxPool2d(x, 2, { stride: 0 }), "maxPool2d: stride must be integer(s) >= 1, got 0");
  throwsWith(() => maxPool2d(x, 2, { padding: -1 }), "maxPool2d: padding must be integer(s) >= 0, got -1");
  throwsWith(() => maxPool2d(x, 2, { dilation: [1, 0] }), "maxPool2d: dilation must be integer(s) >= 1, got [1,0]");
  throwsWith(() => avgPool2d(x, 2, { dilation: 0 }), "avgPool2d: dilation must be integer(s) >= 1, got 0");
  // The height's padding alone is too large (the width's is fine).
  throwsWith(() => maxPool2d(x, [2, 4], { padding: [2, 0] }), "maxPool2d: padding [2,0] must be at most half the kernel size [2,4]");
  assert.deepEqual([...maxPool2d(x, [2, 4], { padding: [1, 2] }).shape], [1, 2, 3, 2]);
  // torch: too small in one dim only.
  throwsWith(() => maxPool2d(dt.ones([1, 1, 1, 5]), 2), "maxPool2d: input [1,1,1,5] is too small for kernel [2,2]: output would be 0x2");
  throwsWith(() => maxPool2d(dt.ones([1, 1, 5, 1]), 2), "maxPool2d: input [1,1,5,1] is too small for kernel [2,2]: output would be 2x0");
  // Ceil mode on H = 5, kernel 2, stride 2, padding 1: a 4th window would start at 6 = H + padding,
  // outside the input and the left padding, so there are 3 (torch: [1,2,3,4]).
  const m = maxPool2d(x, 2, { stride: 2, padding: 1, ceilMode: true });
  assert.deepEqual([...m.shape], [1, 2, 3, 4]);
  close(m.data(), [3.5, 6.5, 2.5, 5.5, 1.5, 6.5, 5.5, 3.5, 6.5, 4.5, 5.5, -0.5, 4.5, 0.5, 3.5, 6.5, 2.5, 5.5, 6.5, 4.5, -1.5, 5.5, 6.5, 0.5]);
  close(avgPool2d(x, 2, { stride: 2, padding: 1, ceilMode: true }).data(),
    [0.875, 1.5, 0.25, 1.375, 0.25, 2.75, 0.25, 1.25, 1.0, 1.5, 1.75, -0.75, 1.125, -0.75, 0.75, 1.625, 0.75, 1.0, 1.25, 1.75, -1.25, 2.5, 2.75, -0.25]);
});

test("adaptiveAvgPool2d: sizes that do not divide the input (overlapping windows), and its argument errors", () => {
  const y = dt.adaptiveAvgPool2d(X(), [3, 4]);
  assert.deepEqual([...y.shape], [1, 2, 3, 4]);
  close(y.data(), [0.5, 2.0, -0.5, 1.0, 1.1666666666666667, 2.6666666666666665, 0.16666666666666666, 1.6666666666666667, 2.75, 1.5, 1.75, 0.5,
    1.5, 0.25, 0.5, 2.0, 0.3333333333333333, 1.8333333333333333, 1.1666666666666667, 2.6666666666666665, 1.0, 2.5, 2.75, 1.5]);
  // H = 5 over 2 rows does not divide, W = 6 over 4 neither; unbatched.
  const u = dt.adaptiveAvgPool2d(X().squeeze(0), [2, 4]);
  assert.deepEqual([...u.shape], [2, 2, 4]);
  close(u.data(), [1.3333333333333333, 2.8333333333333335, 0.3333333333333333, 1.8333333333333333, 2.8333333333333335, 2.5, 1.8333333333333333, 1.5,
    0.5, 0.16666666666666666, 1.3333333333333333, 2.8333333333333335, 0.16666666666666666, 1.6666666666666667, 2.8333333333333335, 2.5]);
  throwsWith(() => dt.adaptiveAvgPool2d(X(), 0), "adaptiveAvgPool2d: outputSize must be integer(s) >= 1, got 0");
  throwsWith(() => dt.adaptiveAvgPool2d(dt.ones([4, 4]), 2), "adaptiveAvgPool2d: expected input [N,C,H,W] or [C,H,W], got [4,4]");
  throwsWith(() => dt.adaptiveAvgPool2d(dt.ones([1, 1, 1, 4, 4]), 2), "adaptiveAvgPool2d: expected input [N,C,H,W] or [C,H,W], got [1,1,1,4,4]");
});
