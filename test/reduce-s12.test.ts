// Session 12 (helper fixes): nansum and nanmean take sum's and mean's `{ dtype }` (torch.nansum and
// torch.nanmean have the keyword dtype), converting the input first; a float input with an integer
// dtype is refused as PyTorch refuses it. Expected values are PyTorch's, from the torch call beside each.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("nansum and nanmean take { dtype } as sum and mean do", () => {
  const x = dt.tensor([[1, NaN], [2, 3]]);
  // torch.nansum(torch.tensor([[1., nan], [2., 3.]]), 1, keepdim=True, dtype=torch.float64) = [[1.], [5.]] float64
  const s = dt.nansum(x, 1, { keepdim: true, dtype: "float64" });
  assert.equal(s.dtype, "float64");
  assert.deepEqual(s.tolist(), [[1], [5]]);
  assert.deepEqual(x.nansum({ dim: 1, dtype: "float64" }).tolist(), [1, 5]);
  // torch.nanmean(torch.tensor([[1., nan], [2., 3.]]), 1, dtype=torch.float64) = [1.0, 2.5] float64
  const m = x.nanmean(1, { dtype: "float64" });
  assert.equal(m.dtype, "float64");
  assert.deepEqual(m.tolist(), [1, 2.5]);
  // torch.nansum(torch.tensor([1, 2]), dtype=torch.float64) = 3. (float64)
  const i = dt.nansum(dt.tensor([1, 2], { dtype: "int64" }), undefined, { dtype: "float64" });
  assert.equal(i.dtype, "float64");
  assert.equal(i.item(), 3);
  // torch.nansum(torch.tensor([1.5, 2.5]), dtype=torch.int64): "nansum_cpu" not implemented for 'Long'
  throwsWith(() => dt.nansum(dt.tensor([1.5, 2.5]), undefined, { dtype: "int64" }),
    'nansum: dtype must be a floating point dtype for a float32 input, got "int64" (PyTorch has no integer nansum of floats)');
  // torch.nanmean(torch.tensor([1, 2]), dtype=torch.float32): "nanmean(): expected input to have floating point dtype but got Long"
  throwsWith(() => dt.nanmean(dt.tensor([1, 2], { dtype: "int64" }), undefined, { dtype: "float32" }), "nanmean: expects a floating point tensor, got int64 (use x.float() or mean)");
  throwsWith(() => x.nansum(1, { dtyp: "float64" } as never), /^x\.nansum: unknown option 'dtyp'/);
});
