// Forward values of every op-table entry against PyTorch (test/fixtures/ops.json), in float64
// (tight) and float32 (rtol 1e-5), for contiguous, transposed, sliced and permuted inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OPS, LAYOUTS, buildInputs, expectedDtype, expectedOutput, loadFixtures, type FloatDType, type OpEntry, type Layout } from "./optable.js";
import type { Tensor } from "../src/index.js";

const TOL: Record<FloatDType, { rtol: number; atol: number }> = {
  float64: { rtol: 1e-10, atol: 1e-12 },
  float32: { rtol: 1e-5, atol: 1e-5 },
};

export function assertClose(got: Tensor, entry: OpEntry, float: FloatDType, where: string): void {
  const exp = expectedOutput(entry);
  assert.deepEqual([...got.shape], exp.shape, `${where}: shape`);
  assert.equal(got.dtype, expectedDtype(entry, float), `${where}: dtype`);
  const data = got.data();
  const { rtol, atol } = TOL[float];
  const extra = float === "float64" ? entry.atol ?? 0 : 0;
  for (let i = 0; i < data.length; i++) {
    const e = exp.data[i], g = data[i];
    const ok = got.dtype === "float32" || got.dtype === "float64" ? Math.abs(g - e) <= atol + extra + rtol * Math.abs(e) : g === e;
    if (!ok) assert.fail(`${where}: element ${i} is ${g}, PyTorch gives ${e} (rtol ${rtol}, atol ${atol + extra})`);
  }
}

test("the op table and the fixture file name the same cases", () => {
  const names = OPS.map((e) => e.name);
  assert.equal(new Set(names).size, names.length, "entry names are unique");
  assert.deepEqual([...names].sort(), Object.keys(loadFixtures()).sort());
});

// One test per entry (not one per dtype and layout over the whole table): a mutation run
// (`npm run mutate -- src/ops/...`) reruns only the tests that reach a mutant, so an op's mutant
// reruns that op's entries instead of the whole table six times (docs/mutation/history.md, "Session 8: `src/ops`").
for (const entry of OPS) {
  test(`forward ${entry.name}: float64 and float32, every layout, matches PyTorch`, () => {
    const failures: string[] = [];
    for (const float of ["float64", "float32"] as const) {
      for (const layout of LAYOUTS) {
        try {
          const b = buildInputs(entry, float, layout as Layout);
          assertClose(entry.fn(...b.views(b.leaves)), entry, float, `${entry.name} (${float}, ${layout})`);
        } catch (e) {
          failures.push(`${float} ${layout}: ${(e as Error).message.split("\n")[0]}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
}
