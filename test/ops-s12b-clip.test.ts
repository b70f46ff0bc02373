// Session 12 (helper ops): clip, clip_ and x.clip are PyTorch's aliases of clamp (torch.clip).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("clip is clamp under PyTorch's other name: function, method, in-place, options form", () => {
  const x = dt.tensor([1, 5, 9]);
  // torch.clip(torch.tensor([1, 5, 9]), 2, 6) = [2, 5, 6] (int64 stays int64)
  const xi = dt.tensor([1n, 5n, 9n]);
  const ci = dt.clip(xi, 2, 6);
  assert.equal(ci.dtype, "int64");
  assert.deepEqual(ci.tolist(), [2, 5, 6]);
  // torch.clip(torch.tensor([1, 5, 9]), 2.5) = [2.5, 5., 9.] (a fractional bound promotes)
  const cf = dt.clip(xi, 2.5);
  assert.equal(cf.dtype, "float32");
  assert.deepEqual(cf.tolist(), [2.5, 5, 9]);
  // torch.tensor([1., 5., 9.]).clip(max=4) = [1, 4, 4]
  assert.deepEqual(x.clip({ max: 4 }).tolist(), [1, 4, 4]);
  assert.deepEqual(dt.clip(x, null, 4).tolist(), [1, 4, 4]);
  // z.clip_(2, 6) = [2, 5, 6], in place
  const z = dt.tensor([1, 5, 9]);
  assert.equal(z.clip_(2, 6), z);
  assert.deepEqual(z.tolist(), [2, 5, 6]);
  // torch.clip(torch.tensor([1., 5., 9.]), torch.tensor([2., 6., 0.]), torch.tensor(7.)) = [2, 6, 7]
  assert.deepEqual(dt.clip(x, dt.tensor([2, 6, 0]), dt.tensor(7)).tolist(), [2, 6, 7]);
  // 0-d and empty: torch.clip(torch.tensor(3.), 0, 1) = 1.; torch.clip(torch.zeros(0), 0, 1).shape = (0,)
  assert.equal(dt.clip(dt.tensor(3), 0, 1).item(), 1);
  assert.deepEqual(dt.clip(dt.zeros([0]), 0, 1).shape, [0]);
  // torch.clip(x): "At least one of 'min' or 'max' must not be None"; the message names clip.
  throwsWith(() => dt.clip(x), "clip: give at least one of min and max");
  throwsWith(() => x.clip(), "clip: give at least one of min and max");
  throwsWith(() => x.clip_(), "clip_: give at least one of min and max");
  throwsWith(() => x.clip({ mn: 1 } as never), "x.clip: unknown option 'mn'; did you mean 'min'? (it takes min, max)");
  throwsWith(() => dt.clip(x, "1" as never), /^clip: min must be a number, a Tensor or null/);
  throwsWith(() => dt.clip([1, 2] as never, 0, 1), /^clip: input must be a Tensor, got an array of length 2/);
});

test("clip's gradient is clamp's (gradcheck in float64)", () => {
  // torch.clip(x, -1, 1).sum().backward() with x = [-2, -0.5, 0.5, 3] (float64): grad [0, 1, 1, 0]
  const x = dt.tensor([-2, -0.5, 0.5, 3], { dtype: "float64", requiresGrad: true });
  dt.clip(x, -1, 1).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [0, 1, 1, 0]);
  const y = dt.tensor([-2, -0.5, 0.5, 3], { dtype: "float64", requiresGrad: true });
  const lo = dt.tensor([-1, 0, 0, 0], { dtype: "float64", requiresGrad: true });
  assert.equal(dt.gradcheck((a, b) => dt.clip(a, b, 1.5), [y, lo]), true);
});
