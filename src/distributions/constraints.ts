/**
 * torch.distributions.constraints: what a parameter or a sample must satisfy. A constraint is a
 * predicate over the last `eventDim` dimensions of a tensor (elementwise when 0), and a phrase that
 * says it in an error ("positive (> 0)"). Distributions check their parameters against them at
 * construction and samples against their support in logProb/cdf, when validateArgs is on (PyTorch's
 * default).
 *
 * ```ts
 * constraints.positive.check(tensor([1, -1]));   // bool [true, false]
 * new Normal(0, -1);                            // Error: Normal: scale must be positive (> 0), got -1 ...
 * ```
 */
import { Tensor, noGrad, zerosLike, zeros, linalg, isclose, cat as catTensors, stack as stackTensors } from "../core.js";
import { describe } from "../tensor/check.js";

export class Constraint {
  constructor(
    /** How an error message says it: "positive (> 0)". */
    readonly description: string,
    private readonly predicate: (v: Tensor) => Tensor,
    /** How many rightmost dimensions make one event (0: elementwise, 1: vectors, 2: matrices). */
    readonly eventDim = 0,
    readonly isDiscrete = false,
    /** Which constraint it is ("positive", "interval", ...) and its parameters, for bijectTo / transformTo. */
    readonly kind = "custom",
    readonly params: Readonly<Record<string, unknown>> = {},
  ) {}

  /** A bool tensor, true where `value` satisfies the constraint (value's shape less eventDim dims). */
  check(value: Tensor): Tensor {
    return noGrad(() => this.predicate(value.detach()));
  }

  toString(): string {
    return this.description;
  }
}

const num = (b: number): string => (Number.isInteger(b) ? String(b) : String(b));

export const real = new Constraint("a real number (not NaN)", (v) => v.eq(v), 0, false, "real");
export const positive = new Constraint("positive (> 0)", (v) => v.gt(0), 0, false, "positive");
export const nonnegative = new Constraint("non-negative (>= 0)", (v) => v.ge(0), 0, false, "nonnegative");
export const unitInterval = new Constraint("in [0, 1]", (v) => v.ge(0).logicalAnd(v.le(1)), 0, false, "interval", { lowerBound: 0, upperBound: 1 });
export const boolean = new Constraint("0 or 1", (v) => v.eq(0).logicalOr(v.eq(1)), 0, true, "boolean");
export const nonnegativeInteger = new Constraint("a non-negative integer", (v) => v.remainder(1).eq(0).logicalAnd(v.ge(0)), 0, true, "nonnegativeInteger");
export const realVector = new Constraint("a vector of real numbers (no NaN)", (v) => v.eq(v).all(-1), 1, false, "independent", { base: real, n: 1 });

export function greaterThan(lower: number): Constraint {
  return new Constraint(`greater than ${num(lower)}`, (v) => v.gt(lower), 0, false, "greaterThan", { lowerBound: lower });
}
export function greaterThanEq(lower: number): Constraint {
  return new Constraint(`at least ${num(lower)}`, (v) => v.ge(lower), 0, false, "greaterThanEq", { lowerBound: lower });
}
export function lessThan(upper: number): Constraint {
  return new Constraint(`less than ${num(upper)}`, (v) => v.lt(upper), 0, false, "lessThan", { upperBound: upper });
}
/** The closed interval [low, high]; the bounds may be tensors (Uniform's support). */
export function interval(low: Tensor | number, high: Tensor | number): Constraint {
  const d = typeof low === "number" && typeof high === "number" ? `in [${num(low)}, ${num(high)}]` : "in [low, high]";
  return new Constraint(d, (v) => v.ge(low instanceof Tensor ? low.detach() : low).logicalAnd(v.le(high instanceof Tensor ? high.detach() : high)), 0, false, "interval", { lowerBound: low, upperBound: high });
}
export function halfOpenInterval(low: number, high: number): Constraint {
  return new Constraint(`in [${num(low)}, ${num(high)})`, (v) => v.ge(low).logicalAnd(v.lt(high)), 0, false, "halfOpenInterval", { lowerBound: low, upperBound: high });
}
/** Integers in [low, high]; high may be a tensor (Binomial's totalCount). */
export function integerInterval(low: number, high: Tensor | number): Constraint {
  const d = typeof high === "number" ? `an integer in [${low}, ${high}]` : `an integer in [${low}, totalCount]`;
  return new Constraint(d, (v) => v.remainder(1).eq(0).logicalAnd(v.ge(low)).logicalAnd(v.le(high instanceof Tensor ? high.detach() : high)), 0, true);
}

/** Non-negative vectors summing to 1 (within 1e-6, as PyTorch). */
export const simplex = new Constraint("a probability vector (non-negative, summing to 1)", (v) => v.ge(0).all(-1).logicalAnd(v.sum(-1).sub(1).abs().lt(1e-6)), 1, false, "simplex");
export const oneHot = new Constraint("a one-hot vector", (v) => v.eq(0).logicalOr(v.eq(1)).all(-1).logicalAnd(v.sum(-1).eq(1)), 1, true, "oneHot");
export const lowerCholesky = new Constraint("lower triangular with a positive diagonal", (v) => {
  const lowerTri = v.tril().eq(v).all(-1).all(-1);
  const posDiag = v.diagonal(0, -2, -1).gt(0).all(-1);
  return lowerTri.logicalAnd(posDiag);
}, 2, false, "lowerCholesky");
/** Square matrices (bool of the batch). */
export const square = new Constraint("a square matrix", (v) => fullBool(v, v.shape.at(-1) === v.shape.at(-2)), 2, false, "square");
/** Square and equal to its transpose within isclose's default tolerances (PyTorch's symmetric). */
export const symmetric = new Constraint("a symmetric matrix", (v) => {
  if (v.shape.at(-1) !== v.shape.at(-2)) return fullBool(v, false);
  return isclose(v, v.mT, { atol: 1e-6 }).all(-2).all(-1);
}, 2, false, "symmetric");
export const positiveDefinite = new Constraint("symmetric positive definite", (v) => {
  const { info } = linalg.choleskyEx(v);
  return symmetric.check(v).logicalAnd(info.eq(zerosLike(info)));
}, 2, false, "positiveDefinite");
export const positiveSemidefinite = new Constraint("symmetric positive semidefinite", (v) => symmetric.check(v).logicalAnd(linalg.eigvalsh(v).ge(0).all(-1)), 2, false, "positiveSemidefinite");
export const lowerTriangular = new Constraint("lower triangular", (v) => v.tril().eq(v).all(-1).all(-1), 2, false, "lowerTriangular");
export const positiveInteger = new Constraint("a positive integer", (v) => v.remainder(1).eq(0).logicalAnd(v.ge(1)), 0, true, "positiveInteger");
/** Non-negative vectors summing to at most upperBound (PyTorch's multinomial constraint, which checks no more). */
export function multinomial(upperBound: number): Constraint {
  return new Constraint(`non-negative counts summing to at most ${upperBound}`, (v) => v.ge(0).all(-1).logicalAnd(v.sum(-1).le(upperBound)), 1, true, "multinomial", { upperBound });
}

/** A bool tensor of v's batch (its shape less the last two dims) filled with b. */
function fullBool(v: Tensor, b: boolean): Tensor {
  return zeros(v.shape.slice(0, -2)).add(b ? 1 : 0).to("bool");
}

/** `independent(real, 1)`: base checked elementwise, then all of the n rightmost dims must pass. */
export function independent(base: Constraint, n: number): Constraint {
  return new Constraint(base.description, (v) => {
    let r = base.check(v);
    for (let i = 0; i < n; i++) r = r.all(-1);
    return r;
  }, base.eventDim + n, base.isDiscrete, "independent", { base, n });
}

/** Lower-triangular with a positive diagonal and unit-length rows: Cholesky factors of correlation matrices. */
export const corrCholesky = new Constraint("the Cholesky factor of a correlation matrix (lower triangular, positive diagonal, unit rows)", (v) => {
  const tol = (v.dtype === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7) * v.shape[v.ndim - 1] * 10;
  const unitRows = v.square().sum(-1).sqrt().sub(1).abs().le(tol).all(-1);
  return lowerCholesky.check(v).logicalAnd(unitRows);
}, 2, false, "corrCholesky");

function checkSeq(fn: string, cseq: readonly Constraint[]): void {
  if (!Array.isArray(cseq) || !cseq.length || !cseq.every((c) => c instanceof Constraint)) throw new Error(`constraints.${fn}: cseq must be a non-empty array of Constraints, got ${describe(cseq)}`);
}
function checkDim(fn: string, dim: number, v: Tensor): void {
  if (!Number.isInteger(dim) || dim < -v.ndim || dim >= v.ndim) throw new Error(`constraints.${fn}: dim ${dim} is out of range for a value of ${v.ndim} dims`);
}

/** PyTorch's constraints.cat: cseq[i] checks the slice of lengths[i] (default 1) along dim; the checks are concatenated there. */
export function cat(cseq: readonly Constraint[], dim = 0, lengths?: readonly number[]): Constraint {
  checkSeq("cat", cseq);
  const lens = lengths ? [...lengths] : cseq.map(() => 1);
  if (lens.length !== cseq.length || !lens.every((l) => Number.isInteger(l) && l >= 0)) throw new Error(`constraints.cat: lengths must be ${cseq.length} non-negative integers, got ${describe(lengths)}`);
  if (!Number.isInteger(dim)) throw new Error(`constraints.cat: dim must be an integer, got ${describe(dim)}`);
  const total = lens.reduce((a, b) => a + b, 0);
  return new Constraint(`each slice along dim ${dim}: ${cseq.map((c) => c.description).join("; ")}`, (v) => {
    checkDim("cat", dim, v);
    if (v.shape.at(dim) !== total) throw new Error(`constraints.cat: the value's size ${v.shape.at(dim)} along dim ${dim} is not the sum of lengths (${total})`);
    let start = 0;
    return catTensors(cseq.map((c, i) => c.check(v.narrow(dim, (start += lens[i]) - lens[i], lens[i]))), dim);
  }, Math.max(...cseq.map((c) => c.eventDim)), cseq.some((c) => c.isDiscrete), "cat", { cseq: [...cseq], dim, lengths: lens });
}

/** PyTorch's constraints.stack: cseq[i] checks value.select(dim, i); the checks are stacked along dim. */
export function stack(cseq: readonly Constraint[], dim = 0): Constraint {
  checkSeq("stack", cseq);
  if (!Number.isInteger(dim)) throw new Error(`constraints.stack: dim must be an integer, got ${describe(dim)}`);
  let eventDim = Math.max(...cseq.map((c) => c.eventDim));
  if (dim + eventDim < 0) eventDim += 1;
  return new Constraint(`each slice along dim ${dim}: ${cseq.map((c) => c.description).join("; ")}`, (v) => {
    checkDim("stack", dim, v);
    if (v.shape.at(dim) !== cseq.length) throw new Error(`constraints.stack: the value's size ${v.shape.at(dim)} along dim ${dim} is not the number of constraints (${cseq.length})`);
    return stackTensors(cseq.map((c, i) => c.check(v.select(dim, i))), dim);
  }, eventDim, cseq.some((c) => c.isDiscrete), "stack", { cseq: [...cseq], dim });
}
