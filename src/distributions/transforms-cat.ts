/**
 * PyTorch 1.13's CatTransform and StackTransform: a sequence of transforms, each applied to its own
 * slice of the input along `dim` (slices of `lengths[i]` as torch.cat, or single indices as
 * torch.stack), with the results joined the same way.
 *
 * ```ts
 * const t = new CatTransform([new ExpTransform(), identityTransform], 0, [2, 3]);
 * t.call(x);                        // exp of x[0:2], x[2:5] as it is
 * new StackTransform([new ExpTransform(), new SigmoidTransform()], 1).call(y);   // y[:, 0], y[:, 1]
 * ```
 */
import { Tensor, cat, stack } from "../core.js";
import { describe } from "../tensor/check.js";
import * as constraints from "./constraints.js";
import { Transform } from "./transforms.js";

/** PyTorch's Transform.event_dim: the domain's, which must equal the codomain's. */
function eventDimOf(t: Transform, fn: string): number {
  const d = t.domain.eventDim, c = t.codomain.eventDim;
  if (d !== c) throw new Error(`${fn}: ${t.constructor.name}'s domain and codomain have different event dims (${d}, ${c})`);
  return d;
}

function sumRightmost(x: Tensor, n: number): Tensor {
  for (let i = 0; i < n; i++) x = x.sum(-1);
  return x;
}

function checkSeq(fn: string, tseq: readonly Transform[]): void {
  if (!Array.isArray(tseq) || !tseq.length || !tseq.every((t) => t instanceof Transform)) throw new Error(`${fn}: tseq must be a non-empty array of Transforms, got ${describe(tseq)}`);
}

function checkAlong(fn: string, v: Tensor, dim: number, size: number, what: string): void {
  if (dim < -v.ndim || dim >= v.ndim) throw new Error(`${fn}: dim ${dim} is out of range for a tensor of ${v.ndim} dims`);
  if (v.shape.at(dim) !== size) throw new Error(`${fn}: the tensor's size ${v.shape.at(dim)} along dim ${dim} is not ${what} (${size})`);
}

/** tseq[i] maps the slice of lengths[i] (default 1 each) along dim; the results are concatenated there. */
export class CatTransform extends Transform {
  readonly transforms: Transform[];
  readonly lengths: number[];
  constructor(tseq: readonly Transform[], readonly dim = 0, lengths?: readonly number[]) {
    super();
    checkSeq("CatTransform", tseq);
    if (!Number.isInteger(dim)) throw new Error(`CatTransform: dim must be an integer, got ${describe(dim)}`);
    const lens = lengths ? [...lengths] : tseq.map(() => 1);
    if (lens.length !== tseq.length || !lens.every((l) => Number.isInteger(l) && l >= 0)) throw new Error(`CatTransform: lengths must be ${tseq.length} non-negative integers (one per transform), got ${describe(lengths)}`);
    this.transforms = [...tseq];
    this.lengths = lens;
  }
  get eventDim(): number {
    return Math.max(...this.transforms.map((t) => eventDimOf(t, "CatTransform")));
  }
  get length(): number {
    return this.lengths.reduce((a, b) => a + b, 0);
  }
  override get bijective(): boolean {
    return this.transforms.every((t) => t.bijective);
  }
  override get domain(): constraints.Constraint {
    return constraints.cat(this.transforms.map((t) => t.domain), this.dim, this.lengths);
  }
  override get codomain(): constraints.Constraint {
    return constraints.cat(this.transforms.map((t) => t.codomain), this.dim, this.lengths);
  }
  /** f(transform, slice i of each tensor) for every transform, in order. */
  private slices<T>(fn: string, vs: Tensor[], f: (t: Transform, s: Tensor[]) => T): T[] {
    for (const v of vs) checkAlong(fn, v, this.dim, this.length, "the sum of lengths");
    let start = 0;
    return this.transforms.map((t, i) => {
      const s = vs.map((v) => v.narrow(this.dim, start, this.lengths[i]));
      start += this.lengths[i];
      return f(t, s);
    });
  }
  protected override forward(x: Tensor): Tensor {
    return cat(this.slices("CatTransform.call", [x], (t, [s]) => t.call(s)), this.dim);
  }
  override inverse(y: Tensor): Tensor {
    return cat(this.slices("CatTransform.inverse", [y], (t, [s]) => t.inverse(s)), this.dim);
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const e = this.eventDim;
    const parts = this.slices("CatTransform.logAbsDetJacobian", [x, y], (t, [xs, ys]) => sumRightmost(t.logAbsDetJacobian(xs, ys), e - eventDimOf(t, "CatTransform")));
    // As PyTorch: a dim left of the event dims stays and the pieces are concatenated; inside them, they are summed.
    const d = (this.dim >= 0 ? this.dim - x.ndim : this.dim) + e;
    return d < 0 ? cat(parts, d) : parts.reduce((a, b) => a.add(b));
  }
  override equals(other: Transform): boolean {
    return other instanceof CatTransform && other.dim === this.dim && other.lengths.join() === this.lengths.join() && other.transforms.length === this.transforms.length && this.transforms.every((t, i) => t.equals(other.transforms[i]));
  }
}

/** tseq[i] maps x.select(dim, i); the results are stacked along dim. */
export class StackTransform extends Transform {
  readonly transforms: Transform[];
  constructor(tseq: readonly Transform[], readonly dim = 0) {
    super();
    checkSeq("StackTransform", tseq);
    if (!Number.isInteger(dim)) throw new Error(`StackTransform: dim must be an integer, got ${describe(dim)}`);
    this.transforms = [...tseq];
  }
  override get bijective(): boolean {
    return this.transforms.every((t) => t.bijective);
  }
  override get domain(): constraints.Constraint {
    return constraints.stack(this.transforms.map((t) => t.domain), this.dim);
  }
  override get codomain(): constraints.Constraint {
    return constraints.stack(this.transforms.map((t) => t.codomain), this.dim);
  }
  private slices<T>(fn: string, vs: Tensor[], f: (t: Transform, s: Tensor[]) => T): T[] {
    for (const v of vs) checkAlong(fn, v, this.dim, this.transforms.length, "the number of transforms");
    return this.transforms.map((t, i) => f(t, vs.map((v) => v.select(this.dim, i))));
  }
  protected override forward(x: Tensor): Tensor {
    return stack(this.slices("StackTransform.call", [x], (t, [s]) => t.call(s)), this.dim);
  }
  override inverse(y: Tensor): Tensor {
    return stack(this.slices("StackTransform.inverse", [y], (t, [s]) => t.inverse(s)), this.dim);
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return stack(this.slices("StackTransform.logAbsDetJacobian", [x, y], (t, [xs, ys]) => t.logAbsDetJacobian(xs, ys)), this.dim);
  }
  override equals(other: Transform): boolean {
    return other instanceof StackTransform && other.dim === this.dim && other.transforms.length === this.transforms.length && this.transforms.every((t, i) => t.equals(other.transforms[i]));
  }
}
