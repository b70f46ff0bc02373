/**
 * DataLoader: batches of samples from a Dataset, optionally shuffled (a fresh order every epoch,
 * drawn from a seeded generator). Iterate with `for...of` over synchronous datasets and with
 * `for await...of` over datasets whose `getItem` returns Promises (several batches are then loaded
 * at once, up to `prefetch` ahead, and still delivered in order).
 */
import { checkKeys, describe, optionKeys } from "../tensor/check.js";
import type { Generator } from "../core.js";
import { deprecated } from "../tensor/deprecation.js";
import { generatorOf } from "../tensor/creation.js";
import { type Dataset } from "./dataset.js";
import { type Collated, defaultCollate } from "./collate.js";
import { BatchSampler, RandomSampler, type Sampler, SequentialSampler } from "./sampler.js";

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** A new random order every epoch (default false). Not with `sampler` or `batchSampler`. */
  shuffle?: boolean;
  /** Which indices to read, in what order (instead of `shuffle`). */
  sampler?: Sampler;
  /** Yields whole batches of indices (instead of batchSize/shuffle/sampler/dropLast). */
  batchSampler?: Sampler<number[]>;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** PyTorch's `collate_fn`: samples (and their dataset indices) -> batch. Default: `defaultCollate`. */
  collateFn?: (samples: T[], indices: number[]) => B;
  /** @deprecated since 0.2: the option is `collateFn`, PyTorch's `collate_fn`. */
  collate?: (samples: T[], indices: number[]) => B;
  /** Generator for `shuffle` (default: the global one, reseeded by `manualSeed`). */
  generator?: Generator;
  /** With `for await`: how many batches may be loading beyond the one being consumed (default 2;
   * 0 loads one batch at a time). The items of one batch are always requested together. */
  prefetch?: number;
}

function isThenable(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

const DATALOADER_KEYS = optionKeys<DataLoaderOptions<unknown, unknown>>()({
  batchSize: true, shuffle: true, sampler: true, batchSampler: true, dropLast: true, collateFn: true, collate: true, generator: true, prefetch: true,
});

/**
 * Batches from a dataset: `for (const { image, label } of loader)`.
 *
 * ```ts
 * const loader = new DataLoader(train, { batchSize: 64, shuffle: true, generator: new Generator(0) });
 * ```
 *
 * `new DataLoader(train, 64)` is `new DataLoader(train, { batchSize: 64 })`, as PyTorch's positional
 * `DataLoader(train, 64)`. The 0.1 form `new DataLoader({ dataset, ...options })` still works for one
 * release, with a deprecation notice.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly sampler: Sampler;
  readonly batchSampler: Sampler<number[]>;
  readonly prefetch: number;
  readonly collateFn: (samples: T[], indices: number[]) => B;

  constructor(dataset: Dataset<T>, opts?: DataLoaderOptions<T, B> | number);
  /** @deprecated since 0.2: write `new DataLoader(dataset, { batchSize, ... })`. */
  constructor(opts: DataLoaderOptions<T, B> & { dataset: Dataset<T> });
  constructor(first: Dataset<T> | (DataLoaderOptions<T, B> & { dataset: Dataset<T> }), second: DataLoaderOptions<T, B> | number = {}) {
    let dataset: Dataset<T>;
    let opts: DataLoaderOptions<T, B>;
    if (first !== null && typeof first === "object" && "dataset" in first && (first as { getItem?: unknown }).getItem === undefined) {
      deprecated("DataLoader", "new DataLoader({ dataset, ...options })", "new DataLoader(dataset, { ...options })");
      ({ dataset, ...opts } = first);
    } else {
      dataset = first as Dataset<T>;
      if (typeof second === "number") opts = { batchSize: second };
      else if (second !== null && typeof second === "object" && !Array.isArray(second)) opts = second;
      else throw new Error(`DataLoader: the second argument takes options like { batchSize: 64, shuffle: true } (or a batch size), got ${describe(second)}`);
    }
    // An object: a function's `length` is its arity, not a dataset size (checkDataset's rule too).
    if (!dataset || typeof dataset !== "object" || typeof dataset.getItem !== "function" || typeof dataset.length !== "number") {
      throw new Error(`DataLoader: dataset must be a Dataset (a numeric \`length\` and a \`getItem(i)\` method), got ${describe(dataset)}; write new DataLoader(dataset, { batchSize: 64 })`);
    }
    checkKeys("DataLoader", opts, DATALOADER_KEYS);
    this.dataset = dataset;
    this.batchSize = opts.batchSize ?? 1;
    this.dropLast = opts.dropLast ?? false;
    this.prefetch = opts.prefetch ?? 2;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 0) throw new Error(`DataLoader: prefetch must be a non-negative integer, got ${opts.prefetch}`);
    if (opts.batchSampler) {
      const clash = (["batchSize", "shuffle", "sampler", "dropLast"] as const).filter((k) => opts[k] !== undefined && opts[k] !== false);
      if (clash.length > 0) throw new Error(`DataLoader: batchSampler already decides batching; do not also pass ${clash.join(", ")}`);
      this.batchSampler = opts.batchSampler;
      this.sampler = { length: dataset.length, [Symbol.iterator]: () => [...opts.batchSampler!].flat()[Symbol.iterator]() };
    } else {
      if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error(`DataLoader: batchSize must be a positive integer, got ${opts.batchSize}`);
      if (opts.sampler && opts.shuffle) throw new Error("DataLoader: pass either shuffle: true or a sampler, not both (a sampler decides the order itself)");
      // Checked here so that a bad one is named by DataLoader, not by the RandomSampler it builds.
      if (opts.generator !== undefined) generatorOf("DataLoader", opts.generator);
      this.sampler = opts.sampler ?? (opts.shuffle ? new RandomSampler(dataset, { generator: opts.generator }) : new SequentialSampler(dataset));
      this.batchSampler = new BatchSampler(this.sampler, this.batchSize, this.dropLast);
    }
    if (opts.collate !== undefined) {
      if (opts.collateFn !== undefined) throw new Error("DataLoader: pass collateFn only (collate is its deprecated name)");
      deprecated("DataLoader", "the option { collate }", "{ collateFn }, PyTorch's collate_fn");
    }
    this.collateFn = opts.collateFn ?? opts.collate ?? ((samples, indices) => defaultCollate(samples, indices) as B);
  }

  /** @deprecated since 0.2: PyTorch's name, `collateFn`. */
  get collate(): (samples: T[], indices: number[]) => B {
    return this.collateFn;
  }

  /** Number of batches per epoch. */
  get length(): number {
    return this.batchSampler.length;
  }

  /** Synchronous iteration; throws if the dataset returns Promises (use `for await` then). */
  *[Symbol.iterator](): Iterator<B> {
    for (const indices of this.batchSampler) {
      const samples = indices.map((i) => {
        const item = this.dataset.getItem(i);
        if (isThenable(item)) {
          // Keep the rejected promise from surfacing as an unhandled rejection; we throw instead.
          item.then(undefined, () => undefined);
          throw new Error(`DataLoader: dataset.getItem(${i}) returned a Promise; iterate this loader with \`for await (const batch of loader)\``);
        }
        return item as T;
      });
      yield this.collateFn(samples, indices);
    }
  }

  /** Asynchronous iteration: loads up to `prefetch` batches ahead, yields them in order. */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const load = (indices: number[]): Promise<B> =>
      Promise.all(indices.map((i) => this.dataset.getItem(i))).then((samples) => this.collateFn(samples as T[], indices));
    const queue: Promise<B>[] = [];
    const batches = this.batchSampler[Symbol.iterator]();
    const fill = (): void => {
      while (queue.length <= this.prefetch) {
        const next = batches.next();
        if (next.done) return;
        const p = load(next.value);
        // A batch that fails while an earlier one is awaited must not count as unhandled; its error
        // is rethrown when its turn comes.
        p.catch(() => undefined);
        queue.push(p);
      }
    };
    fill();
    while (queue.length > 0) {
      const batch = await queue.shift()!;
      fill();
      yield batch;
    }
  }
}
