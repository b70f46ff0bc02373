// Session 13 (helper depthc): F.affineGrid and F.gridSample against torch 1.13's affine_grid and
// grid_sample: values and gradients of sum(W * output) for every floating input, from
// test/fixtures/grid_s13c.json (scripts/fixtures/grid_s13c.py): bilinear, nearest and bicubic, each padding mode,
// both alignCorners, points far outside, sizes 1, 3, 7, 17, 65, float32 and float64, js and wasm at 1 and
// 2 threads; the spatial-transformer pipeline theta -> grid -> sample; options forms and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, randn, rand, gradcheck, Generator } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { onBackends } from "./fixture-s13a.js";
import { checkGridCase, gridFixture } from "./grid-helpers.js";

const F = nn.functional;
const FIX = gridFixture("grid_s13c.json");

test("gridSample and affineGrid: values and gradients as torch 1.13 (js, wasm 1 and 2 threads)", () => {
  const names = Object.keys(FIX);
  assert.equal(names.length, 142);
  onBackends((label) => {
    for (const name of names) checkGridCase(label, name, FIX[name], [2, 3, 4, 7]);
  });
});

test("gridSample: identity grid reproduces the input; small hand cases", () => {
  const x = tensor([[[[1, 2, 3], [4, 5, 6]]]], { dtype: "float64" });
  const eye = tensor([[[1, 0, 0], [0, 1, 0]]], { dtype: "float64" });
  for (const ac of [false, true]) {
    assert.deepEqual(F.gridSample(x, F.affineGrid(eye, [1, 1, 2, 3], ac), "bilinear", "zeros", ac).tolist(), x.tolist());
    assert.deepEqual(F.gridSample(x, F.affineGrid(eye, [1, 1, 2, 3], ac), "nearest", "zeros", ac).tolist(), x.tolist());
  }
  // torch: grid_sample(x, [[[[0, 0]]]], align_corners=True) = 3.5 (centre of the 2x3 image), False too
  const centre = tensor([[[[0, 0]]]], { dtype: "float64" });
  assert.equal(F.gridSample(x, centre, { alignCorners: true }).item(), 3.5);
  // far outside: zeros reads 0, border the corner value, reflection mirrors back inside
  const far = tensor([[[[9, -9]]]], { dtype: "float64" });
  assert.equal(F.gridSample(x, far).item(), 0);
  assert.equal(F.gridSample(x, far, { paddingMode: "border" }).item(), 3);
  // nearest gives the grid a zero gradient, as PyTorch's (not none)
  const g = far.clone().requiresGrad_();
  F.gridSample(x, g, "nearest").sum().backward();
  assert.deepEqual(g.grad!.tolist(), [[[[0, 0]]]]);
});

test("gridSample, affineGrid: options forms and errors", () => {
  const x = tensor([[[[1, 2], [3, 4]]]]);
  const g = tensor([[[[0.3, -0.2], [1.5, 0.1]]]]);
  assert.deepEqual(F.gridSample(x, g, { paddingMode: "reflection" }).tolist(), F.gridSample(x, g, "bilinear", "reflection").tolist());
  assert.deepEqual(F.gridSample(x, g, "nearest", { alignCorners: true }).tolist(), F.gridSample(x, g, "nearest", "zeros", true).tolist());
  const th = tensor([[[1, 0.1, 0], [0, 1, 0.2]]]);
  assert.deepEqual(F.affineGrid(th, [1, 1, 2, 3], { alignCorners: true }).tolist(), F.affineGrid(th, [1, 1, 2, 3], true).tolist());
  throwsWith(() => F.gridSample(x, g, "linear" as never), 'gridSample: mode must be "bilinear", "nearest" or "bicubic", got string "linear"');
  throwsWith(() => F.gridSample(x, g, "bilinear", "edge" as never), 'gridSample: paddingMode must be "zeros", "border" or "reflection", got string "edge"');
  throwsWith(() => F.gridSample(x.reshape([1, 2, 2]), g), "gridSample: expected a 4-D input [N, C, H, W] or a 5-D one [N, C, D, H, W], got [1,2,2]");
  // 5-D input takes a 5-D grid (test/grid-s14t.test.ts has the volumetric form)
  throwsWith(() => F.gridSample(x.reshape([1, 1, 1, 2, 2]), g), "gridSample: expected grid [N, Do, Ho, Wo, 3] (last dim (x, y, z)) for a 5-D input, got grid [1,1,2,2]");
  throwsWith(() => F.gridSample(x, g.reshape([1, 1, 4, 1])), "gridSample: expected grid [N, Ho, Wo, 2] (last dim (x, y)) for a 4-D input, got grid [1,1,4,1]");
  throwsWith(() => F.gridSample(x.expand([2, 1, 2, 2]), g), "gridSample: input [2,1,2,2] and grid [1,1,2,2] must have the same batch size, got 2 and 1");
  throwsWith(() => F.gridSample(x, g.double()), "gridSample: input and grid must have the same dtype, got float32 and float64");
  throwsWith(() => F.gridSample(x.int(), g.int()), "gridSample: input must be float32 or float64, got int32");
  throwsWith(() => F.gridSample(x, g, "bilinear", "zeros", 1 as never), "gridSample: alignCorners must be true, false or null, got number 1");
  throwsWith(() => F.affineGrid(th, [1, 1, 2]), "affineGrid: size must be [N, C, H, W] or [N, C, D, H, W] (4 or 5 integers), got [1,1,2]");
  throwsWith(() => F.affineGrid(th, [1, 1, 2, 2, 2]), "affineGrid: expected a batch of 3-D affine matrices of shape [N, 3, 4] for size [1,1,2,2,2], got theta [1,2,3]");
  throwsWith(() => F.affineGrid(th, [2, 1, 2, 3]), "affineGrid: expected a batch of 2-D affine matrices of shape [N, 2, 3] for size [2,1,2,3], got theta [1,2,3]");
  throwsWith(() => F.affineGrid(th.reshape([1, 3, 2]), [1, 1, 2, 3]), "affineGrid: expected a batch of 2-D affine matrices of shape [N, 2, 3] for size [1,1,2,3], got theta [1,3,2]");
  throwsWith(() => F.affineGrid(th, [1, 1, 2.5, 3]), "affineGrid: size must be an array of non-negative integers [N, C, H, W], got an array of length 4");
});

test("gridSample, affineGrid: gradcheck in float64 (input and grid, bilinear and bicubic, every padding mode, both alignCorners)", () => {
  const gen = new Generator(17);
  for (const pm of ["zeros", "border", "reflection"] as const) {
    for (const ac of [false, true]) {
      const x = randn([2, 2, 3, 4], { dtype: "float64", generator: gen }).requiresGrad_();
      // points in and beyond the image, none on a pixel or border line (where the derivative jumps)
      const g = rand([2, 3, 2, 2], { dtype: "float64", generator: gen }).mul(3).sub(1.5).requiresGrad_();
      for (const mode of ["bilinear", "bicubic"] as const) assert.ok(gradcheck((a, b) => F.gridSample(a, b, mode, pm, ac), [x, g]), `${mode} ${pm} ${ac}`);
    }
  }
  const th = randn([2, 2, 3], { dtype: "float64", generator: gen }).requiresGrad_();
  assert.ok(gradcheck((t) => F.affineGrid(t, [2, 1, 3, 5], true), [th]));
});
