// Session 12 (helper ops): full and fullLike name their value parameter fillValue, as PyTorch's
// keyword fill_value, so torch.full((2,), fill_value=1)'s keyword form in the options object gets the
// positional-parameter message that writes the call (it was "unknown option 'fillValue'").
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("full and fullLike: fillValue in the options object gets the positional-parameter message", () => {
  throwsWith(() => dt.full([2], { fillValue: 1 } as never), "full: fillValue is a positional parameter, not an option; write full([2], 1)");
  throwsWith(() => dt.full([2, 3], { fillValue: 7, dtype: "int64" } as never), 'full: fillValue is a positional parameter, not an option; write full([2, 3], 7, { dtype: "int64" })');
  throwsWith(() => dt.fullLike(dt.ones([2]), { fillValue: 1 } as never), "fullLike: fillValue is a positional parameter, not an option; write fullLike(input, 1)");
  // torch.full((2, 3), 7, dtype=torch.int64) = [[7, 7, 7], [7, 7, 7]]
  const f = dt.full([2, 3], 7, { dtype: "int64" });
  assert.equal(f.dtype, "int64");
  assert.deepEqual(f.tolist(), [[7, 7, 7], [7, 7, 7]]);
  // torch.full_like(torch.ones(2, dtype=torch.int32), 3) = [3, 3] (int32)
  const y = dt.fullLike(dt.ones([2], { dtype: "int32" }), 3);
  assert.equal(y.dtype, "int32");
  assert.deepEqual(y.tolist(), [3, 3]);
});

test("PyTorch's snake_case keyword of a positional parameter (fill_value) gets the same message, naming both spellings", () => {
  throwsWith(() => dt.full([2], { fill_value: 1 } as never), "full: fill_value (fillValue) is a positional parameter, not an option; write full([2], 1)");
  throwsWith(() => dt.fullLike(dt.ones([2]), { fill_value: 3, dtype: "float64" } as never), 'fullLike: fill_value (fillValue) is a positional parameter, not an option; write fullLike(input, 3, { dtype: "float64" })');
  // A snake_case spelling of an option (not a parameter) keeps its own message.
  throwsWith(() => dt.sum(dt.ones([2]), { keep_dim: true } as never), "sum: unknown option 'keep_dim'; did you mean 'keepdim'? (it takes dim, keepdim, dtype)");
});
