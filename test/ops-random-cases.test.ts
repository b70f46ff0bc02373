// The op table on new inputs: seeded redraws of every entry's inputs (opCases) and 300 random-shape
// cases (randomCases) run, are reproducible, and float32 agrees with float64. Kept apart from
// test/ops-forward.test.ts because each test walks the whole table: in a mutation run of src/ops
// every mutant would rerun them (docs/mutation/history.md, "Session 8: `src/ops`").
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectedOutput, opCases, randomCases } from "./optable.js";
import type { Tensor } from "../src/index.js";

test("opCases with a seed draws new values of the same kinds: every op runs and gives finite results where PyTorch's did", () => {
  const failures: string[] = [];
  const a = opCases("float32", ["contiguous", "sliced"], { seed: 1 });
  const b = opCases("float32", ["contiguous", "sliced"], { seed: 1 });
  a.forEach((c, k) => {
    try {
      const out = c.run();
      const again = b[k].run();
      assert.deepEqual([...out.data()], [...again.data()], "the same seed gives the same inputs");
      const ref = expectedOutput(c.entry).data;
      const finite = (v: number): boolean => Number.isFinite(v);
      if (ref.every(finite) && ![...out.data()].every(finite)) throw new Error("non-finite output");
      if (!sameShapeAs(out, expectedOutput(c.entry).shape)) throw new Error(`shape ${JSON.stringify(out.shape)}`);
    } catch (e) {
      failures.push(`${c.entry.name} (${c.layout}): ${(e as Error).message.split("\n")[0]}`);
    }
  });
  assert.deepEqual(failures, []);
  const x = opCases("float64", ["contiguous"], { seed: 2 }).find((c) => c.entry.name === "log")!;
  const fixed = opCases("float64", ["contiguous"]).find((c) => c.entry.name === "log")!;
  // New inputs: not the fixture's inputs (what the unseeded table hands over), of the same shape.
  const seeded = [...x.inputs[0].data()], original = [...fixed.inputs[0].data()];
  assert.equal(seeded.length, original.length);
  assert.ok(seeded.every((v, i) => v !== original[i]), "every seeded input differs from the fixture's");
  assert.ok(seeded.every((v) => v >= 0.5 && v <= 2), "log inputs stay positive");
});

function sameShapeAs(t: Tensor, shape: number[]): boolean {
  return t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
}

test("randomCases: 300 random-shape cases run, are reproducible, and float32 agrees with float64", () => {
  const f64 = randomCases("float64", 7, 300);
  const again = randomCases("float64", 7, 300);
  const f32 = randomCases("float32", 7, 300);
  const failures: string[] = [];
  const families = new Set<string>();
  f64.forEach((c, k) => {
    families.add(c.name.split(" ")[0]);
    try {
      assert.equal(again[k].name, c.name);
      assert.equal(f32[k].name, c.name);
      const a = c.run(), b = f32[k].run();
      assert.deepEqual([...a.data()], [...again[k].run().data()]);
      assert.deepEqual(a.shape, b.shape);
      const x = a.data(), y = b.data();
      for (let i = 0; i < x.length; i++) {
        if (!(Math.abs(x[i] - y[i]) <= 1e-4 + 1e-4 * Math.abs(x[i])) && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) {
          throw new Error(`element ${i}: float64 ${x[i]} vs float32 ${y[i]}`);
        }
      }
    } catch (e) {
      failures.push(`${c.name}: ${(e as Error).message.split("\n")[0]}`);
    }
  });
  assert.deepEqual(failures, []);
  assert.ok(families.size >= 25, `families covered: ${[...families].join(" ")}`);
});
