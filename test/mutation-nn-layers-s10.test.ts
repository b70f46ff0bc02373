// src/nn/layers: what the session-10 run left alive or never reached (`npm run mutate --` the layer
// files but activation*.ts; docs/mutation/session-10-coord.md): the layers' float64 option and
// generators reaching every parameter and buffer, each input check's message, the reprs PyTorch 1.13
// prints, and branches the layer tests never took (unbatched cells with zero states, ConvTranspose1d,
// Embedding.fromPretrained's freeze, BatchNorm without running statistics, Linear with no inputs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, zeros, ones, tensor, Generator, Tensor } from "../src/index.js";
import { throwsWith as throwsExactly } from "./throws-with.js";

const F = nn.functional;


test("layers built with { dtype: 'float64' } hold float64 parameters and buffers and compute in float64", () => {
  const layers: [string, nn.Module<any, any>, Tensor[]][] = [
    ["Linear", new nn.Linear(3, 2, { dtype: "float64" }), [randn([4, 3], { dtype: "float64" })]],
    ["Bilinear", new nn.Bilinear(2, 3, 4, { dtype: "float64" }), [randn([5, 2], { dtype: "float64" }), randn([5, 3], { dtype: "float64" })]],
    ["Conv1d", new nn.Conv1d(2, 3, 3, { dtype: "float64" }), [randn([1, 2, 6], { dtype: "float64" })]],
    ["Conv2d", new nn.Conv2d(2, 3, 3, { dtype: "float64" }), [randn([1, 2, 5, 5], { dtype: "float64" })]],
    ["ConvTranspose2d", new nn.ConvTranspose2d(2, 3, 3, { dtype: "float64" }), [randn([1, 2, 4, 4], { dtype: "float64" })]],
    ["Embedding", new nn.Embedding(6, 3, { dtype: "float64" }), [zeros([2], { dtype: "int32" })]],
    ["BatchNorm2d", new nn.BatchNorm2d(2, { dtype: "float64" }), [randn([3, 2, 2, 2], { dtype: "float64" })]],
    ["InstanceNorm1d", new nn.InstanceNorm1d(2, { affine: true, trackRunningStats: true, dtype: "float64" }), [randn([3, 2, 5], { dtype: "float64" })]],
    ["GroupNorm", new nn.GroupNorm(2, 4, { dtype: "float64" }), [randn([2, 4, 3], { dtype: "float64" })]],
    ["LayerNorm", new nn.LayerNorm([3], { dtype: "float64" }), [randn([2, 3], { dtype: "float64" })]],
  ];
  for (const [name, layer, xs] of layers) {
    const state = Object.entries(layer.stateDict()).filter(([k]) => !k.endsWith("num_batches_tracked"));
    assert.ok(state.length >= 1, name);
    for (const [k, t] of state) assert.equal(t.dtype, "float64", `${name}.${k}`);
    assert.equal((layer.call(...xs) as Tensor).dtype, "float64", `${name} output`);
  }
});

test("a generator given to a layer draws all of its initial values: the same seed gives the same layer, another seed another", () => {
  const make: [string, (g: Generator) => nn.Module<any, any>][] = [
    ["Bilinear", (g) => new nn.Bilinear(2, 3, 4, { generator: g })],
    ["Conv2d", (g) => new nn.Conv2d(2, 3, 3, { generator: g })],
    ["ConvTranspose1d", (g) => new nn.ConvTranspose1d(2, 3, 3, { generator: g })],
    ["Embedding", (g) => new nn.Embedding(5, 3, { generator: g })],
    ["Linear", (g) => new nn.Linear(3, 2, { generator: g })],
  ];
  for (const [name, f] of make) {
    const [a, b, c] = [f(new Generator(7)), f(new Generator(7)), f(new Generator(8))];
    for (const k of Object.keys(a.stateDict())) {
      assert.deepEqual(Array.from(a.stateDict()[k].data()), Array.from(b.stateDict()[k].data()), `${name}.${k} same seed`);
      assert.notDeepEqual(Array.from(a.stateDict()[k].data()), Array.from(c.stateDict()[k].data()), `${name}.${k} other seed`);
    }
  }
});

test("Linear with no input features has zero bias (PyTorch's bound is 0 when fanIn is 0), and its output is the bias", () => {
  const l = new nn.Linear(0, 3);
  assert.deepEqual(Array.from(l.bias!.data()), [0, 0, 0]);
  assert.deepEqual(l.call(zeros([2, 0])).tolist(), [[0, 0, 0], [0, 0, 0]]);
});

test("layer input checks: each message names the layer, the shape it got and what it expects", () => {
  const cases: [() => unknown, string][] = [
    [() => new nn.Conv1d(1, 1, "3" as never), 'Conv1d: kernelSize must be an integer >= 1, got string "3"'],
    [() => new nn.Conv2d(1, 1, "3" as never), 'Conv2d: kernelSize must be an integer or 2 integers >= 1, got string "3"'],
    [() => new nn.Linear(3, 2).call(randn([4, 5])), "Linear(3, 2): input [4,5] has 5 features in its last dim, expected 3; flatten the input (nn.Flatten) or set inFeatures to 5"],
    [() => new nn.InstanceNorm1d(3).call(randn([3])), "InstanceNorm1d: expected input [N, C, L] or [C, L], got [3]"],
    [() => new nn.InstanceNorm2d(3).call(randn([2, 3])), "InstanceNorm2d: expected input [N, C, H, W] or [C, H, W], got [2,3]"],
    [() => new nn.InstanceNorm1d(3, { affine: true }).call(randn([2, 4, 5])), "InstanceNorm1d: expected input's size at dim 1 to match numFeatures (3), but got input [2,4,5]"],
    [() => new nn.InstanceNorm1d(3, { affine: true }).call(randn([4, 5])), "InstanceNorm1d: expected input's size at dim 0 to match numFeatures (3), but got input [4,5]"],
    [() => new nn.BatchNorm2d(3).call(randn([2, 4, 5, 5])), "BatchNorm2d(3): input [2,4,5,5] has 4 channels in dim 1, expected 3"],
    [() => new nn.BatchNorm1d(3).call(randn([2, 3, 4, 5])), "BatchNorm1d: expected input [N,C] or [N,C,L], got [2,3,4,5]"],
    [() => new nn.GroupNorm(3, 4), "GroupNorm: numChannels (4) must be divisible by numGroups (3)"],
    [() => new nn.GroupNorm(2, 4).call(randn([2, 3, 5])), "GroupNorm(2, 4): expected input [N,4,...], got [2,3,5]"],
    [() => new nn.GroupNorm(2, 4).call(randn([4])), "GroupNorm(2, 4): expected input [N,4,...], got [4]"],
    [() => new nn.MaxPool1d(2, { returnIndices: true } as never), "MaxPool1d: returnIndices is not a layer option here; call forwardWithIndices(x) for the values and indices"],
    [() => new nn.MaxPool2d(2).call(randn([2, 3])), "MaxPool2d: expected input [N,C,H,W] or [C,H,W], got [2,3]"],
    [() => new nn.Upsample({ size: 4, scaleFactor: 2 }), "Upsample: give exactly one of size and scaleFactor (got both)"],
    [() => new nn.Upsample({}), "Upsample: give exactly one of size and scaleFactor"],
    [() => new nn.RNN(3, 4, { dropout: 1.5 }), "RNN: dropout must be a probability in [0, 1], got 1.5"],
    [() => new nn.GRU(3, 4).call(randn([0, 2, 3])), "GRU: the input [0,2,3] has no time steps"],
    [() => new nn.GRU(3, 4).call(randn([5, 2, 3]), randn([1, 3, 4])), "GRU: initial state h0 has shape [1,3,4], expected [1,2,4] (numLayers·directions = 1, batch 2, hiddenSize 4)"],
    [() => new nn.GRU(3, 4).call(randn([5, 3]), randn([1, 2, 4])), "GRU: initial state h0 has shape [1,2,4], expected [1,4] (numLayers·directions = 1, unbatched input, hiddenSize 4)"],
    [() => new nn.LSTM(3, 4).call(randn([5, 2, 3]), randn([1, 2, 4]) as never), "LSTM: the initial state must be a pair [h0, c0] (or null for zeros)"],
    [() => new nn.LSTMCell(3, 4).call(randn([2, 5])), "LSTMCell(3, 4): expected input [N, 3] or [3], got [2,5]"],
    [() => new nn.GRUCell(3, 4).call(randn([1, 2, 3])), "GRUCell(3, 4): expected input [N, 3] or [3], got [1,2,3]"],
    [() => new nn.RNNCell(3, 4, { nonlinearity: "sigmoid" as never }), 'RNNCell: nonlinearity must be "tanh" or "relu", got "sigmoid"'],
    [() => new nn.LSTMCell(3, 4).call(randn([2, 3]), randn([2, 4]) as never), "LSTMCell: the state must be a pair [h, c] (or null for zeros)"],
    [() => new nn.TransformerEncoderLayer(8, 2, { dropout: 2 }), "TransformerEncoderLayer: dropout must be a probability in [0, 1], got 2"],
    [() => new nn.TransformerEncoderLayer(8, 2).call(randn([2, 3, 7])), "TransformerEncoderLayer: expected src [T, N, 8] or unbatched [T, 8], got [2,3,7]"],
    [() => new nn.TransformerEncoderLayer(8, 2, { batchFirst: true }).call(randn([2, 3, 7])), "TransformerEncoderLayer: expected src [N, T, 8] or unbatched [T, 8], got [2,3,7]"],
    [() => new nn.TransformerEncoder({} as never, 2), "TransformerEncoder: encoderLayer must be a TransformerEncoderLayer (or a layer with a clone() method)"],
    [() => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1 }).call(randn([3, 2, 8]), randn([4, 3, 8])), "Transformer: src [3,2,8] and tgt [4,3,8] must have the same batch size (dim 1)"],
    [() => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, batchFirst: true }).call(randn([2, 3, 8]), randn([3, 4, 8])), "Transformer: src [2,3,8] and tgt [3,4,8] must have the same batch size (dim 0, batchFirst)"],
    [() => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1 }).call(randn([3, 2, 8]), randn([4, 2, 6])), "Transformer: src [3,2,8] and tgt [4,2,6] must have dModel = 8 features in their last dim"],
    [() => new nn.PositionalEncoding(8, { dropout: -1, batchFirst: false }), "PositionalEncoding: dropout must be a probability in [0, 1], got -1"],
    [() => new nn.PositionalEncoding(8, { batchFirst: true }).call(randn([2, 3, 7])), "PositionalEncoding(8): expected input [N, T, 8] or [T, 8], got [2,3,7]"],
    [() => new nn.PositionalEncoding(8, { batchFirst: false }).call(randn([2])), "PositionalEncoding(8): expected input [T, N, 8] or [T, 8], got [2]"],
    [() => new nn.PositionalEncoding(8, { batchFirst: false, maxLen: 4 }).call(randn([5, 2, 8])), "PositionalEncoding(8): sequence length 5 exceeds maxLen 4; construct it with a larger maxLen"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
});

test("layer reprs are the ones PyTorch 1.13 prints for the same layers", () => {
  const cases: [nn.Module<any, any>, string][] = [
    [new nn.Conv2d(2, 4, 3, { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false, paddingMode: "reflect" }), "Conv2d(2, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), groups=2, bias=False, padding_mode=reflect)"],
    [new nn.Conv2d(2, 4, 3, { padding: "same" }), "Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=same)"],
    [new nn.ConvTranspose2d(2, 4, 3, { stride: 2, outputPadding: 1 }), "ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))"],
    [new nn.Conv1d(2, 4, 3), "Conv1d(2, 4, kernel_size=(3,), stride=(1,))"],
    [new nn.Dropout(0.25), "Dropout(p=0.25, inplace=False)"],
    [new nn.Dropout2d(0.5), "Dropout2d(p=0.5, inplace=False)"],
    [new nn.Embedding(10, 3, { paddingIdx: 0 }), "Embedding(10, 3, padding_idx=0)"],
    [new nn.Embedding(10, 3), "Embedding(10, 3)"],
    [new nn.Upsample({ scaleFactor: 2 }), "Upsample(scale_factor=2.0, mode=nearest)"],
    [new nn.Upsample({ size: [4, 5], mode: "bilinear" }), "Upsample(size=(4, 5), mode=bilinear)"],
    [new nn.Upsample({ scaleFactor: [2, 1.5] }), "Upsample(scale_factor=(2.0, 1.5), mode=nearest)"],
    [new nn.LSTM(3, 4, { numLayers: 2, batchFirst: true, dropout: 0.5, bidirectional: true }), "LSTM(3, 4, num_layers=2, batch_first=True, dropout=0.5, bidirectional=True)"],
    [new nn.GRU(3, 4, { bias: false }), "GRU(3, 4, bias=False)"],
    [new nn.RNNCell(3, 4, { nonlinearity: "relu", bias: false }), "RNNCell(3, 4, bias=False, nonlinearity=relu)"],
    [new nn.LSTMCell(3, 4), "LSTMCell(3, 4)"],
    [new nn.GRUCell(3, 4), "GRUCell(3, 4)"],
    [new nn.InstanceNorm1d(3), "InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)"],
    [new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"],
    [new nn.BatchNorm1d(3, { affine: false, trackRunningStats: false }), "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)"],
    [new nn.BatchNorm2d(3, { momentum: null }), "BatchNorm2d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)"],
    [new nn.GroupNorm(2, 4), "GroupNorm(2, 4, eps=1e-05, affine=True)"],
    [new nn.Linear(3, 4, { bias: false }), "Linear(in_features=3, out_features=4, bias=False)"],
    [new nn.Bilinear(2, 3, 4), "Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)"],
  ];
  for (const [layer, repr] of cases) assert.equal(String(layer), repr);
  // PyTorch 1.13's RNN repr leaves the nonlinearity out; deeptype's shows it (RNNCell's shows it in both).
  assert.equal(String(new nn.RNN(3, 4, { nonlinearity: "relu" })), "RNN(3, 4, nonlinearity=relu)");
  assert.equal(String(new nn.RNN(3, 4)), "RNN(3, 4)");
  assert.equal(String(new nn.PositionalEncoding(8, { batchFirst: false, maxLen: 50, dropout: 0.25 })), "PositionalEncoding(d_model=8, max_len=50, dropout=0.25)");
});

test("branches the layer tests never took: unbatched cells from zero states, ConvTranspose1d's options, fromPretrained's freeze, BatchNorm without running statistics", () => {
  // A cell on one unbatched sample from zero state = the batched cell on a batch of one.
  for (const cell of [new nn.RNNCell(3, 4, { nonlinearity: "relu" }), new nn.GRUCell(3, 4)] as nn.Module<any, any>[]) {
    const x = randn([3]);
    const one = cell.call(x) as Tensor, batched = cell.call(x.unsqueeze(0)) as Tensor;
    assert.deepEqual(one.shape, [4]);
    assert.deepEqual(Array.from(one.data()), Array.from(batched.squeeze(0).data()));
    assert.deepEqual(Array.from(one.data()), Array.from((cell.call(x, zeros([4])) as Tensor).data()));
  }
  const lstm = new nn.LSTMCell(3, 4), x = randn([3]);
  const [h, c] = lstm.call(x, null) as Tensor[];
  const [hb, cb] = lstm.call(x.unsqueeze(0), [zeros([1, 4]), zeros([1, 4])]) as Tensor[];
  assert.deepEqual([h.shape, c.shape], [[4], [4]]);
  assert.deepEqual([Array.from(h.data()), Array.from(c.data())], [Array.from(hb.squeeze(0).data()), Array.from(cb.squeeze(0).data())]);
  // RNN with relu: ReLU, not tanh (an input driving the state past 1 shows the difference).
  const rnn = new nn.RNNCell(1, 1, { nonlinearity: "relu", bias: false });
  nn.init.constant_(rnn.weight_ih, 3);
  assert.equal((rnn.call(ones([1])) as Tensor).item(), 3);

  const ct = new nn.ConvTranspose1d(2, 4, 3, { stride: 2, padding: 1, outputPadding: 1, dilation: 2, groups: 2 });
  const xt = randn([1, 2, 5]);
  const want = F.convTranspose1d(xt, ct.weight, ct.bias, { stride: 2, padding: 1, outputPadding: 1, dilation: 2, groups: 2 });
  assert.deepEqual(Array.from(ct.call(xt).data()), Array.from(want.data()));

  const table = randn([4, 3]);
  assert.equal(nn.Embedding.fromPretrained(table).weight.requiresGrad, false, "frozen by default");
  assert.equal(nn.Embedding.fromPretrained(table, { freeze: true }).weight.requiresGrad, false);
  assert.equal(nn.Embedding.fromPretrained(table, { freeze: false }).weight.requiresGrad, true);
  assert.equal(nn.Embedding.fromPretrained(table, { paddingIdx: 1 }).paddingIdx, 1);

  const bn = new nn.BatchNorm1d(2, { trackRunningStats: false });
  assert.deepEqual(Object.keys(bn.stateDict()), ["weight", "bias"]);
  assert.equal(bn.runningMean, null);
  const tracked = new nn.BatchNorm1d(2);
  tracked.call(randn([4, 2]).add(5));
  tracked.resetRunningStats();
  assert.deepEqual([Array.from(tracked.runningMean!.data()), Array.from(tracked.runningVar!.data()), Number(tracked.stateDict().num_batches_tracked.item())], [[0, 0], [1, 1], 0]);
});

test("PositionalEncoding: the sinusoid table, where it is added for each layout, its bounds and options", () => {
  for (const d of [4, 5]) {
    const pe = new nn.PositionalEncoding(d, { batchFirst: false, maxLen: 6, dtype: "float64" });
    assert.deepEqual(pe.pe.shape, [6, 1, d]);
    assert.equal(pe.pe.dtype, "float64");
    const got = Array.from(pe.pe.data());
    for (let pos = 0; pos < 6; pos++) {
      for (let i = 0; i < d; i++) {
        // PE(pos, 2k) = sin(pos / 10000^(2k/d)), PE(pos, 2k+1) = cos(the same angle).
        const k2 = i - (i % 2), angle = pos / Math.pow(10000, k2 / d);
        const want = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
        assert.ok(Math.abs(got[pos * d + i] - want) < 1e-12, `d=${d} pos ${pos} i ${i}: ${got[pos * d + i]} vs ${want}`);
      }
    }
  }
  const pe = new nn.PositionalEncoding(4, { batchFirst: true, maxLen: 3, dropout: 0 });
  const table = pe.pe.squeeze(1); // [3, 4]
  const x = randn([2, 3, 4]);
  assert.deepEqual(Array.from(pe.call(x).data()), Array.from(x.add(table.unsqueeze(0)).data()), "batch-first: along dim 1");
  const tf = new nn.PositionalEncoding(4, { batchFirst: false, maxLen: 3, dropout: 0 }), xt = randn([3, 2, 4]);
  assert.deepEqual(Array.from(tf.call(xt).data()), Array.from(xt.add(table.unsqueeze(1)).data()), "time-first: along dim 0");
  const x2 = randn([3, 4]);
  assert.deepEqual(Array.from(pe.call(x2).data()), Array.from(x2.add(table).data()), "unbatched [T, d]");
  assert.deepEqual(Array.from(pe.call(x2.narrow(0, 0, 2)).data()), Array.from(x2.narrow(0, 0, 2).add(table.narrow(0, 0, 2)).data()), "shorter T");
  // Dropout's bounds are inclusive; training with p = 1 zeroes everything, eval adds the table only.
  const all = new nn.PositionalEncoding(4, { batchFirst: true, maxLen: 3, dropout: 1 });
  assert.deepEqual(Array.from(all.call(x).data(), (v) => v + 0), new Array(24).fill(0));
  all.eval();
  assert.deepEqual(Array.from(all.call(x).data()), Array.from(x.add(table.unsqueeze(0)).data()));
  throwsExactly(() => new nn.PositionalEncoding(4, { dropout: NaN, batchFirst: true }), "PositionalEncoding: dropout must be a probability in [0, 1], got NaN");
  throwsExactly(() => new nn.PositionalEncoding(4, { dropout: 1.01, batchFirst: true }), "PositionalEncoding: dropout must be a probability in [0, 1], got 1.01");
  assert.deepEqual(Object.keys(new nn.PositionalEncoding(4, { batchFirst: true, persistent: false }).stateDict()), []);
  assert.deepEqual(Object.keys(new nn.PositionalEncoding(4, { batchFirst: true }).stateDict()), ["pe"]);
  assert.equal(new nn.PositionalEncoding(4, { batchFirst: true, maxLen: 7 }).maxLen, 7);
});

test("Transformer layers: dropout bounds, the options reaching their sub-layers, unbatched calls, and both dModel checks", () => {
  for (const p of [0, 1]) assert.equal(new nn.TransformerEncoderLayer(4, 2, { dropout: p }).dropout.p, p);
  throwsExactly(() => new nn.TransformerEncoderLayer(4, 2, { dropout: NaN }), "TransformerEncoderLayer: dropout must be a probability in [0, 1], got NaN");
  throwsExactly(() => new nn.TransformerDecoderLayer(4, 2, { dropout: -0.5 }), "TransformerDecoderLayer: dropout must be a probability in [0, 1], got -0.5");
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0.25, layerNormEps: 1e-3, bias: false });
  assert.deepEqual([layer.linear1.bias, layer.norm1.eps, layer.dropout.p], [null, 1e-3, 0.25]);
  const withBias = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
  assert.deepEqual([withBias.linear1.bias?.shape, withBias.norm1.eps, withBias.dropout.p], [[8], 1e-5, 0.1]);
  const t = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8, dropout: 0, layerNormEps: 1e-3, bias: false });
  const normOf = (m: unknown): nn.LayerNorm => (m as { norm: nn.LayerNorm }).norm;
  const encNorm = normOf(t.encoder), decNorm = normOf(t.decoder);
  assert.deepEqual([encNorm.eps, encNorm.bias, decNorm.eps], [1e-3, null, 1e-3]);
  const plain = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8, dropout: 0 });
  assert.deepEqual([normOf(plain.encoder).eps, normOf(plain.encoder).bias?.shape], [1e-5, [4]]);
  t.eval();
  // Unbatched src and tgt: the batched call on a batch of one, squeezed.
  const src = randn([5, 4]), tgt = randn([3, 4]);
  const one = t.call(src, tgt), batched = t.call(src.unsqueeze(1), tgt.unsqueeze(1));
  assert.deepEqual(one.shape, [3, 4]);
  Array.from(one.data()).forEach((v, i) => assert.ok(Math.abs(v - batched.data()[i]) < 1e-5));
  throwsExactly(() => t.call(randn([5, 2, 4]), randn([3, 2, 6])), "Transformer: src [5,2,4] and tgt [3,2,6] must have dModel = 4 features in their last dim");
  throwsExactly(() => t.call(randn([5, 2, 6]), randn([3, 2, 4])), "Transformer: src [5,2,6] and tgt [3,2,4] must have dModel = 4 features in their last dim");
  // TransformerEncoder's `mask` is PyTorch's name for srcMask: the two give the same result.
  const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0 }), 1);
  const mask = nn.Transformer.generateSquareSubsequentMask(5), x = randn([5, 2, 4]);
  assert.deepEqual(Array.from(enc.forward(x, { mask }).data()), Array.from(enc.forward(x, { srcMask: mask }).data()));
  assert.notDeepEqual(Array.from(enc.forward(x, { mask }).data()), Array.from(enc.forward(x).data()));
});

test("padding layers' tuple checks, AvgPool1d's countIncludePad default (PyTorch's), Dropout2d's generator", () => {
  throwsExactly(() => new nn.ConstantPad2d([1, 1.5, 0, 0], 0), "ConstantPad2d: padding must be an integer or 4 integers (left, right, top, bottom), got an array of length 4");
  throwsExactly(() => new nn.ZeroPad2d("1" as never), 'ZeroPad2d: padding must be an integer or 4 integers (left, right, top, bottom), got string "1"');
  throwsExactly(() => new nn.ReflectionPad2d([1, 1, 1]), "ReflectionPad2d: padding must be an integer or 4 integers (left, right, top, bottom), got an array of length 3");
  throwsExactly(() => new nn.ConstantPad1d(1, undefined as never), "ConstantPad1d: value (the fill) is required and must be a number, got undefined");
  assert.deepEqual(new nn.ConstantPad1d([2, 0], 5).call(ones([1, 1])).tolist(), [[5, 5, 1]]);
  // PyTorch 1.13: AvgPool1d(3, stride=1, padding=1)(ones(1, 1, 4)) = [2/3, 1, 1, 2/3] (the padding counts).
  const got = Array.from(new nn.AvgPool1d(3, { stride: 1, padding: 1 }).call(ones([1, 1, 4])).data());
  [2 / 3, 1, 1, 2 / 3].forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-7, `${got}`));
  const drop = (seed: number): number[] => Array.from(new nn.Dropout2d(0.5, { generator: new Generator(seed) }).call(ones([1, 16, 1, 1])).data());
  assert.deepEqual(drop(3), drop(3));
  assert.notDeepEqual(drop(3), drop(4));
});

test("MultiheadAttention: separate projections when only kdim or only vdim differs (PyTorch's keys), mask shapes, both masks together", () => {
  const keys = ["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"];
  assert.deepEqual(Object.keys(new nn.MultiheadAttention(4, 2, { vdim: 3 }).stateDict()), keys);
  assert.deepEqual(Object.keys(new nn.MultiheadAttention(4, 2, { kdim: 3 }).stateDict()), keys);
  const g = (seed: number): number[] => Array.from(new nn.MultiheadAttention(4, 2, { kdim: 3, generator: new Generator(seed) }).stateDict().k_proj_weight.data());
  assert.deepEqual(g(1), g(1));
  assert.notDeepEqual(g(1), g(2));
  const mha = new nn.MultiheadAttention(4, 2);
  const [q, k, v] = [randn([3, 2, 4]), randn([5, 2, 4]), randn([5, 2, 4])];
  const expect = "expected [L, S] = [3, 5] or [N·numHeads, L, S] = [4, 3, 5]";
  for (const shape of [[4, 5], [3, 4], [5], [3, 3, 5], [4, 2, 5], [4, 3, 4]]) {
    throwsExactly(() => mha.call(q, k, v, { attnMask: zeros(shape, { dtype: "bool" }) }), `MultiheadAttention(4, 2): attnMask has shape [${shape}], ${expect}`);
  }
  throwsExactly(() => mha.call(q, k, randn([6, 2, 4])), "MultiheadAttention(4, 2): key [5,2,4] and value [6,2,4] must have the same sequence length");
  // A causal-style attnMask and a keyPaddingMask together: a weight is zero where either masks it.
  const attnMask = zeros([3, 5], { dtype: "bool" });
  attnMask.set(0, "3:", true); // query 0 may not see keys 3, 4
  const keyPaddingMask = zeros([2, 5], { dtype: "bool" });
  keyPaddingMask.set(":", 0, true); // key 0 is padding in both samples
  const [, w] = mha.call(q, k, v, { attnMask, keyPaddingMask }) as [Tensor, Tensor];
  const wl = w.tolist() as number[][][]; // [N, L, S]
  for (const n of [0, 1]) {
    for (let l = 0; l < 3; l++) {
      for (let s = 0; s < 5; s++) {
        const masked = s === 0 || (l === 0 && s >= 3);
        assert.equal(wl[n][l][s] === 0, masked, `n ${n} l ${l} s ${s}: ${wl[n][l][s]}`);
      }
    }
  }
});

test("Linear, Unflatten and EmbeddingBag: argument messages, float64 and generators", () => {
  throwsExactly(() => new nn.Linear(-1, 2), "Linear: inFeatures must be an integer >= 0, got -1");
  throwsExactly(() => new nn.Linear(2, 1.5), "Linear: outFeatures must be an integer >= 0, got 1.5");
  throwsExactly(() => new nn.Unflatten(1.5, [2, 2]), "Unflatten: dim must be an integer, got number 1.5");
  throwsExactly(() => new nn.Unflatten(1, [2, 2.5]), "Unflatten: sizes must be an array of integers, got an array of length 2");
  assert.equal(new nn.EmbeddingBag(5, 3, { dtype: "float64" }).weight.dtype, "float64");
  const bag = (seed: number): number[] => Array.from(new nn.EmbeddingBag(5, 3, { generator: new Generator(seed) }).weight.data());
  assert.deepEqual(bag(2), bag(2));
  assert.notDeepEqual(bag(2), bag(3));
});

test("recurrent layers: lengths and state checks, cell argument messages, dropout between layers only, positional options, generators", () => {
  const x = randn([5, 2, 3]);
  const cases: [() => unknown, string][] = [
    [() => new nn.GRU(3, 4).call(x, null, { lengths: [5, 4, 3] }), "GRU: lengths has shape [3], expected [2] (one length per sequence of the batch)"],
    [() => new nn.GRU(3, 4).call(x, null, { lengths: tensor([[5, 4]], { dtype: "int32" }) }), "GRU: lengths has shape [1,2], expected [2] (one length per sequence of the batch)"],
    [() => new nn.GRU(3, 4).call(randn([5, 3]), null, { lengths: [5, 4] }), "GRU: lengths has shape [2], expected [1] (one length per sequence of the batch)"],
    [() => new nn.GRU(3, 4).call(x, null, { lengths: [5, 2.5] }), "GRU: lengths[1] = 2.5 must be an integer in 1..5 (the padded length)"],
    [() => new nn.GRU(3, 4).call(x, null, { lengths: [5, 0] }), "GRU: lengths[1] = 0 must be an integer in 1..5 (the padded length)"],
    [() => new nn.GRU(3, 4).call(x, null, { lengths: [6, 2] }), "GRU: lengths[0] = 6 must be an integer in 1..5 (the padded length)"],
    [() => new nn.RNNCell(3, 4).call(randn([3]), randn([2, 4])), "RNNCell(3, 4): h has shape [2,4], expected [4]"],
    [() => new nn.GRUCell(3, 4).call(randn([2, 3]), randn([2, 5])), "GRUCell(3, 4): h has shape [2,5], expected [2,4]"],
    [() => new nn.LSTMCell(3, 4).call(randn([2, 3]), [randn([2, 4]), randn([3, 4])]), "LSTMCell(3, 4): c has shape [3,4], expected [2,4]"],
    [() => new nn.LSTM(3, 4).call(x, [randn([1, 2, 4])] as never), "LSTM: the initial state must be a pair [h0, c0] (or null for zeros)"],
    [() => new nn.LSTMCell(-1, 4), "LSTMCell: inputSize must be an integer >= 0, got -1"],
    [() => new nn.GRUCell(3, 1.5), "GRUCell: hiddenSize must be an integer >= 0, got 1.5"],
    [() => new nn.LSTM(3, 4, { dropout: NaN }), "LSTM: dropout must be a probability in [0, 1], got NaN"],
    [() => new nn.LSTM(3, 4, { dropout: 1.01 }), "LSTM: dropout must be a probability in [0, 1], got 1.01"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
  // PyTorch's bounds are inclusive.
  assert.deepEqual([new nn.GRU(3, 4, { dropout: 0 }).dropout, new nn.GRU(3, 4, { dropout: 1 }).dropout], [0, 1]);
  // An explicit null state is zeros, as an absent one.
  const gru = new nn.GRU(3, 4);
  assert.deepEqual(Array.from(gru.call(x, null)[0].data()), Array.from(gru.call(x)[0].data()));
  // Dropout runs between layers only: one layer in training equals eval; two layers with p = 1 feed
  // the second layer zeros, so its output is what a zero input gives.
  const one = new nn.LSTM(3, 4, { dropout: 0.5 });
  const train1 = Array.from(one.call(x)[0].data());
  one.eval();
  assert.deepEqual(train1, Array.from(one.call(x)[0].data()));
  const two = new nn.GRU(3, 4, { numLayers: 2, dropout: 1 });
  const dropped = Array.from(two.call(x)[0].data());
  const second = new nn.GRU(4, 4);
  second.loadStateDict({ weight_ih_l0: two.stateDict().weight_ih_l1, weight_hh_l0: two.stateDict().weight_hh_l1, bias_ih_l0: two.stateDict().bias_ih_l1, bias_hh_l0: two.stateDict().bias_hh_l1 });
  assert.deepEqual(dropped, Array.from(second.call(zeros([5, 2, 4]))[0].data()));
  // PyTorch's positional order: numLayers, nonlinearity, bias, batchFirst, dropout, bidirectional.
  const rnn = new nn.RNN(3, 4, 2, "relu", false, true);
  assert.deepEqual([rnn.numLayers, rnn.nonlinearity, rnn.bias, rnn.batchFirst], [2, "relu", false, true]);
  for (const make of [(g: Generator) => new nn.LSTM(3, 4, { generator: g }), (g: Generator) => new nn.GRUCell(3, 4, { generator: g })] as ((g: Generator) => nn.Module<any, any>)[]) {
    const w = (seed: number): number[] => Object.values(make(new Generator(seed)).stateDict()).flatMap((t) => Array.from(t.data()));
    assert.deepEqual(w(5), w(5));
    assert.notDeepEqual(w(5), w(6));
  }
});

test("Transformer and PositionalEncoding size checks name the layer and argument; PositionalEncoding without batchFirst is time-first", async () => {
  const { positionalTable } = await import("../src/nn/layers/transformer.js");
  const cases: [() => unknown, string][] = [
    [() => new nn.TransformerEncoderLayer(0, 2), "TransformerEncoderLayer: dModel must be an integer >= 1, got 0"],
    [() => new nn.TransformerEncoderLayer(4, 0), "TransformerEncoderLayer: nhead must be an integer >= 1, got 0"],
    [() => new nn.TransformerEncoderLayer(6, 4), "TransformerEncoderLayer: dModel (6) must be divisible by nhead (4)"],
    [() => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 0 }), "TransformerEncoderLayer: dimFeedforward must be an integer >= 1, got 0"],
    [() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 0), "TransformerEncoder: numLayers must be an integer >= 1, got 0"],
    [() => new nn.PositionalEncoding(0, { batchFirst: true }), "PositionalEncoding: dModel must be an integer >= 1, got 0"],
    [() => new nn.PositionalEncoding(4, { batchFirst: true, maxLen: 0 }), "PositionalEncoding: maxLen must be an integer >= 1, got 0"],
    [() => positionalTable(-1, 4), "positionalTable: maxLen must be an integer >= 0, got number -1"],
    [() => positionalTable(3, 1.5), "positionalTable: dModel must be a positive integer, got number 1.5"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
  // The deprecated form (no batchFirst) keeps its old meaning: [T, N, d], positions along dim 0.
  const pe = new nn.PositionalEncoding(4, { maxLen: 3, dropout: 0 });
  assert.equal(pe.batchFirst, false);
  const x = randn([3, 2, 4]);
  assert.deepEqual(Array.from(pe.call(x).data()), Array.from(x.add(pe.pe).data()));
});
