// int64 (BigInt64Array storage) against PyTorch 1.13 (scripts/fixtures/dtypes.py, the "int64" section):
// casts of the extremes, creation limits, and arithmetic whose exact result a double cannot hold, on
// both backends; plus sums that overflow int32, the integer-mean error, index ops taking int64 indices,
// and exact round trips through safetensors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { Tensor, tensor, arange, zeros } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { parseSafetensors, serializeSafetensors } from "../src/io/safetensors.js";
import { fromRecord, toRecord } from "../src/io/checkpoint.js";
import type { DType } from "../src/tensor/dtype.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FIX: any = JSON.parse(readFileSync(new URL("./fixtures/dtypes.json", import.meta.url), "utf8")).int64;
const big = (xs: string[]): bigint[] => xs.map((v) => BigInt(v));
const num = (v: number | string): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : Number(v));

function onBothBackends(f: (backend: string) => void): void {
  for (const b of ["js", "wasm"]) {
    const before = getBackend();
    setBackend(b);
    try {
      f(b);
    } finally {
      setBackend(before);
    }
  }
}

/** The exact elements of any tensor: bigints for int64, numbers otherwise. */
function exact(t: Tensor): (bigint | number)[] {
  return t.dtype === "int64" ? Array.from(t.dataBigInt()) : Array.from(t.data());
}

test("int64 extremes cast to every dtype as PyTorch (wrapping exactly, not through a double)", () => {
  const x = tensor(big(FIX.values));
  assert.equal(x.dtype, "int64");
  onBothBackends((b) => {
    for (const [d, want] of Object.entries(FIX.casts) as [DType, (string | number)[]][]) {
      const got = exact(x.to(d));
      const expected = d === "int64" ? big(want as string[]) : (want as number[]).map(num);
      assert.deepEqual(got, expected, `${b}: int64 -> ${d}`);
    }
    // Floats to int64 truncate; NaN-like overflow (±1e19) is -2^63, as PyTorch on x86.
    assert.deepEqual(exact(tensor(FIX.fromFloat.values, { dtype: "float64" }).long()), big(FIX.fromFloat.out), `${b}: float64 -> int64`);
  });
});

test("tensor(..., { dtype: int64 }) takes bigints exactly and refuses what int64 cannot hold, as torch.tensor", () => {
  for (const c of FIX.create) {
    const v = typeof c.value === "string" ? BigInt(c.value) : c.value;
    if (c.out === "error") assert.throws(() => tensor([v], { dtype: "int64" }), new RegExp(`tensor: value ${c.value} cannot be converted to int64`));
    else assert.equal(tensor([v], { dtype: "int64" }).itemBigInt(), BigInt(c.out), `int64 ${c.value}`);
  }
});

test("int64 arithmetic, comparisons, reductions, scans and sort are exact beyond 2^53 on both backends", () => {
  assert.equal(FIX.ops.length, 28);
  const OPS: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
    add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), mul: (a, b) => a.mul(b),
    floorDivide: (a, b) => dt.floorDivide(a, b), remainder: (a, b) => dt.remainder(a, b), fmod: (a, b) => dt.fmod(a, b),
    eq: (a, b) => a.eq(b), lt: (a, b) => a.lt(b), gt: (a, b) => a.gt(b),
    maximum: (a, b) => dt.maximum(a, b), minimum: (a, b) => dt.minimum(a, b),
    neg: (a) => a.neg(), abs: (a) => a.abs(), sum: (a) => a.sum(), prod: (a) => a.prod(),
    amax: (a) => dt.amax(a), amin: (a) => dt.amin(a), cumsum: (a) => a.cumsum(0), cumprod: (a) => dt.cumprod(a, 0),
    argmax: (a) => a.argmax(), argmin: (a) => a.argmin(),
    sortValues: (a) => dt.sort(a).values, sortIndices: (a) => dt.sort(a).indices, sortDesc: (a) => dt.sort(a, -1, true).values,
    square: (a) => a.square(), add1: (a) => a.add(1), mulMinus1: (a) => a.mul(-1), float: (a) => a.double(),
  };
  onBothBackends((backend) => {
    for (const o of FIX.ops) {
      const where = `${backend}: ${o.op}`;
      assert.ok(OPS[o.op], `no mapping for ${o.op}`);
      const a = tensor(big(o.a));
      const y = OPS[o.op](a, o.b ? tensor(big(o.b)) : (undefined as unknown as Tensor));
      assert.equal(y.dtype, o.out.dtype, where);
      assert.deepEqual(y.shape, o.out.shape, where);
      const want = o.out.dtype === "int64" ? big(o.out.data) : o.out.data.map(num);
      assert.deepEqual(exact(y), want, where);
    }
  });
});

test("sum, prod and cumsum of bool and small integer dtypes accumulate in int64 (no int32 overflow)", () => {
  onBothBackends((b) => {
    const x = tensor([2147483647, 2147483647, 5], { dtype: "int32" });
    const s = x.sum();
    assert.equal(s.dtype, "int64", b);
    assert.equal(s.itemBigInt(), 4294967299n, `${b}: PyTorch: tensor(4294967299)`);
    assert.deepEqual(exact(x.cumsum(0)), [2147483647n, 4294967294n, 4294967299n], b);
    assert.equal(x.prod().itemBigInt(), BigInt.asIntN(64, 2147483647n * 2147483647n * 5n), `${b}: prod wraps modulo 2^64 as PyTorch`);
    for (const d of ["bool", "uint8", "int8", "int16", "int32"] as const) {
      assert.equal(tensor([1, 1, 0], { dtype: d }).sum().dtype, "int64", `${b}: sum of ${d}`);
      assert.equal(tensor([1, 1, 0], { dtype: d }).cumsum(0).dtype, "int64", `${b}: cumsum of ${d}`);
      assert.equal(dt.cumprod(tensor([1, 1, 0], { dtype: d }), 0).dtype, "int64", `${b}: cumprod of ${d}`);
    }
    assert.equal(tensor([200, 100], { dtype: "uint8" }).sum().item(), 300, `${b}: uint8 sum does not wrap`);
    assert.equal(zeros([2, 3], { dtype: "int16" }).sum(1).dtype, "int64");
  });
});

test("mean of an integer tensor raises as PyTorch 1.13, naming the fix", () => {
  for (const d of ["int64", "int32", "uint8", "bool"] as const) {
    assert.throws(() => tensor([1, 2], { dtype: d }).mean(), new RegExp(`mean: could not infer the output dtype: the input is ${d}.*x\\.float\\(\\)\\.mean\\(\\)`));
  }
  assert.equal(tensor([1, 2], { dtype: "int64" }).mean(undefined, { dtype: "float32" }).item(), 1.5);
  assert.equal(tensor([1, 2], { dtype: "int64" }).float().mean().item(), 1.5);
});

test("promotion with int64: int64 + float32 is float32, int64 + int32/uint8/bool is int64, an int scalar keeps the tensor's dtype", () => {
  const i64 = tensor([1n, 2n]);
  assert.equal(i64.add(tensor([1.5, 2])).dtype, "float32");
  assert.equal(i64.add(tensor([1, 2], { dtype: "int32" })).dtype, "int64");
  assert.equal(i64.add(tensor([1, 2], { dtype: "uint8" })).dtype, "int64");
  assert.equal(i64.add(tensor([true, false])).dtype, "int64");
  assert.equal(tensor([1, 2], { dtype: "int32" }).add(5).dtype, "int32");
  assert.equal(tensor([true]).add(2).dtype, "int64");
  assert.equal(i64.mul(0.5).dtype, "float32");
});

test("index ops take int64 indices wherever they take int32", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  const rows = tensor([1n, 0n]), cols = tensor([[2n, 0n], [1n, 1n]]);
  const i32 = (t: Tensor): Tensor => t.int();
  const same = (f: (i: Tensor) => Tensor, idx: Tensor, name: string): void => {
    const a = f(idx), b = f(i32(idx));
    assert.deepEqual(a.tolist(), b.tolist(), name);
    assert.equal(a.dtype, b.dtype, name);
  };
  same((i) => x.indexSelect(0, i), rows, "indexSelect");
  same((i) => x.gather(1, i), cols, "gather");
  same((i) => x.scatter(1, i, tensor([[9, 8], [7, 6]])), cols, "scatter");
  same((i) => x.scatterAdd(1, i, tensor([[9, 8], [7, 6]])), cols, "scatterAdd");
  same((i) => x.indexAdd(0, i, tensor([[1, 1, 1], [2, 2, 2]])), rows, "indexAdd");
  same((i) => x.indexFill(1, i, -1), rows, "indexFill");
  same((i) => dt.take(x, i), cols, "take");
  same((i) => dt.takeAlongDim(x, i, 1), cols, "takeAlongDim");
  same((i) => x.get(i), rows, "get");
  same((i) => x.get(":", i), rows, "get(:, idx)");
  same((i) => dt.indexPut(x, [i, i], tensor(0)), rows, "indexPut");
  same((i) => dt.nn.functional.embedding(i, x), rows, "embedding");
  same((i) => dt.nn.functional.oneHot(i, 3), rows, "oneHot");
  same((i) => dt.nn.functional.crossEntropy(x, i), rows, "crossEntropy");
  same((i) => dt.nn.functional.nllLoss(x.logSoftmax(1), i), rows, "nllLoss");
  same((i) => dt.bincount(i), tensor([0n, 2n, 2n]), "bincount");
  same((i) => dt.repeatInterleave(x, i, 0), rows, "repeatInterleave");
  const y = x.clone();
  y.set(rows, tensor([0, 0, 0]));
  assert.deepEqual(y.tolist(), [[0, 0, 0], [0, 0, 0]], "set with int64 indices");
  assert.equal(dt.nn.functional.oneHot(rows, 3).dtype, "int64", "oneHot is int64, as PyTorch");
  assert.equal(dt.bincount(rows).dtype, "int64", "bincount counts are int64, as PyTorch");
  assert.throws(() => x.indexSelect(0, tensor([5n])), /indexSelect: index 5 is out of range for dim 0 of size 2/);
});

test("int64 reads as numbers where exact and as bigints beyond 2^53: item, tolist, data, printing", () => {
  const x = tensor([1n, -(2n ** 63n), 2n ** 53n + 1n]);
  assert.deepEqual(x.tolist(), [1, -(2n ** 63n), 2n ** 53n + 1n]);
  assert.equal(x.get(0).item(), 1);
  assert.throws(() => x.get(2).item(), /item: the int64 value 9007199254740993 is beyond ±\(2\^53 - 1\).*itemBigInt\(\)/);
  assert.equal(x.get(2).itemBigInt(), 9007199254740993n);
  assert.throws(() => x.data(), /data: the int64 value -9223372036854775808 \(element 1\).*dataBigInt\(\)/);
  assert.deepEqual(Array.from(tensor([3n, -4n]).data()), [3, -4]);
  // PyTorch prints int64 without a dtype (it is the default integer type), and every digit.
  assert.equal(x.toString(), "tensor([                   1, -9223372036854775808,     9007199254740993])");
  assert.equal(tensor([1, 2], { dtype: "int64" }).toString(), "tensor([1, 2])");
  assert.equal(zeros([0], { dtype: "int64" }).toString(), "tensor([], dtype=int64)");
  assert.equal(arange(3).long().elementSize(), 8);
});

test("safetensors I64 round-trips every int64 exactly, and state dicts keep int64 buffers", () => {
  const values = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -1n, 0n];
  const t = tensor(values);
  const bytes = serializeSafetensors({ ids: toRecord(t) });
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)))));
  assert.equal(header.ids.dtype, "I64");
  const rec = parseSafetensors(bytes).tensors.ids;
  assert.equal(rec.dtype, "int64");
  assert.deepEqual(Array.from(fromRecord(rec).dataBigInt()), values);
  assert.deepEqual(serializeSafetensors({ ids: rec }), bytes, "byte for byte");
  // Writing narrower is allowed only when every value fits.
  assert.throws(() => serializeSafetensors({ ids: toRecord(t) }, undefined, { dtypes: { ids: "I32" } }), /element 0 \(9223372036854775807\) does not fit in I32/);
  const small = parseSafetensors(serializeSafetensors({ s: toRecord(tensor([5n, -7n])) }, undefined, { dtypes: { s: "I32" } })).tensors.s;
  assert.deepEqual([small.dtype, Array.from(small.data as Int32Array)], ["int32", [5, -7]]);
});

test("narrow integers and bools widen to int64 exactly: sign extension, strided sources, offset outputs", () => {
  // The word-pair path (widenToInt64) against the values themselves, on both backends.
  const vals = [0, 1, -1, 2147483647, -2147483648, 123456789, -98765, 7];
  onBothBackends(() => {
    const i32 = tensor(vals, { dtype: "int32" });
    assert.deepEqual(exact(i32.to("int64")), vals.map((v) => BigInt(v)));
    // A transposed (non-dense) source.
    const m = tensor(vals, { dtype: "int32" }).reshape([2, 4]).transpose(0, 1);
    assert.deepEqual(exact(m.to("int64")), [0, -2147483648, 1, 123456789, -1, -98765, 2147483647, 7].map((v) => BigInt(v)));
    for (const [dtype, xs] of [["int16", [-32768, 32767, -1, 5]], ["int8", [-128, 127, -1, 0]], ["uint8", [0, 255, 128, 1]], ["bool", [1, 0, 1, 1]]] as const) {
      assert.deepEqual(exact(tensor([...xs], { dtype }).to("int64")), xs.map((v) => BigInt(v)), dtype);
    }
    // Into a slice of a larger int64 tensor (an output at an offset): its neighbours stay untouched.
    const dst = zeros([10], { dtype: "int64" });
    dst.slice(0, 3, 7).copy_(tensor([-5, 6, -7, 8], { dtype: "int32" }));
    assert.deepEqual(exact(dst), [0, 0, 0, -5, 6, -7, 8, 0, 0, 0].map((v) => BigInt(v)));
  });
});
