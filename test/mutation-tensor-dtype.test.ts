// src/tensor/dtype.ts checked directly: the range checks at their exact bounds (PyTorch 1.13's
// torch.tensor([v], dtype=...) accepts or refuses the same values: noted per case), int64
// conversion at ±2^63, the casts' wrap-around, promotion with scalars, and allocate's slab slots.
// Written for the survivors of `npm run mutate -- src/tensor` (docs/mutation/history.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ArrayFor, DTYPE_INFO, INT64_MAX, INT64_MIN, allocate, castScalar, checkFits, dtypeKind, dtypeOfArray, fillStorage, int64From, isFloating,
  isIndexDtype, isIntegral, num, promoteTypes, promoteWithScalar, scalarKind, setElement, toInt64,
} from "../src/tensor/dtype.js";
import { throwsWith } from "./throws-with.js";

const ok = (v: number | bigint | boolean, d: Parameters<typeof checkFits>[1]) => assert.doesNotThrow(() => checkFits(v, d, "tensor"), `${v} should fit ${d}`);
const refused = (v: number | bigint, d: Parameters<typeof checkFits>[1]) => assert.throws(() => checkFits(v, d, "tensor"), /^Error: tensor: value .* cannot be converted to/, `${v} should not fit ${d}`);

test("checkFits: the integer bounds, uint8's wrap down to -255, fractions inside the range only, NaN refused", () => {
  // torch.tensor([-255], dtype=torch.uint8) -> [1]; -256, -0.5, 255.9 and 256 raise.
  ok(-255, "uint8"); ok(255, "uint8"); ok(0.5, "uint8");
  refused(-256, "uint8"); refused(-0.5, "uint8"); refused(255.9, "uint8"); refused(256, "uint8");
  // int8: -128 and 127 fit; -129, 127.9 and -128.9 raise.
  ok(-128, "int8"); ok(127, "int8"); ok(-127.5, "int8");
  refused(-129, "int8"); refused(127.9, "int8"); refused(-128.9, "int8"); refused(128, "int8");
  ok(-32768, "int16"); ok(32767, "int16"); refused(32768, "int16"); refused(-32769, "int16");
  ok(2 ** 31 - 1, "int32"); ok(-(2 ** 31), "int32"); refused(2 ** 31, "int32"); refused(-(2 ** 31) - 1, "int32");
  refused(NaN, "int32"); refused(Infinity, "int32"); refused(-Infinity, "int64");
  // The double 2^63 passes (PyTorch stores it as -2^63); the next double up does not.
  ok(2 ** 63, "int64"); ok(-(2 ** 63), "int64"); refused(2 ** 64, "int64"); refused(-(2 ** 64), "int64");
  // Floats, bool and booleans take anything.
  ok(1e300, "float32"); ok(NaN, "float64"); ok(300, "bool"); ok(true, "int8"); ok(1e9, "float16");
  throwsWith(() => checkFits(300, "int8", "full"), 'full: value 300 cannot be converted to int8 without overflow (int8 holds -128..127); use a wider dtype such as "int32" or "float64"');
});

test("checkFits with bigints: exact bounds per dtype, int64's ±2^63, uint8 down to -255", () => {
  ok(INT64_MAX, "int64"); ok(INT64_MIN, "int64");
  refused(INT64_MAX + 1n, "int64"); refused(INT64_MIN - 1n, "int64");
  ok(-255n, "uint8"); ok(255n, "uint8"); refused(-256n, "uint8"); refused(256n, "uint8");
  ok(127n, "int8"); ok(-128n, "int8"); refused(128n, "int8"); refused(-129n, "int8");
  ok(2n ** 31n - 1n, "int32"); refused(2n ** 31n, "int32");
  ok(2n ** 100n, "float32"); ok(-(2n ** 100n), "bool");
  throwsWith(() => checkFits(2n ** 63n, "int64", "tensor"), 'tensor: value 9223372036854775808 cannot be converted to int64 without overflow (int64 holds -9223372036854775808..9223372036854775807); use a wider dtype such as "int64"');
  throwsWith(() => checkFits(-256n, "uint8", "tensor"), 'tensor: value -256 cannot be converted to uint8 without overflow (uint8 holds -255..255); use a wider dtype such as "int64"');
});

test("toInt64, castScalar, setElement and fillStorage: truncation, wrap-around, and the x86 overflow value", () => {
  assert.equal(toInt64(1.9), 1n);
  assert.equal(toInt64(-1.9), -1n);
  assert.equal(toInt64(-0), 0n);
  assert.equal(toInt64(2 ** 62), 2n ** 62n);
  // torch.tensor([1e20, nan]).to(torch.int64) -> both -2^63, as is 2^63 itself.
  assert.equal(toInt64(1e20), INT64_MIN);
  assert.equal(toInt64(NaN), INT64_MIN);
  assert.equal(toInt64(Infinity), INT64_MIN);
  assert.equal(toInt64(2 ** 63), INT64_MIN);
  assert.equal(toInt64(-(2 ** 63)), INT64_MIN);
  // The largest double below 2^63 converts exactly, as does the smallest above -2^63 - 2^11.
  assert.equal(toInt64(9223372036854774784), 9223372036854774784n);
  assert.equal(toInt64(-9223372036854774784), -9223372036854774784n);
  // torch.tensor([1.7, -1.7, 300.]).to(torch.uint8) -> [1, 255, 44].
  assert.deepEqual([1.7, -1.7, 300].map((v) => castScalar(v, "uint8")), [1, 255, 44]);
  assert.equal(castScalar(200, "int8"), -56);
  assert.equal(castScalar(70000, "int16"), 4464);
  assert.equal(castScalar(2 ** 31, "int32"), -(2 ** 31));
  assert.equal(castScalar(-2.5, "int64"), -2);
  assert.equal(castScalar(1e20, "int64"), -(2 ** 63));
  assert.equal(castScalar(true, "int32"), 1);
  assert.equal(castScalar(false, "float32"), 0);
  assert.equal(castScalar(0.5, "bool"), 1);
  assert.equal(castScalar(0, "bool"), 0);
  assert.equal(castScalar(-3, "bool"), 1);
  assert.equal(castScalar(1, "float16"), 0x3c00);
  assert.equal(castScalar(1, "bfloat16"), 0x3f80);
  assert.equal(castScalar(1.1, "float64"), 1.1);
  const i64 = new BigInt64Array(3);
  setElement(i64, 1, -7.9);
  assert.deepEqual([...i64], [0n, -7n, 0n]);
  const f = new Float32Array(3);
  setElement(f, 2, 1.5);
  assert.deepEqual([...f], [0, 0, 1.5]);
  fillStorage(i64, 4.5, 1, 3);
  assert.deepEqual([...i64], [0n, 4n, 4n]);
  fillStorage(f, 2);
  assert.deepEqual([...f], [2, 2, 2]);
  fillStorage(f, 3, 0, 1);
  assert.deepEqual([...f], [3, 2, 2]);
  assert.deepEqual([...int64From([0, 2, -1])], [0n, 2n, -1n]);
  assert.equal(num(5n), 5);
  assert.equal(num(-2.5), -2.5);
});

test("dtype kinds, index dtypes, scalar kinds and promotion with scalars (PyTorch's categories)", () => {
  const all = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"] as const;
  assert.deepEqual(all.map((d) => dtypeKind(d)), [0, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.deepEqual(all.map(isFloating), [false, false, false, false, false, false, true, true, true, true]);
  assert.deepEqual(all.map(isIntegral), [false, true, true, true, true, true, false, false, false, false]);
  assert.deepEqual(all.map(isIndexDtype), [false, false, false, false, true, true, false, false, false, false]);
  assert.equal(isFloating("toString" as never), false);
  assert.equal(isIntegral("nope" as never), false);
  throwsWith(() => dtypeKind(undefined as never), "dtypeKind: dtype must be one of bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, got undefined");
  throwsWith(() => dtypeKind("toString" as never), /^dtypeKind: dtype must be one of "float32", .*, got string "toString"$/);
  throwsWith(() => promoteTypes("float32", "double" as never), /^promoteTypes: dtype must be one of .*, got string "double"$/);
  assert.equal(scalarKind(true), "bool");
  assert.equal(scalarKind(2), "int64");
  assert.equal(scalarKind(2.5), "float32");
  // torch.tensor([1], dtype=torch.uint8) + 300 stays uint8; int8 + 1.5 is float32; bool + 1 is int64;
  // float64 + 1.5 stays float64; bool + True stays bool.
  assert.equal(promoteWithScalar("uint8", 300), "uint8");
  assert.equal(promoteWithScalar("int8", 1.5), "float32");
  assert.equal(promoteWithScalar("bool", 1), "int64");
  assert.equal(promoteWithScalar("bool", 1.5), "float32");
  assert.equal(promoteWithScalar("bool", true), "bool");
  assert.equal(promoteWithScalar("float64", 1.5), "float64");
  assert.equal(promoteWithScalar("float16", 2), "float16");
  assert.equal(promoteWithScalar("int32", false), "int32");
});

test("dtypeOfArray and ArrayFor: each typed array's dtype and each dtype's array", () => {
  assert.equal(dtypeOfArray(new Uint8Array(1)), "bool");
  throwsWith(() => dtypeOfArray(new Uint16Array(1)), 'tensor: a Uint16Array holds float16 or bfloat16 bit patterns; say which with { dtype: "float16" } or { dtype: "bfloat16" }');
  assert.equal(ArrayFor.int64, BigInt64Array);
  assert.equal(ArrayFor.float16, Uint16Array);
  assert.equal(ArrayFor.bool, Uint8Array);
  assert.equal(Object.getPrototypeOf(DTYPE_INFO), null);
  assert.equal((DTYPE_INFO as Record<string, unknown>).toString, undefined);
});

test("allocate: zeroed arrays of the dtype's type; small ones are 8-byte-aligned slots of a shared slab", () => {
  for (const d of ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool", "float16", "bfloat16"] as const) {
    const a = allocate(d, 5);
    assert.ok(a instanceof ArrayFor[d], d);
    assert.equal(a.length, 5);
    assert.ok([...a].every((v) => v === 0 || v === 0n), `${d} zeroed`);
  }
  // Consecutive small arrays share a buffer, each slot aligned to 8 bytes and not overlapping.
  const a = allocate("uint8", 3);
  const b = allocate("float64", 2);
  const c = allocate("int8", 9);
  const d = allocate("float32", 1);
  assert.equal(a.buffer, b.buffer);
  assert.equal(b.buffer, c.buffer);
  assert.equal(b.byteOffset, a.byteOffset + 8);
  assert.equal(c.byteOffset, b.byteOffset + 16);
  assert.equal(d.byteOffset, c.byteOffset + 16);
  for (const x of [a, b, c, d]) assert.equal(x.byteOffset % 8, 0);
  a.fill(1);
  (b as Float64Array).fill(2);
  c.fill(3);
  assert.deepEqual([...a], [1, 1, 1]);
  assert.deepEqual([...b], [2, 2]);
  // 1024 bytes is still a slab slot; 1025 or an empty array gets its own buffer.
  assert.equal(allocate("uint8", 1024).buffer.byteLength, 65536);
  assert.equal(allocate("uint8", 1025).buffer.byteLength, 1025);
  assert.equal(allocate("float32", 0).buffer.byteLength, 0);
  // A slot that exactly fills the slab is taken from it; the next one starts a fresh slab.
  let x = allocate("uint8", 8);
  if (x.byteOffset + 8 === 65536) x = allocate("uint8", 8); // the slab was full: x opened a fresh one
  let rem = 65536 - x.byteOffset - 8;
  while (rem > 1024) {
    assert.equal(allocate("uint8", 1024).buffer, x.buffer);
    rem -= 1024;
  }
  const lastSlot = allocate("uint8", rem);
  assert.equal(lastSlot.buffer, x.buffer, "the slot that exactly fills the slab comes from it");
  assert.equal(lastSlot.byteOffset + rem, 65536);
  const fresh = allocate("uint8", 8);
  assert.notEqual(fresh.buffer, x.buffer);
  assert.equal(fresh.byteOffset, 0);
});

test("allocate refuses a dtype that is not one, naming allocate", () => {
  throwsWith(() => allocate("double" as never, 2), /^allocate: dtype must be one of .*, got string "double"$/);
  throwsWith(() => allocate("toString" as never, 2), /^allocate: dtype must be one of .*, got string "toString"$/);
});
