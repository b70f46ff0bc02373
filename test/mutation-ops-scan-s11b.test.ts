// Tests written for the survivors of session 11's mutation run of src/ops/scan.ts
// (docs/mutation/session-11-opsb.md). Expected values are PyTorch 1.13's (float64), copied here with
// the call that gave them.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { closeRelative as close } from "./float64-close.js";

const f64 = (v: number[][] | number[]): Tensor => dt.tensor(v as number[][], { dtype: "float64" });


test("cumprod's gradient with zeros in a row (the leave-one-out products) and without, as PyTorch's", () => {
  // x.cumprod(1) weighted by arange(1, 13).reshape(3, 4), backward
  const x = f64([[2, 0, 3, 4], [0, 0, 5, 1], [1.5, 2, -1, 0]]).requiresGrad_(true);
  const y = dt.cumprod(x, 1);
  close(y.data(), [2, 0, 0, 0, 0, 0, 0, 0, 1.5, 3, -3, 0], "cumprod");
  y.mul(dt.arange(1, 13, { dtype: "float64" }).reshape([3, 4])).sum().backward();
  close(x.grad!.data(), [1, 118, 0, 0, 5, 0, 0, 0, 7, -1.5, 33, -36], "cumprod gradient with zeros");
  // Along dim 0 without zeros (the reverse-cumsum path): x2.cumprod(0) weighted by [[1, 2], [3, 4]]
  const x2 = f64([[2, 0.5], [3, -1]]).requiresGrad_(true);
  const y2 = dt.cumprod(x2, 0);
  close(y2.data(), [2, 0.5, 6, -0.5], "cumprod dim 0");
  y2.mul(f64([[1, 2], [3, 4]])).sum().backward();
  close(x2.grad!.data(), [10, -2, 6, 2], "cumprod gradient without zeros");
});

test("the scans of a 0-d tensor along dim 0 or -1 are the value itself (torch.cumprod(tensor(3.), 0) etc.)", () => {
  const s = dt.tensor(3, { dtype: "float64" });
  for (const dim of [0, -1]) {
    for (const r of [dt.cumprod(s, dim), dt.logcumsumexp(s, dim), dt.cummax(s, dim).values, dt.cummin(s, dim).values]) {
      assert.deepEqual([...r.shape], []);
      assert.equal(r.item(), 3);
    }
    const { indices } = dt.cummax(s, dim);
    assert.deepEqual([...indices.shape], []);
    assert.equal(Number(indices.item()), 0);
  }
  // torch.cumprod(tensor(3.), 1): "Dimension out of range (expected to be in range of [-1, 0], but got 1)"
  throwsWith(() => dt.cumprod(s, 1), "cumprod: dimension 1 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])");
});

test("the scans and reductions name themselves when a dim or keepdim is bad", () => {
  const x = dt.ones([2, 3]);
  const range = (op: string) => `${op}: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])`;
  throwsWith(() => dt.cumprod(x, 5), range("cumprod"));
  throwsWith(() => dt.logcumsumexp(x, 5), range("logcumsumexp"));
  throwsWith(() => dt.cummax(x, 5), range("cummax"));
  throwsWith(() => dt.cummin(x, 5), range("cummin"));
  throwsWith(() => dt.any(x, 5), range("any"));
  throwsWith(() => dt.all(x, 5), range("all"));
  throwsWith(() => dt.nansum(x, 5), range("nansum"));
  throwsWith(() => dt.nanmean(x, 5), range("nanmean"));
  throwsWith(() => dt.countNonzero(x, 5), range("countNonzero"));
  throwsWith(() => dt.aminmax(x, { dim: 5 }), range("aminmax"));
  const kd = (op: string) => `${op}: keepdim must be true/false or an options object like { keepdim: true }, got string "yes"`;
  for (const op of ["any", "all", "nansum", "nanmean"] as const) throwsWith(() => dt[op](x, 0, "yes" as never), kd(op));
});

test("aminmax: keepdim along a dim, and an empty tensor refused with aminmax's message", () => {
  // torch.aminmax(z, dim=1, keepdim=True): shapes [3, 1], min [1, 2, 0], max [5, 3, 7]
  const r = dt.aminmax(f64([[1, 5], [3, 2], [0, 7]]), { dim: 1, keepdim: true });
  assert.deepEqual([...r.min.shape], [3, 1]);
  assert.deepEqual([...r.max.shape], [3, 1]);
  close(r.min.data(), [1, 2, 0], "min");
  close(r.max.data(), [5, 3, 7], "max");
  // PyTorch: "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity."
  throwsWith(() => dt.aminmax(dt.zeros([0, 3])), "aminmax: cannot reduce an empty tensor of shape [0,3]");
  throwsWith(() => dt.aminmax(dt.zeros([0, 3]), { dim: 1 }), "aminmax: cannot reduce an empty tensor of shape [0,3]");
});

test("bincount: inputs that are not 1-D integers, mismatched weights, and an empty input", () => {
  const msg = (d: string, s: string) => `bincount: expects a 1-D integer tensor (int64, int32, ...), got ${d} of shape ${s}`;
  // PyTorch refuses both: "bincount only supports 1-d non-negative integral inputs", "not implemented for 'Float'".
  throwsWith(() => dt.bincount(dt.tensor([[1, 2]], { dtype: "int64" })), msg("int64", "[1,2]"));
  throwsWith(() => dt.bincount(dt.tensor([1, 2], { dtype: "float32" })), msg("float32", "[2]"));
  // "weights should be 1-d and have the same length as input"
  throwsWith(() => dt.bincount(dt.tensor([1, 2], { dtype: "int64" }), f64([1, 2, 3])), "bincount: weights must be 1-D with the input's length 2, got shape [3]");
  throwsWith(() => dt.bincount(dt.tensor([1, 2], { dtype: "int64" }), f64([[1, 2]])), "bincount: weights must be 1-D with the input's length 2, got shape [1,2]");
  throwsWith(() => dt.bincount(dt.tensor([1, 2], { dtype: "int64" }), f64([[1], [2]])), "bincount: weights must be 1-D with the input's length 2, got shape [2,1]");
  // torch.bincount(torch.tensor([], dtype=torch.long)) -> tensor([], dtype=torch.int64)
  const e = dt.bincount(dt.tensor([], { dtype: "int64" }));
  assert.deepEqual([...e.shape], [0]);
  assert.equal(e.dtype, "int64");
  assert.deepEqual([...dt.bincount(dt.tensor([], { dtype: "int64" }), null, 3).numbers()], [0, 0, 0]);
});

test("histc: an integer input, an empty input, equal values, and values just above max", () => {
  // torch.histc(torch.tensor([1, 2]), 4): "histogram_cpu" not implemented for 'Long'
  throwsWith(() => dt.histc(dt.tensor([1, 2], { dtype: "int64" }), 4), "histc: expects a floating point tensor, got int64 (use x.float())");
  // torch.histc(torch.tensor([]), 4) -> [0, 0, 0, 0]
  assert.deepEqual([...dt.histc(dt.tensor([], { dtype: "float32" }), 4).data()], [0, 0, 0, 0]);
  // torch.histc(torch.tensor([2., 2, 2]), 4) -> [0, 0, 3, 0] (the range becomes [1, 3])
  assert.deepEqual([...dt.histc(dt.tensor([2, 2, 2], { dtype: "float32" }), 4).data()], [0, 0, 3, 0]);
  // torch.histc(torch.tensor([0.5, 1.2, -0.1, 1.0]), 2, 0, 1) -> [0, 2]: 1.2 and -0.1 are outside [0, 1]
  assert.deepEqual([...dt.histc(dt.tensor([0.5, 1.2, -0.1, 1.0], { dtype: "float32" }), 2, 0, 1).data()], [0, 2]);
});

test("cummin's own message names cummin (the entry layer would rename a wrong name, so the module's function is called)", async () => {
  const scan = await import("../src/ops/scan.js");
  throwsWith(() => scan.cummin(dt.ones([2, 3]), 5), "cummin: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
  throwsWith(() => scan.cummax(dt.ones([2, 3]), -3), "cummax: dimension -3 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])");
});

test("cumprod's gradient without zeros is PyTorch's division formula, bit for bit (not the leave-one-out products)", () => {
  // torch.cumprod(x, 1) weighted by wt, backward: PyTorch uses reversed_cumsum(g * out) / x here; the
  // [n, n] products give 0.7956 and 0.6116000000000001 at [0, 0] and [1, 0].
  const x = f64([[0.1, 0.3, 0.7, 1.3], [1.1, -0.7, 0.3, 0.9]]).requiresGrad_(true);
  dt.cumprod(x, 1).mul(f64([[0.3, 0.7, 1.1, 0.2], [0.9, 0.1, 0.5, 0.6]])).sum().backward();
  assert.deepEqual([...x.grad!.data()], [0.7955999999999999, 0.16519999999999999, 0.0408, 0.0042, 0.6116, 0.4532, -0.8008, -0.13859999999999997]);
});

test("aminmax along a dim of a 65-dim tensor is refused by aminmax's own check (the module's function)", async () => {
  const scan = await import("../src/ops/scan.js");
  throwsWith(
    () => scan.aminmax(dt.ones(Array(65).fill(1)), { dim: 0 }),
    "aminmax: only tensors with up to 64 dims can be reduced along a dim (PyTorch's limit too), got 65 dims; reshape to 64 dims or fewer first, or leave dim out to reduce over all of them",
  );
  // Without a dim the 65 dims are reduced together (PyTorch too).
  assert.equal(scan.aminmax(dt.ones(Array(65).fill(1))).max.item(), 1);
});

test("scan.ts's static tables: the options-object forms, the declared option keys, the ops' node names", () => {
  const x = f64([[1, 0, 2], [0, 0, 3]]);
  const call = (f: unknown, ...a: unknown[]): Tensor => (f as (...a: unknown[]) => Tensor)(...a);
  const got = (t: Tensor) => [[...t.shape], [...t.numbers()].map(Number)];
  // x.any(dim=1, keepdim=True), x.all(0), x.nansum(1, keepdim=True), x.nanmean(0), x.count_nonzero(1) in PyTorch
  assert.deepEqual(got(call(dt.any, x, { dim: 1, keepdim: true })), [[2, 1], [1, 1]]);
  assert.deepEqual(got(call(dt.all, x, { dim: 0 })), [[3], [0, 0, 1]]);
  assert.deepEqual(got(call(dt.nansum, x, { dim: 1, keepdim: true })), [[2, 1], [3, 3]]);
  assert.deepEqual(got(call(dt.nanmean, x, { dim: 0 })), [[3], [0.5, 0, 2.5]]);
  assert.deepEqual(got(call(dt.countNonzero, x, { dim: 1 })), [[2], [2, 1]]);
  // torch.histc(x, bins=3, min=0, max=3) -> [3, 1, 2]; torch.bincount([0, 2, 2], weights=[1, 2, 3], minlength=4) -> [1, 0, 5, 0]
  assert.deepEqual(got(call(dt.histc, x, { bins: 3, min: 0, max: 3 })), [[3], [3, 1, 2]]);
  assert.deepEqual(got(call(dt.bincount, dt.tensor([0, 2, 2], { dtype: "int64" }), { weights: f64([1, 2, 3]), minlength: 4 })), [[4], [1, 0, 5, 0]]);
  assert.equal(call(dt.cumprod, dt.tensor([1, 2, 3], { dtype: "int32" }), 0, { dtype: "float64" }).dtype, "float64");
  throwsWith(() => call(dt.cumprod, x, 0, { dtyp: "float64" }), "cumprod: unknown option 'dtyp'; did you mean 'dtype'? (it takes dtype)");
  throwsWith(() => call(dt.aminmax, x, { dims: 0 }), "aminmax: unknown option 'dims'; did you mean 'dim'? (it takes dim, keepdim)");
  const xr = x.clone().requiresGrad_(true);
  assert.equal(dt.cumprod(xr, 1).gradFn!.name, "cumprod");
  assert.equal(dt.logcumsumexp(xr, 1).gradFn!.name, "logcumsumexp");
});
