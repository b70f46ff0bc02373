// Tests written for the survivors of `npm run mutate -- src/ops/shape-more.ts` (session 11, helper
// opsa; docs/mutation/session-11-opsa.md): argument checks of movedim, swapaxes, roll, rot90, tile,
// repeatInterleave, the stacks, tensorSplit and unfold, their 0-d and empty forms and edge sizes.
// Values and refusals are PyTorch 1.13's; the messages are deeptype's own, asserted whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import {
  atleast3d, columnStack, dstack, fliplr, flipud, hstack, movedim, repeatInterleave, roll, rot90, swapaxes, tensorSplit, tile, unfold, vstack,
} from "../src/ops/shape-more.js";
import { throwsWith } from "./throws-with.js";

const long = (v: unknown): dt.Tensor => dt.tensor(v as number[], { dtype: "int64" });
const range = (op: string, dim: number, ndim: number): string =>
  `${op}: dimension ${dim} is out of range for a tensor of ${ndim} dimension${ndim === 1 ? "" : "s"} (expected a dim in [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}])`;

test("the ops name themselves in their dim and integer checks", () => {
  const x = dt.arange(6).reshape([2, 3]).float();
  throwsWith(() => movedim(x, 5, 0), range("movedim", 5, 2), RangeError);
  throwsWith(() => movedim(x, 0, -3), range("movedim", -3, 2), RangeError);
  throwsWith(() => swapaxes(x, 0.5, 1), "swapaxes: axis0 must be an integer, got number 0.5");
  throwsWith(() => swapaxes(x, 0, 1.5), "swapaxes: axis1 must be an integer, got number 1.5");
  assert.deepEqual(swapaxes(x, 0, 1).tolist(), [[0, 3], [1, 4], [2, 5]]);
  throwsWith(() => roll(x, 1.5 as never, 0), "roll: shifts must be an integer or an array of integers, got number 1.5");
  throwsWith(() => roll(x, 1, 5), range("roll", 5, 2), RangeError);
  throwsWith(() => rot90(x, 1, [0, 5]), range("rot90", 5, 2), RangeError);
  throwsWith(() => tile(x, [1.5]), "tile: dims must be an integer or an array of integers, got an array of length 1");
  throwsWith(() => repeatInterleave(x, 2, 5), range("repeatInterleave", 5, 2), RangeError);
  throwsWith(() => tensorSplit(x, 2, 2), range("tensorSplit", 2, 2), RangeError);
  throwsWith(() => tensorSplit(x, [1.5]), "tensorSplit: indicesOrSections must be an array of integers, got an array of length 1");
  throwsWith(() => unfold(x, 5, 1, 1), range("unfold", 5, 2), RangeError);
  throwsWith(() => (x as unknown as { reshapeAs(o: unknown): unknown }).reshapeAs(5), "reshapeAs: other must be a Tensor, got number 5 (wrap plain numbers with tensor(...))");
  throwsWith(() => vstack([]), "vstack: expected a non-empty list of tensors");
  throwsWith(() => dstack([]), "dstack: expected a non-empty list of tensors");
  throwsWith(() => columnStack([]), "columnStack: expected a non-empty list of tensors");
  throwsWith(() => hstack([]), "hstack: expected a non-empty list of tensors");
});

test("movedim and roll of 0-d tensors, roll of an empty dim, a repeated dim and a shift of 0 (torch.roll)", () => {
  const s = dt.tensor(5);
  // torch.movedim(tensor(5.), 0, 0) = tensor(5.).
  for (const [a, b] of [[0, 0], [-1, 0]]) {
    const m = movedim(s, a, b);
    assert.deepEqual([...m.shape], []);
    assert.equal(m.item(), 5);
  }
  // PyTorch 1.13 raises "Dimension specified as 0 but tensor has no dimensions", and so does deeptype
  // since session 12 (test/shape-s12.test.ts); without dims the value comes back, still 0-d.
  assert.throws(() => roll(s, 1, 0), /roll: dim 0 was given but the tensor is 0-d/);
  const r = roll(s, 1);
  assert.deepEqual([...r.shape], []);
  assert.equal(r.item(), 5);
  // torch.roll(zeros(0, 2), 1, 0): shape [0, 2].
  assert.deepEqual([...roll(dt.zeros([0, 2]), 1, 0).shape], [0, 2]);
  const x = dt.arange(6).reshape([2, 3]).float();
  // torch.roll(x, (1, 1), (1, 1)) = [[1, 2, 0], [4, 5, 3]]; (0, 2) along (0, 0) gives x.
  assert.deepEqual(roll(x, [1, 1], [1, 1]).tolist(), [[1, 2, 0], [4, 5, 3]]);
  assert.deepEqual(roll(x, [0, 2], [0, 0]).tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(roll(x, -1, 1).tolist(), [[1, 2, 0], [4, 5, 3]]);
  // New memory even when nothing moves (PyTorch's roll copies): writing into it leaves x alone.
  for (const [sh, d] of [[0, 0], [3, 1], [2, 0]] as const) {
    const y = roll(x, sh, d);
    y.set(0, 0, 100);
    assert.deepEqual(x.tolist(), [[0, 1, 2], [3, 4, 5]], `roll(x, ${sh}, ${d})`);
  }
});

test("rot90 with k = 0, 4, -1 and 3; tile with a single count; atleast3d, columnStack of 0-d, flipud of 1-D (torch)", () => {
  const x = dt.arange(6).reshape([2, 3]).float();
  assert.deepEqual(rot90(x, 0).tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(rot90(x, 4).tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(rot90(x, -1).tolist(), [[3, 0], [4, 1], [5, 2]]);
  assert.deepEqual(rot90(x, 3).tolist(), [[3, 0], [4, 1], [5, 2]]);
  assert.deepEqual(rot90(x, 1).tolist(), [[2, 5], [1, 4], [0, 3]]);
  // rot90 by 0 is a copy too.
  const c = rot90(x, 0);
  c.set(0, 0, 100);
  assert.equal(x.get(0, 0).item(), 0);
  // torch.tile([1, 2], (2,)) = [1, 2, 1, 2]; a single count is taken as [count].
  assert.deepEqual(tile(dt.tensor([1, 2]), 2 as never).tolist(), [1, 2, 1, 2]);
  assert.deepEqual([...tile(x, [2]).shape], [2, 6]);
  assert.deepEqual([...atleast3d(dt.tensor(5)).shape], [1, 1, 1]);
  assert.deepEqual([...atleast3d(dt.ones([2, 3, 4])).shape], [2, 3, 4]);
  assert.deepEqual([...atleast3d(dt.ones([2, 3])).shape], [2, 3, 1]);
  assert.deepEqual(columnStack([dt.tensor(1), dt.tensor(2)]).tolist(), [[1, 2]]);
  assert.deepEqual(flipud(dt.tensor([1, 2, 3])).tolist(), [3, 2, 1]);
  throwsWith(() => flipud(dt.tensor(1)), "flipud: expects at least 1 dim, got a 0-d tensor");
  throwsWith(() => fliplr(dt.tensor([1])), "fliplr: expects at least 2 dims, got [1]");
});

test("repeatInterleave: counts as a number or a 0-d/1-D int tensor, checked (torch.repeat_interleave)", () => {
  const x = dt.arange(6).reshape([2, 3]).float();
  assert.deepEqual([...repeatInterleave(x, 0, 0).shape], [0, 3]);
  // A one-element tensor of counts repeats every slice: [[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5]].
  assert.deepEqual(repeatInterleave(x, long([2]), 1).tolist(), [[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5]]);
  assert.deepEqual(repeatInterleave(x, long(2), 1).tolist(), [[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5]]);
  assert.deepEqual(repeatInterleave(x, long([1, 2]), 0).tolist(), [[0, 1, 2], [3, 4, 5], [3, 4, 5]]);
  assert.deepEqual(repeatInterleave(x, long([0, 2]), 0).tolist(), [[3, 4, 5], [3, 4, 5]]);
  throwsWith(() => repeatInterleave(x, -1), "repeatInterleave: repeats must be a non-negative integer, got -1");
  throwsWith(() => repeatInterleave(x, 1.5), "repeatInterleave: repeats must be a non-negative integer, got 1.5");
  throwsWith(() => repeatInterleave(x, long([1, -1]), 0), "repeatInterleave: repeats must be non-negative, got [1,-1]");
  throwsWith(() => repeatInterleave(x, long([-1]), 0), "repeatInterleave: repeats must be non-negative, got [-1,-1]");
  throwsWith(() => repeatInterleave(x, long([1, 2, 3]), 0), "repeatInterleave: repeats has 3 counts but dim 0 has size 2");
  throwsWith(() => repeatInterleave(x, long([[1]]), 0), "repeatInterleave: repeats must be a number or a 0-D/1-D int64 (or int32) tensor, got int64 [1,1]");
  throwsWith(() => repeatInterleave(x, dt.tensor([1]), 0), "repeatInterleave: repeats must be a number or a 0-D/1-D int64 (or int32) tensor, got float32 [1]");
  // A 0-d input: torch.repeat_interleave(tensor(5.), 2) = [5., 5.]; with dim 0 torch raises, and so does
  // deeptype since session 12.
  assert.deepEqual(repeatInterleave(dt.tensor(5), 2).tolist(), [5, 5]);
  assert.throws(() => repeatInterleave(dt.tensor(5), 2, 0), /repeatInterleave: dim 0 was given but the tensor is 0-d/);
  assert.deepEqual(repeatInterleave(dt.tensor(5), long([3])).tolist(), [5, 5, 5]);
  assert.throws(() => repeatInterleave(dt.tensor(5), long([3]), 0), /repeatInterleave: dim 0 was given but the tensor is 0-d/);
});

test("tensorSplit: sections, indices (negative, past the end, decreasing) and tensor forms (torch.tensor_split)", () => {
  const x = dt.arange(7);
  const parts = (ts: dt.Tensor[]): unknown[] => ts.map((t) => t.tolist());
  assert.deepEqual(parts(tensorSplit(x, 3)), [[0, 1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(parts(tensorSplit(x, 1)), [[0, 1, 2, 3, 4, 5, 6]]);
  assert.deepEqual(parts(tensorSplit(x, [-1, 10, 2])), [[0, 1, 2, 3, 4, 5], [6], [], [2, 3, 4, 5, 6]]);
  assert.deepEqual(parts(tensorSplit(x, [1, -2])), [[0], [1, 2, 3, 4], [5, 6]]);
  // torch.tensor_split(arange(7), [0, 3]) = [[], [0, 1, 2], [3, 4, 5, 6]].
  assert.deepEqual(parts(tensorSplit(x, [0, 3])), [[], [0, 1, 2], [3, 4, 5, 6]]);
  assert.deepEqual(parts(tensorSplit(x, long(3))), [[0, 1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(parts(tensorSplit(x, long([1, -2]))), [[0], [1, 2, 3, 4], [5, 6]]);
  assert.deepEqual(parts(tensorSplit(x, dt.tensor([2], { dtype: "int32" }))), [[0, 1], [2, 3, 4, 5, 6]]);
  throwsWith(() => tensorSplit(x, long([[1]])), "tensorSplit: a tensor of indices or sections must be a 0-d or 1-D int64 (or int32) tensor, got int64 of shape [1,1]");
  throwsWith(() => tensorSplit(x, dt.tensor([1])), "tensorSplit: a tensor of indices or sections must be a 0-d or 1-D int64 (or int32) tensor, got float32 of shape [1]");
  throwsWith(() => tensorSplit(x, 0), "tensorSplit: the number of sections must be a positive integer, got 0");
});

test("unfold: sizes 0 to n, steps, 0-d input, the view's name (Tensor.unfold)", () => {
  const x = dt.arange(4).float();
  assert.deepEqual(unfold(x, 0, 4, 1).tolist(), [[0, 1, 2, 3]]);
  assert.deepEqual([...unfold(x, 0, 0, 2).shape], [3, 0]);
  assert.deepEqual(unfold(x, 0, 2, 2).tolist(), [[0, 1], [2, 3]]);
  throwsWith(() => unfold(x, 0, 5, 1), "unfold: size (5) must be an integer in [0, 4], the size of dim 0 of [4]");
  throwsWith(() => unfold(x, 0, -1, 1), "unfold: size (-1) must be an integer in [0, 4], the size of dim 0 of [4]");
  throwsWith(() => unfold(x, 0, 1.5, 1), "unfold: size (1.5) must be an integer in [0, 4], the size of dim 0 of [4]");
  throwsWith(() => unfold(x, 0, 2, 0), "unfold: step must be a positive integer, got 0");
  // tensor(5.).unfold(0, 1, 1) = [5.]; size 0 gives []; size 2 is refused.
  assert.deepEqual(unfold(dt.tensor(5), 0, 1, 1).tolist(), [5]);
  assert.deepEqual([...unfold(dt.tensor(5), 0, 0, 1).shape], [0]);
  throwsWith(() => unfold(dt.tensor(5), 0, 2, 1), "unfold: size (2) must be an integer in [0, 1], the size of dim 0 of []");
  const w = dt.arange(4).float().requiresGrad_();
  const u = unfold(w, 0, 2, 1);
  assert.equal(u.gradFn!.name, "unfold");
  u.sum().backward();
  assert.deepEqual(w.grad!.tolist(), [1, 2, 2, 1]);
});
