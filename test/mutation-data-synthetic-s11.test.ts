// Session 11 (issue 14): a fast test of src/data/datasets/synthetic.ts for mutation runs (tiny images,
// few items). The depth frames are checked pixel by pixel against the camera model the source
// documents (eye 1.5 m above the ground, focal 0.9 * width, z-depth clipped at maxDepth), with an
// independent ray caster (plane, quadratic-root sphere, slab box) over the scene drawn from the same
// generator stream; the segmentation masks against the shapes drawn from theirs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, data } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const { SyntheticDepthDataset, SyntheticSegmentationDataset } = data;

type V = [number, number, number];
type Obj = { sphere: true; c: V; r: number; color: V } | { sphere: false; lo: V; hi: V; color: V };

/** The scene parameters, drawn in the order the source documents (objects, ground, sun, start, lateral, speed). */
function scene(seed: number, s: number) {
  const g = new Generator(seed * 1000003 + s);
  const u = (a: number, b: number) => a + g.random() * (b - a);
  const objects: Obj[] = [];
  const count = 3 + g.randint(0, 4);
  for (let k = 0; k < count; k++) {
    const color: V = [u(0.2, 1), u(0.2, 1), u(0.2, 1)];
    const x = u(-6, 6), z = u(8, 30);
    if (g.random() < 0.5) {
      const r = u(0.5, 2);
      objects.push({ sphere: true, c: [x, r, z], r, color });
    } else {
      const w = u(0.8, 3), h = u(0.8, 4), d = u(0.8, 3);
      objects.push({ sphere: false, lo: [x - w / 2, 0, z - d / 2], hi: [x + w / 2, h, z + d / 2], color });
    }
  }
  const ground: V = [u(0.3, 0.5), u(0.3, 0.45), u(0.25, 0.35)];
  const s0: V = [u(-1, 1), u(0.5, 1.5), u(-1, 0.2)];
  const sl = Math.sqrt(s0[0] ** 2 + s0[1] ** 2 + s0[2] ** 2);
  const sun: V = [s0[0] / sl, s0[1] / sl, s0[2] / sl];
  return { objects, count, ground, sun, startZ: u(-2, 2), lateral: u(-1, 1), speed: u(0.2, 0.4) };
}

/** A tensor's values as numbers (int64 ones too). */
const nums = (t: { data(): unknown }): number[] => Array.from(t.data() as ArrayLike<number | bigint>, Number);

const dot = (a: V, b: V) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Renders item `index` independently; also counts what the rays hit. */
function render(o: { scenes: number; framesPerScene: number; height: number; width: number; maxDepth: number; seed: number; dayScenes: number }, index: number, hits: Record<string, number>) {
  const { height: H, width: W } = o;
  const sc = Math.floor(index / o.framesPerScene), fr = index % o.framesPerScene, day = sc < o.dayScenes;
  const p = scene(o.seed, sc);
  const noise = new Generator((o.seed + 7) * 1000003 + index);
  const eye: V = [p.lateral, 1.5, p.startZ + fr * p.speed];
  const f = 0.9 * W;
  const image = new Float64Array(3 * H * W), depth = new Float64Array(H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const raw: V = [(x + 0.5 - W / 2) / f, (H / 2 - y - 0.5) / f, 1];
    const len = Math.sqrt(dot(raw, raw));
    const d: V = [raw[0] / len, raw[1] / len, 1 / len];
    let best: { t: number; n: V; color: V; what: string } | null = null;
    if (raw[1] < 0) {
      const t = 1.5 / -d[1];
      const gx = eye[0] + t * d[0], gz = eye[2] + t * d[2];
      const odd = Math.abs(Math.floor(gx) + Math.floor(gz)) % 2 === 1;
      const k = odd ? 1 : 0.8;
      best = { t, n: [0, 1, 0], color: [p.ground[0] * k, p.ground[1] * k, p.ground[2] * k], what: odd ? "ground-odd" : "ground-even" };
    }
    for (const ob of p.objects) {
      if (ob.sphere) {
        const oc: V = [eye[0] - ob.c[0], eye[1] - ob.c[1], eye[2] - ob.c[2]];
        const B = 2 * dot(oc, d), C = dot(oc, oc) - ob.r * ob.r, disc = B * B - 4 * C;
        if (disc < 0) continue;
        const t = (-B - Math.sqrt(disc)) / 2;
        if (t > 1e-4 && (!best || t < best.t)) {
          const n: V = [eye[0] + t * d[0] - ob.c[0], eye[1] + t * d[1] - ob.c[1], eye[2] + t * d[2] - ob.c[2]];
          best = { t, n: [n[0] / ob.r, n[1] / ob.r, n[2] / ob.r], color: ob.color, what: "sphere" };
        }
      } else {
        let near = -Infinity, far = Infinity, axis = -1;
        for (let a = 0; a < 3; a++) {
          const ta = (ob.lo[a] - eye[a]) / d[a], tb = (ob.hi[a] - eye[a]) / d[a];
          const lo = Math.min(ta, tb), hi = Math.max(ta, tb);
          if (lo > near) { near = lo; axis = a; }
          if (hi < far) far = hi;
        }
        if (near <= far && near > 1e-4 && (!best || near < best.t)) {
          const n: V = [0, 0, 0];
          n[axis] = d[axis] > 0 ? -1 : 1;
          best = { t: near, n, color: ob.color, what: `box-${"xyz"[axis]}${n[axis] > 0 ? "+" : "-"}` };
        }
      }
    }
    let rgb: V;
    const i = y * W + x;
    const count = (k: string) => { hits[k] = (hits[k] ?? 0) + 1; };
    if (2 * y + 1 === H) count(best ? (best.what.startsWith("box") ? "horizon-box" : "horizon-other") : "horizon-sky");
    if (2 * x + 1 === W && best?.what.startsWith("box")) count("centre-box");
    if (p.objects.some((ob) => (ob.sphere ? ob.c[2] + ob.r : ob.hi[2]) < eye[2])) count("behind");
    if (!best) {
      depth[i] = o.maxDepth;
      rgb = day ? [0.7 - (0.2 * y) / H, 0.7, 0.95] : [0.02, 0.02, 0.06];
      hits.sky = (hits.sky ?? 0) + 1;
    } else {
      depth[i] = Math.min(o.maxDepth, best.t * d[2]);
      if (best.t * d[2] > o.maxDepth) hits.clipped = (hits.clipped ?? 0) + 1;
      hits[best.what] = (hits[best.what] ?? 0) + 1;
      if (day) {
        const light = 0.35 + 0.65 * Math.max(0, dot(best.n, p.sun));
        rgb = [best.color[0] * light, best.color[1] * light, best.color[2] * light];
      } else {
        const facing = Math.max(0, -dot(best.n, d));
        const light = 0.04 + (6 * facing) / (4 + 0.1 * best.t * best.t);
        rgb = [best.color[0] * light, best.color[1] * light, best.color[2] * light * 0.9];
      }
    }
    for (let c = 0; c < 3; c++) {
      const v = rgb[c] + 0.01 * noise.normal();
      if (v < 0) hits.clamp0 = (hits.clamp0 ?? 0) + 1;
      if (v > 1) hits.clamp1 = (hits.clamp1 ?? 0) + 1;
      image[c * H * W + i] = Math.min(1, Math.max(0, v));
    }
  }
  return { image, depth, day, scene: sc, frame: fr };
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test("depth: every pixel's z-depth and colour follow the camera model over ground, spheres, boxes and sky, day and night", () => {
  const hits: Record<string, number> = {};
  // Seeds 9 and 14 have boxes lower than the camera, close by: items 3 (day) and 6 (night) see their tops.
  for (const [seed, maxDepth, H, W, items] of [[3, 80, 20, 28, [0, 4, 6, 11]], [18, 16, 20, 28, [0, 4, 6, 11]], [9, 80, 20, 28, [3]], [14, 80, 20, 28, [6]]] as const) {
    const ds = new SyntheticDepthDataset({ scenes: 4, framesPerScene: 3, height: H, width: W, maxDepth, seed });
    assert.equal(ds.dayScenes, 2);
    for (const index of items) {
      const s = ds.getItem(index);
      const ref = render(ds, index, hits);
      assert.deepEqual(s.image.shape, [3, H, W]);
      assert.deepEqual(s.depth.shape, [1, H, W]);
      assert.equal(s.image.dtype, "float32");
      assert.equal(s.depth.dtype, "float32");
      close(nums(s.depth), ref.depth, 1e-6, `depth of item ${index} seed ${seed}`);
      close(nums(s.image), ref.image, 1e-6, `image of item ${index} seed ${seed}`);
      assert.equal(s.daytime, ref.day);
      assert.equal(s.scene, ref.scene);
      assert.equal(s.frame, ref.frame);
    }
  }
  // The items above reach every branch: both ground colours, spheres, the boxes' faces, the sky,
  // clipping at maxDepth and the clamps of the image to [0, 1].
  for (const k of ["ground-odd", "ground-even", "sphere", "box-z-", "box-y+", "sky", "clipped", "clamp0"]) {
    assert.ok((hits[k] ?? 0) > 0, `no pixel hit ${k}: ${JSON.stringify(hits)}`);
  }
  assert.ok((hits["box-x+"] ?? 0) + (hits["box-x-"] ?? 0) > 0, `no box side: ${JSON.stringify(hits)}`);
});

test("depth: odd sizes put a row and a column of rays exactly level and straight ahead (parallel to the ground and the boxes' sides)", () => {
  // The middle row of an odd height looks at the horizon: no ground hit, sky unless an object is in
  // the way; the middle column of an odd width runs parallel to the boxes' x faces.
  const hits: Record<string, number> = {};
  for (const seed of [9, 14, 18, 21]) {
    const ds = new SyntheticDepthDataset({ scenes: 4, framesPerScene: 3, height: 9, width: 13, seed });
    for (let index = 0; index < 12; index += 2) {
      const s = ds.getItem(index);
      const ref = render(ds, index, hits);
      close(nums(s.depth), ref.depth, 1e-6, `depth of item ${index} seed ${seed}`);
      close(nums(s.image), ref.image, 1e-6, `image of item ${index} seed ${seed}`);
    }
  }
  for (const k of ["horizon-sky", "horizon-box", "centre-box"]) assert.ok((hits[k] ?? 0) > 0, `no pixel hit ${k}: ${JSON.stringify(hits)}`);
});

test("depth: a camera that has driven past objects does not see them behind it", () => {
  const hits: Record<string, number> = {};
  for (const seed of [2, 7]) {
    const ds = new SyntheticDepthDataset({ scenes: 2, framesPerScene: 150, height: 9, width: 12, seed, nightFraction: 0 });
    for (const index of [60, 100, 149, 210, 299]) {
      const s = ds.getItem(index);
      const ref = render(ds, index, hits);
      close(nums(s.depth), ref.depth, 1e-6, `depth of item ${index} seed ${seed}`);
      close(nums(s.image), ref.image, 1e-6, `image of item ${index} seed ${seed}`);
      assert.ok(nums(s.depth).every((v) => v > 0), "depths are positive");
    }
  }
  assert.ok((hits.behind ?? 0) > 0, JSON.stringify(hits));
});

test("depth: the ground rows and the sky rows against the analytic values (1.5 * focal / row offset)", () => {
  // 8 x 4: focal 3.6 m; the bottom two rows see the ground nearer than any object can be, the top row
  // rises faster than any object is tall.
  for (const seed of [0, 5]) {
    const ds = new SyntheticDepthDataset({ scenes: 3, framesPerScene: 2, height: 8, width: 4, seed });
    for (let i = 0; i < ds.length; i++) {
      const d = nums(ds.getItem(i).depth);
      for (let x = 0; x < 4; x++) {
        assert.equal(d[x], 80, `sky ${x}`);
        assert.ok(Math.abs(d[7 * 4 + x] - (1.5 * 3.6) / 3.5) < 1e-5, `row 7: ${d[7 * 4 + x]}`);
        assert.ok(Math.abs(d[6 * 4 + x] - (1.5 * 3.6) / 2.5) < 1e-5, `row 6: ${d[6 * 4 + x]}`);
      }
    }
  }
  const clipped = nums(new SyntheticDepthDataset({ scenes: 1, framesPerScene: 1, height: 8, width: 4, maxDepth: 2 }).getItem(0).depth);
  assert.deepEqual(clipped.slice(0, 24), new Array(24).fill(2));
  assert.ok(Math.abs(clipped[28] - 1.5 * 3.6 / 3.5) < 1e-5);
});

test("depth: defaults, lengths, scenes of items, day-first order and nightFraction's rounding", () => {
  const ds = new SyntheticDepthDataset();
  assert.deepEqual([ds.scenes, ds.framesPerScene, ds.height, ds.width, ds.maxDepth, ds.seed, ds.dayScenes, ds.length], [20, 5, 32, 32, 80, 0, 10, 100]);
  assert.equal(ds.transform, undefined);
  const s = new SyntheticDepthDataset({ scenes: 5, framesPerScene: 3, height: 2, width: 2 });
  assert.equal(s.length, 15);
  assert.equal(s.dayScenes, 2, "5 scenes, half at night: Math.round(2.5) = 3 night scenes");
  assert.deepEqual(Array.from({ length: 15 }, (_, i) => s.sceneOf(i)), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
  assert.deepEqual(Array.from({ length: 15 }, (_, i) => s.isDaytime(i)), Array.from({ length: 15 }, (_, i) => i < 6));
  const names = Array.from({ length: 15 }, (_, i) => s.getItem(i));
  assert.deepEqual(names.map((x) => x.name), ["sun-0001", "sun-0002", "sun-0003", "sun-0004", "sun-0005", "sun-0006",
    "moon-0007", "moon-0008", "moon-0009", "moon-0010", "moon-0011", "moon-0012", "moon-0013", "moon-0014", "moon-0015"]);
  assert.deepEqual(names.map((x) => [x.scene, x.frame, x.daytime]), Array.from({ length: 15 }, (_, i) => [Math.floor(i / 3), i % 3, i < 6]));
  assert.equal(new SyntheticDepthDataset({ scenes: 2000, framesPerScene: 1, height: 1, width: 1 }).getItem(1234).name, "moon-1235");
  for (const [scenes, night, day] of [[3, 0.5, 1], [7, 0.3, 5], [4, 0, 4], [4, 1, 0], [10, 0.25, 7], [1, 0.5, 0], [1, 0.49, 1]] as const) {
    const d = new SyntheticDepthDataset({ scenes, nightFraction: night, framesPerScene: 2, height: 1, width: 1 });
    assert.equal(d.dayScenes, day, `${scenes} scenes, nightFraction ${night}`);
    assert.deepEqual(Array.from({ length: 2 * scenes }, (_, i) => d.isDaytime(i)), Array.from({ length: 2 * scenes }, (_, i) => i < 2 * day));
  }
  throwsWith(() => s.sceneOf(15), "SyntheticDepthDataset.getItem: index 15 is out of range for a dataset of length 15 (valid indices are 0..14)", RangeError);
  throwsWith(() => s.isDaytime(-1), "SyntheticDepthDataset.getItem: index -1 is out of range for a dataset of length 15 (valid indices are 0..14)", RangeError);
  throwsWith(() => s.getItem(15), "SyntheticDepthDataset.getItem: index 15 is out of range for a dataset of length 15 (valid indices are 0..14)", RangeError);
  throwsWith(() => s.getItem(1.5), "SyntheticDepthDataset.getItem: index 1.5 is out of range for a dataset of length 15 (valid indices are 0..14)", RangeError);
});

test("depth: option checks and their messages", () => {
  const P = "SyntheticDepthDataset: ";
  for (const k of ["scenes", "framesPerScene", "height", "width"]) {
    for (const v of [0, -2, 1.5]) throwsWith(() => new SyntheticDepthDataset({ [k]: v }), `${P}${k} must be a positive integer, got ${v}`);
    assert.equal((new SyntheticDepthDataset({ [k]: 1 }) as unknown as Record<string, number>)[k], 1);
  }
  for (const v of [-0.1, 1.5, NaN]) throwsWith(() => new SyntheticDepthDataset({ nightFraction: v }), `${P}nightFraction must be in [0, 1], got ${v}`);
  throwsWith(() => new SyntheticDepthDataset({ bogus: 1 } as never), `${P}unknown option 'bogus'; it takes scenes, framesPerScene, nightFraction, height, width, maxDepth, seed, transform`);
  throwsWith(() => new SyntheticDepthDataset(5 as never), `${P}options must be an object like { scenes: 20 }, got number 5`);
});

test("depth: a pure function of (seed, index), whatever order items are read in; transforms see the sample", () => {
  const opts = { scenes: 3, framesPerScene: 2, height: 6, width: 5, seed: 9 };
  const a = new SyntheticDepthDataset(opts), b = new SyntheticDepthDataset(opts);
  const late = nums(b.getItem(5).image);
  for (let i = 0; i < 6; i++) {
    const x = a.getItem(i), y = b.getItem(i);
    assert.deepEqual(nums(x.image), nums(y.image));
    assert.deepEqual(nums(x.depth), nums(y.depth));
  }
  assert.deepEqual(nums(a.getItem(5).image), late);
  const other = nums(new SyntheticDepthDataset({ ...opts, seed: 10 }).getItem(0).image);
  assert.notDeepEqual(other, nums(a.getItem(0).image));
  const seen: string[] = [];
  const t = new SyntheticDepthDataset({ ...opts, transform: (s) => { seen.push(s.name); return { ...s, depth: s.depth.mul(2), extra: s.frame }; } });
  assert.equal(t.transform !== undefined, true);
  const got = t.getItem(3);
  assert.deepEqual(seen, ["moon-0004"], "3 scenes, half at night: 2 night scenes, item 3 is in scene 1");
  assert.equal(got.extra, 1);
  close(nums(got.depth), nums(a.getItem(3).depth).map((v) => 2 * v), 1e-6, "transformed depth");
  const obj = new SyntheticDepthDataset({ ...opts, transform: new data.Compose([(s: data.DepthSample) => ({ ...s, name: s.name.toUpperCase() })]) });
  assert.equal(obj.getItem(4).name, "MOON-0005");
});

/** The mask drawn from the item's generator stream, and the image's expected values. */
function segRef(ds: InstanceType<typeof SyntheticSegmentationDataset>, index: number, kinds: Set<number>) {
  const { height: H, width: W } = ds;
  const g = new Generator(ds.seed * 1000003 + index);
  const mask = new Array<number>(H * W).fill(0);
  const shapes = 1 + g.randint(0, ds.maxShapes);
  for (let s = 0; s < shapes; s++) {
    const cls = 1 + g.randint(0, ds.numClasses - 1);
    const cx = g.random() * W, cy = g.random() * H;
    const size = (0.12 + 0.25 * g.random()) * Math.min(H, W);
    const kind = g.randint(0, 3);
    const angle = g.random() * 2 * Math.PI;
    kinds.add(kind);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const px = x + 0.5 - cx, py = y + 0.5 - cy;
      let inside: boolean;
      if (kind === 0) inside = Math.hypot(px, py) <= size + 1e-12;
      else if (kind === 1) inside = Math.abs(px) <= size && Math.abs(py) <= 0.6 * size;
      else inside = [0, 1, 2].every((e) => px * Math.cos(angle + (2 * Math.PI * e) / 3) + py * Math.sin(angle + (2 * Math.PI * e) / 3) <= size / 2);
      if (inside) mask[y * W + x] = cls;
    }
  }
  const tint = [0.08 * g.normal(), 0.08 * g.normal(), 0.08 * g.normal()];
  const image = new Array<number>(3 * H * W);
  for (let i = 0; i < H * W; i++) for (let c = 0; c < 3; c++) {
    image[c * H * W + i] = Math.min(1, Math.max(0, ds.palette[mask[i]][c] + tint[c] + 0.05 * g.normal()));
  }
  return { mask, image, shapes };
}

test("segmentation: masks are the drawn discs, rectangles and triangles; pixels are the class colour plus tint and noise", () => {
  const kinds = new Set<number>();
  const counts = new Set<number>();
  for (const [seed, numClasses, maxShapes] of [[3, 5, 3], [8, 3, 1]] as const) {
    const ds = new SyntheticSegmentationDataset({ length: 12, numClasses, height: 10, width: 14, maxShapes, seed });
    const classes = new Set<number>();
    for (let i = 0; i < ds.length; i++) {
      const { image, mask } = ds.getItem(i);
      const ref = segRef(ds, i, kinds);
      counts.add(ref.shapes);
      assert.deepEqual(mask.shape, [10, 14]);
      assert.equal(mask.dtype, "int64");
      assert.deepEqual(image.shape, [3, 10, 14]);
      assert.equal(image.dtype, "float32");
      const m = nums(mask);
      assert.deepEqual(Array.from(m, Number), ref.mask, `mask of item ${i}`);
      close(nums(image), ref.image, 1e-6, `image of item ${i}`);
      for (const v of m) classes.add(Number(v));
    }
    assert.deepEqual([...classes].sort(), Array.from({ length: numClasses }, (_, c) => c), "background and every class appear");
  }
  assert.deepEqual([...kinds].sort(), [0, 1, 2]);
  assert.deepEqual([...counts].sort(), [1, 2, 3]);
});

test("segmentation: the palette spreads the classes around the hue circle", () => {
  const ds = new SyntheticSegmentationDataset({ numClasses: 5 });
  close(ds.palette.flat(), [0.15, 0.15, 0.15, 0.2, 1, 1, 0.6, 0.2, 1, 1, 0.2, 0.2, 0.6, 1, 0.2], 1e-12, "palette of 5");
  close(new SyntheticSegmentationDataset({ numClasses: 4 }).palette.flat(), [0.15, 0.15, 0.15, 0.2, 1, 1, 1, 0.2, 1, 1, 1, 0.2], 1e-12, "palette of 4");
  close(new SyntheticSegmentationDataset({ numClasses: 2 }).palette.flat(), [0.15, 0.15, 0.15, 0.2, 1, 1], 1e-12, "palette of 2");
});

test("segmentation: defaults, option checks and messages, empty datasets, determinism, transforms", () => {
  const d = new SyntheticSegmentationDataset();
  assert.deepEqual([d.length, d.numClasses, d.height, d.width, d.maxShapes, d.seed, d.palette.length], [200, 4, 32, 32, 4, 0, 4]);
  assert.equal(d.transform, undefined);
  const P = "SyntheticSegmentationDataset: ";
  for (const v of [-1, 2.5]) throwsWith(() => new SyntheticSegmentationDataset({ length: v }), `${P}length must be a non-negative integer, got ${v}`);
  for (const v of [1, 0, 3.5]) throwsWith(() => new SyntheticSegmentationDataset({ numClasses: v }), `${P}numClasses must be an integer >= 2 (background + at least one class), got ${v}`);
  for (const k of ["height", "width", "maxShapes"]) {
    for (const v of [0, -1, 2.5]) throwsWith(() => new SyntheticSegmentationDataset({ [k]: v }), `${P}${k} must be a positive integer, got ${v}`);
    assert.equal((new SyntheticSegmentationDataset({ [k]: 1 }) as unknown as Record<string, number>)[k], 1);
  }
  throwsWith(() => new SyntheticSegmentationDataset({ bogus: 1 } as never), `${P}unknown option 'bogus'; it takes length, numClasses, height, width, maxShapes, seed, transform`);
  throwsWith(() => new SyntheticSegmentationDataset([] as never), /^SyntheticSegmentationDataset: options must be an object like \{ length: 200 \}/);
  const empty = new SyntheticSegmentationDataset({ length: 0 });
  assert.equal(empty.length, 0);
  throwsWith(() => empty.getItem(0), "SyntheticSegmentationDataset.getItem: index 0 is out of range for a dataset of length 0 (the dataset is empty)", RangeError);
  const one = new SyntheticSegmentationDataset({ length: 3, height: 4, width: 5, numClasses: 2, seed: 2 });
  throwsWith(() => one.getItem(3), "SyntheticSegmentationDataset.getItem: index 3 is out of range for a dataset of length 3 (valid indices are 0..2)", RangeError);
  const again = new SyntheticSegmentationDataset({ length: 3, height: 4, width: 5, numClasses: 2, seed: 2 });
  assert.deepEqual(nums(one.getItem(2).image), nums(again.getItem(2).image));
  const t = new SyntheticSegmentationDataset({ length: 3, height: 4, width: 5, numClasses: 2, seed: 2, transform: (s) => ({ ...s, mask: s.mask.add(1) }) });
  assert.deepEqual(nums(t.getItem(1).mask), nums(one.getItem(1).mask).map((v) => v + 1));
});
