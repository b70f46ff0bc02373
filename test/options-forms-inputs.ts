/**
 * The inputs of the generated options-form test (test/options-forms-all.test.ts, written by
 * scripts/gen-options-forms-test.ts): the generator runs each call on these to decide what the
 * runtime accepts, and the test makes the same calls, so both see the same values.
 */
import * as dt from "../src/index.js";

/** Fresh inputs for one call (a backward consumes its graph, an in-place op changes its tensor). */
export function inputs() {
  const x = dt.tensor([[1.5, -2, 3, 0.5], [0.5, 4, -1, 2]]);
  return {
    x,
    /** Shape [2, 3, 4]: three dims for diagonal/diagEmbed/flatten/rot90. */
    x3: dt.arange(24).reshape([2, 3, 4]).float().sub(11.5),
    /** Shape [2, 3], for cross (a dim of size 3). */
    c: dt.tensor([[1, 2, 3], [-1, 0.5, 2]]),
    /** Shape [2, 1, 4], for squeeze. */
    s: dt.tensor([[[1, 2, 3, 4]], [[5, 6, 7, 8]]]),
    /** Non-negative int64 values, for bincount and oneHot. */
    ids: dt.tensor([1, 0, 3, 1]).long(),
    /** Int64 indices [2, 1] for takeAlongDim. */
    idx: dt.tensor([[2], [0]]).long(),
    /** Images [N, C, H, W] and a weight, for conv2d / convTranspose2d, and [N, C, L] for the 1-d ones. */
    img: dt.arange(32).reshape([1, 2, 4, 4]).float().div(8),
    w4: dt.ones([2, 2, 2, 2]).div(4),
    seq: dt.arange(8).reshape([1, 2, 4]).float().div(4),
    w3: dt.ones([2, 2, 2]).div(2),
    b2: dt.tensor([0.5, -0.5]),
    /** A weight [3, 4] and bias [3] for linear; an embedding table [5, 4]; a bilinear weight [3, 4, 4]. */
    wl: dt.arange(12).reshape([3, 4]).float().div(10),
    b3: dt.tensor([0.1, 0.2, 0.3]),
    table: dt.arange(20).reshape([5, 4]).float(),
    wbl: dt.ones([3, 4, 4]).div(16),
    /** Running statistics and affine parameters of 4 features (batchNorm over x) and of the last dim. */
    rm: dt.zeros([4]),
    rv: dt.ones([4]),
    g4: dt.tensor([1, 2, 1, 2]),
    b4: dt.tensor([0, 1, 0, 1]),
    /** A scalar loss whose graph reaches `leaf`, for backward. */
    leaf: (() => {
      const leaf = dt.tensor([1, 2, 3], { requiresGrad: true });
      return leaf;
    })(),
  };
}

export type Inputs = ReturnType<typeof inputs>;
