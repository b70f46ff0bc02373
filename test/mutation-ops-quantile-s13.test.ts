// Written for the survivors of `npm run mutate -- src/ops/quantile.ts` (2026-12-06 21:05, 84.5%):
// each interpolation mode's own value, quantile's argument checks, the all-dims form, and nanmedian's
// dim check, options form and empty float64 dtype. Values from torch 1.13:
// torch.quantile(tensor([1., 2., 3., 4.]), q, interpolation=m) for q = 0.4, 0.5, 0.7.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nanmedian, quantile, tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const x = tensor([1, 2, 3, 4]);

test("quantile: each interpolation mode's value where the modes disagree (ranks 1.2, 1.5, 2.1 of four)", () => {
  const want: Record<string, number[]> = {
    linear: [2.200000047683716, 2.5, 3.0999999046325684], lower: [2, 2, 3], higher: [3, 3, 4], nearest: [2, 3, 3], midpoint: [2.5, 2.5, 3.5],
  };
  for (const [mode, values] of Object.entries(want)) {
    [0.4, 0.5, 0.7].forEach((q, i) => assert.equal(quantile(x, q, { interpolation: mode as "linear" }).item(), values[i], `${mode} q=${q}`));
  }
  // No dim is every element, as dim null: the 0-d result (keepdim keeps one 1 per dim).
  assert.equal(quantile(tensor([[4, 1], [3, 2]]), 0.5).item(), 2.5);
  assert.deepEqual(quantile(tensor([[4, 1], [3, 2]]), 0.5, null, true).shape, [1, 1]);
});

test("quantile: q, dim, keepdim, interpolation and the options object are checked by name", () => {
  throwsWith(() => quantile(x, -0.1), "quantile: q must be in the range [0, 1], got -0.1");
  throwsWith(() => quantile(x, 1.5), "quantile: q must be in the range [0, 1], got 1.5");
  throwsWith(() => quantile(x, NaN), "quantile: q must be in the range [0, 1], got NaN");
  throwsWith(() => quantile(x, tensor([0.2, 1.2])), "quantile: q values must be in the range [0, 1], got 1.2000000476837158 at index 1");
  throwsWith(() => quantile(x, tensor([[0.2]])), "quantile: q must be a number, a 0-d or a 1-D tensor, got shape [1,1]");
  throwsWith(() => quantile(x, "a" as never), 'quantile: q must be a number or a tensor of quantiles in [0, 1], got string "a"');
  throwsWith(() => quantile(x, 0.5, 0.5), "quantile: dim must be an integer or null, got number 0.5");
  throwsWith(() => quantile(x, 0.5, 0, 1 as never), "quantile: keepdim must be true or false, got number 1");
  throwsWith(() => quantile(x, 0.5, { interpolation: "cubic" as never }), 'quantile: interpolation must be one of linear, lower, higher, midpoint, nearest, got string "cubic"');
  throwsWith(() => quantile(x, 0.5, 0, false, [] as never), "quantile: the options must be an object { interpolation }, got an array of length 0");
  // The bounds themselves are quantiles.
  assert.deepEqual([quantile(x, 0).item(), quantile(x, 1).item()], [1, 4]);
});

test("nanmedian: a non-integer dim is refused, the options form takes dim and keepdim, an empty float64 tensor's NaN is float64", () => {
  throwsWith(() => nanmedian(x, 0.5), "nanmedian: dim must be an integer, got number 0.5");
  // torch.nanmedian(tensor([[1., nan, 3.], [4., 5., 6.]]), 1, True): values [[1.], [5.]], indices [[0], [1]]
  const r = nanmedian(tensor([[1, NaN, 3], [4, 5, 6]]), { dim: 1, keepdim: true });
  assert.deepEqual(r.values.tolist(), [[1], [5]]);
  assert.deepEqual(r.indices.tolist(), [[0], [1]]);
  assert.equal(r.indices.dtype, "int64");
  const e = nanmedian(tensor([], { dtype: "float64" }));
  assert.equal(e.dtype, "float64");
  assert.ok(Number.isNaN(e.item()));
});
