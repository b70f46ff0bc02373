/**
 * nn.UpsamplingNearest2d, nn.UpsamplingBilinear2d and the deprecated F.upsample / upsampleNearest /
 * upsampleBilinear against PyTorch 1.13 (test/fixtures/s13d.json, scripts/fixtures/s13d.py): outputs
 * and input gradients, on js and wasm at 1 and 2 threads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, zeros, type Tensor } from "../src/index.js";
import { FIX, closeTo, fromFixture, onBackends, type FixtureTensor } from "./fixture-s13d.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;

/** Each fixture case with the deeptype call that should match it. */
const CASES: [string, (x: Tensor) => Tensor][] = [
  ["nearest2d_sf2", (x) => new nn.UpsamplingNearest2d({ scaleFactor: 2 }).call(x)],
  ["nearest2d_size", (x) => new nn.UpsamplingNearest2d([5, 7]).call(x)],
  ["nearest2d_1d", (x) => new nn.UpsamplingNearest2d(null, 3).call(x)],
  ["nearest2d_sf_pair", (x) => new nn.UpsamplingNearest2d({ scaleFactor: [1.5, 2.5] }).call(x)],
  ["bilinear2d_sf2", (x) => new nn.UpsamplingBilinear2d(null, 2).call(x)],
  ["bilinear2d_size", (x) => new nn.UpsamplingBilinear2d({ size: [17, 7] }).call(x)],
  ["bilinear2d_one", (x) => new nn.UpsamplingBilinear2d([1, 3]).call(x)],
  ["bilinear2d_sf_pair", (x) => new nn.UpsamplingBilinear2d({ scaleFactor: [2, 3] }).call(x)],
  ["upsample_bilinear_default", (x) => F.upsample(x, { scaleFactor: 2, mode: "bilinear" })],
  ["upsample_linear_align", (x) => F.upsample(x, 7, null, "linear", true)],
  ["upsample_nearest_pos", (x) => F.upsample(x, [4, 6])],
  ["upsample_nearest_fn", (x) => F.upsampleNearest(x, { scaleFactor: 3 })],
  ["upsample_nearest_fn_size", (x) => F.upsampleNearest(x, [5, 2])],
  ["upsample_bilinear_fn", (x) => F.upsampleBilinear(x, [5, 6])],
  ["upsample_bilinear_fn_sf", (x) => F.upsampleBilinear(x, null, 2)],
];

test("Upsampling layers and F.upsample* match PyTorch's values and input gradients", () => {
  onBackends((label) => {
    for (const [name, run] of CASES) {
      const f = FIX[name] as Record<string, FixtureTensor>;
      const x = fromFixture(f.x).requiresGrad_();
      const y = run(x);
      closeTo(y, f.y, `${label} ${name}: y`, 1e-6, 1e-6);
      y.backward(fromFixture(f.g));
      closeTo(x.grad!, f.gx, `${label} ${name}: grad`, 1e-5, 1e-5);
    }
  });
});

test("Upsampling layers: PyTorch's printout, subclasses of Upsample, clear errors", () => {
  const reprs = [
    new nn.UpsamplingNearest2d({ scaleFactor: 2 }), new nn.UpsamplingNearest2d([5, 7]),
    new nn.UpsamplingBilinear2d(5), new nn.UpsamplingBilinear2d(null, [2, 3]),
  ].map((m) => m.toString());
  assert.deepEqual(reprs, FIX.upsampling_repr);
  const up = new nn.UpsamplingBilinear2d({ scaleFactor: 2 });
  assert.ok(up instanceof nn.Upsample);
  assert.deepEqual([up.opts.mode, up.opts.alignCorners], ["bilinear", true]);
  // PyTorch: "either size or scale_factor should be defined"
  throwsWith(() => new nn.UpsamplingNearest2d(), "UpsamplingNearest2d: give exactly one of size and scaleFactor");
  throwsWith(() => new nn.UpsamplingBilinear2d(4, 2), "UpsamplingBilinear2d: give exactly one of size and scaleFactor (got both)");
  throwsWith(() => new nn.UpsamplingBilinear2d({ scaleFactor: 2, mode: "nearest" } as object), "UpsamplingBilinear2d: unknown option 'mode'; it takes size, scaleFactor");
  // PyTorch: "Got 3D input, but bilinear mode needs 4D input"
  throwsWith(() => up.call(zeros([1, 2, 3])), "UpsamplingBilinear2d: bilinear mode takes input [N, C, H, W], got [1,2,3]");
  throwsWith(() => F.upsampleBilinear(zeros([1, 2, 3]), null, 2), "upsampleBilinear: bilinear mode takes input [N, C, H, W], got [1,2,3]");
  throwsWith(() => F.upsampleNearest(zeros([1, 1, 2, 2])), "upsampleNearest: give exactly one of size and scaleFactor");
  throwsWith(() => F.upsample(zeros([1, 1, 2, 2]), { scaleFactor: 2, mode: "bilinear", alignCorner: true } as object), /^upsample: unknown option 'alignCorner'/);
  throwsWith(() => F.upsampleNearest(zeros([1, 1, 2, 2]), { scaleFactor: 0 }), "upsampleNearest: scaleFactor must be positive, got number 0");
});
