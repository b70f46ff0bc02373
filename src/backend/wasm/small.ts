/**
 * Small float32 elementwise ops computed in JavaScript: below SMALL_ELEMENTS, staging into the arena
 * and calling into wasm costs more than the arithmetic (an add of two [64] tensors is mostly that
 * overhead). Each result is bitwise the kernel's, so which path ran never shows.
 */
import type { BinaryOp, UnaryOp, View } from "../backend.js";
import { dense } from "../js/strided.js";
import { numel } from "../../tensor/shape.js";
import { SMALL_ELEMENTS } from "./thresholds.js";
import { isF32 } from "./views.js";

const SMALL_BINARY = new Set<BinaryOp>(["add", "sub", "mul", "div", "reluBackward"]);
// And these unary ops, whose float32 results JavaScript gets exactly (sign flips, a max with 0, one rounded product).
const SMALL_UNARY = new Set<UnaryOp>(["relu", "neg", "abs", "square"]);
const allZero = (s: readonly number[]) => s.every((v) => v === 0);

/**
 * Small float32 add/sub/mul/div/reluBackward on dense or scalar-broadcast operands; false when the
 * op or operands do not qualify. Bitwise the same as the kernel: each of these operations on two
 * float32 values, done in double precision and rounded once to float32, is the correctly rounded
 * float32 result.
 */
export function smallBinary(op: BinaryOp, a: View, b: View, out: View): boolean {
  const n = numel(out.shape);
  if (n > SMALL_ELEMENTS || !SMALL_BINARY.has(op) || !isF32(a, b, out) || !dense(out)) return false;
  const sa = dense(a) ? 1 : allZero(a.strides) ? 0 : -1, sb = dense(b) ? 1 : allZero(b.strides) ? 0 : -1;
  if (sa < 0 || sb < 0) return false;
  const x = a.data as Float32Array, y = b.data as Float32Array, o = out.data as Float32Array;
  let i = a.offset, j = b.offset, k = out.offset;
  const end = k + n;
  if (op === "add") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] + y[j];
  else if (op === "sub") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] - y[j];
  else if (op === "mul") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] * y[j];
  else if (op === "div") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] / y[j];
  else for (; k < end; k++, i += sa, j += sb) o[k] = x[i] <= 0 ? 0 : y[j];
  return true;
}

/**
 * Small dense float32 relu/neg/abs/square, as smallBinary: bitwise the kernel's result (relu is
 * x < 0 ? 0 : x, as f32x4.pmax(x, 0): NaN and -0 pass through; a product of two float32 values is
 * exact in double precision, so storing it rounds once, as the f32 multiply does).
 */
export function smallUnary(op: UnaryOp, x: View, out: View): boolean {
  const n = numel(out.shape);
  if (n > SMALL_ELEMENTS || !SMALL_UNARY.has(op) || !isF32(x, out) || !dense(x) || !dense(out)) return false;
  const a = x.data as Float32Array, o = out.data as Float32Array;
  let i = x.offset, k = out.offset;
  const end = k + n;
  if (op === "relu") {
    for (; k < end; k++, i++) {
      const v = a[i];
      o[k] = v < 0 ? 0 : v;
    }
  } else if (op === "neg") for (; k < end; k++, i++) o[k] = -a[i];
  else if (op === "abs") for (; k < end; k++, i++) o[k] = Math.abs(a[i]);
  else {
    for (; k < end; k++, i++) {
      const v = a[i];
      o[k] = v * v;
    }
  }
  return true;
}
