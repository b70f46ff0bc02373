// Synthetic depth scenes (the exam's Problem 7 setting) and synthetic segmentation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, data } from "../src/index.js";

const { SyntheticDepthDataset, SyntheticSegmentationDataset, DataLoader, randomSplit } = data;

test("depth dataset: shapes, plausible depth, deterministic, consecutive frames move, stored day-first", () => {
  const ds = new SyntheticDepthDataset({ scenes: 6, framesPerScene: 4 });
  assert.equal(ds.length, 24);
  const s = ds.getItem(0);
  assert.deepEqual(s.image.shape, [3, 32, 32]);
  assert.deepEqual(s.depth.shape, [1, 32, 32]);
  const d = s.depth.data();
  const min = Math.min(...d), max = Math.max(...d);
  assert.ok(min > 1 && min < 20, `nearest surface ${min} m`);
  assert.equal(max, 80, "sky at maxDepth");
  // The lower image rows see the ground close by, the upper rows the sky far away.
  assert.ok(d[31 * 32 + 16] < d[0 * 32 + 16]);
  assert.deepEqual(Array.from(ds.getItem(5).image.data()), Array.from(ds.getItem(5).image.data()), "same item twice is identical");
  const f0 = ds.getItem(4).depth.data(), f1 = ds.getItem(5).depth.data();
  let moved = 0;
  for (let i = 0; i < f0.length; i++) moved += Math.abs(f0[i] - f1[i]) > 1e-3 ? 1 : 0;
  assert.ok(moved > 10, "the camera moves between consecutive frames");
  assert.deepEqual(Array.from({ length: 24 }, (_, i) => ds.getItem(i).daytime), Array.from({ length: 24 }, (_, i) => i < 12));
  assert.equal(ds.getItem(0).name, "sun-0001");
  assert.equal(ds.getItem(23).name, "moon-0024");
  const mean = (i: number) => ds.getItem(i).image.mean().item();
  assert.ok(mean(0) > 3 * mean(23), `night is darker: ${mean(0)} vs ${mean(23)}`);
});

test("exam 7.1: an unshuffled loader's first batch is all daytime; a shuffled one mixes day and night", () => {
  const ds = new SyntheticDepthDataset({ scenes: 10, framesPerScene: 4, height: 16, width: 16 });
  const first = [...new DataLoader(ds, { batchSize: 8 })][0];
  assert.deepEqual(first.daytime.tolist(), new Array(8).fill(true));
  assert.deepEqual(first.name.slice(0, 4), ["sun-0001", "sun-0002", "sun-0003", "sun-0004"], "consecutive frames of one scene, as in the exam");
  assert.deepEqual(first.image.shape, [8, 3, 16, 16]);
  assert.deepEqual(first.depth.shape, [8, 1, 16, 16]);
  const shuffled = new DataLoader(ds, { batchSize: 8, shuffle: true, generator: new Generator(0) });
  for (const batch of shuffled) {
    const day = (batch.daytime.tolist() as boolean[]).filter(Boolean).length;
    assert.ok(day > 0 && day < 8, `a shuffled batch mixes day and night (${day}/8 day)`);
    break;
  }
  // Over a whole shuffled epoch, most batches mix both.
  let mixed = 0;
  for (const b of shuffled) {
    const day = (b.daytime.tolist() as boolean[]).filter(Boolean).length;
    if (day > 0 && day < b.daytime.shape[0]) mixed++;
  }
  assert.ok(mixed >= 3, `${mixed} of 5 batches mixed`);
});

test("exam 7.2: a grouped split keeps scenes whole and, shuffled, has day and night in every split", () => {
  const ds = new SyntheticDepthDataset({ scenes: 20, framesPerScene: 3, height: 8, width: 8 });
  const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(1), groups: (i) => ds.sceneOf(i) });
  const scenesOf = (s: data.Subset<typeof ds>) => new Set(s.indices.map((i) => ds.sceneOf(i)));
  const tr = scenesOf(train), va = scenesOf(val);
  for (const sc of va) assert.ok(!tr.has(sc), `scene ${sc} in both splits`);
  assert.equal(train.length + val.length, 60);
  for (const split of [train, val]) {
    const days = split.indices.filter((i) => ds.isDaytime(i)).length;
    assert.ok(days > 0 && days < split.length, "day and night in each split");
  }
  // Splitting the day-first data without shuffling would give a night-only validation set.
  const tail = Array.from({ length: 12 }, (_, k) => 48 + k);
  assert.ok(tail.every((i) => !ds.isDaytime(i)));
});

test("segmentation dataset: int64 masks with any number of classes, colours follow classes", () => {
  const ds = new SyntheticSegmentationDataset({ length: 30, numClasses: 7, seed: 3 });
  const seen = new Set<number>();
  for (let i = 0; i < ds.length; i++) {
    const { image, mask } = ds.getItem(i);
    assert.deepEqual(image.shape, [3, 32, 32]);
    assert.deepEqual(mask.shape, [32, 32]);
    assert.equal(mask.dtype, "int64");
    for (const v of mask.data()) seen.add(v);
    // Pixels of one class share its base colour (within noise).
    const m = mask.data(), r = image.data();
    for (let p = 0; p < m.length; p += 37) assert.ok(Math.abs(r[p] - ds.palette[m[p]][0]) < 0.5);
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
  const batch = [...new DataLoader(ds, { batchSize: 10 })][0];
  assert.deepEqual(batch.mask.shape, [10, 32, 32]);
  assert.equal(batch.mask.dtype, "int64");
  assert.throws(() => new SyntheticSegmentationDataset({ numClasses: 1 }), /numClasses must be an integer >= 2/);
});

test("exam 7.6 on the depth dataset: flipped frames keep depth aligned with pixels; Normalize keeps metres", () => {
  const plain = new SyntheticDepthDataset({ scenes: 2, framesPerScene: 2, height: 12, width: 16 });
  const flipped = new SyntheticDepthDataset({
    scenes: 2, framesPerScene: 2, height: 12, width: 16,
    transform: new data.Compose([new data.RandomHorizontalFlip({ p: 1 }), new data.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])]),
  });
  for (let i = 0; i < plain.length; i++) {
    const a = plain.getItem(i), b = flipped.getItem(i);
    const da = a.depth.data(), db = b.depth.data(), ia = a.image.data(), ib = b.image.data();
    for (let y = 0; y < 12; y++) for (let x = 0; x < 16; x++) {
      assert.equal(db[y * 16 + x], da[y * 16 + 15 - x], `depth (${y},${x}) of item ${i}`);
      assert.ok(Math.abs(ib[y * 16 + x] - (ia[y * 16 + 15 - x] - 0.5) / 0.25) < 1e-5, `red (${y},${x})`);
    }
    assert.equal(b.daytime, a.daytime);
  }
});
