/**
 * The ONNX exporter's graphs read back node by node, without ONNX Runtime (test/onnx-export.test.ts
 * runs them there): written for the src/io mutation run (docs/mutation/history.md, issue 14), which reruns the
 * tests covering a mutant for every mutant, so these take milliseconds. Each expected node, attribute
 * and constant is what the ONNX operator specification (opset 13-21) defines for the op deeptype ran:
 * e.g. Clip's bounds are inputs of the input's type, Pad's pads are all begins then all ends,
 * ReduceSum takes its axes as an input from opset 13 and the other reductions from opset 18.
 * Also the exporter's errors, quoted in full, its options and versions, and every constant dtype's bytes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, tensor, Tensor, io, cat, full, zeros } from "../src/index.js";
import { buildOnnxModel, toOnnxBytes, type OnnxExportOptions } from "../src/io/onnx/export.js";
import { decodeOnnxModel, encodeOnnxModel, type OnnxModel, type OnnxNode } from "../src/io/onnx/schema.js";
import { EMITTERS } from "../src/io/onnx/ops.js";

class Fn extends nn.Module<Tensor[], unknown> {
  constructor(private readonly fn: (...x: Tensor[]) => unknown) {
    super();
  }
  forward(...x: Tensor[]): unknown {
    return this.fn(...x);
  }
}
const fn = (f: (...x: Tensor[]) => unknown): Fn => new Fn(f);
const build = (m: nn.Module<any, any>, xs: Tensor[], opts: OnnxExportOptions = {}): OnnxModel => buildOnnxModel(m, xs, opts);

/** Float16 bits to a number, written out here so the check does not use the library's own decoder. */
function half(h: number): number {
  const s = h >> 15 ? -1 : 1, e = (h >> 10) & 31, f = h & 1023;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** The values of an initializer, decoded by its ONNX data type; with the type code and dims. */
function constant(m: OnnxModel, name: string): { type: number; dims: number[]; values: number[] } {
  const t = m.graph.initializer.find((i) => i.name === name);
  assert.ok(t, `no initializer ${name}`);
  const v = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
  const size = { 1: 4, 2: 1, 3: 1, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 16: 2 }[t.dataType as 1];
  assert.ok(size, `unexpected data type ${t.dataType}`);
  const values = Array.from({ length: t.rawData.byteLength / size }, (_, i) => {
    const o = i * size;
    switch (t.dataType) {
      case 1: return v.getFloat32(o, true);
      case 2: case 9: return v.getUint8(o);
      case 3: return v.getInt8(o);
      case 5: return v.getInt16(o, true);
      case 6: return v.getInt32(o, true);
      case 7: return Number(v.getBigInt64(o, true));
      case 10: return half(v.getUint16(o, true));
      case 11: return v.getFloat64(o, true);
      default: return new Float32Array(new Uint32Array([v.getUint16(o, true) << 16]).buffer)[0]; // bfloat16
    }
  });
  return { type: t.dataType, dims: [...t.dims], values };
}

/** Nodes as [opType, attributes by name]; attribute values as written (ints, floats, strings decoded). */
function nodes(m: OnnxModel): [string, Record<string, unknown>][] {
  return m.graph.node.map((n) => [n.opType, attrs(n)]);
}
function attrs(n: OnnxNode): Record<string, unknown> {
  return Object.fromEntries(n.attribute.map((a) => [a.name, a.i ?? a.f ?? a.ints ?? a.floats ?? (a.s ? new TextDecoder().decode(a.s) : a.t ? a.t : undefined)]));
}
const ops = (m: OnnxModel): string[] => m.graph.node.map((n) => n.opType);
const only = (m: OnnxModel, opType: string): OnnxNode => {
  const found = m.graph.node.filter((n) => n.opType === opType);
  assert.equal(found.length, 1, `one ${opType} in ${ops(m).join(" ")}`);
  return found[0];
};
/** The values of a node's k-th input, which must be an initializer. */
const inputConst = (m: OnnxModel, n: OnnxNode, k: number) => constant(m, n.input[k]);

test("mutation io onnx: the model's header, names and IR version per opset", () => {
  const m = build(new nn.ReLU(), [randn([2, 3])]);
  assert.equal(m.irVersion, 8);
  assert.equal(m.producerName, "deeptype");
  assert.equal(m.producerVersion, "0.1.0");
  assert.deepEqual(m.opsetImport, [{ domain: "", version: 17 }]);
  assert.equal(m.graph.name, "deeptype");
  assert.deepEqual(m.graph.input, [{ name: "input_0", type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }, { dimValue: 3 }] } } } }]);
  assert.deepEqual(m.graph.output, [{ name: "output_0", type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }, { dimValue: 3 }] } } } }]);
  assert.deepEqual(m.graph.node, [{ input: ["input_0"], output: ["output_0"], name: m.graph.node[0].name, opType: "Relu", attribute: [] }]);
  // ONNX's IR version for each opset (onnx/helper.py VERSION_TABLE): 13-14 -> 7, 15-17 -> 8, 18-20 -> 9, 21 -> 10.
  for (const [opset, ir] of [[13, 7], [14, 7], [15, 8], [17, 8], [18, 9], [20, 9], [21, 10]]) {
    const mo = build(new nn.ReLU(), [randn([2])], { opsetVersion: opset });
    assert.deepEqual([mo.irVersion, mo.opsetImport[0].version], [ir, opset], `opset ${opset}`);
  }
  const named = build(new nn.ReLU(), [randn([2])], { inputNames: ["x"], outputNames: ["y"], graphName: "g" });
  assert.equal(named.graph.name, "g");
  assert.deepEqual([named.graph.node[0].input, named.graph.node[0].output], [["x"], ["y"]]);
  // Through protobuf and back.
  const back = decodeOnnxModel(toOnnxBytes(new nn.ReLU(), [randn([2])], { graphName: "g2" }));
  assert.deepEqual([back.irVersion, back.producerName, back.graph.name, back.graph.node[0].opType], [8, "deeptype", "g2", "Relu"]);
  assert.throws(() => encodeOnnxModel({ ...m, irVersion: "x" as never }), /^Error: encodeOnnxModel: the model does not fit ONNX's schema: irVersion: integer\|Long expected$/);
});

test("mutation io onnx: bad models, inputs and options are errors naming exportOnnx and the fix", () => {
  const relu = new nn.ReLU();
  const x = [randn([2])];
  const err = (f: () => unknown, msg: string) => assert.throws(f, (e: Error) => (assert.equal(e.message, msg), true));
  err(() => build(null as never, x), "exportOnnx: expected an nn.Module, got null");
  err(() => build(5 as never, x), "exportOnnx: expected an nn.Module, got number");
  err(() => build({ call: () => 0 } as never, x), "exportOnnx: expected an nn.Module, got object");
  err(() => build({ namedParameters: () => [] } as never, x), "exportOnnx: expected an nn.Module, got object");
  const inputsMsg = "exportOnnx: exampleInputs must be a Tensor or an array of Tensors (the arguments of model.call)";
  err(() => build(relu, []), inputsMsg);
  err(() => build(relu, undefined as never), inputsMsg);
  err(() => build(relu, [x[0], 3 as never]), inputsMsg);
  assert.equal(build(relu, x[0] as never).graph.input.length, 1);
  for (const bad of [12, 22, 17.5]) err(() => build(relu, x, { opsetVersion: bad }), `exportOnnx: opsetVersion must be an integer from 13 to 21, got ${bad}`);
  err(() => build(relu, x, { outputNames: ["a", "b"] }), "exportOnnx: 2 outputNames for 1 model outputs; give one name per output");
  err(() => build(relu, x, { inputNames: [] }), "exportOnnx: 0 inputNames for 1 example inputs; give one name per input");
  for (const d of [1, -1, 0.5]) err(() => build(relu, x, { dynamicAxes: { input_0: [d] } }), `exportOnnx: dynamicAxes of "input_0" names dim ${d}, but it has 1 dims`);
  err(() => build(relu, x, { dynamicAxes: { y: [0] } }), `exportOnnx: dynamicAxes names "y", which is not an input or output name (input_0, output_0)`);
  err(() => build(fn((a) => (a.shape[0] > 2 ? a.relu() : a.exp())), [randn([2, 3])], { dynamicAxes: { input_0: [0] } }),
    "exportOnnx: the model runs different ops when a dynamic dim changes size (control flow on shapes); export with fixed shapes (no dynamicAxes)");
  err(() => build(fn(() => null), x), "exportOnnx: the model returned null; outputs must be Tensors or (nested) arrays of Tensors");
  err(() => build(fn(() => 3), x), "exportOnnx: the model returned number; outputs must be Tensors or (nested) arrays of Tensors");
  err(() => build(fn((a) => [a.relu(), "s"]), x), "exportOnnx: the model returned string; outputs must be Tensors or (nested) arrays of Tensors");
  assert.throws(() => build(relu, x, { opset: 17 } as never), /^Error: buildOnnxModel: unknown option 'opset'/);
  assert.throws(() => toOnnxBytes(relu, x, { opset: 17 } as never), /^Error: toOnnxBytes: unknown option 'opset'/);
  // The model is traced in eval mode and left in the mode it was in.
  const drop = new nn.Dropout(0.5);
  drop.train();
  assert.deepEqual(ops(build(drop, [randn([4])])), ["Identity"]);
  assert.equal(drop.training, true);
});

test("mutation io onnx: an in-place write to a value after an op read it is refused (the graph would read the old value)", () => {
  const msg = (op: string) => `exportOnnx: a tensor read by ${op} was modified in place after it was computed; in-place ops in forward cannot be traced, use the out-of-place op (e.g. add instead of add_)`;
  const later = fn((a) => {
    const y = a.mul(2);
    const z = y.add(1);
    y.add_(1);
    return z.add(y);
  });
  assert.throws(() => build(later, [randn([2])]), (e: Error) => (assert.equal(e.message, msg("add")), true));
  const returned = fn((a) => {
    const y = a.mul(2);
    y.mul_(3);
    return y;
  });
  assert.throws(() => build(returned, [randn([2])]), (e: Error) => (assert.equal(e.message, msg("output")), true));
  // A write after the last read changes nothing the graph computes: not refused.
  const after = fn((a) => {
    const y = a.mul(2);
    const z = y.relu();
    y.add_(1);
    return z;
  });
  assert.deepEqual(ops(build(after, [randn([2])])), ["Expand", "Mul", "Relu"]);
});

test("mutation io onnx: dynamic axes are named as given or <name>_dim_<axis>; kept sizes are numbers", () => {
  const m = build(new nn.ReLU(), [randn([2, 3])], { dynamicAxes: { input_0: { 0: "N" }, output_0: [0] } });
  assert.deepEqual(m.graph.input[0].type.tensorType.shape.dim, [{ dimParam: "N" }, { dimValue: 3 }]);
  assert.deepEqual(m.graph.output[0].type.tensorType.shape.dim, [{ dimParam: "output_0_dim_0" }, { dimValue: 3 }]);
  // Flatten keeps the dynamic batch (0 = copy the input's dim) and writes the rest.
  const f = build(new nn.Flatten(), [randn([2, 3, 4])], { dynamicAxes: { input_0: [0], output_0: [0] } });
  assert.deepEqual(ops(f), ["Reshape"]);
  assert.deepEqual(inputConst(f, f.graph.node[0], 1).values, [0, 12]);
  // A Linear over [batch, time, features] with both dynamic: folded to [-1, 4], unfolded with the time dim read at run time.
  const l = build(new nn.Linear(4, 2), [randn([2, 3, 4])], { dynamicAxes: { input_0: { 0: "b", 1: "t" } } });
  assert.deepEqual(ops(l), ["Reshape", "Gemm", "Shape", "Gather", "Concat", "Reshape"]);
  assert.deepEqual(inputConst(l, l.graph.node[0], 1).values, [-1, 4]);
  const [, gemm, shape, gather, concat] = l.graph.node;
  assert.deepEqual([gemm.input.slice(1), attrs(gemm)], [["weight", "bias"], { transB: 1 }]);
  assert.deepEqual(shape.input, ["input_0"]);
  assert.deepEqual([gather.input[0], inputConst(l, gather, 1).values, attrs(gather)], [shape.output[0], [1], { axis: 0 }]);
  assert.deepEqual([inputConst(l, concat, 0).values, concat.input[1], inputConst(l, concat, 2).values, attrs(concat)], [[-1], gather.output[0], [2], { axis: 0 }]);
  // A bias broadcast over a dynamic batch stays size 1 along it (Add broadcasts it).
  const b = build(fn((a) => a.add(tensor([1, 2, 3, 4]))), [randn([2, 3, 4])], { dynamicAxes: { input_0: [0] } });
  assert.deepEqual(ops(b), ["Expand", "Add"]);
  assert.deepEqual(inputConst(b, b.graph.node[0], 0).values, [1, 2, 3, 4]);
  assert.deepEqual(inputConst(b, b.graph.node[0], 1).values, [1, 3, 1]);
});

test("mutation io onnx: outputs that are not a node's own result go through Identity", () => {
  assert.deepEqual(build(fn((a) => a), [randn([2])]).graph.node.map((n) => [n.opType, n.input, n.output]), [["Identity", ["input_0"], ["output_0"]]]);
  const twice = build(fn((a) => {
    const y = a.relu();
    return [y, y];
  }), [randn([2])]);
  assert.deepEqual(twice.graph.node.map((n) => [n.opType, n.input, n.output]), [["Relu", ["input_0"], ["output_0"]], ["Identity", ["output_0"], ["output_1"]]]);
  assert.deepEqual(twice.graph.output.map((o) => o.name), ["output_0", "output_1"]);
  // A parameter returned as it is: its initializer, then Identity; nested and iterable outputs flatten in order.
  class P extends nn.Module<[Tensor], unknown> {
    w = new nn.Parameter(tensor([1.5, -2]));
    forward(a: Tensor): unknown {
      return new Set([[a.relu()], this.w]);
    }
  }
  const p = build(new P(), [randn([2])]);
  assert.deepEqual(p.graph.node.map((n) => [n.opType, n.input, n.output]), [["Relu", ["input_0"], ["output_0"]], ["Identity", ["w"], ["output_1"]]]);
  assert.deepEqual(constant(p, "w"), { type: 1, dims: [2], values: [1.5, -2] });
});

test("mutation io onnx: constants and weights keep their dtype's exact bytes (every dtype a graph may hold)", () => {
  const cases: [string, number, number, number][] = [
    ["float32", 1, -1.5, 2.25], ["float64", 11, -0.1, 1e300], ["int32", 6, -70000, 5], ["int16", 5, -300, 1000],
    ["int8", 3, -100, 7], ["uint8", 2, 3, 200], ["float16", 10, -1.5, 2.5], ["bfloat16", 16, -1.5, 2.5],
  ];
  for (const [dtype, code, lo, hi] of cases) {
    const m = build(fn((a) => a.clamp(lo, hi)), [tensor([1, 5], { dtype: dtype as "float32" })]);
    const clip = only(m, "Clip");
    assert.deepEqual([inputConst(m, clip, 1), inputConst(m, clip, 2)], [{ type: code, dims: [], values: [lo] }, { type: code, dims: [], values: [hi] }], dtype);
    assert.equal(m.graph.input[0].type.tensorType.elemType, code);
  }
  // bool: Pad's fill value, 1 and 0.
  for (const v of [1, 0]) {
    const m = build(fn((a) => nn.functional.pad(a, [1, 0], "constant", v)), [tensor([true, false], { dtype: "bool" })]);
    const pad = only(m, "Pad");
    assert.deepEqual(inputConst(m, pad, 2), { type: 9, dims: [], values: [v] });
    assert.deepEqual(inputConst(m, pad, 1), { type: 7, dims: [2], values: [1, 0] });
    assert.deepEqual(attrs(pad), { mode: "constant" });
  }
  // An unbounded side of a clamp is an empty input; an infinite bound of an integer tensor too.
  const lower = build(fn((a) => a.clamp(0)), [randn([2])]);
  assert.deepEqual(only(lower, "Clip").input.slice(2), [""]);
  assert.deepEqual(inputConst(lower, only(lower, "Clip"), 1).values, [0]);
  const upper = build(fn((a) => a.clamp(-Infinity, 3)), [tensor([1, 5], { dtype: "int32" })]);
  assert.deepEqual(only(upper, "Clip").input.slice(1, 2), [""]);
  const floatInf = build(fn((a) => a.clamp(-Infinity, Infinity)), [randn([2])]);
  assert.deepEqual(only(floatInf, "Clip").input.slice(1), ["", ""]);
  // Weights of 16-bit and 64-bit floats: bit patterns, by their state-dict names.
  for (const [dtype, code] of [["float16", 10], ["bfloat16", 16], ["float64", 11]] as const) {
    const lin = new nn.Linear(2, 1, { dtype });
    const m = build(lin, [randn([1, 2]).to(dtype)]);
    assert.deepEqual(constant(m, "weight"), { type: code, dims: [1, 2], values: Array.from(lin.weight.to("float64").data()) });
    assert.deepEqual(constant(m, "bias"), { type: code, dims: [1], values: Array.from(lin.bias!.to("float64").data()) });
  }
});

test("mutation io onnx: elementwise ops and their constants", () => {
  const x = [randn([2, 3])];
  const one = (f: (a: Tensor) => Tensor, xs = x, opts: OnnxExportOptions = {}) => build(fn(f), xs, opts);
  assert.deepEqual(nodes(one((a) => a.leakyRelu(0.25))), [["LeakyRelu", { alpha: 0.25 }]]);
  assert.equal(only(one((a) => a.leakyRelu(0.25)), "LeakyRelu").attribute[0].type, 1);
  assert.deepEqual(nodes(one((a) => a.elu(0.75))), [["Elu", { alpha: 0.75 }]]);
  const pw = one((a) => a.pow(3));
  assert.deepEqual([ops(pw), inputConst(pw, only(pw, "Pow"), 1).values], [["Pow"], [3]]);
  const l1p = one((a) => a.log1p(), [randn([2]).double()]);
  assert.deepEqual([ops(l1p), inputConst(l1p, only(l1p, "Add"), 1)], [["Add", "Log"], { type: 11, dims: [], values: [1] }]);
  const em1 = one((a) => a.expm1());
  assert.deepEqual([ops(em1), inputConst(em1, only(em1, "Sub"), 1).values], [["Exp", "Sub"], [1]]);
  assert.deepEqual(ops(one((a) => a.rsqrt())), ["Sqrt", "Reciprocal"]);
  const sq = one((a) => a.square());
  assert.deepEqual(sq.graph.node.map((n) => [n.opType, n.input]), [["Mul", ["input_0", "input_0"]]]);
  const ne = one((a) => a.ne(a.relu()));
  assert.deepEqual(ops(ne), ["Relu", "Equal", "Not"]);
  assert.deepEqual(ops(one((a) => a.remainder(a.relu().add(1)))).slice(-4), ["Div", "Floor", "Mul", "Sub"]);
  const mod = one((a) => a.remainder(a.abs().add(3)), [tensor([1, -5], { dtype: "int32" })]);
  assert.deepEqual(nodes(mod).at(-1), ["Mod", { fmod: 0 }]);
  assert.deepEqual(nodes(one((a) => a.to("float64"))), [["Cast", { to: 11 }]]);
  assert.deepEqual(nodes(one((a) => a.clone())), [["Identity", {}]]);
  // GELU: ONNX's Gelu from opset 20; before, its formula with √2, 1/2, 1 (and 0.044715, √(2/π) for tanh).
  assert.deepEqual(nodes(one((a) => nn.functional.gelu(a), x, { opsetVersion: 20 })), [["Gelu", {}]]);
  assert.deepEqual(nodes(build(new nn.GELU("tanh"), x, { opsetVersion: 20 })), [["Gelu", { approximate: "tanh" }]]);
  const g = one((a) => nn.functional.gelu(a));
  assert.deepEqual(ops(g), ["Div", "Erf", "Mul", "Add", "Mul"]);
  const gConsts = g.graph.initializer.map((t) => constant(g, t.name).values[0]);
  assert.deepEqual(gConsts, [Math.fround(Math.SQRT2), 0.5, 1]);
  const gt = build(new nn.GELU("tanh"), x);
  assert.deepEqual(ops(gt), ["Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Mul", "Add", "Mul"]);
  assert.deepEqual(gt.graph.initializer.map((t) => constant(gt, t.name).values[0]), [Math.fround(0.044715), Math.fround(Math.sqrt(2 / Math.PI)), 0.5, 1]);
});

test("mutation io onnx: views, slices and shapes", () => {
  const x = [randn([2, 3, 4])];
  const one = (f: (a: Tensor) => Tensor) => build(fn(f), x);
  assert.deepEqual(nodes(one((a) => a.permute([2, 0, 1]).contiguous())), [["Transpose", { perm: [2, 0, 1] }], ["Identity", {}]]);
  const ex = one((a) => a.expand([5, 2, 3, 4]).contiguous());
  assert.deepEqual(inputConst(ex, only(ex, "Expand"), 1).values, [5, 1, 1, 1]);
  const fl = one((a) => a.flip([0, 2]).contiguous());
  const slice = only(fl, "Slice");
  assert.deepEqual([1, 2, 3, 4].map((k) => inputConst(fl, slice, k).values), [[-1, -1], [-(2 ** 53), -(2 ** 53)], [0, 2], [-1, -1]]);
  const nr = one((a) => a.narrow(2, 1, 3).contiguous());
  const s2 = only(nr, "Slice");
  assert.deepEqual([1, 2, 3, 4].map((k) => inputConst(nr, s2, k).values), [[1], [4], [2], [1]]);
  const sel = one((a) => a.select(1, 2).contiguous());
  const s3 = only(sel, "Slice");
  assert.deepEqual([1, 2, 3, 4].map((k) => inputConst(sel, s3, k).values), [[2], [3], [1], [1]]);
  assert.deepEqual(inputConst(sel, only(sel, "Squeeze"), 1).values, [1]);
  const pd = one((a) => nn.functional.pad(a, [1, 2, 0, 3], "constant", 0.5));
  assert.deepEqual(inputConst(pd, only(pd, "Pad"), 1).values, [0, 0, 1, 0, 3, 2]);
  assert.deepEqual(inputConst(pd, only(pd, "Pad"), 2).values, [0.5]);
  const c = build(fn((a, b) => cat([a, b], 1)), [x[0], randn([2, 1, 4])]);
  assert.deepEqual(c.graph.node.map((n) => [n.opType, n.input, attrs(n)]), [["Concat", ["input_0", "input_1"], { axis: 1 }]]);
  const cs = one((a) => a.cumsum(2));
  assert.deepEqual(inputConst(cs, only(cs, "CumSum"), 1), { type: 7, dims: [], values: [2] });
});

test("mutation io onnx: reductions take their axes as attribute or input by opset; arg reductions cast to int32", () => {
  const x = [randn([2, 3, 4])];
  const one = (f: (a: Tensor) => Tensor, opsetVersion = 17) => build(fn(f), x, { opsetVersion });
  const s13 = one((a) => a.sum(1, true), 13);
  assert.deepEqual(nodes(s13), [["ReduceSum", { keepdims: 1 }]]);
  assert.deepEqual(inputConst(s13, s13.graph.node[0], 1).values, [1]);
  assert.deepEqual(nodes(one((a) => a.amax(1))), [["ReduceMax", { axes: [1], keepdims: 0 }]]);
  const m18 = one((a) => a.amax(1), 18);
  assert.deepEqual([nodes(m18), inputConst(m18, m18.graph.node[0], 1).values], [[["ReduceMax", { keepdims: 0 }]], [1]]);
  assert.deepEqual(nodes(one((a) => a.amin([0, 2]))), [["ReduceMin", { axes: [0, 2], keepdims: 0 }]]);
  assert.deepEqual(nodes(one((a) => a.prod(2, true))), [["ReduceProd", { axes: [2], keepdims: 1 }]]);
  assert.deepEqual(nodes(one((a) => a.sum([]))), [["Identity", {}]]);
  assert.deepEqual(nodes(one((a) => a.max(1).values)).at(-1), ["ReduceMax", { axes: [1], keepdims: 0 }]);
  // int64 results, as ONNX's own: no Cast (an int32 Cast here once made every exported argmax fail to load).
  assert.deepEqual(nodes(one((a) => a.argmax(1, true))), [["ArgMax", { axis: 1, keepdims: 1 }]]);
  assert.deepEqual(nodes(one((a) => a.argmin(2))), [["ArgMin", { axis: 2, keepdims: 0 }]]);
  assert.deepEqual(nodes(one((a) => a.norm(2, 1))), [["ReduceL2", { axes: [1], keepdims: 0 }]]);
  const n3 = one((a) => a.norm(3, 1, true));
  assert.deepEqual(nodes(n3), [["Abs", {}], ["Pow", {}], ["ReduceSum", { keepdims: 1 }], ["Pow", {}]]);
  const [, p1, rs, p2] = n3.graph.node;
  assert.deepEqual([inputConst(n3, p1, 1).values, inputConst(n3, rs, 1).values, inputConst(n3, p2, 1).values], [[3], [1], [Math.fround(1 / 3)]]);
  assert.deepEqual(nodes(one((a) => a.softmax(2))), [["Softmax", { axis: 2 }]]);
  assert.deepEqual(nodes(one((a) => a.logSoftmax(0))), [["LogSoftmax", { axis: 0 }]]);
  const gi = one((a) => a.gather(2, tensor([[[0, 3]], [[1, 1]]], { dtype: "int32" }).expand([2, 3, 2]).contiguous()));
  assert.deepEqual(nodes(gi).at(-1), ["GatherElements", { axis: 2 }]);
  const is = one((a) => a.indexSelect(1, tensor([2, 0], { dtype: "int32" })));
  assert.deepEqual([nodes(is), inputConst(is, is.graph.node[0], 1)], [[["Gather", { axis: 1 }]], { type: 6, dims: [2], values: [2, 0] }]);
});

test("mutation io onnx: Linear, convolutions and pooling carry PyTorch's geometry", () => {
  assert.deepEqual(nodes(build(new nn.Linear(3, 2), [randn([1, 3])])), [["Gemm", { transB: 1 }]]);
  assert.deepEqual(nodes(build(new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU()), [randn([1, 3])])), [["Gemm", { transB: 1 }], ["Relu", {}]]);
  const conv = build(new nn.Conv2d(2, 4, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }), [randn([1, 2, 7, 7])]);
  assert.deepEqual(nodes(conv), [["Conv", { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 0], dilations: [1, 2], group: 2 }]]);
  assert.deepEqual(conv.graph.node[0].input, ["input_0", "weight", "bias"]);
  const ct = build(new nn.ConvTranspose2d(1, 1, [3, 2], { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], bias: false }), [randn([1, 1, 3, 3])]);
  assert.deepEqual(nodes(ct), [["ConvTranspose", { kernel_shape: [3, 2], strides: [2, 3], pads: [1, 0, 1, 0], dilations: [1, 1], group: 1, output_padding: [1, 2] }]]);
  const seq = build(new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.MaxPool2d(2)), [randn([1, 1, 7, 6])]);
  assert.deepEqual(nodes(seq), [
    ["Conv", { kernel_shape: [3, 3], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 }], ["Relu", {}],
    ["MaxPool", { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceil_mode: 0 }],
  ]);
  assert.deepEqual(nodes(build(new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU()), [randn([1, 1, 5, 5])])).map(([o]) => o), ["Conv", "Relu"]);
  // ceil_mode only where the output size needed it: 5 -> 3 with ceil, 4 -> 2 either way.
  assert.deepEqual(nodes(build(new nn.MaxPool2d(2, { ceilMode: true }), [randn([1, 1, 5, 4])]))[0][1].ceil_mode, 1);
  assert.deepEqual(nodes(build(new nn.MaxPool2d(2, { ceilMode: true }), [randn([1, 1, 4, 5])]))[0][1].ceil_mode, 1);
  assert.deepEqual(nodes(build(new nn.MaxPool2d(2, { ceilMode: true }), [randn([1, 1, 4, 4])]))[0][1].ceil_mode, 0);
  assert.deepEqual(nodes(build(new nn.MaxPool2d(3, { stride: 1, padding: 1, dilation: 2 }), [randn([1, 1, 6, 6])])), [
    ["MaxPool", { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [2, 2], ceil_mode: 0 }],
  ]);
  assert.deepEqual(nodes(build(new nn.AvgPool2d(2, { countIncludePad: false, padding: 1 }), [randn([1, 1, 4, 4])])), [
    ["AveragePool", { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 0, ceil_mode: 0 }],
  ]);
  assert.deepEqual(nodes(build(new nn.AvgPool2d([2, 3], { ceilMode: true }), [randn([1, 1, 5, 6])])), [
    ["AveragePool", { kernel_shape: [2, 3], strides: [2, 3], pads: [0, 0, 0, 0], count_include_pad: 1, ceil_mode: 1 }],
  ]);
  // Fold sums overlapping patches with ScatterElements(reduction "add") along the flattened image.
  const fold = build(new nn.Fold([3, 3], 2), [randn([1, 4, 4])]);
  assert.deepEqual(nodes(fold).find(([o]) => o === "ScatterElements"), ["ScatterElements", { axis: 2, reduction: "add" }]);
  assert.throws(() => build(new nn.Fold([3, 3], 2), [randn([1, 4, 4])], { opsetVersion: 15 }), (e: Error) => (assert.equal(e.message, `exportOnnx: op "indexAdd": indexAdd needs opsetVersion 16 or later (ScatterElements with reduction 'add')`), true));
  assert.ok(io.toOnnxBytes(new nn.Fold([3, 3], 2), [randn([1, 4, 4])], { opsetVersion: 16 }).length > 0);
});

test("mutation io onnx: every value, node and initializer name is unique and non-empty, even when a given name looks generated", () => {
  const check = (m: OnnxModel) => {
    const values = [...m.graph.input.map((i) => i.name), ...m.graph.initializer.map((t) => t.name), ...m.graph.node.flatMap((n) => n.output)];
    assert.equal(new Set(values).size, values.length, `values: ${values.join(" ")}`);
    assert.ok(values.every((v) => v.length > 0), values.join(" "));
    const names = m.graph.node.map((n) => n.name);
    assert.equal(new Set(names).size, names.length, `node names: ${names.join(" ")}`);
    assert.ok(names.every((v) => v.length > 0), names.join(" "));
  };
  check(build(new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2)), [randn([2, 3])]));
  check(build(new nn.GELU("tanh"), [randn([2, 3])]));
  // Input names that the exporter would also generate ("const_0", "mul_2"): the generated ones step past them.
  for (const name of ["const_0", "mul_2", "Expand_3", "expand_1"]) {
    const m = build(fn((a) => a.mul(2)), [randn([2])], { inputNames: [name] });
    check(m);
    assert.deepEqual(only(m, "Mul").input[0], name);
  }
});

test("mutation io onnx: a detach()ed value or parameter is the traced value, not a constant frozen from the example", () => {
  // y.detach() is a new Tensor over y's memory: its producer is found by geometry among the ops that wrote that memory.
  const det = build(fn((a) => {
    const y = a.mul(2);
    y.reshape([6]);
    return y.detach();
  }), [randn([2, 3])]);
  assert.deepEqual(det.graph.node.map((n) => [n.opType, n.output]), [["Expand", [det.graph.node[0].output[0]]], ["Mul", [det.graph.node[2].input[0]]], ["Identity", ["output_0"]]]);
  assert.equal(det.graph.initializer.filter((t) => t.dims.length === 2).length, 0, "no [2,3] constant");
  const both = build(fn((a) => {
    const y = a.mul(2);
    const v = y.reshape([6]);
    return [v.relu(), y.detach().relu()];
  }), [randn([2, 3])]);
  const mul = only(both, "Mul");
  const relus = both.graph.node.filter((n) => n.opType === "Relu");
  assert.deepEqual(relus.map((n) => n.output[0]), ["output_0", "output_1"]);
  assert.deepEqual(relus[1].input, [mul.output[0]]);
  assert.equal(both.graph.initializer.filter((t) => t.dims.length === 2).length, 0, "no [2,3] constant");
  // A parameter read twice (once detached) is one initializer under its state-dict name.
  class Twice extends nn.Module<[Tensor], Tensor> {
    w = new nn.Parameter(tensor([[1, 2], [3, 4]]));
    forward(a: Tensor): Tensor {
      return a.matmul(this.w).matmul(this.w.detach());
    }
  }
  const tw = build(new Twice(), [randn([3, 2])]);
  assert.deepEqual(tw.graph.initializer.filter((t) => t.dims.length === 2).map((t) => t.name), ["w"]);
  assert.deepEqual(constant(tw, "w").values, [1, 2, 3, 4]);
});

test("mutation io onnx: an in-place write to a graph input inside forward is refused", () => {
  assert.throws(() => build(fn((a) => {
    a.add_(1);
    return a.mul(2);
  }), [randn([2])]), (e: Error) => (assert.equal(e.message, "exportOnnx: a tensor read by mul was modified in place after it was computed; in-place ops in forward cannot be traced, use the out-of-place op (e.g. add instead of add_)"), true));
});

test("mutation io onnx: a constant filled with one value whose shape follows a dynamic dim is built at run time; others are refused", () => {
  const m = build(fn((a) => a.add(full([a.shape[0], 3], 2.5))), [randn([2, 3])], { dynamicAxes: { input_0: [0] } });
  assert.deepEqual(ops(m), ["Shape", "Gather", "Concat", "ConstantOfShape", "Add"]);
  const [shape, gather, concat, cos, add] = m.graph.node;
  // Gather with a [1] index keeps the dim (a scalar index would drop it, and Concat needs 1-D parts).
  assert.deepEqual([shape.input, gather.input[0], inputConst(m, gather, 1), attrs(gather)], [["input_0"], shape.output[0], { type: 7, dims: [1], values: [0] }, { axis: 0 }]);
  assert.deepEqual([concat.input[0], inputConst(m, concat, 1), attrs(concat)], [gather.output[0], { type: 7, dims: [1], values: [3] }, { axis: 0 }]);
  const value = cos.attribute[0];
  assert.deepEqual([value.name, value.type, value.t!.dataType, [...value.t!.dims], [...new Float32Array(value.t!.rawData.slice().buffer)]], ["value", 4, 1, [1], [2.5]]);
  assert.deepEqual([cos.input, add.input], [[concat.output[0]], ["input_0", cos.output[0]]]);
  const why = (op: string, shape: string, reason: string) =>
    `exportOnnx: op "${op}" reads a constant of shape [${shape}] whose shape follows a dynamic axis (it was made outside ops, e.g. zeros([batch, hidden])) and ${reason}; export without that dynamic axis`;
  const refused = (f: (...a: Tensor[]) => unknown, xs: Tensor[], dyn: OnnxExportOptions["dynamicAxes"], msg: string) =>
    assert.throws(() => build(fn(f), xs, { dynamicAxes: dyn }), (e: Error) => (assert.equal(e.message, msg), true));
  refused((a) => a.add(randn([a.shape[0], 3])), [randn([2, 3])], { input_0: [0] }, why("add", "2,3", "its values are not all equal"));
  refused((a) => a.add(zeros([a.shape[0] - 2, 3]).sum()), [randn([2, 3])], { input_0: [0] }, why("sum", "0,3", "dim 0 matches no dynamic input dim"));
  refused((a) => a.sum().add(zeros(a.shape[0] === 2 ? [2] : [3, 1]).sum()), [randn([2, 3])], { input_0: [0] }, why("sum", "2", "its rank changes"));
  refused((a) => a.add(full([a.shape[0] + 1, 3], 2.5).narrow(0, 0, a.shape[0])), [randn([2, 3])], { input_0: [0] }, why("slice", "3,3", "dim 0 matches no dynamic input dim"));
  // Two dynamic dims of different names with the same example size cannot be told apart.
  refused((a) => a.add(zeros([a.shape[0], 3])), [randn([2, 3]), randn([2, 3])], { input_0: { 0: "n" }, input_1: { 0: "m" } }, why("add", "2,3", "dim 0 matches no dynamic input dim"));
});

test("mutation io onnx: a tensor over a graph input's memory that no op made is refused; one with the input's own geometry is the input", () => {
  const x = randn([3]);
  const same = build(fn((a) => a.relu().add(new Tensor(a.storage, [3], [1], 0, a.dtype))), [x]);
  assert.deepEqual(only(same, "Add").input, [only(same, "Relu").output[0], "input_0"]);
  assert.throws(() => build(fn((a) => a.relu().narrow(0, 0, 2).add(new Tensor(a.storage, [2], [1], 1, a.dtype))), [x]), (e: Error) => {
    assert.equal(e.message, "exportOnnx: add reads a tensor that shares memory with a graph input but was not made by an op (a view built by hand?); it cannot be expressed in the graph");
    return true;
  });
});

test("mutation io onnx: an op without an emitter is named with the full list; reading input-dependent floats in JavaScript is refused", () => {
  assert.throws(() => build(fn((a) => a.atan2(a.add(1))), [randn([2])]), (e: Error) => {
    assert.equal(e.message, `exportOnnx: op "atan2" has no ONNX equivalent in this exporter (ops covered: ${Object.keys(EMITTERS).sort().join(", ")})`);
    return true;
  });
  assert.ok(Object.keys(EMITTERS).length > 70);
  const dependent = "exportOnnx: the forward pass reads the values of a tensor computed from the inputs in JavaScript (Tensor.data()/item()), so the graph would freeze the example's result (a data-dependent op such as adaptiveMaxPool2d or fold); export a model without that layer, or compute it with tensor ops";
  const refused = (m: nn.Module<any, any>, x: Tensor) => assert.throws(() => build(m, [x]), (e: Error) => (assert.equal(e.message, dependent), true));
  refused(new nn.AdaptiveMaxPool2d(4), randn([1, 1, 6, 6]));
  // Through an op first: values computed from the input are tracked from op to op.
  refused(new nn.Sequential(new nn.ReLU(), new nn.AdaptiveMaxPool2d(4)), randn([1, 1, 6, 6]));
  // Integer inputs (token ids) may be read (range checks), and reading is restored after the trace.
  const ids = tensor([[1, 3]], { dtype: "int32" });
  assert.ok(ops(build(new nn.Embedding(5, 2), [ids])).includes("Gather"));
  const x = randn([2]);
  assert.throws(() => build(fn((a) => tensor([a.relu().data()[0]])), [x]), (e: Error) => (assert.equal(e.message, dependent), true));
  assert.equal(x.relu().data().length, 2);
});

test("mutation io onnx: with one of two inputs dynamic the second trace still runs; ops that change with the size are refused", () => {
  const m = build(fn((a, b) => a.add(full([a.shape[0], 3], 2.5)).add(b.sum())), [randn([2, 3]), randn([4])], { dynamicAxes: { input_0: [0] } });
  assert.ok(ops(m).includes("ConstantOfShape"), ops(m).join(" "));
  const msg = "exportOnnx: the model runs different ops when a dynamic dim changes size (control flow on shapes); export with fixed shapes (no dynamicAxes)";
  for (const f of [
    (a: Tensor) => (a.shape[0] > 2 ? a.relu() : a.relu().exp()), // fewer ops when grown
    (a: Tensor) => (a.shape[0] > 2 ? a.relu().exp() : a.relu().neg()), // the same count, the second differs
  ]) {
    assert.throws(() => build(fn(f), [randn([2, 3])], { dynamicAxes: { input_0: [0] } }), (e: Error) => (assert.equal(e.message, msg), true));
  }
});

test("mutation io onnx: a hand-made view is the input or an op's output only with the same offset, rank, shape and strides", () => {
  const msg = (op: string) => `exportOnnx: ${op} reads a tensor that shares memory with a graph input but was not made by an op (a view built by hand?); it cannot be expressed in the graph`;
  const refused = (f: (a: Tensor) => Tensor, x: Tensor, op = "add") => assert.throws(() => build(fn(f), [x]), (e: Error) => (assert.equal(e.message, msg(op)), true));
  const view = (a: Tensor, shape: number[], strides: number[], offset: number) => new Tensor(a.storage, shape, strides, offset, a.dtype);
  refused((a) => a.narrow(0, 0, 2).add(view(a, [2], [1], 2)), randn([4])); // another offset
  refused((a) => a.narrow(0, 0, 2).add(view(a, [2, 1], [1, 1], 0).reshape([2])), randn([4]), "reshape"); // another rank
  refused((a) => a.add(view(a, [2, 2], [1, 2], 0)), randn([2, 2])); // transposed strides
  refused((a) => a.narrow(0, 0, 3).add(view(a, [3], [1], 1)), randn([4])); // offset 1 of the same length
  refused((a) => view(a, [2, 1], [2, 1], 0).relu().add(a), randn([2, 2]), "relu"); // one dim of the same size, another not
  // The same geometry as the input is the input itself.
  const same = build(fn((a) => a.add(view(a, [2, 2], [2, 1], 0))), [randn([2, 2])]);
  assert.deepEqual(only(same, "Add").input, ["input_0", "input_0"]);
  // A size-1 dim's stride never moves through memory, so it may differ.
  const one = build(fn((a) => a.add(view(a, [2, 1], [1, 7], 0))), [randn([2, 1])]);
  assert.deepEqual(only(one, "Add").input, ["input_0", "input_0"]);
});
