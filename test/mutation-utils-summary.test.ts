// Tests written for the survivors of `npm run mutate -- src/utils/summary.ts` (session 9): the
// receptive-field maps of layers the other summary tests never built (1-d linear upsampling, with
// and without alignCorners; bicubic; a padding layer; Flatten keeping the last axis's length;
// padding "same"). Where the field is traced exactly, the expected value is the widest input window
// a gradient reaches, measured at every output position.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, ones, noGrad, type Tensor } from "../src/index.js";
import { summary } from "../src/utils/summary.js";

/** The widest span of inputs (last axis) that any output position of a 1-d `net` depends on. */
function widestField1d(net: nn.Module, length: number): number {
  let widest = 0;
  const outLen = (net.call(ones([1, 1, length])) as Tensor).shape.at(-1)!;
  for (let i = 0; i < outLen; i++) {
    const x = ones([1, 1, length]).requiresGrad_();
    const y = net.call(x) as Tensor;
    (y.ndim === 3 ? y.get(0, 0, i) : y.get(0, i)).backward();
    const hit = Array.from(x.grad!.abs().data()).flatMap((a, k) => (a !== 0 ? [k] : []));
    if (hit.length > 0) widest = Math.max(widest, hit[hit.length - 1] - hit[0] + 1);
  }
  return widest;
}

const positive = (net: nn.Module): nn.Module => {
  // Positive weights: no gradient cancels, so the reached window is the whole field.
  noGrad(() => {
    for (const p of net.parameters()) p.fill_(0.1);
  });
  return net;
};

test("summary: 1-d linear upsampling is traced, with and without alignCorners, as the gradient reaches", () => {
  for (const alignCorners of [undefined, true]) {
    const net = positive(new nn.Sequential(
      new nn.Conv1d(1, 1, 3, { stride: 2 }),
      new nn.Upsample({ scaleFactor: 3, mode: "linear", ...(alignCorners ? { alignCorners } : {}) }),
      new nn.Conv1d(1, 1, 2),
    ));
    const s = summary(net, [1, 17]);
    const fields = s.layers.map((l) => l.receptiveField);
    assert.ok(fields.every((f) => typeof f === "number"), `alignCorners ${alignCorners}: ${fields}`);
    assert.equal(fields.at(-1), widestField1d(net, 17), `alignCorners ${alignCorners}`);
  }
});

test("summary: the two alignCorners settings give different fields here, so each is checked", () => {
  const field = (alignCorners: boolean) =>
    summary(new nn.Sequential(new nn.Conv1d(1, 1, 3, { stride: 2 }), new nn.Upsample({ scaleFactor: 3, mode: "linear", alignCorners }), new nn.Conv1d(1, 1, 2)), [1, 17])
      .layers.at(-1)!.receptiveField;
  assert.notEqual(field(false), field(true));
});

test("summary: bicubic upsampling, a padding layer and Flatten end the tracing (null: not known to be local)", () => {
  const bicubic = summary(new nn.Sequential(new nn.Conv2d(1, 1, 3), new nn.Upsample({ scaleFactor: 2, mode: "bicubic" })), [1, 8, 8]);
  assert.deepEqual(bicubic.layers.map((l) => l.receptiveField), [3, null]);
  // ZeroPad2d changes the size without a kernel.
  const padded = summary(new nn.Sequential(new nn.Conv2d(1, 1, 3), new nn.ZeroPad2d(1), new nn.Conv2d(1, 1, 3)), [1, 8, 8]);
  assert.deepEqual(padded.layers.map((l) => l.receptiveField), [3, null, null]);
  // Flatten of [1, 5] (batch left out) is [5]: the last axis keeps its length, and Flatten still mixes.
  const flat = summary(new nn.Sequential(new nn.Conv1d(1, 1, 3), new nn.Flatten()), [1, 7]);
  assert.deepEqual(flat.layers.map((l) => [l.outputShape, l.receptiveField]), [[[1, 5], 3], [[5], null]]);
});

test("summary: padding \"same\" is traced as the explicit padding dilation·(kernel − 1)/2", () => {
  // The field ignores borders, so padding only shifts positions; the shift matters after a layer
  // whose reads depend on the absolute position (upsampling with alignCorners, an adaptive pool).
  // The same network with the padding written as a number must give the same field; these two
  // cases tell padding 3 from 0 and from 6, and 2 from 0 (found by trying paddings on small nets).
  const cases: [() => nn.Module, number, number, number][] = [
    [() => new nn.Upsample({ scaleFactor: 2, mode: "linear", alignCorners: true }), 2, 3, 3],
    [() => new nn.AdaptiveAvgPool1d(7), 9, 3, 2],
  ];
  for (const [first, length, kernel, dilation] of cases) {
    const field = (padding: "same" | number) =>
      summary(new nn.Sequential(first(), new nn.Conv1d(1, 1, kernel, { padding, dilation })), [1, length]).layers.map((l) => [l.outputShape, l.receptiveField]);
    assert.deepEqual(field("same"), field((dilation * (kernel - 1)) / 2), `k ${kernel} d ${dilation}`);
  }
});
