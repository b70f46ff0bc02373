/**
 * Checks written for the survivors of the src/io mutation run (docs/mutation/history.md, issue 14): the
 * safetensors element decoder (src/io/dtypes.ts) on values whose bytes are not symmetric (a byte-order
 * mistake reads 0x0102 as 0x0201), and the integer ranges at their exact edges, on both the copying
 * path of little-endian hosts and the element-by-element path of big-endian ones.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decode, encodeInto } from "../src/io/dtypes.js";

const bad = (m: string): never => {
  throw new Error(m);
};
const le = (bytes: number[]): Uint8Array => Uint8Array.from(bytes);

test("mutation io dtypes: U16 and U32 are read little-endian, widened to int32", () => {
  for (const host of [true, false]) {
    // 0x0102 = 258 and 0xfffe = 65534; 0x01020304 = 16909060 and 0x7fffffff, the largest that fits.
    assert.deepEqual(decode("U16", le([2, 1, 0xfe, 0xff]), 0, 2, bad, host), Int32Array.from([258, 65534]));
    assert.deepEqual(decode("U32", le([4, 3, 2, 1, 0xff, 0xff, 0xff, 0x7f]), 0, 2, bad, host), Int32Array.from([16909060, 2147483647]));
    // Reading from an offset into the buffer.
    assert.deepEqual(decode("U16", le([9, 9, 2, 1]), 2, 1, bad, host), Int32Array.from([258]));
  }
});

test("mutation io dtypes: a U32 above int32's range is refused with its index and value", () => {
  assert.throws(() => decode("U32", le([0, 0, 0, 0, 0, 0, 0, 0x80]), 0, 2, bad), (e: Error) => {
    assert.equal(e.message, "element 1 (2147483648) of this U32 tensor does not fit in int32, the widest integer dtype deeptype has");
    return true;
  });
  // I32 on the element-by-element path keeps its sign, the smallest int32 included.
  assert.deepEqual(decode("I32", le([0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff]), 0, 2, bad, false), Int32Array.from([-2147483648, -1]));
});

test("mutation io dtypes: U64 up to 2^63 - 1 becomes int64; 2^63 is refused", () => {
  const max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
  assert.deepEqual(decode("U64", le([2, 1, 0, 0, 0, 0, 0, 0, ...max]), 0, 2, bad), BigInt64Array.from([258n, 2n ** 63n - 1n]));
  assert.throws(() => decode("U64", le([...max, 0, 0, 0, 0, 0, 0, 0, 0x80]), 0, 2, bad), (e: Error) => {
    assert.equal(e.message, "element 1 (9223372036854775808) of this U64 tensor does not fit in int64, the widest integer dtype deeptype has");
    return true;
  });
});

test("mutation io dtypes: encodeInto writes int64 as I64 bit for bit (beyond 2^53 too), at the offset given", () => {
  const data = BigInt64Array.from([2n ** 60n + 1n, -(2n ** 62n) - 3n]);
  const out = new Uint8Array(20);
  encodeInto({ dtype: "int64", shape: [2], data }, "I64", out, 4, "w");
  const v = new DataView(out.buffer);
  assert.deepEqual([v.getBigInt64(4, true), v.getBigInt64(12, true)], [2n ** 60n + 1n, -(2n ** 62n) - 3n]);
  assert.deepEqual([...out.subarray(0, 4)], [0, 0, 0, 0]);
  // Written as I32 when every value fits; the first that does not is named.
  const small = new Uint8Array(8);
  encodeInto({ dtype: "int64", shape: [2], data: BigInt64Array.from([-2n, 2147483647n]) }, "I32", small, 0, "w");
  assert.deepEqual(Array.from(new Int32Array(small.buffer)), [-2, 2147483647]);
  assert.throws(() => encodeInto({ dtype: "int64", shape: [2], data: BigInt64Array.from([0n, 2147483648n]) }, "I32", new Uint8Array(8), 0, "w"), (e: Error) => {
    assert.equal(e.message, "w: element 1 (2147483648) does not fit in I32 [-2147483648, 2147483647]; write it as I64");
    return true;
  });
});

test("mutation io dtypes: encodeInto converts to every narrower integer and bool code, little-endian", () => {
  const write = (dtype: "int32" | "float32" | "int16", data: number[], code: "I16" | "I8" | "U8" | "BOOL" | "I64" | "F64"): number[] => {
    const Arr = dtype === "int32" ? Int32Array : dtype === "int16" ? Int16Array : Float32Array;
    const size = { I16: 2, I8: 1, U8: 1, BOOL: 1, I64: 8, F64: 8 }[code];
    const out = new Uint8Array(data.length * size);
    encodeInto({ dtype, shape: [data.length], data: Arr.from(data) }, code, out, 0, "t");
    return [...out];
  };
  assert.deepEqual(write("int32", [-3, 258], "I16"), [0xfd, 0xff, 2, 1]);
  assert.deepEqual(write("int32", [-3, 100], "I8"), [0xfd, 100]);
  assert.deepEqual(write("int16", [0, 255], "U8"), [0, 255]);
  assert.deepEqual(write("int32", [-1, 258], "I64"), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(write("float32", [1.5], "F64"), [0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
  const bool = new Uint8Array(3);
  encodeInto({ dtype: "bool", shape: [3], data: Uint8Array.from([1, 0, 1]) }, "BOOL", bool, 0, "t");
  assert.deepEqual([...bool], [1, 0, 1]);
  const u8 = new Uint8Array(3);
  encodeInto({ dtype: "bool", shape: [3], data: Uint8Array.from([1, 0, 1]) }, "U8", u8, 0, "t");
  assert.deepEqual([...u8], [1, 0, 1]);
});
