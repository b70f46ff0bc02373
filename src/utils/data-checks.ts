/**
 * Checks of the data pipeline, for the bugs that train without an error:
 *
 * - `flipAlignmentProbe`: an augmentation that mirrors the image must mirror a spatial target (depth
 *   map, mask) with it. The probe pushes samples through the transform and asks, for every sample
 *   whose image came out mirrored: does the target that came out equal the mirror of the original
 *   target, i.e. target(flip(x)) = flip(target(x))? (exam 7.6)
 * - `batchHomogeneityCheck`: batches drawn from data stored in order (all day scenes, then all night
 *   scenes) hold one kind of sample each, so every step's gradient is biased towards that kind. The
 *   check compares how often a batch holds a single group with how often random batches would (exam 7.1).
 *
 * ```ts
 * const r = flipAlignmentProbe((s) => augment.apply(s), samples.slice(0, 32));
 * if (!r.ok) console.log(r.message);
 * ```
 */
import { checkKeys } from "../tensor/check.js";
import { Tensor, noGrad } from "../core.js";
import type { Diagnosis } from "./diagnostics.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const BATCH_HOMOGENEITY_CHECK_KEYS = ["margin"] as const;
const FLIP_ALIGNMENT_PROBE_KEYS = ["targetKey", "tol"] as const;

/** The result of `flipAlignmentProbe`. */
export interface FlipAlignmentReport extends Diagnosis {
  /** Samples pushed through the transform. */
  checked: number;
  /** Samples whose image came out mirrored left-right. */
  flipped: number;
  /** Mirrored samples whose target was not mirrored with the image. */
  misaligned: number;
  /** Samples whose image came out neither unchanged nor mirrored (other transforms; not judged). */
  skipped: number;
}

function same(a: Tensor, b: Tensor, tol: number): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  return noGrad(() => a.sub(b).abs().max().item()) <= tol;
}

/**
 * `flipAlignmentProbe(transform, samples)`: runs every `{image, <target>}` sample through
 * `transform` and checks that whenever the image comes out mirrored along its last (width) axis,
 * the target comes out mirrored too (and unchanged when the image is unchanged). The target key is
 * `opts.targetKey`, or the one other tensor entry of the sample. Flags the transform when any
 * mirrored image keeps its old target: the model is then taught that the mirrored scene has the
 * original scene's depth/mask.
 *
 * @example flipAlignmentProbe((s) => new RandomHorizontalFlip().apply(s), pairs).ok // true
 */
export function flipAlignmentProbe<S extends { image: Tensor }>(
  transform: (sample: S) => S, samples: readonly S[], opts: { targetKey?: string; tol?: number } = {},
): FlipAlignmentReport {
  checkKeys("flipAlignmentProbe", opts, FLIP_ALIGNMENT_PROBE_KEYS);
  if (samples.length === 0) throw new Error("flipAlignmentProbe: got no samples; pass a few (e.g. 32) samples of the dataset");
  const tol = opts.tol ?? 1e-6;
  const keyOf = (s: S): string => {
    if (opts.targetKey !== undefined) return opts.targetKey;
    const keys = Object.keys(s).filter((k) => k !== "image" && (s as Record<string, unknown>)[k] instanceof Tensor);
    if (keys.length !== 1) throw new Error(`flipAlignmentProbe: cannot tell the target among [${keys.join(", ")}]; pass { targetKey: "depth" }`);
    return keys[0];
  };
  let flipped = 0, misaligned = 0, skipped = 0;
  const bad: string[] = [];
  samples.forEach((s, i) => {
    const key = keyOf(s);
    const target = (s as Record<string, unknown>)[key] as Tensor;
    const out = transform(s);
    const outTarget = (out as Record<string, unknown>)[key];
    if (!(outTarget instanceof Tensor)) throw new Error(`flipAlignmentProbe: the transform's output has no tensor "${key}"`);
    const mirroredImage = s.image.flip(-1);
    const isFlipped = same(out.image, mirroredImage, tol) && !same(out.image, s.image, tol);
    if (isFlipped) {
      flipped++;
      if (!same(outTarget, target.flip(-1), tol)) { misaligned++; if (bad.length < 5) bad.push(String(i)); }
    } else if (same(out.image, s.image, tol)) {
      if (!same(outTarget, target, tol)) { misaligned++; if (bad.length < 5) bad.push(String(i)); }
    } else skipped++;
  });
  const ok = misaligned === 0;
  const message = ok
    ? flipped === 0
      ? `flipAlignmentProbe: no image of ${samples.length} came out mirrored, so nothing was judged (is the flip probability 0?).`
      : `flipAlignmentProbe: ${flipped} of ${samples.length} images came out mirrored, each with its target mirrored too: aligned.`
    : [
        `flipAlignmentProbe: ${misaligned} of ${flipped} mirrored images kept a target that was not mirrored with them (samples ${bad.join(", ")}${misaligned > bad.length ? ", ..." : ""}).`,
        "target(flip(x)) must equal flip(target(x)): the depth map or mask has to go through the same flip as the image,",
        "or the network is trained on scenes paired with their mirror image's targets. Apply the flip to the whole sample",
        "(RandomHorizontalFlip on {image, depth} does), not to the image alone.",
      ].join("\n");
  return { ok, flagged: ok ? [] : ["transform"], message, checked: samples.length, flipped, misaligned, skipped };
}

/** The result of `batchHomogeneityCheck`. */
export interface BatchHomogeneityReport extends Diagnosis {
  /** Fraction of batches whose samples all belong to one group. */
  singleGroupFraction: number;
  /** The same fraction expected for batches drawn at random from the same data. */
  expectedSingleGroupFraction: number;
  /** Mean share of a batch taken by its most common group. */
  meanMajorityShare: number;
}

/**
 * `batchHomogeneityCheck(batches)`: `batches` lists, per batch of an epoch, the group of every sample
 * (e.g. "day"/"night", a scene id, a class). Flags the loader when batches are single-group far more
 * often than random batches would be: the gradient of each step then points towards one group only
 * (shuffle the data, or sample batches across groups).
 *
 * @example batchHomogeneityCheck([["day","day"],["night","night"]]).ok // false
 */
export function batchHomogeneityCheck(batches: readonly (readonly (string | number)[])[], opts: { margin?: number } = {}): BatchHomogeneityReport {
  checkKeys("batchHomogeneityCheck", opts, BATCH_HOMOGENEITY_CHECK_KEYS);
  const full = batches.filter((b) => b.length > 1);
  if (full.length === 0) throw new Error("batchHomogeneityCheck: needs batches of at least 2 samples each; got none");
  const margin = opts.margin ?? 0.25;
  const counts = new Map<string | number, number>();
  let total = 0;
  for (const b of full) for (const g of b) { counts.set(g, (counts.get(g) ?? 0) + 1); total++; }
  const shares = [...counts.values()].map((c) => c / total);
  let single = 0, majority = 0, expected = 0;
  for (const b of full) {
    const c = new Map<string | number, number>();
    for (const g of b) c.set(g, (c.get(g) ?? 0) + 1);
    if (c.size === 1) single++;
    majority += Math.max(...c.values()) / b.length;
    expected += shares.reduce((a, p) => a + p ** b.length, 0);
  }
  const singleGroupFraction = single / full.length;
  const expectedSingleGroupFraction = expected / full.length;
  const ok = counts.size < 2 || singleGroupFraction <= expectedSingleGroupFraction + margin;
  const message = ok
    ? `batchHomogeneityCheck: ${(100 * singleGroupFraction).toFixed(0)}% of batches hold a single group (random batches: ${(100 * expectedSingleGroupFraction).toFixed(0)}%): mixed.`
    : [
        `batchHomogeneityCheck: ${(100 * singleGroupFraction).toFixed(0)}% of batches hold a single group, random batches would in ${(100 * expectedSingleGroupFraction).toFixed(0)}%.`,
        "Each step's gradient then follows one group (e.g. only daytime scenes) and the next group's steps pull the other way:",
        "the loss zig-zags and the model ends biased towards whatever came last. Shuffle (new DataLoader(dataset, { shuffle: true })).",
      ].join("\n");
  return { ok, flagged: ok ? [] : ["batches"], message, singleGroupFraction, expectedSingleGroupFraction, meanMajorityShare: majority / full.length };
}
