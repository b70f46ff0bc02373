/**
 * Exact int64 kernels. int64 tensors are stored in BigInt64Array, and PyTorch's integer arithmetic is
 * exact modulo 2^64: doubles hold integers exactly only up to 2^53, so every kernel whose int64 result
 * is an integer (arithmetic, comparisons, reductions, scans, sorting, matmul) computes here in bigint.
 * A BigInt64Array store wraps modulo 2^64 (ToBigInt64), which is PyTorch's overflow behaviour.
 * Kernels whose int64 input feeds a floating result (exp, mean, ...) read it as doubles instead
 * (strided.ts's toFloat64 rounds each value to the nearest double, as PyTorch's int64 -> float64 cast).
 */
import type { BinaryOp, ReduceOp, ScanOp, UnaryOp, View } from "../backend.js";
import { DTYPE_INFO, isFloating } from "../../tensor/dtype.js";
import { numel } from "../../tensor/shape.js";
import { dense, offsets } from "./strided.js";
import { lines } from "./sort.js";

/** Whether a view's elements are bigints (an int64 view). */
export function isBig(v: View): boolean {
  return v.data instanceof BigInt64Array;
}

/** Reads an integer or bool view (any layout) into a contiguous BigInt64Array. */
export function toBigInt64(v: View): BigInt64Array {
  const n = numel(v.shape);
  const out = new BigInt64Array(n);
  const d = v.data;
  const off = dense(v) ? null : offsets(v);
  if (d instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = d[off ? off[i] : v.offset + i];
  else for (let i = 0; i < n; i++) out[i] = BigInt(d[off ? off[i] : v.offset + i]);
  return out;
}

// Whether this platform stores the low 32-bit word of an int64 first (every JS engine in use does).
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Copies a view of 32-bit-or-narrower integers or bools into a dense int64 `out` as word pairs (the
 * value and its sign extension), without a BigInt per element: `BigInt(x)` and the BigInt64Array
 * store cost about 50 ns per element (10 ms for the 200k max-pool indices maxPool2dWithIndices
 * returns), the word pair about 1 ns. Returns false (nothing written) for any other source or layout.
 */
export function widenToInt64(src: View, out: View): boolean {
  const d = src.data;
  if (!LITTLE_ENDIAN || !(out.data instanceof BigInt64Array) || !dense(out)) return false;
  if (!(d instanceof Int32Array || d instanceof Int16Array || d instanceof Int8Array || d instanceof Uint8Array || d instanceof Uint16Array)) return false;
  const n = numel(out.shape);
  const w = new Int32Array(out.data.buffer, out.data.byteOffset + out.offset * 8, 2 * n);
  const off = dense(src) ? null : offsets(src);
  // x >> 31 is the high word: -1 for a negative int32, 0 otherwise (unsigned sources are never negative).
  if (off) for (let i = 0; i < n; i++) { const x = d[off[i]]; w[2 * i] = x; w[2 * i + 1] = x >> 31; }
  else for (let i = 0, at = src.offset; i < n; i++, at++) { const x = d[at]; w[2 * i] = x; w[2 * i + 1] = x >> 31; }
  return true;
}

/**
 * Writes exact integers into `out` of any dtype: int64 takes them as they are, a narrower integer
 * type wraps modulo 2^bits (BigInt.asIntN, exact where going through a double would not be), bool
 * tests for non-zero and a float rounds to its nearest value.
 */
export function writeBig(out: View, values: BigInt64Array): void {
  const n = numel(out.shape);
  const d = out.data;
  const off = dense(out) ? null : offsets(out);
  const at = (i: number): number => (off ? off[i] : out.offset + i);
  if (d instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) d[at(i)] = values[i];
    return;
  }
  const bits = DTYPE_INFO[out.dtype].bits;
  if (out.dtype === "bool") for (let i = 0; i < n; i++) d[at(i)] = values[i] !== 0n ? 1 : 0;
  else if (bits > 0) for (let i = 0; i < n; i++) d[at(i)] = Number(BigInt.asIntN(bits, values[i]));
  else for (let i = 0; i < n; i++) d[at(i)] = Number(values[i]);
}

const abs = (a: bigint): bigint => (a < 0n ? -a : a);

/** Unary ops whose result on an integer is an integer; the others read int64 as doubles. */
const unaryBig: Partial<Record<UnaryOp, (x: bigint) => bigint>> = {
  neg: (x) => -x,
  abs,
  sign: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
  square: (x) => x * x,
  relu: (x) => (x > 0n ? x : 0n),
  floor: (x) => x,
  ceil: (x) => x,
  round: (x) => x,
  trunc: (x) => x,
  logicalNot: (x) => (x === 0n ? 1n : 0n),
};

/** Floor division (PyTorch's `//` and integer `div(..., roundingMode: "floor")`): rounds toward -inf. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b; // truncates toward zero
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Python's modulo: the result has the divisor's sign. */
function remainder(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/** Integer power as PyTorch computes it: exact modulo 2^64; a negative exponent of 1 or -1 is defined, of others an error. */
function pow(a: bigint, b: bigint): bigint {
  if (b >= 0n) {
    // Square-and-multiply with a wrap at every step keeps the operands at 64 bits.
    let r = 1n, base = BigInt.asIntN(64, a), e = b;
    while (e > 0n) {
      if (e & 1n) r = BigInt.asIntN(64, r * base);
      base = BigInt.asIntN(64, base * base);
      e >>= 1n;
    }
    return r;
  }
  if (a === 1n) return 1n;
  if (a === -1n) return (b & 1n) === 0n ? 1n : -1n;
  throw new RangeError("pow: integers to negative integer powers are not allowed (PyTorch raises too); cast to float first");
}

const bool = (c: boolean): bigint => (c ? 1n : 0n);

const binaryBig: Partial<Record<BinaryOp, (a: bigint, b: bigint) => bigint>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  // An integer `div` reaching a kernel is floor division (true division promotes to float first).
  div: floorDiv,
  floorDivide: floorDiv,
  remainder,
  fmod: (a, b) => a % b, // truncated: the result has the dividend's sign, as C's fmod
  pow,
  maximum: (a, b) => (a > b ? a : b),
  minimum: (a, b) => (a < b ? a : b),
  eq: (a, b) => bool(a === b),
  ne: (a, b) => bool(a !== b),
  lt: (a, b) => bool(a < b),
  le: (a, b) => bool(a <= b),
  gt: (a, b) => bool(a > b),
  ge: (a, b) => bool(a >= b),
  logicalAnd: (a, b) => bool(a !== 0n && b !== 0n),
  logicalOr: (a, b) => bool(a !== 0n || b !== 0n),
  logicalXor: (a, b) => bool((a !== 0n) !== (b !== 0n)),
};

/** out = op(x) exactly, when x is int64 and op has an integer result; false to use the double path. */
export function unary(op: UnaryOp, x: View, out: View): boolean {
  const f = unaryBig[op];
  if (!f || !isBig(x) || isFloating(out.dtype)) return false;
  const v = toBigInt64(x);
  for (let i = 0; i < v.length; i++) v[i] = f(v[i]);
  writeBig(out, v);
  return true;
}

/** clamp and integer powers of int64, exactly (bounds and exponent are numbers; bigint compares with them exactly). */
export function unaryParam(op: string, x: View, out: View, p: number, q: number): boolean {
  if (!isBig(x) || isFloating(out.dtype) || (op !== "clamp" && !(op === "powScalar" && Number.isInteger(p)))) return false;
  const v = toBigInt64(x);
  if (op === "clamp") {
    // Bounds of an integer clamp are integers here (the op casts them); ±Infinity means "no bound".
    for (let i = 0; i < v.length; i++) {
      if (v[i] < p) v[i] = BigInt(p);
      else if (v[i] > q) v[i] = BigInt(q);
    }
  } else {
    const e = BigInt(p);
    for (let i = 0; i < v.length; i++) v[i] = pow(v[i], e);
  }
  writeBig(out, v);
  return true;
}

/** out = op(a, b) exactly for int64 operands; false to use the double path (float results such as atan2). */
export function binary(op: BinaryOp, a: View, b: View, out: View): boolean {
  const f = binaryBig[op];
  if (!f || !isBig(a)) return false;
  const va = toBigInt64(a), vb = toBigInt64(b);
  if (op === "div" || op === "floorDivide" || op === "remainder" || op === "fmod") {
    for (let i = 0; i < vb.length; i++) if (vb[i] === 0n) throw new RangeError(`${op}: integer division by zero`);
  }
  for (let i = 0; i < va.length; i++) va[i] = f(va[i], vb[i]);
  writeBig(out, va);
  return true;
}

/**
 * Reduces an integer view into an int64 (or other integer) `out` exactly. `outer`/`inner` are the
 * kept positions' base offsets and the reduced walk (see index.ts's splitAxes).
 */
export function reduce(op: ReduceOp, x: View, outer: Int32Array, inner: Int32Array, out: View): void {
  const d = x.data;
  const big = d instanceof BigInt64Array;
  const res = new BigInt64Array(outer.length);
  // A sum of numbers that are all below 2^31 in magnitude stays exact in a double for up to 2^22 terms,
  // and a double add is ~50x faster than a bigint one: the common case (int32 labels, bool masks) takes it.
  if (op === "sum" && !big && inner.length <= 1 << 22) {
    for (let o = 0; o < outer.length; o++) {
      let acc = 0;
      const base = outer[o];
      for (let j = 0; j < inner.length; j++) acc += d[base + inner[j]] as number;
      res[o] = BigInt(acc);
    }
    writeBig(out, res);
    return;
  }
  const read = big ? (at: number): bigint => (d as BigInt64Array)[at] : (at: number): bigint => BigInt(d[at] as number);
  for (let o = 0; o < outer.length; o++) {
    const base = outer[o];
    // max/min of an empty line never reaches a kernel (the op raises, as PyTorch).
    let acc = op === "sum" || inner.length === 0 ? 0n : op === "prod" ? 1n : read(base + inner[0]);
    for (let j = 0; j < inner.length; j++) {
      const v = read(base + inner[j]);
      if (op === "sum") acc = BigInt.asIntN(64, acc + v);
      else if (op === "prod") acc = BigInt.asIntN(64, acc * v);
      else if (op === "max" ? v > acc : v < acc) acc = v;
    }
    res[o] = acc;
  }
  writeBig(out, res);
}

/** Index of the first max/min of each line of an int64 view (compared exactly). */
export function argReduce(op: "argmax" | "argmin", x: View, outer: Int32Array, inner: Int32Array, out: View): void {
  const d = x.data as BigInt64Array;
  const res = new BigInt64Array(outer.length);
  for (let o = 0; o < outer.length; o++) {
    let best = d[outer[o] + inner[0]], arg = 0;
    for (let j = 1; j < inner.length; j++) {
      const v = d[outer[o] + inner[j]];
      if (op === "argmax" ? v > best : v < best) {
        best = v;
        arg = j;
      }
    }
    res[o] = BigInt(arg);
  }
  writeBig(out, res);
}

/**
 * Running sum/prod/max/min along `axis` in bigint, for an int64 output (or an int64 input). For
 * max/min, `indices` gets the latest position of the running extremum, as the double kernel.
 */
export function scan(op: "sum" | ScanOp, x: View, axis: number, out: View, indices: View | null): void {
  const v = toBigInt64(x);
  const idx = new BigInt64Array(v.length);
  lines(x.shape, axis, (base, step, len) => {
    let acc = v[base], arg = 0;
    for (let j = 1; j < len; j++) {
      const at = base + j * step;
      const e = v[at];
      if (op === "sum") acc = BigInt.asIntN(64, acc + e);
      else if (op === "prod") acc = BigInt.asIntN(64, acc * e);
      else if (op === "max" ? e >= acc : e <= acc) {
        acc = e;
        arg = j;
      }
      v[at] = acc;
      idx[at] = BigInt(arg);
    }
  });
  writeBig(out, v);
  if (indices) writeBig(indices, idx);
}

/** Stable sort of each line of an int64 view, compared exactly (no NaN among integers). */
export function sort(x: View, axis: number, descending: boolean, values: View, indices: View): void {
  const v = toBigInt64(x);
  const outV = new BigInt64Array(v.length), outI = new BigInt64Array(v.length);
  lines(x.shape, axis, (base, step, len) => {
    const order = Array.from({ length: len }, (_, j) => j);
    // Array.prototype.sort is stable; ties keep their order in both directions, as PyTorch's stable sort.
    order.sort((i, j) => {
      const a = v[base + i * step], b = v[base + j * step];
      return a === b ? 0 : (a < b) !== descending ? -1 : 1;
    });
    for (let k = 0; k < len; k++) {
      outV[base + k * step] = v[base + order[k] * step];
      outI[base + k * step] = BigInt(order[k]);
    }
  });
  writeBig(values, outV);
  writeBig(indices, outI);
}

/** Batched matrix product of int64 [B,M,K] · [B,K,N] in bigint, wrapping modulo 2^64 as PyTorch's integer mm. */
export function matmul(a: View, b: View, out: View): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  const [sab, sam, sak] = a.strides;
  const [sbb, sbk, sbn] = b.strides;
  const ad = a.data as BigInt64Array, bd = b.data as BigInt64Array;
  const res = new BigInt64Array(B * M * N);
  for (let bi = 0; bi < B; bi++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0n;
        for (let k = 0; k < K; k++) acc += ad[a.offset + bi * sab + i * sam + k * sak] * bd[b.offset + bi * sbb + k * sbk + j * sbn];
        res[(bi * M + i) * N + j] = acc; // the store wraps modulo 2^64
      }
    }
  }
  writeBig(out, res);
}
