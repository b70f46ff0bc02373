// Session 13 (helper deptha), small fixes: addcmul/addcdiv take value as a 0-d tensor, as PyTorch's
// argument parser does; nn.BatchNorm1d(0)/BatchNorm2d(0) build as in PyTorch 1.13; F.embedding's
// maxNorm/normType and nn.Embedding's maxNorm renormalise the looked-up rows of weight in place.
// Values from torch 1.13 (comments, and test/fixtures/s13a.json by scripts/fixtures/s13a.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { nn, tensor, zeros, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { FIX, fromFixture, closeTo, onBackends, type FixtureTensor, outputWeights } from "./fixture-s13a.js";

const F = nn.functional;

test("addcmul/addcdiv: value may be a 0-d tensor of any dtype, functions, methods and in place", () => {
  const x = tensor([1, 1, 1]), a = tensor([1, 2, 3]), b = tensor([2, 2, 2]);
  // torch.addcmul(x, a, b, value=torch.tensor(0.5)) = [2, 3, 4]; addcdiv with value=tensor(0.5, float64) = [1.25, 1.5, 1.75]
  assert.deepEqual(dt.addcmul(x, a, b, { value: tensor(0.5) }).tolist(), [2, 3, 4]);
  const d = dt.addcdiv(x, a, b, { value: tensor(0.5, { dtype: "float64" }) });
  assert.deepEqual([d.dtype, d.tolist()], ["float32", [1.25, 1.5, 1.75]]);
  // x.addcmul(a, b, value=torch.tensor(2)) = [5, 9, 13]; an int64 0-d value
  assert.deepEqual(x.addcmul(a, b, { value: tensor(2n) }).tolist(), [5, 9, 13]);
  assert.deepEqual(x.addcdiv(a, b, { value: tensor(-2, { dtype: "int32" }) }).tolist(), [0, -1, -2]);
  // value=torch.tensor(True) is 1
  assert.deepEqual(x.addcmul(a, b, { value: tensor(true) }).tolist(), [3, 5, 7]);
  // int64 input with value=torch.tensor(2.5): cast to the int64 2, [3, 3, 3]
  const i = tensor([1n, 1n, 1n]);
  assert.deepEqual(dt.addcmul(i, i, i, { value: tensor(2.5) }).tolist(), [3, 3, 3]);
  // In place, the optimizers' positional form: p.addcmul_(a, b, tensor(2)) = [5, 9, 13]
  const p = tensor([1, 1, 1]);
  p.addcmul_(a, b, tensor(2));
  assert.deepEqual(p.tolist(), [5, 9, 13]);
  p.addcdiv_(a, b, tensor(0.5, { dtype: "float64" }));
  assert.deepEqual(p.tolist(), [5.25, 9.5, 13.75]);
  // A 0-d value does not change the gradients (value is not differentiated, as in PyTorch)
  const xf = tensor([1, 2], { dtype: "float64", requiresGrad: true }), af = tensor([3, 4], { dtype: "float64", requiresGrad: true });
  dt.addcmul(xf, af, af, { value: tensor(0.5) }).sum().backward();
  assert.deepEqual([xf.grad!.tolist(), af.grad!.tolist()], [[1, 1], [3, 4]]);
});

test("addcmul/addcdiv: a value tensor PyTorch refuses is refused with the fix", () => {
  const x = tensor([1, 1, 1]);
  // torch: "addcmul(): argument 'value' must be Number, not Tensor" for tensor([0.5]), a 3-element tensor, and a 0-d tensor requiring grad
  throwsWith(() => dt.addcmul(x, x, x, { value: tensor([0.5]) }), "addcmul: value must be a number or a 0-d tensor, got a tensor of shape [1]; pass a number, or v.reshape([]) for a one-element tensor");
  throwsWith(() => x.addcdiv(x, x, { value: tensor([0.5, 1, 2]) }), /^addcdiv: value must be a number or a 0-d tensor, got a tensor of shape \[3\]/);
  throwsWith(() => x.addcmul_(x, x, tensor(0.5, { requiresGrad: true })), /^addcmul_: value must be a number or a 0-d tensor that does not require grad .* pass value\.detach\(\)$/);
  throwsWith(() => dt.addcmul(x, x, x, { value: tensor(NaN) }), "addcmul: value must be a finite number, got number NaN");
});

test("BatchNorm1d(0) and BatchNorm2d(0) build as in PyTorch 1.13 and map empty inputs to empty outputs", () => {
  // torch 1.13: nn.BatchNorm1d(0).state_dict() shapes: weight, bias, running_mean, running_var [0], num_batches_tracked []
  for (const m of [new nn.BatchNorm1d(0), new nn.BatchNorm2d(0)]) {
    assert.deepEqual(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]), [
      ["weight", [0]], ["bias", [0]], ["running_mean", [0]], ["running_var", [0]], ["num_batches_tracked", []],
    ]);
    assert.match(String(m), /^BatchNorm[12]d\(0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True\)$/);
  }
  // torch 1.13's forward with affine weights fails inside (select(): index 0 out of range); the
  // result it means, and what F.batch_norm(torch.zeros(4, 0), ...) gives, is the empty input's shape.
  onBackends((label) => {
    for (const [m, shape] of [[new nn.BatchNorm1d(0), [4, 0]], [new nn.BatchNorm1d(0), [4, 0, 5]], [new nn.BatchNorm2d(0), [2, 0, 3, 3]],
      [new nn.BatchNorm1d(0, { affine: false, trackRunningStats: false }), [3, 0]]] as const) {
      const x = zeros([...shape], { requiresGrad: true });
      const y = m.call(x);
      y.sum().backward();
      assert.deepEqual([y.shape, x.grad!.shape], [shape, shape], label);
      m.eval();
      assert.deepEqual(m.call(x).shape, shape, label);
    }
  });
  throwsWith(() => new nn.BatchNorm1d(-1), "BatchNorm1d: numFeatures must be an integer >= 0, got -1");
  throwsWith(() => new nn.BatchNorm2d(0).call(zeros([2, 3, 2, 2])), "BatchNorm2d(0): input [2,3,2,2] has 3 channels in dim 1, expected 0");
});

interface EmbCase {
  weight: FixtureTensor; ids: FixtureTensor; paddingIdx: number | null; maxNorm: number | null; normType: number | string; scaleGradByFreq: boolean;
  output: FixtureTensor; weightAfter: FixtureTensor; grad: FixtureTensor;
}

test("F.embedding with maxNorm renormalises (and scaleGradByFreq scales) the rows looked up, in place, as PyTorch (values, weight after, gradient)", () => {
  const names = Object.keys(FIX).filter((k) => k.startsWith("embedding:"));
  assert.equal(names.length, 12);
  onBackends((label) => {
    for (const name of names) {
      const c = FIX[name] as unknown as EmbCase;
      const dtype = c.weight.dtype as "float32" | "float64";
      // float32: the row norms accumulate in another order than PyTorch's (a few ulps of the scale).
      const tol = dtype === "float32" ? 1e-6 : 1e-14;
      const normType = Number(String(c.normType).replace("inf", "Infinity"));
      const w = fromFixture(c.weight).requiresGrad_();
      const ids = fromFixture(c.ids);
      const out = F.embedding(ids, w, c.paddingIdx, c.maxNorm, normType, c.scaleGradByFreq);
      closeTo(out, c.output, `${label} ${name} output`, tol);
      closeTo(w.detach(), c.weightAfter, `${label} ${name} weight after`, tol);
      const W = outputWeights(out);
      out.mul(W).sum().backward();
      closeTo(w.grad!, c.grad, `${label} ${name} grad`, tol);
    }
  });
});

test("F.embedding: maxNorm in the options object, rows not looked up untouched, and the layer's maxNorm", () => {
  const c = FIX["embedding:maxNorm:float64"] as unknown as EmbCase;
  const w = fromFixture(c.weight);
  const out = F.embedding(fromFixture(c.ids), w, { maxNorm: 1 });
  closeTo(out, c.output, "options form", 1e-14);
  closeTo(w, c.weightAfter, "options form weight", 1e-14);
  // Rows 3, 4, 6 are not among the ids: unchanged (bit for bit)
  const before = fromFixture(c.weight);
  for (const r of [3, 4, 6]) assert.deepEqual(w.select(0, r).tolist(), before.select(0, r).tolist());
  // The layer: nn.Embedding(7, 5, max_norm=1.0) with that weight gives the same, and renormalises its own parameter
  const emb = nn.Embedding.fromPretrained(fromFixture(c.weight), { freeze: false, maxNorm: 1 });
  closeTo(emb.call(fromFixture(c.ids)), c.output, "layer", 1e-14);
  closeTo(emb.weight.detach(), c.weightAfter, "layer weight", 1e-14);
  assert.equal(emb.weight.requiresGrad, true);
  // PyTorch's repr: Embedding(5, 3, padding_idx=0, max_norm=1.0, norm_type=1.0)
  assert.equal(String(new nn.Embedding(5, 3, 0, 1, 1)), "Embedding(5, 3, padding_idx=0, max_norm=1.0, norm_type=1.0)");
  assert.equal(String(new nn.Embedding(5, 3, { normType: 3 })), "Embedding(5, 3, norm_type=3.0)");
  // torch: Embedding(4, 3, scale_grad_by_freq=True); sparse=False is taken
  assert.equal(String(new nn.Embedding(4, 3, { scaleGradByFreq: true, sparse: false })), "Embedding(4, 3, scale_grad_by_freq=True)");
  // torch: w = arange(12.).reshape(4, 3); F.embedding([[0, 2, 2], [2, 1, 0]], w, scale_grad_by_freq=True) times arange(18) summed:
  // w.grad = [[7.5, 8.5, 9.5], [12, 13, 14], [6, 7, 8], [0, 0, 0]]
  const ws = dt.arange(12).float().reshape([4, 3]).requiresGrad_();
  F.embedding(tensor([[0n, 2n, 2n], [2n, 1n, 0n]]), ws, { scaleGradByFreq: true }).mul(dt.arange(18).float().reshape([2, 3, 3])).sum().backward();
  assert.deepEqual((ws.grad!.tolist() as number[][]).map((r) => r.map((v) => Math.round(v * 1e5) / 1e5)), [[7.5, 8.5, 9.5], [12, 13, 14], [6, 7, 8], [0, 0, 0]]);
  const e = new nn.Embedding(4, 2, { maxNorm: 0.5 });
  e.call(tensor([0n, 1n]));
  for (const r of [0, 1]) assert.ok((e.weight.select(0, r).norm().item() as number) <= 0.5 + 1e-6, `row ${r}`);
  // A row already within maxNorm is left as it is; empty ids change nothing
  const small = tensor([[0.3, 0.4], [3, 4]], { dtype: "float64" });
  F.embedding(tensor([0n]), small, null, 1);
  F.embedding(zeros([0], { dtype: "int64" }), small, null, 1);
  assert.deepEqual(small.tolist(), [[0.3, 0.4], [3, 4]]);
  // torch: F.embedding(tensor([1]), w, max_norm=1.0) with row [3, 4] -> [0.6, 0.8] * 5/(5+1e-7)
  F.embedding(tensor([1n]), small, null, 1);
  assert.deepEqual(small.select(0, 1).tolist(), [3 * (1 / (5 + 1e-7)), 4 * (1 / (5 + 1e-7))]);
});

test("F.embedding and nn.Embedding: bad maxNorm, normType and paddingIdx name the function", () => {
  const w = zeros([3, 2]);
  // torch: AssertionError "Padding_idx must be within num_embeddings"
  throwsWith(() => F.embedding(tensor([0n]), w, 3), "embedding: paddingIdx must be an integer in [-3, 2] (a row of weight [3,2]) or null, got number 3");
  throwsWith(() => F.embedding(tensor([0n]), w, null, "1" as never), 'embedding: maxNorm must be a number or null, got string "1"');
  throwsWith(() => F.embedding(tensor([0n]), w, { normType: NaN }), "embedding: normType must be a number (2 for the Euclidean norm), got number NaN");
  throwsWith(() => F.embedding(tensor([0n]), w, { maxNrm: 1 } as never), /^embedding: unknown option 'maxNrm'; did you mean 'maxNorm'\?/);
  throwsWith(() => F.embedding(tensor([0n]), zeros([3, 2], { dtype: "int32" }), null, 1), "embedding: maxNorm needs a floating point weight, got int32");
  throwsWith(() => new nn.Embedding(3, 2, { maxNorm: "x" as never }), "Embedding: maxNorm must be a number or null, got x");
  throwsWith(() => new nn.Embedding(3, 2, null, 1, { maxNorm: 2 } as never), /^Embedding: maxNorm was given both positionally/);
  throwsWith(() => F.embedding(tensor([0n]), w, { scaleGradByFreq: 1 as never }), "embedding: scaleGradByFreq must be true or false, got number 1");
  throwsWith(() => new nn.Embedding(3, 2, { sparse: true }), /^Embedding: sparse gradients are not supported/);
});

// A 1-line use of Tensor so the import is not flagged unused by the compiler if the tests above change.
export type { Tensor };
