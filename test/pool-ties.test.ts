// Max- and average-pooling against PyTorch on tie-heavy integer inputs (test/fixtures/pool-ties.json,
// scripts/fixtures/pool_ties.py): values, max positions and gradients, on the js backend and on wasm
// at 1 and 2 threads, through the public ops as a user calls them: recorded (positions kept for the
// backward), under noGrad (maxPool2d skips finding them) and through maxPool2dWithIndices.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { avgPool2d, maxPool2d, maxPool2dWithIndices, noGrad, tensor, type Tensor } from "../src/index.js";
import { BACKENDS, withBackend } from "./backends.js";

interface Case {
  name: string; op: "max" | "avg"; shape: number[]; yShape: number[];
  params: { kernel_size: number | number[]; stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; ceil_mode?: boolean; count_include_pad?: boolean };
  x: number[]; gy: number[]; y: number[]; gx: number[]; indices?: number[];
}
const FIX = JSON.parse(readFileSync(new URL("fixtures/pool-ties.json", import.meta.url), "utf8")) as { cases: Case[] };

const pair = (v: number | number[] | undefined): number | [number, number] | undefined => (Array.isArray(v) ? [v[0], v[1]] : v);

function pool(c: Case, x: Tensor): Tensor {
  const p = c.params;
  const opts = { stride: pair(p.stride), padding: pair(p.padding), dilation: pair(p.dilation), ceilMode: p.ceil_mode };
  if (c.op === "max") return maxPool2d(x, pair(p.kernel_size)!, Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)));
  const { dilation: _, ...avg } = opts;
  return avgPool2d(x, pair(p.kernel_size)!, { ...Object.fromEntries(Object.entries(avg).filter(([, v]) => v !== undefined)), countIncludePad: p.count_include_pad });
}

/** Exact for max-pool (integer inputs: every value, position and gradient is exact in float32); average-pool divides, so within float32 rounding. */
function assertValues(got: ArrayLike<number>, want: number[], exact: boolean, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = exact ? got[i] === want[i] : Math.abs(got[i] - want[i]) <= 1e-6 * Math.max(1, Math.abs(want[i]));
    if (!ok) assert.fail(`${what}: element ${i} is ${got[i]}, PyTorch gives ${want[i]}`);
  }
}

for (const [backendName, threads] of BACKENDS) {
  test(`pooling on tie-heavy inputs matches PyTorch: values, positions, gradients, ${backendName} ${threads} thread(s)`, () =>
    withBackend(backendName, threads, () => {
      for (const c of FIX.cases) {
        const exact = c.op === "max";
        const x = tensor(c.x).reshape(c.shape).requiresGrad_();
        const y = pool(c, x);
        assert.deepEqual([...y.shape], c.yShape, `${c.name}: shape`);
        assertValues(y.data(), c.y, exact, `${c.name}: values`);
        y.backward(tensor(c.gy).reshape(c.yShape));
        assertValues(x.grad!.data(), c.gx, exact, `${c.name}: gradient`);
        // Not recorded: maxPool2d does not look for the positions, and the values stay the same bits.
        assertValues(noGrad(() => pool(c, x)).data(), c.y, exact, `${c.name}: values under noGrad`);
        if (c.indices) {
          const p = c.params;
          const opts = Object.fromEntries(Object.entries({ stride: pair(p.stride), padding: pair(p.padding), dilation: pair(p.dilation), ceilMode: p.ceil_mode }).filter(([, v]) => v !== undefined));
          for (const recorded of [true, false]) {
            const r = recorded ? maxPool2dWithIndices(x, pair(p.kernel_size)!, opts) : noGrad(() => maxPool2dWithIndices(x, pair(p.kernel_size)!, opts));
            assert.equal(r.indices.dtype, "int64");
            assertValues(r.indices.data(), c.indices, true, `${c.name}: positions (${recorded ? "recorded" : "noGrad"})`);
            assertValues(r.values.data(), c.y, true, `${c.name}: values with positions`);
          }
        }
      }
    }));
}
