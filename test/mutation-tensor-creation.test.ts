// src/tensor/creation.ts checked directly: tensor()'s data forms and dtype inference, the filled
// and range constructors' values (PyTorch 1.13's, noted per case), and every refusal with its
// message. Written for the survivors of `npm run mutate -- src/tensor` (docs/mutation/history.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, arange, bernoulli, eye, full, fullLike, linspace, ones, onesLike, rand, randint, randn, randperm, tensor, zeros, zerosLike } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("tensor(): dtype inference from numbers, booleans and bigints, and from typed arrays", () => {
  assert.equal(tensor([]).dtype, "float32");
  assert.equal(tensor([true, false]).dtype, "bool");
  assert.equal(tensor([1n, 2n]).dtype, "int64");
  assert.equal(tensor([1n, true]).dtype, "int64"); // bigints and booleans: int64, as Python ints and bools
  assert.equal(tensor([1n, 2]).dtype, "float32"); // a number among them: float32
  assert.equal(tensor([true, 2]).dtype, "float32");
  assert.equal(tensor(5n).dtype, "int64");
  assert.deepEqual(tensor(5n).shape, []);
  assert.equal(tensor(new Float64Array([1])).dtype, "float64");
  assert.equal(tensor(new Int16Array([1])).dtype, "int16");
  assert.equal(tensor(new Int8Array([1])).dtype, "int8");
  assert.equal(tensor(new Int32Array([1])).dtype, "int32");
  assert.equal(tensor(new BigInt64Array([1n])).dtype, "int64");
  assert.equal(tensor(new Uint8Array([1])).dtype, "bool");
  throwsWith(() => tensor(new Uint16Array([1])), 'tensor: a Uint16Array holds float16 or bfloat16 bit patterns; say which with { dtype: "float16" } or { dtype: "bfloat16" }');
});

test("tensor(): typed arrays are copied, converted per element to another dtype, or taken as half bit patterns", () => {
  const src = new Float32Array([1.5, -2.5]);
  const t = tensor(src);
  src[0] = 9;
  assert.deepEqual(t.tolist(), [1.5, -2.5], "a copy, not a view of the caller's array");
  assert.deepEqual(tensor(new Float32Array([1.7, -1.7]), { dtype: "int32" }).tolist(), [1, -1]);
  assert.deepEqual(tensor(new BigInt64Array([3n, -4n]), { dtype: "float64" }).tolist(), [3, -4]);
  assert.deepEqual(tensor(new BigInt64Array([3n, 2n ** 60n])).tolist(), [3, 2n ** 60n]);
  assert.deepEqual(tensor(new Int32Array([5, -6]), { dtype: "int64" }).tolist(), [5, -6]);
  assert.deepEqual(tensor(new Uint8Array([0, 2]), { dtype: "uint8" }).tolist(), [0, 2]);
  // A Uint8Array given as bool (its default dtype) holds 0 or 1 after conversion, as
  // torch.tensor(np.array([0, 2, 255], dtype=np.uint8), dtype=torch.bool): sum 2, int() [0, 1, 1].
  // Before session 9 the bytes were copied as they were (sum 257, int() [0, 2, 255]); found by the
  // survivor creation.ts:96 (the same-type copy -> false).
  const b = tensor(new Uint8Array([0, 2, 255]));
  assert.equal(b.dtype, "bool");
  assert.deepEqual([...b.data()], [0, 1, 1]);
  assert.equal(b.sum().item(), 2);
  assert.deepEqual(b.int().tolist(), [0, 1, 1]);
  assert.deepEqual(tensor(new Uint8Array([3]), { dtype: "bool" }).long().tolist(), [1]);
  const bits = new Uint16Array([0x3c00, 0xc000]);
  const h = tensor(bits, { dtype: "float16" });
  bits[0] = 0;
  assert.deepEqual(h.tolist(), [1, -2], "half bit patterns are copied too");
  assert.deepEqual(tensor(new Uint16Array([0x3f80]), { dtype: "bfloat16" }).tolist(), [1]);
  assert.deepEqual(tensor(new Float32Array([1, -2]), { dtype: "float16" }).tolist(), [1, -2]);
  throwsWith(() => tensor(new Float32Array([300]), { dtype: "int8" }), /^tensor: value 300 cannot be converted to int8 without overflow/);
  assert.equal(tensor(new Float32Array(2), { requiresGrad: true }).requiresGrad, true);
  assert.equal(tensor(new Uint16Array(1), { dtype: "float16", requiresGrad: true }).requiresGrad, true);
});

test("tensor(): nested arrays, shapes, bigints into other dtypes, and the ragged-array messages", () => {
  assert.deepEqual(tensor([[]]).shape, [1, 0]);
  assert.deepEqual(tensor([[[1], [2]]]).shape, [1, 2, 1]);
  assert.deepEqual(tensor([1n, 2n], { dtype: "int32" }).tolist(), [1, 2]);
  // Bigints into a floating dtype round, as PyTorch 1.13's torch.tensor([2**60], dtype=...) (float16
  // overflows to inf); this threw a raw "-Infinity cannot be converted to a BigInt" before session 9.
  assert.deepEqual(tensor([2n ** 60n], { dtype: "float64" }).tolist(), [2 ** 60]);
  assert.deepEqual(tensor([2n ** 60n, 3n], { dtype: "float16" }).tolist(), [Infinity, 3]);
  assert.deepEqual(tensor([-(2n ** 70n)], { dtype: "bfloat16" }).tolist(), [-(2 ** 70)]);
  assert.deepEqual(tensor([2n ** 70n, 0n], { dtype: "bool" }).tolist(), [true, false]);
  assert.deepEqual(tensor([3n, 2.5]).tolist(), [3, 2.5]);
  assert.deepEqual(tensor([1, 2], { dtype: "int64" }).dataBigInt(), new BigInt64Array([1n, 2n]));
  assert.deepEqual(tensor([[1, 2]], { requiresGrad: true }).requiresGrad, true);
  assert.equal(tensor([1]).requiresGrad, false);
  throwsWith(() => tensor([300n], { dtype: "uint8" }), /^tensor: value 300 cannot be converted to uint8 without overflow \(uint8 holds -255\.\.255\)/);
  throwsWith(() => tensor([[1, 2], [3]]), "tensor: ragged nested array: element [1] has length 1, expected 2 (shape [2,2])");
  throwsWith(() => tensor([[1, 2], 3] as never), "tensor: ragged nested array: element [1] has length (scalar), expected 2 (shape [2,2])");
  throwsWith(() => tensor([1, [2]] as never), "tensor: ragged nested array: element [1] has more dimensions than element [0...] (expected shape [2])");
  throwsWith(() => tensor([[1, 2], [3, [4]]] as never), "tensor: ragged nested array: element [1][1] has more dimensions than element [0...] (expected shape [2,2])");
  throwsWith(() => tensor([1, "2"] as never), "tensor: element [1] is string, expected a number, bigint or boolean");
  throwsWith(() => tensor([[null]] as never), "tensor: element [0][0] is object, expected a number, bigint or boolean");
  for (const bad of [undefined, null, "12", { a: 1 }]) {
    throwsWith(() => tensor(bad as never), /^tensor: data must be a number, a boolean, a \(nested\) array of them or a typed array, got /);
  }
  throwsWith(() => tensor({ length: 1 } as never), "tensor: data must be a number, a boolean, a (nested) array of them or a typed array, got an object");
});

test("creation options: an object with a known dtype and a boolean requiresGrad", () => {
  throwsWith(() => zeros([1], null as never), "zeros: options must be an object like { dtype: \"float32\" }, got null");
  throwsWith(() => tensor([1], null as never), 'tensor: options must be an object like { dtype: "float32" }, got null');
  throwsWith(() => tensor([1], { dtype: "long" } as never), /^tensor: dtype must be one of .*; PyTorch's long is "int64"$/);
  throwsWith(() => linspace(0, 1, 2, 5 as never), 'linspace: options must be an object like { dtype: "float32" }, got number 5');
  throwsWith(() => rand([1], [] as never), 'rand: options must be an object like { dtype: "float32" }, got an array of length 0');
  throwsWith(() => ones([1], "float64" as never), 'ones: options must be an object like { dtype: "float32" }, got string "float64"');
  throwsWith(() => full([1], 1, [] as never), 'full: options must be an object like { dtype: "float32" }, got an array of length 0');
  throwsWith(() => zeros([1], { requiresGrad: 1 } as never), "zeros: requiresGrad must be a boolean, got number 1");
  throwsWith(() => zeros([1], { dtype: "half" } as never), /^zeros: dtype must be one of .*; PyTorch's torch\.half is "float16"$/);
  assert.equal(zeros([1], { requiresGrad: false }).requiresGrad, false);
  assert.equal(zeros([1], { requiresGrad: true }).requiresGrad, true);
  throwsWith(() => full([1], "1" as never), 'full: the fill value must be a number or boolean, got string "1"');
  throwsWith(() => full([1], 1e10, { dtype: "int32" }), /^full: value 10000000000 cannot be converted to int32 without overflow/);
});

test("full, zeros, ones and the *Like forms: values, dtypes from the value or the tensor, shapes", () => {
  assert.equal(full([2], true).dtype, "bool");
  assert.deepEqual(full([2], true).tolist(), [true, true]);
  assert.deepEqual(full([2], false).tolist(), [false, false]);
  assert.deepEqual(full(2, -3).tolist(), [-3, -3]);
  assert.deepEqual(full([2], 7, { dtype: "int64" }).dataBigInt(), new BigInt64Array([7n, 7n]));
  assert.deepEqual(full([1], 1.5, { dtype: "float16" }).bits(), new Uint16Array([0x3e00]));
  assert.deepEqual(full([2], -0.5, { dtype: "bfloat16" }).tolist(), [-0.5, -0.5]);
  assert.deepEqual(ones([2], { dtype: "bool" }).tolist(), [true, true]);
  // torch.full((2,), -0.0) is tensor([-0., -0.]) in every floating dtype; before session 9 deeptype
  // skipped the fill for any value equal to 0 and gave +0 in float32/float64.
  for (const dtype of ["float32", "float64", "float16", "bfloat16"] as const) {
    const z = full([2], -0, { dtype }).tolist() as number[];
    assert.ok(z.every((v) => Object.is(v, -0)), `${dtype}: ${z}`);
  }
  assert.equal(full([2], -0).toString(), "tensor([-0., -0.])");
  assert.ok(Object.is(fullLike(tensor([1, 2]), -0).tolist()[1 as never], -0));
  assert.ok(Object.is(zeros([1]).item(), 0), "zeros are +0");
  assert.deepEqual(zeros([]).shape, []);
  assert.equal(zeros([]).item(), 0);
  const x = tensor([[1, 2]], { dtype: "int32" });
  assert.equal(zerosLike(x).dtype, "int32");
  assert.deepEqual(zerosLike(x).tolist(), [[0, 0]]);
  assert.deepEqual(onesLike(x).tolist(), [[1, 1]]);
  assert.equal(onesLike(x, { dtype: "float64" }).dtype, "float64");
  assert.deepEqual(fullLike(x, 4).tolist(), [[4, 4]]);
  assert.equal(fullLike(x, 4, { dtype: "float32" }).dtype, "float32");
  assert.equal(zerosLike(tensor([1]), { requiresGrad: true }).requiresGrad, true);
  throwsWith(() => zeros([-1]), "zeros: invalid shape [-1]: sizes must be non-negative integers");
  throwsWith(() => ones(2.5), "ones: invalid shape [2.5]: sizes must be non-negative integers");
});

test("arange: PyTorch 1.13's lengths and dtypes, the options after any number, and the refusals", () => {
  assert.deepEqual((arange(0, 1, 0.3).tolist() as number[]).map((v) => Math.round(v * 10) / 10), [0, 0.3, 0.6, 0.9]);
  assert.equal(arange(0, 1, 0.3).dtype, "float32");
  assert.equal(arange(0.5).dtype, "float32");
  assert.deepEqual(arange(0.5).tolist(), [0]);
  assert.equal(arange(3).dtype, "int64");
  // PyTorch 1.13 refuses torch.arange(-3) too ("upper bound and larger bound inconsistent with step sign").
  throwsWith(() => arange(-3), "arange: the step 1 goes away from the end (start 0, end -3); use a negative step or swap start and end");
  assert.deepEqual(arange(3, { dtype: "float64" }).tolist(), [0, 1, 2]);
  assert.equal(arange(3, { dtype: "float64" }).dtype, "float64");
  assert.deepEqual(arange(1, 4, { dtype: "int32" }).tolist(), [1, 2, 3]);
  assert.equal(arange(1, 4, { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(arange(1, 7, 2, { dtype: "float16" }).tolist(), [1, 3, 5]);
  assert.equal(arange(1, 7, 2, { requiresGrad: true, dtype: "float32" }).requiresGrad, true);
  assert.deepEqual(arange(0, 3, 1, { dtype: "int64" }).dataBigInt(), new BigInt64Array([0n, 1n, 2n]));
  assert.deepEqual(arange(-2.5, 0).tolist(), [-2.5, -1.5, -0.5]);
  assert.deepEqual(arange(3, 3).tolist(), [], "start == end: empty (torch.arange(3, 3)), for either sign of step");
  assert.deepEqual(arange(3, 3, -1).tolist(), []);
  assert.deepEqual(arange(2, -1, -1).tolist(), [2, 1, 0]);
  throwsWith(() => arange(0, 5, 0), "arange: step must be a non-zero finite number, got 0");
  throwsWith(() => arange(0, 5, Infinity), "arange: step must be a non-zero finite number, got Infinity");
  throwsWith(() => arange(0, 5, -1), "arange: the step -1 goes away from the end (start 0, end 5); use a positive step or swap start and end");
  throwsWith(() => arange(5, 0, 1), "arange: the step 1 goes away from the end (start 5, end 0); use a negative step or swap start and end");
  throwsWith(() => arange(NaN), "arange: start must be a number, got number NaN");
  throwsWith(() => arange(0, "5" as never), 'arange: end must be a number, got string "5"');
  throwsWith(() => arange(0, 5, NaN), "arange: step must be a number, got number NaN");
  throwsWith(() => arange(0, 5, 1, { dtype: "long" } as never), /^arange: dtype must be one of .*; PyTorch's long is "int64"$/);
});

test("linspace: exact end points, both halves filled from their own end, and the refusals", () => {
  // PyTorch 1.13: torch.linspace(0, 1, 7) ends exactly at 1; the first half steps up from 0, the
  // second steps down from 1 (float64 to see the values unrounded).
  const v = linspace(0, 1, 7, { dtype: "float64" }).tolist() as number[];
  const h = 1 / 6;
  assert.deepEqual(v, [0, h, 2 * h, 1 - 3 * h, 1 - 2 * h, 1 - h, 1]);
  // An even count: element steps/2 is the first of the upper half (torch.linspace(0, 1, 6, dtype=
  // torch.float64)[3] is 0.6 = 1 - 2h, where 3h would be 0.6000000000000001).
  assert.deepEqual(linspace(0, 1, 6, { dtype: "float64" }).tolist(), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(linspace(-1, 1, 5).tolist(), [-1, -0.5, 0, 0.5, 1]);
  assert.deepEqual(linspace(2, 2, 3).tolist(), [2, 2, 2]);
  assert.deepEqual(linspace(0, 10, 6, { dtype: "int64" }).tolist(), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(linspace(0, 1, 3, { dtype: "bfloat16" }).tolist(), [0, 0.5, 1]);
  assert.equal(linspace(0, 1, 2, { requiresGrad: true }).requiresGrad, true);
  throwsWith(() => linspace(0, 1, -1), "linspace: steps must be a non-negative integer, got -1");
  throwsWith(() => linspace(0, 1, 2.5), "linspace: steps must be a non-negative integer, got 2.5");
});

test("eye: n x m with ones on the diagonal, in the requested dtype", () => {
  assert.deepEqual(eye(3, 2).tolist(), [[1, 0], [0, 1], [0, 0]]);
  assert.deepEqual(eye(0).shape, [0, 0]);
  assert.deepEqual(eye(2, 0).shape, [2, 0]);
  assert.deepEqual(eye(2, { dtype: "int64" }).dataBigInt(), new BigInt64Array([1n, 0n, 0n, 1n]));
  assert.deepEqual(eye(2, 2, { dtype: "bool" }).tolist(), [[true, false], [false, true]]);
  assert.deepEqual(eye(1, 1, { dtype: "float16" }).bits(), new Uint16Array([0x3c00]));
  throwsWith(() => eye(-1), "eye: n must be an integer >= 0, got number -1");
  throwsWith(() => eye(2, 1.5), "eye: m must be an integer >= 0, got number 1.5");
});

test("random creation: generators, dtypes, shapes and the refusals", () => {
  const a = rand([3], { generator: new Generator(5) }).tolist();
  const b = rand(3, { generator: new Generator(5) }).tolist();
  assert.deepEqual(a, b);
  const g = new Generator(5);
  assert.deepEqual(a, [g.random(), g.random(), g.random()].map((x) => Math.fround(x)));
  const g2 = new Generator(9);
  assert.deepEqual(randn([2], { generator: new Generator(9), dtype: "float64" }).tolist(), [g2.normal(), g2.normal()]);
  const g3 = new Generator(1);
  assert.deepEqual(randint(-3, 4, [4], { generator: new Generator(1) }).tolist(), [0, 0, 0, 0].map(() => g3.randint(-3, 4)));
  assert.equal(randint(0, 2, [1]).dtype, "int64");
  assert.equal(randint(0, 2, [1], { dtype: "int32" }).dtype, "int32");
  assert.equal(randint(0, 2, [1], { dtype: "float64" }).dtype, "float64");
  assert.equal(rand([2], { dtype: "float16" }).dtype, "float16");
  assert.equal(rand([2], { requiresGrad: true }).requiresGrad, true);
  assert.deepEqual(rand([2, 0]).shape, [2, 0]);
  throwsWith(() => rand([2], { dtype: "int32" }), "rand: dtype must be floating (float32 or float64), got int32; use randint for integers");
  throwsWith(() => randn([2], { dtype: "bool" }), "randn: dtype must be floating (float32 or float64), got bool; use randint for integers");
  throwsWith(() => rand([2], { generator: {} as never }), "rand: generator must be a Generator (new Generator(seed)), got an object");
  throwsWith(() => rand([2], { generator: 3 as never }), "rand: generator must be a Generator (new Generator(seed)), got number 3");
  throwsWith(() => randint(3, 3, [1]), "randint: high (3) must be greater than low (3)");
  throwsWith(() => randint(0, NaN, [1]), "randint: high (NaN) must be greater than low (0)");
});

test("randperm: Fisher-Yates over the generator's draws; bernoulli: p per element", () => {
  // Fisher-Yates written out from its definition, on the same stream, for several seeds (the last
  // swap, of positions 0 and 1, happens on about half of them).
  for (let seed = 0; seed < 8; seed++) {
    const g = new Generator(seed);
    const want = [0, 1, 2, 3, 4, 5];
    for (let i = want.length - 1; i > 0; i--) {
      const j = g.randint(0, i + 1);
      [want[i], want[j]] = [want[j], want[i]];
    }
    const p = randperm(6, { generator: new Generator(seed) });
    assert.equal(p.dtype, "int64");
    assert.deepEqual(p.tolist(), want, `seed ${seed}`);
  }
  assert.equal(randperm(3, { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(randperm(0).tolist(), []);
  assert.deepEqual(randperm(1).tolist(), [0]);
  throwsWith(() => randperm(-1), "randperm: n must be a non-negative integer, got -1");
  throwsWith(() => randperm(1.5), "randperm: n must be a non-negative integer, got 1.5");
  const probs = tensor([0, 1, 0.5, 0.5, 0.5, 0.5], { dtype: "float64" });
  const gb = new Generator(11);
  const expected = [0, 1, 0.5, 0.5, 0.5, 0.5].map((q) => (gb.random() < q ? 1 : 0));
  const out = bernoulli(probs, { generator: new Generator(11) });
  assert.equal(out.dtype, "float64");
  assert.deepEqual(out.tolist(), expected);
  assert.deepEqual(bernoulli(tensor([[1, 0]], { dtype: "float16" })).tolist(), [[1, 0]]);
  throwsWith(() => bernoulli(tensor([1], { dtype: "int32" })), "bernoulli: probabilities must be a floating tensor, got int32");
  throwsWith(() => bernoulli(tensor([0.5, 1.5])), "bernoulli: probability 1.5 at index 1 is outside [0, 1]");
  throwsWith(() => bernoulli(tensor([-0.5])), "bernoulli: probability -0.5 at index 0 is outside [0, 1]");
  throwsWith(() => bernoulli(tensor([NaN])), "bernoulli: probability NaN at index 0 is outside [0, 1]");
});
