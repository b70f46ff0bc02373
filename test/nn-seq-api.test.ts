// Sequence layers' API: shapes and layouts, PyTorch's default inits, masks, deep copies, modes,
// and errors that name the layer, the shapes and the fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, zeros, ones, tensor, manualSeed, noGrad, type Tensor } from "../src/index.js";
import { assertClose } from "./nn-seq-util.js";

test("RNN/LSTM/GRU shapes: layers, directions, batchFirst, unbatched; parameter names as PyTorch", () => {
  manualSeed(0);
  const m = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
  const [y, [h, c]] = m.forward(randn([2, 5, 3]));
  assert.deepEqual(y.shape, [2, 5, 8]);
  assert.deepEqual(h.shape, [4, 2, 4]);
  assert.deepEqual(c.shape, [4, 2, 4]);
  assert.deepEqual(Object.keys(m.stateDict()).slice(0, 8), [
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
  ]);
  assert.deepEqual(m.stateDict().weight_ih_l1.shape, [16, 8]);
  const [yu, hu] = new nn.GRU(3, 4, { numLayers: 2 }).forward(randn([5, 3]));
  assert.deepEqual(yu.shape, [5, 4]);
  assert.deepEqual(hu.shape, [2, 4]);
  assert.equal(Object.keys(new nn.RNN(3, 4, { bias: false }).stateDict()).join(), "weight_ih_l0,weight_hh_l0");
  assert.equal(m.toString(), "LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)");
});

test("default init: every RNN weight and bias in U(-1/sqrt(H), 1/sqrt(H)), and not constant", () => {
  manualSeed(1);
  for (const m of [new nn.LSTM(5, 16, { numLayers: 2 }), new nn.GRUCell(5, 16), new nn.RNN(5, 16)]) {
    for (const [k, p] of m.namedParameters()) {
      const d = p.data();
      const lo = Math.min(...d), hi = Math.max(...d);
      assert.ok(lo >= -0.25 && hi <= 0.25, `${k} in [-0.25, 0.25]`);
      assert.ok(hi - lo > 0.3, `${k} spreads over the interval`);
    }
  }
});

test("MultiheadAttention init and layout: packed in_proj_weight [3E,E], zero biases; separate q/k/v weights when kdim/vdim differ", () => {
  manualSeed(2);
  const m = new nn.MultiheadAttention(8, 2);
  assert.deepEqual(Object.keys(m.stateDict()), ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
  assert.deepEqual(m.in_proj_weight!.shape, [24, 8]);
  assert.equal(m.in_proj_bias!.abs().sum().item(), 0);
  assert.equal(m.out_proj.bias!.abs().sum().item(), 0);
  const bound = Math.sqrt(6 / (24 + 8)); // Xavier-uniform over the packed [3E, E] matrix, as PyTorch
  assert.ok(m.in_proj_weight!.abs().amax().item() <= bound);
  const s = new nn.MultiheadAttention(6, 3, { kdim: 5, vdim: 7 });
  assert.deepEqual(Object.keys(s.stateDict()), ["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
  const [y, w] = s.forward(randn([2, 3, 6]), randn([4, 3, 5]), randn([4, 3, 7]), { needWeights: false });
  assert.deepEqual(y.shape, [2, 3, 6]);
  assert.equal(w, null);
});

test("MultiheadAttention masks: bool true = masked; equals the float -inf mask; isCausal = the subsequent mask; weights rows sum to 1", () => {
  manualSeed(3);
  const m = new nn.MultiheadAttention(4, 2, { batchFirst: true, dtype: "float64" });
  const x = randn([2, 3, 4], { dtype: "float64" });
  const causal = nn.generateSquareSubsequentMask(3, { dtype: "float64" });
  const boolCausal = tensor([[false, true, true], [false, false, true], [false, false, false]]);
  noGrad(() => {
    const [a, wa] = m.forward(x, x, x, { attnMask: causal });
    const [b] = m.forward(x, x, x, { attnMask: boolCausal });
    const [c, wc] = m.forward(x, x, x, { isCausal: true, averageAttnWeights: false });
    assertClose(b, a, 1e-12, "bool vs float");
    assertClose(c, a, 1e-12, "isCausal");
    assert.deepEqual(wc!.shape, [2, 2, 3, 3]);
    assert.equal(wa!.get(":", 0, "1:").abs().sum().item(), 0, "the first query attends only to the first key");
    assertClose(wa!.sum(-1), ones([2, 3], { dtype: "float64" }), 1e-12, "rows sum to 1");
    const [, wp] = m.forward(x, x, x, { keyPaddingMask: tensor([[false, false, true], [false, false, false]]) });
    assert.equal(wp!.get(0, ":", 2).abs().sum().item(), 0, "padded key gets no weight");
    assert.ok(wp!.get(1, ":", 2).abs().sum().item() > 0);
  });
});

test("scaledDotProductAttention: PyTorch 2's conventions (bool true = attend), causal, broadcasting, value", () => {
  const q = tensor([[[1, 0], [0, 1]]], { dtype: "float64" });
  const k = tensor([[[1, 0], [0, 1], [1, 1]]], { dtype: "float64" });
  const v = tensor([[[1, 2], [3, 4], [5, 6]]], { dtype: "float64" });
  // By hand: scores = q·kᵀ/√2, softmax over keys, weighted sum of v.
  const s = 1 / Math.sqrt(2);
  const row = (sc: number[]) => {
    const e = sc.map(Math.exp), z = e.reduce((a, b) => a + b);
    return [0, 1].map((j) => e.reduce((acc, ei, i) => acc + (ei / z) * [[1, 2], [3, 4], [5, 6]][i][j], 0));
  };
  const want = tensor([[row([s, 0, s]), row([0, s, s])]], { dtype: "float64" });
  assertClose(nn.scaledDotProductAttention(q, k, v), want, 1e-12, "value");
  const allow = tensor([[true, false, true], [true, true, true]]);
  const masked = nn.scaledDotProductAttention(q, k, v, { attnMask: allow });
  assertClose(masked.get(0, 0), tensor(row([s, -Infinity, s]), { dtype: "float64" }), 1e-12, "bool mask, true = attend");
  const causal = nn.scaledDotProductAttention(q, k, v, { isCausal: true });
  assertClose(causal.get(0, 0), tensor([1, 2], { dtype: "float64" }), 1e-12, "causal: first query sees the first key only");
  assert.throws(() => nn.scaledDotProductAttention(q, k, v, { isCausal: true, attnMask: allow }), /either attnMask or isCausal/);
  assert.throws(() => nn.scaledDotProductAttention(q, k.narrow(-1, 0, 1), v), /same feature size/);
});

test("TransformerEncoder deep-copies its layer as PyTorch: equal initial weights, separate tensors", () => {
  manualSeed(4);
  const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
  const enc = new nn.TransformerEncoder(layer, 3, { norm: new nn.LayerNorm(8) });
  const keys = Object.keys(enc.stateDict());
  assert.equal(keys[0], "layers.0.self_attn.in_proj_weight");
  assert.equal(keys.at(-1), "norm.bias");
  assert.equal(keys.filter((k) => k.startsWith("layers.2.")).length, 12);
  const l0 = enc.layers.at(0), l2 = enc.layers.at(2);
  assertClose(l0.linear1.weight, layer.linear1.weight, 0, "copy of the given layer");
  assertClose(l2.linear1.weight, l0.linear1.weight, 0, "copies start equal");
  assert.notEqual(l0.linear1.weight.storage, l2.linear1.weight.storage);
  noGrad(() => l0.linear1.weight.add_(1));
  assert.notEqual(l0.linear1.weight.data()[0], l2.linear1.weight.data()[0], "training one copy leaves the others");
  assert.equal(enc.parameters().length, 3 * 12 + 2);
});

test("TransformerEncoderLayer accepts an activation module or function as PyTorch accepts a callable", () => {
  manualSeed(8);
  const a = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0, activation: "gelu" });
  const b = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0, activation: new nn.GELU() });
  const c = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0, activation: (x) => x.gelu() });
  b.loadStateDict(a.stateDict());
  c.loadStateDict(a.stateDict());
  const x = randn([3, 2, 4]);
  assertClose(b.forward(x), a.forward(x), 0, "module");
  assertClose(c.forward(x), a.forward(x), 0, "function");
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2, { activation: "tanh" as "relu" }), /activation must be "relu", "gelu", an activation module or a function/);
});

test("train/eval: dropout between RNN layers and in Transformer layers is active only in training", () => {
  manualSeed(5);
  const rnn = new nn.GRU(3, 4, { numLayers: 2, dropout: 0.5 });
  const x = randn([4, 2, 3]);
  const [a] = rnn.forward(x);
  const [b] = rnn.forward(x);
  assert.ok(a.sub(b).abs().amax().item() > 0, "training: different dropout masks");
  rnn.eval();
  assertClose(rnn.forward(x)[0], rnn.forward(x)[0], 0, "eval is deterministic");
  const enc = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0.5 });
  const s = randn([3, 2, 4]);
  assert.ok(enc.forward(s).sub(enc.forward(s)).abs().amax().item() > 0);
  enc.eval();
  assertClose(enc.forward(s), enc.forward(s), 0, "eval");
});

test("Transformer: encoder-decoder shapes, batchFirst, Xavier init, causal mask", () => {
  manualSeed(6);
  const model = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 16, batchFirst: true });
  const y = model.forward(randn([3, 5, 8]), randn([3, 4, 8]), { tgtMask: nn.Transformer.generateSquareSubsequentMask(4) });
  assert.deepEqual(y.shape, [3, 4, 8]);
  // PyTorch's Transformer re-draws every parameter with more than one dim as Xavier-uniform,
  // U(±√(6/(fanIn+fanOut))). Scaled by its own bound, each matrix is U(±1): inside ±1, reaching
  // near ±1, and (all ~2,000 values together) with U(±1)'s std 1/√3, whose standard error here is
  // about 0.006. The default Linear init (bound 1/√fanIn) gives 0.41 for linear1, and a missing
  // re-draw anywhere moves the pooled std well outside the 0.03 allowed.
  const scaled: number[] = [];
  for (const [name, p] of Object.entries(model.stateDict())) {
    if (p.dim() < 2) continue;
    const bound = Math.sqrt(6 / (p.shape[0] + p.shape[1]));
    const v = Array.from(p.data(), (x) => x / bound);
    assert.ok(v.every((x) => Math.abs(x) <= 1 + 1e-6), `${name}: inside the Xavier bound`);
    assert.ok(Math.max(...v) > 0.8 && Math.min(...v) < -0.8, `${name}: fills the Xavier bound, got [${Math.min(...v)}, ${Math.max(...v)}]`);
    scaled.push(...v);
  }
  assert.ok(scaled.length > 1500, `${scaled.length} weight values`);
  const std = Math.sqrt(scaled.reduce((a, x) => a + x * x, 0) / scaled.length);
  assert.ok(Math.abs(std - 1 / Math.sqrt(3)) < 0.03, `Xavier-scaled std ${std}, expected ${1 / Math.sqrt(3)}`);
  assert.deepEqual(nn.Transformer.generateSquareSubsequentMask(3).tolist(), [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
  // Causality: with the subsequent mask, the first target output ignores later target tokens.
  model.eval();
  const src = randn([1, 5, 8]), tgt = randn([1, 4, 8]);
  const tgt2 = tgt.clone();
  noGrad(() => tgt2.narrow(1, 2, 2).add_(1));
  const mask = nn.Transformer.generateSquareSubsequentMask(4);
  const o1 = model.forward(src, tgt, { tgtMask: mask }), o2 = model.forward(src, tgt2, { tgtMask: mask });
  assertClose(o2.narrow(1, 0, 2), o1.narrow(1, 0, 2), 1e-5, "positions before the change");
  assert.ok(o2.narrow(1, 2, 2).sub(o1.narrow(1, 2, 2)).abs().amax().item() > 1e-3);
  // Unbatched inputs ([S, E], [T, E]) give the batched result without the batch dim.
  const yu = model.forward(src.select(0, 0), tgt.select(0, 0), { tgtMask: mask });
  assertClose(yu, o1.select(0, 0), 1e-6, "unbatched");
});

test("errors name the layer, the shapes and the fix", () => {
  const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
  assert.throws(() => lstm.forward(zeros([5, 2, 6])), /LSTM: input \[5,2,6\] has 6 features in its last dim, expected inputSize 3/);
  assert.throws(() => lstm.forward(zeros([5, 2, 3]), [zeros([1, 2, 4]), zeros([2, 2, 4])]), /LSTM: initial state h0 has shape \[1,2,4\], expected \[2,2,4\]/);
  assert.throws(() => lstm.forward(zeros([5, 2, 1, 3])), /LSTM: expected input \[T, N, 3\] or unbatched \[T, 3\], got \[5,2,1,3\]/);
  assert.throws(() => lstm.forward(zeros([5, 2, 3]), null, { lengths: [6, 2] }), /lengths\[0\] = 6 must be an integer in 1\.\.5/);
  assert.throws(() => lstm.forward(zeros([5, 2, 3]), null, { lengths: [5] }), /lengths has shape \[1\], expected \[2\]/);
  assert.throws(() => new nn.RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" }), /nonlinearity must be "tanh" or "relu"/);
  // PyTorch builds nn.GRU(0, 4) (session 12: test/nn-rnn-s12.test.ts) but not nn.GRU(4, 0).
  assert.throws(() => new nn.GRU(4, 0), /GRU: hiddenSize must be an integer >= 1, got 0/);
  assert.throws(() => new nn.MultiheadAttention(10, 3), /embedDim \(10\) must be divisible by numHeads \(3\)/);
  const mha = new nn.MultiheadAttention(4, 2);
  assert.throws(() => mha.forward(zeros([2, 1, 4]), zeros([3, 1, 4]), zeros([3, 1, 4]), { attnMask: zeros([2, 2]) }), /attnMask has shape \[2,2\], expected \[L, S\] = \[2, 3\]/);
  assert.throws(() => mha.forward(zeros([2, 1, 4]), zeros([3, 2, 4]), zeros([3, 2, 4])), /same batch size/);
  assert.throws(() => mha.forward(zeros([2, 1, 4]), zeros([3, 1, 4]), zeros([3, 1, 4]), { keyPaddingMask: tensor([[true, false]]) }), /keyPaddingMask has shape \[1,2\], expected \[1,3\]/);
  assert.throws(() => new nn.TransformerEncoderLayer(8, 3), /dModel \(8\) must be divisible by nhead \(3\)/);
  assert.throws(() => new nn.TransformerEncoderLayer(8, 2).forward(zeros([3, 2, 6])), /TransformerEncoderLayer: expected src \[T, N, 8\]/);
  assert.throws(() => new nn.LSTMCell(3, 4).forward(zeros([2, 3]), [zeros([2, 4]), zeros([3, 4])]), /LSTMCell\(3, 4\): c has shape \[3,4\], expected \[2,4\]/);
});

test("float32 by default; .double() converts a recurrent layer and it keeps working", () => {
  manualSeed(7);
  const m = new nn.LSTM(2, 3);
  const x = randn([4, 1, 2]);
  const [y32] = m.forward(x);
  assert.equal(y32.dtype, "float32");
  m.double();
  const [y64]: [Tensor, unknown] = m.forward(x.double());
  assert.equal(y64.dtype, "float64");
  assertClose(y64, y32.double(), 1e-6, "same weights");
});
