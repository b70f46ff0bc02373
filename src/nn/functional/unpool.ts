/**
 * `maxUnpool1d` / `maxUnpool2d`, as torch.nn.functional.max_unpool1d/2d: the partial inverse of max
 * pooling, each value written at the flat position its pooling recorded (`maxPool2dWithIndices`), zeros
 * elsewhere. One scatter into zeros, so the input's gradient is the gather PyTorch's backward is, and
 * every backend runs it.
 *
 * ```ts
 * const { values, indices } = maxPool2dWithIndices(x, 2);
 * const back = nn.functional.maxUnpool2d(values, indices, 2);      // x's shape, maxima in place
 * ```
 */
import { Tensor, zeros, scatter } from "../../core.js";
import { declareOptionalArgs, describe, tensorArgError } from "../../tensor/check.js";
import { fmtShape } from "../module.js";

type Size = number | readonly number[];

/** A size argument as d positive (or, for padding, non-negative) integers. */
export function tuple(fn: string, name: string, v: unknown, d: number, min: number): number[] {
  const a = typeof v === "number" ? Array(d).fill(v) : Array.isArray(v) ? [...v] : [];
  if (a.length !== d || a.some((n) => typeof n !== "number" || !Number.isInteger(n) || n < min)) {
    throw new Error(`${fn}: ${name} must be an integer >= ${min} or ${d} of them, got ${describe(v)}`);
  }
  return a;
}

/** PyTorch's _unpool_output_size: (in − 1)·stride + kernel − 2·padding, or outputSize within ±stride of it. */
function outputSize(fn: string, spatial: readonly number[], k: number[], s: number[], p: number[], given: readonly number[] | null | undefined): number[] {
  const d = k.length;
  const def = spatial.map((n, i) => (n - 1) * s[i] + k[i] - 2 * p[i]);
  if (given === null || given === undefined) return def;
  if (!Array.isArray(given)) throw new Error(`${fn}: outputSize must be an array of ${d} or ${d + 2} integers, got ${describe(given)}`);
  const o = given.length === d + 2 ? given.slice(2) : [...given];
  if (o.length !== d || o.some((n) => typeof n !== "number" || !Number.isInteger(n))) {
    throw new Error(`${fn}: outputSize must hold ${d} or ${d + 2} integers, got ${describe(given)}`);
  }
  o.forEach((n, i) => {
    if (!(def[i] - s[i] < n && n < def[i] + s[i])) throw new Error(`${fn}: invalid outputSize ${fmtShape(o)} (dim ${i} must be between ${def[i] - s[i]} and ${def[i] + s[i]}, exclusive)`);
  });
  return o;
}

function unpool(fn: string, d: number, input: Tensor, indices: Tensor, kernelSize: Size, stride: Size | null, padding: Size, given: readonly number[] | null | undefined): Tensor {
  if (!(input instanceof Tensor)) throw tensorArgError(fn, "input", input);
  if (!(indices instanceof Tensor)) throw tensorArgError(fn, "indices", indices);
  if (indices.dtype !== "int64" && indices.dtype !== "int32") throw new Error(`${fn}: indices must be an int64 tensor (from maxPool${d}dWithIndices), got ${indices.dtype}`);
  if (input.ndim !== d + 1 && input.ndim !== d + 2) throw new Error(`${fn}: expected input [N, C, ${d === 1 ? "L" : "H, W"}] or [C, ${d === 1 ? "L" : "H, W"}], got ${fmtShape(input.shape)}`);
  if (indices.shape.length !== input.ndim || indices.shape.some((n, i) => n !== input.shape[i])) {
    throw new Error(`${fn}: indices ${fmtShape(indices.shape)} must have the shape of input ${fmtShape(input.shape)}`);
  }
  const k = tuple(fn, "kernelSize", kernelSize, d, 1);
  const s = stride === null || stride === undefined ? k : tuple(fn, "stride", stride, d, 1);
  const p = tuple(fn, "padding", padding, d, 0);
  const lead = input.shape.slice(0, -d);
  const out = outputSize(fn, input.shape.slice(-d), k, s, p, given);
  const total = out.reduce((a, b) => a * b, 1);
  if (out.some((n) => n < 1)) throw new Error(`${fn}: the output size ${fmtShape(out)} of input ${fmtShape(input.shape)} is empty`);
  const at = indices.numbers();
  for (let i = 0; i < at.length; i++) {
    if (!(at[i] >= 0 && at[i] < total)) throw new Error(`${fn}: index ${at[i]} is out of range for an output of ${out.join("x")} (indices from maxPool${d}dWithIndices of the same kernel, stride and padding)`);
  }
  const planes = lead.reduce((a, b) => a * b, 1);
  const src = input.reshape([planes, -1]);
  const y = scatter(zeros([planes, total], { dtype: input.dtype }), 1, indices.reshape([planes, -1]), src);
  return y.reshape([...lead, ...out]);
}

/**
 * `maxUnpool1d(x, indices, kernelSize, stride?, padding?, outputSize?)`: [N, C, L] (or [C, L]) values
 * put back at their maxPool1dWithIndices positions in [N, C, Lout], Lout = (L − 1)·stride + kernel − 2·padding.
 */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: Size, stride: Size | null = null, padding: Size = 0, outputSize: readonly number[] | null = null): Tensor {
  return unpool("maxUnpool1d", 1, input, indices, kernelSize, stride, padding, outputSize);
}

/**
 * `maxUnpool2d(x, indices, kernelSize, stride?, padding?, outputSize?)`: [N, C, H, W] (or [C, H, W])
 * values put back at their maxPool2dWithIndices positions (flat h·Wout + w) in [N, C, Hout, Wout].
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: Size, stride: Size | null = null, padding: Size = 0, outputSize: readonly number[] | null = null): Tensor {
  return unpool("maxUnpool2d", 2, input, indices, kernelSize, stride, padding, outputSize);
}

// PyTorch code passes stride and padding positionally (F.max_unpool2d(y, i, 2, 2)), output_size as a keyword.
const OPTIONAL_ARGS = declareOptionalArgs({
  maxUnpool1d: { first: 3, names: ["stride", "padding", "outputSize"] },
  maxUnpool2d: { first: 3, names: ["stride", "padding", "outputSize"] },
});
export type UnpoolOptionalArgs = typeof OPTIONAL_ARGS;
