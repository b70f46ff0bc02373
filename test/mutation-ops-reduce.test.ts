// Tests written for the survivors of `npm run mutate -- src/ops/reduce.ts` (docs/mutation/history.md,
// "Mutation testing"): checks the other test files did not make, each failing with its mutant planted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { keepdimOf } from "../src/ops/reduce.js";

const throwsMessage = (f: () => unknown, re: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof Error && re.test(e.message), `expected ${re}`);
};

test("keepdim: true/false, undefined or { keepdim } are taken; anything else is refused naming the op", () => {
  assert.equal(keepdimOf("amax", undefined), false);
  assert.equal(keepdimOf("amax", true), true);
  assert.equal(keepdimOf("amax", {}), false);
  assert.equal(keepdimOf("amax", { keepdim: true }), true);
  assert.equal(keepdimOf("amax", { keepdim: false }), false);
  const bad = /^amax: keepdim must be true\/false or an options object like \{ keepdim: true \}, got /;
  for (const v of [5, "yes", [true], null, { keepdim: "yes" }, { keepdim: 1 }]) {
    throwsMessage(() => keepdimOf("amax", v as never), bad);
  }
  const x = dt.tensor([[1, 5], [3, 4]]);
  assert.deepEqual([...x.amax(0, { keepdim: true }).shape], [1, 2]);
  throwsMessage(() => x.amax(0, { keepdim: "yes" } as never), bad);
  throwsMessage(() => x.amax(0, [true] as never), bad);
});

test("max/min of an empty tensor is refused with its shape, as PyTorch's", () => {
  const e = dt.zeros([0, 3]);
  throwsMessage(() => e.amax(), /^amax: cannot reduce an empty tensor of shape \[0,3\]/);
  throwsMessage(() => e.amin(), /^amin: cannot reduce an empty tensor of shape \[0,3\]/);
  throwsMessage(() => e.max(), /^max: cannot reduce an empty tensor of shape \[0,3\]/);
  // The sum of an empty tensor is 0.
  assert.equal(e.sum().item(), 0);
  // Over a dim of size 0 there is no value; over the non-empty dim the result is just empty, as in
  // PyTorch 1.13 (torch.zeros(0, 3).amax(1) has shape [0]; .amax(0) raises).
  throwsMessage(() => e.amax(0), /^amax: cannot reduce an empty tensor of shape \[0,3\] over dim 0, which has size 0/);
  throwsMessage(() => dt.zeros([2, 0, 3]).amin([2, 1]), /^amin: cannot reduce an empty tensor of shape \[2,0,3\] over dim 1, which has size 0/);
  assert.deepEqual(e.amax(1).shape, [0]);
  assert.deepEqual(e.amin(1, true).shape, [0, 1]);
  assert.deepEqual(dt.zeros([2, 0, 3]).amax(2).shape, [2, 0]);
});

test("sum/mean/prod's dtype option: an unknown dtype is refused naming the op; a known one converts first", () => {
  const x = dt.tensor([[1, 5], [3, 4]]);
  throwsMessage(() => x.sum(0, { dtype: "float17" } as never), /^sum: unknown dtype "float17"/);
  throwsMessage(() => x.prod(0, { dtype: "int7" } as never), /^prod: unknown dtype "int7"/);
  const s = x.sum(0, { dtype: "float64" });
  assert.equal(s.dtype, "float64");
  assert.deepEqual([...s.data()], [4, 9]);
});

// PyTorch 1.13's values (scripts/fixtures/mutation_ops_reduce.py writes the file).
const FIX = JSON.parse(readFileSync(new URL("./fixtures/mutation-ops-reduce.json", import.meta.url), "utf8")) as Record<string, (number | string)[]>;
const SPECIAL: Record<string, number> = { inf: Infinity, "-inf": -Infinity, nan: NaN };
const num = (k: string): number[] => FIX[k].map((v) => (typeof v === "string" ? SPECIAL[v] : v));
const t64 = (k: string, shape: number[]): dt.Tensor => dt.tensor(num(k), { dtype: "float64" }).reshape(shape);
function close(got: dt.Tensor, key: string, tol = 1e-12): void {
  const want = num(key), g = [...got.data()];
  assert.equal(g.length, want.length, `${key}: length`);
  g.forEach((v, i) => {
    if (!Number.isFinite(want[i])) assert.equal(v, want[i], `${key}[${i}]`);
    else assert.ok(Math.abs(v - want[i]) <= tol * (1 + Math.abs(want[i])), `${key}[${i}]: ${v}, PyTorch ${want[i]}`);
  });
}

test("var/std: correction 0 (positional unbiased false), the default over all elements, std with keepdim", () => {
  const x = t64("x", [2, 3]);
  close(x.var(1, false), "var_c0_dim1");
  close(x.var(1, { correction: 0 }), "var_c0_dim1");
  close(x.var(1, { unbiased: false }), "var_c0_dim1");
  close(x.var(), "var_all");
  const s = x.std(0, true, true);
  assert.deepEqual([...s.shape], [1, 3]);
  close(s, "std_dim0_keepdim");
  throwsMessage(() => x.var(1, { correction: -1 }), /^var: correction must be a number >= 0, got number -1/);
  throwsMessage(() => x.var(1, { correction: 1, unbiased: true }), /^var: give correction or unbiased, not both/);
  throwsMessage(() => x.std(1, { unbiased: "y" } as never), /^std: unbiased must be true or false, got string "y"/);
  throwsMessage(() => x.var(1, 5 as never), /^var: the argument after dim must be unbiased \(true\/false\) or an options object/);
});

test("norm: p = 0 counts non-zeros, p = -Infinity is the smallest magnitude, p = 3 and its gradient", () => {
  close(dt.norm(t64("z", [2, 3]), 0, 1), "norm_p0_dim1");
  close(dt.norm(t64("x", [2, 3]), -Infinity, 1), "norm_neginf_dim1");
  const x = t64("x", [2, 3]).requiresGrad_();
  const n = dt.norm(x, 3, 1);
  close(n, "norm_p3_dim1");
  n.sum().backward();
  close(x.grad!, "norm_p3_grad");
});

test("logsumexp: a row of -inf gives -inf (not NaN); prod's gradient with one and with two zeros in a row", () => {
  const l = dt.tensor([[-Infinity, -Infinity], [1, 2]], { dtype: "float64" });
  close(dt.logsumexp(l, 1), "lse_dim1");
  assert.deepEqual([...dt.logsumexp(l, 1, true).shape], [2, 1]);
  const p = t64("p", [3, 3]).requiresGrad_();
  const q = p.prod(1);
  close(q, "prod_dim1");
  q.backward(dt.tensor([1, 2, 3], { dtype: "float64" }));
  close(p.grad!, "prod_grad");
});

test("ops along one dim on a 0-d tensor take dim 0 / -1 and give 0-d results, as PyTorch", () => {
  const s = dt.tensor(3);
  const r = s.max(0);
  assert.deepEqual([[...r.values.shape], r.values.item(), [...r.indices.shape], r.indices.item(), r.indices.dtype], [[], 3, [], 0, "int64"]);
  assert.deepEqual([...s.argmax(0).shape], []);
  assert.deepEqual([[...s.cumsum(0).shape], s.cumsum(0).item()], [[], 3]);
  assert.deepEqual([s.softmax(0).item(), s.logSoftmax(-1).item()], [1, 0]);
  throwsMessage(() => s.max(1), /^max: dimension 1 is out of range for a tensor of 0 dimensions/);
});

test("max without a dim refuses keepdim; argmax refuses a dim of size 0; integer softmax/cumsum dtypes", () => {
  throwsMessage(() => dt.tensor([[1, 2]]).max({ keepdim: true } as never), /^max: keepdim needs a dim \(x\.max\(0, \{ keepdim: true \}\)\); x\.max\(\) is the largest of all elements/);
  throwsMessage(() => dt.tensor([[1, 2]]).min({ keepdim: true } as never), /^min: keepdim needs a dim .* x\.min\(\) is the smallest of all elements/);
  throwsMessage(() => dt.zeros([2, 0]).argmax(1), /^argmax: cannot reduce dim 1 of size 0 \(shape \[2,0\]\)/);
  const i = dt.tensor([1, 2, 3], { dtype: "int32" });
  const sm = i.softmax(0);
  assert.equal(sm.dtype, "float32");
  // torch.softmax(i.float(), 0)
  [0.09003057330846786, 0.2447284758090973, 0.6652409434318542].forEach((v, k) => assert.ok(Math.abs(sm.data()[k] - v) < 1e-7));
  assert.equal(i.cumsum(0).dtype, "int64");
  assert.equal(i.cumsum(0, { dtype: "float64" }).dtype, "float64");
  assert.deepEqual([...i.cumsum(0).data()].map(Number), [1, 3, 6]);
});

test("norm's gradient is 0 at zero elements for p < 1 and for a zero norm with negative p (not NaN), as PyTorch", () => {
  for (const [name, p] of [["half", 0.5], ["neg", -1.5]] as const) {
    const x = dt.tensor([[0, 1, -2], [0, 0, 0]], { dtype: "float64" }).requiresGrad_();
    const n = dt.norm(x, p, 1);
    close(n, `norm_${name}_zeros`);
    n.sum().backward();
    close(x.grad!, `norm_${name}_zeros_grad`);
  }
});

test("var/std with a correction at or past the count divide by max(0, n - correction): inf, as PyTorch", () => {
  const x = dt.tensor([1, 5, 2], { dtype: "float64" });
  close(x.var(0, { correction: 5 }), "var_correction_past_n");
  close(x.std(0, { correction: 3 }), "std_correction_n");
});
