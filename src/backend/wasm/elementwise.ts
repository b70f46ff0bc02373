/**
 * The elementwise and reduction ops' glue: unary, binary, compare, cast, where, copy, reduce and
 * softmax on strided float32 views. Each function returns false where the kernels do not take the
 * op or its dtypes, and the backend then runs the js reference.
 */
import type { BinaryOp, ParamUnaryOp, ReduceOp, UnaryOp, View } from "../backend.js";
import { dense } from "../js/strided.js";
import { contiguousStrides, numel } from "../../tensor/shape.js";
import { BINARY, CASTS, COMPARE, REDUCE, T, UNARY } from "./codes.js";
import type { Session } from "./session.js";
import { smallBinary, smallUnary } from "./small.js";
import { PAR_ELEMENTS, PAR_MEMORY, unaryLimit } from "./thresholds.js";
import { coalesce, isBool, isF32, isStorage } from "./views.js";

/**
 * A 4-D strided elementwise task (`lead` args first) over same-shape operands into a fresh
 * contiguous result copied into `out`. compare, cast and where only move memory: one thread.
 */
function elementwise(s: Session, task: number, lead: number[], operands: View[], out: View): boolean {
  s.begin(numel(out.shape), PAR_MEMORY);
  const staged = operands.map((v) => s.stage(v));
  const c = coalesce(out.shape, [...staged.map((v) => v.strides), contiguousStrides(out.shape)], 4);
  if (!c) return false;
  const o = s.arena.alloc(numel(out.shape) * out.data.BYTES_PER_ELEMENT);
  const args = [...lead, ...c.shape];
  staged.forEach((v, k) => args.push(v.ptr, ...c.strides[k]));
  args.push(o);
  s.run(task, 1, args);
  s.unstage(o, out);
  return true;
}

/** unaryTask `op` of x into out in its own session. */
function unaryKernel(s: Session, op: number, x: View, out: View, p: number, q: number): boolean {
  const n = numel(x.shape);
  const nt = s.begin(n, unaryLimit(op));
  const sx = s.stage(x);
  const o = s.arena.alloc(n * 4);
  if (!s.unaryStaged(op, x.shape, sx, o, p, q, nt)) return false;
  s.unstage(o, out);
  return true;
}

/** The backend's copy: casts castTask does, float32 copies (dense ones without wasm). */
export function copy(s: Session, src: View, out: View): boolean {
  const cast = CASTS[`${src.dtype}>${out.dtype}`];
  if (cast !== undefined && isStorage(src) && isStorage(out) && elementwise(s, T.castTask, [cast], [src], out)) return true;
  if (!isF32(src, out)) return false;
  if (dense(src) && dense(out)) {
    const n = numel(src.shape);
    (out.data as Float32Array).set(src.data.subarray(src.offset, src.offset + n) as Float32Array, out.offset);
    return true;
  }
  return unaryKernel(s, UNARY.copy!, src, out, 0, 0);
}

/** The backend's fill of a dense float32 view (TypedArray.fill: no kernel needed). */
export function fill(out: View, value: number): boolean {
  if (out.dtype !== "float32" || !dense(out)) return false;
  (out.data as Float32Array).fill(value, out.offset, out.offset + numel(out.shape));
  return true;
}

/** The backend's unary op, small ones in JavaScript (small.ts). */
export function unary(s: Session, op: UnaryOp, x: View, out: View): boolean {
  if (smallUnary(op, x, out)) return true;
  const code = UNARY[op];
  return code !== undefined && isF32(x, out) && unaryKernel(s, code, x, out, 0, 0);
}

/** The backend's unary op with parameters p and q (leakyRelu, elu, clamp, powScalar). */
export function unaryParam(s: Session, op: ParamUnaryOp, x: View, out: View, p: number, q: number): boolean {
  const code = UNARY[op];
  return code !== undefined && isF32(x, out) && unaryKernel(s, code, x, out, p, q);
}

/** The backend's binary op (arithmetic into float32, comparisons into bool), small ones in JavaScript. */
export function binary(s: Session, op: BinaryOp, a: View, b: View, out: View): boolean {
  if (smallBinary(op, a, b, out)) return true;
  const cmp = COMPARE[op];
  if (cmp !== undefined && isF32(a, b) && isBool(out) && elementwise(s, T.compareTask, [cmp], [a, b], out)) return true;
  const code = BINARY[op];
  if (code === undefined || !isF32(a, b, out)) return false;
  const n = numel(out.shape);
  const nt = s.begin(n, op === "pow" ? PAR_ELEMENTS : PAR_MEMORY);
  const sa = s.stage(a), sb = s.stage(b);
  const o = s.arena.alloc(n * 4);
  if (!s.binaryStaged(code, out.shape, sa, sb, o, nt)) return false;
  s.unstage(o, out);
  return true;
}

/** The backend's where: float32 a or b by a bool condition. */
export function where(s: Session, cond: View, a: View, b: View, out: View): boolean {
  return isBool(cond) && isF32(a, b, out) && elementwise(s, T.whereTask, [], [cond, a, b], out);
}

/** The backend's reduce of float32 x over `axes` (kept and reduced dims each coalescing to 2). */
export function reduce(s: Session, op: ReduceOp, x: View, axes: readonly number[], out: View): boolean {
  if (!isF32(x, out) || numel(x.shape) === 0) return false;
  s.begin(numel(x.shape), PAR_MEMORY);
  const sx = s.stage(x);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const k = coalesce(kept.map((i) => x.shape[i]), [kept.map((i) => sx.strides[i])], 2);
  const r = coalesce(axes.map((i) => x.shape[i]), [axes.map((i) => sx.strides[i])], 2);
  if (!k || !r) return false;
  s.unstage(s.reduceStaged(REDUCE[op], k.shape, k.strides[0], r.shape, r.strides[0], sx.ptr), out);
  return true;
}

/** The backend's softmax (or log-softmax) of float32 x along `axis`. */
export function softmax(s: Session, x: View, axis: number, log: boolean, out: View): boolean {
  if (!isF32(x, out) || numel(x.shape) === 0) return false;
  const n = numel(x.shape);
  const nt = s.begin(n, PAR_ELEMENTS);
  const p = s.stageDense(x);
  const len = x.shape[axis];
  const inner = numel(x.shape.slice(axis + 1));
  const outer = numel(x.shape.slice(0, axis));
  const o = s.arena.alloc(n * 4);
  // Rows are the shares: never more shares than rows.
  s.run(T.softmaxTask, Math.min(nt, outer * inner), [outer, len, inner, p, o, log ? 1 : 0]);
  s.unstage(o, out);
  return true;
}
