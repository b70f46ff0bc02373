// searchsorted and bucketize with NaN in the sorted sequence or the values give PyTorch 1.13's indices:
// its binary search steps right whenever `e >= v` (left) or `e > v` (right) is false, which a NaN on
// either side makes it. Values printed by:
//   n = float('nan'); v = torch.tensor([n, 3., 2., 0.5])
//   for s in ([1.,2.,n], [n,1.,2.], [1.,n,2.,3.]): torch.searchsorted(torch.tensor(s), v), (..., right=True)
//   torch.bucketize(v, torch.tensor([1.,2.,n])), (..., right=True)
//   torch.searchsorted(torch.tensor([1.,2.,3.]), torch.tensor([n, 2.])), (..., right=True)
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, searchsorted, bucketize } from "../src/index.js";

const idx = (t: { numbers(): ArrayLike<number> }) => Array.from(t.numbers());

test("searchsorted with NaN in the sequence or the values: PyTorch 1.13's indices, both sides", () => {
  const v = tensor([NaN, 3, 2, 0.5]);
  const cases: [number[], number[], number[]][] = [
    [[1, 2, NaN], [3, 3, 1, 0], [3, 3, 3, 0]],
    [[NaN, 1, 2], [3, 3, 2, 1], [3, 3, 3, 1]],
    [[1, NaN, 2, 3], [4, 3, 2, 2], [4, 4, 3, 2]],
  ];
  for (const [seq, left, right] of cases) {
    assert.deepEqual(idx(searchsorted(tensor(seq), v)), left, `left, sequence [${seq}]`);
    assert.deepEqual(idx(searchsorted(tensor(seq), v, { right: true })), right, `right, sequence [${seq}]`);
  }
  assert.deepEqual(idx(searchsorted(tensor([1, 2, 3]), tensor([NaN, 2]))), [3, 1]);
  assert.deepEqual(idx(searchsorted(tensor([1, 2, 3]), tensor([NaN, 2]), { right: true })), [3, 2]);
  assert.deepEqual(idx(bucketize(v, tensor([1, 2, NaN]))), [3, 3, 1, 0]);
  assert.deepEqual(idx(bucketize(v, tensor([1, 2, NaN]), { right: true })), [3, 3, 3, 0]);
});
