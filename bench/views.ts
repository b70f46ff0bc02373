/**
 * Contiguous backend views for the kernel benches (bench/conv.ts, conv-setup.ts, conv-shapes.ts), which
 * call the wasm backend directly without tensors: one place that builds them.
 */
import type { View } from "../src/backend/backend.js";
import type { Generator } from "../src/tensor/generator.js";

/** Row-major strides of `shape`. */
export const contiguousStrides = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
};

/**
 * A contiguous view of `shape`, filled with standard normals from `g` (or zeros with `fill` false).
 * @example const x = randomView(new Generator(0), [64, 16, 28, 28]);
 */
export function randomView(g: Generator, shape: number[], fill = true, dtype: "float32" | "int32" = "float32"): View {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === "int32" ? new Int32Array(n) : new Float32Array(n);
  if (fill) for (let i = 0; i < n; i++) data[i] = g.normal();
  return { data, dtype, shape, strides: contiguousStrides(shape), offset: 0 };
}
