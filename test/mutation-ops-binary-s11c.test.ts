// Survivors of `npm run mutate -- src/ops/binary.ts src/ops/math.ts` (session 11,
// docs/mutation/session-11-opsc.md): add/sub with alpha (scalar others, bool tensors, the 16-bit
// rules: bfloat16 computes a + alpha·b in float32 with alpha rounded to bfloat16 and rounds once,
// float16 rounds alpha·b first, as PyTorch 1.13's CPU kernels), and integer division by zero.
// Values from torch 1.13.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const CASES = {
  // torch.manual_seed(0); (randn(2000) * 4).to(dtype) for a and b: elements where rounding once,
  // rounding alpha, or rounding alpha·b first changes the result; torch.add/sub(a, b, alpha=0.1).
  bfloat16: {
    a: [-8.4375, -0.98828125, -6.78125, -1.96875, 0.9921875, 1.4296875, -0.984375],
    b: [-5.9375, -2.359375, -7.34375, 2.265625, 6.5, -4.78125, 3.328125],
    add: [-9.0625, -1.2265625, -7.53125, -1.7421875, 1.640625, 0.94921875, -0.65234375],
    sub: [-7.84375, -0.75390625, -6.03125, -2.203125, 0.341796875, 1.90625, -1.3203125],
  },
  float16: {
    a: [-0.48583984375, -1.9765625, -0.162109375, -0.8486328125, -0.6015625, -1.044921875, -2.78125],
    b: [6.21484375, 14.640625, -0.48388671875, -8.4140625, -0.9794921875, 6.47265625, -5.08984375],
    add: [0.13525390625, -0.5126953125, -0.21044921875, -1.689453125, -0.69921875, -0.39794921875, -3.2890625],
    sub: [-1.107421875, -3.44140625, -0.11376953125, -0.00732421875, -0.50390625, -1.69140625, -2.2734375],
  },
} as const;

test("add/sub with alpha on bfloat16 and float16 round as PyTorch's kernels", () => {
  for (const [dtype, c] of Object.entries(CASES) as [dt.DType, (typeof CASES)["bfloat16"]][]) {
    const a = dt.tensor([...c.a], { dtype }), b = dt.tensor([...c.b], { dtype });
    const s = dt.add(a, b, { alpha: 0.1 });
    assert.equal(s.dtype, dtype);
    assert.deepEqual([...s.data()], [...c.add], `${dtype} add`);
    assert.deepEqual([...dt.sub(a, b, { alpha: 0.1 }).data()], [...c.sub], `${dtype} sub`);
    // Without alpha (or alpha 1) a plain add.
    assert.deepEqual([...dt.add(a, b, { alpha: 1 }).data()], [...dt.add(a, b).data()]);
  }
});

test("add/sub: a bad alpha on the bfloat16 path names the op", () => {
  const a = dt.tensor([1, 2], { dtype: "bfloat16" });
  throwsWith(() => dt.add(a, a, { alpha: NaN }), "add: alpha must be a number, got NaN");
  throwsWith(() => dt.sub(a, a, { alpha: NaN }), "sub: alpha must be a number, got NaN");
  throwsWith(() => dt.add(a, a, { alpha: "2" as never }), "add: alpha must be a number, got 2");
  throwsWith(() => dt.sub(a, a, { alpha: "2" as never }), "sub: alpha must be a number, got 2");
});

test("add/sub with alpha and a number other: the number is scaled exactly (torch 1.13)", () => {
  const x = dt.tensor([1, 2]);
  assert.deepEqual([...dt.add(x, 3, { alpha: 2 }).data()], [7, 8]);
  assert.deepEqual([...dt.sub(x, 3, { alpha: 2 }).data()], [-5, -4]);
  // In double precision (not a float32 0-d tensor 0.3): torch gives 1.3 and 0.7.
  assert.equal(dt.add(dt.tensor([1], { dtype: "float64" }), 3, { alpha: 0.1 }).item(), 1 + 3 * 0.1);
  assert.equal(dt.sub(dt.tensor([1], { dtype: "float64" }), 3, { alpha: 0.1 }).item(), 1 - 3 * 0.1);
  assert.deepEqual([...dt.add(x, true, { alpha: 3 }).data()], [4, 5]);
  // bool + bool with alpha 1 stays bool (torch: tensor([True, True])).
  const t = dt.tensor([true, false], { dtype: "bool" }), u = dt.tensor([true, true], { dtype: "bool" });
  const r = dt.add(t, u, { alpha: 1 });
  assert.equal(r.dtype, "bool");
  assert.deepEqual([...r.numbers()], [1, 1]);
});

test("integer division by zero throws wherever the zero is; float division does not", () => {
  const n = dt.tensor([5, -7, 9], { dtype: "int64" });
  for (const d of [dt.tensor([1, 0, 2], { dtype: "int64" }), dt.tensor([0, 1, 2], { dtype: "int64" }), dt.tensor([1, 2, 0], { dtype: "int64" })]) {
    throwsWith(() => dt.floorDivide(n, d), "floorDivide: integer division by zero", RangeError);
    throwsWith(() => dt.div(n, d, { roundingMode: "floor" }), "div: integer division by zero", RangeError);
    throwsWith(() => dt.div(n, d, { roundingMode: "trunc" }), "div: integer division by zero", RangeError);
  }
  throwsWith(() => dt.floorDivide(n, 0), "floorDivide: integer division by zero", RangeError);
  assert.deepEqual([...dt.floorDivide(n, dt.tensor([2, 2, -2], { dtype: "int64" })).numbers()], [2, -4, -5]);
  assert.deepEqual([...dt.div(n, dt.tensor([2, 2, -2], { dtype: "int64" }), { roundingMode: "trunc" }).numbers()], [2, -3, -4]);
  // float: inf, -inf, nan (torch.floor_divide(tensor([5., -7., 0.]), 0.)).
  const f = dt.floorDivide(dt.tensor([5, -7, 0]), 0).data();
  assert.deepEqual([f[0], f[1], Number.isNaN(f[2])], [Infinity, -Infinity, true]);
  assert.deepEqual([...dt.div(dt.tensor([5, -7]), 0, { roundingMode: "trunc" }).data()], [Infinity, -Infinity]);
});

test("div with roundingMode trunc: integer results keep their dtype, int64 beyond 2^53 exactly", () => {
  const q = dt.div(dt.tensor([7, -7], { dtype: "int32" }), dt.tensor([2, 2], { dtype: "int32" }), { roundingMode: "trunc" });
  assert.equal(q.dtype, "int32");
  assert.deepEqual([...q.numbers()], [3, -3]);
  const q64 = dt.div(dt.tensor([7, -7], { dtype: "int64" }), 2, { roundingMode: "trunc" });
  assert.equal(q64.dtype, "int64");
  assert.deepEqual([...q64.numbers()], [3, -3]);
  const qf = dt.div(dt.tensor([7.5, -7.5]), 2, { roundingMode: "trunc" });
  assert.equal(qf.dtype, "float32");
  assert.deepEqual([...qf.data()], [3, -3]);
});

test("where, maskedFill: shape and mask errors name the op", () => {
  const x = dt.tensor([1, 2]);
  throwsWith(() => dt.where(dt.tensor([true, false, true], { dtype: "bool" }), x, 0),
    "where: shapes [3] and [2] cannot be broadcast: dimension -1 is 3 vs 2 (sizes must match or one of them must be 1)");
  throwsWith(() => dt.where(dt.tensor([true, false], { dtype: "bool" }), x, dt.tensor([1, 2, 3])),
    "where: shapes [2] and [3] cannot be broadcast: dimension -1 is 2 vs 3 (sizes must match or one of them must be 1)");
  throwsWith(() => dt.maskedFill(x, dt.tensor([1, 0]), 0), "maskedFill: mask must be a bool tensor, got float32 (compare first, e.g. x.eq(0))");
  throwsWith(() => dt.maskedFill(x, dt.tensor([true, false, true], { dtype: "bool" }), 0),
    "maskedFill: shapes [2] and [3] cannot be broadcast: dimension -1 is 2 vs 3 (sizes must match or one of them must be 1)");
  assert.deepEqual([...dt.maskedFill(x, dt.tensor([true, false], { dtype: "bool" }), 9).data()], [9, 2]);
});

test("math.ts: signbit of -0, fmod by integer zero, heaviside's and lerp's argument errors", () => {
  // torch.signbit(tensor([-0., 0., -1., 2.])) = [True, False, True, False]; ints: x < 0.
  assert.deepEqual([...dt.signbit(dt.tensor([-0, 0, -1, 2])).numbers()], [1, 0, 1, 0]);
  assert.deepEqual([...dt.signbit(dt.tensor([0, -3, 2], { dtype: "int64" })).numbers()], [0, 1, 0]);
  const n = dt.tensor([5, 7, -9], { dtype: "int64" });
  for (const d of [[1, 0, 2], [0, 1, 2], [1, 2, 0]]) throwsWith(() => dt.fmod(n, dt.tensor(d, { dtype: "int64" })), "fmod: integer division by zero", RangeError);
  assert.deepEqual([...dt.fmod(n, dt.tensor([2, 3, 4], { dtype: "int64" })).numbers()], [1, 1, -1]);
  const f = dt.fmod(dt.tensor([5, -7]), 0).data(); // torch: [nan, nan]
  assert.ok(Number.isNaN(f[0]) && Number.isNaN(f[1]));
  throwsWith(() => dt.heaviside(dt.tensor([1, 2]), dt.tensor([1], { dtype: "float64" })), "heaviside: values is float64 but the input is float32; they must match");
  assert.deepEqual([...dt.heaviside(dt.tensor([-1, 0, 2]), dt.tensor([0.5])).data()], [0, 0.5, 1]);
  throwsWith(() => dt.lerp(dt.tensor([1, 2]), "a" as never, 0.5), 'lerp: end must be a Tensor, a number or a boolean, got string "a"');
});

test("nanToNum: ±Infinity become the dtype's largest finite values (torch.finfo(dtype).max), for 16-bit dtypes too", () => {
  // torch 1.13 nan_to_num([inf, -inf, nan, 1]) per dtype.
  const want: [dt.DType, number][] = [["float16", 65504], ["bfloat16", 3.3895313892515355e38], ["float32", 3.4028234663852886e38], ["float64", 1.7976931348623157e308]];
  for (const [dtype, big] of want) {
    const y = dt.nanToNum(dt.tensor([Infinity, -Infinity, NaN, 1], { dtype }));
    assert.equal(y.dtype, dtype);
    assert.deepEqual([...y.data()], [big, -big, 0, 1], dtype);
  }
  // null means the default; integers come back unchanged (torch keeps int64).
  assert.deepEqual([...dt.nanToNum(dt.tensor([NaN, Infinity, -Infinity]), null, 5, null).data()], [0, 5, -3.4028234663852886e38]);
  const i = dt.nanToNum(dt.tensor([1, 2], { dtype: "int64" }));
  assert.equal(i.dtype, "int64");
  assert.deepEqual([...i.numbers()], [1, 2]);
  throwsWith(() => dt.nanToNum(dt.tensor([1]), 0, 0, "a" as never), 'nanToNum: neginf must be a number (or null for the default), got string "a"');
});

test("isclose on bool tensors, allclose and equal", () => {
  // torch.isclose(tensor([True, False]), tensor([True, True])) = [True, False].
  const ic = dt.isclose(dt.tensor([true, false], { dtype: "bool" }), dt.tensor([true, true], { dtype: "bool" }));
  assert.equal(ic.dtype, "bool");
  assert.deepEqual([...ic.numbers()], [1, 0]);
  const a = dt.tensor([1, 2, 3]);
  assert.equal(dt.allclose(a, dt.tensor([1, 2, 3.00001])), true);
  assert.equal(dt.allclose(a, dt.tensor([1, 2, 3.1])), false);
  assert.equal(dt.allclose(a, dt.tensor([1.1, 2, 3])), false);
  assert.equal(dt.allclose(a, dt.tensor([1.1, 2.1, 3.1])), false);
  assert.equal(dt.equal(a, dt.tensor([1, 2, 3])), true);
  assert.equal(dt.equal(a, dt.tensor([1, 2, 4])), false);
  assert.equal(dt.equal(a, dt.tensor([0, 2, 3])), false);
  assert.equal(dt.equal(a, dt.tensor([[1, 2, 3]])), false);
  assert.equal(dt.equal(dt.tensor([1]), dt.tensor([1, 1])), false);
  throwsWith(() => dt.isclose(a, a, { rtol: -1 }), "isclose: rtol and atol must be non-negative, got rtol -1, atol 1e-8");
});

test("div trunc: int32 by zero throws; int64 quotients beyond 2^53 are exact (torch: 576460752303423489)", () => {
  throwsWith(() => dt.div(dt.tensor([1, 2], { dtype: "int32" }), dt.tensor([1, 0], { dtype: "int32" }), { roundingMode: "trunc" }), "div: integer division by zero", RangeError);
  const big = dt.tensor([2n ** 60n + 3n, -(2n ** 60n) - 3n] as never, { dtype: "int64" });
  const q = dt.div(big, dt.tensor([2n, 2n] as never, { dtype: "int64" }), { roundingMode: "trunc" });
  assert.equal(q.dtype, "int64");
  assert.match(q.toString(), /576460752303423489, -576460752303423489\]/);
});
