// examples/sampling-and-statistics.ts (session 13, helper deptha) runs and shows what it says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { main } from "../examples/sampling-and-statistics.js";

test("sampling-and-statistics example: quartiles near the normal's, medians without NaNs, frequencies, the normal's area, capped norms", () => {
  const lines: string[] = [];
  const r = main({ n: 4000, log: (s: string) => lines.push(s) });
  assert.equal(lines.length, 5);
  // Quartiles of N(10, 2²): 8.651, 10, 11.349; each within 5 standard errors for n = 4000 (about 0.04 each)
  [8.651, 10, 11.349].forEach((q, i) => assert.ok(Math.abs(r.quartiles[i] - q) < 0.25, `quartile ${i}: ${r.quartiles[i]}`));
  assert.deepEqual(r.median.map((v) => Math.round(v * 1e6) / 1e6), [3.1, 4]);
  [0.2, 0.5, 0.3].forEach((p, i) => assert.ok(Math.abs(r.freq[i] - p) < 5 * Math.sqrt((p * (1 - p)) / 4000), `frequency ${i}: ${r.freq[i]}`));
  assert.ok(Math.abs(r.poissonMean - 4) < 5 * Math.sqrt(4 / 4000));
  assert.ok(Math.abs(r.area - 0.9973) < 1e-4, `area ${r.area}`);
  assert.ok(r.norms[1] <= 1 + 1e-6 && r.norms[3] <= 1 + 1e-6, `rows 1 and 3: ${r.norms}`);
});
