/**
 * RNN/LSTM/GRU export read back node by node (test/onnx-export.test.ts runs them in ONNX Runtime;
 * these take milliseconds, for the src/io mutation run, docs/mutation/history.md). The expected weights are
 * PyTorch's parameters re-stacked as the ONNX operator specification orders the gates: LSTM's
 * PyTorch rows i,f,g,o become ONNX's i,o,f,c; GRU's r,z,n become z,r,h; B is [Wb, Rb] per direction.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, tensor, cat, Tensor } from "../src/index.js";
import { buildOnnxModel } from "../src/io/onnx/export.js";
import type { OnnxModel, OnnxNode } from "../src/io/onnx/schema.js";

const attrs = (n: OnnxNode): Record<string, unknown> =>
  Object.fromEntries(n.attribute.map((a) => [a.name, a.i ?? a.ints ?? (a.s ? new TextDecoder().decode(a.s) : a.strings ? a.strings.map((s) => new TextDecoder().decode(s)) : undefined)]));
const summary = (m: OnnxModel) => m.graph.node.map((n) => [n.opType, n.input, n.output.length, attrs(n)]);
function init(m: OnnxModel, name: string): { dims: number[]; values: number[] } {
  const t = m.graph.initializer.find((i) => i.name === name);
  assert.ok(t, `no initializer ${name}`);
  assert.equal(t.dataType, 1);
  return { dims: [...t.dims], values: Array.from(new Float32Array(t.rawData.slice().buffer)) };
}
const intsOf = (m: OnnxModel, name: string): number[] => {
  const t = m.graph.initializer.find((i) => i.name === name)!;
  return Array.from(new BigInt64Array(t.rawData.slice().buffer), Number);
};
/** PyTorch's [gates·H, ...] parameter with its gate blocks in `order`, flattened. */
const reorder = (p: Tensor, order: number[], H: number): number[] => Array.from(cat(order.map((g) => p.narrow(0, g * H, H)), 0).data());

class Call extends nn.Module<Tensor[], unknown> {
  constructor(public rnn: nn.Module<any, any>, private readonly f: (...x: Tensor[]) => unknown) {
    super();
  }
  forward(...x: Tensor[]): unknown {
    return this.f(...x);
  }
}

test("mutation io onnx recurrent: a bidirectional batch-first LSTM is one LSTM node with ONNX's gate order", () => {
  const lstm = new nn.LSTM(2, 3, { bidirectional: true, batchFirst: true });
  const m = buildOnnxModel(lstm, [randn([1, 4, 2])]);
  assert.deepEqual(summary(m), [
    ["Transpose", ["input_0"], 1, { perm: [1, 0, 2] }],
    ["LSTM", [m.graph.node[0].output[0], "onnx_W_l0", "onnx_R_l0", "onnx_B_l0"], 3, { hidden_size: 3, direction: "bidirectional" }],
    ["Transpose", [m.graph.node[1].output[0]], 1, { perm: [0, 2, 1, 3] }],
    ["Reshape", [m.graph.node[2].output[0], m.graph.node[3].input[1]], 1, {}],
    ["Transpose", [m.graph.node[3].output[0]], 1, { perm: [1, 0, 2] }],
    ["Identity", [m.graph.node[1].output[1]], 1, {}],
    ["Identity", [m.graph.node[1].output[2]], 1, {}],
  ]);
  assert.deepEqual(intsOf(m, m.graph.node[3].input[1]), [0, 0, -1]);
  const p = Object.fromEntries(lstm.namedParameters());
  const order = [0, 3, 1, 2];
  assert.deepEqual(init(m, "onnx_W_l0"), { dims: [2, 12, 2], values: [...reorder(p.weight_ih_l0, order, 3), ...reorder(p.weight_ih_l0_reverse, order, 3)] });
  assert.deepEqual(init(m, "onnx_R_l0"), { dims: [2, 12, 3], values: [...reorder(p.weight_hh_l0, order, 3), ...reorder(p.weight_hh_l0_reverse, order, 3)] });
  assert.deepEqual(init(m, "onnx_B_l0"), {
    dims: [2, 24],
    values: [...reorder(p.bias_ih_l0, order, 3), ...reorder(p.bias_hh_l0, order, 3), ...reorder(p.bias_ih_l0_reverse, order, 3), ...reorder(p.bias_hh_l0_reverse, order, 3)],
  });
  assert.deepEqual(m.graph.output.map((o) => o.name), ["output_0", "output_1", "output_2"]);
});

test("mutation io onnx recurrent: an unbatched GRU (linear_before_reset, gates z,r,h), squeezed back", () => {
  const gru = new nn.GRU(2, 3);
  const m = buildOnnxModel(gru, [randn([4, 2])]);
  const n = m.graph.node;
  assert.deepEqual(summary(m), [
    ["Unsqueeze", ["input_0", n[0].input[1]], 1, {}],
    ["GRU", [n[0].output[0], "onnx_W_l0", "onnx_R_l0", "onnx_B_l0"], 2, { hidden_size: 3, direction: "forward", linear_before_reset: 1 }],
    ["Squeeze", [n[1].output[0], n[2].input[1]], 1, {}],
    ["Squeeze", [n[2].output[0], n[3].input[1]], 1, {}],
    ["Squeeze", [n[1].output[1], n[4].input[1]], 1, {}],
  ]);
  for (const k of [0, 2, 3, 4]) assert.deepEqual(intsOf(m, n[k].input[1]), [1]);
  assert.deepEqual([n[3].output, n[4].output], [["output_0"], ["output_1"]]);
  const p = Object.fromEntries(gru.namedParameters());
  assert.deepEqual(init(m, "onnx_W_l0"), { dims: [1, 9, 2], values: reorder(p.weight_ih_l0, [1, 0, 2], 3) });
  assert.deepEqual(init(m, "onnx_B_l0"), { dims: [1, 18], values: [...reorder(p.bias_ih_l0, [1, 0, 2], 3), ...reorder(p.bias_hh_l0, [1, 0, 2], 3)] });
});

test("mutation io onnx recurrent: a 2-layer relu RNN without bias: Relu per direction, no B, layers chained, states joined", () => {
  const rnn = new nn.RNN(2, 3, { nonlinearity: "relu", bias: false, numLayers: 2, bidirectional: true });
  const m = buildOnnxModel(rnn, [randn([4, 1, 2])]);
  const rnns = m.graph.node.filter((x) => x.opType === "RNN");
  assert.equal(rnns.length, 2);
  for (const [l, node] of rnns.entries()) {
    assert.deepEqual(node.input.slice(1), [`onnx_W_l${l}`, `onnx_R_l${l}`]);
    assert.deepEqual(attrs(node), { hidden_size: 3, direction: "bidirectional", activations: ["Relu", "Relu"] });
  }
  assert.deepEqual(init(m, "onnx_W_l1").dims, [2, 3, 6]);
  assert.equal(m.graph.initializer.some((t) => t.name.startsWith("onnx_B")), false);
  const concat = m.graph.node.find((x) => x.opType === "Concat")!;
  assert.deepEqual([concat.input, attrs(concat)], [[rnns[0].output[1], rnns[1].output[1]], { axis: 0 }]);
  // A tanh RNN has no activations attribute (tanh is ONNX's default).
  const tanh = buildOnnxModel(new nn.RNN(2, 3), [randn([4, 1, 2])]);
  assert.deepEqual(attrs(tanh.graph.node.find((x) => x.opType === "RNN")!), { hidden_size: 3, direction: "forward" });
});

test("mutation io onnx recurrent: given states are sliced per layer, lengths become sequence_lens (int64 cast to int32), weights named by path", () => {
  const lstm = new nn.LSTM(2, 3, { numLayers: 2 });
  const withState = new Call(lstm, (x, h, c, len) => lstm.call(x, [h, c], { lengths: len }));
  const m = buildOnnxModel(withState, [randn([4, 2, 2]), randn([2, 2, 3]), randn([2, 2, 3]), tensor([4, 2], { dtype: "int32" })]);
  const lstms = m.graph.node.filter((x) => x.opType === "LSTM");
  const slices = m.graph.node.filter((x) => x.opType === "Slice");
  assert.equal(slices.length, 4);
  for (const [l, node] of lstms.entries()) {
    assert.deepEqual(node.input.slice(1, 5), [`rnn.onnx_W_l${l}`, `rnn.onnx_R_l${l}`, `rnn.onnx_B_l${l}`, "input_3"]);
    const [h, c] = node.input.slice(5).map((name) => slices.find((s) => s.output[0] === name)!);
    assert.deepEqual([h.input[0], c.input[0]], ["input_1", "input_2"]);
    for (const s of [h, c]) assert.deepEqual(s.input.slice(1).map((k) => intsOf(m, k)), [[l], [l + 1], [0]]);
  }
  const gru = new nn.GRU(2, 3);
  const m64 = buildOnnxModel(new Call(gru, (x, len) => gru.call(x, null, { lengths: len })), [randn([4, 2, 2]), tensor([4, 2], { dtype: "int64" })]);
  const cast = m64.graph.node[0];
  assert.deepEqual([cast.opType, cast.input, attrs(cast)], ["Cast", ["input_1"], { to: 6 }]);
  assert.deepEqual(m64.graph.node[1].input.slice(4), [cast.output[0]]);
  // An unbatched sequence's length is reshaped to [1].
  const g1 = new nn.GRU(2, 3);
  const mu = buildOnnxModel(new Call(g1, (x, len) => g1.call(x, null, { lengths: len })), [randn([4, 2]), tensor([4], { dtype: "int32" })]);
  const reshape = mu.graph.node.find((x) => x.opType === "Reshape")!;
  assert.deepEqual([reshape.input[0], intsOf(mu, reshape.input[1])], ["input_1", [1]]);
});

test("mutation io onnx recurrent: lengths as numbers are refused; the patched forward is removed afterwards", () => {
  const gru = new nn.GRU(2, 3);
  const model = new Call(gru, (x) => (gru.call(x, null, { lengths: [4, 3] }) as Tensor[])[0]);
  assert.throws(() => buildOnnxModel(model, [randn([4, 2, 2])]), (e: Error) => {
    assert.equal(e.message, `exportOnnx: GRU "rnn" was called with lengths as numbers, which would be frozen into the graph; pass them as an int32 tensor that is a model input (ONNX's sequence_lens), or call it without lengths when exporting`);
    return true;
  });
  assert.equal(Object.hasOwn(gru, "forward"), false);
  assert.throws(() => buildOnnxModel(new Call(gru, (x) => gru.call(x, null, { lengths: [4] })), [randn([4, 1, 2])]), /^Error: exportOnnx: GRU "rnn" was called/);
  // A forward set on the instance itself is put back, not deleted.
  const own = new nn.GRU(2, 3);
  const mine = function (this: nn.GRU, ...a: unknown[]) {
    return nn.GRU.prototype.forward.apply(this, a as never);
  };
  (own as { forward: unknown }).forward = mine;
  assert.equal(buildOnnxModel(own, [randn([4, 1, 2])]).graph.node.filter((x) => x.opType === "GRU").length, 1);
  assert.equal(own.forward, mine);
  const bad = new nn.LSTM(2, 3);
  assert.throws(() => buildOnnxModel(new Call(bad, (x) => bad.call(x, null, { lengths: [1] })), [randn([1, 1, 2])]), /LSTM "rnn"/);
});
