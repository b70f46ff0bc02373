/**
 * Numerical integration along a dim by the trapezoidal rule: `trapezoid` (and PyTorch's older name
 * `trapz`) and `cumulativeTrapezoid`, as torch.trapezoid and torch.cumulative_trapezoid. They are
 * composites of slices, sums and cumsums written in the order of PyTorch's formulas (so the float32
 * roundings fall where its do), and differentiable through them, in y and in x.
 *
 * ```ts
 * trapezoid(tensor([1, 2, 4]));                          // 4.5: spacing 1
 * trapezoid(y, { dx: 0.5, dim: 0 });                     // constant spacing along dim 0
 * trapezoid(y, x);                                       // sample points x (1-D along dim, or y's shape)
 * cumulativeTrapezoid(tensor([1, 2, 4]));                // [1.5, 4.5]
 * ```
 */
import { declareOptions, describe, optionKeys } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { fmt, normalizeDim } from "../tensor/shape.js";
import { zeros } from "../tensor/creation.js";
import { add, div, mul, sub } from "./binary.js";
import { cumsum, sum } from "./reduce.js";
import { reshape, select, slice } from "./shape.js";

/** Options of trapezoid and cumulativeTrapezoid: PyTorch's x (also positional, second), dx and dim (keyword-only there). */
export interface TrapezoidOptions {
  /** The sample points: 1-D with one per element along dim, or broadcastable with y. */
  x?: Tensor;
  /** The constant spacing when x is not given (default 1): a number or a 0-d tensor. */
  dx?: number | Tensor;
  /** The dim to integrate along (default -1). */
  dim?: number;
}

const TRAPEZOID_KEYS = optionKeys<TrapezoidOptions>()({ x: true, dx: true, dim: true });
declareOptions({ trapezoid: TRAPEZOID_KEYS, trapz: TRAPEZOID_KEYS, cumulativeTrapezoid: TRAPEZOID_KEYS });

interface Parsed { x: Tensor | null; dx: number; dim: number }

/** The (y, x?, options?) arguments of both functions, checked; dim wrapped against y. */
function parse(op: string, y: Tensor, xArg: unknown, optsArg: unknown): Parsed {
  let x: Tensor | null = null;
  let opts: TrapezoidOptions;
  if (xArg instanceof Tensor) {
    x = xArg;
    opts = (optsArg ?? {}) as TrapezoidOptions;
    if (opts.x !== undefined) throw new Error(`${op}: x was given both positionally and in the options; give it once`);
  } else {
    if (optsArg !== undefined) throw new Error(`${op}: the second argument is x (a Tensor of sample points) or the options object, got ${describe(xArg)}`);
    opts = (xArg ?? {}) as TrapezoidOptions;
    if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new Error(`${op}: x must be a Tensor of sample points (or give { dx }), got ${describe(xArg)}`);
    if (opts.x !== undefined && !(opts.x instanceof Tensor)) throw new Error(`${op}: x must be a Tensor of sample points, got ${describe(opts.x)}`);
    x = opts.x ?? null;
  }
  if (x !== null && opts.dx !== undefined) throw new Error(`${op}: give either x (the sample points) or dx (a constant spacing), not both`);
  let dx = 1;
  if (opts.dx !== undefined) {
    // PyTorch's dx is a Scalar: a number, or a 0-d tensor read as one.
    const raw: unknown = opts.dx;
    const v: unknown = raw instanceof Tensor && raw.ndim === 0 ? Number(raw.item()) : raw;
    if (typeof v !== "number" || Number.isNaN(v)) throw new Error(`${op}: dx must be a real number, got ${describe(opts.dx)}`);
    dx = v;
  }
  const dimArg = opts.dim ?? -1;
  if (!Number.isInteger(dimArg)) throw new Error(`${op}: dim must be an integer, got ${describe(dimArg)}`);
  if (y.ndim === 0) throw new Error(`${op}: y must have at least one dim to integrate along, got a 0-d tensor`);
  const dim = normalizeDim(dimArg, y.ndim, op);
  if (y.dtype === "bool" || x?.dtype === "bool") throw new Error(`${op}: bool ${y.dtype === "bool" ? "y" : "x"} is not supported (as PyTorch); convert it with .float()`);
  return { x, dx, dim };
}

/**
 * x's differences along dim, shaped to broadcast against y's (as at::trapezoid: a 1-D x is laid
 * along dim, a shorter one gets leading 1s, and the differences broadcast after they are taken).
 */
function spacing(op: string, y: Tensor, x: Tensor, dim: number): Tensor {
  let xv: Tensor;
  if (x.ndim === 1) {
    if (x.shape[0] !== y.shape[dim]) {
      throw new Error(`${op}: there must be one x value for each sample point: x has ${x.shape[0]}, y ${fmt(y.shape)} has ${y.shape[dim]} along dim ${dim}`);
    }
    xv = reshape(x, y.shape.map((s, d) => (d === dim ? s : 1)));
  } else if (x.ndim < y.ndim) {
    xv = reshape(x, [...new Array<number>(y.ndim - x.ndim).fill(1), ...x.shape]);
  } else xv = x;
  if (dim >= xv.ndim) throw new Error(`${op}: x ${fmt(x.shape)} has no dim ${dim}`);
  return sub(slice(xv, dim, 1), slice(xv, dim, 0, -1));
}

/**
 * `trapezoid(y, x?, { dx, dim })`: the trapezoidal rule's integral of y along dim (default -1), with
 * sample points x or a constant spacing dx (default 1), as torch.trapezoid. The result drops dim; an
 * empty dim integrates to 0. Integer y gives a float result, as PyTorch.
 */
export function trapezoid(y: Tensor, x?: Tensor | TrapezoidOptions, opts?: TrapezoidOptions): Tensor {
  return trapezoidAs("trapezoid", y, x, opts);
}

/** `trapz(y, x?, { dx, dim })`: PyTorch's older name of trapezoid. */
export function trapz(y: Tensor, x?: Tensor | TrapezoidOptions, opts?: TrapezoidOptions): Tensor {
  return trapezoidAs("trapz", y, x, opts);
}

function trapezoidAs(op: string, y: Tensor, xArg: unknown, optsArg: unknown): Tensor {
  const { x, dx, dim } = parse(op, y, xArg, optsArg);
  // NumPy's answer for no samples: zeros over the other dims (y's dtype).
  if (y.shape[dim] === 0) return zeros(y.shape.filter((_, d) => d !== dim), { dtype: y.dtype });
  if (x !== null) {
    const d = spacing(op, y, x, dim);
    return div(sum(mul(d, add(slice(y, dim, 0, -1), slice(y, dim, 1))), dim), 2);
  }
  // at::trapezoid's constant-spacing form: dx·(Σy − (y₀ + yₙ)/2).
  return mul(sub(sum(y, dim), mul(add(select(y, dim, 0), select(y, dim, -1)), 0.5)), dx);
}

/**
 * `cumulativeTrapezoid(y, x?, { dx, dim })`: the running trapezoidal integral along dim (one value
 * fewer than y has there), as torch.cumulative_trapezoid.
 */
export function cumulativeTrapezoid(y: Tensor, x?: Tensor | TrapezoidOptions, opts?: TrapezoidOptions): Tensor {
  const op = "cumulativeTrapezoid";
  const { x: xs, dx, dim } = parse(op, y, x, opts);
  const pairs = add(slice(y, dim, 0, -1), slice(y, dim, 1));
  if (xs !== null) return div(cumsum(mul(pairs, spacing(op, y, xs, dim)), dim), 2);
  return cumsum(mul(pairs, dx / 2), dim);
}
