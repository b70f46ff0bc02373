/** Reference convolution and pooling: direct loops, written for clarity, not speed. */
import type { Backend, ConvParams, PoolParams, View } from "../backend.js";
import { allocate } from "../../tensor/dtype.js";
import { contiguousStrides, numel } from "../../tensor/shape.js";
import { toFloat64, writeFrom } from "./strided.js";

interface ConvDims {
  N: number; C: number; H: number; W: number; O: number; kH: number; kW: number; oH: number; oW: number;
  cg: number; og: number;
}

function dims(xShape: readonly number[], wShape: readonly number[], oShape: readonly number[], p: ConvParams): ConvDims {
  const [N, C, H, W] = xShape;
  const [O, cg, kH, kW] = wShape;
  return { N, C, H, W, O, kH, kW, oH: oShape[2], oW: oShape[3], cg, og: O / p.groups };
}

/**
 * Visits every (output pixel, weight tap, input pixel) triple of a convolution once; the three conv
 * kernels differ only in which of the three they accumulate into.
 */
function forEachTap(d: ConvDims, p: ConvParams, visit: (xi: number, wi: number, yi: number) => void): void {
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  for (let n = 0; n < d.N; n++) {
    for (let o = 0; o < d.O; o++) {
      const g = Math.floor(o / d.og);
      for (let oh = 0; oh < d.oH; oh++) {
        for (let ow = 0; ow < d.oW; ow++) {
          const yi = ((n * d.O + o) * d.oH + oh) * d.oW + ow;
          for (let c = 0; c < d.cg; c++) {
            const ci = g * d.cg + c;
            for (let kh = 0; kh < d.kH; kh++) {
              const h = oh * sH - pH + kh * dH;
              if (h < 0 || h >= d.H) continue;
              for (let kw = 0; kw < d.kW; kw++) {
                const w = ow * sW - pW + kw * dW;
                if (w < 0 || w >= d.W) continue;
                visit(((n * d.C + ci) * d.H + h) * d.W + w, ((o * d.cg + c) * d.kH + kh) * d.kW + kw, yi);
              }
            }
          }
        }
      }
    }
  }
}

export function conv2d(x: View, w: View, bias: View | null, out: View, p: ConvParams): void {
  const d = dims(x.shape, w.shape, out.shape, p);
  const xs = toFloat64(x);
  const ws = toFloat64(w);
  const y = new Float64Array(d.N * d.O * d.oH * d.oW);
  forEachTap(d, p, (xi, wi, yi) => (y[yi] += xs[xi] * ws[wi]));
  // The bias is added after the products, as PyTorch's GEMM epilogue does: the sums start at +0, so an
  // all-zero input with negative weights and a -0 bias gives +0 there, not -0.
  if (bias) {
    const b = toFloat64(bias);
    const plane = d.oH * d.oW;
    for (let i = 0; i < y.length; i++) y[i] += b[Math.floor(i / plane) % d.O];
  }
  writeFrom(out, y);
}

export function conv2dBackwardInput(gy: View, w: View, out: View, p: ConvParams): void {
  const d = dims(out.shape, w.shape, gy.shape, p);
  const g = toFloat64(gy);
  const ws = toFloat64(w);
  const gx = new Float64Array(d.N * d.C * d.H * d.W);
  forEachTap(d, p, (xi, wi, yi) => (gx[xi] += g[yi] * ws[wi]));
  writeFrom(out, gx);
}

export function conv2dBackwardWeight(x: View, gy: View, out: View, p: ConvParams): void {
  const d = dims(x.shape, out.shape, gy.shape, p);
  const xs = toFloat64(x);
  const g = toFloat64(gy);
  const gw = new Float64Array(d.O * d.cg * d.kH * d.kW);
  forEachTap(d, p, (xi, wi, yi) => (gw[wi] += xs[xi] * g[yi]));
  writeFrom(out, gw);
}

/** Visits every pooling window: (plane, output index within plane, list of input indices within plane, divisor). */
function forEachWindow(
  inShape: readonly number[], outShape: readonly number[], p: PoolParams,
  visit: (plane: number, oi: number, taps: number[], divisor: number) => void,
): void {
  const [N, C, H, W] = inShape;
  const [oH, oW] = [outShape[2], outShape[3]];
  const [kH, kW] = p.kernel;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  for (let plane = 0; plane < N * C; plane++) {
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) {
        const taps: number[] = [];
        for (let kh = 0; kh < kH; kh++) {
          const h = oh * sH - pH + kh * dH;
          if (h < 0 || h >= H) continue;
          for (let kw = 0; kw < kW; kw++) {
            const w = ow * sW - pW + kw * dW;
            if (w >= 0 && w < W) taps.push(h * W + w);
          }
        }
        // PyTorch's divisor: the window clipped to the padded input, or to the real input.
        const h0 = oh * sH - pH, w0 = ow * sW - pW;
        const h1 = Math.min(h0 + kH, H + pH), w1 = Math.min(w0 + kW, W + pW);
        const divisor = p.countIncludePad
          ? (h1 - h0) * (w1 - w0)
          : (Math.min(h1, H) - Math.max(h0, 0)) * (Math.min(w1, W) - Math.max(w0, 0));
        visit(plane, oh * oW + ow, taps, divisor);
      }
    }
  }
}

export function maxPool2d(x: View, out: View, indices: View | null, p: PoolParams): void {
  const xs = toFloat64(x);
  const [H, W] = [x.shape[2], x.shape[3]];
  const planeOut = out.shape[2] * out.shape[3];
  const y = new Float64Array(out.shape[0] * out.shape[1] * planeOut);
  // Positions are found either way (the scan needs them); only written out when asked for.
  const idx = new Int32Array(y.length);
  forEachWindow(x.shape, out.shape, p, (plane, oi, taps) => {
    let best = -Infinity, arg = -1;
    for (const t of taps) {
      const v = xs[plane * H * W + t];
      if (v > best || Number.isNaN(v) || arg < 0) { best = v; arg = t; if (Number.isNaN(v)) break; }
    }
    y[plane * planeOut + oi] = best;
    idx[plane * planeOut + oi] = arg;
  });
  writeFrom(out, y);
  if (indices) writeFrom(indices, idx);
}

export function maxPool2dBackward(gy: View, indices: View, out: View): void {
  const g = toFloat64(gy);
  const idx = toFloat64(indices);
  const plane = out.shape[2] * out.shape[3];
  const planeOut = gy.shape[2] * gy.shape[3];
  const gx = new Float64Array(out.shape[0] * out.shape[1] * plane);
  for (let i = 0; i < g.length; i++) gx[Math.floor(i / planeOut) * plane + idx[i]] += g[i];
  writeFrom(out, gx);
}

export function avgPool2d(x: View, out: View, p: PoolParams): void {
  const xs = toFloat64(x);
  const plane = x.shape[2] * x.shape[3];
  const planeOut = out.shape[2] * out.shape[3];
  const y = new Float64Array(out.shape[0] * out.shape[1] * planeOut);
  forEachWindow(x.shape, out.shape, p, (pl, oi, taps, divisor) => {
    let s = 0;
    for (const t of taps) s += xs[pl * plane + t];
    y[pl * planeOut + oi] = s / divisor;
  });
  writeFrom(out, y);
}

export function avgPool2dBackward(gy: View, out: View, p: PoolParams): void {
  const g = toFloat64(gy);
  const plane = out.shape[2] * out.shape[3];
  const planeOut = gy.shape[2] * gy.shape[3];
  const gx = new Float64Array(out.shape[0] * out.shape[1] * plane);
  forEachWindow(out.shape, gy.shape, p, (pl, oi, taps, divisor) => {
    const v = g[pl * planeOut + oi] / divisor;
    for (const t of taps) gx[pl * plane + t] += v;
  });
  writeFrom(out, gx);
}

/**
 * The fused conv2d + bias + ReLU (+ max-pool) as its definition: the three kernels in turn through
 * `b` (the js backend, or the wasm backend's fallback for shapes its fused kernel does not take).
 */
export function conv2dReluPool(
  b: Pick<Backend, "conv2d" | "unary" | "maxPool2d" | "copy">, x: View, w: View, bias: View | null, out: View, indices: View | null,
  p: ConvParams, pool: PoolParams | null, convShape: readonly number[],
): void {
  const y: View = { data: allocate(out.dtype, numel(convShape)), dtype: out.dtype, shape: [...convShape], strides: contiguousStrides(convShape), offset: 0 };
  b.conv2d(x, w, bias, y, p);
  b.unary("relu", y, y);
  if (!pool) return b.copy(y, out);
  b.maxPool2d(y, out, indices, pool);
}

/**
 * conv2dReluPool's backward as its definition: ReLU's mask, the bias gradient, maxPool2dBackward
 * (when pooled), then the two conv gradients, through `b` (the js backend, or the wasm backend's fallback).
 */
export function conv2dReluPoolBackward(
  b: Pick<Backend, "binary" | "reduce" | "maxPool2dBackward" | "conv2dBackwardInput" | "conv2dBackwardWeight">,
  g: View, output: View, indices: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null,
  p: ConvParams, convShape: readonly number[],
): void {
  const dense = (shape: readonly number[]): View => ({ data: allocate(g.dtype, numel(shape)), dtype: g.dtype, shape: [...shape], strides: contiguousStrides(shape), offset: 0 });
  const gm = dense(output.shape);
  b.binary("reluBackward", output, g, gm);
  if (gb) b.reduce("sum", gm, [0, 2, 3], gb);
  let gy = gm;
  if (indices) {
    gy = dense(convShape);
    b.maxPool2dBackward(gm, indices, gy);
  }
  if (gw) b.conv2dBackwardWeight(x, gy, gw, p);
  if (gx) b.conv2dBackwardInput(gy, w, gx, p);
}
