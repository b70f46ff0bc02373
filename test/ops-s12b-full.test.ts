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
