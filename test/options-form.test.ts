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
  // @ts-expect-error max along a dim needs the dim (PyTorch's x.max(keepdim=True) raises too)
  throwsNamed(() => x.max({ keepdim: true }), /^max: keepdim needs a dim/);
  // The options form without a dim is the global max, in the types and at run time.
  same(x.max({}), x.max());
  same(dt.median(x, {}), x.median());
  // The function forms type as a Tensor too (core.ts's NoDimForm), and `{}` never reaches the op:
  // an object in dim's place that is not the last argument is a wrong dim.
  const whole: dt.Tensor[] = [dt.max(x, {}), dt.min(x, {}), dt.median(x, {})];
  assert.deepEqual(whole.map((t) => t.item()), [x.max().item(), x.min().item(), x.median().item()]);
  // @ts-expect-error an options object followed by keepdim
  throwsNamed(() => dt.max(x, {}, true), /^max: dim must be an integer, got an object/);
  // @ts-expect-error an options object followed by keepdim
  throwsNamed(() => x.median({}, true), /median: dim must be an integer, got an object/);
  // @ts-expect-error p given twice
  throwsNamed(() => F.normalize(x.float(), 2, { p: 1 }), /normalize: 'p' is given twice/);
  // @ts-expect-error PyTorch's snake_case spelling
  throwsNamed(() => F.leakyRelu(x.float(), { negative_slope: 0.2 }), /leakyRelu: unknown option 'negative_slope'; deeptype spells it 'negativeSlope'/);
  // @ts-expect-error the wrong type
  throwsNamed(() => F.dropout(x.float(), { p: "0.5" }), /dropout: p must be/);
  // @ts-expect-error not an option of clamp
  throwsNamed(() => x.clamp({ lo: 0 }), /x\.clamp: unknown option 'lo'/);
  // @ts-expect-error a required parameter is not an option
  throwsNamed(() => x.softmax({ dim: 1 }), /^x\.softmax: dim is a positional parameter, not an option; write x\.softmax\(1\)$/);
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

// Expected values from PyTorch 1.13 (torch.tril(a, diagonal=-1), b.rot90(k=-1), torch.roll(b, 1, dims=1), ...).
test("shape, triangle, sort-selection and scan ops take their optional parameters in the options object", () => {
  const a = dt.arange(9).reshape([3, 3]).float();
  const b = tensor([[1, 2], [3, 4]]);
  same(a.tril({ diagonal: -1 }), a.tril(-1));
  assert.deepEqual(dt.tril(a, { diagonal: -1 }).tolist(), [[0, 0, 0], [3, 0, 0], [6, 7, 0]]);
  same(dt.triu(a, { diagonal: 1 }), a.triu(1));
  assert.deepEqual(a.triu({ diagonal: 1 }).tolist(), [[0, 1, 2], [0, 0, 5], [0, 0, 0]]);
  same(a.tril({}), a.tril());
  same(dt.zeros([2, 1, 3]).squeeze({ dim: 1 }), dt.zeros([2, 1, 3]).squeeze(1));
  assert.deepEqual(dt.squeeze(dt.zeros([2, 1, 3]), { dim: 1 }).shape, [2, 3]);
  assert.deepEqual(dt.arange(5).split(2, { dim: 0 }).map((t) => t.tolist()), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(dt.split(b, [1, 1], { dim: 1 }).map((t) => t.tolist()), [[[1], [3]], [[2], [4]]]);
  assert.deepEqual(a.chunk(2, { dim: 1 }).map((t) => t.shape), [[3, 2], [3, 1]]);
  assert.deepEqual(dt.chunk(a, 2, { dim: 1 }).map((t) => t.tolist()), a.chunk(2, 1).map((t) => t.tolist()));
  assert.deepEqual(dt.cat([b, b], { dim: 1 }).tolist(), [[1, 2, 1, 2], [3, 4, 3, 4]]);
  same(dt.stack([b, b], { dim: -1 }), dt.stack([b, b], -1));
  assert.deepEqual(dt.stack([b, b], { dim: -1 }).shape, [2, 2, 2]);
  assert.deepEqual(b.roll(1, { dims: 1 }).tolist(), [[2, 1], [4, 3]]);
  same(dt.roll(b, [1, 1], { dims: [0, 1] }), dt.roll(b, [1, 1], [0, 1]));
  assert.deepEqual(dt.rot90(b, { k: 1, dims: [0, 1] }).tolist(), [[2, 4], [1, 3]]);
  assert.deepEqual(b.rot90({ k: -1 }).tolist(), [[3, 1], [4, 2]]);
  same(b.rot90(3, { dims: [1, 0] }), b.rot90(3, [1, 0]));
  assert.deepEqual(b.repeatInterleave(2, { dim: 0 }).tolist(), [[1, 2], [1, 2], [3, 4], [3, 4]]);
  same(dt.repeatInterleave(b, tensor([1, 2]).long(), { dim: 1 }), dt.repeatInterleave(b, tensor([1, 2]).long(), 1));
  const c = tensor([[3, 1, 2], [1, 1, 5]]);
  const k = c.kthvalue(2, { dim: 1, keepdim: true });
  assert.deepEqual(k.values.tolist(), [[2], [1]]);
  same(k.indices, c.kthvalue(2, 1, true).indices);
  same(dt.kthvalue(c, 1, { dim: 0 }).values, c.kthvalue(1, 0).values);
  assert.deepEqual(c.median({ dim: 0 }).values.tolist(), [1, 1, 2]);
  same(dt.median(c, { dim: 1, keepdim: true }).indices, c.median(1, true).indices);
  const md = dt.mode(c, { dim: 1, keepdim: true });
  assert.deepEqual(md.values.tolist(), [[1], [1]]);
  same(md.indices, c.mode(1, true).indices);
  same(c.mode({ keepdim: true }).values, c.mode(-1, true).values);
  // Ops whose keywords were already options objects keep taking them.
  assert.deepEqual(c.logsumexp(1, { keepdim: true }).shape, [2, 1]);
  assert.equal(b.cumsum(0, { dtype: "float64" }).dtype, "float64");
  assert.deepEqual(b.cumprod(1, { dtype: "float64" }).tolist(), [[1, 2], [3, 12]]);
  same(F.softmin(c, 1, { dtype: "float64" }), F.softmin(c.double(), 1));
});

// Expected values from PyTorch 1.13 (torch.bincount(x, minlength=4), torch.cdist(a, b, p=1), ...).
test("conv bias, unbind, tensorSplit, bincount, diagEmbed and cdist take their optional parameters in the options object", () => {
  const img = dt.arange(16).reshape([1, 1, 4, 4]).float();
  const w = dt.ones([1, 1, 2, 2]);
  const bias = tensor([0.5]);
  assert.deepEqual(dt.conv2d(img, w, { stride: 2 }).tolist(), [[[[10, 18], [42, 50]]]]);
  same(F.conv2d(img, w, { bias, stride: 2 }), F.conv2d(img, w, bias, { stride: 2 }));
  same(dt.conv1d(dt.ones([1, 1, 5]), dt.ones([1, 1, 3]), { padding: 1 }), dt.conv1d(dt.ones([1, 1, 5]), dt.ones([1, 1, 3]), null, { padding: 1 }));
  same(dt.convTranspose2d(img, w, { bias, stride: 2 }), dt.convTranspose2d(img, w, bias, { stride: 2 }));
  const b = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(b.unbind({ dim: 1 }).map((t) => t.tolist()), [[1, 3], [2, 4]]);
  assert.deepEqual(dt.unbind(b, { dim: 0 }).map((t) => t.tolist()), [[1, 2], [3, 4]]);
  assert.deepEqual(dt.arange(5).tensorSplit(2, { dim: 0 }).map((t) => t.tolist()), [[0, 1, 2], [3, 4]]);
  same(dt.tensorSplit(b, [1], { dim: 1 })[1], b.tensorSplit([1], 1)[1]);
  const idx = tensor([1, 1, 3]).long();
  assert.deepEqual(dt.bincount(idx, { minlength: 5 }).tolist(), [0, 2, 0, 1, 0]);
  same(idx.bincount({ weights: tensor([0.5, 1, 2]), minlength: 5 }), idx.bincount(tensor([0.5, 1, 2]), 5));
  same(idx.bincount(null, { minlength: 5 }), idx.bincount(null, 5));
  assert.deepEqual(tensor([1, 2]).diagEmbed({ offset: 1 }).tolist(), [[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
  same(dt.diagEmbed(tensor([[1, 2]]), { dim1: 0, dim2: 2 }), dt.diagEmbed(tensor([[1, 2]]), 0, 0, 2));
  assert.deepEqual(dt.cdist(dt.ones([2, 2]), dt.zeros([1, 2]), { p: 1 }).tolist(), [[2], [2]]);
  assert.deepEqual(F.convTranspose1d(dt.ones([1, 1, 3]), dt.ones([1, 1, 2]), { stride: 2 }).tolist(), [[[1, 1, 1, 1, 1, 1]]]);
  same(F.convTranspose1d(dt.ones([1, 1, 3]), dt.ones([1, 1, 2]), { bias, stride: 2 }), F.convTranspose1d(dt.ones([1, 1, 3]), dt.ones([1, 1, 2]), bias, { stride: 2 }));
  const table = dt.arange(6).reshape([3, 2]).float();
  assert.deepEqual(F.embeddingBag(tensor([[0, 2]]).long(), table, { mode: "sum" }).tolist(), [[4, 6]]);
  assert.deepEqual(dt.eye(2, { dtype: "int32" }).tolist(), [[1, 0], [0, 1]]);
  assert.equal(dt.eye(2, { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(dt.eye(2, { m: 3 }).shape, [2, 3]);
  same(dt.eye(2, 3, { dtype: "float64" }), dt.eye(2, { m: 3, dtype: "float64" }));
  same(F.embeddingBag(tensor([0, 2, 1]).long(), table, { offsets: tensor([0, 1]).long(), mode: "max" }),
    F.embeddingBag(tensor([0, 2, 1]).long(), table, tensor([0, 1]).long(), { mode: "max" }));
});

// x.sort(1, { descending: false }) sorted descending and x.topk(2, 0, { largest: false }) gave the largest:
// the object after dim was read as a truthy flag. Expected values from PyTorch 1.13.
test("sort, argsort and topk read their keywords from the options object after dim", () => {
  const t = tensor([[3, 1, 2], [0, 5, 4]]);
  assert.deepEqual(t.sort(1, { descending: false }).values.tolist(), [[1, 2, 3], [0, 4, 5]]);
  assert.deepEqual(dt.sort(t, 1, { descending: true }).values.tolist(), [[3, 2, 1], [5, 4, 0]]);
  same(t.sort({ dim: 0, descending: true, stable: true }).indices, t.sort(0, true).indices);
  same(t.sort(0, true, { stable: true }).values, t.sort(0, true).values);
  assert.deepEqual(t.argsort(1, { descending: true }).tolist(), [[0, 2, 1], [1, 2, 0]]);
  same(dt.argsort(t, { dim: 0 }), t.argsort(0));
  assert.deepEqual(t.topk(2, 0, { largest: false }).values.tolist(), [[0, 1, 2], [3, 5, 4]]);
  assert.deepEqual(dt.topk(t, 1, { dim: 1, largest: false }).indices.tolist(), [[1], [0]]);
  same(t.topk(2, { dim: 1, sorted: true }).values, t.topk(2, 1).values);
  // @ts-expect-error dim given twice, positionally and in the object
  throwsNamed(() => t.argsort(0, { dim: 1 }), /x\.argsort: 'dim' is given twice/);
  // @ts-expect-error descending is a boolean (it was read by truthiness)
  throwsNamed(() => t.sort(1, "yes"), /sort: descending must be true or false, got string "yes"/);
  // @ts-expect-error a misspelt key
  throwsNamed(() => t.topk(1, { dim: 0, smallest: true }), /x\.topk: unknown option 'smallest'/);
});

test("the new options-object forms reject wrong keys and keys given twice, in the types and at run time", () => {
  const b = tensor([[1, 2], [3, 4]]);
  // @ts-expect-error a misspelt key
  throwsNamed(() => b.squeeze({ axis: 0 }), /x\.squeeze: unknown option 'axis'/);
  // @ts-expect-error dim given twice, positionally and in the object
  throwsNamed(() => dt.cat([b, b], 0, { dim: 1 }), /^cat: 'dim' is given twice/);
  // @ts-expect-error dim given twice
  throwsNamed(() => b.chunk(2, 0, { dim: 1 }), /x\.chunk: 'dim' is given twice/);
  // @ts-expect-error PyTorch's numpy-style spelling is not an option of stack
  throwsNamed(() => dt.stack([b, b], { axis: 1 }), /^stack: unknown option 'axis'/);
  // @ts-expect-error k given twice
  throwsNamed(() => b.rot90(1, { k: 2 }), /x\.rot90: 'k' is given twice/);
  // @ts-expect-error the wrong type
  throwsNamed(() => dt.tril(b, { diagonal: "1" }), /tril: diagonal/);
  // @ts-expect-error a misspelt key
  throwsNamed(() => b.roll(1, { dim: 0 }), /x\.roll: unknown option 'dim'; did you mean 'dims'\?/);
  // @ts-expect-error shifts is required, not an option
  throwsNamed(() => b.roll({ shifts: 1 }), /^x\.roll: shifts is a required parameter, given positionally \(not in the options object\); write x\.roll\(1\)$/);
  // @ts-expect-error dim given twice
  throwsNamed(() => b.float().kthvalue(1, 0, { dim: 1 }), /x\.kthvalue: 'dim' is given twice/);
  // @ts-expect-error median's keepdim needs a dim (PyTorch's median() has none)
  throwsNamed(() => b.median({ keepdim: true }), /median: keepdim needs a dim/);
  // @ts-expect-error PyTorch's snake_case spelling
  throwsNamed(() => dt.mode(b, { dim: 0, keep_dim: true }), /^mode: unknown option 'keep_dim'/);
  const img = dt.ones([1, 1, 3, 3]);
  // @ts-expect-error bias given twice, positionally and in the object
  throwsNamed(() => dt.conv2d(img, img, null, { bias: null }), /^conv2d: 'bias' is given twice/);
  // @ts-expect-error a misspelt key
  throwsNamed(() => dt.conv2d(img, img, { strides: 2 }), /^conv2d: unknown option 'strides'; did you mean 'stride'\?/);
  // @ts-expect-error PyTorch's snake_case spelling
  throwsNamed(() => tensor([1]).long().bincount({ min_length: 2 }), /x\.bincount: unknown option 'min_length'/);
});
