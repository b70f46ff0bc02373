import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, io, models, randn, randint, manualSeed, cat, tensor, zeros, Tensor } from "../src/index.js";
import { runOnnx, maxRelError } from "./onnx-helpers.js";
import { saveWeights } from "../src/io/checkpoint.js";
import { UNet } from "../examples/unet-segmentation.js";
import { exportInputShape } from "../src/cli/export.js";
import { defaultConfig } from "../src/train/mnist.js";
import { spawnSync } from "node:child_process";
import { nodeArgs } from "./child-node.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Each layer is traced, exported, run by ONNX Runtime (onnxruntime-web's WebAssembly build, in Node)
 * and compared with deeptype's own forward on the same input: the issue's bar is 1e-5 relative.
 */
async function check(name: string, model: nn.Module<any, any>, inputs: Tensor[], opts: io.OnnxExportOptions = {}, tol = 1e-5): Promise<string[]> {
  model.eval();
  const bytes = io.toOnnxBytes(model, inputs, opts);
  // The traced inputs, then fresh values of the same shapes: a value frozen into the graph by mistake
  // would still match on the first but not on the second.
  const fresh = inputs.map((t) => (t.dtype === "float32" ? randn([...t.shape]).mul(t.std().item() || 1) : t));
  for (const [k, xs] of [inputs, fresh].entries()) {
    const ref = flat(model.call(...xs));
    const got = await runOnnx(bytes, xs);
    assert.equal(got.length, ref.length, `${name}: number of outputs`);
    ref.forEach((r, i) => {
      assert.deepEqual(got[i].dims, [...r.shape], `${name}: output ${i} shape`);
      const err = maxRelError(got[i].data, Array.from(r.data(), Number));
      assert.ok(err <= tol, `${name}: output ${i} differs from deeptype by ${err} (relative) on the ${k ? "fresh" : "traced"} input, more than ${tol}`);
    });
  }
  return io.decodeOnnxModel(bytes).graph.node.map((n) => n.opType);
}

function flat(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  return (v as unknown[]).flatMap(flat);
}

class Fn<I extends Tensor[]> extends nn.Module<I, Tensor> {
  constructor(private readonly fn: (...x: I) => Tensor) {
    super();
  }
  forward(...x: I): Tensor {
    return this.fn(...x);
  }
}

test("onnx: Linear, Conv1d, Conv2d (stride, padding, dilation, groups) and ConvTranspose2d match ONNX Runtime", async () => {
  manualSeed(1);
  const ops = await check("Linear", new nn.Linear(7, 5), [randn([3, 7])]);
  assert.ok(ops.includes("Gemm"), ops.join(" ")); // nn.Linear runs the fused linear op: ONNX's Gemm
  await check("Linear 3-d", new nn.Linear(7, 5, { bias: false }), [randn([2, 3, 7])]);
  await check("Conv1d", new nn.Conv1d(3, 4, 3, { stride: 2, padding: 1 }), [randn([2, 3, 11])]);
  await check("Conv2d", new nn.Conv2d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, groups: 2 }), [randn([2, 4, 9, 9])]);
  await check("Conv2d same", new nn.Conv2d(2, 3, 4, { padding: "same" }), [randn([1, 2, 6, 6])]);
  await check("ConvTranspose2d", new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }), [randn([2, 4, 5, 5])]);
});

test("onnx: pools, norms (eval statistics), dropout in eval and activations match ONNX Runtime", async () => {
  manualSeed(2);
  await check("MaxPool2d", new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [randn([2, 3, 8, 8])]);
  await check("AvgPool2d", new nn.AvgPool2d(2, { countIncludePad: false, padding: 1 }), [randn([2, 3, 7, 7])]);
  await check("AdaptiveAvgPool2d", new nn.AdaptiveAvgPool2d(1), [randn([2, 3, 6, 6])]);
  const bn = new nn.BatchNorm2d(3);
  bn.train();
  bn.call(randn([8, 3, 4, 4]).mul(3).add(1)); // non-trivial running statistics
  await check("BatchNorm2d", bn, [randn([2, 3, 4, 4])]);
  await check("BatchNorm1d", new nn.BatchNorm1d(5), [randn([4, 5])]);
  await check("LayerNorm", new nn.LayerNorm([4, 5]), [randn([2, 3, 4, 5])]);
  await check("GroupNorm", new nn.GroupNorm(2, 4), [randn([2, 4, 3, 3])]);
  const ops = await check("Dropout(eval)", new nn.Sequential(new nn.Dropout(0.5), new nn.ReLU()), [randn([4, 6])]);
  assert.deepEqual(ops, ["Relu"]);
  for (const [name, m] of [
    ["LeakyReLU", new nn.LeakyReLU(0.2)], ["ELU", new nn.ELU(0.7)], ["GELU", new nn.GELU()], ["GELU tanh", new nn.GELU("tanh")],
    ["Sigmoid", new nn.Sigmoid()], ["Tanh", new nn.Tanh()], ["SiLU", new nn.SiLU()], ["Softmax", new nn.Softmax(1)], ["LogSoftmax", new nn.LogSoftmax(-1)],
  ] as [string, nn.Module][]) {
    await check(name, m, [randn([3, 8]).mul(3)]);
  }
});

test("onnx: the nn.functional layers (activations, 1-D pools, instance/LRN norms, padding modes, resizing, pixel shuffle, unfold, bilinear) match ONNX Runtime", async () => {
  const bil = new nn.Bilinear(4, 4, 5);
  const cases: [string, nn.Module<any, any>, number[]][] = [
    ["Softplus", new nn.Softplus(), [3, 8]], ["ReLU6", new nn.ReLU6(), [3, 8]], ["Hardswish", new nn.Hardswish(), [3, 8]],
    ["Hardsigmoid", new nn.Hardsigmoid(), [3, 8]], ["Hardtanh", new nn.Hardtanh(), [3, 8]], ["SELU", new nn.SELU(), [3, 8]],
    ["CELU", new nn.CELU(), [3, 8]], ["Mish", new nn.Mish(), [3, 8]], ["GLU", new nn.GLU(), [3, 8]], ["PReLU", new nn.PReLU(), [3, 8]],
    ["Softmin", new nn.Softmin(1), [3, 8]], ["Softsign", new nn.Softsign(), [3, 8]], ["Tanhshrink", new nn.Tanhshrink(), [3, 8]],
    ["Threshold", new nn.Threshold(0.1, 20), [3, 8]], ["LogSigmoid", new nn.LogSigmoid(), [3, 8]], ["Softshrink", new nn.Softshrink(), [3, 8]],
    ["Hardshrink", new nn.Hardshrink(), [3, 8]], ["RReLU (eval)", new nn.RReLU(), [3, 8]],
    ["MaxPool1d", new nn.MaxPool1d(2), [2, 3, 8]], ["AvgPool1d", new nn.AvgPool1d(2), [2, 3, 8]], ["AdaptiveAvgPool1d", new nn.AdaptiveAvgPool1d(3), [2, 3, 9]],
    ["ConvTranspose1d", new nn.ConvTranspose1d(3, 4, 3, 2), [2, 3, 7]], ["InstanceNorm2d", new nn.InstanceNorm2d(3), [2, 3, 5, 5]],
    ["InstanceNorm1d", new nn.InstanceNorm1d(3), [2, 3, 5]], ["LocalResponseNorm", new nn.LocalResponseNorm(2), [2, 4, 5, 5]],
    ["ReflectionPad2d", new nn.ReflectionPad2d(1), [2, 3, 5, 5]], ["ReplicationPad2d", new nn.ReplicationPad2d(1), [2, 3, 5, 5]],
    ["ZeroPad2d", new nn.ZeroPad2d(1), [2, 3, 5, 5]], ["Conv2d reflect", new nn.Conv2d(3, 4, 3, { padding: 1, paddingMode: "reflect" }), [2, 3, 6, 6]],
    ["Upsample bilinear", new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }), [2, 3, 4, 4]],
    ["Upsample bicubic", new nn.Upsample({ scaleFactor: 2, mode: "bicubic" }), [2, 3, 4, 4]],
    ["PixelShuffle", new nn.PixelShuffle(2), [2, 8, 3, 3]], ["PixelUnshuffle", new nn.PixelUnshuffle(2), [2, 2, 4, 4]],
    ["Unfold", new nn.Unfold(2), [2, 3, 4, 4]], ["Bilinear", new Fn((a: Tensor) => bil.call(a, a)), [3, 4]],
    // Equal adaptive windows are a max pool (MaxPool in the graph); unequal ones are refused below.
    ["AdaptiveMaxPool2d", new nn.AdaptiveMaxPool2d(2), [2, 3, 6, 6]], ["AdaptiveMaxPool1d", new nn.AdaptiveMaxPool1d(3), [2, 3, 9]],
    // Overlapping patches summed through indexAdd -> ScatterElements(reduction "add").
    ["Fold", new nn.Fold([4, 5], 2), [2, 12, 12]], ["Fold strided", new nn.Fold([4, 4], 2, { stride: 2 }), [2, 8, 4]],
  ];
  for (const [name, model, shape] of cases) {
    manualSeed(1);
    await check(name, model, [randn(shape)]);
  }
});

test("onnx: a layer that reads input-dependent values in JavaScript is refused, never exported with the example's result frozen in", () => {
  // Adaptive max pooling with unequal windows picks its indices in JavaScript: traced naively, the
  // indices of the example input became graph constants and ONNX Runtime disagreed on every other input.
  for (const m of [new nn.AdaptiveMaxPool2d(4), new nn.AdaptiveMaxPool1d(4)]) {
    const x = randn(m instanceof nn.AdaptiveMaxPool2d ? [2, 3, 6, 6] : [2, 3, 9]);
    assert.throws(() => io.toOnnxBytes(m, [x]), /exportOnnx: the forward pass reads the values of a tensor computed from the inputs/);
  }
  // Before opset 16 ScatterElements cannot add, so Fold (indexAdd) is a named error there.
  assert.throws(() => io.toOnnxBytes(new nn.Fold([3, 3], 2), [randn([2, 12, 4])], { opsetVersion: 15 }), /indexAdd needs opsetVersion 16 or later/);
});

test("onnx: Embedding takes int32 ids as a graph input; flatten/reshape/cat/elementwise/reduce ops", async () => {
  manualSeed(3);
  const ids = randint(0, 10, [2, 5], { dtype: "int32" });
  await check("Embedding", new nn.Embedding(10, 4), [ids]);
  await check("Flatten+Unflatten", new nn.Sequential(new nn.Flatten(), new nn.Unflatten(1, [2, 12])), [randn([3, 4, 6])]);
  const f = new Fn((a: Tensor, b: Tensor) => {
    const c = cat([a, b.mul(2)], 1).reshape([2, 3, 4]).permute([0, 2, 1]);
    const r = c.sum(1, true).add(c.amax(2, true).sum()).sub(c.mean(-1, true)).div(c.abs().add(1));
    return r.exp().log().sqrt().clamp(0, 5).pow(2).add(r.softmax(-1)).add(c.max(1).values.unsqueeze(1)).add(r.norm(2, -1, true));
  });
  await check("elementwise/reduce", f, [randn([2, 5]), randn([2, 7])]);
  // max(x, dim) gives values and indices; only the nodes the outputs read are exported.
  const valuesOnly = await check("max values", new Fn((a: Tensor) => a.max(1).values.add(1)), [randn([2, 3])]);
  assert.ok(valuesOnly.includes("ReduceMax") && !valuesOnly.includes("ArgMax"), valuesOnly.join(" "));
  assert.deepEqual(await check("max indices", new Fn((a: Tensor) => a.max(1).indices), [randn([2, 3])]), ["ArgMax"]);
  // ONNX Runtime loads and runs argmax/argmin (int64 outputs, as PyTorch's).
  assert.deepEqual(await check("argmax/argmin", new Fn((a: Tensor) => a.argmax(1, true).add(a.argmin(0, true))), [randn([3, 4])]), ["ArgMax", "ArgMin", "Expand", "Expand", "Add"]);
  // logsumexp shifts by a detach()ed max: the detached value must stay connected to the graph.
  await check("logsumexp", new Fn((a: Tensor) => a.logsumexp(1).add(a.mul(3).logsumexp(0, true).sum())), [randn([3, 4]).mul(100)]);
  await check("where/maskedFill", new Fn((a: Tensor) => a.maskedFill(a.gt(0.5), -1).where(a.lt(0), a.mul(2))), [randn([3, 4])]);
});

test("onnx: RNN, LSTM, GRU, MultiheadAttention and a Transformer encoder layer match ONNX Runtime", async () => {
  manualSeed(4);
  assert.deepEqual(await check("RNN", new nn.RNN(4, 5, { numLayers: 2 }), [randn([6, 2, 4])]), ["RNN", "Squeeze", "RNN", "Squeeze", "Identity", "Concat", "Identity"]);
  assert.ok((await check("LSTM", new nn.LSTM(4, 5, { batchFirst: true }), [randn([2, 6, 4])])).includes("LSTM"));
  assert.ok((await check("GRU", new nn.GRU(4, 5, { bidirectional: true }), [randn([6, 2, 4])])).includes("GRU"));
  // A dynamic batch: ONNX's recurrent ops start from zeros when no initial state is given, whatever the batch.
  const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
  lstm.eval();
  const bytes = io.toOnnxBytes(lstm, [randn([5, 2, 3])], { dynamicAxes: { input_0: { 1: "batch" }, output_0: { 1: "batch" }, output_1: { 1: "batch" }, output_2: { 1: "batch" } } });
  assert.deepEqual(io.decodeOnnxModel(bytes).graph.node.filter((n) => n.opType === "LSTM").length, 2);
  const x4 = randn([5, 4, 3]);
  const got = await runOnnx(bytes, [x4]);
  flat(lstm.call(x4)).forEach((r, i) => {
    assert.deepEqual(got[i].dims, [...r.shape]);
    assert.ok(maxRelError(got[i].data, Array.from(r.data())) <= 1e-5, `LSTM dynamic batch output ${i}`);
  });
  const q = randn([2, 5, 8]);
  await check("MultiheadAttention", new Fn((x: Tensor) => mha.call(x, x, x)[0]), [q]);
  await check("TransformerEncoderLayer", new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), [q], {}, 2e-5);
});

/** A recurrent layer fed given initial states, then a Linear head on every step (the states are graph inputs). */
class Tagger extends nn.Module<[Tensor, Tensor, Tensor], Tensor[]> {
  rnn: nn.LSTM;
  head = new nn.Linear(12, 3);
  constructor() {
    super();
    this.rnn = new nn.LSTM(4, 6, { numLayers: 2, bidirectional: true, batchFirst: true });
  }
  forward(x: Tensor, h0: Tensor, c0: Tensor): Tensor[] {
    const [y, [hn, cn]] = this.rnn.call(x, [h0, c0]);
    return [this.head.call(y).logSoftmax(-1), hn, cn];
  }
}

test("onnx: RNN/LSTM/GRU export as ONNX's own operators and run at sequence lengths other than the traced one", async () => {
  manualSeed(8);
  const cases: [string, nn.Module<any, any>, number[], number, string][] = [
    ["LSTM 2-layer bidirectional batchFirst", new nn.LSTM(4, 5, { numLayers: 2, bidirectional: true, batchFirst: true }), [2, 6, 4], 1, "LSTM"],
    ["GRU 2-layer bidirectional", new nn.GRU(4, 5, { numLayers: 2, bidirectional: true }), [6, 2, 4], 0, "GRU"],
    ["RNN relu bidirectional", new nn.RNN(4, 5, { nonlinearity: "relu", bidirectional: true }), [6, 2, 4], 0, "RNN"],
    ["RNN tanh 3-layer no bias", new nn.RNN(4, 5, { numLayers: 3, bias: false }), [6, 2, 4], 0, "RNN"],
    ["GRU unbatched", new nn.GRU(4, 5), [6, 4], 0, "GRU"],
    ["Sequential(LSTM) returns the tuple", new nn.Sequential(new nn.LSTM(4, 5)), [6, 2, 4], 0, "LSTM"],
  ];
  for (const [name, m, shape, seqAxis, opType] of cases) {
    m.eval();
    const outs = flat(m.call(randn(shape))).length;
    const dyn = Object.fromEntries([["input_0", [seqAxis]], ["output_0", [seqAxis]]]);
    const bytes = io.toOnnxBytes(m, [randn(shape)], { dynamicAxes: dyn, outputNames: Array.from({ length: outs }, (_, i) => `output_${i}`) });
    const ops = io.decodeOnnxModel(bytes).graph.node.map((n) => n.opType);
    const layers = (m as { numLayers?: number }).numLayers ?? 1;
    assert.equal(ops.filter((o) => o === opType).length, layers, `${name}: one ${opType} node per layer (${ops.join(" ")})`);
    assert.ok(!ops.includes("MatMul") && !ops.includes("Gemm"), `${name}: not unrolled (${ops.join(" ")})`);
    for (const T of [3, 11]) {
      const s = [...shape];
      s[seqAxis] = T;
      const x = randn(s);
      const got = await runOnnx(bytes, [x]);
      flat(m.call(x)).forEach((r, i) => {
        assert.deepEqual(got[i].dims, [...r.shape], `${name} T=${T} output ${i} shape`);
        const err = maxRelError(got[i].data, Array.from(r.data(), Number));
        assert.ok(err <= 1e-5, `${name} T=${T} output ${i}: relative error ${err}`);
      });
    }
  }
  // Initial states as graph inputs, a Linear head on every step, batch and time both dynamic.
  const tagger = new Tagger();
  tagger.eval();
  const dims = { x: { 0: "batch", 1: "time" }, h0: { 1: "batch" }, c0: { 1: "batch" }, tags: { 0: "batch", 1: "time" } };
  const bytes = io.toOnnxBytes(tagger, [randn([2, 5, 4]), randn([4, 2, 6]), randn([4, 2, 6])], { inputNames: ["x", "h0", "c0"], outputNames: ["tags", "hn", "cn"], dynamicAxes: dims });
  assert.equal(io.decodeOnnxModel(bytes).graph.node.filter((n) => n.opType === "LSTM").length, 2);
  for (const [N, T] of [[3, 2], [1, 9]]) {
    const xs = [randn([N, T, 4]), randn([4, N, 6]), randn([4, N, 6])];
    const got = await runOnnx(bytes, xs);
    tagger.call(xs[0], xs[1], xs[2]).forEach((r, i) => {
      assert.deepEqual(got[i].dims, [...r.shape]);
      assert.ok(maxRelError(got[i].data, Array.from(r.data(), Number)) <= 1e-5, `Tagger N=${N} T=${T} output ${i}`);
    });
  }
  // Padded batches: lengths as an int32 model input become ONNX's sequence_lens (zeros past each end,
  // final states at each sequence's last step, the reverse direction starting there).
  for (const rnn of [new nn.LSTM(2, 3, { numLayers: 2, bidirectional: true }), new nn.GRU(2, 3, { bidirectional: true })]) {
    const padded = new Padded(rnn);
    padded.eval();
    const lensDims = { x: { 0: "time", 1: "batch" }, lengths: { 0: "batch" } };
    const b = io.toOnnxBytes(padded, [randn([6, 3, 2]), tensor([6, 2, 4], { dtype: "int32" })], { inputNames: ["x", "lengths"], dynamicAxes: lensDims });
    for (const [T, lens] of [[5, [5, 1, 3, 2]], [9, [9, 4]]] as [number, number[]][]) {
      const xs = [randn([T, lens.length, 2]), tensor(lens, { dtype: "int32" })];
      const got = await runOnnx(b, xs);
      flat(padded.call(xs[0], xs[1])).forEach((r, i) => {
        assert.deepEqual(got[i].dims, [...r.shape]);
        assert.ok(maxRelError(got[i].data, Array.from(r.data(), Number)) <= 1e-5, `${rnn.constructor.name} with lengths ${lens}: output ${i}`);
      });
    }
  }
  // Lengths as numbers would freeze one batch's lengths into the graph: a clear error.
  const padded = new Fn2(new nn.GRU(2, 3));
  assert.throws(() => io.toOnnxBytes(padded, [randn([4, 2, 2])]), /exportOnnx: GRU "rnn" was called with lengths as numbers, which would be frozen into the graph; pass them as an int32 tensor that is a model input \(ONNX's sequence_lens\), or call it without lengths when exporting/);
  // The forward swapped in for the trace is gone afterwards, after a failed export too.
  assert.ok(!Object.hasOwn(padded.rnn, "forward") && !Object.hasOwn(tagger.rnn, "forward"));
  assert.equal(padded.rnn.forward, nn.GRU.prototype.forward);
});

class Padded extends nn.Module<[Tensor, Tensor], unknown> {
  constructor(public rnn: nn.LSTM | nn.GRU) {
    super();
  }
  forward(x: Tensor, lengths: Tensor): unknown {
    return this.rnn.call(x, null, { lengths });
  }
}

class Fn2 extends nn.Module<[Tensor], Tensor> {
  constructor(public rnn: nn.GRU) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.rnn.call(x, null, { lengths: [4, 3] })[0];
  }
}
const mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });

test("onnx: the U-Net example (skip connections, ConvTranspose2d, BatchNorm) with a dynamic batch, a Transformer encoder stack, Upsample", async () => {
  manualSeed(7);
  const unet = new UNet(3, 4, { width: 4 });
  unet.train();
  unet.call(randn([4, 3, 16, 16])); // running statistics away from their initial values
  await check("UNet", unet, [randn([2, 3, 16, 16])]);
  unet.eval();
  const bytes = io.toOnnxBytes(unet, [randn([2, 3, 16, 16])], { dynamicAxes: { input_0: [0], output_0: [0] } });
  const x3 = randn([3, 3, 16, 16]);
  const [out] = await runOnnx(bytes, [x3]);
  assert.deepEqual(out.dims, [3, 4, 16, 16]);
  assert.ok(maxRelError(out.data, Array.from(unet.call(x3).data())) <= 1e-5);
  const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true }), 2);
  await check("TransformerEncoder", enc, [randn([2, 6, 8])], {}, 2e-5);
  await check("Upsample nearest", new nn.Upsample({ scaleFactor: 2 }), [randn([1, 2, 3, 3])]);
  await check("Upsample bilinear", new nn.Upsample({ size: [5, 7], mode: "bilinear", alignCorners: true }), [randn([1, 2, 3, 4])]);
});

test("onnx: the MNIST CNN exports with a dynamic batch and ONNX Runtime agrees at other batch sizes", async () => {
  manualSeed(5);
  const model = models.mnistCnn();
  model.eval();
  const bytes = io.toOnnxBytes(model, [randn([2, 1, 28, 28])], { inputNames: ["image"], outputNames: ["logits"], dynamicAxes: { image: { 0: "batch" }, logits: { 0: "batch" } } });
  const graph = io.decodeOnnxModel(bytes).graph;
  assert.deepEqual(graph.input[0].type.tensorType.shape.dim[0], { dimParam: "batch" });
  // Weights are initializers under their state-dict names; the rest are small shape constants.
  const inits = graph.initializer.map((t) => t.name);
  for (const k of Object.keys(model.stateDict()).filter((k) => !k.endsWith("num_batches_tracked"))) assert.ok(inits.includes(k), k);
  assert.ok(graph.initializer.filter((t) => t.name.startsWith("const")).every((t) => t.rawData.length <= 64));
  for (const n of [1, 2, 7]) {
    const x = randn([n, 1, 28, 28]);
    const [out] = await runOnnx(bytes, [x]);
    assert.deepEqual(out.dims, [n, 10]);
    assert.ok(maxRelError(out.data, Array.from(model.call(x).data())) <= 1e-5);
  }
});

test("onnx: an empty constant whose shape follows a dynamic batch exports (ConstantOfShape), where it was refused as 'not all equal'", async () => {
  const model = new Fn((x: Tensor) => cat([x, zeros([x.shape[0], 0])], 1).mul(2));
  const bytes = io.toOnnxBytes(model, [randn([2, 3])], { dynamicAxes: { input_0: { 0: "batch" }, output_0: { 0: "batch" } } });
  assert.ok(io.decodeOnnxModel(bytes).graph.node.some((n) => n.opType === "ConstantOfShape"));
  for (const n of [1, 5]) {
    const x = randn([n, 3]);
    const [out] = await runOnnx(bytes, [x]);
    assert.deepEqual([out.dims, Array.from(out.data)], [[n, 3], Array.from(x.mul(2).data())]);
  }
});

test("onnx: an op with no ONNX mapping and bad options are clear errors", () => {
  const m = new Fn((a: Tensor) => a.atan2(a.add(1)));
  assert.throws(() => io.toOnnxBytes(m, [randn([2])]), /exportOnnx: op "atan2" has no ONNX equivalent in this exporter \(ops covered: /);
  assert.throws(() => io.toOnnxBytes(new nn.Linear(2, 2), [randn([1, 2])], { opsetVersion: 9 }), /opsetVersion must be an integer from 13 to 21, got 9/);
  assert.throws(() => io.toOnnxBytes(new nn.Linear(2, 2), [randn([1, 2])], { dynamicAxes: { x: [0] } }), /dynamicAxes names "x", which is not an input or output name \(input_0, output_0\)/);
  assert.throws(() => io.toOnnxBytes(new nn.Linear(2, 2), [randn([1, 2])], { inputNames: ["a", "b"] }), /2 inputNames for 1 example inputs/);
  const noisy = new Fn((a: Tensor) => a.add(randn([a.shape[0], 3])));
  assert.throws(() => io.toOnnxBytes(noisy, [randn([2, 3])], { dynamicAxes: { input_0: [0] } }), /exportOnnx: op "add" reads a constant of shape \[2,3\] whose shape follows a dynamic axis .* and its values are not all equal/);
});

test("deeptype export runs/<model> --onnx writes a model ONNX Runtime runs with the run's weights", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-export-"));
  try {
    manualSeed(6);
    const model = models.mnistCnn();
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ model: "cnn" }));
    await saveWeights(path.join(dir, "model.safetensors"), model.stateDict());
    const file = path.join(dir, "model.onnx");
    const r = spawnSync(process.execPath, [...nodeArgs("src/cli/main.ts"), "export", dir, "--onnx", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Wrote .*model\.onnx \(ONNX opset 17, cnn: image \[batch,1,28,28\] -> logits \[batch,10\]; input shape from the run's training samples\)/);
    const x = randn([3, 1, 28, 28]);
    const [out] = await runOnnx(new Uint8Array(fs.readFileSync(file)), [x]);
    model.eval();
    assert.ok(maxRelError(out.data, Array.from(model.call(x).data())) <= 1e-5);
    // The shape can come from config.json or the command line; a wrong or malformed one is a clear error.
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ model: "mlp", inputShape: [784] }));
    const mlp = models.mnistMlp();
    await saveWeights(path.join(dir, "model.safetensors"), mlp.stateDict());
    const flatIn = spawnSync(process.execPath, [...nodeArgs("src/cli/main.ts"), "export", dir, "--onnx", file], { encoding: "utf8" });
    assert.equal(flatIn.status, 0, flatIn.stderr);
    assert.match(flatIn.stdout, /mlp: image \[batch,784\] -> logits \[batch,10\]; input shape from config\.json inputShape\)/);
    mlp.eval();
    const x784 = randn([2, 784]);
    assert.ok(maxRelError((await runOnnx(new Uint8Array(fs.readFileSync(file)), [x784]))[0].data, Array.from(mlp.call(x784).data())) <= 1e-5);
    const cli = spawnSync(process.execPath, [...nodeArgs("src/cli/main.ts"), "export", dir, "--onnx", file, "--input-shape", "1,1,28,28"], { encoding: "utf8" });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /mlp: image \[batch,1,28,28\] -> logits \[batch,10\]; input shape from --input-shape\)/);
    const wrong = spawnSync(process.execPath, [...nodeArgs("src/cli/main.ts"), "export", dir, "--onnx", file, "--input-shape", "1,3,5"], { encoding: "utf8" });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /deeptype export: the mlp of .* does not take an input of shape \[1,3,5\] \(from --input-shape\): .*; pass the right one with --input-shape/);
    const junk = spawnSync(process.execPath, [...nodeArgs("src/cli/main.ts"), "export", dir, "--onnx", file, "--input-shape", "1,a"], { encoding: "utf8" });
    assert.equal(junk.status, 2);
    assert.match(junk.stderr, /deeptype export: --input-shape must be positive integers, got "1,a"; e\.g\. --input-shape 1,1,28,28 \(batch first\)/);
    // No shape anywhere (no inputShape, no training samples to look at): say how to give one.
    assert.throws(() => exportInputShape("runs/x", { ...defaultConfig, trainSize: 0 }, undefined), /deeptype export: the input shape of runs\/x is unknown \(config\.json has no inputShape and the run's training data could not be read: .*\); pass it, batch first, e\.g\. --input-shape 1,1,28,28/);
    const none = spawnSync(process.execPath, [...nodeArgs("src/cli/main.ts"), "export", dir], { encoding: "utf8" });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /say what to write, e.g. --onnx model.onnx or --pytorch out/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
