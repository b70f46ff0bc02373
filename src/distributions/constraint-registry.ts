/**
 * torch.distributions.biject_to and transform_to, as `bijectTo(constraint)` and
 * `transformTo(constraint)`: the transform from unconstrained reals onto a constraint's set, for
 * optimizing a constrained parameter through an unconstrained one. bijectTo gives bijections (for
 * densities: simplex by stick breaking), transformTo any suitable map (simplex by softmax, lower
 * Cholesky factors). `bijectTo.register(kindOrConstraint, factory)` adds one, as PyTorch's register.
 *
 * ```ts
 * const t = transformTo(constraints.positive);   // ExpTransform
 * const scale = t.call(rawScale);                 // always > 0
 * ```
 */
import { describe } from "../tensor/check.js";
import * as constraints from "./constraints.js";
import { CatTransform, StackTransform } from "./transforms-cat.js";
import {
  AffineTransform, ComposeTransform, CorrCholeskyTransform, ExpTransform, IndependentTransform, LowerCholeskyTransform, SigmoidTransform, SoftmaxTransform,
  StickBreakingTransform, identityTransform, type Transform,
} from "./transforms.js";

type Factory = (c: constraints.Constraint) => Transform;

/** A registry of factories by constraint kind (or by one constraint object). */
export interface ConstraintRegistry {
  (constraint: constraints.Constraint): Transform;
  register(kindOrConstraint: string | constraints.Constraint, factory: Factory): Factory;
}

function registry(name: string): ConstraintRegistry {
  const byKind = new Map<string, Factory>();
  const byObject = new Map<constraints.Constraint, Factory>();
  const lookup = ((c: constraints.Constraint): Transform => {
    if (!(c instanceof constraints.Constraint)) throw new Error(`${name}: constraint must be a Constraint (distributions.constraints.positive, ...), got ${describe(c)}`);
    const f = byObject.get(c) ?? byKind.get(c.kind);
    if (!f) throw new Error(`${name}: no transform is registered for the constraint ${c.description} (kind '${c.kind}'); add one with distributions.${name}.register('${c.kind}', (c) => transform)`);
    return f(c);
  }) as ConstraintRegistry;
  lookup.register = (key, factory) => {
    if (typeof factory !== "function") throw new Error(`${name}.register: factory must be a function (constraint) => Transform, got ${describe(factory)}`);
    if (typeof key === "string") byKind.set(key, factory);
    else if (key instanceof constraints.Constraint) byObject.set(key, factory);
    else throw new Error(`${name}.register: the key must be a constraint kind (a string) or a Constraint, got ${describe(key)}`);
    return factory;
  };
  return lookup;
}

export const bijectTo = registry("bijectTo");
export const transformTo = registry("transformTo");

const num = (c: constraints.Constraint, k: string): number => c.params[k] as number;

for (const r of [bijectTo, transformTo]) {
  r.register("real", () => identityTransform);
  r.register("positive", () => new ExpTransform());
  r.register("nonnegative", () => new ExpTransform());
  r.register("greaterThan", (c) => new ComposeTransform([new ExpTransform(), new AffineTransform(num(c, "lowerBound"), 1)]));
  r.register("greaterThanEq", (c) => new ComposeTransform([new ExpTransform(), new AffineTransform(num(c, "lowerBound"), 1)]));
  r.register("lessThan", (c) => new ComposeTransform([new ExpTransform(), new AffineTransform(num(c, "upperBound"), -1)]));
  const interval = (c: constraints.Constraint): Transform => {
    const lo = c.params.lowerBound as number, hi = c.params.upperBound as number;
    if (lo === 0 && hi === 1) return new SigmoidTransform();
    if (typeof lo !== "number" || typeof hi !== "number") throw new Error("transformTo: an interval with tensor bounds has no registered transform; build ComposeTransform([SigmoidTransform, AffineTransform(low, high - low)])");
    return new ComposeTransform([new SigmoidTransform(), new AffineTransform(lo, hi - lo)]);
  };
  r.register("interval", interval);
  r.register("halfOpenInterval", interval);
}
bijectTo.register("independent", (c) => new IndependentTransform(bijectTo(c.params.base as constraints.Constraint), c.params.n as number));
transformTo.register("independent", (c) => new IndependentTransform(transformTo(c.params.base as constraints.Constraint), c.params.n as number));
bijectTo.register("simplex", () => new StickBreakingTransform());
transformTo.register("simplex", () => new SoftmaxTransform());
transformTo.register("lowerCholesky", () => new LowerCholeskyTransform());
bijectTo.register("corrCholesky", () => new CorrCholeskyTransform());
transformTo.register("corrCholesky", () => new CorrCholeskyTransform());
for (const r of [bijectTo, transformTo]) {
  r.register("cat", (c) => new CatTransform((c.params.cseq as constraints.Constraint[]).map((x) => r(x)), c.params.dim as number, c.params.lengths as number[]));
  r.register("stack", (c) => new StackTransform((c.params.cseq as constraints.Constraint[]).map((x) => r(x)), c.params.dim as number));
}
