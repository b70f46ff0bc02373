// Backpropagation through time and through attention: autograd's gradients of the sequence layers
// against central finite differences, in float64 on tiny sizes (every parameter and input checked).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, manualSeed, gradcheck, cat, tensor, type Tensor } from "../src/index.js";

const flat = (ts: Tensor[]): Tensor => cat(ts.map((t) => t.reshape([-1])), 0);

test("gradcheck: LSTM (T=3, N=2, H=3) w.r.t. input, h0, c0 and every weight", () => {
  manualSeed(1);
  const m = new nn.LSTM(2, 3, { dtype: "float64" });
  const x = randn([3, 2, 2], { dtype: "float64", requiresGrad: true });
  const h0 = randn([1, 2, 3], { dtype: "float64", requiresGrad: true });
  const c0 = randn([1, 2, 3], { dtype: "float64", requiresGrad: true });
  assert.ok(gradcheck(() => {
    const [y, [h, c]] = m.forward(x, [h0, c0]);
    return flat([y, h, c]);
  }, [x, h0, c0, ...m.parameters()]));
});

test("gradcheck: 2-layer bidirectional GRU with variable lengths, batchFirst", () => {
  manualSeed(2);
  const m = new nn.GRU(2, 2, { numLayers: 2, bidirectional: true, batchFirst: true, dtype: "float64" });
  const x = randn([2, 3, 2], { dtype: "float64", requiresGrad: true });
  assert.ok(gradcheck(() => {
    const [y, h] = m.forward(x, null, { lengths: [3, 2] });
    return flat([y, h]);
  }, [x, ...m.parameters()]));
});

test("gradcheck: RNN (relu and tanh) and the three cells", () => {
  manualSeed(3);
  const x = randn([4, 1, 2], { dtype: "float64", requiresGrad: true });
  for (const nonlinearity of ["tanh", "relu"] as const) {
    const m = new nn.RNN(2, 3, { nonlinearity, dtype: "float64" });
    assert.ok(gradcheck(() => flat(m.forward(x)), [x, ...m.parameters()]));
  }
  const xc = randn([2, 2], { dtype: "float64", requiresGrad: true });
  const h = randn([2, 3], { dtype: "float64", requiresGrad: true });
  const c = randn([2, 3], { dtype: "float64", requiresGrad: true });
  const rc = new nn.RNNCell(2, 3, { dtype: "float64" });
  const lc = new nn.LSTMCell(2, 3, { dtype: "float64" });
  const gc = new nn.GRUCell(2, 3, { dtype: "float64" });
  assert.ok(gradcheck(() => rc.forward(xc, h), [xc, h, ...rc.parameters()]));
  assert.ok(gradcheck(() => flat(lc.forward(xc, [h, c])), [xc, h, c, ...lc.parameters()]));
  assert.ok(gradcheck(() => gc.forward(xc, h), [xc, h, ...gc.parameters()]));
});

test("gradcheck: MultiheadAttention (E=4, 2 heads) with key padding and a float attention mask", () => {
  manualSeed(4);
  const m = new nn.MultiheadAttention(4, 2, { dtype: "float64" });
  const q = randn([2, 2, 4], { dtype: "float64", requiresGrad: true });
  const k = randn([3, 2, 4], { dtype: "float64", requiresGrad: true });
  const v = randn([3, 2, 4], { dtype: "float64", requiresGrad: true });
  const keyPaddingMask = tensor([[false, false, true], [false, false, false]]);
  const attnMask = randn([2, 3], { dtype: "float64" });
  assert.ok(gradcheck(() => {
    const [y, w] = m.forward(q, k, v, { keyPaddingMask, attnMask });
    return flat([y, w!]);
  }, [q, k, v, ...m.parameters()]));
});

test("gradcheck: scaledDotProductAttention, causal", () => {
  manualSeed(5);
  const q = randn([2, 3, 2], { dtype: "float64", requiresGrad: true });
  const k = randn([2, 3, 2], { dtype: "float64", requiresGrad: true });
  const v = randn([2, 3, 2], { dtype: "float64", requiresGrad: true });
  assert.ok(gradcheck((a, b, c) => nn.scaledDotProductAttention(a, b, c, { isCausal: true }), [q, k, v]));
});

test("gradcheck: TransformerEncoderLayer and TransformerDecoderLayer (d=4, 2 heads, ff=6)", () => {
  manualSeed(6);
  const enc = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, dtype: "float64" });
  const src = randn([3, 1, 4], { dtype: "float64", requiresGrad: true });
  assert.ok(gradcheck(() => enc.forward(src), [src, ...enc.parameters()]));
  const dec = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, normFirst: true, activation: "gelu", dtype: "float64" });
  const tgt = randn([2, 1, 4], { dtype: "float64", requiresGrad: true });
  const mem = randn([3, 1, 4], { dtype: "float64", requiresGrad: true });
  const tgtMask = nn.Transformer.generateSquareSubsequentMask(2, { dtype: "float64" });
  assert.ok(gradcheck(() => dec.forward(tgt, mem, { tgtMask }), [tgt, mem, ...dec.parameters()]));
});
