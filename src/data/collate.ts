/**
 * Turning a list of samples into one batch. The default mirrors PyTorch's `default_collate`:
 * tensors are stacked along a new first dim, arrays/tuples and objects are collated field by
 * field, recursively.
 *
 * Numbers follow PyTorch's rule (Python ints -> int64, floats -> float64) by value, since JavaScript
 * cannot tell 1 from 1.0: a batch whose numbers are all whole (and within ±2^53) collates to int64,
 * the dtype crossEntropy's class indices have, and any other batch to float64. So a class label
 * returned as a plain number batches as PyTorch's does. A float target that can happen to be whole
 * in every sample of a batch (a count, a rounded score) should be returned as a tensor of the dtype
 * wanted (`tensor(y)` is float32) so every batch has one dtype. Booleans collate to bool.
 */
import { Tensor, stack } from "../core.js";

/**
 * The type of a batch the default collate makes from samples of type `T`.
 *
 * ```ts
 * type B = Collated<{ image: Tensor; label: Tensor; name: string }>;  // { image: Tensor; label: Tensor; name: string[] }
 * ```
 */
export type Collated<T> = 0 extends 1 & T
  ? any // an `any` sample gives an `any` batch rather than a union of every possibility
  : T extends Tensor | number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : never;

function fmtShape(s: readonly number[]): string {
  return `[${s.join(",")}]`;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Tensor) return `a tensor of shape ${fmtShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v;
}

function stackSamples(samples: Tensor[], indices: readonly number[], path: string): Tensor {
  const ref = samples[0];
  for (let k = 1; k < samples.length; k++) {
    const s = samples[k].shape;
    if (s.length !== ref.shape.length || s.some((d, j) => d !== ref.shape[j])) {
      throw new Error(
        `defaultCollate: cannot stack ${path || "the samples"}: dataset index ${indices[k]} has shape ${fmtShape(s)} but dataset index ${indices[0]} has ${fmtShape(ref.shape)}; ` +
          "resize or crop them to one size in the dataset's transform, or pass a custom collate",
      );
    }
    if (samples[k].dtype !== ref.dtype) {
      throw new Error(`defaultCollate: cannot stack ${path || "the samples"}: dataset index ${indices[k]} is ${samples[k].dtype} but dataset index ${indices[0]} is ${ref.dtype}; convert them to one dtype`);
    }
  }
  return stack(samples, 0);
}

function collateAt(samples: unknown[], indices: readonly number[], path: string): unknown {
  const first = samples[0];
  const where = path || "sample";
  const mismatch = (k: number, expected: string): never => {
    throw new Error(`defaultCollate: ${where} of dataset index ${indices[k]} is ${describe(samples[k])}, but dataset index ${indices[0]} has ${expected}; every sample must have the same structure`);
  };
  if (first instanceof Tensor) {
    samples.forEach((s, k) => s instanceof Tensor || mismatch(k, describe(first)));
    return stackSamples(samples as Tensor[], indices, path);
  }
  if (typeof first === "number" || typeof first === "boolean") {
    const kind = typeof first;
    samples.forEach((s, k) => typeof s === kind || mismatch(k, `a ${kind}`));
    if (kind === "boolean") return Tensor.fromArray(Uint8Array.from(samples as boolean[], (b) => (b ? 1 : 0)), [samples.length], "bool");
    const nums = samples as number[];
    if (nums.every(Number.isSafeInteger)) return Tensor.fromArray(BigInt64Array.from(nums, BigInt), [nums.length], "int64");
    return Tensor.fromArray(Float64Array.from(nums), [nums.length], "float64");
  }
  if (typeof first === "string") {
    samples.forEach((s, k) => typeof s === "string" || mismatch(k, "a string"));
    return [...samples];
  }
  if (Array.isArray(first)) {
    samples.forEach((s, k) => (Array.isArray(s) && s.length === first.length) || mismatch(k, describe(first)));
    return first.map((_, j) => collateAt(samples.map((s) => (s as unknown[])[j]), indices, `${path}[${j}]`));
  }
  if (first !== null && typeof first === "object" && !ArrayBuffer.isView(first)) {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    samples.forEach((s, k) => {
      if (s === null || typeof s !== "object") mismatch(k, "an object");
      const sk = Object.keys(s as object);
      if (sk.length !== keys.length || keys.some((key) => !(key in (s as object)))) {
        throw new Error(`defaultCollate: ${where} of dataset index ${indices[k]} has keys {${sk.join(", ")}} but dataset index ${indices[0]} has {${keys.join(", ")}}`);
      }
    });
    for (const key of keys) out[key] = collateAt(samples.map((s) => (s as Record<string, unknown>)[key]), indices, path ? `${path}.${key}` : key);
    return out;
  }
  throw new Error(
    `defaultCollate: cannot batch ${where} of dataset index ${indices[0]}: it is ${ArrayBuffer.isView(first) ? "a typed array (wrap it with tensor())" : describe(first)}; ` +
      "samples must be tensors, numbers, booleans, strings, or arrays/objects of them (or pass a custom collate)",
  );
}

/**
 * PyTorch's `default_collate`: stacks tensors, whole numbers -> int64 [B] (other numbers -> float64 [B]),
 * booleans -> bool [B], strings -> string[], arrays and objects field by field. `indices` (the
 * dataset indices of the samples) only serve error messages.
 *
 * ```ts
 * defaultCollate([{ x: tensor([1, 2]), y: 0 }, { x: tensor([3, 4]), y: 1 }])  // { x: [2,2] float32, y: [2] int64 }
 * ```
 */
export function defaultCollate<T>(samples: readonly T[], indices?: readonly number[]): Collated<T> {
  if (samples.length === 0) throw new Error("defaultCollate: cannot collate an empty list of samples");
  return collateAt([...samples], indices ?? samples.map((_, k) => k), "") as Collated<T>;
}
