/**
 * Samplers decide which dataset indices a DataLoader reads, and in what order. Each iteration of a
 * random sampler draws a fresh order from its generator, so every epoch is shuffled differently,
 * yet a seeded generator makes the whole sequence of epochs reproducible.
 */
import { argError, checkOptions, optionKeys } from "../tensor/check.js";
import { type Generator } from "../core.js";
import { generatorOf } from "../tensor/creation.js";

/**
 * An iterable of dataset indices with a known count.
 *
 * ```ts
 * const everyOther: Sampler = { length: 5, *[Symbol.iterator]() { for (let i = 0; i < 10; i += 2) yield i; } };
 * ```
 */
export interface Sampler<I = number> extends Iterable<I> {
  readonly length: number;
}

function checkCount(n: number, what: string, op: string): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${op}: ${what} must be a non-negative integer, got ${n}`);
}

function lengthOf(source: number | { length: number }, fn: string): number {
  if (typeof source === "number") return source;
  if (source === null || typeof source !== "object" || typeof source.length !== "number") {
    throw argError(fn, "dataSource", "a dataset (anything with a numeric length) or a length", source);
  }
  return source.length;
}

function checkIndexList(fn: string, arg: string, v: unknown): void {
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<unknown>).length !== "number") throw argError(fn, arg, "an array of numbers", v);
}

const RANDOM_SAMPLER_KEYS = optionKeys<RandomSamplerOptions>()({ replacement: true, numSamples: true, generator: true });
const GENERATOR_KEYS = ["generator"] as const;
const WEIGHTED_KEYS = ["replacement", "generator"] as const;

/** A Fisher-Yates permutation of 0..n-1 drawn from `g`. */
export function permutation(n: number, g: Generator): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * Indices 0, 1, ..., n-1 in order (what an unshuffled DataLoader uses).
 *
 * ```ts
 * [...new SequentialSampler(3)]  // [0, 1, 2]
 * ```
 */
export class SequentialSampler implements Sampler {
  readonly length: number;

  constructor(dataSource: number | { length: number }) {
    this.length = lengthOf(dataSource, "SequentialSampler");
    checkCount(this.length, "the dataset length", "SequentialSampler");
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

export interface RandomSamplerOptions {
  /** Draw with replacement (indices may repeat). Default false: a permutation. */
  replacement?: boolean;
  /** How many indices per epoch; default the dataset length. Without replacement, more than the
   * length concatenates several permutations, as PyTorch does. */
  numSamples?: number;
  /** Default: the global generator (reseed it with `manualSeed`). */
  generator?: Generator;
}

/**
 * A random order of the dataset's indices, new every epoch (what `shuffle: true` uses).
 *
 * ```ts
 * const sampler = new RandomSampler(dataset, { generator: new Generator(0) });
 * ```
 */
export class RandomSampler implements Sampler {
  readonly dataLength: number;
  readonly replacement: boolean;
  readonly length: number;
  readonly generator: Generator;

  constructor(dataSource: number | { length: number }, opts: RandomSamplerOptions = {}) {
    this.dataLength = lengthOf(dataSource, "RandomSampler");
    checkCount(this.dataLength, "the dataset length", "RandomSampler");
    opts = checkOptions("RandomSampler", opts, "{ replacement: true, numSamples: 100 }", RANDOM_SAMPLER_KEYS);
    this.replacement = opts.replacement ?? false;
    this.length = opts.numSamples ?? this.dataLength;
    checkCount(this.length, "numSamples", "RandomSampler");
    if (this.length > 0 && this.dataLength === 0) throw new Error(`RandomSampler: cannot draw ${this.length} samples from an empty dataset`);
    this.generator = generatorOf("RandomSampler", opts.generator);
  }

  *[Symbol.iterator](): Iterator<number> {
    const g = this.generator;
    if (this.replacement) {
      for (let k = 0; k < this.length; k++) yield g.randint(0, this.dataLength);
      return;
    }
    let left = this.length;
    while (left > 0) {
      const perm = permutation(this.dataLength, g);
      for (let k = 0; k < perm.length && left > 0; k++, left--) yield perm[k];
    }
  }
}

/**
 * A random order of the given indices, new every epoch (e.g. a validation fold).
 *
 * ```ts
 * const sampler = new SubsetRandomSampler([0, 2, 4, 6], { generator: new Generator(1) });
 * ```
 */
export class SubsetRandomSampler implements Sampler {
  readonly indices: readonly number[];
  readonly generator: Generator;

  constructor(indices: ArrayLike<number>, opts: { generator?: Generator } = {}) {
    checkIndexList("SubsetRandomSampler", "indices", indices);
    opts = checkOptions("SubsetRandomSampler", opts, "{ generator }", GENERATOR_KEYS);
    this.indices = Array.from(indices);
    this.indices.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0) throw new Error(`SubsetRandomSampler: indices[${k}] = ${i} is not a valid dataset index`);
    });
    this.generator = generatorOf("SubsetRandomSampler", opts.generator);
  }

  get length(): number {
    return this.indices.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (const k of permutation(this.indices.length, this.generator)) yield this.indices[k];
  }
}

/**
 * Index `i` drawn with probability proportional to `weights[i]`: oversamples rare classes.
 *
 * ```ts
 * const sampler = new WeightedRandomSampler(labels.map((y) => 1 / classCount[y]), labels.length);
 * ```
 */
export class WeightedRandomSampler implements Sampler {
  readonly weights: Float64Array;
  readonly length: number;
  readonly replacement: boolean;
  readonly generator: Generator;
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>, numSamples: number, opts: { replacement?: boolean; generator?: Generator } = {}) {
    checkIndexList("WeightedRandomSampler", "weights", weights);
    opts = checkOptions("WeightedRandomSampler", opts, "{ replacement: false }", WEIGHTED_KEYS);
    this.weights = Float64Array.from(weights);
    checkCount(numSamples, "numSamples", "WeightedRandomSampler");
    this.length = numSamples;
    this.replacement = opts.replacement ?? true;
    this.generator = generatorOf("WeightedRandomSampler", opts.generator);
    let total = 0;
    let positive = 0;
    this.cumulative = new Float64Array(this.weights.length);
    this.weights.forEach((w, i) => {
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`WeightedRandomSampler: weights[${i}] = ${w}; weights must be finite and non-negative`);
      if (w > 0) positive++;
      this.cumulative[i] = total += w;
    });
    if (numSamples > 0 && total === 0) throw new Error("WeightedRandomSampler: all weights are zero; at least one must be positive");
    if (!this.replacement && numSamples > positive) {
      throw new Error(`WeightedRandomSampler: cannot draw ${numSamples} samples without replacement from ${positive} indices with positive weight; lower numSamples or set replacement: true`);
    }
  }

  *[Symbol.iterator](): Iterator<number> {
    const g = this.generator;
    if (this.replacement) {
      const c = this.cumulative;
      const total = c[c.length - 1];
      for (let k = 0; k < this.length; k++) {
        const u = g.random() * total;
        // First index whose cumulative weight exceeds u (skips zero-weight entries).
        let lo = 0;
        let hi = c.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (c[mid] > u) hi = mid;
          else lo = mid + 1;
        }
        yield lo;
      }
      return;
    }
    // Without replacement: the k largest of u^(1/w) keys (Efraimidis-Spirakis), one pass, exact.
    const keys: { i: number; key: number }[] = [];
    this.weights.forEach((w, i) => {
      if (w > 0) keys.push({ i, key: Math.log(g.random() || Number.MIN_VALUE) / w });
    });
    keys.sort((a, b) => b.key - a.key);
    for (let k = 0; k < this.length; k++) yield keys[k].i;
  }
}

/**
 * Groups another sampler's indices into lists of `batchSize` (the last one shorter unless `dropLast`).
 *
 * ```ts
 * [...new BatchSampler(new SequentialSampler(5), 2, false)]  // [[0, 1], [2, 3], [4]]
 * ```
 */
export class BatchSampler implements Sampler<number[]> {
  constructor(readonly sampler: Iterable<number> & { length: number }, readonly batchSize: number, readonly dropLast = false) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`BatchSampler: batchSize must be a positive integer, got ${batchSize}`);
  }

  get length(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
