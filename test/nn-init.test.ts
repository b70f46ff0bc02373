// Initialisation (PyTorch's defaults and nn.init) and dropout: seeded, checked by bounds and moments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, zeros, ones, randn, manualSeed, Generator, matmul, eye } from "../src/index.js";
import { assertClose } from "./nn-helpers.js";

const init = nn.init;

function stats(d: ArrayLike<number>): { min: number; max: number; mean: number; std: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    s += d[i];
    s2 += d[i] * d[i];
    min = Math.min(min, d[i]);
    max = Math.max(max, d[i]);
  }
  const mean = s / d.length;
  return { min, max, mean, std: Math.sqrt(s2 / d.length - mean * mean) };
}

/**
 * Checks that `d` looks like U(±bound): inside the bound, filling it, with the uniform's std.
 * Needs at least 5,000 draws so that the std is known to ~1% (its standard error is about
 * 0.26·σ/√n); callers with small tensors (biases) draw many of them (see `manyBiases`).
 */
function assertUniform(d: ArrayLike<number>, bound: number, label: string): void {
  assert.ok(d.length >= 5000, `${label}: ${d.length} values are too few to test a distribution; draw more`);
  const s = stats(d);
  const edge = bound * (1 + 1e-6); // the bound itself rounds in float32
  assert.ok(s.min >= -edge && s.max <= edge, `${label}: values in ±${bound}, got [${s.min}, ${s.max}]`);
  assert.ok(s.min < -0.95 * bound && s.max > 0.95 * bound, `${label}: values fill ±${bound}, got [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.std - bound / Math.sqrt(3)) < 0.03 * bound, `${label}: std ${s.std}, expected ${bound / Math.sqrt(3)}`);
}

/** The biases of freshly made layers, concatenated until there are at least `count` values. */
function manyBiases(make: () => { bias: { data(): ArrayLike<number> } | null }, count = 5000): number[] {
  const out: number[] = [];
  while (out.length < count) out.push(...Array.from(make().bias!.data()));
  return out;
}

test("Linear and Conv default init: weight and bias U(±1/√fanIn) (kaiming-uniform with a=√5)", () => {
  manualSeed(0);
  const lin = new nn.Linear(400, 300);
  assertUniform(lin.weight.data(), 1 / 20, "Linear weight");
  // One bias has only 300 values: too few to see its spread, so many layers are drawn.
  assertUniform(manyBiases(() => new nn.Linear(400, 300)), 1 / 20, "Linear bias");
  const conv = new nn.Conv2d(16, 64, 3);
  assertUniform(conv.weight.data(), 1 / 12, "Conv2d weight");
  assertUniform(manyBiases(() => new nn.Conv2d(16, 64, 3)), 1 / 12, "Conv2d bias");
  assertUniform(manyBiases(() => new nn.Conv1d(25, 200, 4)), 1 / 10, "Conv1d bias");
  // Transposed conv weight is [in, out/groups, kH, kW]: fanIn = (out/groups)·kH·kW, as PyTorch.
  const ct = new nn.ConvTranspose2d(24, 36, 3);
  assert.deepEqual(ct.weight.shape, [24, 36, 3, 3]);
  assertUniform(ct.weight.data(), 1 / 18, "ConvTranspose2d weight");
  assertUniform(new nn.Conv1d(25, 200, 4).weight.data(), 1 / 10, "Conv1d weight");
  assert.ok(lin.weight.isLeaf && lin.weight.requiresGrad && lin.weight.gradFn === null, "init runs under noGrad");
});

test("Embedding N(0,1) with a zero padding row; norm layers ones and zeros", () => {
  manualSeed(1);
  const e = new nn.Embedding(500, 64, { paddingIdx: 3 });
  const s = stats(e.weight.data());
  assert.ok(Math.abs(s.mean) < 0.02 && Math.abs(s.std - 1) < 0.02, `mean ${s.mean} std ${s.std}`);
  assert.deepEqual([...e.weight.select(0, 3).data()], new Array(64).fill(0));
  const bn = new nn.BatchNorm2d(3);
  assert.deepEqual([...bn.weight!.data(), ...bn.bias!.data(), ...bn.runningMean!.data(), ...bn.runningVar!.data()], [1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  const ln = new nn.LayerNorm([2]);
  assert.deepEqual([...ln.weight!.data(), ...ln.bias!.data()], [1, 1, 0, 0]);
  const gn = new nn.GroupNorm(1, 2);
  assert.deepEqual([...gn.weight!.data(), ...gn.bias!.data()], [1, 1, 0, 0]);
});

test("the same generator seed gives the same initial weights", () => {
  const a = new nn.Linear(5, 4, { generator: new Generator(7) });
  const b = new nn.Linear(5, 4, { generator: new Generator(7) });
  const c = new nn.Linear(5, 4, { generator: new Generator(8) });
  assert.deepEqual([...a.weight.data()], [...b.weight.data()]);
  assert.notDeepEqual([...a.weight.data()], [...c.weight.data()]);
  manualSeed(3);
  const d = new nn.Conv2d(2, 3, 3);
  manualSeed(3);
  const e = new nn.Conv2d(2, 3, 3);
  assert.deepEqual([...d.bias!.data()], [...e.bias!.data()]);
});

test("calculateGain matches PyTorch", () => {
  assert.equal(init.calculateGain("linear"), 1);
  assert.equal(init.calculateGain("conv2d"), 1);
  assert.equal(init.calculateGain("sigmoid"), 1);
  assert.equal(init.calculateGain("tanh"), 5 / 3);
  assert.equal(init.calculateGain("relu"), Math.SQRT2);
  assert.equal(init.calculateGain("leaky_relu"), Math.sqrt(2 / (1 + 0.01 ** 2)));
  assert.equal(init.calculateGain("leakyRelu", 0.2), Math.sqrt(2 / 1.04));
  assert.equal(init.calculateGain("selu"), 0.75);
  assert.throws(() => init.calculateGain("swish" as never), /unsupported nonlinearity "swish"/);
});

test("kaiming, xavier, uniform, normal, constant initialisers have the documented moments", () => {
  const g = new Generator(11);
  const w = zeros([256, 128, 3]); // fanIn 384, fanOut 768
  init.kaimingNormal_(w, { mode: "fanOut", nonlinearity: "relu", generator: g });
  let s = stats(w.data());
  assert.ok(Math.abs(s.std - Math.SQRT2 / Math.sqrt(768)) < 0.01 * s.std * 3, `kaimingNormal fanOut std ${s.std}`);
  init.kaimingNormal_(w, { generator: g }); // leaky_relu with a = 0: gain √2, fanIn
  s = stats(w.data());
  assert.ok(Math.abs(s.std - Math.SQRT2 / Math.sqrt(384)) < 0.03 * s.std, `kaimingNormal fanIn std ${s.std}`);
  init.kaimingUniform_(w, { nonlinearity: "relu", generator: g });
  assertUniform(w.data(), Math.sqrt(6 / 384), "kaimingUniform");
  init.xavierUniform_(w, { gain: 2, generator: g });
  assertUniform(w.data(), 2 * Math.sqrt(6 / (384 + 768)), "xavierUniform");
  init.xavierNormal_(w, { generator: g });
  s = stats(w.data());
  assert.ok(Math.abs(s.std - Math.sqrt(2 / 1152)) < 0.03 * s.std, `xavierNormal std ${s.std}`);
  init.uniform_(w, 2, 4, { generator: g });
  s = stats(w.data());
  assert.ok(s.min >= 2 && s.max <= 4 && Math.abs(s.mean - 3) < 0.01);
  init.normal_(w, -1, 0.5, { generator: g });
  s = stats(w.data());
  assert.ok(Math.abs(s.mean + 1) < 0.01 && Math.abs(s.std - 0.5) < 0.01);
  init.constant_(w, 0.25);
  assert.ok(w.data().every((v) => v === 0.25));
  init.ones_(w);
  assert.ok(w.data().every((v) => v === 1));
  init.zeros_(w);
  assert.ok(w.data().every((v) => v === 0));
  assert.throws(() => init.kaimingUniform_(zeros([5])), /fewer than 2 dims/);
});

test("orthogonal_ gives orthonormal rows (wide) or columns (tall), scaled by gain, seeded", () => {
  const wide = init.orthogonal_(zeros([3, 2, 4]), { generator: new Generator(1) }).reshape([3, 8]).double();
  assertClose(matmul(wide, wide.t()), eye(3, 3, { dtype: "float64" }), "W·Wᵀ", 0, 1e-6);
  const tall = init.orthogonal_(zeros([6, 3], { dtype: "float64" }), { gain: 2, generator: new Generator(2) });
  assertClose(matmul(tall.t(), tall), eye(3, 3, { dtype: "float64" }).mul(4), "WᵀW", 0, 1e-12);
  const a = init.orthogonal_(zeros([4, 4]), { generator: new Generator(5) });
  const b = init.orthogonal_(zeros([4, 4]), { generator: new Generator(5) });
  assert.deepEqual([...a.data()], [...b.data()]);
  // Parameters can be initialised directly: init runs under noGrad.
  const lin = new nn.Linear(4, 4);
  init.orthogonal_(lin.weight);
  assert.ok(lin.weight.isLeaf && lin.weight.requiresGrad);
});

test("Dropout: zeroes about p of the elements in training, scales survivors by 1/(1−p), identity in eval", () => {
  const drop = new nn.Dropout(0.3, { generator: new Generator(4) });
  const x = ones([100, 100]).requiresGrad_();
  const y = drop.call(x);
  const d = y.data();
  let zerosCount = 0;
  for (const v of d) {
    if (v === 0) zerosCount++;
    else assert.ok(Math.abs(v - 1 / 0.7) < 1e-6, `survivor ${v}`);
  }
  assert.ok(Math.abs(zerosCount / d.length - 0.3) < 0.02, `dropped fraction ${zerosCount / d.length}`);
  y.sum().backward();
  const gd = x.grad!.data();
  for (let i = 0; i < d.length; i++) assert.equal(gd[i], d[i], "gradient = mask/(1−p)");
  drop.eval();
  assert.equal(drop.call(x), x);
  // Seeded: the same generator seed gives the same mask.
  const m1 = new nn.Dropout(0.5, { generator: new Generator(9) }).call(ones([50]));
  const m2 = new nn.Dropout(0.5, { generator: new Generator(9) }).call(ones([50]));
  assert.deepEqual([...m1.data()], [...m2.data()]);
  assert.deepEqual([...new nn.Dropout(0).call(ones([4])).data()], [1, 1, 1, 1]);
  assert.deepEqual([...new nn.Dropout(1).call(ones([4])).data()], [0, 0, 0, 0]);
  assert.throws(() => new nn.Dropout(1.5), /Dropout: p must be a probability in \[0, 1\], got 1.5/);
});

test("Dropout2d zeroes whole channels and scales the rest", () => {
  const d2 = new nn.Dropout2d(0.5, { generator: new Generator(2) });
  const input = randn([4, 16, 3, 3]).abs().add(0.1);
  const xin = input.data();
  const y = d2.call(input);
  const x = y.reshape([64, 9]).data();
  let dropped = 0;
  for (let c = 0; c < 64; c++) {
    const row = Array.from(x.subarray(c * 9, c * 9 + 9));
    const z = row.filter((v) => v === 0).length;
    assert.ok(z === 0 || z === 9, `channel ${c} is dropped whole or kept whole`);
    if (z === 9) dropped++;
    // A kept channel is the input times 1/(1−p) = 2, element by element.
    else row.forEach((v, k) => assert.ok(Math.abs(v - 2 * xin[c * 9 + k]) < 1e-6 * v, `channel ${c}[${k}]: ${v}, expected 2·${xin[c * 9 + k]}`));
  }
  assert.ok(dropped > 16 && dropped < 48, `dropped ${dropped} of 64 channels`);
  d2.eval();
  const z = randn([1, 2, 2, 2]);
  assert.equal(d2.call(z), z);
});
