// The comparison helpers the other suites rely on: a helper that passes wrong values makes every
// test built on it pass too, so the helpers are tested themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor } from "../src/index.js";
import { assertClose as seqClose } from "./nn-seq-util.js";
import { assertClose as nnClose } from "./nn-helpers.js";
import { assertClose as optimClose } from "./optim-helpers.js";

const f64 = (v: number[]) => tensor(Float64Array.from(v), { dtype: "float64" });

test("nn-seq assertClose: a NaN anywhere fails, even when later elements match", () => {
  assert.throws(() => seqClose(f64([NaN, 2, 3]), f64([1, 2, 3]), 1e-9), /element 0 differs by NaN/);
  assert.throws(() => seqClose(f64([1, 2, NaN]), f64([1, 2, 3]), 1e-9), /element 2 differs by NaN/);
  assert.throws(() => seqClose(f64([1, 2, 3]), f64([1, NaN, 3]), 1e-9), /element 1/);
  assert.throws(() => seqClose(f64([Infinity, 2]), f64([-Infinity, 2]), 1e-9), /element 0/);
  assert.throws(() => seqClose(f64([Infinity, 2]), f64([5, 2]), 1e-9), /element 0/);
  assert.throws(() => seqClose(f64([1, 2.1]), f64([1, 2]), 1e-3), /element 1 differs by 0.1/);
  assert.throws(() => seqClose(f64([1, 2]), f64([1, 2, 3]), 1), /shape/);
  // Same values (equal infinities, NaN where NaN is wanted) and differences within tol pass.
  seqClose(f64([Infinity, -Infinity, NaN, 1]), f64([Infinity, -Infinity, NaN, 1 + 1e-12]), 1e-9);
  seqClose(f64([1, 2]), { shape: [2], data: [1, 2 + 5e-10] }, 1e-9);
  seqClose(f64([Infinity]), { shape: [1], data: ["inf"] }, 0);
});

test("nn and optim assertClose: NaN and out-of-tolerance elements fail", () => {
  assert.throws(() => nnClose(f64([NaN, 2, 3]), [1, 2, 3], "x"), /element 0 is NaN/);
  assert.throws(() => nnClose(f64([1, 2, 3.1]), [1, 2, 3], "x"), /element 2/);
  nnClose(f64([1, 2, 3 + 1e-6]), [1, 2, 3], "x");
  assert.throws(() => optimClose([NaN, 2, 3], [1, 2, 3], 1e-6, 1e-9, "p"), /p\[0\]/);
  assert.throws(() => optimClose([1, 2, 3.1], [1, 2, 3], 1e-6, 1e-9, "p"), /p\[2\]/);
  optimClose([1, 2, 3 + 1e-9], [1, 2, 3], 1e-6, 1e-9, "p");
});
