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
    // A transposed conv's output can read no input at all (only its bias): width 0.
    return hit.length === 0 ? 0 : hit[hit.length - 1] - hit[0] + 1;
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

test("parameters, multiply-adds, names and the table: counted by hand for each layer kind", () => {
  const model = new nn.Sequential(
    new nn.Conv2d(3, 8, 3, { padding: 1, groups: 1 }), // out [8, 10, 10]: params 8·3·9 + 8 = 224, MACs 800·27 = 21,600
    new nn.Conv2d(8, 4, 3, { groups: 2, bias: false }), // out [4, 8, 8]: params 4·4·9 = 144, MACs 256·36 = 9,216
    new nn.ConvTranspose2d(4, 6, 2, { stride: 2 }), // in [4, 8, 8] → [6, 16, 16]: params 4·6·4 + 6 = 102, MACs 256·24 = 6,144
    new nn.Flatten(),
    new nn.Linear(1536, 5), // params 7,685, MACs 5·1536 = 7,680
  );
  const first = [...model.parameters()][0];
  first.requiresGrad_(false); // frozen: counted in the total, not as trainable
  model.eval();
  const s = summary(model, [3, 10, 10]);
  assert.equal(model.training, false, "summary restores the mode it found (eval)");
  model.train();
  summary(model, [3, 10, 10]);
  assert.equal(model.training, true, "summary restores the mode it found (train)");
  assert.deepEqual(s.layers.map((l) => l.name), ["0", "1", "2", "3", "4"]);
  assert.deepEqual(s.layers.map((l) => l.type), ["Conv2d", "Conv2d", "ConvTranspose2d", "Flatten", "Linear"]);
  assert.deepEqual(s.layers.map((l) => l.outputShape), [[8, 10, 10], [4, 8, 8], [6, 16, 16], [1536], [5]]);
  assert.deepEqual(s.layers.map((l) => l.params), [224, 144, 102, 0, 7685]);
  assert.deepEqual(s.layers.map((l) => l.macs), [21600, 9216, 6144, 0, 7680]);
  assert.equal(s.totalParams, 224 + 144 + 102 + 7685);
  assert.equal(s.trainableParams, s.totalParams - 216);
  assert.equal(s.totalMacs, 21600 + 9216 + 6144 + 7680);
  const lines = s.table.split("\n");
  assert.equal(lines[0], "Input: [3, 10, 10] per sample");
  assert.match(lines[1], /^─+$/);
  assert.match(lines[2], /^Layer\s+Output shape\s+Params\s+Receptive field\s+Mult-adds$/);
  assert.match(lines[4], /^0 \(Conv2d\)\s+\[8, 10, 10\]\s+224\s+3x3\s+21,600$/);
  assert.match(lines[8], /^4 \(Linear\)\s+\[5\]\s+7,685\s+all\s+7,680$/);
  assert.equal(lines.at(-2), "Total params: 8,155 (trainable 7,939)");
  assert.equal(lines.at(-1), "Mult-adds per sample: 44,640");
  // Columns line up: every row of the table body has the header's width.
  assert.ok(lines.slice(2, 9).every((l) => l.length === lines[2].length), "aligned columns");
  assert.equal(lines[1].length, lines[2].length);
});

test("Conv1d and pooling with a stride different from the kernel: receptive field and MACs", () => {
  // Conv1d k4 s2: r = 4, j = 2; MaxPool2d over a [C, L, 1] view is not used: Conv1d alone.
  const c = new nn.Sequential(new nn.Conv1d(2, 3, 4, { stride: 2 }), new nn.Conv1d(3, 1, 3, { dilation: 2 }));
  const s = summary(c, [2, 20]);
  // 20 → 9 ((20 − 4)/2 + 1) → 5 (9 − 4); r: 4, then 4 + 4·2 = 12.
  assert.deepEqual(s.layers.map((l) => l.outputShape), [[3, 9], [1, 5]]);
  assert.deepEqual(s.layers.map((l) => l.receptiveField), [4, 12]);
  assert.deepEqual(s.layers.map((l) => l.macs), [27 * 8, 5 * 9]);
  // A pool whose stride differs from its kernel: r = 3 + 2·1 = 5 after two k3 s1 pools... with s2:
  const p = new nn.Sequential(new nn.MaxPool2d(3, { stride: 1 }), new nn.MaxPool2d(3, { stride: 2 }), new nn.MaxPool2d(2));
  // k3 s1: r 3, j 1; k3 s2: r 5, j 2; k2 (stride defaults to 2): r 7, j 4.
  assert.deepEqual(summary(p, [1, 20, 20]).layers.map((l) => l.receptiveField), [3, 5, 7]);
});

test("once a layer mixes every position, later convolutions stay 'all'; layers without a kernel keep the field", () => {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 2, 3), // r 3
    new nn.Identity(), // r 3: no kernel
    new nn.Flatten(), // all
    new nn.Unflatten(1, [2, 6, 6]),
    new nn.Conv2d(2, 1, 3), // still all: each output already saw the whole input
  );
  const s = summary(model, [1, 8, 8]);
  assert.deepEqual(s.layers.map((l) => l.receptiveField), [3, 3, null, null, null]);
  const lin = summary(new nn.Sequential(new nn.Linear(4, 4), new nn.Unflatten(1, [1, 2, 2]), new nn.MaxPool2d(2)), [4]);
  assert.deepEqual(lin.layers.map((l) => l.receptiveField), [null, null, null]);
});

test("transposed convolutions, adaptive pools and upsampling: the field is the widest window any output reads", () => {
  // Output positions of these layers read windows of different widths (a transposed conv's taps
  // skip inputs, adaptive windows vary, upsampled neighbours share an input), so the reported field
  // is the widest one: compared with the gradient-reached window at every output position.
  const nets: [nn.Module, number[]][] = [
    [new nn.Sequential(new nn.Conv2d(1, 1, 3, { stride: 2 }), new nn.ConvTranspose2d(1, 1, 2, { stride: 2 }), new nn.Conv2d(1, 1, 2)), [3, 3, 5]],
    [new nn.Sequential(new nn.ConvTranspose2d(1, 1, 4, { stride: 2 }), new nn.Conv2d(1, 1, 3)), [2, 3]],
    [new nn.Sequential(new nn.ConvTranspose2d(1, 1, 3, { stride: 2, dilation: 2 })), [3]],
    [new nn.Sequential(new nn.ConvTranspose2d(1, 1, 3, { stride: 3, dilation: 2 })), [1]],
    [new nn.Sequential(new nn.Conv2d(1, 1, 3), new nn.AdaptiveAvgPool2d(5), new nn.Conv2d(1, 1, 2)), [3, 6, 9]],
    [new nn.Sequential(new nn.Conv2d(1, 1, 3, { stride: 2 }), new nn.Upsample({ scaleFactor: 2 }), new nn.Conv2d(1, 1, 2)), [3, 3, 5]],
    [new nn.Sequential(new nn.Conv2d(1, 1, 3, { stride: 2 }), new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }), new nn.Conv2d(1, 1, 2)), [3, 5, 7]],
  ];
  for (const [net, expected] of nets) {
    noGrad(() => {
      for (const p of net.parameters()) p.fill_(0.1);
    });
    const s = summary(net, [1, 18, 18]);
    assert.deepEqual(s.layers.map((l) => l.receptiveField), expected);
    const size = s.layers.at(-1)!.outputShape.at(-1)!;
    let widest = 0;
    for (let i = 0; i < size; i++) widest = Math.max(widest, measuredField(net, 18, i));
    assert.equal(widest, expected.at(-1), `${net}`);
  }
  // A global average pool mixes every position.
  const g = summary(new nn.Sequential(new nn.Conv2d(1, 1, 3), new nn.AdaptiveAvgPool2d(1)), [1, 8, 8]);
  assert.deepEqual(g.layers.map((l) => l.receptiveField), [3, null]);
});
