// Session 14 (helper tidy): the volumetric (5-D) F.affineGrid and F.gridSample against torch 1.13's
// affine_grid and grid_sample: values and gradients of sum(W * output) for every floating input, from
// test/fixtures/grid_s14t.json (scripts/fixtures/grid_s14t.py): trilinear ("bilinear") and nearest, each
// padding mode, both alignCorners, points far outside, sizes 1, 2, 3, 7, 17, float32 and float64, js and
// wasm at 1 and 2 threads; the 3-D spatial-transformer pipeline; gradcheck; errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, randn, rand, gradcheck, Generator } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { onBackends } from "./fixture-s13a.js";
import { checkGridCase, gridFixture } from "./grid-helpers.js";

const F = nn.functional;
const FIX = gridFixture("grid_s14t.json");

test("5-D gridSample and affineGrid: values and gradients as torch 1.13 (js, wasm 1 and 2 threads)", () => {
  const names = Object.keys(FIX);
  assert.equal(names.length, 166);
  onBackends((label) => {
    for (const name of names) checkGridCase(label, name, FIX[name], [2, 2, 2, 3, 7]);
  });
});

test("5-D gridSample: the identity grid reproduces the volume; hand cases", () => {
  const x = tensor(Array.from({ length: 12 }, (_, i) => i + 1), { dtype: "float64" }).reshape([1, 1, 2, 2, 3]);
  const eye = tensor([[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]], { dtype: "float64" });
  for (const ac of [false, true]) {
    for (const mode of ["bilinear", "nearest"] as const) {
      assert.deepEqual(F.gridSample(x, F.affineGrid(eye, [1, 1, 2, 2, 3], ac), mode, "zeros", ac).tolist(), x.tolist(), `${mode} ${ac}`);
    }
  }
  // the centre of the 2x2x3 volume is the mean of its 8 central neighbours: 6.5
  const centre = tensor([[[[[0, 0, 0]]]]], { dtype: "float64" });
  assert.equal(F.gridSample(x, centre, { alignCorners: true }).item(), 6.5);
  const far = tensor([[[[[9, -9, 9]]]]], { dtype: "float64" });
  assert.equal(F.gridSample(x, far).item(), 0);
  // border: x -> last column, y -> first row, z -> last slice: x[0,0,1,0,2] = 9
  assert.equal(F.gridSample(x, far, { paddingMode: "border" }).item(), 9);
  assert.deepEqual(F.affineGrid(eye, [1, 1, 1, 1, 2], true).tolist(), [[[[[-1, 0, 0], [1, 0, 0]]]]]);
  const g = far.clone().requiresGrad_();
  F.gridSample(x, g, "nearest").sum().backward();
  assert.deepEqual(g.grad!.tolist(), [[[[[0, 0, 0]]]]]);
});

test("5-D gridSample, affineGrid: errors name the function and the shapes", () => {
  const x = randn([1, 1, 2, 2, 2]);
  const g = rand([1, 1, 1, 2, 3]);
  throwsWith(() => F.gridSample(x, g, "bicubic"), 'gridSample: mode "bicubic" supports only 4-D input [N, C, H, W] (as PyTorch\'s), got a 5-D input [1,1,2,2,2]; use "bilinear" (trilinear) or "nearest"');
  throwsWith(() => F.gridSample(x, g.reshape([1, 1, 2, 3])), "gridSample: expected grid [N, Do, Ho, Wo, 3] (last dim (x, y, z)) for a 5-D input, got grid [1,1,2,3]");
  throwsWith(() => F.gridSample(x, rand([1, 1, 1, 3, 2])), "gridSample: expected grid [N, Do, Ho, Wo, 3] (last dim (x, y, z)) for a 5-D input, got grid [1,1,1,3,2]");
  throwsWith(() => F.gridSample(x.expand([2, 1, 2, 2, 2]), g), "gridSample: input [2,1,2,2,2] and grid [1,1,1,2,3] must have the same batch size, got 2 and 1");
  throwsWith(() => F.gridSample(x, g.double()), "gridSample: input and grid must have the same dtype, got float32 and float64");
  throwsWith(() => F.gridSample(x.int(), g.int()), "gridSample: input must be float32 or float64, got int32");
  throwsWith(() => F.gridSample(randn([1, 1, 0, 2, 2]), g), "gridSample: input [1,1,0,2,2] must have non-empty spatial dims");
  throwsWith(() => F.gridSample(randn([1, 1, 1, 1, 2, 2]), g), "gridSample: expected a 4-D input [N, C, H, W] or a 5-D one [N, C, D, H, W], got [1,1,1,1,2,2]");
  const th = randn([1, 3, 4]);
  throwsWith(() => F.affineGrid(th, [1, 1, 2, 2, 2, 2]), "affineGrid: size must be [N, C, H, W] or [N, C, D, H, W] (4 or 5 integers), got [1,1,2,2,2,2]");
  throwsWith(() => F.affineGrid(randn([1, 2, 3]), [1, 1, 2, 2, 2]), "affineGrid: expected a batch of 3-D affine matrices of shape [N, 3, 4] for size [1,1,2,2,2], got theta [1,2,3]");
  throwsWith(() => F.affineGrid(th, [2, 1, 2, 2, 2]), "affineGrid: expected a batch of 3-D affine matrices of shape [N, 3, 4] for size [2,1,2,2,2], got theta [1,3,4]");
  throwsWith(() => F.affineGrid(th, [1, 1, 2, 3]), "affineGrid: expected a batch of 2-D affine matrices of shape [N, 2, 3] for size [1,1,2,3], got theta [1,3,4]");
});

test("5-D gridSample, affineGrid: gradcheck in float64 (input and grid, every padding mode, both alignCorners)", () => {
  const gen = new Generator(18);
  for (const pm of ["zeros", "border", "reflection"] as const) {
    for (const ac of [false, true]) {
      const x = randn([2, 2, 2, 3, 3], { dtype: "float64", generator: gen }).requiresGrad_();
      const g = rand([2, 1, 2, 2, 3], { dtype: "float64", generator: gen }).mul(3).sub(1.5).requiresGrad_();
      assert.ok(gradcheck((a, b) => F.gridSample(a, b, "bilinear", pm, ac), [x, g]), `${pm} ${ac}`);
    }
  }
  const th = randn([2, 3, 4], { dtype: "float64", generator: gen }).requiresGrad_();
  assert.ok(gradcheck((t) => F.affineGrid(t, [2, 1, 2, 3, 2], true), [th]));
});
