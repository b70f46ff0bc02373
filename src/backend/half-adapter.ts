/**
 * float16/bfloat16 for every backend at once: kernels only ever see float32.
 *
 * PyTorch's CPU kernels for Half and BFloat16 load each element as float, compute in float and round
 * the result back on store. This adapter does the same around a whole kernel call: every half View
 * among the arguments is widened (bit-exactly) into a float32 copy of its storage with the same
 * shape, strides and offset, the wrapped backend runs on those, and the storages the kernel writes
 * are rounded back (to nearest even). So no kernel, js or wasm, has half-specific code, and adding a
 * kernel to the contract needs only its name below. Storages that reach the kernel as
 * both an input and an output (in-place scatter) are widened once, so aliasing is kept; elements
 * a kernel leaves alone come back with the same bits (the conversion is exact both ways).
 */
import type { Backend, View } from "./backend.js";
import { type HalfDType, float32ToHalf, halfToFloat32, isHalf } from "../tensor/half.js";

type Kernel = Exclude<keyof Backend, "name">;

// Every kernel of the contract is wrapped; a kernel missing here is a compile error (the point).
// Each widened storage is rounded back after the call, read or written: an input comes back bit for
// bit (the conversions are exact both ways), and no table of output positions can go stale when a
// kernel's signature changes. sgdUpdate/adamUpdate take raw arrays with no dtype: optimizers use
// tensor ops for 16-bit parameters.
const KERNELS: { readonly [K in Kernel]: true } = {
  copy: true, fill: true, unary: true, unaryParam: true, binary: true, where: true, reduce: true, argReduce: true,
  cumsum: true, scan: true, sort: true, softmax: true, matmul: true, linear: true, linearBackward: true, crossEntropy: true,
  crossEntropyBackward: true, gather: true, scatterAdd: true, scatter: true, indexSelect: true, indexAdd: true,
  conv2d: true, conv2dBackwardInput: true, conv2dBackwardWeight: true, conv2dReluPool: true, conv2dReluPoolBackward: true,
  maxPool2d: true, maxPool2dBackward: true, avgPool2d: true, avgPool2dBackward: true, sgdUpdate: true, adamUpdate: true,
};

function isHalfView(a: unknown): a is View {
  return typeof a === "object" && a !== null && isHalf((a as View).dtype ?? "") && (a as View).data instanceof Uint16Array;
}

function wrap(inner: Backend, name: Kernel): (...args: unknown[]) => void {
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
    kernel.apply(inner, args);
    for (const [src, [f32, dtype]] of widened) float32ToHalf(f32, dtype, src);
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
  for (const k of Object.keys(KERNELS) as Kernel[]) out[k] = wrap(inner, k);
  const widenedCopy = out.copy as (src: View, o: View) => void;
  out.copy = (src: View, o: View): void => (src.dtype === o.dtype && isHalfView(src) && isHalfView(o) ? copyBits(src, o) : widenedCopy(src, o));
  return out as unknown as Backend;
}
