// Survivors and uncovered mutants of src/ops/op.ts (session 11, docs/mutation/session-11-opsc.md):
// the op tracer (nesting refused, only top-level ops reported, reset after a throw), apply's check
// that every input is a Tensor, and the refusal of inference tensors an op's backward would save.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { Tensor, apply, defineOp, withOpTracer } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

/** An op whose forward runs two other ops (mul, then add): one op to the tracer. */
const twiceOp = defineOp<{ k: number }>({
  name: "twicePlus",
  forward([x], a) {
    return dt.add(dt.mul(x, 2), a.k);
  },
  backward: (g) => [dt.mul(g, 2)],
});
const failOp = defineOp<undefined>({
  name: "failing",
  forward([x]) {
    dt.neg(x);
    throw new Error("failing: on purpose");
  },
});

test("withOpTracer: only top-level ops are reported, with inputs, attrs and output", () => {
  const x = dt.tensor([1, 2]);
  const seen: [string, number, unknown, number[]][] = [];
  const y = withOpTracer((name, inputs, attrs, out) => seen.push([name, inputs.length, attrs, [...out.data()]]), () => {
    const a = apply(twiceOp, [x], { k: 1 });
    return dt.neg(a);
  });
  assert.deepEqual([...y.data()], [-3, -5]);
  assert.deepEqual(seen, [["twicePlus", 1, { k: 1 }, [3, 5]], ["neg", 1, undefined, [-3, -5]]]);
});

test("withOpTracer: traces cannot nest; a throwing op or body leaves no tracer and no depth behind", () => {
  const x = dt.tensor([1, 2]);
  const names: string[] = [];
  withOpTracer((name) => names.push(name), () => {
    throwsWith(() => withOpTracer(() => {}, () => 0), "withOpTracer: a trace is already running; traces cannot nest");
    throwsWith(() => apply(failOp, [x], undefined), "failing: on purpose");
    dt.exp(x); // still top level after the failed op
  });
  assert.deepEqual(names, ["exp"]);
  // A body that throws still uninstalls the tracer: a new trace can start, and ops outside are not seen.
  assert.throws(() => withOpTracer(() => names.push("x"), () => { throw new Error("body"); }), /^Error: body$/);
  dt.neg(x);
  assert.deepEqual(names, ["exp"]);
  assert.equal(withOpTracer((name) => names.push(name), () => 7), 7);
  assert.deepEqual(names, ["exp"]);
});

test("apply: every input must be a Tensor; the error names it by position when there are several", () => {
  const two = defineOp<undefined>({ name: "pair", forward: ([a]) => a });
  throwsWith(() => apply(twiceOp, [3 as never], { k: 0 }), "twicePlus: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))");
  throwsWith(() => apply(two, [dt.tensor([1]), "s" as never], undefined), 'pair: input 2 must be a Tensor, got string "s"');
  throwsWith(() => apply(two, [null as never, dt.tensor([1])], undefined), "pair: input 1 must be a Tensor, got null");
});

const INF = "is an inference tensor (made inside inferenceMode) and would be saved for backward, which PyTorch does not allow either; make a normal tensor with x.clone() outside inferenceMode";

test("an inference input is refused only where the backward reads it, and named by its position", () => {
  const w = dt.tensor([1, 2], { requiresGrad: true });
  const i = dt.inferenceMode(() => dt.tensor([3, 4]));
  throwsWith(() => dt.mul(w, i), `mul: input 1 (shape [2]) ${INF}, or compute it under noGrad instead`);
  throwsWith(() => dt.mul(i, w), `mul: input 0 (shape [2]) ${INF}, or compute it under noGrad instead`);
  // add's rule reads no input (saves: []): allowed, as in PyTorch.
  const s = dt.add(w, i);
  assert.deepEqual([...s.data()], [4, 6]);
  assert.equal(s.requiresGrad, true);
  // Not recorded: nothing is saved.
  assert.deepEqual([...dt.noGrad(() => dt.mul(w, i)).data()], [3, 8]);
  // where saves only its condition (input 0): inference values are fine, an inference condition is not.
  const c = dt.tensor([true, false], { dtype: "bool" });
  assert.deepEqual([...dt.where(c, w, i).data()], [1, 4]);
  const ci = dt.inferenceMode(() => dt.tensor([true, false], { dtype: "bool" }));
  throwsWith(() => dt.where(ci, w, dt.tensor([5, 6])), `where: input 0 (shape [2]) ${INF}, or compute it under noGrad instead`);
});

test("an inference tensor among the attrs (an index) is refused when the backward keeps it", () => {
  const w = dt.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const idx = dt.inferenceMode(() => dt.tensor([[1, 0]], { dtype: "int64" }));
  // gather saves its index (the attrs) for every gradient.
  throwsWith(() => dt.gather(w, 0, idx), `gather: its index (shape [1,2]) ${INF}`);
  // indexAdd keeps the index only for the source's gradient.
  const i1 = dt.inferenceMode(() => dt.tensor([1], { dtype: "int64" }));
  const src = dt.tensor([[10, 20]]);
  assert.deepEqual([...dt.indexAdd(w, 0, i1, src).data()], [1, 2, 13, 24]);
  const srcG = dt.tensor([[10, 20]], { requiresGrad: true });
  throwsWith(() => dt.indexAdd(w, 0, i1, srcG), `indexAdd: its index (shape [1]) ${INF}`);
  throwsWith(() => dt.indexAdd(dt.tensor([[1, 2], [3, 4]]), 0, i1, srcG), `indexAdd: its index (shape [1]) ${INF}`);
});

test("a tensor that is no inference tensor passes, as do attrs without tensors", () => {
  const w = dt.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const g = dt.gather(w, 0, dt.tensor([[1, 0]], { dtype: "int64" }));
  assert.deepEqual([...g.data()], [3, 2]);
  assert.ok(g instanceof Tensor && g.requiresGrad);
});

test("apply brings a view up to date when its base was modified in place after the view was taken", () => {
  // torch: a = tensor([1., 2.], requires_grad=True); b = a * 1; v = b[0:1]; b.mul_(3); v.sum().backward(); a.grad == [3, 0]
  const a = dt.tensor([1, 2], { requiresGrad: true });
  const b = dt.mul(a, 1);
  const v = b.narrow(0, 0, 1);
  b.mul_(3);
  const y = dt.mul(v, 2).sum();
  assert.equal(y.item(), 6);
  y.backward();
  assert.deepEqual([...a.grad!.data()], [6, 0]);
  // Under noGrad the same op computes on the current values (nothing to record).
  const a2 = dt.tensor([1, 2], { requiresGrad: true });
  const b2 = dt.mul(a2, 1);
  const v2 = b2.narrow(0, 1, 1);
  b2.mul_(5);
  assert.deepEqual([...dt.noGrad(() => dt.mul(v2, 2)).data()], [20]);
  dt.mul(v2, 1).sum().backward();
  assert.deepEqual([...a2.grad!.data()], [0, 5]);
});

test("scalar: a non-number refuses with a TypeError the entry layer rewords", async () => {
  const { scalar } = await import("../src/ops/op.js");
  throwsWith(() => scalar("1" as never, "float32"), 'expected a Tensor, a number or a boolean, got string "1"', TypeError);
  assert.equal(scalar(true, "float32").item(), 1);
  assert.equal(scalar(2.5, "float64").item(), 2.5);
});

test("checkOperand: arrays get a hint to wrap them, other values do not", () => {
  const x = dt.tensor([1, 2]);
  throwsWith(() => dt.add(x, [1] as never), "add: other must be a Tensor, a number or a boolean (wrap arrays with tensor(...)), got an array of length 1");
  throwsWith(() => dt.add(x, "s" as never), 'add: other must be a Tensor, a number or a boolean, got string "s"');
  throwsWith(() => dt.lerp(x, x, [0.5] as never), "lerp: weight must be a Tensor, a number or a boolean (wrap arrays with tensor(...)), got an array of length 1");
  throwsWith(() => dt.lerp(x, x, {} as never), /^lerp: weight must be a Tensor, a number or a boolean, got /);
});

test("resultType names its operands (input, other) and, by default, 'a binary op'; shapes in messages are comma-joined", async () => {
  const { resultType } = await import("../src/ops/op.js");
  const x = dt.tensor([1, 2]);
  throwsWith(() => resultType([1] as never, x), "a binary op: input must be a Tensor, a number or a boolean (wrap arrays with tensor(...)), got an array of length 1");
  throwsWith(() => resultType(x, "a" as never), 'a binary op: other must be a Tensor, a number or a boolean, got string "a"');
  throwsWith(() => dt.where(dt.tensor([true, false], { dtype: "bool" }), [1] as never, x),
    "where: input must be a Tensor, a number or a boolean (wrap arrays with tensor(...)), got an array of length 1");
  assert.equal(resultType(x, 1.5), "float32");
  assert.equal(resultType(dt.tensor([1], { dtype: "int64" }), true), "int64");
  // Two-dimensional inference tensors: the shape is printed [2,1].
  const w = dt.ones([2, 1], { requiresGrad: true });
  const i = dt.inferenceMode(() => dt.ones([2, 1]));
  throwsWith(() => dt.mul(w, i), `mul: input 1 (shape [2,1]) ${INF}, or compute it under noGrad instead`);
  throwsWith(() => dt.nn.functional.mseLoss(w, i), `mseLoss: its target (shape [2,1]) ${INF}`);
  throwsWith(() => dt.gather(dt.ones([2, 2], { requiresGrad: true }), 0, dt.inferenceMode(() => dt.zeros([2, 1], { dtype: "int64" }))), `gather: its index (shape [2,1]) ${INF}`);
});

test("resultType: a 0-d tensor does not widen a dimensioned one of its category; two dimensioned ones promote", async () => {
  const { resultType } = await import("../src/ops/op.js");
  const f64 = dt.tensor([1, 2], { dtype: "float64" }), f32 = dt.tensor([1, 2]);
  const s64 = dt.tensor(1, { dtype: "float64" }), i32 = dt.tensor([1, 2], { dtype: "int32" });
  // torch 1.13: float64, float64, float32, float32, int32, float32, float64.
  assert.equal(resultType(f64, f32), "float64");
  assert.equal(resultType(f32, f64), "float64");
  assert.equal(resultType(f32, s64), "float32");
  assert.equal(resultType(s64, f32), "float32");
  assert.equal(resultType(i32, dt.tensor(1, { dtype: "int64" })), "int32");
  assert.equal(resultType(dt.tensor(1.5), dt.tensor([1, 2], { dtype: "int64" })), "float32");
  assert.equal(resultType(s64, dt.tensor(2)), "float64");
  // Two 0-d tensors promote, whichever comes first (torch: float64).
  assert.equal(resultType(dt.tensor(2), s64), "float64");
  assert.equal(dt.add(f64, f32).dtype, "float64");
  assert.equal(dt.add(f32, f64).dtype, "float64");
});
