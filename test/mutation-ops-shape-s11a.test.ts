// Tests written for the survivors of `npm run mutate -- src/ops/shape.ts` (session 11, helper opsa;
// docs/mutation/session-11-opsa.md): the shape checks and their messages, views of non-contiguous
// tensors with unit dims, view bases and names, in-place writes through views (the refusals, the
// refresh of a stale view) and the basic `get` of shape.ts itself. The op-table tests that src/ops'
// mutation runs use never write through views (test/autograd.test.ts does, but it is not mapped: its
// fuzz tests reach every op). Values and refusals are PyTorch 1.13's; messages are deeptype's own.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import {
  chunk, detach, expand, flatten, get, narrow, permute, reshape, select, slice, split, squeeze, t, transpose, unbind, unflatten, unsqueeze, view,
} from "../src/ops/shape.js";
import { throwsWith } from "./throws-with.js";

const f64 = (v: unknown, requiresGrad = true): dt.Tensor => dt.tensor(v as number[], { dtype: "float64", requiresGrad });

test("reshape, view, flatten, unflatten, permute, t and expand refuse bad shapes with their own messages (torch refuses each)", () => {
  const x = dt.arange(6).reshape([2, 3]).float();
  throwsWith(() => reshape(x, 6 as never), "reshape: shape must be an array of integers like [2, -1], got number 6");
  throwsWith(() => reshape(x, [2, -1, -1]), "reshape: only one dimension can be -1, got [2,-1,-1]");
  throwsWith(() => reshape(x, [2, -2]), "reshape: invalid size -2 in [2,-2]");
  throwsWith(() => reshape(x, [1.5, 4]), "reshape: invalid size 1.5 in [1.5,4]");
  throwsWith(() => reshape(dt.zeros([0]), [0, -1]), "reshape: shape [0,-1] is invalid for input of shape [0] (0 elements)");
  throwsWith(() => reshape(x, [4, -1]), "reshape: shape [4,-1] is invalid for input of shape [2,3] (6 elements)");
  throwsWith(() => reshape(x, [4, 2]), "reshape: shape [4,2] is invalid for input of shape [2,3]: 8 elements vs 6");
  throwsWith(() => view(x, [4, -1]), "view: shape [4,-1] is invalid for input of shape [2,3] (6 elements)");
  throwsWith(() => view(x.t(), [6]), "view: shape [6] is not compatible with the input's size [3,2] and stride [1,3]; use reshape() (which copies when needed)");
  // The accepted neighbours: -1 once, with zero elements when the rest is known and non-zero.
  assert.deepEqual([...reshape(x, [3, -1]).shape], [3, 2]);
  assert.deepEqual([...reshape(dt.zeros([0, 4]), [-1, 2]).shape], [0, 2]);
  assert.deepEqual([...reshape(x, [-1]).shape], [6]);
  throwsWith(() => flatten(dt.zeros([2, 3, 4]), 2, 1), "flatten: startDim (2) must not come after endDim (1)");
  throwsWith(() => unflatten(x, 1, [2, 2]), "unflatten: sizes [2,2] do not multiply to dim 1's size 3 (input [2,3])");
  assert.deepEqual([...unflatten(x, 1, [3, 1]).shape], [2, 3, 1]);
  assert.deepEqual([...unflatten(x, -1, [-1, 1]).shape], [2, 3, 1]);
  throwsWith(() => permute(x, [0]), "permute: got 1 dims [0] for a tensor of 2 dims [2,3]");
  throwsWith(() => permute(x, [0, 0]), "permute: dims [0,0] repeat a dimension");
  throwsWith(() => t(dt.zeros([1, 2, 3])), "t: expects a tensor with <= 2 dimensions, got [1,2,3]; use transpose(dim0, dim1) or mT");
  throwsWith(() => expand(x, [6]), "expand: the target shape [6] has fewer dims than the input [2,3]");
  throwsWith(() => expand(x, [3, 3]), "expand: cannot expand [2,3] to [3,3]: dim 0 has size 2, target 3 (only size-1 dims can grow; -1 keeps a size)");
  throwsWith(() => expand(x, [-1, 2, 3]), "expand: cannot expand [2,3] to [-1,2,3]: dim 0 has size (new), target -1 (only size-1 dims can grow; -1 keeps a size)");
  throwsWith(() => (x as unknown as { viewAs(o: unknown): unknown }).viewAs(5), "viewAs: other must be a Tensor, got number 5 (wrap plain numbers with tensor(...))");
  throwsWith(() => (x as unknown as { expandAs(o: unknown): unknown }).expandAs(5), "expandAs: other must be a Tensor, got number 5 (wrap plain numbers with tensor(...))");
});

test("flatten of a 0-d tensor takes dims -1 and 0 only (torch.flatten)", () => {
  const s = dt.tensor(5);
  for (const args of [[], [0], [-1], [0, -1]] as number[][]) assert.deepEqual((flatten as (...a: unknown[]) => dt.Tensor)(s, ...args).tolist(), [5]);
  throwsWith(() => flatten(s, 1), "flatten: dimension 1 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])", RangeError);
  throwsWith(() => flatten(s, 0, 1), "flatten: dimension 1 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])", RangeError);
  throwsWith(() => flatten(s, -2), "flatten: dimension -2 is out of range for a tensor of 0 dimensions (expected a dim in [-1, 0])", RangeError);
});

test("narrow, select, slice, split, unbind and chunk refuse bad ranges", () => {
  const x = dt.arange(6).reshape([2, 3]).float();
  throwsWith(() => narrow(x, 1, 2, 2), "narrow: start 2 with length 2 is out of range for dim 1 of size 3 (shape [2,3])", RangeError);
  throwsWith(() => select(x, 1, 3), "select: index 3 is out of range for dim 1 of size 3 (shape [2,3])", RangeError);
  throwsWith(() => slice(x, 1, 0, 3, 0), "slice: step must be a positive integer, got 0");
  throwsWith(() => split(x, 0), "split: size must be a positive integer (0 only for an empty dim), got 0 for dim 0 of size 2");
  throwsWith(() => split(x, [1, 1], 1), "split: sizes [1,1] add up to 2, but dim 1 has size 3");
  throwsWith(() => unbind(dt.tensor(1)), "unbind: a 0-d tensor has no dimension to unbind (reshape it to [1] first)");
  throwsWith(() => chunk(x, 0), "chunk: chunks must be a positive integer, got 0");
  throwsWith(() => chunk(x, 1.5), "chunk: chunks must be a positive integer, got 1.5");
  throwsWith(() => split(x, 1.5), "split: size must be a positive integer (0 only for an empty dim), got 1.5 for dim 0 of size 2");
  // torch.split(arange(5), 2) = [0, 1], [2, 3], [4]; arange(4) gives two parts; chunk(arange(5), 3) = [0, 1], [2, 3], [4].
  const parts = (ts: dt.Tensor[]): unknown[] => ts.map((p) => p.tolist());
  assert.deepEqual(parts(split(dt.arange(5), 2)), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(parts(split(dt.arange(4), 2)), [[0, 1], [2, 3]]);
  assert.deepEqual(parts(chunk(dt.arange(5), 3)), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(parts(split(dt.arange(5), [1, 4])), [[0], [1, 2, 3, 4]]);
  throwsWith(() => split(x, 1, 5), "split: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => chunk(x, 2, 5), "chunk: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => unbind(x, 5), "unbind: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => select(x, 0, 0.5), "select: index 0.5 is out of range for dim 0 of size 2 (shape [2,3])", RangeError);
  throwsWith(() => select(x, 0, -3), "select: index -3 is out of range for dim 0 of size 2 (shape [2,3])", RangeError);
  throwsWith(() => slice(x, 1, 0, 3, 0.5), "slice: step must be a positive integer, got 0.5");
  throwsWith(() => slice(x, 1, 0, 3, -1), "slice: step must be a positive integer, got -1");
  throwsWith(() => narrow(x, 5, 0, 1), "narrow: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => select(x, 5, 0), "select: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => slice(x, 5), "slice: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])", RangeError);
  throwsWith(() => narrow(x, 1, 0.5, 1), "narrow: start 0.5 with length 1 is out of range for dim 1 of size 3 (shape [2,3])", RangeError);
  throwsWith(() => narrow(x, 1, -4, 1), "narrow: start -4 with length 1 is out of range for dim 1 of size 3 (shape [2,3])", RangeError);
  throwsWith(() => narrow(x, 1, 0, -1), "narrow: start 0 with length -1 is out of range for dim 1 of size 3 (shape [2,3])", RangeError);
  assert.deepEqual(select(x, 0, -2).tolist(), [0, 1, 2]);
  assert.deepEqual(slice(x, 1, 0, 3, 2).tolist(), [[0, 2], [3, 5]]);
  assert.deepEqual(narrow(x, 1, 1, 2).tolist(), [[1, 2], [4, 5]]);
  assert.deepEqual(narrow(x, 1, -2, 2).tolist(), [[1, 2], [4, 5]]);
  assert.deepEqual(select(x, 1, -1).tolist(), [2, 5]);
});

test("view and reshape of a transposed tensor: unit dims anywhere are views (torch: x.t().view(1, 3, 2), (3, 2, 1), (1, 3, 1, 2, 1))", () => {
  const x = dt.arange(6).reshape([2, 3]).float().clone();
  const xt = x.t();
  const cases: [number[], unknown][] = [
    [[1, 3, 2], [[[0, 3], [1, 4], [2, 5]]]],
    [[3, 2, 1], [[[0], [3]], [[1], [4]], [[2], [5]]]],
    [[3, 1, 2], [[[0, 3]], [[1, 4]], [[2, 5]]]],
    [[1, 3, 1, 2, 1], [[[[[0], [3]]], [[[1], [4]]], [[[2], [5]]]]]],
  ];
  for (const [shape, values] of cases) {
    const v = view(xt, shape);
    assert.deepEqual(v.tolist(), values, `view ${shape}`);
    assert.equal(v.base, x, `view ${shape} shares x`);
    const r = reshape(xt, shape);
    assert.deepEqual(r.tolist(), values, `reshape ${shape}`);
    assert.equal(r.base, x, `reshape ${shape} is a view`);
  }
  // A split dim of a transposed tensor (3 -> [3, 1] and [1, 3]) and merged unit dims.
  const u = dt.zeros([3, 1, 2]).permute([2, 1, 0]); // [2, 1, 3], non-contiguous
  assert.equal(reshape(u, [2, 3]).base !== null, true);
  assert.deepEqual([...view(u, [2, 3, 1]).shape], [2, 3, 1]);
  // Not expressible as a view: reshape copies, view refuses.
  const c = reshape(xt, [6]);
  assert.deepEqual(c.tolist(), [0, 3, 1, 4, 2, 5]);
  assert.notEqual(c.base, x);
  throwsWith(() => view(xt, [2, 3]), "view: shape [2,3] is not compatible with the input's size [3,2] and stride [1,3]; use reshape() (which copies when needed)");
  throwsWith(() => view(dt.zeros([2, 3, 4]).permute([0, 2, 1]), [2, 12]), "view: shape [2,12] is not compatible with the input's size [2,4,3] and stride [12,1,4]; use reshape() (which copies when needed)");
  assert.deepEqual([...view(dt.zeros([2, 3, 4]).permute([1, 0, 2]), [3, 2, 2, 2]).shape], [3, 2, 2, 2]);
});

test("a view of a view has the root as its base (torch's _base); the view ops name their graph nodes", () => {
  const x = dt.arange(6).reshape([2, 3]).float().clone();
  const a = narrow(x, 0, 1, 1);
  const b = narrow(a, 1, 1, 2);
  assert.equal(a.base, x);
  assert.equal(b.base, x);
  assert.equal(select(b, 0, 0).base, x);
  assert.equal(x.base, null);
  const w = f64([[1, 2, 3], [4, 5, 6]]);
  assert.equal(reshape(w, [3, 2]).gradFn!.name, "reshape");
  assert.equal(view(w, [6]).gradFn!.name, "view");
  assert.equal(permute(w, [1, 0]).gradFn!.name, "permute");
  assert.equal(expand(reshape(w, [1, 6]), [2, 6]).gradFn!.name, "expand");
  // The copying reshape: a "reshape" view of the copy.
  const r = reshape(w.t(), [6]);
  assert.equal(r.gradFn!.name, "reshape");
  assert.equal((r.gradFn!.edges[0] as { name: string }).name, "copy");
  r.mul(f64([1, 2, 3, 4, 5, 6], false)).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [[1, 3, 5], [2, 4, 6]]);
});

test("in-place writes through views: expanded views and views of non-plain bases are refused while recording", () => {
  const a = f64([1, 2, 3]);
  // An expanded view (elements sharing memory) cannot be written (torch: "unsupported operation: more than one element ...").
  const e = a.mul(1).reshape([1, 3]).expand([2, 3]);
  throwsWith(() => e.add_(1), "add_: in-place modification of an expanded view (several elements share one memory location) is not supported while gradients are recorded; clone() it first");
  // A new unit dim has stride 0 but shares nothing: writing it is fine (torch: y.expand(1, 3).add_(1), grad [1, 1, 1]).
  const y = a.mul(2);
  const u = y.expand([1, 3]);
  u.mul_(f64([[1, 2, 3]], false));
  assert.deepEqual(y.tolist(), [2, 8, 18]);
  y.sum().backward();
  assert.deepEqual(a.grad!.tolist(), [2, 4, 6]);
  // A base that is not a plain contiguous tensor: transposed, offset, or a prefix of a larger storage.
  const msg = "copy_: in-place modification of this view is not supported while gradients are recorded (its base is not a plain contiguous tensor); use the out-of-place op";
  const big = dt.zeros([3, 2], { dtype: "float64" });
  const roots = [detach(big.t()), detach(narrow(dt.zeros([4, 3], { dtype: "float64" }), 0, 1, 2)), detach(narrow(dt.zeros([3, 3], { dtype: "float64" }), 0, 0, 2))];
  for (const root of roots) {
    const src = f64([1, 2, 3]);
    throwsWith(() => select(root, 0, 1).copy_(src), msg);
    // Without recording, the write is plain.
    dt.noGrad(() => select(root, 0, 1).copy_(src));
    assert.deepEqual(root.tolist(), [[0, 0, 0], [1, 2, 3]]);
  }
  // A plain base takes it, and the gradient reaches the source.
  const buf = dt.zeros([2, 3], { dtype: "float64" });
  const src = f64([1, 2, 3]);
  select(buf, 0, 1).copy_(src.mul(2));
  buf.mul(f64([[1, 1, 1], [1, 2, 3]], false)).sum().backward();
  assert.deepEqual(src.grad!.tolist(), [2, 4, 6]);
});

test("a view read after its base changed in place follows the base; one made under noGrad is refused then, as PyTorch", () => {
  // A non-plain base changed in place cannot rebuild its views' graphs: refused when the view is read.
  const big = dt.zeros([3, 2], { dtype: "float64" });
  const buf = detach(big.t()); // [2, 3], transposed
  const row = select(buf, 0, 0);
  buf.add_(f64([[1, 2, 3], [4, 5, 6]]));
  throwsWith(() => row.mul(2), "mul: a view of shape [3] was read after its base [2,3] was modified in place, and the base's layout does not allow rebuilding its gradient; take the view again after the in-place op");
  // The same with a plain base: the view differentiates the base's new values (torch: grad [[3, 3, 3], [0, 0, 0]]).
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  const y = x.mul(1);
  const r0 = select(y, 0, 0);
  y.mul_(3);
  r0.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[3, 3, 3], [0, 0, 0]]);
  // A view made under noGrad, its base then changed in place: PyTorch 1.13 refuses to use it while
  // gradients are recorded ("A view was created in no_grad mode and its base ... has been modified
  // inplace with grad mode enabled"), and so does deeptype since session 12 (test/autograd-s12.test.ts);
  // its values stay readable, and under noGrad it computes.
  const w = f64([1, 2, 3]);
  const z = w.mul(1);
  const v = dt.noGrad(() => narrow(z, 0, 0, 2));
  assert.equal(v.requiresGrad, false);
  z.mul_(2);
  assert.throws(() => v.mul(2), /^Error: mul: a view of shape \[2\] was taken under noGrad and its base \[3\]/);
  assert.deepEqual(dt.noGrad(() => v.mul(2)).tolist(), [4, 8]);
});

test("shape.ts's basic get: ellipsis, new axes, negative and slice entries (x[..., None, 1:, -1])", () => {
  const x = dt.arange(24).reshape([2, 3, 4]);
  assert.deepEqual(get(x, "...", 1).tolist(), [[1, 5, 9], [13, 17, 21]]);
  assert.deepEqual(get(x, 1, "...").tolist(), [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]);
  assert.deepEqual(get(x, 0, "...", 2).tolist(), [2, 6, 10]);
  assert.deepEqual([...get(x, "...").shape], [2, 3, 4]);
  assert.deepEqual([...get(x, null, "...", null).shape], [1, 2, 3, 4, 1]);
  assert.deepEqual([...get(x, 0, null, "1:", -1).shape], [1, 2]);
  assert.deepEqual(get(x, 0, null, "1:", -1).tolist(), [[7, 11]]);
  assert.deepEqual(get(x, -1, -3, "::3").tolist(), [12, 15]);
  assert.deepEqual(get(x, 1, " 1 : 3 ", " -2 : ").tolist(), [[18, 19], [22, 23]]);
  throwsWith(() => get(x, "...", 0, "..."), 'get: an index can only have a single ellipsis ("...")');
  throwsWith(() => get(x, 0, 0, 0, 0), "get: too many indices (4) for a tensor of shape [2,3,4]");
  throwsWith(() => get(x, 0, "...", 0, 0, 0), "get: too many indices (4) for a tensor of shape [2,3,4]");
  throwsWith(() => get(x, 0, 3), "get: index 3 is out of range for dim 1 of size 3 (shape [2,3,4])", RangeError);
  throwsWith(() => get(x, -3), "get: index -3 is out of range for dim 0 of size 2 (shape [2,3,4])", RangeError);
  throwsWith(() => get(x, 0, "a:b"), 'get: cannot parse index "a:b" for dim 1; use a number, "start:stop", "start:stop:step", ":", "..." or null (a new axis)');
  throwsWith(() => get(x, "0:2:0"), "get: step must be a positive integer, got 0");
  throwsWith(() => get(x, 0.5), "get: index 0.5 is out of range for dim 0 of size 2 (shape [2,3,4])", RangeError);
  throwsWith(() => get(x, 2), "get: index 2 is out of range for dim 0 of size 2 (shape [2,3,4])", RangeError);
  // A new axis after a slice, and the slice syntax: multi-digit bounds and steps, an empty step, junk refused.
  assert.deepEqual([...get(x, ":", null).shape], [2, 1, 3, 4]);
  assert.deepEqual([...get(x, "0:1", null, 0).shape], [1, 1, 4]);
  const r = dt.arange(12);
  assert.deepEqual(get(r, "10:12").tolist(), [10, 11]);
  assert.deepEqual(get(r, "0:10:3").tolist(), [0, 3, 6, 9]);
  assert.deepEqual(get(r, "-11:2").tolist(), [1]);
  assert.deepEqual(get(r, "0:12:10").tolist(), [0, 10]);
  assert.deepEqual(get(r, "9:11:").tolist(), [9, 10]);
  assert.deepEqual(get(r, ":").tolist(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  for (const bad of ["a1:2", "1:2x", "0:4:2x", "1:2:3:4", "1:-2:-1"]) {
    throwsWith(() => get(r, bad), `get: cannot parse index "${bad}" for dim 0; use a number, "start:stop", "start:stop:step", ":", "..." or null (a new axis)`);
  }
});

test("the dim checks name their op; t of 0-d and 1-D tensors; flatten of one dim (torch)", () => {
  const x = dt.zeros([2, 3]);
  const r2 = (op: string): string => `${op}: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-2, 1])`;
  throwsWith(() => flatten(x, 5), r2("flatten"), RangeError);
  throwsWith(() => flatten(x, 0, 5), r2("flatten"), RangeError);
  throwsWith(() => unflatten(x, 5, [1]), r2("unflatten"), RangeError);
  throwsWith(() => permute(x, [0, 5]), r2("permute"), RangeError);
  throwsWith(() => transpose(x, 5, 0), r2("transpose"), RangeError);
  throwsWith(() => transpose(x, 0, 5), r2("transpose"), RangeError);
  throwsWith(() => squeeze(x, 5), r2("squeeze"), RangeError);
  throwsWith(() => unsqueeze(x, 5), "unsqueeze: dimension 5 is out of range for a tensor of 2 dimensions (expected a dim in [-3, 2])", RangeError);
  // zeros(2, 3, 4).flatten(1, 1) keeps the shape.
  assert.deepEqual([...flatten(dt.zeros([2, 3, 4]), 1, 1).shape], [2, 3, 4]);
  // tensor([1, 2]).t() and tensor(3.).t() are the tensors themselves.
  const v = dt.tensor([1, 2]);
  assert.equal(t(v), v);
  const s = dt.tensor(3);
  assert.equal(t(s), s);
});

test("expand: explicit sizes, -1, new leading dims, and refused sizes (torch.expand)", () => {
  // tensor([[1, 2, 3]]).expand(2, -1) = [[1, 2, 3], [1, 2, 3]]; tensor([1, 2]).expand(2, 2, -1) has shape [2, 2, 2].
  assert.deepEqual(expand(dt.tensor([[1, 2, 3]]), [2, -1]).tolist(), [[1, 2, 3], [1, 2, 3]]);
  assert.deepEqual(expand(dt.tensor([[1, 2, 3]]), [2, 3]).tolist(), [[1, 2, 3], [1, 2, 3]]);
  assert.deepEqual(expand(dt.tensor([1, 2]), [2, 2, -1]).tolist(), [[[1, 2], [1, 2]], [[1, 2], [1, 2]]]);
  assert.deepEqual([...expand(dt.zeros([3, 1]), [3, 0]).shape], [3, 0]);
  // torch refuses both (a non-integer size; a negative one overflows its size computation).
  throwsWith(() => expand(dt.zeros([1, 3]), [2.5, 3]), "expand: cannot expand [1,3] to [2.5,3]: dim 0 has size 1, target 2.5 (only size-1 dims can grow; -1 keeps a size)");
  throwsWith(() => expand(dt.zeros([1, 3]), [-2, 3]), "expand: cannot expand [1,3] to [-2,3]: dim 0 has size 1, target -2 (only size-1 dims can grow; -1 keeps a size)");
  throwsWith(() => expand(dt.zeros([1, 3]), [1, 4]), "expand: cannot expand [1,3] to [1,4]: dim 1 has size 3, target 4 (only size-1 dims can grow; -1 keeps a size)");
});

test("second derivative through a slice: slice's own backward and unslice's (torch: SliceBackwardBackward0)", () => {
  // x = [1, 2, 3]; y = x[1:]; g = d sum(y^3)/dx = [0, 12, 27]; d sum(g * [1, 2, 3])/dx = [0, 24, 54].
  const x = f64([1, 2, 3]);
  const y = narrow(x, 0, 1, 2);
  const [g] = dt.grad(y.pow(3).sum(), [x], { createGraph: true });
  assert.deepEqual(g!.tolist(), [0, 12, 27]);
  const [gg] = dt.grad(g!.mul(f64([1, 2, 3], false)).sum(), [x]);
  assert.deepEqual(gg!.tolist(), [0, 24, 54]);
});

test("second derivative through a view read after its base changed in place (the window's and unwindow's backward)", () => {
  // torch: x = [1, 2, 3]; y = x * 1; v = y[0:2]; y.mul_(2); g = d sum(v * v)/dx = [8, 16, 0];
  // d sum(g * [1, 2, 3])/dx = [8, 16, 0].
  const x = f64([1, 2, 3]);
  const y = x.mul(1);
  const v = narrow(y, 0, 0, 2);
  y.mul_(2);
  const [g] = dt.grad(v.mul(v).sum(), [x], { createGraph: true });
  assert.deepEqual(g!.tolist(), [8, 16, 0]);
  const [gg] = dt.grad(g!.mul(f64([1, 2, 3], false)).sum(), [x]);
  assert.deepEqual(gg!.tolist(), [8, 16, 0]);
});
