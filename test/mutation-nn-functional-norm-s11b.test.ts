// What session 11's run 3 left in src/nn/functional/normalization.ts and is not equivalent
// (docs/mutation/session-11-nn.md lists both): the argument names in the number and Tensor checks
// (through F, and through the layers, which call the functions without the entry layer), two 0-d
// inputs with keepdim, and localResponseNorm keeping a 16-bit input's dtype.
// PyTorch 1.13: F.local_response_norm(torch.tensor([[[1.,2],[3,4],[5,6]]]).bfloat16(), 3) -> [1., 2., 3., 4., 5., 6.] bfloat16
// (float16: "avg_pool2d" not implemented for 'Half' on the CPU; here it keeps float16 too).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;
const t = tensor([[1, 2], [3, 4]]);

test("localResponseNorm keeps a 16-bit input's dtype (bfloat16 against PyTorch)", () => {
  const b = F.localResponseNorm(tensor([[[1, 2], [3, 4], [5, 6]]], { dtype: "bfloat16" }), 3);
  assert.equal(b.dtype, "bfloat16");
  assert.deepEqual(Array.from(b.numbers()), [1, 2, 3, 4, 5, 6]);
  assert.equal(F.localResponseNorm(tensor([[[1, 2], [3, 4], [5, 6]]], { dtype: "float16" }), 3).dtype, "float16");
  assert.equal(F.localResponseNorm(tensor([[[1, 2], [3, 4], [5, 6]]], { dtype: "float16" }), 2).dtype, "float16");
});

test("pairwiseDistance of two 0-d inputs is 0-d with keepdim too (PyTorch 1.13)", () => {
  const d = F.pairwiseDistance(tensor(1, { dtype: "float64" }), tensor(3, { dtype: "float64" }), { keepdim: true });
  assert.deepEqual(d.shape, []);
  assert.ok(Math.abs(d.item() - 1.999999) < 1e-12);
});

test("normalization checks name the argument: each message exact", () => {
  const cases: [() => unknown, string, ErrorConstructor?][] = [
    [() => F.normalize(t, "2" as never), "normalize: p must be a number, got string \"2\""],
    [() => F.normalize(t, 2, 1, "x" as never), "normalize: eps must be a number, got string \"x\""],
    [() => F.cosineSimilarity(t, t, 1, "x" as never), "cosineSimilarity: eps must be a number, got string \"x\""],
    [() => new nn.CosineSimilarity().forward(3 as never, t), "cosineSimilarity: x1 must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.CosineSimilarity().forward(t, 3 as never), "cosineSimilarity: x2 must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.CosineSimilarity({ eps: "x" } as never).forward(t, t), "cosineSimilarity: eps must be a number, got string \"x\""],
    [() => new nn.PairwiseDistance().forward(3 as never, t), "pairwiseDistance: x1 must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.PairwiseDistance().forward(t, 3 as never), "pairwiseDistance: x2 must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.pairwiseDistance(t, t, { p: "x" as never }), "pairwiseDistance: p must be a number, got string \"x\""],
    [() => F.pairwiseDistance(t, t, { eps: "x" as never }), "pairwiseDistance: eps must be a number, got string \"x\""],
    [() => new nn.LocalResponseNorm(2).forward(3 as never), "localResponseNorm: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.localResponseNorm(t.reshape([1, 2, 2]), 2, "a" as never), "localResponseNorm: alpha must be a number, got string \"a\""],
    [() => F.localResponseNorm(t.reshape([1, 2, 2]), 2, 1, "b" as never), "localResponseNorm: beta must be a number, got string \"b\""],
    [() => F.localResponseNorm(t.reshape([1, 2, 2]), 2, 1, 1, "k" as never), "localResponseNorm: k must be a number, got string \"k\""],
    [() => new nn.LocalResponseNorm(2, { alpha: "a" } as never).forward(t.reshape([1, 2, 2])), "localResponseNorm: alpha must be a number, got string \"a\""],
  ];
  for (const [fn, msg, type] of cases) throwsWith(fn, msg, type ?? Error);
});
