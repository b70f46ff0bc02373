/**
 * float16/bfloat16 for every backend at once: kernels only ever see float32.
 *
 * PyTorch's CPU kernels for Half and BFloat16 load each element as float, compute in float and round
 * the result back on store. This adapter does the same around a whole kernel call: every half View
 * among the arguments is widened (bit-exactly) into a float32 copy of its storage with the same
 * shape, strides and offset, the wrapped backend runs on those, and the storages the kernel writes
 * are rounded back (to nearest even). So no kernel, js or wasm, has half-specific code, and adding a
 * kernel to the contract needs only its output positions below. Storages that reach the kernel as
 * both an input and an output (in-place scatter) are widened once, so aliasing is kept; elements
 * a kernel leaves alone come back with the same bits (the conversion is exact both ways).
 */
import type { Backend, View } from "./backend.js";
import { type HalfDType, float32ToHalf, halfToFloat32, isHalf } from "../tensor/half.js";

type Kernel = Exclude<keyof Backend, "name">;

// Which arguments each kernel writes. A kernel missing here is a compile error (the point).
// sgdUpdate/adamUpdate take raw arrays with no dtype: optimizers use tensor ops for half parameters.
const WRITES: { readonly [K in Kernel]: readonly number[] } = {
  copy: [1], fill: [0], unary: [2], unaryParam: [2], binary: [3], where: [3], reduce: [3], argReduce: [3],
  cumsum: [2], scan: [3, 4], sort: [3, 4], softmax: [3], matmul: [2], linear: [3], crossEntropy: [3],
  crossEntropyBackward: [4], gather: [3], scatterAdd: [0], scatter: [0], indexSelect: [3], indexAdd: [0],
  conv2d: [3], conv2dBackwardInput: [2], conv2dBackwardWeight: [2], conv2dReluPool: [3, 4], conv2dReluPoolBackward: [4, 5],
  maxPool2d: [1, 2], maxPool2dBackward: [2], avgPool2d: [1], avgPool2dBackward: [1],
  sgdUpdate: [], adamUpdate: [],
};

function isHalfView(a: unknown): a is View {
  return typeof a === "object" && a !== null && isHalf((a as View).dtype ?? "") && (a as View).data instanceof Uint16Array;
}

function wrap(inner: Backend, name: Kernel): (...args: unknown[]) => void {
  const writes = WRITES[name];
  const kernel = inner[name] as (...args: unknown[]) => void;
  return (...args: unknown[]): void => {
    let widened: Map<Uint16Array, [Float32Array, HalfDType]> | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!isHalfView(a)) continue;
      widened ??= new Map();
      const src = a.data as Uint16Array;
      const dtype = a.dtype as HalfDType;
      let w = widened.get(src);
      if (w === undefined) {
        w = [halfToFloat32(src, dtype), dtype];
        widened.set(src, w);
      }
      args[i] = { data: w[0], dtype: "float32", shape: a.shape, strides: a.strides, offset: a.offset } satisfies View;
    }
    if (widened === null) {
      kernel.apply(inner, args);
      return;
    }
    const outs = writes.map((i) => (args[i] as View | null)?.data);
    kernel.apply(inner, args);
    for (const [src, [f32, dtype]] of widened) if (outs.includes(f32)) float32ToHalf(f32, dtype, src);
  };
}

/**
 * A copy between two views of the same 16-bit dtype moves the bit patterns as they are (clone,
 * contiguous, views written in place): no rounding to do, and NaN payloads survive.
 */
function copyBits(src: View, out: View): void {
  const shape = src.shape, nd = shape.length;
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const s = src.data, o = out.data;
  const idx = new Array<number>(nd).fill(0);
  let si = src.offset, oi = out.offset;
  for (let i = 0; i < n; i++) {
    o[oi] = s[si];
    for (let d = nd - 1; d >= 0; d--) {
      si += src.strides[d];
      oi += out.strides[d];
      if (++idx[d] < shape[d]) break;
      si -= src.strides[d] * shape[d];
      oi -= out.strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** `inner` with float16/bfloat16 views converted around each kernel call (see the file comment). */
export function halfAdapter(inner: Backend): Backend {
  // Anything beyond the contract (a backend's own settings) is still reached through the prototype.
  const out = Object.create(inner) as Record<string, unknown>;
  for (const k of Object.keys(WRITES) as Kernel[]) out[k] = wrap(inner, k);
  const widenedCopy = out.copy as (src: View, o: View) => void;
  out.copy = (src: View, o: View): void => (src.dtype === o.dtype && isHalfView(src) && isHalfView(o) ? copyBits(src, o) : widenedCopy(src, o));
  return out as unknown as Backend;
}
