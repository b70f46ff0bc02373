// The Tensor front end: creation, seeded randomness, dtype promotion, item/tolist/data, toString,
// views sharing storage and contiguous copies.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye, rand, randn, randint, randperm, bernoulli,
  manualSeed, Generator, defaultGenerator, promoteTypes, isFloating, Tensor, where, type DType,
} from "../src/index.js";

const approx = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol * (1 + Math.abs(b));

// ---------------------------------------------------------------- creation

test("tensor(): nested arrays, numbers and booleans, typed arrays, dtype option", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(a.shape, [2, 3]);
  assert.equal(a.dtype, "float32", "JS numbers default to float32");
  assert.deepEqual(a.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(tensor(2.5).ndim, 0);
  assert.equal(tensor(2.5).item(), 2.5);
  assert.equal(tensor([true, false]).dtype, "bool");
  assert.deepEqual(tensor([true, false]).tolist(), [true, false]);
  assert.equal(tensor([1, true]).dtype, "float32", "mixed numbers and booleans are numbers");
  assert.equal(tensor(new Int32Array([1, 2])).dtype, "int32");
  assert.equal(tensor(new Float64Array([1, 2])).dtype, "float64");
  assert.deepEqual(tensor([1.7, -1.7, 3], { dtype: "int32" }).tolist(), [1, -1, 3], "int32 truncates toward zero");
  assert.deepEqual(tensor([0, 2, -1], { dtype: "bool" }).tolist(), [false, true, true]);
  assert.deepEqual(tensor([]).shape, [0]);
  assert.deepEqual(tensor([[], []]).shape, [2, 0]);
  const src = new Float32Array([1, 2]);
  const t = tensor(src);
  src[0] = 9;
  assert.equal(t.data()[0], 1, "tensor() copies a typed array");
  assert.deepEqual(tensor([[1, 2]], { dtype: "float64", requiresGrad: true }).requiresGrad, true);
});

test("filled tensors: zeros, ones, full, *Like, eye", () => {
  assert.deepEqual(zeros([2, 3]).tolist(), [[0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(ones(3).tolist(), [1, 1, 1]);
  assert.equal(ones([2], { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(full([2], 7.5).tolist(), [7.5, 7.5]);
  assert.equal(full([1], true).dtype, "bool");
  assert.deepEqual(full([2], 2.9, { dtype: "int32" }).tolist(), [2, 2]);
  const x = tensor([[1, 2]], { dtype: "float64" });
  assert.equal(zerosLike(x).dtype, "float64");
  assert.deepEqual(onesLike(x).shape, [1, 2]);
  assert.deepEqual(fullLike(x, 3).tolist(), [[3, 3]]);
  assert.equal(fullLike(x, 3, { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(eye(2).tolist(), [[1, 0], [0, 1]]);
  assert.deepEqual(eye(2, 3).tolist(), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(zeros([0, 3]).shape, [0, 3]);
  assert.deepEqual(zeros([]).shape, []);
});

test("ranges: arange (int64 for integers as in PyTorch, float32 otherwise) and linspace (exact end points)", () => {
  assert.deepEqual(arange(5).tolist(), [0, 1, 2, 3, 4]);
  assert.equal(arange(5).dtype, "int64");
  assert.equal(arange(5, { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(arange(2, 8, 3).tolist(), [2, 5]);
  assert.deepEqual(arange(5, 0, -2).tolist(), [5, 3, 1]);
  assert.deepEqual(arange(1, 2, 0.25).tolist(), [1, 1.25, 1.5, 1.75]);
  assert.equal(arange(1, 2, 0.25).dtype, "float32");
  assert.equal(arange(0, 0.3, 0.1).numel(), 3, "as PyTorch: ceil((end - start) / step)");
  assert.equal(arange(0, 3, 1, { dtype: "float64" }).dtype, "float64");
  assert.deepEqual(arange(3, 3).tolist(), []);
  assert.deepEqual(linspace(0, 1, 5).tolist(), [0, 0.25, 0.5, 0.75, 1]);
  const l = linspace(-1, 0.7, 7, { dtype: "float64" }).data();
  assert.equal(l[0], -1);
  assert.equal(l[6], 0.7);
  assert.deepEqual(linspace(3, 5, 1).tolist(), [3]);
  assert.deepEqual(linspace(3, 5, 0).tolist(), []);
});

// ---------------------------------------------------------------- randomness

test("manualSeed makes rand/randn/randint/randperm/bernoulli reproducible", () => {
  const draw = (): number[][] => [
    [...rand([5]).data()], [...randn([5]).data()], [...randint(0, 10, [5]).data()], [...randperm(6).data()],
    [...bernoulli(full([6], 0.5)).data()],
  ];
  manualSeed(123);
  const a = draw();
  manualSeed(123);
  const b = draw();
  assert.deepEqual(a, b);
  manualSeed(124);
  assert.notDeepEqual(draw(), a, "another seed gives other numbers");
});

test("a Generator is an independent stream: new Generator(seed) reproduces, and does not touch the default one", () => {
  manualSeed(7);
  const fromDefault = [...rand([4]).data()];
  manualSeed(7);
  const g1 = new Generator(99);
  const x1 = [...randn([4], { generator: g1 }).data()];
  assert.deepEqual([...rand([4]).data()], fromDefault, "drawing from g1 left the default generator alone");
  const g2 = new Generator(99);
  assert.deepEqual([...randn([4], { generator: g2 }).data()], x1);
  assert.equal(g2.initialSeed(), 99);
  const state = g2.getState();
  const next = [...rand([3], { generator: g2 }).data()];
  g2.setState(state);
  assert.deepEqual([...rand([3], { generator: g2 }).data()], next, "getState/setState replays the stream");
  assert.deepEqual([...randperm(5, { generator: new Generator(1) }).data()], [...randperm(5, { generator: new Generator(1) }).data()]);
  assert.ok(defaultGenerator instanceof Generator);
});

test("random values have the right ranges and moments", () => {
  const g = new Generator(2024);
  const n = 100000;
  const z = randn([n], { generator: g, dtype: "float64" }).data();
  let s = 0, s2 = 0;
  for (const v of z) { s += v; s2 += v * v; }
  const mean = s / n, std = Math.sqrt(s2 / n - mean * mean);
  assert.ok(Math.abs(mean) < 0.02, `randn mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.02, `randn std ${std}`);
  const u = rand([n], { generator: g }).data();
  let us = 0, umin = 1, umax = 0;
  for (const v of u) { us += v; umin = Math.min(umin, v); umax = Math.max(umax, v); }
  assert.ok(umin >= 0 && umax < 1, "rand is in [0, 1)");
  assert.ok(Math.abs(us / n - 0.5) < 0.01, `rand mean ${us / n}`);
  const r = randint(-3, 4, [20000], { generator: g });
  assert.equal(r.dtype, "int64");
  const counts = new Map<number, number>();
  for (const v of r.data()) counts.set(v, (counts.get(v) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [-3, -2, -1, 0, 1, 2, 3], "randint covers [low, high)");
  for (const c of counts.values()) assert.ok(Math.abs(c / 20000 - 1 / 7) < 0.02);
  const p = randperm(50, { generator: g });
  assert.equal(p.dtype, "int64");
  assert.equal(randperm(3, { dtype: "int32" }).dtype, "int32");
  assert.deepEqual([...p.data()].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  const b = bernoulli(full([n], 0.3, { dtype: "float64" }), { generator: g });
  assert.equal(b.dtype, "float64");
  let ones_ = 0;
  for (const v of b.data()) { assert.ok(v === 0 || v === 1); ones_ += v; }
  assert.ok(Math.abs(ones_ / n - 0.3) < 0.01);
  assert.equal(rand([2], { dtype: "float64" }).dtype, "float64");
});

test("random creation rejects bad arguments", () => {
  assert.throws(() => randint(3, 3, [2]), /randint: high \(3\) must be greater than low \(3\)/);
  assert.throws(() => randperm(-1), /randperm: n must be a non-negative integer/);
  assert.throws(() => bernoulli(tensor([0.5, 1.5])), /bernoulli: probability 1.5 at index 1 is outside \[0, 1\]/);
  assert.throws(() => bernoulli(tensor([1], { dtype: "int32" })), /bernoulli: probabilities must be a floating tensor/);
  assert.throws(() => rand([2], { dtype: "int32" }), /rand: .*floating/);
  assert.throws(() => manualSeed(NaN), /manualSeed: seed must be a finite number/);
});

// ---------------------------------------------------------------- dtypes and promotion

test("promoteTypes and isFloating", () => {
  assert.equal(promoteTypes("int32", "float32"), "float32");
  assert.equal(promoteTypes("float32", "float64"), "float64");
  assert.equal(promoteTypes("bool", "int32"), "int32");
  assert.equal(promoteTypes("bool", "bool"), "bool");
  assert.equal(isFloating("float32"), true);
  assert.equal(isFloating("int32"), false);
});

test("type promotion: tensors, 0-d tensors and JS scalars follow PyTorch's rules", () => {
  const i = tensor([1, 2], { dtype: "int32" });
  const f = tensor([1, 2]);
  const d = tensor([1, 2], { dtype: "float64" });
  const b = tensor([true, false]);
  const cases: [Tensor, DType][] = [
    [i.add(f), "float32"], [i.add(d), "float64"], [f.add(d), "float64"], [b.add(i), "int32"],
    [b.add(b), "bool"], [i.add(2), "int32"], [i.mul(2.5), "float32"], [f.add(2), "float32"], [d.add(1.5), "float64"],
    [b.add(1), "int64"], [b.add(1.5), "float32"], [b.add(true), "bool"], [i.add(true), "int32"],
    [i.add(tensor(1.5, { dtype: "float64" })), "float64"], // a 0-d tensor of a higher category wins
    [f.add(tensor(1.5, { dtype: "float64" })), "float32"], // a 0-d tensor of the same category does not widen
    [d.add(tensor(1, { dtype: "int32" })), "float64"],
    [tensor(1.5, { dtype: "float64" }).add(tensor(1.5)), "float64"], // both 0-d: ordinary promotion
    [i.div(i), "float32"], [i.div(2), "float32"], [i.sqrt(), "float32"], [i.exp(), "float32"],
    [i.gt(1.5), "bool"], [f.eq(d), "bool"], [i.neg(), "int32"], [i.abs(), "int32"],
    [i.sum(), "int64"], [b.sum(), "int64"], [i.float().mean(), "float32"], [d.sum(), "float64"],
    [where(b, 1, 0), "int64"], [where(b, 1.5, 0), "float32"], [where(b, i, d), "float64"],
    [i.pow(2), "int32"], [i.pow(0.5), "float32"], [f.maximum(i), "float32"],
    [i.clamp(0, 1), "int32"], [i.clamp(0.5, 1.5), "float32"], [i.clamp(0.5), "float32"],
  ];
  cases.forEach(([t, want], k) => assert.equal(t.dtype, want, `case ${k}`));
  assert.deepEqual(i.div(2).tolist(), [0.5, 1], "true division, as PyTorch's /");
  assert.deepEqual(tensor([-7, 7], { dtype: "int32" }).remainder(3).tolist(), [2, 1], "remainder takes the divisor's sign");
  assert.deepEqual(i.mul(2.5).tolist(), [2.5, 5]);
  assert.deepEqual(b.add(b).tolist(), [true, false]);
  assert.deepEqual(i.pow(2).tolist(), [1, 4]);
  assert.deepEqual(i.clamp(0.5, 1.5).tolist(), [1, 1.5]);
});

test("casts: to/float/double/int/bool convert values; to() of the same dtype is the tensor itself", () => {
  const x = tensor([1.7, -1.2, 0]);
  assert.deepEqual(x.int().tolist(), [1, -1, 0]);
  assert.deepEqual(x.bool().tolist(), [true, true, false]);
  assert.equal(x.double().dtype, "float64");
  assert.equal(x.to("float32"), x);
  assert.deepEqual(tensor([true, false]).float().tolist(), [1, 0]);
});

// ---------------------------------------------------------------- reading values

test("item, tolist, data and size", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
  assert.equal(x.get(1, 2).item(), 6);
  assert.throws(() => x.item(), /item: only one-element tensors can be converted to a number, this one has shape \[2,3\]/);
  assert.equal(tensor([[7]]).item(), 7);
  assert.deepEqual(x.t().tolist(), [[1, 4], [2, 5], [3, 6]]);
  const d = x.t().data();
  assert.ok(d instanceof Float64Array);
  assert.deepEqual([...d], [1, 4, 2, 5, 3, 6]);
  d[0] = 100;
  assert.equal(x.get(0, 0).item(), 1, "data() is a copy");
  assert.deepEqual(x.size(), [2, 3]);
  assert.equal(x.size(-1), 3);
  assert.equal(x.numel(), 6);
  assert.equal(x.dim(), 2);
  assert.equal(tensor(true).tolist(), true);
  assert.equal(tensor(3).tolist(), 3);
});

// ---------------------------------------------------------------- printing

test("toString matches PyTorch's printout for small tensors", () => {
  const cases: [Tensor, string][] = [
    [tensor([[1, 2], [3, 4]]), "tensor([[1., 2.],\n        [3., 4.]])"],
    [tensor([1.5, 2, 3.25]), "tensor([1.5000, 2.0000, 3.2500])"],
    [tensor([-1, 0.5]), "tensor([-1.0000,  0.5000])"],
    [tensor(3.5), "tensor(3.5000)"],
    [tensor(2), "tensor(2.)"],
    [tensor([1, 2, 30], { dtype: "int32" }), "tensor([ 1,  2, 30], dtype=int32)"],
    [tensor([true, false]), "tensor([ True, False])"],
    [tensor([true, true]), "tensor([True, True])"],
    [tensor([1.5, 2], { dtype: "float64" }), "tensor([1.5000, 2.0000], dtype=float64)"],
    [tensor([1.5, 2], { requiresGrad: true }), "tensor([1.5000, 2.0000], requiresGrad=true)"],
    [tensor([1.5, 2], { requiresGrad: true }).mul(2), "tensor([3., 4.], gradFn=<mulBackward>)"],
    [tensor([1e-5, 1]), "tensor([1.0000e-05, 1.0000e+00])"],
    [tensor([1000, 1]), "tensor([1000.,    1.])"],
    [tensor([1001, 1]), "tensor([1.0010e+03, 1.0000e+00])"],
    [tensor([1e8, 1]), "tensor([1.0000e+08, 1.0000e+00])"],
    [tensor([NaN, 1, Infinity]), "tensor([nan, 1., inf])"],
    [tensor([NaN, 1.5, -Infinity]), "tensor([   nan, 1.5000,   -inf])"],
    [tensor([-0, 1]), "tensor([-0., 1.])"],
    [tensor([0, 0]), "tensor([0., 0.])"],
    [tensor([]), "tensor([])"],
    [zeros([2, 0]), "tensor([], shape=[2,0])"],
    [ones([2, 2, 2]), "tensor([[[1., 1.],\n         [1., 1.]],\n\n        [[1., 1.],\n         [1., 1.]]])"],
    [arange(30).float(),
      "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n" +
      "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n" +
      "        28., 29.])"],
  ];
  for (const [t, s] of cases) assert.equal(t.toString(), s);
  assert.equal(String(tensor([[1, 2]]).t()), "tensor([[1.],\n        [2.]])", "views print their logical layout");
});

test("toString abbreviates large tensors with ... (PyTorch's summarised format)", () => {
  assert.equal(
    arange(2000).float().toString(),
    "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03], shape=[2000])",
  );
  assert.equal(arange(1200).toString(), "tensor([   0,    1,    2,  ..., 1197, 1198, 1199], shape=[1200])");
  assert.equal(
    arange(2000).float().reshape([40, 50]).div(100).add(1).toString(),
    "tensor([[ 1.0000,  1.0100,  1.0200,  ...,  1.4700,  1.4800,  1.4900],\n" +
    "        [ 1.5000,  1.5100,  1.5200,  ...,  1.9700,  1.9800,  1.9900],\n" +
    "        [ 2.0000,  2.0100,  2.0200,  ...,  2.4700,  2.4800,  2.4900],\n" +
    "        ...,\n" +
    "        [19.5000, 19.5100, 19.5200,  ..., 19.9700, 19.9800, 19.9900],\n" +
    "        [20.0000, 20.0100, 20.0200,  ..., 20.4700, 20.4800, 20.4900],\n" +
    "        [20.5000, 20.5100, 20.5200,  ..., 20.9700, 20.9800, 20.9900]],\n" +
    "       shape=[40,50])", // suffixes that do not fit in 80 columns go on their own line, as PyTorch's
  );
  const wide = arange(2000).float().reshape([40, 50]).div(1000).toString().split("\n");
  assert.equal(wide[0], "tensor([[0.0000e+00, 1.0000e-03, 2.0000e-03,  ..., 4.7000e-02, 4.8000e-02,");
  assert.equal(wide[1], "         4.9000e-02],");
  assert.equal(wide[6], "        ...,");
});

// ---------------------------------------------------------------- views and copies

test("views share storage: writing through a view is visible in the base and vice versa", () => {
  const x = zeros([3, 4]);
  const row = x.select(0, 1);
  const col = x.get(":", 2);
  const tv = x.t();
  const r = x.reshape([4, 3]);
  const e = tensor([5]).expand([3]);
  for (const v of [row, col, tv, r]) assert.equal(v.storage, x.storage, "a view, not a copy");
  row.fill_(1);
  assert.deepEqual(x.tolist(), [[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]]);
  col.copy_(tensor([7, 8, 9]));
  assert.deepEqual(x.get(":", 2).tolist(), [7, 8, 9]);
  assert.deepEqual(tv.get(2).tolist(), [7, 8, 9]);
  x.get(0).mul_(0).add_(2);
  assert.deepEqual(r.get(0).tolist(), [2, 2, 2]);
  assert.deepEqual(e.tolist(), [5, 5, 5]);
  assert.equal(x.version, row.version, "views share the version counter");
  const narrow = x.narrow(1, 1, 2);
  assert.deepEqual(narrow.strides, [4, 1]);
  assert.equal(narrow.offset, 1);
  const sq = x.unsqueeze(0).squeeze(0);
  assert.equal(sq.storage, x.storage);
  assert.throws(() => x.permute([1, 0]).view([12]), /view: shape \[12\] is not compatible/);
});

test("contiguous() copies non-contiguous views (and returns contiguous tensors as they are); clone() always copies", () => {
  const x = arange(6).float().reshape([2, 3]);
  assert.equal(x.contiguous(), x);
  const t = x.t();
  assert.equal(t.isContiguous(), false);
  const c = t.contiguous();
  assert.equal(c.isContiguous(), true);
  assert.notEqual(c.storage, x.storage);
  assert.deepEqual(c.tolist(), t.tolist());
  assert.deepEqual(c.strides, [2, 1]);
  const k = x.clone();
  assert.notEqual(k.storage, x.storage);
  k.fill_(0);
  assert.deepEqual(x.get(0).tolist(), [0, 1, 2]);
  const sliced = x.get(":", "1:");
  assert.equal(sliced.contiguous().storage.data.length, 4, "a slice's contiguous copy holds only its elements");
});

test("contiguous() of a contiguous view at an offset is the view itself, as PyTorch's: writes through it reach the base", () => {
  const x = arange(6).float();
  for (const v of [x.get("1:"), x.narrow(0, 2, 3), x.reshape([2, 3]).select(0, 1), x.get("5:")]) {
    assert.equal(v.offset > 0, true);
    assert.equal(v.contiguous(), v);
  }
  x.get("1:").contiguous().add_(10);
  assert.deepEqual(x.tolist(), [0, 11, 12, 13, 14, 15]);
  // A leaf's offset view: the gradient flows into the right elements of the base.
  const w = arange(5).double().requiresGrad_();
  w.narrow(0, 2, 2).contiguous().mul(tensor([3, 4], { dtype: "float64" })).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [0, 0, 3, 4, 0]);
  // Ops on it read its own elements, not the storage from index 0.
  assert.deepEqual(x.get("3:").contiguous().reshape([1, 3]).mul(2).tolist(), [[26, 28, 30]]);
});

test("reshape is a view when strides allow and a copy otherwise; view throws instead of copying", () => {
  const x = arange(24).reshape([2, 3, 4]);
  const p = x.permute([2, 0, 1]); // [4,2,3]
  const merged = p.view([4, 6]); // dims 1 and 2 of p are still contiguous among themselves
  assert.equal(merged.storage, x.storage);
  assert.deepEqual(merged.get(1).tolist(), [1, 5, 9, 13, 17, 21]);
  assert.throws(() => x.transpose(0, 1).view([3, 8]), /view: shape \[3,8\] is not compatible with the input's size \[3,2,4\] and stride \[4,12,1\]; use reshape\(\)/);
  const copied = x.transpose(0, 1).reshape([3, 8]);
  assert.notEqual(copied.storage, x.storage);
  assert.deepEqual(copied.get(0).tolist(), [0, 1, 2, 3, 12, 13, 14, 15]);
  const s = x.get(":", "1:3", "::2"); // [2,2,2], strides [12,4,2]
  assert.deepEqual(s.reshape([2, 4]).tolist(), [[4, 6, 8, 10], [16, 18, 20, 22]]);
  assert.deepEqual(s.reshape([2, 4]).strides, [12, 2], "merging the two inner dims of the slice keeps a view");
  assert.equal(s.reshape([2, 4]).storage, x.storage);
  assert.notEqual(s.reshape([4, 2]).storage, x.storage, "the outer dims (strides 12 and 4) cannot merge: a copy");
  assert.deepEqual(s.reshape([4, 2]).tolist(), [[4, 6], [8, 10], [16, 18], [20, 22]]);
  const e = tensor([[1], [2], [3]]).expand([3, 4]);
  assert.deepEqual(e.reshape([3, 2, 2]).strides, [1, 0, 0]);
  assert.deepEqual(e.reshape([12]).tolist(), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  assert.deepEqual(x.reshape([2, 1, 12, 1]).shape, [2, 1, 12, 1]);
  assert.deepEqual(x.get(0).unsqueeze(0).reshape([3, 4]).tolist(), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
  assert.deepEqual(x.flatten().shape, [24]);
  assert.deepEqual(x.unflatten(-1, [2, 2]).shape, [2, 3, 2, 2]);
});

test("toString matches PyTorch's printout of 160 random tensors (test/fixtures/format.json)", async () => {
  const { readFileSync } = await import("node:fs");
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/format.json", import.meta.url), "utf8")) as {
    cases: { shape: number[]; dtype: DType; data: (number | boolean | string)[]; expected: string }[];
  };
  const failures: string[] = [];
  fixture.cases.forEach((c, k) => {
    const values = c.data.map((v) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v)) as number[];
    const t = tensor(values, { dtype: c.dtype }).reshape(c.shape);
    const got = t.toString();
    if (got !== c.expected) failures.push(`case ${k} (${c.dtype} ${JSON.stringify(c.shape)}):\n${got}\n--- PyTorch:\n${c.expected}`);
  });
  assert.equal(fixture.cases.length, 160);
  assert.deepEqual(failures, []);
});

test("NaN and infinity propagate like IEEE arithmetic (matmul does not skip zero operands)", () => {
  const mm = tensor([[0, 1]]).matmul(tensor([[Infinity], [1]])).item();
  assert.ok(Number.isNaN(mm), "0 * inf is NaN");
  assert.ok(Number.isNaN(tensor([[0, 1]]).matmul(tensor([[NaN], [1]])).item()));
  assert.ok(Number.isNaN(tensor([1, NaN, 3]).max().item()));
  assert.equal(tensor([1, NaN, 3]).argmax().item(), 1, "argmax points at the NaN, as PyTorch");
  assert.ok(Number.isNaN(tensor([NaN, 1]).relu().data()[0]));
  assert.ok(Number.isNaN(tensor([NaN, 5]).clamp(0, 1).data()[0]));
  assert.deepEqual(tensor([-Infinity, 0]).softmax(0).tolist(), [0, 1]);
  assert.equal(tensor([-Infinity, -Infinity]).logsumexp(0).item(), -Infinity);
  assert.deepEqual(tensor([0.5, 1.5, 2.5, -0.5, -1.5]).round().tolist(), [0, 2, 2, -0, -2], "round half to even");
});

test("reshape of random permuted / sliced / unsqueezed views keeps row-major values (2000 seeded cases)", () => {
  const g = new Generator(5);
  const pick = (n: number): number => Math.floor(g.random() * n);
  let views = 0;
  for (let trial = 0; trial < 2000; trial++) {
    const nd = 1 + pick(4);
    const shape = Array.from({ length: nd }, () => 1 + pick(3));
    let x = arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
    const perm = [...Array(nd).keys()];
    for (let i = nd - 1; i > 0; i--) { const j = pick(i + 1); [perm[i], perm[j]] = [perm[j], perm[i]]; }
    x = x.permute(perm);
    if (pick(2)) { const d = pick(nd); if (x.shape[d] > 1) x = x.narrow(d, 1, x.shape[d] - 1); }
    if (pick(3) === 0) x = x.unsqueeze(pick(nd + 1));
    let rem = x.numel();
    const target: number[] = [];
    while (rem > 1) {
      const divisors = Array.from({ length: rem }, (_, i) => i + 1).filter((d) => d > 1 && rem % d === 0);
      const d = divisors[pick(divisors.length)];
      target.push(d);
      rem /= d;
      if (pick(3) === 0) target.push(1);
    }
    if (target.length === 0) target.push(1);
    const r = x.reshape(target);
    if (r.storage === x.storage) views++;
    assert.deepEqual(r.shape, target);
    assert.deepEqual([...r.data()], [...x.contiguous().data()], `reshape ${JSON.stringify(x.shape)} strides ${JSON.stringify(x.strides)} to ${JSON.stringify(target)}`);
  }
  assert.ok(views > 1000, `most reshapes should be views (${views})`);
});

test("unbind returns the slices along a dim as views, and gradients flow back through each", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const cols = x.unbind(1);
  assert.deepEqual(cols.map((c) => c.tolist()), [[1, 4], [2, 5], [3, 6]]);
  assert.equal(cols[0].storage, x.storage);
  cols[0].mul(1).add(cols[2].mul(3)).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[1, 0, 3], [1, 0, 3]]);
  assert.throws(() => x.unbind(2), /unbind: dimension 2 is out of range/);
});
