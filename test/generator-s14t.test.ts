/**
 * Every function and constructor that takes a `generator` checks it with the samplers' one check
 * (generatorOf in src/tensor/creation.ts) and names itself; randperm follows PyTorch 1.13's dtype rules.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, bernoulli, data, nn, ones, randperm, zeros, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const bad = (fn: string, got = "number 5"): string => `${fn}: generator must be a Generator (new Generator(seed)), got ${got}`;
const five = { generator: 5 as unknown as Generator };

test("randperm: a permutation drawn from the given generator, checked like the other samplers'", () => {
  const p = randperm(17, { generator: new Generator(3) });
  assert.deepEqual([...p.numbers()].sort((a, b) => a - b), Array.from({ length: 17 }, (_, i) => i));
  assert.deepEqual(p.tolist(), randperm(17, { generator: new Generator(3) }).tolist(), "same seed, same permutation");
  assert.notDeepEqual(p.tolist(), randperm(17, { generator: new Generator(4) }).tolist());
  assert.equal(p.dtype, "int64");
  throwsWith(() => randperm(3, five), bad("randperm"));
  throwsWith(() => randperm(3, { generator: null as never }), bad("randperm", "null"));
  throwsWith(() => randperm(3, { generator: { seed: 1 } as never }), /^randperm: generator must be a Generator \(new Generator\(seed\)\), got/);
  throwsWith(() => randperm("3" as never), 'randperm: n must be a non-negative integer, got string "3"');
});

test("randperm: PyTorch 1.13's dtype rules (bool refused, n - 1 must fit, requiresGrad only on floating dtypes)", () => {
  // torch.randperm(256, dtype=torch.uint8) works, 257 overflows; int8 holds 128; bool is "not implemented".
  assert.deepEqual(randperm(256, { dtype: "uint8" }).shape, [256]);
  assert.equal(Math.max(...randperm(128, { dtype: "int8" }).numbers()), 127);
  throwsWith(() => randperm(257, { dtype: "uint8" }), 'randperm: value 256 cannot be converted to uint8 without overflow (uint8 holds 0..255); use a wider dtype such as "int32" or "float64"');
  throwsWith(() => randperm(129, { dtype: "int8" }), /^randperm: value 128 cannot be converted to int8 without overflow/);
  throwsWith(() => randperm(3, { dtype: "bool" }), 'randperm: dtype bool is not supported (as in PyTorch); use an integer or floating dtype such as "int64"');
  assert.deepEqual(randperm(0, { dtype: "uint8" }).tolist(), []);
  const f = randperm(5, { dtype: "float32", requiresGrad: true });
  assert.deepEqual([f.dtype, f.requiresGrad], ["float32", true]);
  throwsWith(() => randperm(3, { requiresGrad: true }), /^randperm: requiresGrad: only floating point tensors can require gradients, this one is int64/);
  throwsWith(() => randperm(3, { dtype: "float" as never }), /^randperm: dtype must be one of/);
});

test("bernoulli, the dropouts, samplers, randomSplit, DataLoader, transforms and Embedding name a bad generator", () => {
  const F = nn.functional;
  const ds = new data.TensorDataset(ones([4, 2]));
  const cases: [string, () => unknown][] = [
    ["bernoulli", () => bernoulli(ones([2]).mul(0.5), five)],
    ["bernoulli", () => bernoulli(ones([2]), 0.5, five)],
    ["dropout", () => F.dropout(ones([3]), 0.5, true, five)],
    ["dropout2d", () => F.dropout2d(ones([1, 1, 3, 3]), 0.5, true, five)],
    ["alphaDropout", () => F.alphaDropout(ones([3]), 0.5, true, five)],
    ["rrelu", () => F.rrelu(ones([3]), 0.1, 0.3, true, five)],
    ["gumbelSoftmax", () => F.gumbelSoftmax(ones([3]), five)],
    ["uniform_", () => zeros([3]).uniform_(0, 1, five)],
    ["exponential_", () => zeros([3]).exponential_(1, five)],
    ["RandomSampler", () => new data.RandomSampler(ds, five)],
    ["SubsetRandomSampler", () => new data.SubsetRandomSampler([0, 1], five)],
    ["WeightedRandomSampler", () => new data.WeightedRandomSampler([1, 2], 2, five)],
    ["randomSplit", () => data.randomSplit(ds, [2, 2], five)],
    ["DataLoader", () => new data.DataLoader(ds, { shuffle: true, ...five })],
    ["DataLoader", () => new data.DataLoader(ds, { shuffle: false, ...five })],
    ["RandomHorizontalFlip", () => new data.RandomHorizontalFlip(five)],
    ["RandomVerticalFlip", () => new data.RandomVerticalFlip(five)],
    ["RandomCrop", () => new data.RandomCrop(2, five)],
    ["RandomResizedCrop", () => new data.RandomResizedCrop(2, five)],
    ["RandomRotation", () => new data.RandomRotation(10, five)],
    ["ColorJitter", () => new data.ColorJitter(five)],
    ["GaussianNoise", () => new data.GaussianNoise(five)],
    ["Embedding", () => new nn.Embedding(3, 2, five)],
  ];
  for (const [fn, call] of cases) throwsWith(call, bad(fn));
  // A good generator still drives them: two samplers seeded alike give the same order.
  const order = (g: Generator): number[] => [...new data.RandomSampler(ds, { generator: g })];
  assert.deepEqual(order(new Generator(1)), order(new Generator(1)));
  const t: Tensor = new nn.Embedding(3, 2, { generator: new Generator(2) }).weight;
  assert.deepEqual(t.tolist(), new nn.Embedding(3, 2, { generator: new Generator(2) }).weight.tolist());
});
