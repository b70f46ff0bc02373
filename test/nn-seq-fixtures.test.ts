// Sequence layers against PyTorch 1.13 (test/fixtures/seq.json, written by scripts/fixtures/seq.py):
// weights move in through loadStateDict under PyTorch's own keys, and the outputs must agree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, type Tensor } from "../src/index.js";
import { fixture, T, stateOf, assertClose, type Case } from "./nn-seq-util.js";

/** Loads the case's weights, after checking that both sides use the same keys in the same order. */
function load(m: nn.Module<never[], unknown>, c: Case): void {
  assert.deepEqual(Object.keys(m.stateDict()), c.keys, "state-dict keys (and order) equal PyTorch's");
  m.loadStateDict(stateOf(c));
  m.eval();
}

function rnnOf(c: Case) {
  const k = c.ctor;
  const opts = { numLayers: k.num_layers, bias: k.bias, batchFirst: k.batch_first, bidirectional: k.bidirectional, dtype: "float64" as const };
  return { k, opts };
}

for (const name of ["rnn_tanh_1", "rnn_relu_2_bi", "gru_1_nobias", "gru_2_bi_bf", "gru_bi_bf_lengths"]) {
  test(`${name}: output and h_n equal PyTorch's`, () => {
    const c = fixture(name);
    const { k, opts } = rnnOf(c);
    const m = name.startsWith("rnn") ? new nn.RNN(k.input_size, k.hidden_size, { ...opts, nonlinearity: k.nonlinearity }) : new nn.GRU(k.input_size, k.hidden_size, opts);
    load(m, c);
    const [y, h] = m.forward(T(c.input), c.h0 ? T(c.h0) : null, c.lengths ? { lengths: c.lengths } : {});
    assertClose(y, c.output, 1e-10, "output");
    assertClose(h, c.h_n, 1e-10, "h_n");
  });
}

for (const name of ["lstm_1", "lstm_2_bi_bf", "lstm_unbatched", "lstm_2_bi_lengths"]) {
  test(`${name}: output, h_n and c_n equal PyTorch's`, () => {
    const c = fixture(name);
    const { k, opts } = rnnOf(c);
    const m = new nn.LSTM(k.input_size, k.hidden_size, opts);
    load(m, c);
    const [y, [h, cn]] = m.forward(T(c.input), c.h0 ? [T(c.h0), T(c.c0)] : null, c.lengths ? { lengths: c.lengths } : {});
    assertClose(y, c.output, 1e-10, "output");
    assertClose(h, c.h_n, 1e-10, "h_n");
    assertClose(cn, c.c_n, 1e-10, "c_n");
  });
}

test("RNNCell, LSTMCell and GRUCell equal PyTorch's", () => {
  const r = fixture("rnncell");
  const rc = new nn.RNNCell(3, 4, { dtype: "float64" });
  load(rc, r);
  assertClose(rc.forward(T(r.input), T(r.h)), r.h1, 1e-12, "RNNCell");
  const l = fixture("lstmcell");
  const lc = new nn.LSTMCell(3, 4, { dtype: "float64" });
  load(lc, l);
  const [h1, c1] = lc.forward(T(l.input), [T(l.h), T(l.c)]);
  assertClose(h1, l.h1, 1e-12, "LSTMCell h");
  assertClose(c1, l.c1, 1e-12, "LSTMCell c");
  const g = fixture("grucell");
  const gc = new nn.GRUCell(3, 4, { dtype: "float64" });
  load(gc, g);
  assertClose(gc.forward(T(g.input), T(g.h)), g.h1, 1e-12, "GRUCell");
});

for (const name of ["mha_plain", "mha_masks", "mha_float_mask_bf_heads", "mha_kdim_vdim_nobias", "mha_unbatched"]) {
  test(`${name}: MultiheadAttention output and weights equal PyTorch's`, () => {
    const c = fixture(name);
    const k = c.ctor;
    const m = new nn.MultiheadAttention(k.embed_dim, k.num_heads, { bias: k.bias, batchFirst: k.batch_first, kdim: k.kdim, vdim: k.vdim, dtype: "float64" });
    load(m, c);
    const [y, w] = m.forward(T(c.query), T(c.key), T(c.value), {
      keyPaddingMask: c.key_padding_mask ? T(c.key_padding_mask) : null,
      attnMask: c.attn_mask ? T(c.attn_mask) : null,
      averageAttnWeights: c.average,
    });
    assertClose(y, c.output, 1e-10, "output");
    assertClose(w!, c.weights, 1e-12, "weights");
  });
}

function layerOpts(k: Record<string, unknown>) {
  return {
    dimFeedforward: k.dim_feedforward as number, dropout: k.dropout as number, activation: (k.activation ?? "relu") as "relu" | "gelu",
    normFirst: k.norm_first as boolean | undefined, batchFirst: k.batch_first as boolean | undefined, dtype: "float64" as const,
  };
}

for (const name of ["enc_post_relu", "enc_pre_gelu_bf"]) {
  test(`${name}: TransformerEncoderLayer equals PyTorch's`, () => {
    const c = fixture(name);
    const m = new nn.TransformerEncoderLayer(c.ctor.d_model, c.ctor.nhead, layerOpts(c.ctor));
    load(m, c);
    const y = m.forward(T(c.src), {
      srcMask: c.src_mask ? T(c.src_mask) : null,
      srcKeyPaddingMask: c.src_key_padding_mask ? T(c.src_key_padding_mask) : null,
    });
    assertClose(y, c.output, 1e-10, "output");
  });
}

for (const name of ["dec_post_relu", "dec_pre_gelu"]) {
  test(`${name}: TransformerDecoderLayer equals PyTorch's`, () => {
    const c = fixture(name);
    const m = new nn.TransformerDecoderLayer(c.ctor.d_model, c.ctor.nhead, layerOpts(c.ctor));
    load(m, c);
    const y = m.forward(T(c.tgt), T(c.memory), { tgtMask: T(c.tgt_mask), memoryKeyPaddingMask: T(c.memory_key_padding_mask) });
    assertClose(y, c.output, 1e-10, "output");
  });
}

test("Transformer (2 encoder + 1 decoder layers, final norms) has PyTorch's keys and output", () => {
  const c = fixture("transformer");
  const k = c.ctor;
  const m = new nn.Transformer({
    dModel: k.d_model, nhead: k.nhead, numEncoderLayers: k.num_encoder_layers, numDecoderLayers: k.num_decoder_layers,
    dimFeedforward: k.dim_feedforward, dropout: k.dropout, dtype: "float64",
  });
  load(m, c);
  const mask = nn.Transformer.generateSquareSubsequentMask(3, { dtype: "float64" });
  assertClose(mask, c.tgt_mask, 0, "generateSquareSubsequentMask");
  const y: Tensor = m.forward(T(c.src), T(c.tgt), { tgtMask: mask });
  assertClose(y, c.output, 1e-10, "output");
});
