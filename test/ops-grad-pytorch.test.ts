// Gradients of every differentiable op-table entry against PyTorch's own (test/fixtures/ops*.json,
// float64, contiguous and transposed inputs), including its conventions at kinks and ties. One test
// per entry, so a mutation run of src/ops reruns only the entries reaching a mutant; split from
// test/ops-gradcheck.test.ts, whose finite differences are too slow to rerun per mutant.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OPS, buildInputs, fixtureOf, type Layout, type OpEntry } from "./optable.js";
import { grad, Tensor } from "../src/index.js";

/** The entry's gradients (float64, output weights fixed and not all ones) against the fixture's PyTorch ones. */
function pytorchGradEntry(entry: OpEntry, layout: Layout): string | null {
  const ref = fixtureOf(entry).grads;
  if (!ref) return null;
  try {
    const b = buildInputs(entry, "float64", layout, true);
    const y = entry.fn(...b.views(b.leaves));
    const w = Tensor.empty(y.shape, "float64");
    w.storage.data.forEach((_, i, d) => (d[i] = 0.5 + ((i * 7919) % 13) / 13));
    const diff = b.leaves.filter((_, k) => b.floating[k]);
    const got = grad([y], diff, { gradOutputs: [w], allowUnused: true });
    let k = 0;
    ref.forEach((r, i) => {
      if (r === null) return;
      const g = got[k++];
      const data = g ? [...b.views(b.leaves.map((l, j) => (j === i ? g : l)))[i].data()] : r.map(() => 0);
      r.forEach((e, n) => {
        if (!(Math.abs(data[n] - e) <= 1e-12 + 1e-9 * Math.abs(e))) throw new Error(`input ${i} element ${n}: ${data[n]} vs PyTorch ${e}`);
      });
    });
    return null;
  } catch (e) {
    return `PyTorch's gradients (${layout}): ${(e as Error).message}`;
  }
}

for (const entry of OPS) {
  if (entry.differentiable === false || !fixtureOf(entry).grads) continue;
  test(`gradients of ${entry.name} equal PyTorch's (float64, contiguous and transposed inputs)`, () => {
    const failures = (["contiguous", "transposed"] as const).map((layout) => pytorchGradEntry(entry, layout)).filter(Boolean);
    assert.deepEqual(failures, []);
  });
}

test("at least 200 differentiable entries have PyTorch's gradients", () => {
  assert.ok(OPS.filter((e) => e.differentiable !== false && fixtureOf(e).grads).length >= 200);
});
