// Every op-table entry on float16 and bfloat16 inputs (js and wasm, contiguous and transposed): it
// must run, give the 16-bit dtype where float32 inputs give float32, and agree with the same op run in
// float32 on the same (16-bit-representable) values, to the 16-bit dtype's precision. PyTorch's own
// 16-bit results for a set of ops are checked bit for bit in test/dtypes-half.test.ts. The same for
// the gradients of every differentiable entry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OPS, buildInputs, expectedDtype, type Layout, type OpEntry } from "./optable.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { grad, noGrad, tensor, zerosLike, type Tensor } from "../src/index.js";
import { isFloating } from "../src/tensor/dtype.js";

// A composite rounds after each of its ops (PyTorch's fused kernels round once), so the bound is a
// few units in the last place of the result, relative to the largest output magnitude for sums that
// cancel: bfloat16 keeps 8 significant bits, float16 11.
const EPS = { bfloat16: 2 ** -8, float16: 2 ** -11 } as const;
const ULPS = 16;
// Entries where rounding the inputs or an intermediate to 16 bits moves a value across a jump, so the
// float32 run is not a fair reference: fmod(3a, b) where 3a rounds onto a multiple of b, hardshrink
// at lambd 0.3, which is itself rounded to the input's dtype when compared (PyTorch's fused kernel
// compares in float).
const JUMPS = new Set(["fmod", "hardshrink:lambd"]);
// lgamma(-x - 0.25): rounding the intermediate -x - 0.25 to float16 moves it along digamma's steep
// slope near a pole, so the gradient differs by more than rounding the result would.
const STEEP_GRAD = new Set(["lgamma:neg"]);
// Ops that return float32 whatever the input's float dtype.
const FLOAT32_OUT = new Set(["to:float"]);

function run(entry: OpEntry, half: "float16" | "bfloat16", layout: Layout): string | null {
  const b = buildInputs(entry, "float32", layout);
  const halfLeaves = noGrad(() => b.leaves.map((l) => (isFloating(l.dtype) ? l.to(half) : l)));
  const wideLeaves = noGrad(() => halfLeaves.map((l) => (l.dtype === half ? l.to("float32") : l)));
  let got: Tensor, ref: Tensor;
  try {
    ref = entry.fn(...b.views(wideLeaves));
  } catch {
    return null; // the 16-bit-rounded inputs left the op's domain (an error in float32 as well)
  }
  try {
    got = entry.fn(...b.views(halfLeaves));
  } catch (e) {
    return `throws: ${(e as Error).message.split("\n")[0]}`;
  }
  const hasHalf = halfLeaves.some((l) => l.dtype === half);
  const want = ref.dtype === "float32" && hasHalf && !FLOAT32_OUT.has(entry.name) ? half : ref.dtype;
  if (expectedDtype(entry, "float32") !== ref.dtype) return `the float32 run gives ${ref.dtype}, the fixture ${expectedDtype(entry, "float32")}`;
  if (got.dtype !== want) return `dtype ${got.dtype}, expected ${want}`;
  if (got.shape.join() !== ref.shape.join()) return `shape [${got.shape}] vs [${ref.shape}]`;
  const g = got.data(), r = ref.data();
  let scale = 0;
  for (const v of r) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const tol = ULPS * EPS[half] * Math.max(scale, 1e-3);
  for (let i = 0; i < r.length; i++) {
    if (Object.is(g[i], r[i]) || g[i] === r[i]) continue;
    if (JUMPS.has(entry.name)) continue;
    if (!isFloating(got.dtype)) return `element ${i}: ${g[i]} vs ${r[i]} in float32`;
    // Beyond the 16-bit range float32 stays finite where the 16-bit result overflows.
    if (!Number.isFinite(g[i]) && Math.abs(r[i]) > (half === "float16" ? 65504 : 3.38e38)) continue;
    if (!(Math.abs(g[i] - r[i]) <= tol)) return `element ${i}: ${g[i]} vs ${r[i]} in float32 (tolerance ${tol.toExponential(2)})`;
  }
  return null;
}

// One test per entry and 16-bit dtype, not one over the whole table: a mutation run of src/ops
// reruns only the tests reaching a mutant (docs/mutation/history.md, "Session 8: `src/ops`").
for (const half of ["bfloat16", "float16"] as const) {
  for (const entry of OPS) {
    test(`${entry.name} runs on ${half} inputs and agrees with float32 to ${half}'s precision (js and wasm)`, () => {
      const before = getBackend();
      const failures: string[] = [];
      try {
        for (const backend of ["js", "wasm"]) {
          setBackend(backend);
          for (const layout of ["contiguous", "transposed"] as const) {
            const bad = run(entry, half, layout);
            if (bad) failures.push(`${backend} ${layout}: ${bad}`);
          }
        }
      } finally {
        setBackend(before);
      }
      assert.deepEqual(failures, []);
    });
  }
}

/** The gradients of sum(op(inputs)·W) (W fixed, not all ones) for each floating leaf, or an error string. */
function gradsOf(entry: OpEntry, leaves: Tensor[], views: (l: readonly Tensor[]) => Tensor[]): Tensor[] | string {
  try {
    const out = entry.fn(...views(leaves));
    if (!isFloating(out.dtype)) return [];
    const w = tensor(Array.from({ length: out.numel() }, (_, i) => 0.5 + ((i * 7919) % 13) / 13)).reshape(out.shape).to(out.dtype);
    const ins = leaves.filter((l) => l.requiresGrad);
    return grad(out.mul(w).sum(), ins, { allowUnused: true }).map((g, k) => g ?? zerosLike(ins[k]));
  } catch (e) {
    return `throws: ${(e as Error).message.split("\n")[0]}`;
  }
}

/** Entries whose gradients are compared in 16 bits: differentiable, smooth, no jump or steep slope. */
const GRAD_ENTRIES = OPS.filter((e) => !(e.differentiable === false || e.kinks || JUMPS.has(e.name) || STEEP_GRAD.has(e.name)));

test("at least 150 op-table entries have their 16-bit gradients compared", () => {
  assert.ok(GRAD_ENTRIES.length >= 150, `${GRAD_ENTRIES.length} entries`);
});

for (const half of ["bfloat16", "float16"] as const) {
  for (const entry of GRAD_ENTRIES) {
    test(`gradients of ${entry.name} on ${half} come in ${half} and agree with float32's (js)`, () => {
      const failures: string[] = [];
      const b = buildInputs(entry, "float32", "contiguous");
      const halfLeaves = noGrad(() => b.leaves.map((l) => (isFloating(l.dtype) ? l.to(half) : l)));
      const wideLeaves = noGrad(() => halfLeaves.map((l) => (l.dtype === half ? l.to("float32") : l)));
      halfLeaves.forEach((l) => l.dtype === half && l.requiresGrad_());
      wideLeaves.forEach((l) => l.dtype === "float32" && l.requiresGrad_());
      const ref = gradsOf(entry, wideLeaves, b.views);
      if (typeof ref === "string") return; // outside the op's domain after rounding the inputs
      const got = gradsOf(entry, halfLeaves, b.views);
      if (typeof got === "string") assert.fail(got);
      got.forEach((g, k) => {
        if (g.dtype !== half) return void failures.push(`gradient ${k} is ${g.dtype}`);
        const r = ref[k].data(), d = g.data();
        let scale = 0;
        for (const v of r) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        const tol = 4 * ULPS * EPS[half] * Math.max(scale, 1e-3);
        for (let i = 0; i < r.length; i++) {
          if (d[i] === r[i] || (Number.isNaN(d[i]) && Number.isNaN(r[i]))) continue;
          if (!Number.isFinite(d[i]) && Math.abs(r[i]) > (half === "float16" ? 65504 : 3.38e38)) continue;
          if (!(Math.abs(d[i] - r[i]) <= tol)) return void failures.push(`gradient ${k}[${i}] ${d[i]} vs ${r[i]} in float32 (tolerance ${tol.toExponential(2)})`);
        }
      });
      assert.deepEqual(failures, []);
    });
  }
}
