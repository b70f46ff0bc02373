// The strong-Wolfe line search and cubic interpolation (src/optim/line-search.ts) call by call
// against PyTorch 1.13's _strong_wolfe and _cubic_interpolate (test/fixtures/line-search.json, made
// by scripts/fixtures/line_search.py). The LBFGS trajectories reach only part of the search:
// mutation testing found the zoom phase, the max_ls cut-off and the tolerance break untested.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { cubicInterpolate, strongWolfe } from "../src/optim/line-search.js";

interface WolfeCase {
  h: number[]; s: number[]; w: number[]; q: number[]; x0: number[]; dScale: number;
  t: number; c1: number; c2: number; maxLs: number; toleranceChange: number;
  fNew: number; gNew: number[]; tNew: number; evals: number;
}
interface CubicCase { args: [number, number, number, number, number, number]; bounds: [number, number] | null; result: number }
const FIX = JSON.parse(readFileSync(new URL("./fixtures/line-search.json", import.meta.url), "utf8")) as { strongWolfe: WolfeCase[]; cubic: CubicCase[] };

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b)), `${what}: ${a} vs PyTorch ${b}`);

/** f(x) = Σ h/2·x² + s·sin(w·x) + q·x⁴ and its gradient, as the fixture script defines it. */
function objective(c: WolfeCase): (x: Float64Array) => [number, Float64Array] {
  return (x) => {
    let f = 0;
    const g = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      f += 0.5 * c.h[i] * x[i] * x[i] + c.s[i] * Math.sin(c.w[i] * x[i]) + c.q[i] * x[i] ** 4;
      g[i] = c.h[i] * x[i] + c.s[i] * c.w[i] * Math.cos(c.w[i] * x[i]) + 4 * c.q[i] * x[i] ** 3;
    }
    return [f, g];
  };
}

test("strongWolfe takes PyTorch's steps: 1000 searches through bracketing, zoom, max_ls and tolerance stops", () => {
  for (const [k, c] of FIX.strongWolfe.entries()) {
    const fg = objective(c);
    const x0 = Float64Array.from(c.x0);
    const [f, g] = fg(x0);
    const d = g.map((v) => -v * c.dScale);
    const gtd = g.reduce((a, v, i) => a + v * d[i], 0);
    const obj = (t: number, dir: Float64Array): [number, Float64Array] => fg(x0.map((v, i) => v + t * dir[i]));
    const r = strongWolfe(obj, c.t, d, f, g, gtd, c.c1, c.c2, c.toleranceChange, c.maxLs);
    assert.equal(r.evals, c.evals, `case ${k}: evaluations`);
    close(r.t, c.tNew, `case ${k}: step`);
    close(r.loss, c.fNew, `case ${k}: loss`);
    r.grad.forEach((v, i) => close(v, c.gNew[i], `case ${k}: gradient ${i}`));
  }
});

test("cubicInterpolate matches PyTorch's, with and without bounds, either point order, no real minimum", () => {
  for (const [k, c] of FIX.cubic.entries()) {
    close(cubicInterpolate(...c.args, c.bounds ?? undefined), c.result, `interpolation ${k}`);
  }
});
