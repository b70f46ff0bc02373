// ColorJitter, GaussianNoise, ToTensor, Normalize, computeMeanStd, Compose and the sample helpers
// against torchvision's blends and torch's statistics (scripts/fixtures/mutation_data.py): the cases
// session 10's mutation run of src/data/transforms found unchecked (docs/mutation/session-10-mutd.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, Tensor, tensor, data } from "../src/index.js";
import { imageOf, mapImage, mapSpatial } from "../src/data/transforms/sample.js";
import { computeMeanStd as rawComputeMeanStd } from "../src/data/transforms/tensor.js";
import { throwsWith as throwsExactly } from "./throws-with.js";
import { FX, close } from "./mutation-data-fixture.js";

const T = data;

const rgb = (): Tensor => tensor(FX.rgb).reshape([3, 2, 2]);

test("ColorJitter: brightness, contrast and saturation are torchvision's blends (contrast with the image's mean grey)", () => {
  const jitter = (o: object): Tensor => new T.ColorJitter(o).apply(rgb());
  close(jitter({ brightness: [1.5, 1.5] }).data(), FX["brightness1.5"], 1e-6, "brightness 1.5");
  close(jitter({ contrast: [0.5, 0.5] }).data(), FX["contrast0.5"], 1e-6, "contrast 0.5");
  close(jitter({ contrast: [1.8, 1.8] }).data(), FX["contrast1.8"], 1e-6, "contrast 1.8 (clipped)");
  close(jitter({ saturation: [1.7, 1.7] }).data(), FX["saturation1.7"], 1e-6, "saturation 1.7");
  // A grey image: contrast blends with its own mean; saturation does not apply.
  const grey = tensor(FX.grey1).reshape([1, 1, 4]);
  close(new T.ColorJitter({ contrast: [0.5, 0.5] }).apply(grey).data(), FX["grey1Contrast0.5"], 1e-6, "grey contrast");
  assert.deepEqual(Array.from(new T.ColorJitter({ saturation: [0, 0] }).apply(grey).data()), Array.from(grey.data()), "grey saturation: unchanged");
  // Two images in one tensor: each pixel is blended with its own image's grey.
  close(new T.ColorJitter({ saturation: [0.4, 0.4] }).apply(tensor(FX.two).reshape([2, 3, 1, 2])).data(), FX["twoSaturation0.4"], 1e-6, "two images");
  // float64 stays float64, other floats become float32.
  assert.equal(new T.ColorJitter({ brightness: [1, 1] }).apply(tensor([[0.5]], { dtype: "float64" })).dtype, "float64");
  assert.equal(new T.ColorJitter({ brightness: [1, 1] }).apply(tensor([[0.5]], { dtype: "float16" })).dtype, "float32");
});

test("ColorJitter: a number v is the factor range [max(0, 1 - v), 1 + v]; 0 or nothing disables it; draws in order b, c, s", () => {
  const cj = new T.ColorJitter({ brightness: 0.3, contrast: 2, saturation: [0.5, 1.5] });
  assert.deepEqual(cj.brightness, [0.7, 1.3]);
  assert.deepEqual(cj.contrast, [0, 3]);
  assert.deepEqual(cj.saturation, [0.5, 1.5]);
  const none = new T.ColorJitter({ brightness: 0 });
  assert.equal(none.brightness, null);
  assert.equal(none.contrast, null);
  assert.equal(none.saturation, null);
  assert.deepEqual(Array.from(none.apply(rgb()).data()), Array.from(rgb().data()), "nothing to do: the same values");
  // The factors are drawn from the generator, brightness first: f = min + u * (max - min).
  const g = new Generator(5);
  const b = 0.7 + g.random() * 0.6;
  const s = 0.5 + g.random() * 1;
  const got = new T.ColorJitter({ brightness: 0.3, saturation: [0.5, 1.5], generator: new Generator(5) }).apply(rgb());
  const bright = new T.ColorJitter({ brightness: [b, b] }).apply(rgb());
  const want = new T.ColorJitter({ saturation: [s, s] }).apply(bright);
  close(got.data(), Array.from(want.data()), 1e-7, "brightness then saturation");
  throwsExactly(() => new T.ColorJitter({ brightness: -0.1 }), "ColorJitter: brightness must be non-negative, got -0.1");
  throwsExactly(() => new T.ColorJitter({ contrast: [-1, 1] }), "ColorJitter: contrast must be [min, max] with 0 <= min <= max, got [-1,1]");
  throwsExactly(() => new T.ColorJitter({ saturation: [2, 1] }), "ColorJitter: saturation must be [min, max] with 0 <= min <= max, got [2,1]");
  assert.deepEqual(new T.ColorJitter({ saturation: [0, 0] }).saturation, [0, 0], "[0, 0] is a range, not 'off'");
  throwsExactly(() => new T.ColorJitter({ hue: 0.1 } as never), "ColorJitter: unknown option 'hue'; it takes brightness, contrast, saturation, generator");
});

test("GaussianNoise: image + mean + std * N(0,1) from the generator; clip keeps [0, 1]; targets untouched", () => {
  const img = tensor([[[0.5, 0.9, 0.1]]], { dtype: "float64" });
  const g = new Generator(2);
  const want = [0.5, 0.9, 0.1].map((v) => v + 0.2 + 0.3 * g.normal());
  const s = { image: img, depth: tensor([[1, 2, 3]]) };
  const o = new T.GaussianNoise({ mean: 0.2, std: 0.3, generator: new Generator(2) }).apply(s);
  close(o.image.data(), want, 1e-12, "noise");
  assert.equal(o.depth, s.depth);
  const g2 = new Generator(2);
  const clipped = new T.GaussianNoise({ mean: 0.2, std: 0.3, clip: true, generator: new Generator(2) }).apply(img);
  close(clipped.data(), [0.5, 0.9, 0.1].map((v) => Math.min(1, Math.max(0, v + 0.2 + 0.3 * g2.normal()))), 1e-12, "clipped");
  const d = new T.GaussianNoise();
  assert.deepEqual([d.mean, d.std, d.clip], [0, 0.1, false]);
  assert.deepEqual(Array.from(new T.GaussianNoise({ std: 0 }).apply(img).data()), [0.5, 0.9, 0.1], "std 0: the image");
  throwsExactly(() => new T.GaussianNoise({ std: -1 }), "GaussianNoise: std must be non-negative, got -1");
  throwsExactly(() => new T.GaussianNoise({ std: NaN }), "GaussianNoise: std must be non-negative, got NaN");
  throwsExactly(() => new T.GaussianNoise().apply(tensor([[1, 2]], { dtype: "int32" })), "GaussianNoise: the image must be floating point, got int32; apply ToTensor first");
});

test("ToTensor: 8- and 16-bit, maxValue, masks (first channel, int64), other decoded fields unscaled, and its errors", () => {
  const raw16 = { width: 2, height: 1, channels: 1, data: Uint16Array.of(65535, 13107) };
  close((new T.ToTensor().apply(raw16) as Tensor).data(), [1, 0.2], 1e-7, "16-bit");
  const custom = { width: 1, height: 1, channels: 2, data: Uint8Array.of(50, 100), maxValue: 200 };
  close((new T.ToTensor().apply(custom) as Tensor).data(), [0.25, 0.5], 0, "maxValue");
  const rgbMask = { width: 2, height: 1, channels: 3, data: Uint8Array.of(4, 9, 9, 6, 9, 9) };
  const depth = { width: 2, height: 1, channels: 1, data: Uint16Array.of(1000, 2500) };
  const s = new T.ToTensor().apply({ image: { width: 2, height: 1, channels: 1, data: Uint8Array.of(0, 255) }, mask: rgbMask, depth, label: 3 }) as Record<string, unknown>;
  assert.deepEqual((s.mask as Tensor).tolist(), [[4, 6]], "the first channel of each pixel");
  assert.equal((s.depth as Tensor).dtype, "float32");
  assert.deepEqual((s.depth as Tensor).tolist(), [[[1000, 2500]]], "raw values, [C,H,W]");
  assert.equal(s.label, 3);
  // A sample whose image is already a tensor passes through.
  const img = tensor([[[1]]]);
  assert.equal((new T.ToTensor().apply({ image: img }) as { image: Tensor }).image, img);
  throwsExactly(() => new T.ToTensor().apply({ mask: rgbMask } as never), "ToTensor: the sample has no decoded `image` field");
  throwsExactly(() => new T.ToTensor().apply(null as never), "ToTensor: expected a decoded image {width, height, channels, data} or a sample { image, ... }, got object");
  throwsExactly(() => new T.ToTensor().apply(7 as never), "ToTensor: expected a decoded image {width, height, channels, data} or a sample { image, ... }, got number");
  throwsExactly(() => new T.ToTensor().apply({ image: { ...rgbMask, width: 3 } }), "ToTensor: image claims 1x3x3 = 9 values but holds 6");
  assert.equal(T.isRawImage({ width: 1, height: 1, channels: 1, data: [0] }), false, "data must be a typed array");
  assert.equal(T.isRawImage({ width: 1.5, height: 1, channels: 1, data: Uint8Array.of(0) }), false);
  assert.equal(T.isRawImage({ width: 1, height: "1", channels: 1, data: Uint8Array.of(0) }), false);
  assert.equal(T.isRawImage({ width: 1, height: 1, data: Uint8Array.of(0) }), false);
  assert.equal(T.isRawImage(null), false);
  assert.equal(T.isRawImage({ width: 1, height: 1, channels: 1, data: Uint8Array.of(0) }), true);
});

test("Normalize: per channel for [..., C, H, W] (one value for every channel too); its checks", () => {
  const img = tensor([[[1, 2]], [[3, 4]]], { dtype: "float64" }); // [2,1,2]
  assert.deepEqual(new T.Normalize([1, 2], [0.5, 4]).apply(img).tolist(), [[[0, 2]], [[0.25, 0.5]]]);
  assert.deepEqual(new T.Normalize(1, 2).apply(img).tolist(), [[[0, 0.5]], [[1, 1.5]]]);
  // Two images [2,2,1,1]: the channel index repeats per image.
  assert.deepEqual(new T.Normalize([0, 10], [1, 10]).apply(tensor([[[[1]], [[20]]], [[[3]], [[40]]]])).tolist(), [[[[1]], [[1]]], [[[3]], [[3]]]]);
  // A 2-D image is one channel.
  assert.deepEqual(new T.Normalize([1], [2]).apply(tensor([[3, 5]])).tolist(), [[1, 2]]);
  const s = { image: img, depth: tensor([[5]]) };
  const o = new T.Normalize([0, 0], [1, 1]).apply(s);
  assert.equal(o.depth, s.depth);
  assert.deepEqual(new T.Normalize([1, 2], [1, 1]).mean, [1, 2]);
  throwsExactly(() => new T.Normalize([1, 2], [1]), "Normalize: mean has 2 values but std has 1; give one per channel");
  throwsExactly(() => new T.Normalize([1], [-1]), "Normalize: std[0] = -1; every std must be positive (a constant channel cannot be normalised)");
  throwsExactly(() => new T.Normalize([1, 1], [1, NaN]), "Normalize: std[1] = NaN; every std must be positive (a constant channel cannot be normalised)");
  throwsExactly(() => new T.Normalize("a" as never, [1]), 'Normalize: mean must be a number or an array of numbers (one per channel), as new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), got string "a"');
  throwsExactly(() => new T.Normalize([1], [1, "b"] as never), "Normalize: std must be a number or an array of numbers (one per channel), as new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), got an array of length 2");
  throwsExactly(() => new T.Normalize([1, 2, 3], [1, 1, 1]).apply(img), "Normalize: the image has 2 channels (shape [2,1,2]) but mean/std have 3 values; give 1 or 2");
  throwsExactly(() => new T.Normalize([1], [1]).apply(tensor([[1, 2]], { dtype: "int64" })), "Normalize: the image must be floating point, got int64; apply ToTensor first");
});

test("computeMeanStd: per-channel mean and population std over every pixel (torch's), limit, async datasets, and its errors", async () => {
  const imgs = (FX.meanStdImages as number[][][][]).map((a) => tensor(a, { dtype: "float64" }));
  const ds: data.Dataset<Tensor> = { length: 3, getItem: (i) => imgs[i] };
  const all = await T.computeMeanStd(ds);
  close(all.mean, FX.meanStd.mean, 1e-12, "mean");
  close(all.std, FX.meanStd.std, 1e-12, "std");
  const two = await T.computeMeanStd({ length: 3, getItem: async (i: number) => ({ image: imgs[i] }) }, { limit: 2 });
  close(two.mean, FX.meanStdLimit2.mean, 1e-12, "limit 2 mean");
  close(two.std, FX.meanStdLimit2.std, 1e-12, "limit 2 std");
  // 2-D images are one channel; a constant image has std 0 (not NaN from rounding below 0).
  const flat = await T.computeMeanStd({ length: 2, getItem: (i: number) => tensor([[0.1, 0.1], [0.1, 0.1]]).add(i * 0) });
  close(flat.mean, [0.1], 1e-7, "flat mean");
  assert.deepEqual(flat.std, [0]);
  await assert.rejects(rawComputeMeanStd({ length: 0, getItem: () => tensor([1]) }), { message: "computeMeanStd: the dataset is empty" });
  await assert.rejects(rawComputeMeanStd({ length: 2, getItem: (i) => (i === 0 ? tensor([[[1]], [[2]]]) : tensor([[[1]]])) }), { message: "computeMeanStd: item 1 has 1 channels but item 0 has 2" });
  await assert.rejects(async () => rawComputeMeanStd({ length: 1, getItem: () => tensor([1]) }, { limt: 1 } as never), { message: "data.computeMeanStd: unknown option 'limt'; did you mean 'limit'? (it takes limit)" });
  await assert.rejects(async () => rawComputeMeanStd(5 as never), { message: "data.computeMeanStd: dataset must be a Dataset (a numeric `length` and a `getItem(i)` method), got number 5" });
});

test("Compose runs transforms in order, objects and functions alike; its checks name the position", () => {
  const c = new T.Compose([(v: number) => v + 1, { apply: (v: number) => v * 10 }, (v: number) => v - 3]);
  assert.equal(c.apply(2), 27);
  assert.equal(new T.Compose([]).apply(5), 5);
  throwsExactly(() => new T.Compose("x" as never), 'Compose: transforms must be an array of transforms, got string "x"');
  throwsExactly(() => new T.Compose([(v: number) => v, { run: 1 }] as never), "Compose: transforms[1] must be a function or an object with apply(), got an object");
  throwsExactly(() => new T.Compose([null] as never), "Compose: transforms[0] must be a function or an object with apply(), got null");
});

test("the sample helpers: which fields move, and what is refused", () => {
  const img = tensor([[[1, 2]]]);
  throwsExactly(() => imageOf(tensor([1, 2]), "Op"), "Op: the image must have at least 2 dims [..., H, W], got shape [2]");
  throwsExactly(() => imageOf({ image: 3 } as never, "Op"), "Op: expected an image tensor or a sample { image: Tensor, ... }, got an object");
  throwsExactly(() => imageOf(null as never, "Op"), "Op: expected an image tensor or a sample { image: Tensor, ... }, got null");
  throwsExactly(() => imageOf("img" as never, "Op"), 'Op: expected an image tensor or a sample { image: Tensor, ... }, got string "img"');
  throwsExactly(() => imageOf(img, 3 as never), "data.imageOf: op must be the transform's name for messages (a string), got number 3");
  throwsExactly(() => mapSpatial(img, "Op", null as never), "data.mapSpatial: fn must be a function (t, kind, field) => Tensor, got null");
  throwsExactly(() => mapImage(img, "Op", null as never), "data.mapImage: fn must be a function (image) => Tensor, got null");
  // mapSpatial: the image as "image", spatial targets by kind, 0-d/1-d tensors and others untouched.
  const calls: string[] = [];
  const s = { image: img, mask: tensor([[0, 1]]), depth: tensor([[[5, 6]]]), ids: tensor([[1, 2]], { dtype: "int64" }), vec: tensor([1, 2]), n: 4 };
  const out = mapSpatial(s, "Op", (t, kind, field) => {
    calls.push(`${field}:${kind}`);
    return t.mul(2);
  });
  assert.deepEqual(calls, ["image:image", "mask:mask", "depth:image", "ids:mask"]);
  assert.equal(out.vec, s.vec);
  assert.equal(out.n, 4);
  assert.notEqual(out, s, "a new object");
  assert.deepEqual(out.depth.tolist(), [[[10, 12]]]);
  throwsExactly(() => mapSpatial({ image: img, depth: tensor([[1], [2]]) }, "Op", (t) => t), "Op: sample.depth has shape [2,1] but the image is 1x2 (shape [1,1,2]); spatial targets must have the image's height and width in their last two dims");
  throwsExactly(() => mapSpatial({ image: img, depth: tensor([[1, 2, 3]]) }, "Op", (t) => t), "Op: sample.depth has shape [1,3] but the image is 1x2 (shape [1,1,2]); spatial targets must have the image's height and width in their last two dims");
  const bare = mapImage(img, "Op", (t) => t.add(1));
  assert.deepEqual(bare.tolist(), [[[2, 3]]]);
  const wrapped = mapImage({ image: img, label: 1 }, "Op", (t) => t.add(1));
  assert.deepEqual(wrapped.image.tolist(), [[[2, 3]]]);
  assert.equal(wrapped.label, 1);
});

test("photometric transforms, Normalize and computeMeanStd name themselves for a bad sample or options", async () => {
  const bad = { img: tensor([[1]]) } as never;
  const noImage = (op: string): string => `${op}: expected an image tensor or a sample { image: Tensor, ... }, got an object without an image field`;
  throwsExactly(() => new T.ColorJitter({ brightness: 0.1 }).apply(bad), noImage("ColorJitter"));
  throwsExactly(() => new T.GaussianNoise().apply(bad), noImage("GaussianNoise"));
  throwsExactly(() => new T.Normalize([0], [1]).apply(bad), noImage("Normalize"));
  await assert.rejects(rawComputeMeanStd({ length: 1, getItem: () => bad }), { message: noImage("computeMeanStd") });
  throwsExactly(() => new T.ColorJitter(1 as never), "ColorJitter: options must be an object like { brightness: 0.2 }, got number 1");
  throwsExactly(() => new T.GaussianNoise(1 as never), "GaussianNoise: options must be an object like { std: 0.1 }, got number 1");
  await assert.rejects(async () => rawComputeMeanStd({ length: 1, getItem: () => tensor([[1]]) }, 1 as never), { message: "data.computeMeanStd: options must be an object like { limit: 1000 }, got number 1" });
  // A 2-D image has one channel, whatever its width.
  throwsExactly(() => new T.Normalize([1, 2], [1, 1]).apply(tensor([[1, 2, 3]])), "Normalize: the image has 1 channels (shape [1,3]) but mean/std have 2 values; give 1 or 1");
});

test("mapSpatial: an integer image is still the image (kind 'image'); a target whose height alone differs is refused; isRawImage wants an object", () => {
  const kinds: string[] = [];
  mapSpatial({ image: tensor([[1, 2]], { dtype: "int64" }), seg: tensor([[1, 2]], { dtype: "int64" }) }, "Op", (t, kind, field) => {
    kinds.push(`${field}:${kind}`);
    return t;
  });
  assert.deepEqual(kinds, ["image:image", "seg:mask"]);
  throwsExactly(() => mapSpatial({ image: tensor([[[1, 2]]]), depth: tensor([[1, 2], [3, 4]]) }, "Op", (t) => t), "Op: sample.depth has shape [2,2] but the image is 1x2 (shape [1,1,2]); spatial targets must have the image's height and width in their last two dims");
  const fn = Object.assign(() => 0, { width: 1, height: 1, channels: 1, data: Uint8Array.of(0) });
  assert.equal(T.isRawImage(fn), false);
});

test("ColorJitter: a batch [N,C,H,W] blends each image with its own mean (torchvision's mean over the last three dims)", () => {
  // Image 0 grey means: r,g,b planes [0.2, 0.4]; image 1: [0.6, 1.0]. Grey = 0.299r + 0.587g + 0.114b;
  // with r = g = b the grey level is the value, so the means are 0.3 and 0.8.
  const img = tensor([[[[0.2, 0.4]], [[0.2, 0.4]], [[0.2, 0.4]]], [[[0.6, 1.0]], [[0.6, 1.0]], [[0.6, 1.0]]]]);
  const out = Array.from(new T.ColorJitter({ contrast: [2, 2] }).apply(img).data());
  // (v - mean) * 2 + mean, clamped to [0, 1]: image 0 -> [0.1, 0.5], image 1 -> [0.4, 1.0] (1.2 clamped).
  const want = [0.1, 0.5, 0.1, 0.5, 0.1, 0.5, 0.4, 1, 0.4, 1, 0.4, 1];
  out.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `element ${i}: ${v} vs ${want[i]}`));
  // A grey batch [N,1,H,W] likewise: means 0.25 and 0.75.
  const g = Array.from(new T.ColorJitter({ contrast: [0, 0] }).apply(tensor([[[[0, 0.5]]], [[[0.5, 1]]]])).data());
  g.forEach((v, i) => assert.ok(Math.abs(v - [0.25, 0.25, 0.75, 0.75][i]) < 1e-6, `grey element ${i}: ${v}`));
});
