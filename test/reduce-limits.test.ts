// Inputs PyTorch 1.13 refuses for its reductions, refused here too with a message naming the op and
// the fix (its OpInfo error inputs for amax/amin/aminmax test the first; mean's test the second):
// - reducing a tensor of more than 64 dims along a dim: "only tensors with up to 64 dims are supported"
//   (torch.zeros([1]*65).amax(0), .sum(0), .argmax(0), .max(0), torch.aminmax(x, dim=-1) all raise;
//   torch.zeros([1]*65).amax() and .sum() work);
// - the mean of an integer tensor, or with an integer dtype=: "mean(): could not infer output dtype".
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";

const throwsMessage = (f: () => unknown, re: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof Error && re.test(e.message), `expected ${re}`);
};

test("a reduction along a dim of a tensor of more than 64 dims is refused, as PyTorch's; over all dims it works", () => {
  const x = dt.ones(Array(65).fill(1));
  const limit = (op: string) => new RegExp(`^${op}: only tensors with up to 64 dims can be reduced along a dim \\(PyTorch's limit too\\), got 65 dims; reshape`);
  throwsMessage(() => x.amax(1), limit("amax"));
  throwsMessage(() => x.amin(64), limit("amin"));
  throwsMessage(() => dt.aminmax(x, { dim: -1 }), limit("aminmax"));
  throwsMessage(() => x.sum(0), limit("sum"));
  throwsMessage(() => x.mean([0, 1]), limit("mean"));
  throwsMessage(() => x.max(0), limit("max"));
  throwsMessage(() => x.argmin(0), limit("argmin"));
  throwsMessage(() => x.std(0), limit("std"));
  throwsMessage(() => x.logsumexp(3), limit("logsumexp"));
  throwsMessage(() => x.any(2), limit("any"));
  // Over all dims (no dim given) PyTorch reduces it: so does deeptype, whatever the op does inside.
  assert.equal(x.amax().item(), 1);
  assert.equal(x.sum().item(), 1);
  assert.equal(x.mean().item(), 1);
  assert.deepEqual([dt.aminmax(x).min.item(), dt.aminmax(x).max.item()], [1, 1]);
  assert.ok(Number.isNaN(x.var().item())); // one element, correction 1: 0/0 as PyTorch
  assert.equal(x.amax(undefined, true).ndim, 65);
  // 64 dims are within the limit.
  assert.deepEqual(dt.ones(Array(64).fill(1)).amax(0).shape, Array(63).fill(1));
});

test("the mean of an integer tensor, or with an integer dtype, is refused naming .float() and { dtype }", () => {
  const i = dt.tensor([1, 2]).long();
  throwsMessage(() => i.mean(), /^mean: could not infer the output dtype: the input is int64, and mean needs a floating point input; cast first \(x\.float\(\)\.mean\(\)\) or pass \{ dtype: "float32" \}$/);
  throwsMessage(() => i.float().mean(0, { dtype: "int64" }), /^mean: dtype must be a floating point dtype \(a mean is not an integer\), got "int64"; pass \{ dtype: "float32" \}/);
  // The two fixes it names give PyTorch's values: torch.tensor([1, 2]).mean(dtype=torch.float64) = 1.5.
  assert.equal(i.float().mean().item(), 1.5);
  const m = i.mean({ dtype: "float64" });
  assert.deepEqual([m.item(), m.dtype], [1.5, "float64"]);
});
