// Transforms: geometric ones move image and targets together, photometric ones and Normalize touch
// the image only; values checked pixel by pixel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, arange, rand, Generator, Tensor, data } from "../src/index.js";

const T = data;
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5, msg = ""): void => {
  assert.equal(a.length, b.length, msg);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${msg} at ${i}: ${a[i]} vs ${b[i]}`);
};

function depthSample(seed: number) {
  const g = new Generator(seed);
  const image = rand([3, 6, 8], { generator: g });
  const depth = rand([1, 6, 8], { generator: g }).mul(50).add(1);
  const mask = tensor(Array.from({ length: 6 }, (_, y) => Array.from({ length: 8 }, (_, x) => (x + 2 * y) % 3)), { dtype: "int32" });
  return { image, depth, mask, label: tensor(4, { dtype: "int32" }), name: "frame-0001" };
}

test("exam 7.6: a horizontal flip moves the depth map with its image, pixel for pixel; Normalize leaves depth untouched", () => {
  const s = depthSample(0);
  const flip = new T.RandomHorizontalFlip({ p: 1 });
  const out = flip.apply(s);
  const [C, H, W] = s.image.shape;
  const img = s.image.data(), dep = s.depth.data(), msk = s.mask.data();
  const fi = out.image.data(), fd = out.depth.data(), fm = out.mask.data();
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    for (let c = 0; c < C; c++) assert.equal(fi[(c * H + y) * W + x], img[(c * H + y) * W + (W - 1 - x)]);
    assert.equal(fd[y * W + x], dep[y * W + (W - 1 - x)], `depth moves with its pixel at (${y},${x})`);
    assert.equal(fm[y * W + x], msk[y * W + (W - 1 - x)]);
  }
  assert.equal(out.label, s.label, "non-spatial fields pass through");
  assert.equal(out.name, "frame-0001");

  // With p = 0.5 the image and depth are flipped by the same draw, never one without the other.
  const half = new T.RandomHorizontalFlip({ generator: new Generator(5) });
  let flips = 0;
  for (let k = 0; k < 40; k++) {
    const o = half.apply(s);
    const imgFlipped = o.image.data()[0] !== img[0] || o.image.data()[W - 1] !== img[W - 1];
    const depFlipped = o.depth.data()[0] !== dep[0];
    assert.equal(imgFlipped, depFlipped, `draw ${k}: image and depth agree`);
    flips += imgFlipped ? 1 : 0;
  }
  assert.ok(flips > 5 && flips < 35, `about half flipped: ${flips}`);

  const norm = new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.5]).apply(out);
  assert.equal(norm.depth, out.depth, "depth is the same tensor, untouched");
  assert.equal(norm.mask, out.mask);
  const ni = norm.image.data();
  for (let c = 0; c < 3; c++) close([ni[c * H * W + 7]], [(fi[c * H * W + 7] - [0.5, 0.4, 0.3][c]) / [0.2, 0.25, 0.5][c]]);
});

test("Normalize gives zero mean and unit std with computeMeanStd's statistics", async () => {
  const g = new Generator(1);
  const imgs = Array.from({ length: 20 }, () => rand([3, 5, 5], { generator: g }).mul(tensor([0.5, 1, 2]).reshape([3, 1, 1])).add(tensor([0, 1, -1]).reshape([3, 1, 1])));
  const ds: data.Dataset<Tensor> = { length: imgs.length, getItem: (i) => imgs[i] };
  const { mean, std } = await T.computeMeanStd(ds);
  close(mean, [0.25, 1.5, 0], 0.06);
  close(std, [0.5 / Math.sqrt(12), 1 / Math.sqrt(12), 2 / Math.sqrt(12)], 0.05);
  const norm = new T.Normalize(mean, std);
  const after = await T.computeMeanStd(T.mapDataset(ds, (x) => norm.apply(x)));
  close(after.mean, [0, 0, 0], 1e-4);
  close(after.std, [1, 1, 1], 1e-4);
  assert.throws(() => norm.apply(rand([1, 4, 4])), /image has 1 channels .* mean\/std have 3 values/);
  assert.throws(() => new T.Normalize([0.5], [0]), /std\[0\] = 0/);
});

test("vertical flip, center crop, random crop with padding, resize, rotation: exact values", () => {
  const x = arange(12).reshape([1, 3, 4]).float(); // rows [0..3], [4..7], [8..11]
  assert.deepEqual(new T.RandomVerticalFlip({ p: 1 }).apply(x).tolist(), [[[8, 9, 10, 11], [4, 5, 6, 7], [0, 1, 2, 3]]]);
  assert.deepEqual(new T.CenterCrop([1, 2]).apply(x).tolist(), [[[5, 6]]]);
  // RandomCrop with padding: crops lie inside the padded image; zero where padded.
  const rc = new T.RandomCrop([3, 4], { padding: 1, generator: new Generator(2) });
  for (let k = 0; k < 10; k++) {
    const c = rc.apply({ image: x, depth: x.add(100) });
    const ci = c.image.data(), cd = c.depth.data();
    for (let i = 0; i < ci.length; i++) assert.ok(ci[i] === 0 ? cd[i] === 0 || cd[i] === 100 : cd[i] === ci[i] + 100, "same window for image and depth");
  }
  // Resize nearest 2x: each pixel doubled; bilinear of a constant stays constant.
  const up = new T.Resize([6, 8], { interpolation: "nearest" }).apply(x);
  assert.deepEqual((up.tolist() as number[][][])[0][0], [0, 0, 1, 1, 2, 2, 3, 3]);
  close(new T.Resize(4).apply(tensor([[[2, 2], [2, 2]]])).data(), new Array(16).fill(2));
  const down = new T.Resize([1, 2]).apply(tensor([[[1, 3, 5, 7], [1, 3, 5, 7]]]));
  close(down.data(), [2, 6]);
  assert.deepEqual(new T.Resize(6).apply(x).shape, [1, 6, 8], "a single size sets the shorter side");
  // Rotation by exactly 90 degrees (counter-clockwise) of a square: exact permutation of pixels.
  const sq = arange(9).reshape([1, 3, 3]).float();
  const rot = new T.RandomRotation([90, 90]).apply(sq);
  assert.deepEqual(rot.tolist(), [[[2, 5, 8], [1, 4, 7], [0, 3, 6]]]);
  const r45 = new T.RandomRotation([45, 45], { fill: -1 }).apply(tensor([[[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]]));
  assert.equal(r45.data()[0], -1, "corner uncovered -> fill");
});

test("masks resample by nearest: class ids stay class ids under resize and resized crops", () => {
  const g = new Generator(3);
  const image = rand([3, 16, 16], { generator: g });
  // int64 is what ToTensor and the datasets give masks (PyTorch's class-index dtype); int32 still works.
  for (const dtype of ["int64", "int32"] as const) {
    const mask = tensor(Array.from({ length: 16 }, (_, y) => Array.from({ length: 16 }, (_, x) => (x < 8 ? 1 : 3) + (y < 8 ? 0 : 4))), { dtype });
    const t = new T.Compose([new T.RandomResizedCrop(10, { generator: g }), new T.RandomRotation(30, { generator: g, interpolation: "bilinear" }), new T.RandomHorizontalFlip({ p: 1 })]);
    for (let k = 0; k < 5; k++) {
      const o = t.apply({ image, mask });
      assert.deepEqual(o.image.shape, [3, 10, 10]);
      assert.deepEqual(o.mask.shape, [10, 10]);
      assert.equal(o.mask.dtype, dtype);
      const seen = new Set(o.mask.data());
      for (const v of seen) assert.ok([0, 1, 3, 5, 7].includes(v), `mask value ${v}`);
      assert.ok(seen.size >= 2, `a 10x10 crop of four quadrants keeps more than one class, got ${[...seen]}`);
    }
  }
  assert.throws(() => new T.RandomHorizontalFlip({ p: 1 }).apply({ image, depth: rand([1, 8, 8]) }), /sample.depth has shape \[1,8,8\] but the image is 16x16/);
});

test("photometric transforms change the image only, reproducibly per generator", () => {
  const s = depthSample(4);
  const cj = (seed: number) => new T.ColorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5, generator: new Generator(seed) });
  const a = cj(1).apply(s);
  assert.equal(a.depth, s.depth);
  assert.notDeepEqual(Array.from(a.image.data()), Array.from(s.image.data()));
  assert.deepEqual(Array.from(cj(1).apply(s).image.data()), Array.from(a.image.data()));
  for (const v of a.image.data()) assert.ok(v >= 0 && v <= 1);
  // Brightness alone with factor range [2, 2] doubles (then clips).
  const b = new T.ColorJitter({ brightness: [2, 2] }).apply(tensor([[[0.1, 0.3, 0.6]]]));
  close(b.data(), [0.2, 0.6, 1]);
  // Saturation 0 turns RGB grey: all channels equal the luminance.
  const grey = new T.ColorJitter({ saturation: [0, 0] }).apply(tensor([[[1]], [[0]], [[0]]]));
  close(grey.data(), [0.299, 0.299, 0.299]);
  const noisy = new T.GaussianNoise({ std: 0.1, generator: new Generator(0) }).apply(s);
  assert.equal(noisy.depth, s.depth);
  const diff = Array.from(noisy.image.data(), (v, i) => v - s.image.data()[i]);
  const sd = Math.sqrt(diff.reduce((acc, d) => acc + d * d, 0) / diff.length);
  assert.ok(sd > 0.07 && sd < 0.13, `noise std ${sd}`);
});

test("ToTensor: HWC bytes to CHW floats in [0,1]; masks to int64 ids", () => {
  const raw = { width: 2, height: 1, channels: 3, data: new Uint8Array([255, 0, 51, 0, 255, 102]) };
  const t = new T.ToTensor().apply(raw) as Tensor;
  assert.deepEqual(t.shape, [3, 1, 2]);
  close(t.data(), [1, 0, 0, 1, 0.2, 0.4]);
  const s = new T.ToTensor().apply({ image: raw, mask: { width: 2, height: 1, channels: 1, data: new Uint8Array([3, 7]) } }) as { image: Tensor; mask: Tensor };
  assert.equal(s.mask.dtype, "int64");
  assert.deepEqual(s.mask.tolist(), [[3, 7]]);
  assert.throws(() => new T.ToTensor().apply({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) }), /claims 2x2x1 = 4 values but holds 3/);
});

test("runTransform applies a transform object or a plain function to its input", () => {
  assert.equal(data.runTransform((x: number) => x + 1, 1), 2);
  assert.equal(data.runTransform({ apply: (x: number) => x * 3 }, 2), 6);
  const flipped = data.runTransform(new data.RandomHorizontalFlip({ p: 1 }), tensor([[[1, 2]]]));
  assert.deepEqual((flipped as Tensor).tolist(), [[[2, 1]]]);
});
