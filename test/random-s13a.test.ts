// Session 13 (helper deptha): normal, multinomial and poisson as torch.normal, torch.multinomial and
// torch.poisson. deeptype's Generator is xoshiro128**, not PyTorch's mt19937, so a seed gives other
// samples than torch's: these tests check the distributions instead, by moments and chi-square
// statistics of seeded draws. The seeds are fixed, so each test gives the same verdict on every run;
// each bound is at least 4.75 standard deviations (or the chi-square's 1e-6 upper tail, by
// Wilson-Hilferty), so a correct sampler would fail one with odds below 1e-6 for any seed.
// Shapes, dtypes, gradients and errors are torch 1.13's (values in the comments).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { Generator, manualSeed, normal, multinomial, poisson, tensor, zeros, ones, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { onBackends } from "./fixture-s13a.js";

const Z = 4.75; // the one-sided normal quantile for 1e-6

/** The chi-square critical value at upper tail 1e-6 with df degrees of freedom (Wilson-Hilferty, conservative). */
const chi2Crit = (df: number): number => df * (1 - 2 / (9 * df) + Z * Math.sqrt(2 / (9 * df))) ** 3;

function moments(v: ArrayLike<number>): { mean: number; variance: number; skew: number; kurt: number } {
  const n = v.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += v[i];
  m /= n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i] - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n; m3 /= n; m4 /= n;
  return { mean: m, variance: (m2 * n) / (n - 1), skew: m3 / m2 ** 1.5, kurt: m4 / (m2 * m2) - 3 };
}

function chiSquare(counts: number[], probs: number[], n: number): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += (counts[i] - n * probs[i]) ** 2 / (n * probs[i]);
  return s;
}

/** Asserts the draws v look like N(mu, sigma²): mean, variance, skewness, kurtosis and P(x < mu + sigma). */
function assertNormal(v: ArrayLike<number>, mu: number, sigma: number, what: string): void {
  const n = v.length, s = moments(v);
  assert.ok(Math.abs(s.mean - mu) <= (Z * sigma) / Math.sqrt(n), `${what}: mean ${s.mean}, want ${mu}`);
  assert.ok(Math.abs(s.variance - sigma * sigma) <= Z * sigma * sigma * Math.sqrt(2 / n), `${what}: variance ${s.variance}, want ${sigma * sigma}`);
  assert.ok(Math.abs(s.skew) <= Z * Math.sqrt(6 / n), `${what}: skewness ${s.skew}`);
  assert.ok(Math.abs(s.kurt) <= Z * Math.sqrt(24 / n), `${what}: excess kurtosis ${s.kurt}`);
  let below = 0;
  for (let i = 0; i < n; i++) if (v[i] < mu + sigma) below++;
  const p = 0.8413447460685429;
  assert.ok(Math.abs(below / n - p) <= Z * Math.sqrt((p * (1 - p)) / n), `${what}: P(x < mu + sigma) ${below / n}, want ${p}`);
}

/** The column j of a [n, k] tensor's values. */
const column = (t: Tensor, j: number): number[] => {
  const [n, k] = t.shape, d = t.numbers();
  return Array.from({ length: n }, (_, i) => d[i * k + j]);
};

test("normal(mean, std, size): N(mean, std²) draws, float32 by default, as torch.normal", () => {
  const x = normal(2, 3, [40000], { generator: new Generator(5) });
  assert.deepEqual([x.shape, x.dtype, x.requiresGrad], [[40000], "float32", false]);
  assertNormal(x.numbers(), 2, 3, "normal(2, 3)");
  // torch.normal(0., 1., (2, 3), dtype=torch.float64): size positional or { size }, dtype, requiresGrad
  const y = normal(0, 1, { size: [20000, 2], dtype: "float64", generator: new Generator(6), requiresGrad: true });
  assert.deepEqual([y.shape, y.dtype, y.requiresGrad, y.isLeaf], [[20000, 2], "float64", true, true]);
  assertNormal(y.numbers(), 0, 1, "normal(0, 1, float64)");
  // torch.normal(0., 1., ()) is 0-d; (0, 3) empty; a number size is [n]
  assert.deepEqual([normal(0, 1, []).shape, normal(0, 1, [0, 3]).shape, normal(0, 1, 4).shape], [[], [0, 3], [4]]);
  assert.equal(normal(0, 1, [2], { dtype: "bfloat16" }).dtype, "bfloat16");
  // std 0 is the mean exactly
  assert.deepEqual(normal(1.5, 0, [3]).tolist(), [1.5, 1.5, 1.5]);
});

test("normal with tensor mean and/or std: broadcast, promoted, a zero gradient as PyTorch", () => {
  onBackends((label) => {
    const N = 12000;
    // mean [[-5], [5]] broadcast (through a stride-0 view) against std [0.5, 1, 2]: [N, 2, 3]
    const mean = tensor([[-5], [5]], { dtype: "float64" }).expand([N, 2, 1]);
    const std = tensor([0.5, 1, 2]);
    const x = normal(mean, std, { generator: new Generator(7) });
    assert.deepEqual([x.shape, x.dtype], [[N, 2, 3], "float64"], label);
    const flat = x.reshape([N, 6]);
    for (let j = 0; j < 6; j++) assertNormal(column(flat, j), j < 3 ? -5 : 5, [0.5, 1, 2][j % 3], `${label} cell ${j}`);
    // Tensor mean, number std (default 1); number mean, tensor std
    const m = normal(zeros([N]), { generator: new Generator(8) });
    assertNormal(m.numbers(), 0, 1, `${label} normal(zeros)`);
    const s = normal(-1, tensor([0.25]).expand([N]), { generator: new Generator(9) });
    assert.deepEqual([s.shape, s.dtype], [[N], "float32"]);
    assertNormal(s.numbers(), -1, 0.25, `${label} normal(-1, std)`);
  });
  // torch: normal(zeros(2,1), ones(3)).shape = [2, 3]; float64 mean with float32 std is float64; 0-d stays 0-d
  assert.deepEqual(normal(zeros([2, 1]), ones([3])).shape, [2, 3]);
  assert.equal(normal(zeros([2], { dtype: "float64" }), ones([2])).dtype, "float64");
  assert.deepEqual(normal(zeros([]), 1).shape, []);
  assert.deepEqual(normal(tensor([1, 2]), 0).tolist(), [1, 2]);
  // torch: r = torch.normal(m, s) with both requiring grad: r.requires_grad, NormalBackward3; m.grad = s.grad = zeros
  const mu = zeros([3], { requiresGrad: true }), sd = ones([1, 3], { requiresGrad: true });
  const r = normal(mu, sd);
  assert.deepEqual([r.requiresGrad, r.gradFn!.name], [true, "normal"]);
  r.mul(r).sum().backward();
  assert.deepEqual([mu.grad!.tolist(), sd.grad!.tolist()], [[0, 0, 0], [[0, 0, 0]]]);
});

test("normal, multinomial, poisson: the same seed gives the same draws (and the default generator follows manualSeed)", () => {
  const draw = (g?: Generator) => [
    normal(0, 1, [5], { generator: g }).tolist(), normal(tensor([1, 2]), 3, { generator: g }).tolist(),
    multinomial(tensor([1, 2, 3, 4]), 3, { generator: g }).tolist(), multinomial(tensor([1, 2, 3]), 6, true, { generator: g }).tolist(),
    poisson(tensor([0.5, 5, 50]), { generator: g }).tolist(),
  ];
  assert.deepEqual(draw(new Generator(11)), draw(new Generator(11)));
  assert.notDeepEqual(draw(new Generator(11)), draw(new Generator(12)));
  manualSeed(3);
  const a = draw();
  manualSeed(3);
  assert.deepEqual(draw(), a);
  // Every draw is made in JavaScript: the same on each backend and thread count.
  const seen: unknown[] = [];
  onBackends(() => seen.push(draw(new Generator(4))));
  assert.deepEqual(seen[1], seen[0]);
  assert.deepEqual(seen[2], seen[0]);
});

test("multinomial with replacement: category frequencies by chi-square, zero weights never drawn", () => {
  const N = 30000;
  // Unnormalised weights [1, 0, 3, 6] -> probabilities [0.1, 0, 0.3, 0.6]
  const s = multinomial(tensor([1, 0, 3, 6]), N, true, { generator: new Generator(21) });
  assert.deepEqual([s.shape, s.dtype], [[N], "int64"]);
  const counts = [0, 0, 0, 0];
  for (const v of s.numbers()) counts[v]++;
  assert.equal(counts[1], 0, "a zero-weight category is never drawn");
  const chi = chiSquare([counts[0], counts[2], counts[3]], [0.1, 0.3, 0.6], N);
  assert.ok(chi <= chi2Crit(2), `chi-square ${chi} > ${chi2Crit(2)} (counts ${counts})`);
  // 2-D: each row its own distribution; a row with one positive weight always gives it
  const rows = multinomial(tensor([[0.5, 0.5, 0, 0], [0, 0, 0, 2], [1, 2, 3, 4]], { dtype: "float64" }), 8000, { replacement: true, generator: new Generator(22) });
  assert.deepEqual(rows.shape, [3, 8000]);
  const [r0, r1, r2] = rows.tolist() as number[][];
  assert.ok(r0.every((v) => v === 0 || v === 1));
  assert.ok(r1.every((v) => v === 3));
  const c2 = [0, 0, 0, 0];
  for (const v of r2) c2[v]++;
  assert.ok(chiSquare(c2, [0.1, 0.2, 0.3, 0.4], 8000) <= chi2Crit(3), `row 2 counts ${c2}`);
  const c0 = r0.filter((v) => v === 0).length;
  assert.ok(Math.abs(c0 / 8000 - 0.5) <= Z * Math.sqrt(0.25 / 8000), `row 0: ${c0} zeros of 8000`);
});

test("multinomial without replacement: distinct draws, first and second picks by chi-square", () => {
  onBackends((label) => {
    // 10000 identical rows of weights [1, 2, 3, 4], two draws each
    const n = 10000, p = [0.1, 0.2, 0.3, 0.4];
    const s = multinomial(tensor([1, 2, 3, 4]).expand([n, 4]), 2, { generator: new Generator(31) });
    assert.deepEqual([s.shape, s.dtype], [[n, 2], "int64"], label);
    const first = [0, 0, 0, 0], second = [0, 0, 0, 0];
    const d = s.numbers();
    for (let i = 0; i < n; i++) {
      assert.notEqual(d[2 * i], d[2 * i + 1], `${label} row ${i} repeats a category`);
      first[d[2 * i]]++;
      second[d[2 * i + 1]]++;
    }
    // P(second = j) = sum over i != j of p_i p_j / (1 - p_i)
    const p2 = p.map((pj, j) => p.reduce((acc, pi, i) => (i === j ? acc : acc + (pi * pj) / (1 - pi)), 0));
    assert.ok(chiSquare(first, p, n) <= chi2Crit(3), `${label} first picks ${first}`);
    assert.ok(chiSquare(second, p2, n) <= chi2Crit(3), `${label} second picks ${second}`);
  });
  // All categories: a permutation of each row; zero weights come last (torch: multinomial([0, 1, 0], 3) = [1, 0, 2])
  const all = multinomial(tensor([[5, 1, 2, 0.5, 3], [1, 1, 1, 1, 1]]), 5);
  for (const row of all.tolist() as number[][]) assert.deepEqual([...row].sort(), [0, 1, 2, 3, 4]);
  const z = multinomial(tensor([0, 1, 0]), 3).tolist() as number[];
  assert.equal(z[0], 1);
  assert.deepEqual([...z].sort(), [0, 1, 2]);
  for (let i = 0; i < 20; i++) assert.deepEqual((multinomial(tensor([0, 1, 0, 1]), 2).tolist() as number[]).sort(), [1, 3]);
  // Tensor method, as torch.Tensor.multinomial; 0 rows gives [0, n]
  assert.deepEqual(tensor([0, 0, 1]).multinomial(1).tolist(), [2]);
  assert.deepEqual(tensor([0, 0, 1]).multinomial(2, true).tolist(), [2, 2]);
  assert.deepEqual(dt.multinomial(zeros([0, 3]), 2).shape, [0, 2]);
});

test("multinomial: bad calls are refused as PyTorch does, naming the function", () => {
  // torch: "cannot sample n_sample > prob_dist.size(-1) samples without replacement", "cannot sample n_sample <= 0 samples",
  // "probability tensor contains either `inf`, `nan` or element < 0", "invalid multinomial distribution (sum of probabilities <= 0)",
  // "multinomial only supports floating-point dtypes for input, got: Long", "prob_dist must be 1 or 2 dim"
  throwsWith(() => multinomial(tensor([1, 2, 3]), 4), "multinomial: cannot draw 4 samples without replacement from 3 categories; pass { replacement: true } or numSamples <= 3");
  throwsWith(() => multinomial(tensor([1, 2, 3]), 0), "multinomial: numSamples must be a positive integer, got number 0");
  throwsWith(() => multinomial(tensor([1, -2, 3]), 1), "multinomial: probabilities must be >= 0, got -2 at [1]");
  throwsWith(() => multinomial(tensor([[1, 2], [1, NaN]]), 1, true), "multinomial: probabilities must be finite, got NaN at [1, 1]");
  throwsWith(() => multinomial(tensor([1, Infinity]), 1), "multinomial: probabilities must be finite, got Infinity at [1]");
  throwsWith(() => multinomial(tensor([[1, 2], [0, 0]]), 2, true), "multinomial: the probabilities of row 1 sum to 0; each row needs a positive weight");
  throwsWith(() => multinomial(tensor([1n, 2n]), 1), "multinomial: input must be a floating point tensor of probabilities (weights), got int64 (use .float())");
  throwsWith(() => multinomial(tensor(1), 1), "multinomial: input must be 1-D [categories] or 2-D [rows, categories], got shape []");
  throwsWith(() => multinomial(ones([2, 2, 2]), 1), "multinomial: input must be 1-D [categories] or 2-D [rows, categories], got shape [2,2,2]");
  throwsWith(() => multinomial(ones([2]), 1, true, { replacement: false }), "multinomial: replacement was given both positionally and in the options; give it once");
  throwsWith(() => multinomial(ones([2]), 1, { replace: true } as never), /^multinomial: unknown option 'replace'; did you mean 'replacement'\?/);
  throwsWith(() => multinomial(ones([2]), 1, { generator: 3 as never }), "multinomial: generator must be a Generator (new Generator(seed)), got number 3");
});

test("normal: bad calls are refused as PyTorch does, naming the function", () => {
  // torch: "normal expects std >= 0.0, but found std -1"; "normal expects all elements of std >= 0.0" (NaN too);
  // broadcast mismatch; "normal_kernel_cpu" not implemented for 'Long'; normal(0., 1.) has no overload without size
  throwsWith(() => normal(0, -1, [2]), "normal: std must be >= 0, got -1");
  throwsWith(() => normal(zeros([2]), -1), "normal: std must be >= 0, got -1");
  throwsWith(() => normal(zeros([2]), tensor([1, NaN])), "normal: std must be >= 0 everywhere, got NaN at flat index 1 of std broadcast to [2]");
  throwsWith(() => normal(zeros([2]), ones([3])), /^normal: shapes \[2\] and \[3\] cannot be broadcast/);
  throwsWith(() => normal(tensor([1n]), 1), "normal: mean must be a floating point tensor, got int64 (use .float()); PyTorch has no normal for integers");
  throwsWith(() => normal(0, 1), "normal: with a number mean and a number std, give the output's size: normal(0, 1, [2, 3]), or pass mean or std as a tensor");
  throwsWith(() => normal(zeros([2]), 1, [2]), "normal: size is taken only with a number mean and a number std (the output has the tensors' shape), got size an array of length 1");
  throwsWith(() => normal(zeros([2]), 1, { dtype: "float64" }), "normal: dtype and requiresGrad are taken only with a number mean and a number std; the result has the dtype of mean and std");
  throwsWith(() => normal(0, 1, [2], { size: [2] }), "normal: size was given both positionally and in the options; give it once");
  throwsWith(() => normal(0, 1, [2], { dtype: "int32" }), "normal: dtype must be floating (float32, float64, float16 or bfloat16), got int32");
  throwsWith(() => normal(0, 1, [-1]), "normal: invalid shape [-1]: sizes must be non-negative integers");
  throwsWith(() => normal("0" as never, 1, [2]), /^normal: (input|mean) must be a Tensor/);
});

/** Poisson(rate) probabilities of 0..kMax-1 and the tail, for a chi-square test. */
function poissonBins(rate: number, kMax: number): number[] {
  const p: number[] = [];
  let pk = Math.exp(-rate), total = 0;
  for (let k = 0; k < kMax; k++) {
    p.push(pk);
    total += pk;
    pk *= rate / (k + 1);
  }
  p.push(1 - total);
  return p;
}

test("poisson: counts with the Poisson(rate) distribution on both of PyTorch's algorithms (below and from rate 10)", () => {
  const N = 20000;
  for (const [rate, seed] of [[0.3, 41], [2.5, 42], [9.99, 43], [10, 44], [37, 45], [1000, 46]] as const) {
    const x = poisson(tensor([rate], { dtype: "float64" }).expand([N]), { generator: new Generator(seed) });
    assert.deepEqual([x.shape, x.dtype], [[N], "float64"]);
    const v = x.numbers();
    assert.ok(v.every((k) => Number.isInteger(k) && k >= 0), `rate ${rate}: non-negative integers`);
    const s = moments(v);
    assert.ok(Math.abs(s.mean - rate) <= Z * Math.sqrt(rate / N), `rate ${rate}: mean ${s.mean}`);
    assert.ok(Math.abs(s.variance - rate) <= Z * Math.sqrt((rate + 2 * rate * rate) / N), `rate ${rate}: variance ${s.variance}`);
  }
  // The whole distribution, by chi-square over 0..K-1 and the tail, on each side of the switch at 10
  for (const [rate, K, seed] of [[3.5, 10, 51], [12, 22, 52]] as const) {
    const v = poisson(tensor([rate]).expand([N]), { generator: new Generator(seed) }).numbers();
    const counts = new Array<number>(K + 1).fill(0);
    for (const k of v) counts[Math.min(k, K)]++;
    const chi = chiSquare(counts, poissonBins(rate, K), N);
    assert.ok(chi <= chi2Crit(K), `rate ${rate}: chi-square ${chi} > ${chi2Crit(K)} (counts ${counts})`);
  }
});

test("poisson: dtype and shape of the rates, rate 0 gives 0, a zero gradient, errors as PyTorch", () => {
  onBackends((label) => {
    const r = tensor([[0, 1e-3], [4, 150]]);
    const x = poisson(r, { generator: new Generator(61) });
    assert.deepEqual([x.shape, x.dtype, x.numbers()[0]], [[2, 2], "float32", 0], label);
  });
  // torch.poisson(torch.tensor(3.)).shape = []; zeros(0, 2) -> (0, 2); float64 stays float64
  assert.deepEqual([poisson(tensor(3)).shape, poisson(zeros([0, 2])).shape, poisson(ones([2], { dtype: "float64" })).dtype], [[], [0, 2], "float64"]);
  assert.equal(poisson(ones([2], { dtype: "float16" })).dtype, "float16");
  // torch: y = torch.poisson(x) with x requiring grad: PoissonBackward0, x.grad zeros
  const rates = tensor([1, 2], { requiresGrad: true });
  const y = poisson(rates);
  assert.deepEqual([y.requiresGrad, y.gradFn!.name], [true, "poisson"]);
  y.sum().backward();
  assert.deepEqual(rates.grad!.tolist(), [0, 0]);
  // torch: "invalid Poisson rate, expected rate to be non-negative" (negative and NaN); an infinite rate gives -2^63 there
  throwsWith(() => poisson(tensor([1, -1])), "poisson: rates must be finite and >= 0, got -1 at flat index 1");
  throwsWith(() => poisson(tensor([NaN])), "poisson: rates must be finite and >= 0, got NaN at flat index 0");
  throwsWith(() => poisson(tensor([Infinity])), "poisson: rates must be finite and >= 0, got Infinity at flat index 0");
  throwsWith(() => poisson(tensor([1n])), "poisson: rates must be a floating point tensor, got int64 (use .float()); PyTorch has no poisson for integers");
  throwsWith(() => poisson(ones([1]), { gen: 1 } as never), /^poisson: unknown option 'gen'/);
});

test("in-place samplers exponential_, cauchy_, logNormal_, geometric_, bernoulli_: distributions, dtypes and errors as torch.Tensor's", () => {
  const N = 20000;
  // Exp(2): mean 1/2, variance 1/4; P(x < 1/2) = 1 − e^−1
  const e = dt.zeros([N], { dtype: "float64" }).exponential_(2, { generator: new Generator(71) });
  const se = moments(e.numbers());
  assert.ok(Math.abs(se.mean - 0.5) <= Z * 0.5 / Math.sqrt(N) && Math.abs(se.variance - 0.25) <= Z * Math.sqrt(8 * 0.0625 / N), `exponential ${se.mean} ${se.variance}`);
  assert.ok(e.numbers().every((v) => v > 0));
  // Cauchy(1, 2): quartiles 1 ∓ 2; the fraction in [−1, 3] is 1/2
  const c = dt.zeros([N]).cauchy_(1, 2, { generator: new Generator(72) }).numbers();
  const inside = Array.from(c).filter((v) => v >= -1 && v <= 3).length / N;
  assert.ok(Math.abs(inside - 0.5) <= Z * Math.sqrt(0.25 / N), `cauchy quartile fraction ${inside}`);
  // logNormal(0.5, 0.25): its log is N(0.5, 0.25²)
  const ln = dt.zeros([N], { dtype: "float64" }).logNormal_(0.5, 0.25, { generator: new Generator(73) });
  assertNormal(ln.log().numbers(), 0.5, 0.25, "log of logNormal_");
  // geometric(0.3) on int64 (PyTorch fills integer tensors too): P(k) = 0.7^(k−1)·0.3 for k >= 1, by chi-square over 1..10 and the tail
  const gm = dt.zeros([N], { dtype: "int64" }).geometric_(0.3, { generator: new Generator(74) });
  assert.equal(gm.dtype, "int64");
  const counts = new Array<number>(11).fill(0);
  for (const k of gm.numbers()) {
    assert.ok(Number.isInteger(k) && k >= 1);
    counts[Math.min(k, 11) - 1]++;
  }
  const probs = Array.from({ length: 10 }, (_, k) => 0.7 ** k * 0.3);
  probs.push(1 - probs.reduce((a, b) => a + b, 0));
  assert.ok(chiSquare(counts, probs, N) <= chi2Crit(10), `geometric counts ${counts}`);
  // bernoulli_: a number p or a tensor broadcast to x; torch.zeros(3).bernoulli_(tensor([0, 1, 1])) = [0, 1, 1]
  assert.deepEqual(dt.zeros([3]).bernoulli_(tensor([0, 1, 1])).tolist(), [0, 1, 1]);
  const b = dt.zeros([N, 2]).bernoulli_(tensor([0.25, 0.75]), { generator: new Generator(75) });
  for (const [j, p] of [[0, 0.25], [1, 0.75]] as const) {
    const f = column(b, j).reduce((a, v) => a + v, 0) / N;
    assert.ok(Math.abs(f - p) <= Z * Math.sqrt((p * (1 - p)) / N), `bernoulli_ column ${j}: ${f}`);
  }
  assert.deepEqual(dt.zeros([4], { dtype: "int32" }).bernoulli_(1).tolist(), [1, 1, 1, 1]);
  // The same seed, the same draws; the tensor is returned (in place)
  const x = dt.zeros([5]);
  assert.equal(x.exponential_(1, { generator: new Generator(9) }), x);
  assert.deepEqual(x.tolist(), dt.zeros([5]).exponential_(1, { generator: new Generator(9) }).tolist());
  // torch: exponential_(0) is inf; messages "exponential_ expects lambda >= 0.0", "log_normal_ expects std > 0.0",
  // "geometric_ expects p to be in (0, 1)", "bernoulli_ expects p to be in [0, 1]", "exponential_cpu" not implemented for 'Long'
  assert.deepEqual(dt.zeros([2]).exponential_(0).tolist(), [Infinity, Infinity]);
  throwsWith(() => dt.zeros([2]).exponential_(-1), "exponential_: lambd must be >= 0, got -1");
  throwsWith(() => dt.zeros([2]).logNormal_(1, 0), "logNormal_: std must be > 0, got 0");
  throwsWith(() => dt.zeros([2]).geometric_(1), "geometric_: p must be in (0, 1), got 1");
  throwsWith(() => dt.zeros([2]).bernoulli_(1.5), "bernoulli_: p must be in [0, 1], got 1.5");
  throwsWith(() => dt.zeros([3]).bernoulli_(tensor([0, 1, 2])), "bernoulli_: p must be in [0, 1] everywhere, got 2 at flat index 2 of p broadcast to [3]");
  throwsWith(() => dt.zeros([2], { dtype: "int64" }).exponential_(), "exponential_: not implemented for int64 tensors (as PyTorch); use a floating point tensor");
  throwsWith(() => dt.zeros([2], { requiresGrad: true }).cauchy_(), /^cauchy_: a leaf tensor that requires grad cannot be modified in place/);
  throwsWith(() => dt.zeros([2]).geometric_(0.5, { gen: 1 } as never), /^(x\.)?geometric_: unknown option 'gen'/);
});
