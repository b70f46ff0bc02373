/**
 * Edge cases where deeptype used to disagree with PyTorch (issue 10, "Wrong results found"); the
 * expected values are PyTorch 1.13's (the OpInfo replay in test/opinfo.test.ts covers them too).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Tensor, tensor, zeros, randn, arange, sum, mean, prod, amax, amin, logsumexp, norm, variance, softmax, logSoftmax, cumsum,
  argmax, max, indexSelect, gather, logicalNot, logicalAnd, logicalOr, logicalXor, matmul, bmm, clamp, neg, gelu, conv2d,
  setBackend, getBackend, nn, digamma, grad,
} from "../src/index.js";

const F = nn.functional;

test("reductions of a 0-d tensor over dim 0 / -1 return its value, as PyTorch", () => {
  const x = tensor(2.5);
  for (const d of [0, -1]) {
    for (const f of [sum, mean, prod, amax, amin]) assert.equal(f(x, d).item(), 2.5);
    assert.ok(Math.abs(logsumexp(x, d).item() - 2.5) < 1e-6);
    assert.equal(norm(x, 2, d).item(), 2.5);
    assert.equal(cumsum(x, d).item(), 2.5);
    assert.equal(argmax(x, d).item(), 0);
    assert.deepEqual(max(x, d, true).values.shape, []);
    assert.ok(Number.isNaN(variance(x, d).item()), "PyTorch's var of one element (correction 1) is NaN");
    assert.equal(variance(x, d, { correction: 0 }).item(), 0);
  }
  assert.throws(() => sum(x, 1), /out of range/);
});

test("softmax / logSoftmax of a 0-d tensor are 1 and 0 with a zero gradient", () => {
  for (const [f, want] of [[softmax, 1], [logSoftmax, 0]] as const) {
    const x = tensor(3, { dtype: "float64" }).requiresGrad_();
    const y = f(x, 0);
    assert.equal(y.item(), want);
    y.backward();
    assert.equal(x.grad!.item(), 0);
  }
});

test("indexSelect and gather on a 0-d input", () => {
  const x = tensor(7);
  assert.deepEqual(indexSelect(x, 0, tensor([0], { dtype: "int32" })).shape, []);
  assert.equal(indexSelect(x, 0, tensor(0, { dtype: "int32" })).item(), 7);
  assert.equal(gather(x, 0, tensor(0, { dtype: "int32" })).item(), 7);
  assert.throws(() => indexSelect(x, 0, tensor([1], { dtype: "int32" })), /out of range/);
});

test("dropout2d with p = 1 zeroes everything (no NaN)", () => {
  const y = F.dropout2d(randn([2, 3, 4, 4]), 1, true);
  assert.ok(Array.from(y.data()).every((v) => v === 0));
});

test("logical ops treat NaN as true, as PyTorch and .bool()", () => {
  const a = tensor([NaN, 0, 1]), b = tensor([0, NaN, NaN]);
  assert.deepEqual(logicalNot(a).tolist(), [false, true, false]);
  assert.deepEqual(logicalAnd(a, b).tolist(), [false, false, true]);
  assert.deepEqual(logicalOr(a, b).tolist(), [true, true, true]);
  assert.deepEqual(logicalXor(a, b).tolist(), [true, true, false]);
  assert.deepEqual(a.bool().tolist(), [true, false, true]);
});

test("matmul / bmm / linear with a zero-size inner dimension give zeros, with gradients", () => {
  const before = getBackend();
  try {
    for (const b of ["js", "wasm"]) {
      setBackend(b);
      const x = randn([3, 0]).requiresGrad_(), w = randn([0, 4]).requiresGrad_();
      const y = matmul(x, w);
      assert.deepEqual(y.shape, [3, 4]);
      assert.ok(Array.from(y.data()).every((v) => v === 0));
      y.sum().backward();
      assert.deepEqual(x.grad!.shape, [3, 0]);
      assert.deepEqual(bmm(randn([2, 3, 0]), randn([2, 0, 5])).shape, [2, 3, 5]);
      assert.deepEqual(matmul(randn([2, 5, 0]), randn([0])).shape, [2, 5]);
      const l = F.linear(randn([3, 0]), randn([4, 0]), tensor([1, 2, 3, 4]));
      assert.deepEqual(l.tolist(), [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]);
    }
  } finally {
    setBackend(before);
  }
});

test("groupNorm on an empty batch and batchNorm on an empty 1-D input", () => {
  assert.deepEqual(F.groupNorm(zeros([0, 4, 3]), 2).shape, [0, 4, 3]);
  assert.deepEqual(F.batchNorm(zeros([0]), zeros([0]), zeros([0]), null, null, true).shape, [0]);
  assert.throws(() => F.batchNorm(zeros([3]), zeros([3]), zeros([3])), /at least 2 dims/);
});

test("clamp with tensor bounds: values and gradients as PyTorch (to whichever was selected)", () => {
  // [x, lo, hi] -> [value, dx, dlo, dhi] from torch.clamp(X, L, H).sum().backward()
  const rows: [number, number, number, number, number, number, number][] = [
    [1, 5, 3, 3, 0, 0, 1], [4, 5, 3, 3, 0, 0, 1], [6, 5, 3, 3, 0, 0, 1], [1, 2, 3, 2, 0, 1, 0],
    [2.5, 2, 3, 2.5, 1, 0, 0], [4, 2, 3, 3, 0, 0, 1], [NaN, 2, 3, NaN, 0, 0, 0], [2.5, NaN, 3, NaN, 0, 0, 0],
  ];
  const col = (k: number): Tensor => tensor(rows.map((r) => r[k]), { dtype: "float64" });
  const [x, lo, hi] = [col(0).requiresGrad_(), col(1).requiresGrad_(), col(2).requiresGrad_()];
  const y = clamp(x, lo, hi);
  assert.deepEqual(y.tolist(), rows.map((r) => r[3]));
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), rows.map((r) => r[4]));
  assert.deepEqual(lo.grad!.tolist(), rows.map((r) => r[5]));
  assert.deepEqual(hi.grad!.tolist(), rows.map((r) => r[6]));
  // Broadcast bound, one side only.
  assert.deepEqual(clamp(tensor([[-1, 0.5, 2]]), tensor([0]), null).tolist(), [[0, 0.5, 2]]);
  assert.deepEqual(tensor([-1, 0.5, 2]).clampMax(tensor(1)).tolist(), [-1, 0.5, 1]);
  assert.deepEqual(tensor([-1, 0.5, 2]).clampMin(0).tolist(), [0, 0.5, 2]);
});

test("calls PyTorch rejects throw: arange away from its end, neg of bool, unknown gelu approximation, conv2d on int32", () => {
  assert.throws(() => arange(0, -3, 2), /arange: the step 2 goes away from the end/);
  assert.deepEqual(arange(0, -3, -1).tolist(), [0, -1, -2]);
  assert.throws(() => neg(tensor([true, false])), /neg: .*logicalNot/);
  assert.throws(() => gelu(tensor([1]), "erf" as never), /gelu: approximate must be "none" or "tanh"/);
  const w = randn([2, 1, 3, 3]);
  assert.throws(() => conv2d(zeros([1, 1, 5, 5], { dtype: "int32" }), w), /conv2d: input must be a float tensor, got int32/);
  assert.throws(() => new nn.Conv2d(1, 2, 3).call(zeros([1, 1, 5, 5], { dtype: "int32" })), /float tensor/);
});

test("tensor() refuses int32 overflow; Tensor.fromArray refuses too little data", () => {
  assert.throws(() => tensor([1e10], { dtype: "int32" }), /value 10000000000 cannot be converted to int32 without overflow/);
  assert.throws(() => tensor([NaN], { dtype: "int32" }), /NaN cannot be converted to int32/);
  assert.deepEqual(tensor([2147483647, -2147483648], { dtype: "int32" }).tolist(), [2147483647, -2147483648]);
  assert.throws(() => Tensor.fromArray(new Float32Array(3), [2, 2], "float32"), /needs 4 elements but the array holds 3/);
  // A bool byte other than 0/1 would make logicalNot (1 − x) and sums wrong later: refused at the call.
  assert.throws(() => Tensor.fromArray(new Uint8Array([0, 1, 2]), [3], "bool"), /^Error: Tensor\.fromArray: a bool tensor's bytes must be 0 or 1, got 2 at index 2;/);
  assert.deepEqual(Tensor.fromArray(new Uint8Array([0, 1, 1]), [3], "bool").logicalNot().tolist(), [true, false, false]);
  assert.deepEqual(Tensor.fromArray(new Uint8Array([0, 2]), [2], "uint8").tolist(), [0, 2]);
});

test("module.double() / to(dtype) convert Parameters in place: an optimizer made before keeps working", async () => {
  const { optim } = await import("../src/index.js");
  for (const make of [(ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1 }), (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.1 })]) {
    const model = new nn.Linear(3, 2);
    const weight = model.weight;
    const opt = make(model.parameters());
    model.double();
    assert.equal(model.weight, weight, "the same Parameter object");
    assert.equal(weight.dtype, "float64");
    const before = weight.tolist() as number[][];
    const loss = model.call(randn([4, 3], { dtype: "float64" })).square().sum();
    loss.backward();
    assert.equal(weight.grad!.dtype, "float64");
    opt.step();
    assert.notDeepEqual(weight.tolist(), before, "the optimizer updated the converted parameter");
    model.float();
    assert.equal(model.weight, weight);
    assert.equal(weight.dtype, "float32");
  }
});

test("x.get(null) inserts an axis, as PyTorch's x[None]", () => {
  const x = arange(24).reshape([2, 3, 4]);
  assert.deepEqual(x.get(null).shape, [1, 2, 3, 4]);
  assert.deepEqual(x.get(0, null).shape, [1, 3, 4]);
  assert.deepEqual(x.get("...", null).shape, [2, 3, 4, 1]);
  assert.deepEqual(x.get(null, "...", null, 1).shape, [1, 2, 3, 1]);
  assert.deepEqual(x.get(1, null, "1:3", null, 2).tolist(), [[[18], [22]]]);
  assert.deepEqual(x.get("...", 1).shape, [2, 3]);
  assert.throws(() => x.get(0, 0, 0, 0), /too many indices \(4\)/);
});

test("nn.PositionalEncoding: the layout is explicit and a Sequential rejects neighbours that disagree", () => {
  const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true });
  assert.throws(
    () => new nn.Sequential(new nn.PositionalEncoding(8, { dropout: 0, batchFirst: false }), layer),
    /Sequential: PositionalEncoding \(item 0, batchFirst false\) feeds TransformerEncoderLayer \(item 1, batchFirst true\)/,
  );
  const net = new nn.Sequential(new nn.PositionalEncoding(8, { dropout: 0, batchFirst: true }), layer);
  assert.deepEqual(net.call(randn([2, 5, 8])).shape, [2, 5, 8]);
  const seqFirst = new nn.Sequential(new nn.PositionalEncoding(8, { dropout: 0, batchFirst: false }));
  assert.throws(() => seqFirst.append(layer), /Sequential.append: PositionalEncoding .* batchFirst/);
  // Batch-first adds position t to x[:, t]: two sequences of the batch get the same encoding.
  const pe = new nn.PositionalEncoding(4, { dropout: 0, batchFirst: true });
  const y = pe.call(zeros([2, 3, 4]));
  assert.deepEqual(y.get(0).tolist(), y.get(1).tolist());
  assert.deepEqual(y.get(0, 0).tolist(), [0, 1, 0, 1]);
});

test("digamma's gradient is not differentiable again: a clear error, never a silent zero", () => {
  const x = tensor([0.7, 1.3], { dtype: "float64", requiresGrad: true });
  const g = grad(digamma(x).sum(), [x], { createGraph: true })[0]!;
  // First order is trigamma: ψ'(1.3) ≈ 1.1289, checked against PyTorch's polygamma(1, 1.3).
  assert.ok(Math.abs(g.data()[1] - 1.134253435540072) < 1e-9, `${g.data()[1]}`);
  assert.throws(() => g.sum().backward(), /digamma: the gradient of its gradient .* not implemented/);
});

test("digamma's gradient (trigamma) is PyTorch 1.13's polygamma(1, x) bit for bit in float64", () => {
  // torch.polygamma(1, torch.tensor(xs, dtype=torch.float64)).tolist(), PyTorch 1.13: its series stops
  // at x⁻⁷ after six recurrence steps (a longer series differs from it at ~1e-9).
  const xs = [-2.5, -0.5, 0.25, 0.5, 1, 2.5, 5.9, 6, 7, 30, 1e3, 1e10, -7.25, 1e-5, 0.49999];
  const want = [9.53924664493752, 8.934802200117687, 17.19732915341456, 4.934802202073678, 1.6449340676383375, 0.4903577562398206,
    0.18466215141219733, 0.18132295574347587, 0.1535451779624394, 0.03389506035774027, 0.0010005001666666335, 1.00000000005e-10,
    19.610354539291905, 10000000001.644907, 4.934970491852729];
  const x = tensor(xs, { dtype: "float64", requiresGrad: true });
  digamma(x).sum().backward();
  assert.deepEqual(Array.from(x.grad!.data()), want);
});
