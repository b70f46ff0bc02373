/** The `probs` or `logits` parameter pair of the discrete families (Bernoulli, Geometric, Categorical, Binomial...). */
import { Tensor } from "../core.js";
import { describe } from "../tensor/check.js";
import { readOptions, type DistributionOptions } from "./distribution.js";

/** The options of a family parameterized by probs or logits. */
export interface ProbsOptions extends DistributionOptions {
  probs?: Tensor | number | null;
  logits?: Tensor | number | null;
}

const isBag = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Tensor);

/**
 * PyTorch's (probs=None, logits=None, validate_args=None): positionally, or in one trailing options
 * object, exactly one of the two given.
 */
export function probsOrLogits(dist: string, args: readonly unknown[]): { probs?: Tensor | number; logits?: Tensor | number; validateArgs?: boolean } {
  const a = [...args];
  while (a.length && a[a.length - 1] === undefined) a.pop();
  const o = a.length && isBag(a[a.length - 1]) ? readOptions<ProbsOptions>(dist, a.pop(), ["probs", "logits", "validateArgs"]) : {};
  if (a.length > 2) throw new Error(`${dist}: takes probs and logits positionally and then an options object, got ${a.length} positional arguments`);
  const [pp, lp] = a;
  if (pp != null && o.probs != null) throw new Error(`${dist}: probs was given both positionally and in the options; give it once`);
  if (lp != null && o.logits != null) throw new Error(`${dist}: logits was given both positionally and in the options; give it once`);
  const probs = (pp ?? o.probs ?? undefined) as Tensor | number | undefined;
  const logits = (lp ?? o.logits ?? undefined) as Tensor | number | undefined;
  if ((probs === undefined) === (logits === undefined)) {
    throw new Error(`${dist}: give either probs or logits, not ${probs === undefined ? "neither" : "both"}: new ${dist}(probs) or new ${dist}({ logits })`);
  }
  for (const [n, v] of [["probs", probs], ["logits", logits]] as const) {
    if (v !== undefined && !(v instanceof Tensor) && typeof v !== "number") throw new Error(`${dist}: ${n} must be a Tensor or a number, got ${describe(v)}`);
  }
  return { probs, logits, validateArgs: o.validateArgs };
}
