// The transforms' pixel work and rules against PyTorch (F.interpolate, grid_sample) and torchvision's
// rules written out with torch ops (scripts/fixtures/mutation_data.py -> test/fixtures/mutation-data.json):
// the cases session 10's mutation run of src/data/transforms found unchecked
// (docs/mutation/session-10-mutd.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, Tensor, tensor, data } from "../src/index.js";
import * as functional from "../src/data/transforms/functional.js";
import { imageOf, mapImage, mapSpatial } from "../src/data/transforms/sample.js";
import { throwsWith as throwsExactly } from "./throws-with.js";
import { FX, close } from "./mutation-data-fixture.js";

const T = data;

const x = (): Tensor => tensor(FX.x, { dtype: "float64" }).reshape([2, 3, 4]);

test("resize: PyTorch's interpolate (align_corners=False), bilinear and nearest-exact, up and down, every plane", () => {
  close(functional.resize(x(), 5, 7, "bilinear").data(), FX.bilinear5x7, 1e-12, "bilinear 5x7");
  close(functional.resize(x(), 2, 3, "bilinear").data(), FX.bilinear2x3, 1e-12, "bilinear 2x3");
  assert.deepEqual(Array.from(functional.resize(x(), 5, 7, "nearest").data()), FX.nearest5x7);
  assert.deepEqual(Array.from(functional.resize(x(), 2, 3, "nearest").data()), FX.nearest2x3);
  assert.deepEqual(functional.resize(x(), 5, 7, "bilinear").shape, [2, 5, 7]);
});

test("resizedCrop: crop, then resize, as torchvision's resized_crop (the window's edges are not blended with the pixels outside it)", () => {
  close(functional.resizedCrop(x(), 1, 1, 2, 3, 4, 5, "bilinear").data(), FX.resizedCropBilinear, 1e-12, "bilinear");
  assert.deepEqual(Array.from(functional.resizedCrop(x(), 1, 1, 2, 3, 4, 5, "nearest").data()), FX.resizedCropNearest);
});

test("rotate: counter-clockwise about the centre; outside pixels are fill (bilinear blends with it) or, in warp without fill, the edge", () => {
  close(functional.rotate(x(), 30, "bilinear", -1).data(), FX.rotate30BilinearFillMinus1, 1e-12, "30 bilinear fill -1");
  assert.deepEqual(Array.from(functional.rotate(x(), 30, "nearest", 2).data()), FX.rotate30NearestFill2);
  close(functional.rotate(x(), 200, "bilinear").data(), FX.rotate200Bilinear, 1e-12, "200 bilinear, fill 0 by default");
  // The same inverse map through warp with no fill: clamped to the edge (grid_sample's border padding).
  const th = (30 * Math.PI) / 180;
  const [c, s] = [Math.cos(th), Math.sin(th)];
  const [cx, cy] = [1.5, 1];
  const m = [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy] as const;
  close(functional.warp(x(), 3, 4, m, "bilinear").data(), FX.rotate30BilinearEdge, 1e-12, "warp bilinear edge");
  assert.deepEqual(Array.from(functional.warp(x(), 3, 4, m, "nearest").data()), FX.rotate30NearestEdge);
});

test("hflip, vflip and crop keep every plane apart and fill outside the image", () => {
  const t = tensor([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);
  assert.deepEqual(functional.hflip(t).tolist(), [[[3, 2, 1], [6, 5, 4]], [[9, 8, 7], [12, 11, 10]]]);
  assert.deepEqual(functional.vflip(t).tolist(), [[[4, 5, 6], [1, 2, 3]], [[10, 11, 12], [7, 8, 9]]]);
  assert.deepEqual(functional.crop(t, -1, 1, 3, 3, 9).tolist(), [[[9, 9, 9], [2, 3, 9], [5, 6, 9]], [[9, 9, 9], [8, 9, 9], [11, 12, 9]]]);
  assert.deepEqual(functional.crop(t, 1, -2, 2, 3).tolist(), [[[0, 0, 4], [0, 0, 0]], [[0, 0, 10], [0, 0, 0]]]);
  assert.deepEqual(functional.crop(t, 0, 3, 1, 2, -1).tolist(), [[[-1, -1]], [[-1, -1]]], "a window wholly right of the image");
  // A 2-D image is one plane; an empty one gives an empty result.
  assert.deepEqual(functional.hflip(tensor([[1, 2], [3, 4]])).tolist(), [[2, 1], [4, 3]]);
  assert.deepEqual(functional.vflip(tensor([[1, 2], [3, 4]])).tolist(), [[3, 4], [1, 2]]);
  assert.deepEqual(functional.hflip(tensor([[], []])).shape, [2, 0]);
});

test("functional ops keep the dtype: 16-bit floats are rounded from float32 work, int64 from float64, integers stay exact", () => {
  const big = 2 ** 40 + 3;
  const ids = tensor([[1, big], [5, 7]], { dtype: "int64" });
  const flipped = functional.hflip(ids);
  assert.equal(flipped.dtype, "int64");
  assert.deepEqual(Array.from(flipped.dataBigInt()), [BigInt(big), 1n, 7n, 5n]);
  const up = functional.resize(ids, 4, 4, "nearest");
  assert.equal(up.dtype, "int64");
  assert.equal(up.dataBigInt()[2], BigInt(big), "2^40 + 3 survives the float64 work");
  for (const dtype of ["float16", "bfloat16"] as const) {
    const h = tensor([[0.1, 0.7], [0.3, 0.9]], { dtype });
    const r = functional.resize(h, 1, 1, "bilinear");
    assert.equal(r.dtype, dtype);
    // The mean of the four stored values, rounded once to the dtype.
    const stored = Array.from(h.data());
    const want = tensor([(stored[0] + stored[1] + stored[2] + stored[3]) / 4], { dtype }).data()[0];
    assert.equal(r.data()[0], want, dtype);
  }
  const u8 = functional.rotate(tensor([[10, 20], [30, 40]], { dtype: "uint8" }), 90, "nearest");
  assert.equal(u8.dtype, "uint8");
  assert.deepEqual(u8.tolist(), [[20, 40], [10, 30]]);
  const f32 = functional.resize(tensor([[1, 3]]), 1, 1, "bilinear");
  assert.equal(f32.dtype, "float32");
  assert.deepEqual(f32.tolist(), [[2]]);
});

test("grayscale: torchvision's luminance per image of [..., 3, H, W]; other shapes are refused", () => {
  close(functional.grayscale(tensor(FX.rgb, { dtype: "float64" }).reshape([3, 2, 2])), FX.grayscale, 1e-7, "grayscale");
  const two = tensor(FX.two).reshape([2, 3, 1, 2]);
  const g = functional.grayscale(two);
  const rgb = Array.from(two.data());
  assert.equal(g.length, 4);
  for (let img = 0; img < 2; img++) {
    for (let i = 0; i < 2; i++) {
      const b = img * 6;
      assert.ok(Math.abs(g[img * 2 + i] - (0.299 * rgb[b + i] + 0.587 * rgb[b + 2 + i] + 0.114 * rgb[b + 4 + i])) < 1e-6);
    }
  }
  throwsExactly(() => functional.grayscale(tensor([[[1]], [[2]]])), "grayscale: expected an RGB image [..., 3, H, W], got shape [2,1,1]");
  throwsExactly(() => functional.grayscale(tensor([[1, 2, 3]])), "grayscale: expected an RGB image [..., 3, H, W], got shape [1,3]");
});

test("CenterCrop: torchvision's center_crop (pads by floor((crop - size) / 2) before; offsets round halves to even)", () => {
  const img = tensor(Array.from({ length: 30 }, (_, i) => i + 1)).reshape([1, 5, 6]);
  for (const [key, want] of Object.entries(FX.centerCrop as Record<string, number[][][]>)) {
    const [ch, cw] = key.split("x").map(Number);
    assert.deepEqual(new T.CenterCrop([ch, cw]).apply(img).tolist(), want, key);
  }
  assert.deepEqual(new T.CenterCrop(2).size, [2, 2]);
});

test("RandomResizedCrop: the fallback window when no try fits is torchvision's (Python rounding)", () => {
  for (const [key, want] of Object.entries(FX.resizedCropFallback as Record<string, number[]>)) {
    const [hw, rs] = key.split(":");
    const [h, w] = hw.split("x").map(Number);
    const [r0, r1] = rs.split(",").map(Number);
    const rrc = new T.RandomResizedCrop(2, { scale: [1, 1], ratio: [r0, r1], generator: new Generator(0) });
    assert.deepEqual(rrc.getParams(h, w), want, key);
  }
});

test("RandomResizedCrop: windows lie in the image with area in scale and aspect in ratio (up to rounding); every position is reached", () => {
  const rrc = new T.RandomResizedCrop(4, { scale: [0.25, 0.5], ratio: [0.5, 2], generator: new Generator(1) });
  const tops = new Set<number>();
  const lefts = new Set<number>();
  for (let k = 0; k < 400; k++) {
    const [top, left, ch, cw] = rrc.getParams(8, 10);
    assert.ok(top >= 0 && left >= 0 && ch >= 1 && cw >= 1 && top + ch <= 8 && left + cw <= 10, `window ${[top, left, ch, cw]}`);
    // Rounding each side moves the area by less than one row plus one column.
    assert.ok(ch * cw >= 0.25 * 80 - (ch + cw) && ch * cw <= 0.5 * 80 + (ch + cw), `area ${ch * cw}`);
    if (ch === 8 - 3) tops.add(top);
    if (cw === 10 - 5) lefts.add(left);
  }
  assert.deepEqual([...tops].sort(), [0, 1, 2, 3], "every top of a 5-row window");
  assert.deepEqual([...lefts].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5], "every left of a 5-column window");
  // The image is resized to size; a mask by nearest.
  const out = new T.RandomResizedCrop([3, 5], { generator: new Generator(2) }).apply({ image: x(), mask: tensor([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4]], { dtype: "int64" }) });
  assert.deepEqual(out.image.shape, [2, 3, 5]);
  assert.deepEqual(out.mask.shape, [3, 5]);
  for (const v of out.mask.data()) assert.ok([1, 2, 3, 4].includes(v));
});

test("RandomCrop: every window of the padded image is reached, and only those; targets are padded with targetFill", () => {
  const img = tensor([[[1, 2, 3], [4, 5, 6]]]);
  const rc = new T.RandomCrop([2, 2], { padding: 1, fill: -1, targetFill: 7, generator: new Generator(3) });
  const seen = new Set<string>();
  for (let k = 0; k < 300; k++) {
    const o = rc.apply({ image: img, depth: img.mul(10) });
    const im = o.image.tolist() as number[][][];
    const dp = o.depth.tolist() as number[][][];
    // Each output pixel: -1 (image padding) in the image exactly where the depth has 7 (its padding).
    for (let y = 0; y < 2; y++) for (let xx = 0; xx < 2; xx++) assert.equal(im[0][y][xx] === -1, dp[0][y][xx] === 7);
    seen.add(JSON.stringify(im));
  }
  // Padded 4x5: tops -1..1, lefts -1..2: 12 windows.
  const padded = [[-1, -1, -1, -1, -1], [-1, 1, 2, 3, -1], [-1, 4, 5, 6, -1], [-1, -1, -1, -1, -1]];
  const all = new Set<string>();
  for (let t = 0; t < 3; t++) for (let l = 0; l < 4; l++) all.add(JSON.stringify([[padded[t].slice(l, l + 2), padded[t + 1].slice(l, l + 2)]]));
  assert.deepEqual([...seen].sort(), [...all].sort());
  // Without padding, a window of the image's own size is the image.
  assert.deepEqual(new T.RandomCrop([2, 3], { generator: new Generator(0) }).apply(img).tolist(), img.tolist());
  throwsExactly(() => new T.RandomCrop(3).apply(img), "RandomCrop: crop 3x3 is larger than the 2x3 image padded by 0; use a smaller size, more padding, or Resize first");
  assert.doesNotThrow(() => new T.RandomCrop([4, 5], { padding: 1 }).apply(img));
  throwsExactly(() => new T.RandomCrop([4, 6], { padding: 1 }).apply(img), "RandomCrop: crop 4x6 is larger than the 2x3 image padded by 1; use a smaller size, more padding, or Resize first");
  throwsExactly(() => new T.RandomCrop([5, 5], { padding: 1 }).apply(img), "RandomCrop: crop 5x5 is larger than the 2x3 image padded by 1; use a smaller size, more padding, or Resize first");
  throwsExactly(() => new T.RandomCrop(2, { padding: -1 }), "RandomCrop: padding must be a non-negative integer, got -1");
  throwsExactly(() => new T.RandomCrop(2, { padding: 1.5 }), "RandomCrop: padding must be a non-negative integer, got 1.5");
});

test("Resize: one number sets the shorter side (floor of the other, as torchvision); masks and integer maps by nearest", () => {
  const wide = tensor(Array.from({ length: 15 }, (_, i) => i)).reshape([1, 3, 5]);
  assert.deepEqual(new T.Resize(2).apply(wide).shape, [1, 2, 3], "2 * 5 / 3 = 3.33 -> 3");
  const tall = tensor(Array.from({ length: 15 }, (_, i) => i)).reshape([1, 5, 3]);
  assert.deepEqual(new T.Resize(2).apply(tall).shape, [1, 3, 2]);
  assert.deepEqual(new T.Resize(4).apply(tensor([[[1, 2], [3, 4]]])).shape, [1, 4, 4], "a square stays square");
  // The same size returns the sample itself.
  const same = { image: wide, label: 1 };
  assert.equal(new T.Resize([3, 5]).apply(same), same);
  assert.equal(new T.Resize(3).apply(wide), wide);
  // Bilinear for the image, nearest for the mask and for an int32 map that is not called mask.
  const img = tensor([[[0, 1], [2, 3]]]);
  const ids = tensor([[0, 1], [2, 3]], { dtype: "int32" });
  const o = new T.Resize([1, 1]).apply({ image: img, mask: tensor([[0, 1], [2, 3]]), seg: ids, flag: tensor([[true, false], [false, true]]) });
  assert.deepEqual(o.image.tolist(), [[[1.5]]]);
  assert.deepEqual(o.mask.tolist(), [[3]], "a float mask is still resampled by nearest");
  assert.deepEqual(o.seg.tolist(), [[3]]);
  assert.equal(o.seg.dtype, "int32");
  assert.deepEqual(o.flag.tolist(), [[true]]);
  const depth = new T.Resize([1, 1]).apply({ image: img, depth: tensor([[0, 10], [20, 30]]) });
  assert.deepEqual(depth.depth.tolist(), [[15]], "a float target by the transform's interpolation");
  const nearest = new T.Resize([1, 1], { interpolation: "nearest" }).apply({ image: img, depth: tensor([[0, 10], [20, 30]]) });
  assert.deepEqual(nearest.image.tolist(), [[[3]]]);
  assert.deepEqual(nearest.depth.tolist(), [[30]]);
  throwsExactly(() => new T.Resize(0), "Resize: size must be a positive integer or [height, width], got number 0");
  throwsExactly(() => new T.Resize([2, 0]), "Resize: size must be a positive integer or [height, width], got an array of length 2");
  throwsExactly(() => new T.Resize([2] as never), "Resize: size must be a positive integer or [height, width], got an array of length 1");
  throwsExactly(() => new T.CenterCrop(1.5), "CenterCrop: size must be a positive integer or [height, width], got number 1.5");
  throwsExactly(() => new T.RandomResizedCrop([0, 3] as never), "RandomResizedCrop: size must be a positive integer or [height, width], got an array of length 2");
  assert.deepEqual(new T.CenterCrop([1, 2]).size, [1, 2]);
  assert.deepEqual(new T.RandomCrop(3).size, [3, 3]);
});

test("RandomRotation: the angle is uniform over [min, max]; image gets fill, targets targetFill, masks nearest", () => {
  const ones = (): number[][] => Array.from({ length: 5 }, () => [1, 1, 1, 1, 1]);
  const img = tensor([ones()]);
  const rot = new T.RandomRotation([45, 45], { fill: -1, targetFill: 9, interpolation: "bilinear" });
  const o = rot.apply({ image: img, depth: img.mul(2), mask: tensor(ones(), { dtype: "int64" }) });
  // Corner (0,0) of the 5x5 reads (2, 2 - 2√2): a row above the image with weight 1 - f, row 0 with
  // f = 3 - 2√2 (bilinear: fill blended in); nearest rounds to the row above: the fill.
  const f = 3 - 2 * Math.SQRT2;
  assert.ok(Math.abs(o.image.data()[0] - ((1 - f) * -1 + f * 1)) < 1e-6, `image corner ${o.image.data()[0]}`);
  assert.ok(Math.abs(o.depth.data()[0] - ((1 - f) * 9 + f * 2)) < 1e-5, `depth corner ${o.depth.data()[0]}`);
  assert.equal(o.mask.data()[0], 9);
  assert.equal(o.mask.data()[1], 1, "(0,1) reads (2.7, 0.1): inside");
  assert.equal(o.image.data()[12], 1, "the centre stays");
  for (const v of o.mask.data()) assert.ok(v === 1 || v === 9);
  assert.deepEqual(rot.degrees, [45, 45]);
  assert.deepEqual(new T.RandomRotation(10).degrees, [-10, 10]);
  assert.equal(new T.RandomRotation(10).interpolation, "nearest");
  // Uniform angles: over many draws of [-90, 90] the rotated corner of an asymmetric image changes.
  const r = new T.RandomRotation([0, 90], { generator: new Generator(4) });
  const g = new Generator(4);
  for (let k = 0; k < 5; k++) {
    const angle = g.random() * 90;
    assert.deepEqual(r.apply(x()).tolist(), functional.rotate(x(), angle, "nearest", 0).tolist(), `draw ${k}`);
  }
  const shifted = new T.RandomRotation([10, 20], { generator: new Generator(6) });
  const g6 = new Generator(6);
  assert.deepEqual(shifted.apply(x()).tolist(), functional.rotate(x(), 10 + g6.random() * 10, "nearest", 0).tolist());
  throwsExactly(() => new T.RandomRotation(-1), "RandomRotation: a single degrees value must be non-negative (the range is [-d, d]), got -1");
  throwsExactly(() => new T.RandomRotation([5, 1]), "RandomRotation: degrees must be [min, max] with min <= max, got [5,1]");
  throwsExactly(() => new T.RandomRotation([1, 2, 3] as never), "RandomRotation: degrees must be a number d (the range [-d, d]) or [min, max], got an array of length 3");
  throwsExactly(() => new T.RandomRotation(["a", 2] as never), "RandomRotation: degrees must be a number d (the range [-d, d]) or [min, max], got an array of length 2");
  throwsExactly(() => new T.RandomRotation("5" as never), 'RandomRotation: degrees must be a number d (the range [-d, d]) or [min, max], got string "5"');
  assert.deepEqual(new T.RandomRotation(0).degrees, [-0, 0]);
});

test("flips: p is a probability (0 never, 1 always), checked with the transform's name", () => {
  const img = tensor([[[1, 2]]]);
  assert.equal(new T.RandomHorizontalFlip({ p: 0 }).apply(img), img);
  assert.equal(new T.RandomVerticalFlip({ p: 0 }).apply(img), img);
  assert.deepEqual(new T.RandomVerticalFlip({ p: 1 }).apply(tensor([[[1], [2]]])).tolist(), [[[2], [1]]]);
  assert.equal(new T.RandomHorizontalFlip().p, 0.5);
  assert.equal(new T.RandomVerticalFlip().p, 0.5);
  // p = 0.5 flips about half the time, with the generator's draws: random() < p.
  const g = new Generator(9);
  const flip = new T.RandomVerticalFlip({ generator: new Generator(9) });
  for (let k = 0; k < 20; k++) {
    const flipped = g.random() < 0.5;
    assert.deepEqual(flip.apply(tensor([[[1], [2]]])).tolist(), flipped ? [[[2], [1]]] : [[[1], [2]]], `draw ${k}`);
  }
  throwsExactly(() => new T.RandomHorizontalFlip({ p: 1.5 }), "RandomHorizontalFlip: p must be a probability in [0, 1], got 1.5");
  throwsExactly(() => new T.RandomVerticalFlip({ p: -0.1 }), "RandomVerticalFlip: p must be a probability in [0, 1], got -0.1");
  throwsExactly(() => new T.RandomVerticalFlip({ p: NaN }), "RandomVerticalFlip: p must be a probability in [0, 1], got NaN");
  throwsExactly(() => new T.RandomVerticalFlip({ q: 1 } as never), "RandomVerticalFlip: unknown option 'q'; did you mean 'p'? (it takes p, generator)");
  throwsExactly(() => new T.RandomHorizontalFlip({ q: 1 } as never), "RandomHorizontalFlip: unknown option 'q'; did you mean 'p'? (it takes p, generator)");
  throwsExactly(() => new T.RandomVerticalFlip().apply({ img: tensor([1]) } as never), "RandomVerticalFlip: expected an image tensor or a sample { image: Tensor, ... }, got an object without an image field");
});

test("RandomResizedCrop and the other transforms check their options by name", () => {
  throwsExactly(() => new T.RandomResizedCrop(2, { scale: [0, 1] }), "RandomResizedCrop: scale must be [min, max] with 0 < min <= max, got [0,1]");
  throwsExactly(() => new T.RandomResizedCrop(2, { scale: [0.6, 0.5] }), "RandomResizedCrop: scale must be [min, max] with 0 < min <= max, got [0.6,0.5]");
  throwsExactly(() => new T.RandomResizedCrop(2, { ratio: [0, 1] }), "RandomResizedCrop: ratio must be [min, max] with 0 < min <= max, got [0,1]");
  throwsExactly(() => new T.RandomResizedCrop(2, { ratio: [2, 1] }), "RandomResizedCrop: ratio must be [min, max] with 0 < min <= max, got [2,1]");
  assert.doesNotThrow(() => new T.RandomResizedCrop(2, { scale: [0.5, 0.5], ratio: [1, 1] }));
  const d = new T.RandomResizedCrop(2);
  assert.deepEqual([d.scale, d.ratio, d.interpolation], [[0.08, 1], [3 / 4, 4 / 3], "bilinear"]);
  assert.equal(new T.Resize(2).interpolation, "bilinear");
  const rc = new T.RandomCrop(2);
  assert.deepEqual([rc.padding, rc.fill, rc.targetFill], [0, 0, 0]);
  const rr = new T.RandomRotation(2);
  assert.deepEqual([rr.fill, rr.targetFill], [0, 0]);
  throwsExactly(() => new T.Resize(2, { mode: "nearest" } as never), "Resize: unknown option 'mode'; it takes interpolation");
  throwsExactly(() => new T.RandomCrop(2, { pad: 1 } as never), "RandomCrop: unknown option 'pad'; did you mean 'padding'? (it takes padding, fill, targetFill, generator)");
  throwsExactly(() => new T.RandomResizedCrop(2, { scales: [0.5, 1] } as never), "RandomResizedCrop: unknown option 'scales'; did you mean 'scale'? (it takes scale, ratio, interpolation, generator)");
  throwsExactly(() => new T.RandomRotation(2, { fil: 0 } as never), "RandomRotation: unknown option 'fil'; did you mean 'fill'? (it takes fill, targetFill, interpolation, generator)");
});

test("warp: whole output pixels outside the image on every side get fill, or the edge pixel without fill (grid_sample's zeros/border)", () => {
  const m = FX.warpMatrix as [number, number, number, number, number, number];
  assert.deepEqual(Array.from(functional.warp(x(), 4, 6, m, "nearest", 2).data()), FX.warp_nearest_fill2);
  assert.deepEqual(Array.from(functional.warp(x(), 4, 6, m, "nearest").data()), FX.warp_nearest_edge);
  close(functional.warp(x(), 4, 6, m, "bilinear", 2).data(), FX.warp_bilinear_fill2, 1e-12, "bilinear fill 2");
  close(functional.warp(x(), 4, 6, m, "bilinear").data(), FX.warp_bilinear_edge, 1e-12, "bilinear edge");
  // A window wholly left of the image: every pixel is fill.
  assert.deepEqual(functional.crop(tensor([[[1, 2, 3]], [[4, 5, 6]]]), 0, -5, 1, 2, 8).tolist(), [[[8, 8]], [[8, 8]]]);
});

test("Resize resizes when either side differs; a size is a positive integer or a pair of them, nothing else", () => {
  const img = tensor(Array.from({ length: 15 }, (_, i) => i)).reshape([1, 3, 5]);
  assert.deepEqual(new T.Resize([3, 2]).apply(img).shape, [1, 3, 2], "the height kept, the width changed");
  assert.deepEqual(new T.Resize([2, 5]).apply(img).shape, [1, 2, 5], "the width kept, the height changed");
  const msg = (op: string, got: string): string => `${op}: size must be a positive integer or [height, width], got ${got}`;
  throwsExactly(() => new T.Resize([2, 3, 4] as never), msg("Resize", "an array of length 3"));
  throwsExactly(() => new T.CenterCrop({ 0: 2, 1: 2, length: 2 } as never), msg("CenterCrop", "an object"));
  throwsExactly(() => new T.RandomCrop([1, 2.5] as never), msg("RandomCrop", "an array of length 2"));
  // A crop just fitting the padded image (padding 2 adds 4 to each side's length) is allowed.
  const small = tensor([[[1, 2, 3], [4, 5, 6]]]);
  assert.deepEqual(new T.RandomCrop([6, 7], { padding: 2, generator: new Generator(0) }).apply(small).shape, [1, 6, 7]);
  throwsExactly(() => new T.RandomCrop([6, 8], { padding: 2 }).apply(small), "RandomCrop: crop 6x8 is larger than the 2x3 image padded by 2; use a smaller size, more padding, or Resize first");
});

test("every geometric transform names itself for a bad sample, a target of another size, and options that are not an object", () => {
  const cases: [string, (o: never) => data.Transform<data.Sample>, string][] = [
    ["RandomHorizontalFlip", (o) => new T.RandomHorizontalFlip(o ?? { p: 1 }), "{ p: 0.5 }"],
    ["RandomVerticalFlip", (o) => new T.RandomVerticalFlip(o ?? { p: 1 }), "{ p: 0.5 }"],
    ["Resize", (o) => new T.Resize(3, o), '{ interpolation: "nearest" }'],
    ["CenterCrop", () => new T.CenterCrop(1), ""],
    ["RandomCrop", (o) => new T.RandomCrop(1, o), "{ padding: 4 }"],
    ["RandomResizedCrop", (o) => new T.RandomResizedCrop(1, o), "{ scale: [0.08, 1] }"],
    ["RandomRotation", (o) => new T.RandomRotation(10, o), "{ fill: 0 }"],
  ];
  for (const [name, make, example] of cases) {
    const t = make(undefined as never);
    throwsExactly(() => t.apply({ img: tensor([[1]]) } as never), `${name}: expected an image tensor or a sample { image: Tensor, ... }, got an object without an image field`);
    throwsExactly(
      () => t.apply({ image: tensor([[[1, 2], [3, 4]]]), depth: tensor([[[1, 2, 3]]]) }),
      `${name}: sample.depth has shape [1,1,3] but the image is 2x2 (shape [1,2,2]); spatial targets must have the image's height and width in their last two dims`,
    );
    if (example) throwsExactly(() => make(1 as never), `${name}: options must be an object like ${example}, got number 1`);
  }
});

test("RandomResizedCrop.getParams: two draws per try (area, aspect), two for the position, ten tries, then the fallback", () => {
  const drawsAfter = (rrc: InstanceType<typeof T.RandomResizedCrop>, seed: number, h: number, w: number, draws: number): void => {
    const twin = new Generator(seed);
    for (let k = 0; k < draws; k++) twin.random();
    rrc.getParams(h, w);
    assert.equal(rrc.generator.random(), twin.random(), `${draws} draws`);
  };
  // A window as large as a non-square image fits at once (cw <= w and ch <= h at equality): 4 draws.
  const whole = new T.RandomResizedCrop(2, { scale: [1, 1], ratio: [1.5, 1.5], generator: new Generator(3) });
  drawsAfter(whole, 3, 4, 6, 4);
  assert.deepEqual(new T.RandomResizedCrop(2, { scale: [1, 1], ratio: [1.5, 1.5], generator: new Generator(3) }).getParams(4, 6), [0, 0, 4, 6]);
  // Windows that round to no pixels never fit: 10 tries of 2 draws, then the fallback.
  const tiny = (ratio: [number, number], seed: number) => new T.RandomResizedCrop(2, { scale: [0.01, 0.01], ratio, generator: new Generator(seed) });
  drawsAfter(tiny([0.5, 2], 4), 4, 4, 4, 20);
  assert.deepEqual(tiny([0.5, 2], 4).getParams(4, 4), [0, 0, 4, 4], "the image's own aspect is within ratio: the whole image");
  assert.deepEqual(tiny([16, 16], 5).getParams(10, 10), [4, 0, 1, 10], "1 x 10: 4 wide, 0.25 high rounds to 0 rows");
  assert.deepEqual(tiny([1 / 16, 1 / 16], 6).getParams(10, 10), [0, 4, 10, 1], "10 x 1: 0 columns wide");
  // With scale [1, 1] and the image's own aspect, the window is the whole image, resized by the interpolation.
  const rrc = new T.RandomResizedCrop([3, 5], { scale: [1, 1], ratio: [4 / 3, 4 / 3], generator: new Generator(0) });
  assert.deepEqual(rrc.apply(x()).tolist(), functional.resize(x(), 3, 5, "bilinear").tolist());
});

test("warp with a fill: a source exactly one pixel past the last row or column, or more than a pixel above, is wholly fill", () => {
  const img = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" }); // 2 x 3
  // Shifted one column: the last column reads x = 3 = w, the image's right edge plus one: fill.
  assert.deepEqual(functional.warp(img, 2, 3, [1, 0, 1, 0, 1, 0], "bilinear", 9).tolist(), [[2, 3, 9], [5, 6, 9]]);
  // Shifted one row: the last row reads y = 2 = h: fill.
  assert.deepEqual(functional.warp(img, 2, 3, [1, 0, 0, 0, 1, 1], "bilinear", 9).tolist(), [[4, 5, 6], [9, 9, 9]]);
  // Shifted 1.5 rows up: row 0 reads y = -1.5 (fill), row 1 reads y = -0.5 (half fill, half row 0).
  assert.deepEqual(functional.warp(img, 2, 3, [1, 0, 0, 0, 1, -1.5], "bilinear", 9).tolist(), [[9, 9, 9], [5, 5.5, 6]]);
});
