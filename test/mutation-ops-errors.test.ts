// Bad input to src/ops that no other test file sends (found by `npm run mutate -- src/ops`,
// docs/mutation/history.md "src/ops"): each case must throw an Error whose message names the op, what it got
// and the fix, and PyTorch 1.13 must refuse the same call (test/fixtures/mutation-ops-errors.json,
// written by scripts/fixtures/mutation_ops_errors.py, records torch's refusal of each case). Next to
// each refusal, the nearest call that is accepted, so a check that refuses too much fails as well.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { Tensor } from "../src/index.js";

const FIXTURE = JSON.parse(readFileSync(new URL("./fixtures/mutation-ops-errors.json", import.meta.url), "utf8"));
const { boundary: BOUNDARY, ...TORCH } = FIXTURE as { boundary: Record<string, number[] | number[][]> } & Record<string, string>;

const t = (v: unknown, dtype?: dt.DType): Tensor => dt.tensor(v as number[], dtype ? { dtype } : {});
const long = (v: unknown): Tensor => t(v, "int64");

/** w[i] for an index i made in inferenceMode, w requiring grad or not, with grad mode on or off. */
function inferenceIndexGet(requiresGrad: boolean, gradEnabled: boolean): Tensor {
  const w = dt.tensor([1, 2, 3], { requiresGrad });
  const i = dt.inferenceMode(() => long([0, 2]));
  return gradEnabled ? w.get(i) : dt.noGrad(() => w.get(i));
}

/** Each case: its name in the fixture, the call, and the start of our message (the whole static text). */
const CASES: [string, () => unknown, RegExp][] = [
  // advanced-index.ts
  ["get_object", () => t([1, 2]).get({} as never), /^get: cannot index with object; use numbers, slice strings like "1:3", "\.\.\.", null, tensors or arrays$/],
  ["set_no_args", () => (t([1, 2]).set as (...a: unknown[]) => unknown)(), /^set: expected the index entries followed by the value, e\.g\. x\.set\(0, ":", 1\.5\)$/],
  ["set_array_value", () => t([1, 2]).set(0, [1] as never), /^set: the last argument must be the value \(a tensor, number or boolean\), got an array; e\.g\. x\.set\(0, 1\.5\) or x\.set\(mask, tensor\(\[\.\.\.\]\)\)$/],
  ["set_string_value", () => t([1, 2]).set(0, "1" as never), /^set: the last argument must be the value \(a tensor, number or boolean\), got string; /],
  ["index_put_no_tensor", () => dt.indexPut(t([1, 2]), [null], t([5])), /^indexPut: give at least one index tensor$/],
  ["index_fill_2d_index", () => dt.indexFill(t([[1, 2], [3, 4]]), 0, long([[0]]), 5), /^indexFill: index must be 0-D or 1-D, got shape \[1,1\]$/],
  ["index_fill_tensor_value", () => dt.indexFill(t([[1, 2], [3, 4]]), 0, long([0]), t([5, 6])), /^indexFill: value must be a number or a 0-d tensor, got shape \[2\]$/],
  ["masked_scatter_shape", () => dt.maskedScatter(t([[1, 2], [3, 4]]), t([true, false, true], "bool"), t([9, 9, 9, 9])), /^maskedScatter: the mask of shape \[3\] cannot be broadcast with the input's shape \[2,2\]$/],
  ["get_index_past_end", () => t([1, 2, 3]).get(long([0, 3])), /^get: index 3 is out of bounds for dim 0 with size 3; indices must lie in \[-3, 2\]$/],
  ["get_index_before_start", () => t([1, 2, 3]).get(long([-4])), /^get: index -4 is out of bounds for dim 0 with size 3; indices must lie in \[-3, 2\]$/],
  ["get_inference_index", () => inferenceIndexGet(true, true), /^get: its index \(shape \[2\]\) is an inference tensor \(made inside inferenceMode\) and would be saved for backward, which PyTorch does not allow either; make a normal tensor with x\.clone\(\) outside inferenceMode$/],
  ["get_two_ellipses", () => dt.ones([2, 2]).get("...", 0, "..."), /^get: an index can only have a single ellipsis \("\.\.\."\), got 2$/],
  ["where_two_args", () => (dt.where as (...a: unknown[]) => unknown)(t([true], "bool"), t([1])), /^where: give either only the condition \(positions\) or the condition and both values$/],
  // binary.ts
  ["add_alpha_string", () => dt.add(t([1.5]), t([2]), { alpha: "2" as never }), /^add: alpha must be a number, got 2$/],
  ["add_alpha_nan", () => dt.add(t([1.5]), t([2]), { alpha: NaN }), /^add: alpha must be a number, got NaN$/],
  ["sub_int_fractional_alpha", () => dt.sub(long([1]), long([2]), { alpha: 0.5 }), /^sub: integer tensors take an integer alpha, got 0\.5 \(convert to float first\)$/],
  ["div_rounding_mode", () => dt.div(t([1]), t([2]), { roundingMode: "ceil" as never }), /^div: roundingMode must be "trunc", "floor" or null, got "ceil"$/],
  ["masked_fill_tensor_value", () => dt.maskedFill(t([1, 2]), t([true, false], "bool"), t([5, 6])), /^maskedFill: value must be a number or a 0-d tensor, got shape \[2\] \(use where\(mask, values, x\) for a tensor of values\)$/],
  // conv.ts
  ["conv2d_weight_3d", () => dt.conv2d(dt.ones([1, 1, 4, 4]), dt.ones([1, 1, 3])), /^conv2d: weight must be \[outChannels, inChannels\/groups, kH, kW\], got \[1,1,3\]$/],
  ["conv1d_input_4d", () => dt.conv1d(dt.ones([1, 1, 4, 4]), dt.ones([1, 1, 3])), /^conv1d: expected input \[N,C,L\] or \[C,L\], got \[1,1,4,4\]$/],
  ["conv1d_weight_4d", () => dt.conv1d(dt.ones([1, 1, 4]), dt.ones([1, 1, 3, 3])), /^conv1d: weight must be \[outChannels, inChannels\/groups, k\], got \[1,1,3,3\]$/],
  ["conv_transpose2d_weight_3d", () => dt.convTranspose2d(dt.ones([1, 1, 4, 4]), dt.ones([1, 1, 3])), /^convTranspose2d: weight must be \[inChannels, outChannels\/groups, kH, kW\], got \[1,1,3\]$/],
  ["conv_transpose2d_groups", () => dt.convTranspose2d(dt.ones([1, 3, 4, 4]), dt.ones([3, 1, 3, 3]), null, { groups: 2 }), /^convTranspose2d: groups \(2\) must divide the input channels \(3\)$/],
  ["conv_transpose2d_groups_zero", () => dt.convTranspose2d(dt.ones([1, 2, 4, 4]), dt.ones([2, 1, 3, 3]), null, { groups: 0 }), /^convTranspose2d: groups \(0\) must divide the input channels \(2\)$/],
  ["conv_transpose2d_negative_size", () => dt.convTranspose2d(dt.ones([1, 1, 1, 1]), dt.ones([1, 1, 1, 1]), null, { padding: 1 }), /^convTranspose2d: the output size would be -1x-1 for input \[1,1,1,1\]; reduce padding$/],
  // einsum.ts
  ["einsum_two_ellipses", () => dt.einsum("...i...->i", t([1, 2])), /^einsum: "\.\.\.i\.\.\." has more than one "\.\.\."$/],
  ["einsum_not_string", () => dt.einsum(3 as never, t([1, 2])), /^einsum: the first argument must be the equation string, got number$/],
  ["einsum_two_arrows", () => dt.einsum("i->i->i", t([1, 2])), /^einsum: "i->i->i" has more than one "->"$/],
  // indexing.ts
  ["gather_index_ndim", () => dt.gather(t([[1, 2], [3, 4]]), 1, long([0])), /^gather: index \[1\] must have as many dims as the input \[2,2\]$/],
  ["scatter_src_dtype", () => dt.scatter(t([1, 2, 3]), 0, long([0]), long([5])), /^scatter: src is int64 but the input is float32; they must match \(convert with src\.to\("float32"\)\)$/],
  ["index_select_0d_two", () => dt.indexSelect(t(5 as never), 0, long([0, 0])), /^indexSelect: a 0-d input takes a one-element index, got \[2\]$/],
  ["index_select_2d_index", () => dt.indexSelect(t([1, 2, 3]), 0, long([[0]])), /^indexSelect: index must be 1-D, got \[1,1\]$/],
  ["index_add_2d_index", () => dt.indexAdd(t([1, 2, 3]), 0, long([[0]]), t([[1]])), /^indexAdd: index must be 1-D, got \[1,1\]$/],
  ["one_hot_float", () => dt.oneHot(t([0, 1])), /^oneHot: labels must be int64 \(or int32\), got float32 \(use labels\.long\(\)\)$/],
  ["one_hot_empty", () => dt.oneHot(long([])), /^oneHot: cannot infer the number of classes from an empty tensor \[0\]; give numClasses$/],
  // linalg-norm.ts
  ["vector_norm_nan_ord", () => dt.linalg.vectorNorm(t([1, 2]), NaN), /^linalg\.vectorNorm: ord must be a number, got NaN$/],
  ["vector_norm_empty_inf", () => dt.linalg.vectorNorm(dt.zeros([0]), Infinity), /^linalg\.vectorNorm: ord Infinity of an empty reduction \(shape \[0\]\) is undefined$/],
  ["vector_norm_empty_neg", () => dt.linalg.vectorNorm(dt.zeros([0]), -1), /^linalg\.vectorNorm: ord -1 of an empty reduction \(shape \[0\]\) is undefined$/],
  ["vector_norm_empty_neginf", () => dt.linalg.vectorNorm(dt.zeros([2, 0]), -Infinity, 1), /^linalg\.vectorNorm: ord -Infinity of an empty reduction \(shape \[2,0\]\) is undefined$/],
  ["matrix_norm_1d", () => dt.linalg.matrixNorm(t([1, 2])), /^linalg\.matrixNorm: expects at least 2 dims, got \[2\]$/],
  ["matrix_norm_same_dims", () => dt.linalg.matrixNorm(t([[1, 2], [3, 4]]), "fro", [1, -1]), /^linalg\.matrixNorm: dims must differ, got \[1,-1\]$/],
  ["norm_string_ord_one_dim", () => dt.linalg.norm(t([[1, 2], [3, 4]]), "fro", 1), /^linalg\.norm: ord "fro" is a matrix norm; give two dims \(e\.g\. dim \[-2, -1\]\) or a numeric ord$/],
  ["norm_three_dims", () => dt.linalg.norm(dt.ones([2, 2, 2]), 2, [0, 1, 2]), /^linalg\.norm: dim must be one or two dims, got \[0,1,2\]$/],
  // linalg.ts
  ["diagonal_1d", () => dt.diagonal(t([1, 2])), /^diagonal: expects a tensor with at least 2 dims, got \[2\]$/],
  ["diag_embed_0d", () => dt.diagEmbed(t(1 as never)), /^diagEmbed: expects at least 1 dim, got a 0-d tensor$/],
  ["baddbmm_batch", () => dt.baddbmm(dt.zeros([2, 2]), dt.ones([2, 2, 3]), dt.ones([3, 3, 2])), /^baddbmm: batch sizes differ: \[2,2,3\] and \[3,3,2\]$/],
  ["addbmm_batch", () => dt.addbmm(dt.zeros([2, 2]), dt.ones([2, 2, 3]), dt.ones([3, 3, 2])), /^addbmm: batch sizes differ: \[2,2,3\] and \[3,3,2\]$/],
  ["tensordot_unequal_lists", () => dt.tensordot(dt.ones([2, 3]), dt.ones([3, 2]), [[1], [0, 1]]), /^tensordot: dims must be a number or two lists of equal length \[dimsA, dimsB\]$/],
  ["cross_no_size3", () => dt.cross(dt.ones([2, 2]), dt.ones([2, 2])), /^cross: no dim has size 3 in the broadcast shape \[2,2\] of \[2,2\] and \[2,2\]$/],
  ["cross_dim_not3", () => dt.cross(dt.ones([3, 2]), dt.ones([3, 2]), 1), /^cross: dim 1 has size 2, not 3 in the broadcast shape \[3,2\] of \[3,2\] and \[3,2\]$/],
  ["cdist_1d", () => dt.cdist(t([1, 2]), dt.ones([2, 2])), /^cdist: expects at least 2-D inputs \[\.\.\., P, M\] and \[\.\.\., R, M\], got \[2\] and \[2,2\]$/],
  ["cdist_1d_second", () => dt.cdist(dt.ones([2, 2]), t([1, 2])), /^cdist: expects at least 2-D inputs \[\.\.\., P, M\] and \[\.\.\., R, M\], got \[2,2\] and \[2\]$/],
  ["cdist_negative_p", () => dt.cdist(dt.ones([2, 2]), dt.ones([3, 2]), -1), /^cdist: p must be non-negative, got -1$/],
  // loss.ts (the fused cross-entropy on logits)
  ["softmax_ce_target_shape", () => dt.softmaxCrossEntropy(dt.ones([2, 3]), long([0, 1, 2])), /^softmaxCrossEntropy: target must be int64 \(or int32\) class indices of shape \[2\], got int64 \[3\]$/],
  // math.ts
  ["nan_to_num_string", () => dt.nanToNum(t([1]), { nan: "0" as never }), /^nanToNum: nan must be a number \(or null for the default\), got string "0"$/],
  ["nan_to_num_posinf_string", () => dt.nanToNum(t([1]), { posinf: "1" as never }), /^nanToNum: posinf must be a number \(or null for the default\), got string "1"$/],
  ["isclose_negative_rtol", () => dt.isclose(t([1]), t([1]), { rtol: -1 }), /^isclose: rtol and atol must be non-negative, got rtol -1, atol 1e-8$/],
  ["isclose_negative_atol", () => dt.isclose(t([1]), t([1]), { atol: -1 }), /^isclose: rtol and atol must be non-negative, got rtol 0\.00001, atol -1$/],
  ["isclose_dtypes", () => dt.isclose(t([1]), t([1], "float64")), /^isclose: the inputs must have the same dtype, got float32 and float64$/],
  // matmul.ts
  ["matmul_bool", () => dt.matmul(t([[true]], "bool"), t([[true]], "bool")), /^matmul: bool tensors are not supported; cast them first \(x\.float\(\)\)$/],
  ["linear_weight_1d", () => dt.linear(dt.ones([2, 3]), dt.ones([3])), /^linear: weight must be \[outFeatures, inFeatures\], got \[3\]$/],
  ["linear_bool", () => dt.linear(t([[true, false]], "bool"), t([[true, false]], "bool")), /^linear: bool tensors are not supported; cast them first \(x\.float\(\)\)$/],
  ["bmm_2d", () => dt.bmm(dt.ones([2, 2]), dt.ones([2, 2, 2])), /^bmm: expects two 3-D tensors, got \[2,2\] and \[2,2,2\]$/],
  ["bmm_2d_second", () => dt.bmm(dt.ones([2, 2, 2]), dt.ones([2, 2])), /^bmm: expects two 3-D tensors, got \[2,2,2\] and \[2,2\]$/],
  ["outer_2d", () => dt.outer(dt.ones([2, 2]), t([1, 2])), /^outer: expects two 1-D tensors, got \[2,2\] and \[2\]$/],
  ["outer_2d_second", () => dt.outer(t([1, 2]), dt.ones([2, 2])), /^outer: expects two 1-D tensors, got \[2\] and \[2,2\]$/],
  ["mT_1d", () => t([1, 2]).mT, /^mT: expects a matrix or a batch of matrices, got a 1-D tensor of shape \[2\] \(use x\.T or x\.unsqueeze\(0\)\)$/],
  // pool.ts
  ["adaptive_avg_pool2d_2d", () => dt.adaptiveAvgPool2d(dt.ones([4, 4]), 2), /^adaptiveAvgPool2d: expected input \[N,C,H,W\] or \[C,H,W\], got \[4,4\]$/],
  // scan.ts
  ["nanmean_int", () => dt.nanmean(long([1, 2])), /^nanmean: expects a floating point tensor, got int64 \(use x\.float\(\) or mean\)$/],
  ["aminmax_empty", () => dt.aminmax(dt.zeros([0, 2])), /^aminmax: cannot reduce an empty tensor of shape \[0,2\]$/],
  ["bincount_negative_minlength", () => dt.bincount(long([1]), null, -1), /^bincount: minlength must be a non-negative integer, got -1$/],
  ["bincount_fractional_minlength", () => dt.bincount(long([1]), null, 1.5), /^bincount: minlength must be a non-negative integer, got 1\.5$/],
  ["bincount_weights_length", () => dt.bincount(long([1, 2]), t([1, 2, 3])), /^bincount: weights must be 1-D with the input's length 2, got shape \[3\]$/],
  ["bincount_weights_2d", () => dt.bincount(long([1, 2]), t([[1, 2]])), /^bincount: weights must be 1-D with the input's length 2, got shape \[1,2\]$/],
  ["histc_min_gt_max", () => dt.histc(t([1, 2]), 4, 3, 2), /^histc: max \(2\) must be larger than or equal to min \(3\)$/],
  ["histc_infinite", () => dt.histc(t([1, Infinity])), /^histc: the range \[1, Infinity\] is not finite; give finite min and max$/],
  // shape-more.ts
  ["movedim_repeated_dim", () => dt.movedim(dt.ones([2, 2]), [0, -2], [0, 1]), /^movedim: repeated dim in \[0,-2\]$/],
  ["roll_two_shifts_no_dims", () => dt.roll(t([1, 2, 3]), [1, 2]), /^roll: without dims give one shift, got \[1,2\]$/],
  ["rot90_three_dims", () => dt.rot90(dt.ones([2, 2, 2]), 1, [0, 1, 2] as never), /^rot90: dims must name 2 dims, got \[0,1,2\]$/],
  ["rot90_fractional_k", () => dt.rot90(dt.ones([2, 2]), 1.5), /^rot90: k must be an integer, got 1\.5$/],
  ["tensor_split_0d", () => dt.tensorSplit(t(1 as never), 2), /^tensorSplit: expects at least 1 dim, got a 0-d tensor$/],
  ["tensor_split_float_tensor", () => dt.tensorSplit(t([1, 2, 3]), t([1])), /^tensorSplit: a tensor of indices or sections must be a 0-d or 1-D int64 \(or int32\) tensor, got float32 of shape \[1\]$/],
  ["tensor_split_2d_tensor", () => dt.tensorSplit(t([1, 2, 3]), long([[1]])), /^tensorSplit: a tensor of indices or sections must be a 0-d or 1-D int64 \(or int32\) tensor, got int64 of shape \[1,1\]$/],
  ["unfold_step_zero", () => t([1, 2, 3]).unfold(0, 2, 0), /^unfold: step must be a positive integer, got 0$/],
  ["unfold_step_fractional", () => t([1, 2, 3]).unfold(0, 2, 1.5), /^unfold: step must be a positive integer, got 1\.5$/],
  ["flipud_0d", () => dt.flipud(t(1 as never)), /^flipud: expects at least 1 dim, got a 0-d tensor$/],
  // shape.ts
  ["flip_repeated_dim", () => dt.flip(dt.ones([2, 2]), [0, -2]), /^flip: dim 0 appears more than once in \[0,-2\]; give each dim once$/],
  ["reshape_negative_size", () => t([1, 2]).reshape([-2, -1]), /^reshape: invalid size -2 in \[-2,-1\]$/],
  ["reshape_fractional_size", () => t([1, 2]).reshape([0.5, 4]), /^reshape: invalid size 0\.5 in \[0\.5,4\]$/],
  ["expand_fewer_dims", () => dt.ones([2, 2]).expand([2]), /^expand: the target shape \[2\] has fewer dims than the input \[2,2\]$/],
  ["split_size_zero", () => dt.split(t([1, 2]), 0), /^split: size must be a positive integer \(0 only for an empty dim\), got 0 for dim 0 of size 2$/],
  ["split_size_fractional", () => dt.split(t([1, 2]), 1.5), /^split: size must be a positive integer \(0 only for an empty dim\), got 1\.5 for dim 0 of size 2$/],
  ["unbind_0d", () => dt.unbind(t(1 as never)), /^unbind: a 0-d tensor has no dimension to unbind \(reshape it to \[1\] first\)$/],
  ["pad_fractional", () => dt.pad(t([1, 2]), [0.5, 1]), /^pad: pads must be integers, got \[0\.5,1\]$/],
  ["pad_negative_size", () => dt.pad(t([1, 2]), [-2, -1]), /^pad: pads \(-2, -1\) would give dim 0 of size 2 a negative size \(shape \[2\]\)$/],
  ["pad_reflect_value", () => dt.pad(dt.ones([1, 3]), [1, 1], "reflect", 2), /^pad: reflect padding takes no fill value \(got 2\); only "constant" padding fills$/],
  ["pad_replicate_empty", () => dt.pad(dt.ones([1, 0]), [1, 1], "replicate"), /^pad: replicate padding of dim 1 needs at least one element to repeat \(shape \[1,0\]\)$/],
  // reduce.ts: var/std of a bool or integer tensor (PyTorch 1.13: "std and var only support floating point and complex dtypes")
  ["var_int64", () => long([1, 2, 3]).var(), /^var: var and std need a floating point tensor, got int64; convert first \(x\.float\(\)\.var\(\)\)$/],
  ["var_int32_dim", () => t([[1, 2], [3, 4]], "int32").var(1), /^var: var and std need a floating point tensor, got int32; /],
  ["std_int64", () => long([1, 2, 3]).std(), /^std: var and std need a floating point tensor, got int64; convert first \(x\.float\(\)\.std\(\)\)$/],
  ["std_bool", () => t([true, false], "bool").std(0, { correction: 0 }), /^std: var and std need a floating point tensor, got bool; /],
  // sort.ts
  ["median_empty_dim", () => dt.median(dt.zeros([2, 0]), 1), /^median: dim 1 of \[2,0\] is empty; there is no median$/],
  ["mode_empty_dim", () => dt.mode(dt.zeros([2, 0]), 1), /^mode: dim 1 of \[2,0\] is empty; there is no mode$/],
  ["unique_0d_dim", () => dt.unique(t(1 as never), { dim: 0 }), /^unique: dim cannot be given for a 0-d tensor$/],
  ["searchsorted_side_right", () => dt.searchsorted(t([1, 2]), t([1]), { side: "left", right: true }), /^searchsorted: side "left" contradicts right=true; give one of them$/],
  ["searchsorted_side_left", () => dt.searchsorted(t([1, 2]), t([1]), { side: "right", right: false }), /^searchsorted: side "right" contradicts right=false; give one of them$/],
  ["searchsorted_0d", () => dt.searchsorted(t(1 as never), t([1])), /^searchsorted: the sorted sequence must have at least 1 dim, got a 0-d tensor$/],
  ["searchsorted_sorter_float", () => dt.searchsorted(t([1, 2]), t([1]), { sorter: t([0, 1]) }), /^searchsorted: sorter must be an int64 \(or int32\) tensor of the sequence's shape \[2\], got float32 \[2\]$/],
  ["searchsorted_sorter_shape", () => dt.searchsorted(t([1, 2]), t([1]), { sorter: long([0, 1, 2]) }), /^searchsorted: sorter must be an int64 \(or int32\) tensor of the sequence's shape \[2\], got int64 \[3\]$/],
  ["searchsorted_sorter_ndim", () => dt.searchsorted(t([1, 2]), t([1]), { sorter: long([[0, 1]]) }), /^searchsorted: sorter must be an int64 \(or int32\) tensor of the sequence's shape \[2\], got int64 \[1,2\]$/],
  ["bucketize_2d", () => dt.bucketize(t([1]), t([[1, 2]])), /^bucketize: boundaries must be 1-D, got shape \[1,2\]$/],
  // unary.ts
  ["neg_bool", () => dt.neg(t([true], "bool")), /^neg: negating a bool tensor is not supported; use x\.logicalNot\(\) to invert a mask$/],
  ["round_fractional_decimals", () => dt.round(t([1.25]), { decimals: 0.5 }), /^round: decimals must be an integer, got 0\.5$/],
];

/**
 * Calls PyTorch 1.13 accepts that deeptype refuses on purpose, with the reason (the fixture records
 * "accepted" for exactly these; any other case PyTorch accepts fails the test).
 */
const DEVIATIONS: Record<string, string> = {
  add_alpha_nan: "torch.add(a, b, alpha=nan) silently gives NaN; a bad argument here is an Error (API.md rule 9)",
  vector_norm_nan_ord: "torch.linalg.vector_norm(x, nan) silently gives NaN (rule 9)",
  linear_weight_1d: "torch's F.linear takes a 1-D weight as a dot product; deeptype asks for [outFeatures, inFeatures] so a forgotten dim is caught",
  index_select_0d_two: "torch.index_select(0-d, 0, [0, 0]) returns the 0-d value once, ignoring the second index; deeptype refuses the index instead",
  get_two_ellipses: "PyTorch 1.13 takes x[..., 0, ...] (the first ellipsis expands, the second is empty); NumPy refuses it as ambiguous, and so does deeptype",
  searchsorted_side_left: "torch lets side='right' win over right=False (it only refuses side='left' with right=True); deeptype refuses both contradictions",
};

test("every case is in the fixture, and PyTorch 1.13 refuses each one but the listed deviations", () => {
  assert.deepEqual(CASES.map(([n]) => n).sort(), Object.keys(TORCH).sort());
  for (const [name] of CASES) {
    if (name in DEVIATIONS) assert.equal(TORCH[name], "accepted", `${name} is listed as a deviation, but PyTorch refuses it`);
    else assert.match(TORCH[name], /^refused: /, `${name}: PyTorch accepts this call`);
  }
});

for (const [name, call, message] of CASES) {
  test(`refused: ${name} (${message.source.slice(1, 40)}...)`, () => {
    assert.throws(call, (e: unknown) => e instanceof Error && message.test(e.message), `${name}: expected ${message}`);
  });
}

/** The nearest calls that are accepted, with PyTorch's values: a check that refuses too much fails here. */
const ACCEPTED: [string, () => number[] | number[][]][] = [
  ["split_size_1", () => dt.split(t([1, 2]), 1).map((p) => [...p.data()])],
  ["unfold_step_1", () => [...t([1, 2, 3]).unfold(0, 2, 1).data()]],
  ["bincount_minlength_0", () => [...dt.bincount(long([1]), null, 0).data()]],
  ["bincount_weights", () => [...dt.bincount(long([1, 2]), t([0.5, 2])).data()]],
  ["histc_min_eq_max", () => [...dt.histc(t([1, 2, 4]), 3, 2, 2).data()]],
  ["isclose_zero_tolerances", () => [...dt.isclose(t([1, 1]), t([1, 1.0000001]), { rtol: 0, atol: 0 }).data()].map(Number)],
  ["cdist_p0", () => [...dt.cdist(t([[0, 1], [2, 2]]), t([[0, 2]]), 0).data()]],
  ["conv_transpose2d_padding_0", () => [...dt.convTranspose2d(dt.ones([1, 1, 1, 1]), dt.full([1, 1, 1, 1], 3), null, { padding: 0 }).data()]],
  ["round_decimals_1", () => [...dt.round(t([1.26, -0.35], "float64"), { decimals: 1 }).data()]],
  ["vector_norm_empty_2", () => [...dt.linalg.vectorNorm(dt.zeros([0]), 2).data()]],
  ["vector_norm_empty_0", () => [...dt.linalg.vectorNorm(dt.zeros([0]), 0).data()]],
  ["vector_norm_empty_inf_other_dim", () => [...dt.linalg.vectorNorm(dt.zeros([0, 2]), Infinity, 1).data()]],
  ["searchsorted_side_right", () => [...dt.searchsorted(t([1, 2]), t([1]), { side: "right", right: true }).data()]],
  ["roll_one_shift", () => [...dt.roll(t([1, 2, 3]), [1]).data()]],
  // A list of booleans is a mask (not the indices 1 and 0), as PyTorch's x[[True, False, True]].
  ["get_bool_list", () => [...t([[10, 20], [30, 40], [50, 60]]).get([true, false, true] as never).data()]],
  ["get_int_then_mask", () => [...dt.arange(24).reshape([2, 3, 4]).get(1, t([true, false, true], "bool")).data()]],
  ["get_slice_then_mask", () => [...dt.arange(24).reshape([2, 3, 4]).get(":", ":", t([false, true, true, false], "bool")).data()]],
  ["get_true_then_int", () => { const r = dt.arange(6).reshape([2, 3]).get(t(true as never, "bool"), ":", 1); return [[...r.shape], [...r.data()]]; }],
  ["get_true_then_tensor", () => { const r = dt.arange(6).reshape([2, 3]).get(t(true as never, "bool"), long([1, 0]), 2); return [[...r.shape], [...r.data()]]; }],
  ["get_mask_then_mask", () => [...dt.arange(24).reshape([2, 3, 4]).get(t([false, true], "bool"), ":", t([true, false, true, false], "bool")).data()]],
  ["get_tensor_then_mask", () => [...dt.arange(6).reshape([2, 3]).get(long([1, 0]), t([true, false, true], "bool")).data()]],
  ["get_index_at_both_ends", () => [...t([1, 2, 3]).get(long([2, -3, -1])).data()]],
  ["get_all_negative", () => [...t([1, 2, 3]).get(long([-1, -3])).data()]],
  ["get_separated_tensors", () => { const r = dt.arange(24).reshape([2, 3, 2, 2]).get(":", long([2, 0]), ":", long([1, 0])); return [[...r.shape], [...r.data()]]; }],
  ["get_inference_index_no_grad_input", () => [...inferenceIndexGet(false, true).data()]],
  ["get_inference_index_under_no_grad", () => [...inferenceIndexGet(true, false).data()]],
  ["get_empty_list", () => [...t([10, 20]).get([] as never).data()]],
  ["rot90_k_minus_1", () => [...dt.rot90(t([[1, 2], [3, 4]]), -1).data()]],
];

test("accepted at the boundary of each check, with PyTorch's values", () => {
  assert.deepEqual(ACCEPTED.map(([n]) => n).sort(), Object.keys(BOUNDARY).sort());
  for (const [name, call] of ACCEPTED) {
    const got = call(), want = BOUNDARY[name];
    assert.equal(JSON.stringify(got.flat().map((v) => Math.round(Number(v) * 1e6) / 1e6)), JSON.stringify(want.flat().map((v) => Math.round(Number(v) * 1e6) / 1e6)), name);
  }
});
