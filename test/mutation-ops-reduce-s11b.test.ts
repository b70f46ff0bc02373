// Tests written for the survivors of session 11's mutation run of src/ops/reduce.ts (the whole file;
// docs/mutation/session-11-opsb.md). Expected values are PyTorch 1.13's where numeric.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const x = dt.tensor([[1, 5, 3], [4, 2, 6]], { dtype: "float64" });

test("every reduction names itself for a bad keepdim or dim", () => {
  const kd = (op: string) => `${op}: keepdim must be true/false or an options object like { keepdim: true }, got string "yes"`;
  for (const op of ["sum", "mean", "prod", "amin", "amax", "argmax", "argmin", "max", "min", "logsumexp"] as const) {
    throwsWith(() => (dt[op] as (x: dt.Tensor, d: number, k: unknown) => unknown)(x, 0, "yes"), kd(op));
  }
  throwsWith(() => dt.norm(x, 2, 0, "yes" as never), kd("norm"));
  const range = (op: string) => `${op}: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])`;
  throwsWith(() => dt.mean(x, 5), range("mean"));
  throwsWith(() => x.var(5), range("var"));
  throwsWith(() => x.std(5), range("std"));
  throwsWith(() => dt.prod(x, 5), range("prod"));
  throwsWith(() => dt.argmax(x, 5), range("argmax"));
  throwsWith(() => dt.argmin(x, 5), range("argmin"));
  throwsWith(() => dt.norm(x, 3, 5), range("norm"));
  throwsWith(() => dt.logsumexp(x, 5), range("logsumexp"));
  for (const op of ["cumsum", "softmax", "logSoftmax"] as const) {
    throwsWith(() => dt[op](x, 5), range(op));
    throwsWith(() => dt[op](dt.tensor(3), 1), `${op}: dimension 1 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])`);
  }
});

test("amax/amin of an empty tensor: the message says which dim only when some dims are left", () => {
  throwsWith(() => dt.amax(dt.zeros([0, 3])), "amax: cannot reduce an empty tensor of shape [0,3]");
  throwsWith(() => dt.amin(dt.zeros([0, 3]), [0, 1]), "amin: cannot reduce an empty tensor of shape [0,3]");
  throwsWith(() => dt.amax(dt.zeros([0, 3]), 0), "amax: cannot reduce an empty tensor of shape [0,3] over dim 0, which has size 0; reduce over non-empty dims only");
});

test("var/std refuse a correction that is not a number (PyTorch: an invalid combination of arguments)", () => {
  throwsWith(() => x.var(0, { correction: "1" as never }), 'var: correction must be a number >= 0, got string "1"');
  throwsWith(() => x.std(0, { correction: true as never }), "std: correction must be a number >= 0, got boolean true");
});

test("norm: NaN p refused; p = -Infinity is the smallest magnitude (torch.norm([2., 5, 3], -inf) = 2)", () => {
  throwsWith(() => dt.norm(x, NaN), "norm: p must be a number (2, 1, Infinity, ...), got NaN");
  throwsWith(() => dt.norm(x, "fro" as never), "norm: p must be a number (2, 1, Infinity, ...), got fro");
  assert.equal(dt.norm(dt.tensor([2, 5, 3], { dtype: "float64" }), -Infinity).item(), 2);
  assert.deepEqual([...dt.norm(x, -Infinity, 1).data()], [1, 2]);
});
