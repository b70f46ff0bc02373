// src/tensor/tensor.ts checked directly: the Tensor class's own rules (requiresGrad, retainGrad,
// hooks, inference tensors, fromArray/empty, the readers item/data/dataBigInt/bits/tolist and the
// printout's suffixes), with the exact messages. Their behaviour is PyTorch's (noted per case);
// the tests that reach these through ops (autograd-hooks, inference-mode, ...) are outside the
// mutation mapping of src/tensor (scripts/mutate.mjs), so the mutation run found them unchecked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, inferenceMode, tensor, zeros, ones } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("requiresGrad: floating only, not on an inference tensor outside inferenceMode, not off on a non-leaf", () => {
  const i = tensor([1, 2], { dtype: "int32" });
  throwsWith(() => { i.requiresGrad = true; }, "requiresGrad: only floating point tensors can require gradients, this one is int32 (cast it first, e.g. x.float())");
  i.requiresGrad = false; // turning it off is always allowed on a leaf
  assert.equal(i.requiresGrad, false);
  const x = tensor([1, 2]);
  assert.equal(x.requiresGrad, false);
  assert.equal(x.requiresGrad_(), x);
  assert.equal(x.requiresGrad, true);
  x.requiresGrad_(false);
  assert.equal(x.requiresGrad, false);
  x.requiresGrad = true;
  const y = x.mul(2);
  assert.equal(y.isLeaf, false);
  assert.equal(x.isLeaf, true);
  throwsWith(() => { y.requiresGrad = false; }, "requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach() to get a tensor outside the graph");
  y.requiresGrad = true; // on stays on
  const inf = inferenceMode(() => tensor([1, 2]));
  assert.equal(inf.isInference(), true);
  assert.equal(x.isInference(), false);
  throwsWith(() => { inf.requiresGrad = true; }, "requiresGrad: setting requiresGrad on an inference tensor (made inside inferenceMode) outside inferenceMode is not allowed; use x.clone() outside inferenceMode to get a normal tensor");
  inf.requiresGrad = false;
  // Inside inferenceMode it is allowed (PyTorch too).
  inferenceMode(() => { inf.requiresGrad = true; });
  assert.equal(inf.requiresGrad, true);
});

test("inference tensors: memory made inside inferenceMode, and views of it; views of normal tensors stay normal", () => {
  const base = tensor([1, 2, 3]);
  const v = inferenceMode(() => base.narrow(0, 0, 2));
  assert.equal(v.isInference(), false);
  const inf = inferenceMode(() => zeros([3]));
  assert.equal(inf.isInference(), true);
  assert.equal(inf.narrow(0, 1, 2).isInference(), true);
  assert.equal(inferenceMode(() => Tensor.fromArray(new Float32Array(2), [2], "float32")).isInference(), true);
  assert.equal(Tensor.fromArray(new Float32Array(2), [2], "float32").isInference(), false);
  // A storage made elsewhere without the flag takes it from its first tensor.
  const storage = { data: new Float32Array(2), version: 0 };
  const t = inferenceMode(() => new Tensor(storage, [2], [1], 0, "float32"));
  assert.equal(t.isInference(), true);
  assert.equal((storage as { inference?: boolean }).inference, true);
  const storage2 = { data: new Float32Array(2), version: 0 };
  const view = inferenceMode(() => new Tensor(storage2, [2], [1], 0, "float32", base));
  assert.equal(view.isInference(), false, "a view (base given) of a storage never decides it is inference memory");
  throwsWith(() => new Tensor(null as never, [2], [1], 0, "float32"), "new Tensor: expects a storage object { data, version } as its first argument, got null; make tensors with tensor(), zeros() or Tensor.fromArray()");
  throwsWith(() => new Tensor(3 as never, [2], [1], 0, "float32"), "new Tensor: expects a storage object { data, version } as its first argument, got number; make tensors with tensor(), zeros() or Tensor.fromArray()");
});

test("retainGrad: keeps a non-leaf's gradient, follows in-place ops, and refuses a tensor without grad", () => {
  throwsWith(() => tensor([1]).retainGrad(), "retainGrad: this tensor does not require grad, so it has no gradient to keep; make an input requiresGrad first");
  const x = tensor([1, 2, 3]).requiresGrad_();
  x.retainGrad(); // a leaf: nothing to do, it keeps its gradient anyway
  assert.equal(x.retainsGrad, false);
  const h = x.mul(2);
  assert.equal(h.retainsGrad, false);
  h.retainGrad();
  assert.equal(h.retainsGrad, true);
  h.mul(tensor([1, 10, 100])).sum().backward();
  assert.deepEqual(h.grad!.tolist(), [1, 10, 100]);
  // Without retainGrad a non-leaf's .grad stays null.
  const g = x.mul(3);
  g.sum().backward();
  assert.equal(g.grad, null);
  // After an in-place op the retained gradient is the latest version's (PyTorch's retains_grad).
  const a = tensor([1, 2]).requiresGrad_();
  const b = a.mul(1);
  b.retainGrad();
  b.mul_(3);
  b.mul(tensor([1, 2])).sum().backward();
  assert.deepEqual(b.grad!.tolist(), [1, 2]);
  assert.deepEqual(a.grad!.tolist(), [3, 6]);
});

test("registerHook: a function, on a tensor that requires grad; leaves and non-leaves; remove()", () => {
  throwsWith(() => tensor([1]).requiresGrad_().registerHook(3 as never), "registerHook: the hook must be a function (grad) => Tensor | undefined, got number 3");
  throwsWith(() => tensor([1]).registerHook((g) => g), "registerHook: cannot register a hook on a tensor that does not require grad; set requiresGrad on it (or on an input it comes from) first");
  const x = tensor([1, 2]).requiresGrad_();
  assert.equal(x.leafHooks, null);
  const seen: number[][] = [];
  const hx = x.registerHook((g) => { seen.push(g.tolist() as number[]); return g.mul(10); });
  x.registerHook((g) => { seen.push(g.tolist() as number[]); });
  assert.equal(x.leafHooks!.size, 2);
  const h = x.mul(2);
  h.registerHook((g) => g.add(1)); // on the node: changes what flows back
  h.sum().backward();
  // h's gradient 1 -> 2 by its hook; x gets 2*2 = 4, then x's first hook x10, the second sees 40.
  assert.deepEqual(seen, [[4, 4], [40, 40]]);
  assert.deepEqual(x.grad!.tolist(), [40, 40]);
  hx.remove();
  x.grad = null;
  seen.length = 0;
  x.mul(2).sum().backward();
  assert.deepEqual(seen, [[2, 2]]);
  assert.deepEqual(x.grad!.tolist(), [2, 2]);
});

test("replaceData_: a leaf that is not a view takes another tensor's storage, shape and dtype", () => {
  const p = tensor([1, 2]);
  const src = tensor([[1, 2, 3]], { dtype: "float64" });
  assert.equal(p.replaceData_(src), p);
  assert.equal(p.storage, src.storage);
  assert.deepEqual(p.shape, [1, 3]);
  assert.deepEqual(p.strides, [3, 1]);
  assert.equal(p.dtype, "float64");
  const view = tensor([1, 2, 3]).narrow(0, 1, 2);
  assert.equal(view.offset, 1);
  const q = zeros([1]);
  q.replaceData_(view);
  assert.equal(q.offset, 1);
  assert.deepEqual(q.tolist(), [2, 3]);
  throwsWith(() => q.replaceData_([1] as never), "replaceData_: src must be a Tensor, got an array of length 1 (wrap plain numbers with tensor(...))");
  throwsWith(() => view.replaceData_(src), "replaceData_: only a leaf that is not a view can take new data");
  const nonLeaf = tensor([1]).requiresGrad_().mul(2);
  throwsWith(() => nonLeaf.replaceData_(src), "replaceData_: only a leaf that is not a view can take new data");
});

test("Tensor.empty and Tensor.fromArray: zeroed, contiguous, serials, and the array checks", () => {
  const e = Tensor.empty([2, 3]);
  assert.equal(e.dtype, "float32");
  assert.deepEqual(e.shape, [2, 3]);
  assert.deepEqual(e.strides, [3, 1]);
  assert.equal(e.offset, 0);
  assert.equal(e.base, null);
  assert.equal(e.version, 0);
  assert.deepEqual(e.tolist(), [[0, 0, 0], [0, 0, 0]]);
  const e2 = Tensor.empty([1], "int64");
  assert.ok(e2.storage.serial! > e.storage.serial!, "every empty() gets a larger serial");
  assert.ok(e.storage.serial! > 0);
  const shape = [2];
  const f = Tensor.fromArray(new Float32Array([1, 2, 3]), shape, "float32");
  assert.equal(f.storage.serial, 0, "a caller's array is not library memory");
  assert.notEqual(f.shape, shape, "the shape is copied");
  assert.deepEqual(f.tolist(), [1, 2], "a longer array is fine: the first elements are used");
  throwsWith(() => Tensor.empty([1.5]), /^Tensor\.fromArray: shape \[1\.5\] needs 1\.5 elements but the array holds 1/);
  throwsWith(() => Tensor.fromArray([1, 2] as never, [2], "float32"), "Tensor.fromArray: data must be a typed array (Float32Array, Float64Array, BigInt64Array, Int32Array, Int16Array, Int8Array, Uint8Array; Uint16Array of bit patterns for float16/bfloat16), got an array of length 2");
  throwsWith(() => Tensor.fromArray(new Float32Array(2), [2], "float16"), 'Tensor.fromArray: a float16 tensor is stored as 16-bit patterns and needs a Uint16Array, got a Float32Array of length 2; for values use tensor(values, { dtype: "float16" })');
  throwsWith(() => Tensor.fromArray(new Float64Array(2), [2], "float32"), 'Tensor.fromArray: dtype float32 is stored in a Float32Array, got a Float64Array; convert with tensor(data, { dtype: "float32" })');
  throwsWith(() => Tensor.fromArray(new Float32Array(2), [2], "int64"), 'Tensor.fromArray: dtype int64 is stored in a BigInt64Array, got a Float32Array; convert with tensor(data, { dtype: "int64" })');
  throwsWith(() => Tensor.fromArray(new Float32Array(5), [2, 3], "float32"), "Tensor.fromArray: shape [2,3] needs 6 elements but the array holds 5; pass a matching shape or a longer array");
  assert.deepEqual(Tensor.fromArray(new Float32Array(6), [2, 3], "float32").shape, [2, 3]);
  assert.equal(Tensor.fromArray(new Uint16Array([0x3c00]), [1], "float16").item(), 1);
  assert.equal(Tensor.fromArray(new Uint16Array([0x3f80]), [1], "bfloat16").item(), 1);
});

test("ndim, dim, numel, elementSize, size, version, isContiguous and view_", () => {
  const x = zeros([2, 3, 4]);
  assert.equal(x.ndim, 3);
  assert.equal(x.dim(), 3);
  assert.equal(x.numel(), 24);
  const sizes: Record<string, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };
  for (const [d, n] of Object.entries(sizes)) assert.equal(zeros([1], { dtype: d as never }).elementSize(), n, d);
  const s = x.size();
  assert.deepEqual(s, [2, 3, 4]);
  s[0] = 9;
  assert.deepEqual(x.shape, [2, 3, 4], "size() is a copy");
  assert.equal(x.size(0), 2);
  assert.equal(x.size(-1), 4);
  throwsWith(() => x.size(3), /^size: dimension 3 is out of range for a tensor of 3 dimensions/, RangeError);
  const v = tensor([1, 2]);
  assert.equal(v.version, 0);
  v.add_(1);
  assert.equal(v.version, 1);
  assert.equal(x.isContiguous(), true);
  assert.equal(zeros([2, 3]).t().isContiguous(), false);
  const n = tensor([1, 2, 3]).narrow(0, 1, 2);
  assert.deepEqual(n.view_(), { data: n.storage.data, dtype: "float32", shape: [2], strides: [1], offset: 1 });
});

test("item and itemBigInt: one element, half values, int64 beyond 2^53", () => {
  assert.equal(tensor([1, 2, 3]).narrow(0, 2, 1).item(), 3, "reads at the offset");
  assert.equal(tensor([1.5], { dtype: "float16" }).item(), 1.5);
  assert.equal(tensor([-2.5], { dtype: "bfloat16" }).item(), -2.5);
  assert.equal(tensor([true]).item(), 1);
  const big = tensor([2n ** 60n]);
  throwsWith(() => big.item(), "item: the int64 value 1152921504606846976 is beyond ±(2^53 - 1), which a number cannot hold exactly; use itemBigInt() for the exact value", RangeError);
  assert.equal(big.itemBigInt(), 2n ** 60n);
  // ±(2^53 - 1) is exact, one more is not.
  assert.equal(tensor([2n ** 53n - 1n]).item(), 2 ** 53 - 1);
  assert.equal(tensor([-(2n ** 53n - 1n)]).item(), -(2 ** 53 - 1));
  throwsWith(() => tensor([2n ** 53n]).item(), /^item: the int64 value 9007199254740992 is beyond/, RangeError);
  throwsWith(() => tensor([-(2n ** 53n)]).item(), /^item: the int64 value -9007199254740992 is beyond/, RangeError);
  throwsWith(() => zeros([0]).item(), "item: only one-element tensors can be converted to a number, this one has shape [0]");
  assert.equal(tensor([7], { dtype: "int32" }).itemBigInt(), 7n);
  assert.equal(tensor([3]).itemBigInt(), 3n);
  assert.equal(tensor([2, 5], { dtype: "int64" }).narrow(0, 1, 1).itemBigInt(), 5n);
  throwsWith(() => tensor([1.5]).itemBigInt(), "itemBigInt: the float32 value 1.5 is not an integer; use item() for floating values", RangeError);
  throwsWith(() => tensor([1, 2]).itemBigInt(), "itemBigInt: only one-element tensors can be converted to a bigint, this one has shape [2]");
});

test("data, numbers, dataBigInt and bits: copies in each dtype's array, exact or refused", () => {
  const i64 = tensor([1n, -2n, 2n ** 60n]);
  throwsWith(() => i64.data(), "data: the int64 value 1152921504606846976 (element 2) is beyond ±(2^53 - 1), which a number cannot hold exactly; use dataBigInt() for exact values", RangeError);
  throwsWith(() => tensor([-(2n ** 53n), 0n]).data(), /^data: the int64 value -9007199254740992 \(element 0\)/, RangeError);
  const d = tensor([1n, -2n]).data();
  assert.ok(d instanceof Float64Array);
  assert.deepEqual([...d], [1, -2]);
  const nums = i64.numbers();
  assert.ok(nums instanceof Float64Array);
  assert.deepEqual([...nums], [1, -2, 2 ** 60]);
  const f = tensor([1.5, 2]).numbers();
  assert.ok(f instanceof Float32Array);
  assert.deepEqual([...f], [1.5, 2]);
  assert.deepEqual([...i64.dataBigInt()], [1n, -2n, 2n ** 60n]);
  assert.deepEqual([...tensor([3, -4], { dtype: "int32" }).dataBigInt()], [3n, -4n]);
  assert.deepEqual([...tensor([true, false]).dataBigInt()], [1n, 0n]);
  throwsWith(() => tensor([1.5]).dataBigInt(), "dataBigInt: float32 values are not integers; cast first (x.long().dataBigInt()) or use data()");
  throwsWith(() => tensor([1], { dtype: "float16" }).dataBigInt(), "dataBigInt: float16 values are not integers; cast first (x.long().dataBigInt()) or use data()");
  const h = tensor([1, -2], { dtype: "float16" });
  assert.deepEqual([...h.bits()], [0x3c00, 0xc000]);
  const hd = h.data();
  assert.ok(hd instanceof Float32Array);
  assert.deepEqual([...hd], [1, -2]);
  throwsWith(() => tensor([1]).bits(), "bits: only float16 and bfloat16 tensors are stored as 16-bit patterns, this one is float32; use data()");
  // A copy: writing it leaves the tensor alone.
  const x = tensor([1, 2]);
  x.data()[0] = 9;
  assert.deepEqual(x.tolist(), [1, 2]);
});

test("non-contiguous reads walk the strides from the offset, in row-major order", () => {
  const base = tensor([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
  const v = base.narrow(0, 1, 2).narrow(1, 1, 2).t(); // rows 1-2, columns 1-2, transposed
  assert.equal(v.isContiguous(), false);
  assert.deepEqual([...v.data()], [5, 9, 6, 10]);
  assert.deepEqual(v.tolist(), [[5, 9], [6, 10]]);
  const i = tensor([[1n, 2n, 3n], [4n, 5n, 6n]]).t();
  assert.deepEqual([...i.dataBigInt()], [1n, 4n, 2n, 5n, 3n, 6n]);
  const h = tensor([[1, 2], [3, 4]], { dtype: "bfloat16" }).t();
  assert.deepEqual([...h.data()], [1, 3, 2, 4]);
  const b = tensor([[true, false], [false, false]]).t();
  assert.deepEqual(b.tolist(), [[true, false], [false, false]]);
  assert.deepEqual(zeros([2, 0, 3]).permute([2, 0, 1]).tolist(), [[[], []], [[], []], [[], []]]);
});

test("tolist: nested by shape, booleans for bool, exact int64 as number or bigint, half values", () => {
  assert.deepEqual(zeros([2, 1, 2]).tolist(), [[[0, 0]], [[0, 0]]]);
  assert.deepEqual(tensor([[1n, 2n ** 60n]]).tolist(), [[1, 2n ** 60n]]);
  assert.equal(typeof (tensor([1n]).tolist() as unknown[])[0], "number");
  assert.equal(tensor(2n ** 60n).tolist(), 2n ** 60n);
  assert.equal(tensor(false).tolist(), false);
  assert.deepEqual(tensor([1.5, -0.25], { dtype: "float16" }).tolist(), [1.5, -0.25]);
  assert.equal(tensor(0.5, { dtype: "bfloat16" }).tolist(), 0.5);
  assert.deepEqual(tensor([0, 3], { dtype: "uint8" }).tolist(), [0, 3]);
  assert.deepEqual(zeros([0]).tolist(), []);
  assert.deepEqual(zeros([2, 0]).tolist(), [[], []]);
});

test("toString's suffixes: shape for large or empty tensors, non-default dtypes, gradFn or requiresGrad", () => {
  assert.equal(zeros([0]).toString(), "tensor([])");
  assert.equal(zeros([0, 3]).toString(), "tensor([], shape=[0,3])");
  assert.equal(tensor([], { dtype: "int64" }).toString(), "tensor([], dtype=int64)");
  assert.equal(zeros([0], { dtype: "bool" }).toString(), "tensor([], dtype=bool)");
  assert.equal(tensor([1, 2], { dtype: "int64" }).toString(), "tensor([1, 2])");
  assert.equal(tensor([true, false]).toString(), "tensor([ True, False])");
  assert.equal(tensor([1, 2], { dtype: "int32" }).toString(), "tensor([1, 2], dtype=int32)");
  assert.equal(tensor([1.5], { dtype: "float64" }).toString(), "tensor([1.5000], dtype=float64)");
  assert.equal(tensor([1.5, -2], { dtype: "float16" }).toString(), "tensor([ 1.5000, -2.0000], dtype=float16)");
  assert.equal(tensor([1, 2]).requiresGrad_().toString(), "tensor([1., 2.], requiresGrad=true)");
  const y = tensor([1, 2]).requiresGrad_().mul(2);
  assert.match(y.toString(), /^tensor\(\[2\., 4\.\], gradFn=<\w+Backward>\)$/);
  assert.equal(y.toString(), `tensor([2., 4.], gradFn=<${y.gradFn!.name}Backward>)`);
  assert.doesNotMatch(zeros([1000]).toString(), /shape=/);
  assert.match(zeros([1001]).toString(), /\.\.\., 0\., 0\., 0\.\], shape=\[1001\]\)$/);
  assert.match(zeros([1001], { dtype: "int32" }).toString(), /shape=\[1001\], dtype=int32\)$/);
  assert.equal(ones([2]).toString(), "tensor([1., 1.])");
});
