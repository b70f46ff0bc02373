// utils.summary: receptive fields (with dilation and strides), output shapes, parameter counts and
// multiply-adds, each checked against values derived by hand and, for the receptive field, against
// the input region a gradient actually reaches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, ones, noGrad } from "../src/index.js";
import { summary } from "../src/utils/summary.js";

test("receptive field with dilation and strides equals the hand-derived value", () => {
  // r ← r + (d·(k−1))·j, j ← j·s, layer by layer:
  //   Conv2d k3 d2 s1:  r = 1 + 4·1 = 5,   j = 1
  //   ReLU:             r = 5
  //   MaxPool2d k2 s2:  r = 5 + 1·1 = 6,   j = 2
  //   Conv2d k3 d3 s2:  r = 6 + 6·2 = 18,  j = 4
  //   MaxPool2d k2 d2:  r = 18 + 2·4 = 26, j = 8 (pool dilation 2: k_eff 3, stride 2)
  //   Flatten, Linear:  every position ("all")
  const model = new nn.Sequential(
    new nn.Conv2d(1, 2, 3, { dilation: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(2, 4, 3, { stride: 2, dilation: 3 }),
    new nn.MaxPool2d(2, { dilation: 2 }),
    new nn.Flatten(),
    new nn.Linear(16, 3),
  );
  // Sizes: 40 → 36 (k_eff 5) → 18 (pool 2) → 6 ((18 − 7)/2 + 1) → 2 ((6 − 3)/2 + 1) → 4·2·2 = 16.
  const s = summary(model, [1, 40, 40]);
  assert.deepEqual(s.layers.map((l) => l.receptiveField), [5, 5, 6, 18, 26, null, null]);
  assert.deepEqual(s.layers.map((l) => l.outputShape), [[2, 36, 36], [2, 36, 36], [2, 18, 18], [4, 6, 6], [4, 2, 2], [16], [3]]);
  assert.match(s.table, /18x18/);
  assert.match(s.table, /26x26/);
  assert.match(s.table, /\ball\b/);
});

/** The side of the input window that output element (0, 0, i, i) of `net` depends on, via its gradient. */
function measuredField(net: nn.Module, size: number, i: number): number {
  const x = ones([1, 1, size, size]).requiresGrad_();
  const y = net.call(x) as ReturnType<typeof ones>;
  y.get(0, 0, i, i).backward();
  const g = x.grad!.get(0, 0);
  const rows = g.abs().sum(1).data(), cols = g.abs().sum(0).data();
  const extent = (v: ArrayLike<number>) => {
    const hit = Array.from(v).flatMap((a, k) => (a !== 0 ? [k] : []));
    return hit[hit.length - 1] - hit[0] + 1;
  };
  assert.equal(extent(rows), extent(cols));
  return extent(rows);
}

test("receptive field equals the input window a gradient reaches (dilated convs, strided average pools)", () => {
  const nets = [
    new nn.Sequential(new nn.Conv2d(1, 1, 3, { dilation: 2 }), new nn.AvgPool2d(2), new nn.Conv2d(1, 1, 3, { dilation: 3, stride: 2 })),
    new nn.Sequential(new nn.Conv2d(1, 1, 5, { stride: 2 }), new nn.Conv2d(1, 1, 3, { dilation: 2 }), new nn.AvgPool2d(3, { stride: 1 })),
    new nn.Sequential(new nn.AvgPool2d(2), new nn.Conv2d(1, 1, 2, { dilation: 4 })),
  ];
  for (const net of nets) {
    // Positive weights: no gradient cancels, so the reached window is the whole receptive field.
    noGrad(() => {
      for (const p of net.parameters()) p.fill_(0.1);
    });
    const rf = summary(net, [1, 48, 48]).layers.at(-1)!.receptiveField!;
    assert.equal(measuredField(net, 48, 1), rf);
  }
});
