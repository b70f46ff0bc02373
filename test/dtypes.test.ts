// The integer storage dtypes (uint8, int8, int16, int32, int64) against PyTorch 1.13
// (scripts/fixtures/dtypes.py): promotion of every dtype pair, casts of edge values, creation range
// checks, a few ops per dtype on both backends, printing, safetensors round trips and the errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { Tensor, tensor, zeros, ones, full, arange } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { parseSafetensors, serializeSafetensors } from "../src/io/safetensors.js";
import { promoteTypes, type DType } from "../src/tensor/dtype.js";
import { resultType } from "../src/ops/op.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FIX: any = JSON.parse(readFileSync(new URL("./fixtures/dtypes.json", import.meta.url), "utf8"));
// The fixture writes non-finite floats as strings (JSON has none), and int64 values as decimal strings.
const num = (v: number | string): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : Number(v));

test("promotion of every dtype pair matches PyTorch (1-D with 1-D and with 0-D)", () => {
  assert.equal(FIX.promotion.length, 64);
  for (const p of FIX.promotion) {
    const a = ones([2], { dtype: p.a });
    assert.equal(promoteTypes(p.a, p.b), p.tensor, `${p.a} + ${p.b}`);
    assert.equal(a.add(ones([2], { dtype: p.b })).dtype, p.tensor, `${p.a} + ${p.b} (add)`);
    assert.equal(resultType(a, ones([], { dtype: p.b })), p.zeroDim, `${p.a} + 0-d ${p.b}`);
  }
});

test("promotion with a scalar only raises the category, as PyTorch", () => {
  for (const s of FIX.scalars) {
    assert.equal(resultType(ones([2], { dtype: s.a }), s.scalar), s.dtype, `${s.a} with ${s.scalar}`);
  }
});

test("casts of edge values wrap and truncate as PyTorch", () => {
  for (const backend of ["js", "wasm"]) {
    const before = getBackend();
    setBackend(backend);
    try {
      for (const c of FIX.casts) {
        // float64 1e10 -> int32 is x86's "integer indefinite" in PyTorch; int32 keeps deeptype's own rule.
        const vals = c.to === "int32" ? c.values.slice(0, -1) : c.values;
        const got = Array.from(tensor(vals, { dtype: c.from }).to(c.to as DType).data());
        assert.deepEqual(got, c.out.slice(0, vals.length).map(num), `${backend}: ${c.from} -> ${c.to}`);
      }
    } finally {
      setBackend(before);
    }
  }
});

test("tensor(...) refuses values that overflow the dtype, as torch.tensor does", () => {
  assert.equal(FIX.create.length, 68);
  for (const c of FIX.create) {
    if (c.out === "error") assert.throws(() => tensor([c.value], { dtype: c.dtype }), new RegExp(`tensor: value ${c.value} cannot be converted to ${c.dtype}`));
    else assert.deepEqual(Array.from(tensor([c.value], { dtype: c.dtype }).data()), [c.out], `${c.dtype} ${c.value}`);
  }
  assert.throws(() => full([2], 300, { dtype: "uint8" }), /full: value 300 cannot be converted to uint8 without overflow \(uint8 holds 0\.\.255\)/);
  assert.throws(() => full([2], -129, { dtype: "int8" }), /full: value -129 cannot be converted to int8/);
  assert.throws(() => full([1], NaN, { dtype: "int16" }), /full: value NaN cannot be converted to int16/);
});

test("creation functions give the asked dtype and storage", () => {
  const arrays = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array } as const;
  for (const [d, A] of Object.entries(arrays) as [DType, typeof arrays[keyof typeof arrays]][]) {
    for (const t of [zeros([3], { dtype: d }), ones([3], { dtype: d }), full([3], 5, { dtype: d }), arange(3, undefined, 1, { dtype: d }), tensor([1, 2, 3], { dtype: d })]) {
      assert.equal(t.dtype, d);
      assert.ok(t.data() instanceof A, `${d} storage`);
    }
    assert.deepEqual(Array.from(arange(3, undefined, 1, { dtype: d }).data()), [0, 1, 2]);
    assert.equal(dt.zerosLike(ones([2], { dtype: d })).dtype, d);
  }
  assert.equal(tensor(new Int8Array([1, -2])).dtype, "int8");
  assert.equal(tensor(new Int16Array([1, -2])).dtype, "int16");
  // PyTorch's arange wraps in uint8 rather than refusing (torch.arange(250, 260, dtype=torch.uint8)).
  assert.deepEqual(Array.from(arange(250, 260, 1, { dtype: "uint8" }).data()), [250, 251, 252, 253, 254, 255, 0, 1, 2, 3]);
});

type Fn = (...a: unknown[]) => Tensor;
const OPS: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  floorDivide: (a, b) => (dt.floorDivide as Fn)(a, b),
  remainder: (a, b) => (dt.remainder as Fn)(a, b),
  eq: (a, b) => a.eq(b),
  lt: (a, b) => a.lt(b),
  maximum: (a, b) => (dt.maximum as Fn)(a, b),
  neg: (a) => a.neg(),
  abs: (a) => a.abs(),
  exp: (a) => a.exp(),
  sqrt: (a) => a.sqrt(),
  sign: (a) => a.sign(),
  sum: (a) => a.sum(),
  prod: (a) => a.prod(),
  amax: (a) => dt.amax(a),
  amin: (a) => dt.amin(a),
  cumsum: (a) => a.cumsum(0),
  argmax: (a) => a.argmax(),
  add300: (a) => a.add(300),
  "mul1.5": (a) => a.mul(1.5),
  subTrue: (a) => a.sub(2),
};

test("elementwise, comparison and reduction ops on integer dtypes match PyTorch on both backends", () => {
  assert.equal(FIX.ops.length, 115);
  for (const backend of ["js", "wasm"]) {
    const before = getBackend();
    setBackend(backend);
    try {
      for (const o of FIX.ops) {
        const a = tensor(o.a, { dtype: o.dtype });
        const b = o.b ? tensor(o.b, { dtype: o.dtype }) : (undefined as unknown as Tensor);
        const where = `${backend}: ${o.op} on ${o.dtype}`;
        assert.ok(OPS[o.op], `no mapping for ${o.op}`);
        assert.ok(!o.error, `${where}: PyTorch raised ${o.error}`);
        const y = OPS[o.op](a, b);
        assert.equal(y.dtype, o.out.dtype, where);
        assert.deepEqual(y.shape, o.out.shape, where);
        const got = Array.from(y.data());
        o.out.data.map(num).forEach((v: number, i: number) => {
          if (!Number.isFinite(v)) assert.ok(Object.is(got[i], v), `${where} [${i}]: ${got[i]} vs ${v}`);
          else if (Number.isInteger(v) && o.out.dtype !== "float32") assert.equal(got[i], v, `${where} [${i}]`);
          else assert.ok(Math.abs(got[i] - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${where} [${i}]: ${got[i]} vs ${v}`);
        });
      }
    } finally {
      setBackend(before);
    }
  }
});

test("printing shows integer values and the dtype, as PyTorch", () => {
  // PyTorch: tensor([250,  10], dtype=torch.uint8); tensor([-128,  127], dtype=torch.int8)
  assert.equal(tensor([250, 10], { dtype: "uint8" }).toString(), "tensor([250,  10], dtype=uint8)");
  assert.equal(tensor([-128, 127], { dtype: "int8" }).toString(), "tensor([-128,  127], dtype=int8)");
  assert.equal(tensor([1, 2], { dtype: "int16" }).toString(), "tensor([1, 2], dtype=int16)");
});

test("safetensors reads U8/I8/I16 into uint8/int8/int16 and writes them back byte for byte", () => {
  const recs = {
    u: { dtype: "uint8" as const, shape: [3], data: new Uint8Array([0, 200, 255]) },
    i: { dtype: "int8" as const, shape: [2], data: new Int8Array([-128, 127]) },
    s: { dtype: "int16" as const, shape: [2], data: new Int16Array([-32768, 1234]) },
  };
  const bytes = serializeSafetensors(recs);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)))));
  assert.deepEqual([header.u.dtype, header.i.dtype, header.s.dtype], ["U8", "I8", "I16"]);
  const back = parseSafetensors(bytes).tensors;
  for (const [k, r] of Object.entries(recs)) {
    assert.equal(back[k].dtype, r.dtype);
    assert.equal(back[k].data.constructor, r.data.constructor);
    assert.deepEqual(Array.from(back[k].data as ArrayLike<number>), Array.from(r.data));
  }
  assert.deepEqual(serializeSafetensors(Object.fromEntries(Object.entries(back).map(([k, r]) => [k, { dtype: r.dtype, shape: r.shape, data: r.data }]))), bytes);
  // A narrow int may be written wider on request, never narrower with a value that does not fit.
  assert.throws(() => serializeSafetensors({ s: recs.s }, undefined, { dtypes: { s: "I8" } }), /element 0 \(-32768\) does not fit in I8/);
  assert.equal(parseSafetensors(serializeSafetensors({ u: recs.u }, undefined, { dtypes: { u: "I32" } })).tensors.u.dtype, "int32");
});

test("bad calls on integer dtypes: clear errors naming the function and the dtype", () => {
  assert.throws(() => tensor([1], { dtype: "uint8" }).requiresGrad_(), /requiresGrad: only floating point tensors can require gradients, this one is uint8/);
  assert.throws(() => zeros([2], { dtype: "long" as DType }), /zeros: dtype must be one of .*"int64".*"uint8".*got string "long"; PyTorch's long is "int64"/);
  assert.throws(() => tensor([1, 0], { dtype: "int8" }).floorDivide(tensor([0, 1], { dtype: "int8" })), /floorDivide.*division by zero/i);
  // A float op promotes to float32 rather than refusing (PyTorch: torch.tensor([5], dtype=torch.uint8).exp() is float32).
  assert.equal(tensor([5], { dtype: "uint8" }).exp().dtype, "float32");
});
