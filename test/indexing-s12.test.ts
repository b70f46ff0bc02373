// Session 12 (helper fixes): indexAdd with a source of lower rank or size-1 slices, as PyTorch 1.13
// (index_func_meta_impl and index_add_cpu_out in ATen): index.numel() must equal source.size(dim) (1
// for a 0-d source); for an input of 2+ dims each slice source.select(dim, i) broadcasts to the input's
// slice; a 0-/1-D input takes a 0-/1-D source; the dtypes must match. PyTorch's backward
// (grad.index_select(dim, index).expand_as(source)) fails for a broadcast source, and so does ours.
// Expected values are PyTorch's, from the torch call in the comment beside each.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { indexAdd } from "../src/ops/indexing.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { throwsWith } from "./throws-with.js";

const long = (v: unknown): dt.Tensor => dt.tensor(v as number[], { dtype: "int64" });

function onBothBackends(f: () => void): void {
  for (const b of ["js", "wasm"]) {
    const before = getBackend();
    setBackend(b);
    try {
      f();
    } finally {
      setBackend(before);
    }
  }
}

test("indexAdd broadcasts each source slice to the input's slice, on both backends", () => {
  onBothBackends(() => {
    // torch.index_add(torch.ones(3,4), 0, torch.tensor([1]), torch.tensor([5.]))
    assert.deepEqual(indexAdd(dt.ones([3, 4]), 0, long([1]), dt.tensor([5])).tolist(), [[1, 1, 1, 1], [6, 6, 6, 6], [1, 1, 1, 1]]);
    // torch.index_add(torch.ones(3,4), 0, torch.tensor([1]), torch.ones(1,1))
    assert.deepEqual(indexAdd(dt.ones([3, 4]), 0, long([1]), dt.ones([1, 1])).tolist(), [[1, 1, 1, 1], [2, 2, 2, 2], [1, 1, 1, 1]]);
    // torch.index_add(torch.zeros(3,4,5), 1, torch.tensor([1,3]), torch.arange(10.).reshape(5,2)):
    // source[:, i] (shape [5]) is broadcast over the input's slice [3, 5].
    const row1 = [0, 2, 4, 6, 8], row3 = [1, 3, 5, 7, 9], z = [0, 0, 0, 0, 0];
    assert.deepEqual(indexAdd(dt.zeros([3, 4, 5]), 1, long([1, 3]), dt.arange(10).float().reshape([5, 2])).tolist(), [
      [z, row1, z, row3], [z, row1, z, row3], [z, row1, z, row3],
    ]);
    // A non-contiguous source: torch.index_add(torch.zeros(2,3,4), 2, torch.tensor([0,3,0]),
    //   torch.arange(6.).reshape(3,1,2).permute(2,1,0))
    const s = dt.arange(6).float().reshape([3, 1, 2]).permute([2, 1, 0]);
    assert.equal(s.isContiguous(), false);
    assert.deepEqual(indexAdd(dt.zeros([2, 3, 4]), 2, long([0, 3, 0]), s).tolist(), [
      [[4, 0, 0, 2], [4, 0, 0, 2], [4, 0, 0, 2]],
      [[6, 0, 0, 3], [6, 0, 0, 3], [6, 0, 0, 3]],
    ]);
    // torch.ones(3,4).index_add_(0, torch.tensor([2,0,2]), torch.tensor([[1.],[2.],[3.]]), alpha=2)
    assert.deepEqual(dt.ones([3, 4]).indexAdd_(0, long([2, 0, 2]), dt.tensor([[1], [2], [3]]), { alpha: 2 }).tolist(), [
      [5, 5, 5, 5], [1, 1, 1, 1], [9, 9, 9, 9],
    ]);
  });
});

test("indexAdd: a 1-D input takes a 0-d source (forward and gradient), as PyTorch", () => {
  // x = torch.zeros(3, requires_grad=True); s = torch.tensor(5., requires_grad=True)
  // y = torch.index_add(x, -1, torch.tensor(2), s); y.backward(torch.tensor([1., 2., 3.]))
  const x = dt.zeros([3], { requiresGrad: true });
  const s = dt.tensor(5, { requiresGrad: true });
  const y = indexAdd(x, -1, dt.tensor(2, { dtype: "int64" }), s);
  y.backward(dt.tensor([1, 2, 3]));
  assert.deepEqual(y.tolist(), [0, 0, 5]);
  assert.deepEqual(x.grad!.tolist(), [1, 2, 3]);
  assert.deepEqual(s.grad!.shape, []);
  assert.equal(s.grad!.item(), 3);
});

test("indexAdd with a broadcast source: the input's gradient flows, the source's is refused as PyTorch's", () => {
  // x = torch.zeros(3,4, requires_grad=True); torch.index_add(x, 0, torch.tensor([1]), torch.tensor([5.])).backward(g)
  const x = dt.zeros([3, 4], { requiresGrad: true });
  const g = dt.arange(12).float().reshape([3, 4]);
  indexAdd(x, 0, long([1]), dt.tensor([5])).backward(g);
  assert.deepEqual(x.grad!.tolist(), g.tolist());
  // With the source requiring grad, torch's backward fails in expand_as ("expand(torch.FloatTensor{[1, 4]},
  // size=[1]): the number of sizes provided (1) must be greater or equal ...").
  const src = dt.tensor([5], { requiresGrad: true });
  const y = indexAdd(dt.zeros([3, 4]), 0, long([1]), src);
  throwsWith(
    () => y.backward(g),
    "backward: indexAdd: the source of shape [1] was broadcast to [1,4], and PyTorch cannot differentiate that either; expand the source to [1,4] before indexAdd (src.expand(...)) to get its gradient",
  );
  // Expanded first, the gradient is the sum over the broadcast: g[1] summed = 4+5+6+7.
  const src2 = dt.tensor([5], { requiresGrad: true });
  indexAdd(dt.zeros([3, 4]), 0, long([1]), src2.expand([1, 4])).backward(g);
  assert.deepEqual(src2.grad!.tolist(), [22]);
});

test("indexAdd refuses what PyTorch refuses, naming itself", () => {
  const x = dt.zeros([3, 4]);
  // torch: "index_add_(): Number of indices (1) should be equal to source.size(dim): (4), for dim: 0"
  throwsWith(() => indexAdd(x, 0, long([1]), dt.ones([4])), "indexAdd: the index has 1 element but the source [4] has size 4 along dim 0; they must be equal");
  // torch: "index_add_(): Indexing dim 1 is out of bounds of the source tensor with dim 1"
  throwsWith(() => indexAdd(x, 1, long([1]), dt.ones([1])), "indexAdd: dim 1 is out of range for the source of shape [1] (1 dims); src needs a dim 1 of size 1");
  // torch: "select() cannot be applied to a 0-dim tensor."
  throwsWith(() => indexAdd(x, 0, long([1]), dt.tensor(5)), "indexAdd: a 0-d source cannot be added into the 2-D input [3,4]; give it shape [1,4]");
  // torch: "output with shape [4] doesn't match the broadcast shape [1, 4]"
  throwsWith(
    () => indexAdd(x, 0, long([1]), dt.ones([1, 1, 4])),
    "indexAdd: the source [1,1,4] does not fit the input [3,4]: its slices along dim 0 ([1,4]) must broadcast to the input's ([4]); give the source shape [1,4]",
  );
  // torch: "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 1"
  throwsWith(
    () => indexAdd(dt.zeros([3, 4, 5]), 1, long([1]), dt.ones([4, 1])),
    "indexAdd: the source [4,1] does not fit the input [3,4,5]: its slices along dim 1 ([4]) must broadcast to the input's ([3,5]); give the source shape [3,1,5]",
  );
  // torch: "source.dim() (2) must one or zero for given self.dim() (1)"
  throwsWith(() => indexAdd(dt.zeros([3]), 0, long([1]), dt.ones([1, 1])), "indexAdd: a 1-D input takes a 0-d or 1-D source, got [1,1]");
  throwsWith(() => indexAdd(dt.zeros([]), 0, long([0]), dt.ones([1, 1])), "indexAdd: a 0-d input takes a 0-d or 1-D source, got [1,1]");
  // torch: "index_add_(): self (Float) and source (Double) must have the same scalar type"
  throwsWith(
    () => indexAdd(dt.zeros([3]), 0, long([1]), dt.ones([1], { dtype: "float64" })),
    'indexAdd: src is float64 but the input is float32; they must match (convert with src.to("float32"))',
  );
  // With no index PyTorch adds nothing and checks no slice shapes: torch.index_add(torch.zeros(3,4), 0,
  // torch.tensor([], dtype=torch.long), torch.ones(0,5)) is zeros(3,4).
  assert.deepEqual(indexAdd(x, 0, long([]), dt.ones([0, 5])).tolist(), x.tolist());
});
