/**
 * API.md rule 3's options-object form, in the types and at run time: every optional parameter may
 * come in one trailing options object (`x.sum({ dim: 1, keepdim: true })`, `F.normalize(x, { dim: 0 })`).
 * `npm test` type-checks this file (tsc --noEmit), so each form below must compile, and each line
 * under `@ts-expect-error` must NOT compile (the directive fails the build if the line type-checks);
 * those lines also run, and throw at run time as well, so types and entry layer agree.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { tensor, nn, Generator } from "../src/index.js";

const F = nn.functional;
const x = tensor([[1, -2, 3], [-4, 5, -6]]);
const same = (a: dt.Tensor, b: dt.Tensor): void => {
  assert.deepEqual(a.shape, b.shape);
  assert.deepEqual(a.tolist(), b.tolist());
};
const throwsNamed = (f: () => unknown, re: RegExp): void => assert.throws(f, (e: unknown) => e instanceof Error && re.test(e.message));

test("reductions take dim in the options object, as methods and functions", () => {
  same(x.sum({ dim: 1, keepdim: true }), x.sum(1, true));
  assert.deepEqual(x.sum({ dim: 1, keepdim: true }).tolist(), [[2], [-5]]);
  same(dt.sum(x, { dim: 0 }), x.sum(0));
  same(x.sum({ dim: [0, 1], dtype: "float64" }), x.sum([0, 1], { dtype: "float64" }));
  assert.equal(x.sum({ dim: [0, 1], dtype: "float64" }).dtype, "float64");
  // torch.sum(x, dim=None, keepdim=True) keeps every dim: [[-3]].
  assert.deepEqual(x.sum({ keepdim: true }).tolist(), [[-3]]);
  same(x.float().mean({ dim: 1 }), x.float().mean(1));
  same(x.prod({ dim: 0, keepdim: true }), x.prod(0, true));
  same(x.float().var({ dim: 1, unbiased: false }), x.float().var(1, false));
  same(x.float().std({ dim: 1, correction: 0, keepdim: true }), x.float().std(1, { correction: 0, keepdim: true }));
  same(x.amax({ dim: 1 }), x.amax(1));
  same(x.amin({ dim: 0, keepdim: true }), x.amin(0, true));
  same(x.argmax({ dim: 1 }), x.argmax(1));
  same(dt.argmin(x, { dim: 1, keepdim: true }), x.argmin(1, true));
  const { values, indices } = x.max({ dim: 1 });
  assert.deepEqual(values.tolist(), [3, 5]);
  assert.deepEqual(indices.tolist(), [2, 1]);
  const [minValues] = dt.min(x, { dim: 0, keepdim: true });
  assert.deepEqual(minValues.tolist(), [[-4, -2, -6]]);
  same(x.float().norm({ p: 1, dim: 1 }), x.float().norm(1, 1));
  same(x.float().norm(1, { dim: 0, keepdim: true }), x.float().norm(1, 0, true));
});

test("elementwise and shape ops take their optional parameters in the options object", () => {
  const f = x.float();
  same(f.leakyRelu({ negativeSlope: 0.5 }), f.leakyRelu(0.5));
  same(dt.leakyRelu(f, { negativeSlope: 0.5 }), f.leakyRelu(0.5));
  same(f.elu({ alpha: 2 }), f.elu(2));
  same(f.gelu({ approximate: "tanh" }), f.gelu("tanh"));
  same(f.clamp({ max: 1 }), f.clamp(undefined, 1));
  same(f.clamp(-1, { max: 1 }), f.clamp(-1, 1));
  same(dt.clamp(f, { min: 0 }), f.clamp(0));
  same(f.clone().clamp_({ min: 0, max: 2 }), f.clamp(0, 2));
  same(f.clone().leakyRelu_({ negativeSlope: 0.1 }), f.leakyRelu(0.1));
  const y = dt.zeros([2, 3, 4]);
  assert.deepEqual(y.flatten({ startDim: 1 }).shape, [2, 12]);
  assert.deepEqual(dt.flatten(y, 0, { endDim: 1 }).shape, [6, 4]);
  same(f.pad([1, 1], { mode: "reflect" }), f.pad([1, 1], "reflect"));
  same(dt.pad(f, [1, 1], "constant", { value: 7 }), dt.pad(f, [1, 1], "constant", 7));
  same(dt.oneHot(tensor([0, 2]).long(), { numClasses: 4 }), dt.oneHot(tensor([0, 2]).long(), 4));
});

test("indexing, scans and linear algebra take their optional parameters in the options object", () => {
  const f = x.float();
  same(dt.diag(tensor([1, 2]), { diagonal: 1 }), dt.diag(tensor([1, 2]), 1));
  assert.deepEqual(dt.diag(tensor([1, 2]), { diagonal: 1 }).shape, [3, 3]); // the object was read as the offset: [NaN, NaN]
  same(f.diagonal({ offset: 1 }), f.diagonal(1));
  same(f.cross(f.flip([1]), { dim: 1 }), f.cross(f.flip([1]), 1));
  same(dt.tensordot(f, f, { dims: [[1], [1]] }), dt.tensordot(f, f, [[1], [1]]));
  same(dt.linalg.vectorNorm(f, { ord: 1, dim: 1 }), dt.linalg.vectorNorm(f, 1, 1));
  same(dt.linalg.norm(f, { dim: 1, keepdim: true }), dt.linalg.norm(f, undefined, 1, true));
  same(dt.linalg.cross(f, f.flip([1]), { dim: 1 }), dt.linalg.cross(f, f.flip([1]), 1));
  same(f.any({ dim: 1, keepdim: true }), f.any(1, true));
  same(dt.nansum(f, { dim: 0 }), f.nansum(0));
  same(f.countNonzero({ dim: 1 }), f.countNonzero(1));
  same(dt.histc(f, { bins: 4, min: -6, max: 6 }), dt.histc(f, 4, -6, 6));
  const idx = tensor([[0], [2]]).long();
  same(dt.takeAlongDim(f, idx, { dim: 1 }), dt.takeAlongDim(f, idx, 1));
  // @ts-expect-error a misspelt key
  throwsNamed(() => dt.diag(f, { diagonl: 1 }), /diag: unknown option 'diagonl'; did you mean 'diagonal'\?/);
  // @ts-expect-error ord given twice, positionally and in the object
  throwsNamed(() => dt.linalg.vectorNorm(f, 1, { ord: 2 }), /linalg\.vectorNorm: 'ord' is given twice/);
});

test("nn.functional takes its optional positional parameters in the options object", () => {
  const f = x.float();
  same(F.normalize(f, { dim: 0 }), F.normalize(f, 2, 0));
  same(F.normalize(f, 1, { eps: 1e-3 }), F.normalize(f, 1, 1, 1e-3));
  same(F.leakyRelu(f, { negativeSlope: 0.2 }), F.leakyRelu(f, 0.2));
  same(F.softplus(f, 2, { threshold: 1 }), F.softplus(f, 2, 1));
  same(F.hardtanh(f, { minVal: -2, maxVal: 2 }), F.hardtanh(f, -2, 2));
  same(F.dropout(f, { p: 0.5, training: false }), f);
  const g1 = new Generator(3), g2 = new Generator(3);
  same(F.dropout(f, { p: 0.5, generator: g1 }), F.dropout(f, 0.5, true, { generator: g2 }));
  same(F.rrelu(f, { training: true, generator: new Generator(1) }), F.rrelu(f, 1 / 8, 1 / 3, true, { generator: new Generator(1) }));
  const w = tensor([[1, 0, 0], [0, 1, 1]]).float(), b = tensor([10, 20]).float();
  same(F.linear(f, w, { bias: b }), F.linear(f, w, b));
  same(F.layerNorm(f, [3], { eps: 1e-3 }), F.layerNorm(f, [3], null, null, 1e-3));
  same(F.pad(f, [1, 1], { mode: "replicate" }), F.pad(f, [1, 1], "replicate"));
  same(F.oneHot(tensor([1]).long(), { numClasses: 3 }), F.oneHot(tensor([1]).long(), 3));
  same(F.flatten(dt.zeros([2, 3, 4]), { startDim: 1 }), F.flatten(dt.zeros([2, 3, 4]), 1));
  same(F.cosineSimilarity(f, f.flip([0]), { dim: 0 }), F.cosineSimilarity(f, f.flip([0]), 0));
});

test("wrong options-object forms fail to compile and throw at run time", () => {
  // @ts-expect-error a misspelt key
  throwsNamed(() => x.sum({ dim: 1, keepDim: true }), /x\.sum: unknown option 'keepDim'/);
  // @ts-expect-error dim given twice, positionally and in the object
  throwsNamed(() => x.sum(1, { dim: 1 }), /x\.sum: 'dim' is given twice/);
  // @ts-expect-error the wrong type
  throwsNamed(() => x.sum({ dim: "1" }), /sum: dim must be an integer/);
  // @ts-expect-error max along a dim needs the dim
  x.max({ keepdim: true });
  // @ts-expect-error p given twice
  throwsNamed(() => F.normalize(x.float(), 2, { p: 1 }), /normalize: 'p' is given twice/);
  // @ts-expect-error PyTorch's snake_case spelling
  throwsNamed(() => F.leakyRelu(x.float(), { negative_slope: 0.2 }), /leakyRelu: unknown option 'negative_slope'; deeptype spells it 'negativeSlope'/);
  // @ts-expect-error the wrong type
  throwsNamed(() => F.dropout(x.float(), { p: "0.5" }), /dropout: p must be/);
  // @ts-expect-error not an option of clamp
  throwsNamed(() => x.clamp({ lo: 0 }), /x\.clamp: unknown option 'lo'/);
  // @ts-expect-error a required parameter is not an option
  throwsNamed(() => x.softmax({ dim: 1 }), /x\.softmax: unknown option 'dim'/);
});

test("backward takes PyTorch's keywords as one options object: loss.backward({ retainGraph: true })", () => {
  const w = tensor([1, 2, 3], { requiresGrad: true });
  const loss = w.mul(w).sum();
  loss.backward({ retainGraph: true });
  assert.deepEqual([...w.grad!.data()], [2, 4, 6]);
  // The graph was kept, so a second pass runs and accumulates; the gradient may come in the object too.
  loss.backward({ gradient: tensor(2) });
  assert.deepEqual([...w.grad!.data()], [6, 12, 18]);
  // Without retainGraph the first pass frees the graph: the second names why it fails.
  const once = w.mul(w).sum();
  once.backward({});
  throwsNamed(() => once.backward(), /freed by an earlier backward/);
  const v = tensor([1, 2], { requiresGrad: true });
  dt.autograd.backward(v.mul(3).sum(), { inputs: [v] });
  assert.deepEqual([...v.grad!.data()], [3, 3]);
  // @ts-expect-error PyTorch's snake_case keyword
  throwsNamed(() => w.mul(w).sum().backward({ retain_graph: true }), /backward: unknown option 'retain_graph'; deeptype spells it 'retainGraph'/);
  // @ts-expect-error the gradient given twice, positionally and in the object
  throwsNamed(() => w.mul(w).sum().backward(tensor(1), { gradient: tensor(1) }), /'gradient' is given twice/);
});
