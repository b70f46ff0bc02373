/**
 * PyTorch's named tuples (`torch.return_types.sort`, `topk`, `aminmax`, ...) as arrays that also
 * carry the field names, so both `const { values, indices } = x.topk(3)` and
 * `const [values, indices] = x.topk(3)` work (API.md rule 5), and the TypeScript type knows both.
 */
import type { Tensor } from "../tensor/tensor.js";

/** `{values, indices}` that is also the array `[values, indices]`. */
export type ValuesIndicesTuple = [Tensor, Tensor] & { readonly values: Tensor; readonly indices: Tensor };

/** `{min, max}` that is also the array `[min, max]` (torch.aminmax's result). */
export type MinMaxTuple = [Tensor, Tensor] & { readonly min: Tensor; readonly max: Tensor };

/** An array of `values` in PyTorch's field order with each also readable by its field name. */
export function namedTuple<T>(fields: readonly string[], values: readonly Tensor[]): T {
  const out = [...values];
  // Non-enumerable, so that console.log and JSON show the array and spreading stays the tuple.
  fields.forEach((f, i) => Object.defineProperty(out, f, { value: values[i], enumerable: false }));
  return out as T;
}

export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndicesTuple {
  return namedTuple<ValuesIndicesTuple>(["values", "indices"], [values, indices]);
}
