// Bad arguments throw at the call with a message that names the op, the shapes and the fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  tensor, zeros, ones, arange, randn, cat, stack, where, conv2d, convTranspose2d, maxPool2d, avgPool2d, oneHot, grad, setBackend,
} from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const int = (v: number[] | number[][]) => tensor(v, { dtype: "int32" });


const x = zeros([2, 3]);

test("out-of-range dims name the op, the dim and the valid range (RangeError)", () => {
  const range = "for a tensor of 2 dimensions (expected a dim in [-2, 1])";
  throwsWith(() => x.sum(2), `sum: dimension 2 is out of range ${range}`, RangeError);
  throwsWith(() => x.mean(-3), `mean: dimension -3 is out of range ${range}`, RangeError);
  throwsWith(() => x.softmax(5), `softmax: dimension 5 is out of range ${range}`, RangeError);
  throwsWith(() => x.transpose(0, 2), `transpose: dimension 2 is out of range ${range}`, RangeError);
  throwsWith(() => x.cumsum(2), `cumsum: dimension 2 is out of range ${range}`, RangeError);
  throwsWith(() => x.flip(2), `flip: dimension 2 is out of range ${range}`, RangeError);
  throwsWith(() => x.size(3), `size: dimension 3 is out of range ${range}`, RangeError);
  throwsWith(() => cat([x, x], 2), `cat: dimension 2 is out of range ${range}`, RangeError);
  throwsWith(() => x.unsqueeze(4), "unsqueeze: dimension 4 is out of range for a tensor of 2 dimensions (expected a dim in [-3, 2])", RangeError);
  throwsWith(() => x.max(2), `max: dimension 2 is out of range ${range}`, RangeError);
  throwsWith(() => x.argmax(-3), `argmax: dimension -3 is out of range ${range}`, RangeError);
  throwsWith(() => zeros([3]).sum(1), "sum: dimension 1 is out of range for a tensor of 1 dimension (expected a dim in [-1, 0])", RangeError);
  throwsWith(() => x.permute([0, 0]), "permute: dims [0,0] repeat a dimension");
  throwsWith(() => x.permute([0]), "permute: got 1 dims [0] for a tensor of 2 dims [2,3]");
  throwsWith(() => x.sum([1, 1]), "sum: dim [1,1] appears more than once");
});

test("out-of-range indices name the index, the dim and its size", () => {
  throwsWith(() => x.select(0, 2), "select: index 2 is out of range for dim 0 of size 2 (shape [2,3])", RangeError);
  throwsWith(() => x.get(5), "get: index 5 is out of range for dim 0 of size 2 (shape [2,3])", RangeError);
  throwsWith(() => x.get(0, -4), "get: index -4 is out of range for dim 1 of size 3 (shape [2,3])", RangeError);
  throwsWith(() => x.get(0, 0, 0), "get: too many indices (3) for a tensor of shape [2,3]");
  throwsWith(() => x.get("a"), 'get: cannot parse index "a" for dim 0; use a number, "start:stop", "start:stop:step", ":", "..." or null (a new axis)');
  throwsWith(() => x.narrow(1, 2, 2), "narrow: start 2 with length 2 is out of range for dim 1 of size 3 (shape [2,3])", RangeError);
  throwsWith(() => x.gather(1, int([[0, 3]])), "gather: index 3 is out of range for dim 1 of size 3", RangeError);
  throwsWith(() => x.gather(1, tensor([[0, 1]])), "gather: index must be an int64 (or int32) tensor, got float32 (use idx.long())");
  throwsWith(() => x.indexSelect(0, int([2])), "indexSelect: index 2 is out of range for dim 0 of size 2", RangeError);
  throwsWith(() => x.indexSelect(0, int([-1])), "indexSelect: index -1 is out of range for dim 0 of size 2", RangeError);
  throwsWith(() => x.scatter(0, int([[2]]), 1), "scatter: index 2 is out of range for dim 0 of size 2", RangeError);
  throwsWith(() => x.scatterAdd(1, int([[0], [1], [2]]), zeros([3, 1])), "scatterAdd: index [3,1] is larger than the input [2,3] in dim 0");
  throwsWith(() => x.scatterAdd(1, int([[0, 1]]), zeros([1, 1])), "scatterAdd: index [1,2] is larger than src [1,1] in dim 1");
  throwsWith(() => x.indexAdd(0, int([0]), zeros([2, 3])), "indexAdd: the index has 1 element but the source [2,3] has size 2 along dim 0; they must be equal");
  throwsWith(() => oneHot(int([3]), 3), "oneHot: index 3 is out of range for dim -1 of size 3", RangeError);
  throwsWith(() => x.item(), "item: only one-element tensors can be converted to a number, this one has shape [2,3]");
});

test("reshape / view to an incompatible size", () => {
  throwsWith(() => x.reshape([4, 2]), "reshape: shape [4,2] is invalid for input of shape [2,3]: 8 elements vs 6");
  throwsWith(() => x.reshape([4, -1]), "reshape: shape [4,-1] is invalid for input of shape [2,3] (6 elements)");
  throwsWith(() => x.reshape([-1, -1]), "reshape: only one dimension can be -1, got [-1,-1]");
  throwsWith(() => x.view([5]), "view: shape [5] is invalid for input of shape [2,3]: 5 elements vs 6");
  throwsWith(() => x.t().view([6]), "view: shape [6] is not compatible with the input's size [3,2] and stride [1,3]; use reshape() (which copies when needed)");
  throwsWith(() => x.unflatten(1, [2, 2]), "unflatten: sizes [2,2] do not multiply to dim 1's size 3 (input [2,3])");
  throwsWith(() => x.flatten(1, 0), "flatten: startDim (1) must not come after endDim (0)");
  throwsWith(() => x.expand([4, 3, 2]), "expand: cannot expand [2,3] to [4,3,2]: dim 1 has size 2, target 3 (only size-1 dims can grow; -1 keeps a size)");
  throwsWith(() => x.split([1, 1], 1), "split: sizes [1,1] add up to 2, but dim 1 has size 3");
  throwsWith(() => cat([x, zeros([2, 2])], 0), "cat: tensor 1 has shape [2,2], which does not match tensor 0's [2,3] outside dim 0");
  throwsWith(() => stack([x, zeros([3, 2])]), "stack: tensor 1 has shape [3,2] but tensor 0 has [2,3]; all must match");
  throwsWith(() => cat([]), "cat: expected a non-empty list of tensors");
  throwsWith(() => x.pad([1]), "pad: expected an even number of pads, at most 2 per dim (4 here), got [1]");
  throwsWith(() => x.pad([3, 3], "reflect"), "pad: reflect padding (3, 3) must be smaller than dim 1's size 3 (shape [2,3])");
  throwsWith(() => x.repeat([2]), "repeat: got 1 repeat counts for a tensor of 2 dims; give at least one per dim");
  throwsWith(() => zeros([2, -1]), "zeros: invalid shape [2,-1]: sizes must be non-negative integers");
});

test("broadcasting failures name both shapes and the dimension", () => {
  throwsWith(() => x.add(zeros([4])), "add: shapes [2,3] and [4] cannot be broadcast: dimension -1 is 3 vs 4 (sizes must match or one of them must be 1)");
  throwsWith(() => zeros([2, 3, 4]).mul(zeros([3, 1, 5])), "mul: shapes [2,3,4] and [3,1,5] cannot be broadcast: dimension -3 is 2 vs 3 (sizes must match or one of them must be 1)");
  throwsWith(() => zeros([5, 3]).lt(zeros([2, 3])), /^lt: shapes \[5,3\] and \[2,3\] cannot be broadcast: dimension -2 is 5 vs 2/);
  throwsWith(() => where(zeros([2], { dtype: "bool" }), x, zeros([3])), /^where: shapes \[2\] and \[2,3\] cannot be broadcast/);
  throwsWith(() => x.maskedFill(zeros([2, 3]), 1), "maskedFill: mask must be a bool tensor, got float32 (compare first, e.g. x.eq(0))");
  throwsWith(() => x.add_(zeros([4, 2, 3])), "add_: the result has shape [4,2,3] but the tensor modified in place has shape [2,3]; in-place ops cannot change shape");
});

test("matmul shape errors", () => {
  throwsWith(() => randn([64, 784]).matmul(randn([512, 10])), "matmul: cannot multiply [64,784] by [512,10]: inner dimensions 784 and 512 differ");
  throwsWith(() => randn([3]).matmul(randn([4])), "matmul: cannot multiply [3] by [4]: inner dimensions 3 and 4 differ");
  throwsWith(() => randn([2, 3, 4]).matmul(randn([5])), "matmul: cannot multiply [2,3,4] by [5]: inner dimensions 4 and 5 differ");
  throwsWith(() => randn([2, 3, 4]).matmul(randn([3, 4, 5])), "matmul: cannot multiply [2,3,4] by [3,4,5]: batch dimensions [2] and [3] cannot be broadcast (sizes must match or one of them must be 1)");
  throwsWith(() => tensor(1).matmul(randn([2])), "matmul: both arguments need at least 1 dimension, got [] and [2] (use mul for scalars)");
  throwsWith(() => randn([3]).mm(randn([3, 2])), "mm: expects two 2-D tensors, got [3] and [3,2]");
  throwsWith(() => randn([2, 3, 4]).bmm(randn([3, 4, 5])), "bmm: batch sizes differ: [2,3,4] and [3,4,5]");
  throwsWith(() => randn([3]).dot(randn([4])), "dot: expects two 1-D tensors of the same length, got [3] and [4]");
});

test("backward on a non-scalar without a gradient, or with a gradient of the wrong shape", () => {
  const w = tensor([1, 2, 3], { requiresGrad: true });
  throwsWith(() => x.add(w).backward(),
    "backward: a gradient can be created implicitly only for a one-element output, this one has shape [2,3]; " +
    "pass a gradient of that shape (e.g. y.backward(onesLike(y))) or reduce it first (y.sum().backward())");
  throwsWith(() => w.mul(2).backward(ones([2])), "backward: the gradient has shape [2] but the output has shape [3]; they must match");
  throwsWith(() => grad(w.mul(2), w), /^grad: a gradient can be created implicitly only for a one-element output, this one has shape \[3\]/);
  throwsWith(() => tensor([1]).backward(), /^backward: this tensor does not require grad and has no gradFn; did you forget requiresGrad/);
});

test("convolution and pooling argument errors", () => {
  throwsWith(() => conv2d(zeros([1, 3, 5, 5]), zeros([4, 2, 3, 3])),
    "conv2d: input [1,3,5,5] has 3 channels, but weight [4,2,3,3] expects 2 (inChannels/groups = 2, groups = 1)");
  throwsWith(() => conv2d(zeros([1, 4, 5, 5]), zeros([3, 2, 3, 3]), null, { groups: 2 }),
    "conv2d: groups (2) must divide both input channels (4) and output channels (3)");
  throwsWith(() => conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])),
    "conv2d: input [1,1,2,2] is too small for kernel 3x3 with padding [0,0], dilation [1,1]: output would be 0x0");
  throwsWith(() => conv2d(zeros([5, 5]), zeros([1, 1, 3, 3])), "conv2d: expected input [N,C,H,W] or [C,H,W], got [5,5]");
  throwsWith(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { padding: "same", stride: 2 }), 'conv2d: padding "same" needs stride 1, got [2,2]');
  throwsWith(() => conv2d(zeros([1, 1, 5, 5]), zeros([2, 1, 3, 3]), zeros([3])), "conv2d: bias must have shape [2], got [3]");
  throwsWith(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { stride: 0 }), "conv2d: stride must be integer(s) >= 1, got 0");
  throwsWith(() => convTranspose2d(zeros([1, 3, 5, 5]), zeros([4, 2, 3, 3])), "convTranspose2d: input [1,3,5,5] has 3 channels, but weight [4,2,3,3] expects 4");
  throwsWith(() => convTranspose2d(zeros([1, 1, 5, 5]), zeros([1, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }),
    "convTranspose2d: outputPadding [2,2] must be smaller than stride [2,2] or dilation [1,1]");
  throwsWith(() => maxPool2d(zeros([1, 1, 5, 5]), 2, { padding: 2 }), "maxPool2d: padding [2,2] must be at most half the kernel size [2,2]");
  throwsWith(() => avgPool2d(zeros([1, 1, 1, 1]), 2), "avgPool2d: input [1,1,1,1] is too small for kernel [2,2]: output would be 0x0");
  throwsWith(() => avgPool2d(zeros([1, 1, 6, 6]), 2, { dilation: 2 }), "avgPool2d: dilation is not supported (as in PyTorch), got 2");
});

test("requiresGrad on int and bool tensors", () => {
  const msg = (d: string) => `requiresGrad: only floating point tensors can require gradients, this one is ${d} (cast it first, e.g. x.float())`;
  throwsWith(() => tensor([1, 2], { dtype: "int32", requiresGrad: true }), `tensor: ${msg("int32")}`);
  throwsWith(() => { tensor([true]).requiresGrad = true; }, msg("bool"));
  throwsWith(() => arange(3).requiresGrad_(), msg("int64"));
});

test("ragged nested arrays and non-numeric elements", () => {
  throwsWith(() => tensor([[1, 2], [3]]), "tensor: ragged nested array: element [1] has length 1, expected 2 (shape [2,2])");
  throwsWith(() => tensor([[1, 2], 3] as never), "tensor: ragged nested array: element [1] has length (scalar), expected 2 (shape [2,2])");
  throwsWith(() => tensor([[1, 2], [3, [4]]] as never), "tensor: ragged nested array: element [1][1] has more dimensions than element [0...] (expected shape [2,2])");
  throwsWith(() => tensor([[[1], [2]], [[3], [4, 5]]]), "tensor: ragged nested array: element [1][1] has length 2, expected 1 (shape [2,2,1])");
  throwsWith(() => tensor(["a"] as never), "tensor: element [0] is string, expected a number, bigint or boolean");
});

test("other argument errors: in-place dtype, integer division by zero, clamp bounds, unknown backend", () => {
  throwsWith(() => arange(3).mul_(1.5), /^mul_: the result is float32 and cannot be stored in place into a int64 tensor/);
  throwsWith(() => arange(3).remainder(0), "remainder: integer division by zero", RangeError);
  throwsWith(() => tensor([true, false]).add_(1), "add_: the result is int64 and cannot be stored in place into a bool tensor; use the out-of-place add");
  throwsWith(() => arange(3).pow(-1), "pow: integer tensors to negative integer powers are not allowed (got int64 to the -1); cast first, e.g. x.float().pow(-1)");
  throwsWith(() => x.clamp(), "clamp: give at least one of min and max");
  throwsWith(() => zeros([0]).max(), "max: cannot reduce an empty tensor of shape [0]");
  throwsWith(() => zeros([0]).argmax(), "argmax: cannot reduce dim 0 of size 0 (shape [0])");
  throwsWith(() => x.norm(NaN), "norm: p must be a number (2, 1, Infinity, ...), got NaN");
  throwsWith(() => arange(0, 1, 0), "arange: step must be a non-zero finite number, got 0");
  throwsWith(() => x.chunk(0), "chunk: chunks must be a positive integer, got 0");
  throwsWith(() => x.slice(1, 0, 3, 0), "slice: step must be a positive integer, got 0");
  throwsWith(() => zeros([3]).tril(), "tril: expects at least 2 dims, got [3]");
  throwsWith(() => zeros([1, 2, 3]).t(), "t: expects a tensor with <= 2 dimensions, got [1,2,3]; use transpose(dim0, dim1) or mT");
  throwsWith(() => setBackend("nope"), /^setBackend: unknown backend "nope" \(available: js/);
});
