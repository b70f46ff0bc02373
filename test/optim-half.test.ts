// Optimizers on float16/bfloat16 parameters against PyTorch 1.13 (scripts/fixtures/optim_half.py):
// the parameter after each of 4 steps with given gradients, for every optimizer configuration
// PyTorch's CPU kernels support in the dtype (all of them in bfloat16; only SGD in float16, where
// PyTorch 1.13 lacks addcmul/addcdiv). Where PyTorch raises, deeptype must still step, and agree
// with the same optimizer run in float32 on the same values to the 16-bit dtype's precision.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type DType, Tensor, tensor, optim } from "../src/index.js";

interface Row { optimizer: string; options: Record<string, unknown>; dtype: "float16" | "bfloat16"; param: number[]; grads: number[][]; steps?: number[][]; error?: string }
const FIX = JSON.parse(readFileSync(new URL("./fixtures/optim-half.json", import.meta.url), "utf8")) as { rows: Row[] };

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
type Ctor = new (params: Tensor[], opts: Record<string, unknown>) => optim.Optimizer;

/** The parameter's values after each step, running `row`'s optimizer in `dtype`. */
function run(row: Row, dtype: DType): number[][] {
  const p = tensor(row.param, { dtype }).requiresGrad_();
  const opts = Object.fromEntries(Object.entries(row.options).map(([k, v]) => [camel(k), v]));
  const opt = new ((optim as unknown as Record<string, Ctor>)[row.optimizer])([p], opts);
  return row.grads.map((g) => {
    p.grad = tensor(g, { dtype });
    opt.step();
    return Array.from(p.data());
  });
}

// One unit in the last place of the 16-bit dtype at v (the spacing of representable values there).
const ulp = (v: number, dtype: "float16" | "bfloat16"): number => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v) || 2 ** -14)), -14) - (dtype === "float16" ? 10 : 7));

test("optimizers step float16/bfloat16 parameters as PyTorch 1.13 does, step by step", () => {
  const failures: string[] = [];
  let compared = 0;
  for (const row of FIX.rows) {
    if (!row.steps) continue;
    compared++;
    const got = run(row, row.dtype);
    row.steps.forEach((want, s) => want.forEach((w, i) => {
      if (got[s][i] !== w) failures.push(`${row.optimizer} ${JSON.stringify(row.options)} ${row.dtype} step ${s + 1} [${i}]: ${got[s][i]}, PyTorch ${w}`);
    }));
  }
  assert.equal(compared, 17);
  assert.deepEqual(failures, []);
});

test("where PyTorch 1.13 has no float16 CPU kernel, deeptype's float16 step agrees with float32's to float16 precision", () => {
  const failures: string[] = [];
  const missing = FIX.rows.filter((r) => r.error);
  assert.equal(missing.length, 11);
  for (const row of missing) {
    assert.match(row.error!, /not implemented for 'Half'/);
    const got = run(row, row.dtype), ref = run(row, "float32");
    // Where a gradient's square underflows float16 (|g| < 2^-7 puts g² below its smallest normal),
    // the second moment is 0 and the step is g/eps (eps = 1e-8 itself rounds to 0 in float16: Adam in
    // float16 needs a larger eps, in PyTorch too): float32 is no reference there.
    const normal = row.param.map((_, i) => row.grads.every((g) => Math.abs(g[i]) >= 2 ** -7));
    if (normal.filter(Boolean).length < 48) failures.push(`${row.optimizer}: only ${normal.filter(Boolean).length} of 64 elements compared`);
    got.forEach((stepVals, s) => stepVals.forEach((v, i) => {
      if (!normal[i]) return;
      // Each step rounds the parameter (2 units in its last place) and its update, whose size is
      // about lr (the adaptive optimizers normalise it): 8 float16 epsilons of lr, accumulated per step.
      const tol = (s + 1) * (2 * ulp(ref[s][i], row.dtype) + 8 * (row.options.lr as number) * 2 ** -10);
      if (!(Math.abs(v - ref[s][i]) <= tol)) failures.push(`${row.optimizer} step ${s + 1} [${i}]: ${v} vs float32 ${ref[s][i]}`);
    }));
  }
  assert.deepEqual(failures, []);
});
