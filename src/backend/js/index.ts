/**
 * The js backend: plain TypeScript reference kernels for every dtype. It is the executable
 * specification that faster backends are tested against, and the fallback where they are missing.
 * Arithmetic is done in double precision and rounded once when stored.
 */
import type {
  AdamParams, Backend, BinaryOp, ConvParams, ParamUnaryOp, PoolParams, ReduceOp, ScanOp, SgdParams, UnaryOp, View,
} from "../backend.js";
import { type TypedArray, allocate, isIntegral, toInt64 } from "../../tensor/dtype.js";
import { numel } from "../../tensor/shape.js";
import * as conv from "./conv.js";
import * as sorting from "./sort.js";
import * as int64 from "./int64.js";
import { isBig, toBigInt64, widenToInt64, writeBig } from "./int64.js";
import { digamma, erf, erfc, erfinv, floorDivide, gelu, geluF32, geluTanh, lgamma, logaddexp, remainder, sigmoid, trigamma } from "./math.js";
import { roundHalfEven } from "../../tensor/rounding.js";
import { dense, offsets, permuted, toFloat64, writeFrom } from "./strided.js";

const unaryFns: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // sign(-0) = +0 and sign(NaN) = 0, as PyTorch
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  // x < 0 ? 0 : x, as PyTorch: relu(-0) is -0 and NaN passes through.
  relu: (x) => (x < 0 ? 0 : x),
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  logicalNot: (x) => (x !== 0 ? 0 : 1), // NaN counts as true (PyTorch, and .bool())
  gelu,
  geluTanh,
  tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan, sinh: Math.sinh, cosh: Math.cosh,
  asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh, log2: Math.log2, log10: Math.log10,
  exp2: (x) => 2 ** x, trunc: Math.trunc, erfc, erfinv, lgamma, digamma, trigamma,
};

const paramFns: Record<ParamUnaryOp, (x: number, p: number, q: number) => number> = {
  leakyRelu: (x, p) => (x > 0 ? x : x * p),
  // (eˣ − 1)·α as PyTorch's kernel (not expm1): +0 at x = -0 and below |x| ~ 1e-16, as PyTorch's.
  elu: (x, p) => (x > 0 ? x : p * (Math.exp(x) - 1)),
  // min(max(x, lo), hi) as C++'s std::min/std::max (PyTorch's clamp): -0 clamped at 0 stays -0 (Math.max
  // would give +0), NaN passes through, and lo > hi gives hi.
  clamp: (x, lo, hi) => {
    const m = x < lo ? lo : x;
    return hi < m ? hi : m;
  },
  powScalar: (x, p) => Math.pow(x, p),
  isClose: (x, tol) => (Math.abs(x) <= tol ? 1 : 0),
};

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  remainder,
  atan2: Math.atan2,
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
  reluBackward: (y, g) => (y <= 0 ? 0 : g),
  fmod: (a, b) => a % b, // JavaScript's % is C's fmod (the result has the dividend's sign)
  floorDivide,
  hypot: Math.hypot,
  logaddexp,
};

/** Calls f(i, storageIndex) for each element of v in row-major order. */
function each(v: View, f: (i: number, at: number) => void): void {
  const n = numel(v.shape);
  if (dense(v)) for (let i = 0; i < n; i++) f(i, v.offset + i);
  else {
    const off = offsets(v);
    for (let i = 0; i < n; i++) f(i, off[i]);
  }
}

/** Integer results wrap modulo 2^bits as PyTorch's (the typed array's store truncates and wraps); bool stores are 0/1. */
function store(out: View, values: Float64Array): void {
  if (out.dtype === "bool") for (let i = 0; i < values.length; i++) values[i] = values[i] !== 0 ? 1 : 0;
  writeFrom(out, values);
}

/**
 * Elements as the data-moving kernels (gather, scatter, where, ...) carry them: doubles, or for an
 * int64 view its exact bigints. Those kernels only copy and add elements, and an int64 output is fed
 * from int64 sources (the ops cast first), so the two kinds never mix.
 */
type Elements = Float64Array;
function readElements(v: View): Elements {
  return (isBig(v) ? toBigInt64(v) : toFloat64(v)) as unknown as Elements;
}
function newElements(like: View, n: number): Elements {
  return (isBig(like) ? new BigInt64Array(n) : new Float64Array(n)) as unknown as Elements;
}
function storeElements(out: View, values: Elements): void {
  const v = values as Float64Array | BigInt64Array;
  if (v instanceof BigInt64Array) writeBig(out, v);
  else store(out, v);
}

/** Splits v's dims into (kept, reduced) and returns offsets of each kept position's first element plus the reduced walk. */
function splitAxes(x: View, axes: readonly number[]): { outer: Int32Array; inner: Int32Array } {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptView = permuted({ shape: x.shape, strides: x.strides, offset: x.offset }, kept);
  const redView = permuted({ shape: x.shape, strides: x.strides, offset: 0 }, [...axes]);
  return { outer: offsets(keptView), inner: offsets(redView) };
}

/** One row's max shift m (0 for an all -inf row): log-softmax's stable shift. */
function rowMax(x: TypedArray, row: number, sc: number, C: number): number {
  let m = -Infinity;
  for (let c = 0; c < C; c++) m = Math.max(m, x[row + c * sc]);
  return m === -Infinity ? 0 : m;
}

// One row's exp(x − m), reused by every crossEntropyBackward call: the kernels write their outputs
// directly (the contract's outputs are contiguous), so a training step's loss allocates no
// temporaries (a fresh Float64Array each, with its own backing store, cost more than the arithmetic).
let rowExp = new Float64Array(16);

/** Element i of a 1-D view as a number (an int64 target's bigint included). */
const at = (v: View, i: number): number => Number(v.data[v.offset + i * v.strides[0]]);

export class JsBackend implements Backend {
  readonly name = "js";

  copy(src: View, out: View): void {
    // int64 to anything, exactly (a narrower integer wraps modulo 2^bits, a float rounds once).
    if (isBig(src)) return writeBig(out, toBigInt64(src));
    if (widenToInt64(src, out)) return;
    const d = src.data as TypedArray;
    const v = new Float64Array(numel(src.shape));
    each(src, (i, at) => (v[i] = d[at]));
    // PyTorch (x86) casts a float to a narrow int through int32, where NaN and values beyond int32
    // become -2^31, whose low bits are 0: so 1e10 and NaN give 0 in int16/int8/uint8, not 1e10 mod 2^16.
    if ((out.dtype === "int16" || out.dtype === "int8" || out.dtype === "uint8") && (src.dtype === "float32" || src.dtype === "float64")) {
      for (let i = 0; i < v.length; i++) if (!(v[i] > -2147483649 && v[i] < 2147483648)) v[i] = 0;
    }
    store(out, v);
  }

  fill(out: View, value: number): void {
    const d = out.data;
    if (d instanceof BigInt64Array) {
      const v = toInt64(value);
      each(out, (_, at) => (d[at] = v));
    } else each(out, (_, at) => (d[at] = value));
  }

  unary(op: UnaryOp, x: View, out: View): void {
    if (int64.unary(op, x, out)) return;
    const f = op === "gelu" && out.dtype !== "float64" ? geluF32 : unaryFns[op];
    const v = toFloat64(x);
    for (let i = 0; i < v.length; i++) v[i] = f(v[i]);
    store(out, v);
  }

  unaryParam(op: ParamUnaryOp, x: View, out: View, p: number, q: number): void {
    if (int64.unaryParam(op, x, out, p, q)) return;
    const f = paramFns[op];
    const v = toFloat64(x);
    for (let i = 0; i < v.length; i++) v[i] = f(v[i], p, q);
    store(out, v);
  }

  binary(op: BinaryOp, a: View, b: View, out: View): void {
    if (int64.binary(op, a, b, out)) return;
    const f = binaryFns[op];
    const va = toFloat64(a);
    const vb = toFloat64(b);
    if (isIntegral(out.dtype) && (op === "div" || op === "remainder")) {
      for (let i = 0; i < va.length; i++) if (vb[i] === 0) throw new RangeError(`${op}: integer division by zero`);
    }
    for (let i = 0; i < va.length; i++) va[i] = f(va[i], vb[i]);
    if (isIntegral(out.dtype) && op === "div") for (let i = 0; i < va.length; i++) va[i] = Math.floor(va[i]);
    store(out, va);
  }

  where(cond: View, a: View, b: View, out: View): void {
    const c = toFloat64(cond);
    const va = readElements(a);
    const vb = readElements(b);
    for (let i = 0; i < c.length; i++) va[i] = c[i] ? va[i] : vb[i];
    storeElements(out, va);
  }

  reduce(op: ReduceOp, x: View, axes: readonly number[], out: View): void {
    const { outer, inner } = splitAxes(x, axes);
    // Integer sums and products accumulate in int64 (PyTorch's), exactly.
    if (isBig(x) || isBig(out)) return int64.reduce(op, x, outer, inner, out);
    const d = x.data as TypedArray;
    const res = new Float64Array(outer.length);
    for (let o = 0; o < outer.length; o++) {
      const base = outer[o];
      let acc = op === "sum" ? 0 : op === "prod" ? 1 : op === "max" ? -Infinity : Infinity;
      for (let j = 0; j < inner.length; j++) {
        const v = d[base + inner[j]];
        if (op === "sum") acc += v;
        else if (op === "prod") acc *= v;
        else if (Number.isNaN(v) || (op === "max" ? v > acc : v < acc)) acc = v;
        if (Number.isNaN(acc) && (op === "max" || op === "min")) break;
      }
      res[o] = acc;
    }
    store(out, res);
  }

  argReduce(op: "argmax" | "argmin", x: View, axis: number, out: View): void {
    const { outer, inner } = splitAxes(x, [axis]);
    if (isBig(x)) return int64.argReduce(op, x, outer, inner, out);
    const d = x.data as TypedArray;
    const res = new Float64Array(outer.length);
    for (let o = 0; o < outer.length; o++) {
      let best = d[outer[o] + inner[0]], arg = 0;
      for (let j = 1; j < inner.length && !Number.isNaN(best); j++) {
        const v = d[outer[o] + inner[j]];
        if (Number.isNaN(v) || (op === "argmax" ? v > best : v < best)) { best = v; arg = j; }
      }
      res[o] = arg;
    }
    store(out, res);
  }

  cumsum(x: View, axis: number, out: View): void {
    if (isBig(x) || isBig(out)) return int64.scan("sum", x, axis, out, null);
    this.scanAlong(x, axis, out, (line) => {
      for (let j = 1; j < line.length; j++) line[j] += line[j - 1];
    });
  }

  scan(op: ScanOp, x: View, axis: number, out: View, indices: View | null): void {
    if ((isBig(x) || isBig(out)) && op !== "logsumexp") return int64.scan(op, x, axis, out, indices);
    sorting.scan(op, x, axis, out, indices);
  }

  sort(x: View, axis: number, descending: boolean, values: View, indices: View): void {
    if (isBig(x)) return int64.sort(x, axis, descending, values, indices);
    sorting.sort(x, axis, descending, values, indices);
  }

  softmax(x: View, axis: number, log: boolean, out: View): void {
    this.scanAlong(x, axis, out, (line) => {
      let m = -Infinity;
      for (const v of line) if (v > m) m = v;
      if (m === -Infinity) m = 0;
      let s = 0;
      for (const v of line) s += Math.exp(v - m);
      const lse = Math.log(s);
      for (let j = 0; j < line.length; j++) line[j] = log ? line[j] - m - lse : Math.exp(line[j] - m) / s;
    });
  }

  /** Applies `f` in place to each 1-D line of x along `axis`, writing the results to contiguous out. */
  private scanAlong(x: View, axis: number, out: View, f: (line: Float64Array) => void): void {
    const v = toFloat64(x);
    const len = x.shape[axis];
    const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outerN = len === 0 ? 0 : v.length / (len * inner);
    const line = new Float64Array(len);
    for (let o = 0; o < outerN; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        for (let j = 0; j < len; j++) line[j] = v[base + j * inner];
        f(line);
        for (let j = 0; j < len; j++) v[base + j * inner] = line[j];
      }
    }
    store(out, v);
  }

  matmul(a: View, b: View, out: View): void {
    if (isBig(a)) return int64.matmul(a, b, out);
    const [B, M, K] = a.shape;
    const N = b.shape[2];
    const [sab, sam, sak] = a.strides;
    const [sbb, sbk, sbn] = b.strides;
    const ad = a.data as TypedArray, bd = b.data as TypedArray;
    const res = new Float64Array(B * M * N);
    const row = new Float64Array(N);
    for (let bi = 0; bi < B; bi++) {
      for (let i = 0; i < M; i++) {
        row.fill(0);
        const aRow = a.offset + bi * sab + i * sam;
        for (let k = 0; k < K; k++) {
          const av = ad[aRow + k * sak];
          const bRow = b.offset + bi * sbb + k * sbk;
          for (let j = 0; j < N; j++) row[j] += av * bd[bRow + j * sbn];
        }
        res.set(row, (bi * M + i) * N);
      }
    }
    store(out, res);
  }

  linear(x: View, w: View, bias: View | null, out: View, relu = false): void {
    const [M, K] = x.shape;
    const N = w.shape[0];
    const out3 = { ...out, shape: [1, M, N], strides: [0, ...out.strides] };
    this.matmul(
      { ...x, shape: [1, M, K], strides: [0, ...x.strides] },
      { ...w, shape: [1, K, N], strides: [0, w.strides[1], w.strides[0]] },
      out3,
    );
    // The bias goes on after the product is rounded, as in the unfused composition.
    if (bias) this.binary("add", out, { ...bias, shape: [M, N], strides: [0, bias.strides[0]] }, out);
    if (relu) this.unary("relu", out, out);
  }

  linearBackward(g: View, output: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null): void {
    const [M, N] = g.shape;
    const K = x.shape[1];
    let gm = g;
    if (output) {
      gm = { data: allocate(g.dtype, M * N), dtype: g.dtype, shape: [M, N], strides: [N, 1], offset: 0 };
      this.binary("reluBackward", output, g, gm);
    }
    const b3 = (v: View, rows: number, cols: number, rs: number, cs: number): View => ({ ...v, shape: [1, rows, cols], strides: [0, rs, cs] });
    if (gx) this.matmul(b3(gm, M, N, gm.strides[0], gm.strides[1]), b3(w, N, K, w.strides[0], w.strides[1]), b3(gx, M, K, gx.strides[0], gx.strides[1]));
    if (gw) this.matmul(b3(gm, N, M, gm.strides[1], gm.strides[0]), b3(x, M, K, x.strides[0], x.strides[1]), b3(gw, N, K, gw.strides[0], gw.strides[1]));
    if (gb) this.reduce("sum", gm, [0], gb);
  }

  crossEntropy(x: View, target: View, ignoreIndex: number, out: View): void {
    const [N, C] = x.shape;
    const xd = x.data as TypedArray, sc = x.strides[1];
    const o = out.data as TypedArray;
    for (let i = 0; i < N; i++) {
      const t = at(target, i);
      const k = out.offset + i * out.strides[0];
      if (t === ignoreIndex) {
        o[k] = 0;
        continue;
      }
      const row = x.offset + i * x.strides[0];
      const m = rowMax(xd, row, sc, C);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(xd[row + c * sc] - m);
      o[k] = m + Math.log(s) - xd[row + t * sc];
    }
  }

  crossEntropyBackward(x: View, target: View, g: View, ignoreIndex: number, out: View): void {
    const [N, C] = x.shape;
    const xd = x.data as TypedArray, sc = x.strides[1];
    const o = out.data as TypedArray, so = out.strides[1];
    if (rowExp.length < C) rowExp = new Float64Array(C);
    const e = rowExp;
    for (let i = 0; i < N; i++) {
      const t = at(target, i);
      const base = out.offset + i * out.strides[0];
      if (t === ignoreIndex) {
        for (let c = 0; c < C; c++) o[base + c * so] = 0;
        continue;
      }
      const row = x.offset + i * x.strides[0];
      const m = rowMax(xd, row, sc, C);
      let s = 0;
      for (let c = 0; c < C; c++) s += e[c] = Math.exp(xd[row + c * sc] - m);
      const gi = at(g, i);
      for (let c = 0; c < C; c++) o[base + c * so] = gi * (e[c] / s - (c === t ? 1 : 0));
    }
  }

  gather(x: View, axis: number, index: View, out: View): void {
    const idx = toFloat64(index);
    const res = newElements(x, idx.length);
    const xd = x.data as Elements;
    forEachCoord(index.shape, (coord, i) => {
      let at = x.offset;
      for (let d = 0; d < coord.length; d++) at += (d === axis ? idx[i] : coord[d]) * x.strides[d];
      res[i] = xd[at];
    });
    storeElements(out, res);
  }

  scatterAdd(out: View, axis: number, index: View, src: View): void {
    this.scatterWith(out, axis, index, src, (o, v) => o + v);
  }

  scatter(out: View, axis: number, index: View, src: View): void {
    this.scatterWith(out, axis, index, src, (_, v) => v);
  }

  private scatterWith(out: View, axis: number, index: View, src: View, combine: (o: number, v: number) => number): void {
    const idx = toFloat64(index);
    const s = src.data as Elements, od = out.data as Elements;
    forEachCoord(index.shape, (coord, i) => {
      let at = out.offset, from = src.offset;
      for (let d = 0; d < coord.length; d++) {
        at += (d === axis ? idx[i] : coord[d]) * out.strides[d];
        from += coord[d] * src.strides[d];
      }
      // int64: both are bigints, whose + is exact and whose store wraps modulo 2^64.
      od[at] = combine(od[at], s[from]);
    });
  }

  indexSelect(x: View, axis: number, index: View, out: View): void {
    const idx = toFloat64(index);
    const outShape = out.shape;
    const res = newElements(x, numel(outShape));
    const xd = x.data as Elements;
    forEachCoord(outShape, (coord, i) => {
      let at = x.offset;
      for (let d = 0; d < coord.length; d++) at += (d === axis ? idx[coord[d]] : coord[d]) * x.strides[d];
      res[i] = xd[at];
    });
    storeElements(out, res);
  }

  indexAdd(out: View, axis: number, index: View, src: View): void {
    const idx = toFloat64(index);
    const od = out.data as Elements, sd = src.data as Elements;
    forEachCoord(src.shape, (coord, i) => {
      let at = out.offset, from = src.offset;
      for (let d = 0; d < coord.length; d++) {
        at += (d === axis ? idx[coord[d]] : coord[d]) * out.strides[d];
        from += coord[d] * src.strides[d];
      }
      void i;
      od[at] += sd[from]; // int64: bigint + bigint, see scatterWith
    });
  }

  conv2d(x: View, w: View, bias: View | null, out: View, p: ConvParams): void {
    conv.conv2d(x, w, bias, out, p);
  }
  conv2dBackwardInput(gy: View, w: View, out: View, p: ConvParams): void {
    conv.conv2dBackwardInput(gy, w, out, p);
  }
  conv2dBackwardWeight(x: View, gy: View, out: View, p: ConvParams): void {
    conv.conv2dBackwardWeight(x, gy, out, p);
  }
  conv2dReluPool(x: View, w: View, bias: View | null, out: View, indices: View | null, p: ConvParams, pool: PoolParams | null, convShape: readonly number[]): void {
    conv.conv2dReluPool(this, x, w, bias, out, indices, p, pool, convShape);
  }

  conv2dReluPoolBackward(
    g: View, output: View, indices: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null,
    p: ConvParams, convShape: readonly number[],
  ): void {
    conv.conv2dReluPoolBackward(this, g, output, indices, x, w, gx, gw, gb, p, convShape);
  }
  maxPool2d(x: View, out: View, indices: View | null, p: PoolParams): void {
    conv.maxPool2d(x, out, indices, p);
  }
  maxPool2dBackward(gy: View, indices: View, out: View): void {
    conv.maxPool2dBackward(gy, indices, out);
  }
  avgPool2d(x: View, out: View, p: PoolParams): void {
    conv.avgPool2d(x, out, p);
  }
  avgPool2dBackward(gy: View, out: View, p: PoolParams): void {
    conv.avgPool2dBackward(gy, out, p);
  }

  sgdUpdate(param: TypedArray, grad: TypedArray, buf: TypedArray | null, p: SgdParams): void {
    for (let i = 0; i < param.length; i++) {
      // PyTorch adds the decay term only when it is not 0 (0 · inf would turn an inf parameter into NaN).
      let d = p.weightDecay !== 0 ? grad[i] + p.weightDecay * param[i] : grad[i];
      if (buf) {
        buf[i] = p.firstStep ? d : p.momentum * buf[i] + (1 - p.dampening) * d;
        d = p.nesterov ? d + p.momentum * buf[i] : buf[i];
      }
      param[i] -= p.lr * d;
    }
  }

  adamUpdate(param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, maxV: TypedArray | null, p: AdamParams): void {
    const bc1 = 1 - Math.pow(p.beta1, p.step);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(p.beta2, p.step));
    const stepSize = p.lr / bc1;
    for (let i = 0; i < param.length; i++) {
      let g = grad[i];
      if (p.decoupled) param[i] *= 1 - p.lr * p.weightDecay;
      else if (p.weightDecay !== 0) g += p.weightDecay * param[i];
      m[i] = p.beta1 * m[i] + (1 - p.beta1) * g;
      v[i] = p.beta2 * v[i] + (1 - p.beta2) * g * g;
      let vv = v[i];
      if (maxV) vv = maxV[i] = Math.max(maxV[i], vv);
      param[i] -= (stepSize * m[i]) / (Math.sqrt(vv) / bc2Sqrt + p.eps);
    }
  }
}

/** Calls f(coordinate, rowMajorIndex) for every position of `shape` (coordinate is reused: copy to keep). */
function forEachCoord(shape: readonly number[], f: (coord: number[], i: number) => void): void {
  const n = numel(shape);
  const coord = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    f(coord, i);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coord[d] < shape[d]) break;
      coord[d] = 0;
    }
  }
}
