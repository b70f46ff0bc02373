// What the gridSample / affineGrid fixture tests share (test/grid-s13c.test.ts for 4-D, test/grid-s14t.test.ts
// for 5-D): reading a fixture file and checking one case's output and gradients against torch's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nn, type Tensor } from "../src/index.js";
import { fromFixture, closeTo, outputWeights, type FixtureTensor } from "./fixture-s13a.js";

const F = nn.functional;

export interface GridCase { inputs: FixtureTensor[]; opts: Record<string, unknown>; output: FixtureTensor; grads: (FixtureTensor | null)[] }

/** test/fixtures/<file> as its cases by name. */
export function gridFixture(file: string): Record<string, GridCase> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as Record<string, GridCase>;
}

/**
 * Runs case `name` ("gridSample:…", "affineGrid:…" or "stn:…", the last through affineGrid(theta, stnSize))
 * and checks the output and the gradients of sum(W * output) for every input against torch's.
 */
export function checkGridCase(label: string, name: string, c: GridCase, stnSize: number[]): void {
  const o = c.opts;
  const [a, b] = c.inputs.map((f) => fromFixture(f).requiresGrad_());
  const ins = b ? [a, b] : [a];
  let out: Tensor;
  if (name.startsWith("gridSample")) out = F.gridSample(a, b, { mode: o.mode as "nearest", paddingMode: o.paddingMode as "zeros", alignCorners: o.alignCorners as boolean });
  else if (name.startsWith("affineGrid")) out = F.affineGrid(a, o.size as number[], o.alignCorners as boolean);
  else out = F.gridSample(a, F.affineGrid(b, stnSize, false), "bilinear", o.paddingMode as "zeros", false);
  out.mul(outputWeights(out)).sum().backward();
  const f32 = out.dtype === "float32";
  const [rtol, atol] = f32 ? [2e-5, 2e-5] : [1e-12, 1e-12];
  closeTo(out, c.output, `${label} ${name} output`, rtol, atol);
  ins.forEach((t, i) => {
    const want = c.grads[i];
    if (want === null) assert.equal(t.grad, null, `${label} ${name} grad ${i}`);
    // float32 grid gradients sum many products of values and unnormalize factors: looser there.
    else closeTo(t.grad!, want, `${label} ${name} grad ${i}`, f32 ? 1e-4 : rtol, f32 ? 1e-4 : atol);
  });
}
