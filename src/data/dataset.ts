/**
 * Datasets: anything with a `length` and a `getItem(i)`, as PyTorch's map-style Dataset
 * (`__len__`, `__getitem__`). `getItem` may return a Promise (images read from disk, fetched over
 * the network); the DataLoader then has to be iterated with `for await`.
 */
import { argError } from "../tensor/check.js";
import { Tensor } from "../core.js";

/**
 * The contract a DataLoader reads from: `length` items, item `i` from `getItem(i)`.
 *
 * ```ts
 * const squares: Dataset<number> = { length: 10, getItem: (i) => i * i };
 * ```
 */
export interface Dataset<T> {
  readonly length: number;
  getItem(index: number): T | Promise<T>;
}

/** The item type of a dataset, with any Promise unwrapped: `ItemOf<MnistDataset>` is `MnistSample`. */
export type ItemOf<D> = D extends { getItem(index: number): infer R } ? Awaited<R> : never;

/** What `getItem` of a dataset type returns, Promise included: wrappers keep a sync dataset sync. */
export type RawItemOf<D> = D extends { getItem(index: number): infer R } ? R : never;

/** `R` if `Raw` is synchronous, else a Promise of it (the return type of a mapped dataset). */
export type MapResult<Raw, R> = Raw extends PromiseLike<unknown> ? Promise<Awaited<R>> : R;

/**
 * Throws the RangeError every dataset raises for a bad index, naming the dataset, index and length.
 * Negative indices are rejected rather than counted from the end: a sampler producing -1 is a bug.
 *
 * ```ts
 * getItem(i: number) { checkIndex(i, this.length, "MyDataset"); ... }
 * ```
 */
export function checkIndex(index: number, length: number, name: string): void {
  // Called for every item: two typeof tests, and the messages are built only on failure.
  if (typeof length !== "number") throw argError("data.checkIndex", "length", "the dataset's length (a number)", length);
  if (typeof name !== "string") throw argError("data.checkIndex", "name", "the dataset's name for the message (a string)", name);
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    const valid = length > 0 ? `valid indices are 0..${length - 1}` : "the dataset is empty";
    throw new RangeError(`${name}.getItem: index ${index} is out of range for a dataset of length ${length} (${valid})`);
  }
}

/** A dataset argument: anything with a numeric `length` and a `getItem(i)` method. */
export function checkDataset(fn: string, arg: string, v: unknown): void {
  const d = v as { length?: unknown; getItem?: unknown } | null;
  if (d === null || typeof d !== "object" || typeof d.length !== "number" || typeof d.getItem !== "function") {
    throw argError(fn, arg, "a Dataset (a numeric `length` and a `getItem(i)` method)", v);
  }
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

/** Applies `fn` to a value that may still be a Promise, staying synchronous when it is not. */
export function thenMaybe<A, B>(v: A | Promise<A>, fn: (a: A) => B | Promise<B>): B | Promise<B> {
  return isPromise(v) ? v.then(fn) : fn(v);
}

/**
 * A base class for datasets that adds `.map(fn)`; extend it and implement `length` and `getItem`.
 *
 * ```ts
 * class Squares extends BaseDataset { length = 10; getItem(i: number) { return i * i; } }
 * ```
 */
export abstract class BaseDataset {
  abstract readonly length: number;
  // Typed `unknown` here so that subclasses keep their precise (sync or async) return type.
  abstract getItem(index: number): unknown;

  /** `ds.map((s) => ({ ...s, image: flip(s.image) }))`: a lazily transformed view of this dataset. */
  map<R>(fn: (item: ItemOf<this>, index: number) => R): MapDataset<this, R> {
    return new MapDataset(this, fn);
  }
}

/**
 * Applies `fn` to each item when it is read (a transform wrapper; nothing is precomputed, so random
 * augmentations give a new draw every epoch). Synchronous if the source and `fn` are.
 *
 * ```ts
 * const train = new MapDataset(trainSubset, (s) => ({ ...s, image: augment(s.image) }));
 * ```
 */
export class MapDataset<D extends Dataset<unknown>, R> extends BaseDataset {
  constructor(readonly dataset: D, readonly fn: (item: ItemOf<D>, index: number) => R) {
    super();
    checkDataset("MapDataset", "dataset", dataset);
    if (typeof fn !== "function") throw argError("MapDataset", "fn", "a function (item, index) => newItem", fn);
  }

  get length(): number {
    return this.dataset.length;
  }

  getItem(index: number): MapResult<RawItemOf<D>, R> {
    checkIndex(index, this.length, "MapDataset");
    return thenMaybe(this.dataset.getItem(index) as ItemOf<D>, (item) => this.fn(item, index)) as MapResult<RawItemOf<D>, R>;
  }
}

/** `mapDataset(ds, fn)`: the same as `new MapDataset(ds, fn)`, for datasets that are plain objects. */
export function mapDataset<D extends Dataset<unknown>, R>(dataset: D, fn: (item: ItemOf<D>, index: number) => R): MapDataset<D, R> {
  return new MapDataset(dataset, fn);
}

/** One row of a TensorDataset: a tuple with one tensor per tensor of the dataset (`[Tensor, Tensor]` for `(x, y)`). */
export type TensorRow<T extends readonly Tensor[]> = { -readonly [K in keyof T]: Tensor };

/**
 * Rows of tensors that share their first dimension; item `i` is `[t0[i], t1[i], ...]` (views). The
 * item type is a tuple with one tensor per argument, so `new DataLoader(new TensorDataset(x, y))`
 * yields batches typed `[Tensor, Tensor]`.
 *
 * ```ts
 * const ds = new TensorDataset(randn([100, 3]), randint(0, 2, [100]));  // ds.getItem(0) = [x, y]
 * ```
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends BaseDataset {
  readonly tensors: T;
  readonly length: number;

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new Error("TensorDataset: give at least one tensor, e.g. new TensorDataset(inputs, targets)");
    tensors.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw argError("TensorDataset", `tensors[${k}]`, "a Tensor", t);
      if (t.ndim === 0) throw new Error(`TensorDataset: tensor ${k} is 0-d; every tensor needs a first dimension to index`);
    });
    const n = tensors[0].shape[0];
    tensors.forEach((t, k) => {
      if (t.shape[0] !== n) {
        throw new Error(`TensorDataset: tensor ${k} has ${t.shape[0]} rows (shape [${t.shape.join(",")}]) but tensor 0 has ${n} (shape [${tensors[0].shape.join(",")}]); all must have the same size in dim 0`);
      }
    });
    this.tensors = tensors;
    this.length = n;
  }

  getItem(index: number): TensorRow<T> {
    checkIndex(index, this.length, "TensorDataset");
    return this.tensors.map((t) => t.select(0, index)) as TensorRow<T>;
  }
}

/**
 * The items of `dataset` at `indices`, in that order (what randomSplit returns).
 *
 * ```ts
 * const firstHundred = new Subset(ds, Array.from({ length: 100 }, (_, i) => i));
 * ```
 */
export class Subset<D extends Dataset<unknown>> extends BaseDataset {
  readonly indices: readonly number[];

  constructor(readonly dataset: D, indices: ArrayLike<number>) {
    super();
    checkDataset("Subset", "dataset", dataset);
    if (indices === null || typeof indices !== "object" || typeof indices.length !== "number") throw argError("Subset", "indices", "an array of indices", indices);
    const list = Array.from(indices);
    list.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0 || i >= dataset.length) {
        throw new RangeError(`Subset: indices[${k}] = ${i} is out of range for a dataset of length ${dataset.length}`);
      }
    });
    this.indices = list;
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(index: number): RawItemOf<D> {
    checkIndex(index, this.length, "Subset");
    return this.dataset.getItem(this.indices[index]) as RawItemOf<D>;
  }
}

/**
 * Datasets one after another: item `i` of the concatenation.
 *
 * ```ts
 * const all = new ConcatDataset([trainSet, extraSet]);
 * ```
 */
export class ConcatDataset<D extends Dataset<unknown>> extends BaseDataset {
  readonly datasets: readonly D[];
  /** cumulativeSizes[k] = total length of datasets 0..k (as PyTorch's `cumulative_sizes`). */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: readonly D[]) {
    super();
    if (!Array.isArray(datasets)) throw argError("ConcatDataset", "datasets", "an array of datasets", datasets);
    datasets.forEach((d, k) => checkDataset("ConcatDataset", `datasets[${k}]`, d));
    if (datasets.length === 0) throw new Error("ConcatDataset: expected at least one dataset");
    let total = 0;
    this.cumulativeSizes = datasets.map((d, k) => {
      if (!Number.isInteger(d.length) || d.length < 0) throw new Error(`ConcatDataset: dataset ${k} has an invalid length ${d.length}`);
      return (total += d.length);
    });
    this.datasets = [...datasets];
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  getItem(index: number): RawItemOf<D> {
    checkIndex(index, this.length, "ConcatDataset");
    // Binary search for the first dataset whose cumulative size exceeds the index.
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid] > index) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1];
    return this.datasets[lo].getItem(index - start) as RawItemOf<D>;
  }
}
