// src/nn/layers: what survived `npm run mutate -- src/nn/layers` (docs/mutation/history.md, "Session 9:
// src/nn"): constructor argument checks whose message names the layer and the argument (matched
// from the start of the message), the bounds those checks allow (PyTorch 1.13's: RReLU lower = upper
// and Softshrink lambd = 0 are accepted), and options passed on to parameters.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, randn, zeros, Generator } from "../src/index.js";

/** The call throws an Error whose message starts with `start` (a regex source, anchored here). */
function throwsFrom(fn: () => unknown, start: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
    assert.match(e.message, new RegExp("^" + start), e.message);
    return true;
  });
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("activation layers name themselves and the argument in constructor errors", () => {
  const bad: [string, () => unknown, string][] = [
    ["Softplus beta", () => new nn.Softplus({ beta: "2" as never }), 'Softplus: beta must be a number, got string "2"'],
    ["Softplus threshold", () => new nn.Softplus({ threshold: NaN }), "Softplus: threshold must be a number, got number NaN"],
    ["Hardtanh minVal", () => new nn.Hardtanh({ minVal: "a" as never }), 'Hardtanh: minVal must be a number, got string "a"'],
    ["Hardtanh maxVal", () => new nn.Hardtanh({ maxVal: "b" as never }), 'Hardtanh: maxVal must be a number, got string "b"'],
    ["Hardtanh order", () => new nn.Hardtanh(1, 1), "Hardtanh: maxVal (1) must be greater than minVal (1)"],
    ["CELU alpha", () => new nn.CELU({ alpha: "1" as never }), 'CELU: alpha must be a number, got string "1"'],
    ["GLU dim", () => new nn.GLU({ dim: 1.5 }), "GLU: dim must be an integer, got 1.5"],
    ["PReLU init", () => new nn.PReLU({ init: "x" as never }), 'PReLU: init must be a number, got string "x"'],
    ["PReLU numParameters", () => new nn.PReLU({ numParameters: 0 }), "PReLU: numParameters must be an integer >= 1, got 0"],
    ["RReLU lower", () => new nn.RReLU({ lower: "x" as never }), 'RReLU: lower must be a number, got string "x"'],
    ["RReLU upper", () => new nn.RReLU({ upper: NaN }), "RReLU: upper must be a number, got number NaN"],
    ["RReLU order", () => new nn.RReLU(0.3, 0.2), "RReLU: lower (0.3) must not be greater than upper (0.2)"],
    ["Softmin dim", () => new nn.Softmin(1.5), "Softmin: dim must be an integer, got 1.5"],
    ["Softmax dim", () => new nn.Softmax(0.5), "Softmax: dim must be an integer, got 0.5"],
    ["LogSoftmax dim", () => new nn.LogSoftmax(0.5), "LogSoftmax: dim must be an integer, got 0.5"],
    ["Threshold threshold", () => new nn.Threshold("a" as never, 0), 'Threshold: threshold must be a number, got string "a"'],
    ["Threshold value", () => new nn.Threshold(0, "b" as never), 'Threshold: value must be a number, got string "b"'],
    ["Softshrink lambd", () => new nn.Softshrink({ lambd: "x" as never }), 'Softshrink: lambd must be a number, got string "x"'],
    ["Softshrink negative", () => new nn.Softshrink(-0.5), "Softshrink: lambd must be greater or equal to 0, got -0.5"],
    ["Hardshrink lambd", () => new nn.Hardshrink({ lambd: "x" as never }), 'Hardshrink: lambd must be a number, got string "x"'],
  ];
  for (const [, make, msg] of bad) throwsFrom(make, esc(msg) + "$");
});

test("activation layers accept PyTorch's boundary values", () => {
  // RReLU(0.2, 0.2): a fixed slope, in eval mode and in training.
  const r = new nn.RReLU(0.2, 0.2);
  assert.deepEqual([...r.call(tensor([-1, 2])).data()].map((v) => Math.round(v * 1e6) / 1e6), [-0.2, 2]);
  // Softshrink(0) is the identity; Hardshrink takes a negative lambd (PyTorch does not check it).
  assert.deepEqual([...new nn.Softshrink(0).call(tensor([-1, 0.5])).data()], [-1, 0.5]);
  assert.deepEqual([...new nn.Hardshrink(-1).call(tensor([-0.5, 0.25])).data()], [-0.5, 0.25]);
});

test("PReLU makes its weight in the dtype asked for (float32 by default)", () => {
  assert.equal(new nn.PReLU().weight.dtype, "float32");
  const p = new nn.PReLU({ numParameters: 3, init: 0.1, dtype: "float64" });
  assert.equal(p.weight.dtype, "float64");
  assert.deepEqual([...p.weight.shape], [3]);
  assert.deepEqual([...p.weight.data()], [0.1, 0.1, 0.1]);
});

test("scaledDotProductAttention: its own errors, masks that do not broadcast, and dropoutP (1 drops every weight)", () => {
  const F = nn.functional;
  const q = tensor([[[1, 0], [0, 1]]]), k = tensor([[[1, 1], [0, 1], [1, 0]]]), v = tensor([[[1], [2], [3]]]);
  throwsFrom(() => F.scaledDotProductAttention(q, k, v, { foo: 1 } as never), "scaledDotProductAttention: unknown option 'foo'");
  throwsFrom(() => F.scaledDotProductAttention(q, k, v, { isCausal: true, attnMask: tensor([[0, 0, 0], [0, 0, 0]]) }), esc("scaledDotProductAttention: give either attnMask or isCausal, not both"));
  throwsFrom(() => F.scaledDotProductAttention(q, k, v, { attnMask: tensor([[0, 0], [0, 0]]) }), esc("scaledDotProductAttention: attnMask of shape [2,2] does not broadcast to the scores [..., L=2, S=3] of q [1,2,2] and k [1,3,2]") + "$");
  throwsFrom(() => F.scaledDotProductAttention(q, k, v, { attnMask: tensor([[0, 0, 0], [0, 0, 0]], { dtype: "int32" }) }), "scaledDotProductAttention: a mask must be bool or float, got int32$");
  const none = F.scaledDotProductAttention(q, k, v);
  assert.deepEqual([...F.scaledDotProductAttention(q, k, v, { dropoutP: 0 }).data()], [...none.data()]);
  assert.deepEqual([...F.scaledDotProductAttention(q, k, v, { dropoutP: 1 }).data()], [0, 0]);
});

test("scaledDotProductAttention: q, k and v of 2 or more dims with matching sizes; masks broadcast from the right; a generator drives dropout", () => {
  const F = nn.functional;
  const q2 = tensor([[1, 0], [0, 1]]), k2 = tensor([[1, 1], [0, 1], [1, 0]]), v2 = tensor([[1], [2], [3]]);
  // 2-D operands are enough (one sequence, no batch).
  assert.deepEqual([...F.scaledDotProductAttention(q2, k2, v2).shape], [2, 1]);
  const need = esc("scaledDotProductAttention: q, k and v need at least 2 dims [..., seq, features], got ");
  throwsFrom(() => F.scaledDotProductAttention(tensor([1, 0]), k2, v2), need + esc("[2], [3,2], [3,1]") + "$");
  throwsFrom(() => F.scaledDotProductAttention(q2, tensor([1, 0]), v2), need + esc("[2,2], [2], [3,1]") + "$");
  throwsFrom(() => F.scaledDotProductAttention(q2, k2, tensor([1, 2, 3])), need + esc("[2,2], [3,2], [3]") + "$");
  throwsFrom(() => F.scaledDotProductAttention(q2, tensor([[1, 1, 1]]), v2), esc("scaledDotProductAttention: q [2,2] and k [1,3] must have the same feature size (last dim) to be compared") + "$");
  throwsFrom(() => F.scaledDotProductAttention(q2, k2, tensor([[1], [2]])), esc("scaledDotProductAttention: k [3,2] and v [2,1] must have the same sequence length (dim -2)") + "$");
  // Masks: [L, S] and [1, S] broadcast; one more dim than the scores does not.
  const full = F.scaledDotProductAttention(q2, k2, v2, { attnMask: tensor([[0, -Infinity, 0], [0, -Infinity, 0]]) });
  const row = F.scaledDotProductAttention(q2, k2, v2, { attnMask: tensor([[0, -Infinity, 0]]) });
  assert.deepEqual([...row.data()], [...full.data()]);
  throwsFrom(() => F.scaledDotProductAttention(q2, k2, v2, { attnMask: tensor([[[0, 0, 0]]]) }), esc("scaledDotProductAttention: attnMask of shape [1,1,3] does not broadcast"));
  // A same-rank mask of the scores' own shape is accepted.
  assert.deepEqual([...F.scaledDotProductAttention(q2.unsqueeze(0), k2.unsqueeze(0), v2.unsqueeze(0), { attnMask: tensor([[[0, -Infinity, 0], [0, -Infinity, 0]]]) }).data()], [...full.data()]);
  // Dropout on the weights draws from the generator given: the same seed, the same output.
  const q = randn([1, 4, 3]), k = randn([1, 5, 3]), v = randn([1, 5, 2]);
  const a = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5, generator: new Generator(7) }).data();
  randn([10]); // moves the global generator
  const b = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5, generator: new Generator(7) }).data();
  assert.deepEqual([...a], [...b]);
  assert.notDeepEqual([...a], [...F.scaledDotProductAttention(q, k, v).data()]);
});

test("MultiheadAttention: constructor and forward errors name the layer, the argument and the shapes", () => {
  throwsFrom(() => new nn.MultiheadAttention(6, 4), esc("MultiheadAttention: embedDim (6) must be divisible by numHeads (4); each head gets embedDim/numHeads features") + "$");
  throwsFrom(() => new nn.MultiheadAttention(4, 2, { dropout: 1.5 }), esc("MultiheadAttention: dropout must be a probability in [0, 1], got 1.5") + "$");
  throwsFrom(() => new nn.MultiheadAttention(4, 2, { dropout: -0.1 }), esc("MultiheadAttention: dropout must be a probability in [0, 1], got -0.1") + "$");
  throwsFrom(() => new nn.MultiheadAttention(0, 2), "MultiheadAttention: embedDim must be an integer >= 1, got ");
  throwsFrom(() => new nn.MultiheadAttention(4, 0), "MultiheadAttention: numHeads must be an integer >= 1, got ");
  throwsFrom(() => new nn.MultiheadAttention(4, 2, { kdim: 0 }), "MultiheadAttention: kdim must be an integer >= 1, got ");
  throwsFrom(() => new nn.MultiheadAttention(4, 2, { vdim: 1.5 }), "MultiheadAttention: vdim must be an integer >= 1, got ");
  // Both bounds of dropout are allowed.
  assert.equal(new nn.MultiheadAttention(4, 2, { dropout: 1 }).dropout, 1);
  assert.equal(new nn.MultiheadAttention(4, 2, { dropout: 0 }).dropout, 0);
  const mha = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 5 });
  const name = esc("MultiheadAttention(4, 2): ");
  const q = randn([2, 1, 4]), k = randn([3, 1, 3]), v = randn([3, 1, 5]);
  assert.deepEqual([...mha.call(q, k, v)[0].shape], [2, 1, 4]);
  throwsFrom(() => mha.call(randn([4]), k, v), name + esc("expected query [L, N, 4] or unbatched [L, 4], got [4]") + "$");
  throwsFrom(() => mha.call(q, randn([3, 3]), v), name + esc("query [2,1,4], key [3,3] and value [3,1,5] must all be batched (3-D) or all unbatched (2-D)") + "$");
  throwsFrom(() => mha.call(q, k, randn([3, 5])), name + esc("query [2,1,4], key [3,1,3] and value [3,5] must all be batched"));
  throwsFrom(() => mha.call(randn([2, 1, 3]), k, v), name + esc("query [2,1,3] has 3 features, expected embedDim 4") + "$");
  throwsFrom(() => mha.call(q, randn([3, 1, 4]), v), name + esc("key [3,1,4] has 4 features, expected kdim 3") + "$");
  throwsFrom(() => mha.call(q, k, randn([3, 1, 4])), name + esc("value [3,1,4] has 4 features, expected vdim 5") + "$");
  throwsFrom(() => mha.call(q, randn([3, 2, 3]), randn([3, 2, 5])), name + esc("query, key and value must have the same batch size (layout [seq, N, features]), got [2,1,4], [3,2,3], [3,2,5]") + "$");
  throwsFrom(() => mha.call(q, k, randn([3, 2, 5])), name + esc("query, key and value must have the same batch size"));
  throwsFrom(() => mha.call(q, k, randn([4, 1, 5])), name + esc("key [3,1,3] and value [4,1,5] must have the same sequence length") + "$");
  throwsFrom(() => mha.call(q, k, v, { attnMask: randn([2, 2]) }), name + esc("attnMask has shape [2,2], expected [L, S] = [2, 3] or [N·numHeads, L, S] = [2, 2, 3]") + "$");
  throwsFrom(() => mha.call(q, k, v, { attnMask: randn([3, 2, 3]) }), name + esc("attnMask has shape [3,2,3]"));
  throwsFrom(() => mha.call(q, k, v, { keyPaddingMask: randn([1, 2]) }), name + esc("keyPaddingMask has shape [1,2], expected [1,3] ([N, S], true = padding)") + "$");
  throwsFrom(() => mha.call(q.squeeze(1), k.squeeze(1), v.squeeze(1), { keyPaddingMask: randn([1, 3]) }), name + esc("keyPaddingMask has shape [1,3], expected [3] ([S], true = padding)") + "$");
  throwsFrom(() => mha.call(q, k, v, { attnMask: tensor([[0, 0, 0], [0, 0, 0]], { dtype: "int32" }) }), name + "a mask must be bool or float, got int32$");
  const bf = new nn.MultiheadAttention(4, 2, { batchFirst: true });
  throwsFrom(() => bf.call(randn([1, 2, 3]), randn([1, 3, 4]), randn([1, 3, 4])), name + esc("query [1,2,3] has 3 features, expected embedDim 4") + "$");
  throwsFrom(() => bf.call(randn([5]), randn([1, 3, 4]), randn([1, 3, 4])), name + esc("expected query [L, N, 4] (batchFirst: [N, L, E]) or unbatched [L, 4], got [5]") + "$");
  throwsFrom(() => bf.call(randn([1, 2, 4]), randn([2, 3, 4]), randn([2, 3, 4])), name + esc("query, key and value must have the same batch size (layout [N, seq, features])"));
});

test("attention masks: bool true means allowed in scaledDotProductAttention and masked in MultiheadAttention; masks keep a 16-bit input's dtype", () => {
  const F = nn.functional;
  const q = randn([2, 3]), k = randn([4, 3]), v = randn([4, 2]);
  const allowed = tensor([[true, false, true, true], [true, true, false, true]]);
  const additive = tensor([[0, -Infinity, 0, 0], [0, 0, -Infinity, 0]]);
  assert.deepEqual([...F.scaledDotProductAttention(q, k, v, { attnMask: allowed }).data()], [...F.scaledDotProductAttention(q, k, v, { attnMask: additive }).data()]);
  const mha = new nn.MultiheadAttention(4, 2);
  const x = randn([2, 4]), kv = randn([4, 4]);
  const masked = tensor([[false, true, false, false], [false, false, true, false]]);
  assert.deepEqual([...mha.call(x, kv, kv, { attnMask: masked })[0].data()], [...mha.call(x, kv, kv, { attnMask: additive })[0].data()]);
  const h = (t: ReturnType<typeof randn>): ReturnType<typeof randn> => t.to("float16");
  assert.equal(F.scaledDotProductAttention(h(q), h(k), h(v), { isCausal: true }).dtype, "float16");
  assert.equal(F.scaledDotProductAttention(h(q), h(k), h(v), { attnMask: allowed }).dtype, "float16");
  // The causal mask: 0 on and below the diagonal, -inf above; float32 unless asked.
  throwsFrom(() => nn.generateSquareSubsequentMask(0), "generateSquareSubsequentMask: size must be an integer >= 1, got 0$");
  const m = nn.generateSquareSubsequentMask(3, { dtype: "float64" });
  assert.equal(m.dtype, "float64");
  assert.equal(nn.generateSquareSubsequentMask(2).dtype, "float32");
  assert.deepEqual([...m.data()], [0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, 0]);
});

test("conv, embedding, bilinear and dropout layers: each bad hyper-parameter or input is refused with the layer, the argument and what it got", () => {
  const bad: [() => unknown, string][] = [
    [() => new nn.Bilinear(0, 2, 3), "Bilinear: in1Features must be an integer >= 1, got 0"],
    [() => new nn.Bilinear(2, -1, 3), "Bilinear: in2Features must be an integer >= 0, got -1"],
    [() => new nn.Bilinear(2, 2, 1.5), "Bilinear: outFeatures must be an integer >= 0, got 1.5"],
    [() => new nn.EmbeddingBag(4, 2, { mode: "avg" as never }), "EmbeddingBag: mode must be \"sum\", \"mean\" or \"max\", got \"avg\""],
    [() => new nn.EmbeddingBag(4, 2, { paddingIdx: 4 }), "EmbeddingBag: paddingIdx 4 must be an integer in [-4, 3]"],
    [() => new nn.EmbeddingBag(4, 2, { paddingIdx: -5 }), "EmbeddingBag: paddingIdx -5 must be an integer in [-4, 3]"],
    [() => new nn.EmbeddingBag(4, 2, { paddingIdx: 1.5 }), "EmbeddingBag: paddingIdx 1.5 must be an integer in [-4, 3]"],
    [() => new nn.EmbeddingBag(-1, 2), "EmbeddingBag: numEmbeddings must be an integer >= 0, got -1"],
    [() => new nn.EmbeddingBag(4, -1), "EmbeddingBag: embeddingDim must be an integer >= 0, got -1"],
    [() => new nn.EmbeddingBag(4, 2, { foo: 1 } as never), "EmbeddingBag: unknown option 'foo'; it takes dtype, generator, mode, includeLastOffset, paddingIdx"],
    [() => new nn.Embedding(4, 2, { paddingIdx: 4 }), "Embedding: paddingIdx 4 must be an integer in [-4, 3]"],
    [() => new nn.Embedding(4, 2, { paddingIdx: -5 }), "Embedding: paddingIdx -5 must be an integer in [-4, 3]"],
    [() => new nn.Embedding(4, 2, { paddingIdx: 0.5 }), "Embedding: paddingIdx 0.5 must be an integer in [-4, 3]"],
    [() => new nn.Embedding(4, 2, { weight: zeros([4, 3]) }), "Embedding: weight [4,3] must be [4, 2]"],
    [() => new nn.Embedding(4, 2, { weight: zeros([4, 2, 1]) }), "Embedding: weight [4,2,1] must be [4, 2]"],
    [() => new nn.Embedding(4, 2, { weight: zeros([3, 2]) }), "Embedding: weight [3,2] must be [4, 2]"],
    [() => new nn.Embedding(-1, 2), "Embedding: numEmbeddings must be an integer >= 0, got -1"],
    [() => new nn.Embedding(4, 0.5), "Embedding: embeddingDim must be an integer >= 0, got 0.5"],
    [() => nn.Embedding.fromPretrained(zeros([4])), "Embedding.fromPretrained: weight must be 2-D [numEmbeddings, embeddingDim], got [4]"],
    [() => new nn.Dropout(1.5), "Dropout: p must be a probability in [0, 1], got 1.5"],
    [() => new nn.Dropout(-0.1), "Dropout: p must be a probability in [0, 1], got -0.1"],
    [() => new nn.Dropout(0.5, { foo: 1 } as never), "Dropout: unknown option 'foo'; it takes p, generator"],
    [() => new nn.Dropout2d(2), "Dropout2d: p must be a probability in [0, 1], got 2"],
    [() => new nn.Dropout2d(0.5, { foo: 1 } as never), "Dropout2d: unknown option 'foo'; it takes p, generator"],
    [() => new nn.Conv2d(-1, 2, 3), "Conv2d: inChannels must be an integer >= 0, got -1"],
    [() => new nn.Conv2d(2, -2, 3), "Conv2d: outChannels must be an integer >= 0, got -2"],
    [() => new nn.Conv2d(4, 4, 3, { groups: 0 }), "Conv2d: groups must be an integer >= 1, got 0"],
    [() => new nn.Conv2d(4, 6, 3, { groups: 4 }), "Conv2d: groups (4) must divide both inChannels (4) and outChannels (6)"],
    [() => new nn.Conv2d(6, 4, 3, { groups: 4 }), "Conv2d: groups (4) must divide both inChannels (6) and outChannels (4)"],
    [() => new nn.Conv2d(2, 2, "3" as never), "Conv2d: kernelSize must be an integer or 2 integers >= 1, got string \"3\""],
    [() => new nn.Conv2d(2, 2, [3, 0]), "Conv2d: kernelSize must be an integer or 2 integers >= 1, got [3,0]"],
    [() => new nn.Conv2d(2, 2, [3, 3, 3] as never), "Conv2d: kernelSize must be an integer or 2 integers >= 1, got [3,3,3]"],
    [() => new nn.Conv1d(2, 2, [3, 3] as never), "Conv1d: kernelSize must be an integer >= 1, got [3,3]"],
    [() => new nn.Conv2d(2, 2, 3, { stride: 0 }), "Conv2d: stride must be an integer or 2 integers >= 1, got 0"],
    [() => new nn.Conv2d(2, 2, 3, { padding: -1 }), "Conv2d: padding must be an integer or 2 integers >= 0, got -1"],
    [() => new nn.Conv2d(2, 2, 3, { padding: 0.5 }), "Conv2d: padding must be an integer or 2 integers >= 0, got 0.5"],
    [() => new nn.Conv2d(2, 2, 3, { dilation: 0 }), "Conv2d: dilation must be an integer or 2 integers >= 1, got 0"],
    [() => new nn.Conv2d(2, 2, 3, { padding: "same", stride: 2 }), "Conv2d: padding \"same\" needs stride 1, got stride (2, 2)"],
    [() => new nn.ConvTranspose2d(2, 2, 3, { padding: "same" as never }), "ConvTranspose2d: padding \"same\" is not supported for transposed convolution; give a number"],
    [() => new nn.ConvTranspose2d(2, 2, 3, { padding: "valid" as never }), "ConvTranspose2d: padding \"valid\" is not supported for transposed convolution; give a number"],
    [() => new nn.Conv2d(2, 2, 3, { paddingMode: "wrap" as never }), "Conv2d: paddingMode must be \"zeros\", \"reflect\", \"replicate\" or \"circular\", got string \"wrap\""],
    [() => new nn.ConvTranspose2d(2, 2, 3, { paddingMode: "reflect" as never }), "ConvTranspose2d: only paddingMode \"zeros\" is supported for transposed convolution, got \"reflect\""],
    [() => new nn.ConvTranspose2d(2, 2, 3, { outputPadding: -1 }), "ConvTranspose2d: outputPadding must be an integer or 2 integers >= 0, got -1"],
    [() => new nn.Conv2d(2, 2, 3).call(randn([2, 5, 5, 5, 1])), "Conv2d: expected input [N,C,H,W] or [C,H,W], got [2,5,5,5,1]"],
    [() => new nn.Conv2d(2, 2, 3).call(randn([1, 3, 5, 5])), "Conv2d: input [1,3,5,5] has 3 channels, but the layer was built with inChannels=2 (weight [2,2,3,3])"],
    [() => new nn.Conv1d(2, 2, 3).call(randn([5])), "Conv1d: expected input [N,C,L] or [C,L], got [5]"],
    [() => new nn.ConvTranspose1d(2, 2, 3).call(randn([5])), "ConvTranspose1d: expected input [N,C,L] or [C,L], got [5]"],
    [() => new nn.ConvTranspose2d(2, 2, 3).call(randn([2, 5])), "ConvTranspose2d: expected input [N,C,H,W] or [C,H,W], got [2,5]"],
    [() => new nn.Conv1d(2, 2, 3).call(randn([1, 3, 5])), "Conv1d: input [1,3,5] has 3 channels, but the layer was built with inChannels=2 (weight [2,2,3])"],
    [() => new nn.Conv2d(2, 2, 3).call(randn([3, 5, 5])), "Conv2d: input [3,5,5] has 3 channels, but the layer was built with inChannels=2 (weight [2,2,3,3])"],
  ];
  for (const [make, msg] of bad) throwsFrom(make, esc(msg) + "$");
  // The bounds themselves are accepted.
  assert.equal(new nn.Dropout(0).p, 0);
  assert.equal(new nn.Dropout2d(1).p, 1);
  assert.equal(new nn.Embedding(4, 2, { paddingIdx: -4 }).paddingIdx, 0);
  assert.equal(new nn.Embedding(4, 2, { paddingIdx: 3 }).paddingIdx, 3);
  assert.equal(new nn.EmbeddingBag(4, 2, { paddingIdx: -1 }).paddingIdx, 3);
  assert.equal(new nn.EmbeddingBag(4, 2, { paddingIdx: -4 }).paddingIdx, 0);
  assert.equal(new nn.EmbeddingBag(4, 2, { paddingIdx: 3 }).paddingIdx, 3);
  assert.deepEqual(new nn.Conv2d(2, 2, 3, { padding: 0 }).padding, [0, 0]);
  assert.deepEqual(new nn.ConvTranspose2d(2, 2, 3, { outputPadding: 0 }).outputPadding, [0, 0]);
  assert.equal(new nn.Conv2d(2, 2, 3, { padding: "same" }).padding, "same");
  assert.equal(new nn.Conv2d(2, 2, 3, { padding: "valid", stride: 2 }).padding, "valid");
});
