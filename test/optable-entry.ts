/** One op-table entry (see test/optable.ts); in its own module so family tables can import it. */
import type { Tensor } from "../src/index.js";

export interface OpEntry {
  /** Unique; also the fixture key. */
  name: string;
  fn: (...inputs: Tensor[]) => Tensor;
  /** false: no gradient to check (bool/int results, index outputs). Default true. */
  differentiable?: boolean;
  /** Extra tolerance for forward comparisons (added to the defaults). */
  atol?: number;
  /** Inputs sit on kinks or ties: skip finite-difference checks (the PyTorch gradients still apply). */
  kinks?: boolean;
  /** false: the gradient itself is not differentiable (the op throws for it, tested separately). */
  secondOrder?: false;
}

export const E = (name: string, fn: OpEntry["fn"], opts: Omit<OpEntry, "name" | "fn"> = {}): OpEntry => ({ name, fn, ...opts });
