/**
 * torch.bernoulli(input, p) / x.bernoulli(p?, { generator }) and x.random_(from?, to?): draws are
 * deeptype's own generator's (not PyTorch's stream), so the tests check PyTorch's ranges, dtypes and
 * errors (torch 1.13 in the comments), exact identities (p = 0 / 1, seeds) and seeded statistics.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bernoulli, full, zeros, ones, tensor, Generator, type DType, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const nums = (t: Tensor): number[] => Array.from(t.contiguous().numbers());

test("bernoulli(x, p) and x.bernoulli(p): x's shape and dtype, p = 0 / 1 exact, seeded, frequency p", () => {
  // torch.zeros(3, dtype=torch.int64).bernoulli(0.5) -> int64; torch.bernoulli(torch.zeros(2, 3), 1.0) -> all ones
  for (const dtype of ["float32", "float64", "float16", "bfloat16", "int64", "int32", "uint8", "bool"] as DType[]) {
    for (const shape of [[1], [3, 7], [17, 65]]) {
      const x = zeros(shape, { dtype });
      const one = x.bernoulli(1), none = bernoulli(x, 0);
      assert.deepEqual([one.shape, one.dtype, none.shape, none.dtype], [shape, dtype, shape, dtype]);
      assert.ok(nums(one).every((v) => v === 1), `${dtype} p=1`);
      assert.ok(nums(none).every((v) => v === 0), `${dtype} p=0`);
    }
  }
  // the same seed gives the same draws through every form
  const x = zeros([17, 65]);
  const a = x.bernoulli(0.3, { generator: new Generator(5) });
  assert.deepEqual(nums(x.bernoulli({ p: 0.3, generator: new Generator(5) })), nums(a));
  assert.deepEqual(nums(bernoulli(x, 0.3, { generator: new Generator(5) })), nums(a));
  assert.deepEqual(nums(bernoulli(x, { p: 0.3, generator: new Generator(5) })), nums(a));
  // 20000 draws: the frequency of ones is within 5 standard deviations of p
  const n = 20000, p = 0.3;
  const mean = nums(zeros([n]).bernoulli(p, { generator: new Generator(7) })).reduce((s, v) => s + v, 0) / n;
  assert.ok(Math.abs(mean - p) < 5 * Math.sqrt((p * (1 - p)) / n), `mean ${mean}`);
});

test("probs.bernoulli(): torch.bernoulli(probs) as a method, probabilities per element", () => {
  const probs = full([3, 7], 0.5, { dtype: "float64" });
  assert.deepEqual(nums(probs.bernoulli({ generator: new Generator(9) })), nums(bernoulli(probs, { generator: new Generator(9) })));
  const r = probs.bernoulli();
  assert.deepEqual([r.shape, r.dtype], [[3, 7], "float64"]);
  // a view's values are the probabilities, in its own order
  assert.deepEqual(nums(tensor([[0, 1], [0, 1]]).t().bernoulli()), [0, 0, 1, 1]);
  assert.deepEqual(nums(full([2, 3], 1).bernoulli()), [1, 1, 1, 1, 1, 1]);
  // torch: bernoulli(p) with p requiring grad requires grad, and p's gradient is zero;
  // x.bernoulli(0.5) on an x that requires grad does not (its values are not read)
  const pg = full([3], 0.5, { requiresGrad: true });
  const z = bernoulli(pg);
  assert.equal(z.requiresGrad, true);
  z.mul(2).sum().backward();
  assert.deepEqual(nums(pg.grad!), [0, 0, 0]);
  assert.equal(pg.bernoulli().requiresGrad, true);
  assert.equal(zeros([3], { requiresGrad: true }).bernoulli(0.5).requiresGrad, false);
});

test("bernoulli: clear errors naming the function", () => {
  // torch: "bernoulli_ expects p to be in [0, 1], but got p=1.5"
  throwsWith(() => zeros([3]).bernoulli(1.5), "bernoulli: p must be a number in [0, 1], got number 1.5");
  throwsWith(() => bernoulli(zeros([3]), -0.1), "bernoulli: p must be a number in [0, 1], got number -0.1");
  // torch: "bernoulli() received an invalid combination of arguments - got (Tensor)"
  throwsWith(() => zeros([3]).bernoulli(ones([3]) as unknown as number), "bernoulli: p must be a number in [0, 1], got a Tensor of shape [3] (float32) (for per-element probabilities call bernoulli(probs) on a tensor of them)");
  // torch: "bernoulli_tensor_cpu_p_" not implemented for 'Long'
  throwsWith(() => zeros([3], { dtype: "int64" }).bernoulli(), "bernoulli: probabilities must be a floating tensor, got int64");
  // dtype was silently ignored before; torch.bernoulli has no dtype keyword
  throwsWith(() => bernoulli(full([2], 0.5), { dtype: "float64" } as object), "bernoulli: unknown option 'dtype'; it takes p, generator");
  throwsWith(() => zeros([3]).bernoulli({ q: 1 } as object), "x.bernoulli: unknown option 'q'; did you mean 'p'? (it takes p, generator)");
});

test("x.random_(): PyTorch's default ranges per dtype, integral values, seeded", () => {
  // torch: float32 random_() draws integers in [0, 2^24], float64 [0, 2^53], float16 [0, 2^11], bfloat16 [0, 2^8],
  // uint8 [0, 255], int8 [0, 127], int32 [0, 2^31 - 1], bool {False, True}
  const tops: [DType, number][] = [["float32", 2 ** 24], ["float64", 2 ** 53], ["float16", 2 ** 11], ["bfloat16", 2 ** 8], ["uint8", 255], ["int8", 127], ["int16", 32767], ["int32", 2 ** 31 - 1], ["bool", 1]];
  for (const [dtype, top] of tops) {
    const v = nums(zeros([17, 65], { dtype }).random_({ generator: new Generator(3) }));
    assert.ok(v.every((e) => Number.isInteger(e) && e >= 0 && e <= top), `${dtype} in [0, ${top}]`);
    // 1105 draws reach the top half of the range (each with probability 1/2)
    assert.ok(v.some((e) => e >= top / 2), `${dtype} reaches the upper half`);
  }
  // int64: [0, 2^63 - 1], drawn with 64-bit integers
  const big = zeros([65], { dtype: "int64" }).random_({ generator: new Generator(4) }).tolist() as bigint[];
  assert.ok(big.every((b) => b >= 0n && b <= 2n ** 63n - 1n));
  assert.ok(big.some((b) => b > 2n ** 62n));
  // the same seed, the same values; a tensor is filled in place and returned
  const x = zeros([3, 7]);
  assert.equal(x.random_(100, { generator: new Generator(8) }), x);
  assert.deepEqual(nums(zeros([3, 7]).random_(100, { generator: new Generator(8) })), nums(x));
});

test("x.random_(to) and random_(from, to): every value of [from, to) and nothing else; to null runs to the dtype's top", () => {
  const hits = (t: Tensor): number[] => [...new Set(nums(t))].sort((a, b) => a - b);
  assert.deepEqual(hits(zeros([2000]).random_(7, { generator: new Generator(1) })), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(hits(zeros([2000], { dtype: "int8" }).random_(-5, -2)), [-5, -4, -3]);
  assert.deepEqual(hits(zeros([2000], { dtype: "int64" }).random_({ from: 3, to: 6 })), [3, 4, 5]);
  assert.deepEqual(hits(zeros([2000], { dtype: "uint8" }).random_({ to: 2 })), [0, 1]);
  assert.deepEqual(hits(zeros([1], { dtype: "bool" }).random_(1, 2)), [1]);
  // torch.zeros(3).random_(2, None): [2, 2^24]
  const v = nums(zeros([65]).random_(2, null));
  assert.ok(v.every((e) => Number.isInteger(e) && e >= 2 && e <= 2 ** 24));
  assert.ok(nums(zeros([65], { dtype: "uint8" }).random_({ from: 250 })).every((e) => e >= 250 && e <= 255));
  // mean of U{0..9} is 4.5, sd 2.87: 20000 draws within 5 standard errors
  const m = nums(zeros([20000]).random_(10, { generator: new Generator(2) })).reduce((s, e) => s + e, 0) / 20000;
  assert.ok(Math.abs(m - 4.5) < (5 * 2.872) / Math.sqrt(20000), `mean ${m}`);
});

test("x.random_: PyTorch's argument checks, clear errors naming the function", () => {
  // torch: "random_ expects 'from' to be less than 'to', but got from=5 >= to=3"
  throwsWith(() => zeros([3]).random_(5, 3), "random_: expects 'from' to be less than 'to', got from=5 >= to=3");
  throwsWith(() => zeros([3]).random_(0), "random_: expects 'from' to be less than 'to', got from=0 >= to=0");
  throwsWith(() => zeros([3]).random_(-1), "random_: expects 'from' to be less than 'to', got from=0 >= to=-1");
  // torch: "from is out of bounds for unsigned char", "to - 1 is out of bounds for unsigned char", "... for bool"
  throwsWith(() => zeros([3], { dtype: "uint8" }).random_(-2, 5), "random_: from (-2) is out of bounds for uint8 [0, 255]");
  throwsWith(() => zeros([3], { dtype: "uint8" }).random_(0, 300), "random_: to - 1 (299) is out of bounds for uint8 [0, 255]");
  throwsWith(() => zeros([3], { dtype: "bool" }).random_(0, 3), "random_: to - 1 (2) is out of bounds for bool [0, 1]");
  throwsWith(() => zeros([3], { dtype: "int8" }).random_({ from: 200 }), "random_: from (200) is above 127, the largest value it draws for int8 without 'to'");
  // torch: random_() received an invalid combination of arguments - got (float)
  throwsWith(() => zeros([3]).random_(1.5), "random_: to must be an integer, got number 1.5");
  throwsWith(() => zeros([3]).random_(0.5, 3), "random_: from must be an integer, got number 0.5");
  throwsWith(() => zeros([3]).random_(1, 2, 3 as unknown as { generator?: Generator }), "random_: takes at most from and to positionally, got 3 arguments");
  throwsWith(() => zeros([3]).random_(1, { to: 4 } as object as { generator?: Generator }), "random_: give from and to positionally or in the options object, not both");
  throwsWith(() => zeros([3]).random_({ form: 2 } as object), "x.random_: unknown option 'form'; did you mean 'from'? (it takes from, to, generator)");
  throwsWith(() => zeros([3]).random_({ generator: 3 as unknown as Generator }), "random_: generator must be a Generator (new Generator(seed)), got number 3");
  // torch: "a leaf Variable that requires grad is being used in an in-place operation."
  throwsWith(() => zeros([3], { requiresGrad: true }).random_(), /^random_: a leaf tensor that requires grad cannot be modified in place/);
});
