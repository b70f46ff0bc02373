// nn.init beyond the moment checks of nn-init.test.ts: the exact bounds and stds each initialiser
// passes to its generator (compared draw for draw with the same seed, so a wrong gain, fan or
// constant changes every value), every gain PyTorch defines, and the argument checks. Written for
// the survivors of `npm run mutate -- src/nn/init.ts` (docs/mutation/history.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, zeros, Generator, matmul, eye, tensor } from "../src/index.js";

const init = nn.init;

/** `zeros(shape)` filled by `fill` with a fresh Generator(seed). */
function drawn(shape: number[], seed: number, fill: (t: ReturnType<typeof zeros>, g: Generator) => unknown): number[] {
  const t = zeros(shape, { dtype: "float64" });
  fill(t, new Generator(seed));
  return [...t.data()];
}

test("kaimingUniform_ draws U(±gain·√(3/fan)) for each mode, nonlinearity and slope", () => {
  const shape = [6, 4, 5]; // fanIn 20, fanOut 30
  const cases: [Parameters<typeof init.kaimingUniform_>[1], number][] = [
    [{}, Math.SQRT2 * Math.sqrt(3 / 20)], // leaky_relu, a = 0
    [{ mode: "fanOut" }, Math.SQRT2 * Math.sqrt(3 / 30)],
    [{ a: Math.sqrt(5) }, 1 / Math.sqrt(20)], // PyTorch's Linear/Conv default: 1/√fanIn
    [{ nonlinearity: "tanh", mode: "fanOut" }, (5 / 3) * Math.sqrt(3 / 30)],
    [{ nonlinearity: "leaky_relu", a: 0.2 }, Math.sqrt(2 / 1.04) * Math.sqrt(3 / 20)],
  ];
  for (const [opts, b] of cases) {
    const got = drawn(shape, 3, (t, g) => init.kaimingUniform_(t, { ...opts, generator: g }));
    const want = drawn(shape, 3, (t, g) => t.uniform_(-b, b, { generator: g }));
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-12 * b, `${JSON.stringify(opts)}[${i}]: ${got[i]} vs ${want[i]}`);
  }
});

test("kaimingNormal_, xavierUniform_ and xavierNormal_ draw with exactly the documented std or bound", () => {
  const shape = [6, 4, 5]; // fanIn 20, fanOut 30
  const same = (a: number[], b: number[], label: string): void => {
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-12, `${label}[${i}]: ${a[i]} vs ${b[i]}`);
  };
  same(drawn(shape, 4, (t, g) => init.kaimingNormal_(t, { generator: g })), drawn(shape, 4, (t, g) => t.normal_(0, Math.SQRT2 / Math.sqrt(20), { generator: g })), "kaimingNormal_ fanIn");
  same(drawn(shape, 4, (t, g) => init.kaimingNormal_(t, { mode: "fanOut", nonlinearity: "selu", generator: g })), drawn(shape, 4, (t, g) => t.normal_(0, 0.75 / Math.sqrt(30), { generator: g })), "kaimingNormal_ fanOut selu");
  const xb = Math.sqrt(6 / 50);
  same(drawn(shape, 5, (t, g) => init.xavierUniform_(t, { generator: g })), drawn(shape, 5, (t, g) => t.uniform_(-xb, xb, { generator: g })), "xavierUniform_");
  same(drawn(shape, 5, (t, g) => init.xavierUniform_(t, { gain: 3, generator: g })), drawn(shape, 5, (t, g) => t.uniform_(-3 * xb, 3 * xb, { generator: g })), "xavierUniform_ gain 3");
  same(drawn(shape, 6, (t, g) => init.xavierNormal_(t, { generator: g })), drawn(shape, 6, (t, g) => t.normal_(0, Math.sqrt(2 / 50), { generator: g })), "xavierNormal_");
  same(drawn(shape, 6, (t, g) => init.xavierNormal_(t, { gain: 0.5, generator: g })), drawn(shape, 6, (t, g) => t.normal_(0, 0.5 * Math.sqrt(2 / 50), { generator: g })), "xavierNormal_ gain 0.5");
  // The defaults of uniform_ and normal_ are U(0, 1) and N(0, 1).
  same(drawn([50], 7, (t, g) => init.uniform_(t, undefined, undefined, { generator: g })), drawn([50], 7, (t, g) => t.uniform_(0, 1, { generator: g })), "uniform_ defaults");
  same(drawn([50], 7, (t, g) => init.normal_(t, undefined, undefined, { generator: g })), drawn([50], 7, (t, g) => t.normal_(0, 1, { generator: g })), "normal_ defaults");
});

test("calculateGain: every convolution name is 1, the leaky_relu slope defaults to 0.01 and 0 gives √2", () => {
  for (const n of ["conv1d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "convTranspose1d", "convTranspose2d", "convTranspose3d"] as const) {
    assert.equal(init.calculateGain(n), 1, n);
  }
  assert.equal(init.calculateGain("leaky_relu", 0), Math.SQRT2);
  assert.equal(init.calculateGain("leakyRelu"), Math.sqrt(2 / 1.0001));
  assert.throws(() => init.calculateGain("leaky_relu", NaN), /calculateGain: negative slope NaN is not a valid number/);
  assert.throws(() => init.calculateGain("leaky_relu", Infinity), /negative slope Infinity/);
});

test("calculateFanInAndFanOut: [size(1)·rf, size(0)·rf]", () => {
  assert.deepEqual(init.calculateFanInAndFanOut(zeros([3, 5])), [5, 3]);
  assert.deepEqual(init.calculateFanInAndFanOut(zeros([7, 2, 3, 4])), [24, 84]);
  assert.throws(() => init.calculateFanInAndFanOut(zeros([4])), /init: fan in and fan out cannot be computed for a tensor of shape \[4\], which has fewer than 2 dims/);
});

test("the initialisers reject bad arguments with the function's name and what it got", () => {
  assert.throws(() => init.uniform_(zeros([3]), 2, 1), /uniform_: low \(2\) must not exceed high \(1\)/);
  assert.throws(() => init.uniform_(zeros([3]), NaN, 1), /^Error: init\.uniform_: low must be a finite number, got number NaN/);
  assert.throws(() => init.uniform_(zeros([3]), 0, NaN), /^Error: init\.uniform_: high must be a finite number, got number NaN/);
  // low = high is allowed (a constant fill).
  assert.deepEqual([...init.uniform_(zeros([3]), 2, 2).data()], [2, 2, 2]);
  assert.throws(() => init.normal_(zeros([3]), 0, -1), /normal_: std must be >= 0, got -1/);
  assert.throws(() => init.normal_(zeros([3]), 0, NaN), /normal_: std must be >= 0, got NaN/);
  assert.throws(() => init.normal_(zeros([3]), NaN, 1), /^Error: init\.normal_: mean must be a finite number, got number NaN/);
  // std = 0 is allowed: every value is the mean.
  assert.deepEqual([...init.normal_(zeros([3]), 1.5, 0).data()], [1.5, 1.5, 1.5]);
  assert.throws(() => init.constant_(zeros([3]), "1" as never), /^Error: init\.constant_: value must be a number, got string "1"/);
  assert.deepEqual([...init.constant_(zeros([2]), true as never).data()], [1, 1]);
  // (The public wrapper checks the tensor argument before init.ts runs, so fill()'s own check is unreachable.)
  assert.throws(() => init.zeros_([1, 2] as never), /init\.zeros_: input must be a Tensor, got an array of length 2/);
  assert.throws(() => init.kaimingUniform_(zeros([3, 4]), { mode: "fan_in" as never }), /kaimingUniform_: mode must be "fanIn" or "fanOut", got "fan_in"/);
  assert.throws(() => init.kaimingNormal_(zeros([3, 4]), { mode: "x" as never }), /kaimingNormal_: mode must be "fanIn" or "fanOut", got "x"/);
  // Zero-element tensors: nothing to draw, returned as they are (PyTorch: a no-op with a warning).
  for (const shape of [[3, 0], [0, 3]]) {
    for (const f of [init.kaimingUniform_, init.kaimingNormal_, init.orthogonal_, init.xavierUniform_]) {
      const t = zeros(shape);
      assert.equal(f(t), t, `${f.name} ${shape}`);
    }
  }
  assert.throws(() => init.orthogonal_(zeros([5])), /orthogonal_: only tensors with 2 or more dims are supported, got \[5\]/);
});

test("orthogonal_: tall matrices get orthonormal columns and wide ones orthonormal rows, gain 1 by default", () => {
  const tall = init.orthogonal_(zeros([5, 3], { dtype: "float64" }), { generator: new Generator(3) });
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, label: string): void => {
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-12, `${label}[${i}]: ${a[i]} vs ${b[i]}`);
  };
  close(matmul(tall.t(), tall).data(), eye(3, 3, { dtype: "float64" }).data(), "WᵀW");
  const wide = init.orthogonal_(zeros([2, 6], { dtype: "float64" }), { gain: 3, generator: new Generator(4) });
  close(matmul(wide, wide.t()).data(), eye(2, 2, { dtype: "float64" }).mul(9).data(), "W·Wᵀ");
  // Square: both, and the Gram-Schmidt Q has R's diagonal positive, so column j has a positive
  // projection on the j-th column of the Gaussian draw it came from.
  const sq = init.orthogonal_(zeros([4, 4], { dtype: "float64" }), { generator: new Generator(5) });
  close(matmul(sq, sq.t()).data(), eye(4, 4, { dtype: "float64" }).data(), "square");
  const a = tensor(Float64Array.from(drawn([4, 4], 5, (t, g) => t.normal_(0, 1, { generator: g })))).reshape([4, 4]);
  const r = matmul(sq.t(), a).data(); // R = Qᵀ·A
  for (let j = 0; j < 4; j++) assert.ok(r[j * 4 + j] > 0, `R[${j},${j}] = ${r[j * 4 + j]} > 0`);
  for (let j = 0; j < 4; j++) for (let i = j + 1; i < 4; i++) assert.ok(Math.abs(r[i * 4 + j]) < 1e-12, `R[${i},${j}] = ${r[i * 4 + j]} is 0 (upper triangular)`);
});
