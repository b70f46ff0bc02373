// Issue 10's op families (indexing, sorting and selection, scans, linear algebra, shape, math) give
// identical results on the js and wasm backends: every op-table entry of those families, in float32
// and float64, on contiguous, transposed, sliced and permuted inputs. The wasm backend runs the sort
// and scan kernels (and the math ops it has no kernel for) through the JavaScript ones, so anything
// but bit-identical output would mean the dispatch around them differs. The one exception: in
// float32, matrix products (addmm, addbmm, baddbmm, mv, addmv, tensordot, einsum) use wasm's SIMD
// matmul kernel, which sums in another order; those agree to float32 rounding (exactly in float64).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LAYOUTS, OPS, buildInputs, opCases } from "./optable.js";
import { INDEX_OPS } from "./optable-index.js";
import { SORT_OPS } from "./optable-sort.js";
import { LINALG_OPS } from "./optable-linalg.js";
import { SHAPE_OPS } from "./optable-shape.js";
import { MATH_OPS } from "./optable-math.js";
import { Tensor, getBackend, noGrad, setBackend } from "../src/index.js";

const FAMILIES = new Set([...INDEX_OPS, ...SORT_OPS, ...LINALG_OPS, ...SHAPE_OPS, ...MATH_OPS].map((e) => e.name));

const MATMUL = /^(addmm|addbmm|baddbmm|mv|addmv|tensordot|einsum)(:|$)/;

function closeF32(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, k) => typeof v === "number" && typeof y[k] === "number" ? Math.abs(v - (y[k] as number)) <= 1e-5 * (1 + Math.abs(v)) : v === y[k]);
    return JSON.stringify(x) === JSON.stringify(y);
  });
}

/** Every tensor of a result (a tensor, a tuple or a list of them), as plain data with shape and dtype. */
function flat(r: unknown): unknown[] {
  if (r instanceof Tensor) return [r.dtype, [...r.shape], Array.from(r.contiguous().data(), (v) => (Number.isNaN(Number(v)) ? "NaN" : Number(v)))];
  if (Array.isArray(r)) return r.flatMap(flat);
  return [r];
}

// One test per entry and dtype (its four layouts), not one over all the families: a mutation run of
// src/ops reruns only the tests reaching a mutant (docs/mutation/history.md, "Session 8: `src/ops`").
test("issue 10's families have more than 400 cases (every layout) in the op table", () => {
  assert.ok(opCases("float32").filter((c) => FAMILIES.has(c.entry.name)).length > 400);
});

for (const float of ["float32", "float64"] as const) {
  for (const entry of OPS.filter((e) => FAMILIES.has(e.name))) {
    test(`${entry.name} agrees exactly on js and wasm (${float}, every layout)`, () => {
      const before = getBackend();
      // This entry's cases only (opCases would build the inputs of the whole table).
      const cases = LAYOUTS.map((layout) => {
        const b = buildInputs(entry, float, layout);
        const inputs = b.views(b.leaves);
        return { entry, layout, run: () => entry.fn(...inputs) };
      });
      const differ: string[] = [];
      try {
        for (const c of cases) {
          setBackend("js");
          const a = flat(noGrad(c.run));
          setBackend("wasm");
          const b = flat(noGrad(c.run));
          const same = float === "float32" && MATMUL.test(c.entry.name) ? closeF32(a, b) : JSON.stringify(a) === JSON.stringify(b);
          if (!same) differ.push(`${c.entry.name} (${c.layout})`);
        }
      } finally {
        setBackend(before);
      }
      assert.equal(differ.join(", "), "");
    });
  }
}
