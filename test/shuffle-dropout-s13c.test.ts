// Session 13 (helper depthc): F.channelShuffle / nn.ChannelShuffle, nn.Softmax2d, F.dropout1d /
// nn.Dropout1d, F.alphaDropout / F.featureAlphaDropout and their layers, F.gumbelSoftmax. Deterministic
// ones against torch 1.13's values; random ones by seeded statistics (deeptype's stream is not torch's
// mt19937) and exact identities: eval = identity, the two values alpha dropout can give (torch 1.13 gives
// -1.0595481589864801 and 0.4540920681370629 for input 0, p = 0.3), one-hot with the soft gradient.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, arange, randn, manualSeed, Generator, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { onBackends } from "./fixture-s13a.js";

const F = nn.functional;
const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const variance = (a: ArrayLike<number>): number => { const m = mean(a); return Array.from(a).reduce((s, v) => s + (v - m) ** 2, 0) / a.length; };

test("channelShuffle and nn.ChannelShuffle: torch 1.13's order, gradient, printout, errors", () => {
  onBackends((label) => {
    const x = arange(24, { dtype: "float64" }).reshape([2, 6, 2]).requiresGrad_();
    // torch: F.channel_shuffle(arange(24).reshape(2, 6, 2), 3)
    const want = [0, 1, 4, 5, 8, 9, 2, 3, 6, 7, 10, 11, 12, 13, 16, 17, 20, 21, 14, 15, 18, 19, 22, 23];
    const y = F.channelShuffle(x, 3);
    assert.deepEqual(Array.from(y.data()), want, label);
    assert.deepEqual(new nn.ChannelShuffle(3).call(x).tolist(), y.tolist());
    // the gradient is the inverse permutation: weights w[i] at output i land on input want[i]
    y.mul(arange(24, { dtype: "float64" }).reshape([2, 6, 2])).sum().backward();
    const g = x.grad!.data();
    want.forEach((src, i) => assert.equal(g[src], i));
    assert.deepEqual(F.channelShuffle(x.reshape([1, 12, 1, 2]), 1).tolist(), x.reshape([1, 12, 1, 2]).tolist());
    assert.deepEqual(F.channelShuffle(x.reshape([1, 12, 1, 2]), 12).tolist(), x.reshape([1, 12, 1, 2]).tolist());
  });
  assert.equal(String(new nn.ChannelShuffle(3)), "ChannelShuffle(groups=3)");
  const x = arange(10).reshape([1, 5, 2]);
  throwsWith(() => F.channelShuffle(x, 2), "channelShuffle: the number of channels (5) of input [1,5,2] must be divisible by groups (2)");
  throwsWith(() => F.channelShuffle(x, 0), "channelShuffle: groups must be an integer >= 1, got number 0");
  throwsWith(() => F.channelShuffle(x.reshape([5, 2]), 1), "channelShuffle: expected input [N, C, *] with at least 3 dims, got [5,2]");
  throwsWith(() => new nn.ChannelShuffle(1.5), "ChannelShuffle: groups must be an integer >= 1, got number 1.5");
});

test("nn.Softmax2d: softmax over channels, printout, errors", () => {
  const x = randn([2, 3, 4, 5], { dtype: "float64" });
  const y = new nn.Softmax2d().call(x);
  assert.deepEqual(y.tolist(), x.softmax(1).tolist());
  const s = y.sum(1).data();
  for (const v of s) assert.ok(Math.abs(v - 1) < 1e-12);
  assert.deepEqual(new nn.Softmax2d().call(x.get(0)).tolist(), x.get(0).softmax(0).tolist());
  assert.equal(String(new nn.Softmax2d()), "Softmax2d()");
  throwsWith(() => new nn.Softmax2d().call(x.reshape([6, 20])), "Softmax2d: expected input [N, C, H, W] or [C, H, W], got [6,20]");
});

test("dropout1d and nn.Dropout1d: whole channels dropped at rate p, the rest scaled by 1/(1-p)", () => {
  onBackends((label) => {
    const x = randn([40, 50, 7], { generator: new Generator(3) }).add(5); // no zeros
    const y = F.dropout1d(x, 0.3, true, { generator: new Generator(7) });
    const yd = y.data(), xd = x.data();
    let dropped = 0;
    for (let c = 0; c < 40 * 50; c++) {
      const zero = yd[c * 7] === 0;
      if (zero) dropped++;
      for (let l = 0; l < 7; l++) {
        const i = c * 7 + l;
        if (zero) assert.equal(yd[i], 0, `${label} channel ${c}`);
        else assert.ok(Math.abs(yd[i] - xd[i] / 0.7) <= 1e-6 * Math.abs(yd[i]), `${label} channel ${c}`);
      }
    }
    // 2000 channels, p = 0.3: sd of the rate ~0.01
    assert.ok(Math.abs(dropped / 2000 - 0.3) < 0.04, `${label} drop rate ${dropped / 2000}`);
  });
  const x = randn([3, 4]);
  assert.equal(F.dropout1d(x, 0.5, false), x);
  const u = F.dropout1d(x, 0.5, true, { generator: new Generator(1) }).data();
  // [C, L]: each row (channel) dropped or kept whole
  for (let c = 0; c < 3; c++) for (let l = 1; l < 4; l++) assert.equal(u[c * 4 + l] === 0, u[c * 4] === 0);
  const layer = new nn.Dropout1d(0.2);
  assert.equal(String(layer), "Dropout1d(p=0.2, inplace=False)");
  layer.eval();
  assert.equal(layer.call(x), x);
  assert.deepEqual(F.dropout1d(x, 1).tolist(), x.mul(0).tolist());
  throwsWith(() => F.dropout1d(randn([2, 3, 4, 5]), 0.5), "dropout1d: expected input [N, C, L] or [C, L], got [2,3,4,5]");
  throwsWith(() => F.dropout1d(x, 1.5), "dropout1d: p must be a dropout probability in [0, 1], got number 1.5");
  throwsWith(() => new nn.Dropout1d({ q: 0.1 } as never), /^Dropout1d: unknown option 'q'/);
});

test("dropout3d and nn.Dropout3d: whole [D, H, W] volumes dropped at rate p, the rest scaled by 1/(1-p)", () => {
  onBackends((label) => {
    const x = randn([20, 50, 2, 3, 2], { generator: new Generator(3) }).add(5); // no zeros
    const y = F.dropout3d(x, 0.4, true, { generator: new Generator(17) });
    const yd = y.data(), xd = x.data();
    let dropped = 0;
    for (let c = 0; c < 1000; c++) {
      const zero = yd[c * 12] === 0;
      if (zero) dropped++;
      for (let k = 0; k < 12; k++) {
        const i = c * 12 + k;
        if (zero) assert.equal(yd[i], 0, `${label} channel ${c}`);
        else assert.ok(Math.abs(yd[i] - xd[i] / 0.6) <= 1e-6 * Math.abs(yd[i]), `${label} channel ${c}`);
      }
    }
    // 1000 channels, p = 0.4: sd of the rate ~0.015
    assert.ok(Math.abs(dropped / 1000 - 0.4) < 0.06, `${label} drop rate ${dropped / 1000}`);
  });
  // [C, D, H, W]: one sample, each channel's volume dropped or kept whole
  const u = F.dropout3d(randn([6, 2, 2, 2]).add(5), 0.5, true, { generator: new Generator(2) }).data();
  for (let c = 0; c < 6; c++) for (let k = 1; k < 8; k++) assert.equal(u[c * 8 + k] === 0, u[c * 8] === 0);
  const x = randn([2, 3, 2, 2, 2]);
  assert.equal(F.dropout3d(x, 0.5, false), x);
  const layer = new nn.Dropout3d(0.3);
  assert.equal(String(layer), "Dropout3d(p=0.3, inplace=False)");
  layer.eval();
  assert.equal(layer.call(x), x);
  throwsWith(() => F.dropout3d(randn([2, 3, 4]), 0.5), "dropout3d: expected input [N, C, D, H, W] or [C, D, H, W], got [2,3,4]");
});

test("alphaDropout, featureAlphaDropout and their layers: torch's two values, kept mean and variance", () => {
  onBackends((label) => {
    // input 0: every output is -α·a·(1-p) (dropped) or α·a·p (kept), α·a as torch's
    const z = F.alphaDropout(tensor(new Float64Array(4000)), 0.3, true, { generator: new Generator(5) }).data();
    const lo = -1.0595481589864801, hi = 0.4540920681370629;
    let nLo = 0;
    for (const v of z) {
      assert.ok(Math.abs(v - lo) < 1e-12 || Math.abs(v - hi) < 1e-12, `${label} ${v}`);
      if (Math.abs(v - lo) < 1e-12) nLo++;
    }
    assert.ok(Math.abs(nLo / 4000 - 0.3) < 0.03, `${label} drop rate ${nLo / 4000}`);
    // standard normal in: mean 0 and variance 1 kept (200000 draws: sd of the mean ~0.0022)
    const x = randn([200000], { generator: new Generator(11) });
    const y = F.alphaDropout(x, 0.2, true, { generator: new Generator(12) }).data();
    assert.ok(Math.abs(mean(y)) < 0.01 && Math.abs(variance(y) - 1) < 0.02, `${label} mean ${mean(y)} var ${variance(y)}`);
    // feature: one value per channel of [N, C, H, W] when the input is 0; mean and variance kept too
    const f = F.featureAlphaDropout(tensor(new Float32Array(30 * 40 * 6)).reshape([30, 40, 2, 3]), 0.3, true, { generator: new Generator(9) }).data();
    for (let c = 0; c < 1200; c++) for (let k = 1; k < 6; k++) assert.equal(f[c * 6 + k], f[c * 6], `${label} channel ${c}`);
    const xf = randn([500, 100, 4], { generator: new Generator(13) });
    const yf = F.featureAlphaDropout(xf, 0.4, true, { generator: new Generator(14) }).data();
    assert.ok(Math.abs(mean(yf)) < 0.02 && Math.abs(variance(yf) - 1) < 0.04, `${label} feature mean ${mean(yf)} var ${variance(yf)}`);
  });
  const x = randn([4, 3]);
  // functional default training = false (torch), layers follow their mode
  assert.equal(F.alphaDropout(x), x);
  assert.equal(F.featureAlphaDropout(x, 0.5), x);
  const a = new nn.AlphaDropout(0.1), fa = new nn.FeatureAlphaDropout({ p: 0.25 });
  assert.equal(String(a), "AlphaDropout(p=0.1, inplace=False)");
  assert.equal(String(fa), "FeatureAlphaDropout(p=0.25, inplace=False)");
  assert.equal(String(new nn.AlphaDropout()), "AlphaDropout(p=0.5, inplace=False)");
  assert.notDeepEqual(a.call(x).tolist(), x.tolist());
  a.eval(); fa.eval();
  assert.equal(a.call(x), x);
  assert.equal(fa.call(x), x);
  // gradient: a per element (kept) or 0 (dropped)
  const xg = randn([1000], { dtype: "float64" }).requiresGrad_();
  const yg = F.alphaDropout(xg, 0.3, true, { generator: new Generator(2) });
  yg.sum().backward();
  const aScale = 1 / Math.sqrt((1.7580993408473766 ** 2 * 0.3 + 1) * 0.7);
  const gd = xg.grad!.data(), yd = yg.data();
  for (let i = 0; i < 1000; i++) assert.ok(Math.abs(yd[i] - -1.0595481589864801) < 1e-12 ? gd[i] === 0 : Math.abs(gd[i] - aScale) < 1e-15);
  throwsWith(() => F.featureAlphaDropout(randn([5]), 0.5, true), "featureAlphaDropout: feature dropout needs an input [N, C, *] with at least 2 dims, got [5]");
  throwsWith(() => F.alphaDropout(x, -0.1, true), "alphaDropout: p must be a dropout probability in [0, 1], got number -0.1");
  throwsWith(() => new nn.AlphaDropout(2), "AlphaDropout: p must be a dropout probability in [0, 1], got number 2");
});

test("gumbelSoftmax: argmax frequencies are softmax(logits), soft sums to 1, hard one-hot with the soft gradient", () => {
  onBackends((label) => {
    const logits = tensor([0, 1, 2, -1]);
    const probs = Array.from(logits.softmax(0).data());
    const n = 20000;
    const y = F.gumbelSoftmax(logits.expand([n, 4]), { tau: 0.7, generator: new Generator(21) });
    const yd = y.data(), counts = [0, 0, 0, 0];
    for (let r = 0; r < n; r++) {
      let best = 0, s = 0;
      for (let k = 0; k < 4; k++) { s += yd[r * 4 + k]; if (yd[r * 4 + k] > yd[r * 4 + best]) best = k; }
      assert.ok(Math.abs(s - 1) < 1e-5, `${label} row sum ${s}`);
      counts[best]++;
    }
    // Gumbel-max: the argmax is a draw from softmax(logits), whatever tau (sd of each rate <= 0.0036)
    counts.forEach((c, k) => assert.ok(Math.abs(c / n - probs[k]) < 0.015, `${label} class ${k}: ${c / n} vs ${probs[k]}`));
  });
  // hard: one-hot in value; the gradient is the soft sample's (straight-through)
  const l1 = randn([6, 5], { dtype: "float64", generator: new Generator(4) }).requiresGrad_();
  const l2 = l1.detach().clone().requiresGrad_();
  const w = randn([6, 5], { dtype: "float64", generator: new Generator(8) });
  const hard = F.gumbelSoftmax(l1, 0.5, true, 1e-10, 1, { generator: new Generator(30) });
  const soft = F.gumbelSoftmax(l2, 0.5, false, 1e-10, 1, { generator: new Generator(30) });
  const hd = hard.data(), sd = soft.data();
  for (let r = 0; r < 6; r++) {
    const row = Array.from(hd.slice(r * 5, r * 5 + 5));
    assert.deepEqual([...row].sort(), [0, 0, 0, 0, 1]);
    const srow = Array.from(sd.slice(r * 5, r * 5 + 5));
    assert.equal(row.indexOf(1), srow.indexOf(Math.max(...srow)));
  }
  hard.mul(w).sum().backward();
  soft.mul(w).sum().backward();
  const g1 = l1.grad!.data(), g2 = l2.grad!.data();
  for (let i = 0; i < 30; i++) assert.ok(Math.abs(g1[i] - g2[i]) < 1e-12);
  // dim: along dim 0 the columns sum to 1
  const c = F.gumbelSoftmax(randn([3, 4]), { dim: 0 }).sum(0).data();
  for (const v of c) assert.ok(Math.abs(v - 1) < 1e-5);
  // seeded: the same generator seed gives the same sample
  manualSeed(1);
  const a1 = F.gumbelSoftmax(randn([2, 3])).tolist();
  manualSeed(1);
  assert.deepEqual(F.gumbelSoftmax(randn([2, 3])).tolist(), a1);
  throwsWith(() => F.gumbelSoftmax(tensor([1, 2], { dtype: "int64" }) as Tensor), "gumbelSoftmax: logits must be a floating tensor, got int64");
  throwsWith(() => F.gumbelSoftmax(randn([3]), 0), "gumbelSoftmax: tau must be a positive number, got number 0");
  throwsWith(() => F.gumbelSoftmax(randn([3]), { hard: 1 as never }), "gumbelSoftmax: hard must be true or false, got number 1");
  throwsWith(() => F.gumbelSoftmax(randn([3]), { taau: 1 } as never), /^gumbelSoftmax: unknown option 'taau'/);
});

test("pdist: distances and gradients as torch 1.13 (p = 2, 1, 3, 0, inf; identical rows; ties at inf)", () => {
  // torch: F.pdist(x, p) and the gradient of sum(pdist * [1..6]) for this x (rows 0 and 1 identical)
  const WANT: Record<string, [number[], number[]]> = {
    2: [[0, 3.3166247903554, 3.2015621187164243, 3.3166247903554, 3.2015621187164243, 4.031128874149275],
      [-0.8025411678419274, 3.6831532101298547, 1.2710624535077455, -1.1365610500180363, 6.741611372705285, 1.917429859461067, -5.530110105142835, -6.915621017470247, 6.274318512678086, 7.469212323002799, -3.5091435653648926, -9.462810825646898]],
    1: [[0, 5, 5.5, 5, 5.5, 6.5], [-1, 5, 1, -1, 9, 1, -12, -12, 12, 14, -2, -14]],
    3: [[0, 3.072316825685847, 2.685842677472416, 3.072316825685847, 2.685842677472416, 3.520290308356736],
      [-0.7238290137840248, 3.5704449294208502, 1.4516057392926796, -1.1357537166357687, 6.586393306073202, 2.3487149258168603, -3.6616892713852156, -6.205031815641543, 4.9931457776977926, 5.521272001805009, -3.9518064198525087, -8.793466442807333]],
    0: [[0, 3, 3, 3, 3, 3], Array(12).fill(0)],
    Infinity: [[0, 3, 2, 3, 2, 3], [0, 5, 3, 0, 9, 5, 0, -6, 6, 0, -8, -14]],
  };
  onBackends((label) => {
    for (const [p, [dist, grad]] of Object.entries(WANT)) {
      const x = tensor([[1, 2, 3], [1, 2, 3], [0, -1, 4], [2.5, 0, 1]], { dtype: "float64" }).requiresGrad_();
      const y = F.pdist(x, Number(p));
      y.mul(arange(1, 7, { dtype: "float64" })).sum().backward();
      const close = (a: ArrayLike<number>, b: number[], what: string): void => b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) <= 1e-12 * (1 + Math.abs(v)), `${label} p=${p} ${what}[${i}]: ${a[i]} vs ${v}`));
      close(y.data(), dist, "dist");
      close(x.grad!.data(), grad, "grad");
    }
  });
  assert.deepEqual(F.pdist(randn([1, 4])).shape, [0]);
  assert.deepEqual(F.pdist(tensor([[0, 0], [3, 4]]), { p: 1 }).tolist(), [7]);
  throwsWith(() => F.pdist(randn([3])), "pdist: expected input [N, M], got [3]");
  throwsWith(() => F.pdist(randn([3, 2]), -1), "pdist: p must be a number >= 0, got number -1");
});
