// Gradients of every differentiable op-table entry against central differences (float64), with the
// inputs contiguous and as non-contiguous views of bigger leaves (so view backward rules are checked
// too). Broadcast variants are entries of their own (e.g. "add:broadcast").
import { test } from "node:test";
import assert from "node:assert/strict";
import { OPS, buildInputs, type Layout, type OpEntry } from "./optable.js";
import { gradcheck, grad, tensor, cat, conv2d, matmul, maxPool2d, avgPool2d, softmax, Tensor } from "../src/index.js";

// One test per entry (each checks the entry's finite differences on every layout and its second
// order), not one test per layout over the whole table. The gradients against PyTorch's are in
// test/ops-grad-pytorch.test.ts: that file is cheap enough for a mutation run of src/ops (finite
// differences cost a forward per input element), this one is not (docs/mutation/history.md, "Session 8: `src/ops`").
const LAYOUTS_CHECKED = ["contiguous", "transposed", "sliced", "permuted"] as const;

/** Finite differences of the entry on one layout (float64); an error message, or null. */
function gradcheckEntry(entry: OpEntry, layout: Layout): string | null {
  try {
    const b = buildInputs(entry, "float64", layout, true);
    if (!b.floating.some(Boolean)) throw new Error("no floating input to check");
    gradcheck((...ls) => entry.fn(...b.views(ls)), b.leaves);
    return null;
  } catch (e) {
    return `gradcheck (${layout}): ${(e as Error).message}`;
  }
}

// ---------------------------------------------------------------- second order

/**
 * The gradient of entry.fn (with fixed, non-uniform output weights) as a function of the inputs,
 * flattened into one tensor: gradcheck of it checks every backward rule's own backward.
 */
function gradientOf(fn: (...xs: Tensor[]) => Tensor, floating: boolean[]) {
  return (...xs: Tensor[]): Tensor => {
    const y = fn(...xs);
    const w = Tensor.empty(y.shape, "float64");
    w.storage.data.forEach((_, i, d) => (d[i] = 0.5 + (i % 7) / 7));
    const diff = xs.filter((_, k) => floating[k]);
    const gs = grad([y], diff, { gradOutputs: [w], createGraph: true, allowUnused: true });
    const parts = gs.map((g, k) => (g ?? diff[k].mul(0)).reshape([-1]));
    // Keeps the result in the graph when the gradient does not depend on the inputs (e.g. add).
    return cat(parts).add(diff[0].sum().mul(0));
  };
}


/** gradcheck of the entry's gradient (contiguous inputs); an error message, or null. */
function secondOrderEntry(entry: OpEntry): string | null {
  try {
    const b = buildInputs(entry, "float64", "contiguous", true);
    gradcheck(gradientOf((...ls) => entry.fn(...b.views(ls)), b.floating), b.leaves, { atol: 1e-4 });
    return null;
  } catch (e) {
    return `second order: ${(e as Error).message}`;
  }
}

/**
 * Entries whose inputs are sized for a wasm kernel (Winograd takes >= 8 channels each way, the wide
 * cross-entropy 1000 classes), each with the entry of the same op and options that these checks
 * cover in full. Finite differences run in float64, which every backend computes with the js
 * reference, whose loops are the same at every size: the size only multiplies the cost (these four
 * took 30 of this file's 57 s of CPU). So they get the contiguous layout's finite differences (their
 * gradients are also compared with PyTorch's, contiguous and transposed, in ops-grad-pytorch); the
 * other layouts and the second order are their base entries'.
 */
const SIZED_FOR_WASM = new Map([
  ["conv2d:winograd", "conv2d:groups"],
  ["convTranspose2d:winograd", "convTranspose2d:stride"],
  ["conv2dRelu:winogradPool", "conv2dRelu:pool"],
  ["softmaxCrossEntropy:wide", "softmaxCrossEntropy"],
]);

for (const entry of OPS) {
  if (entry.differentiable === false) continue;
  const base = SIZED_FOR_WASM.get(entry.name);
  const what = base ? `finite differences (contiguous; every layout and second order as ${base})` : "finite differences on every layout, second order";
  test(`gradients of ${entry.name}: ${what}`, () => {
    const failures: string[] = [];
    if (!entry.kinks) {
      for (const layout of base ? ["contiguous" as const] : LAYOUTS_CHECKED) failures.push(gradcheckEntry(entry, layout) ?? "");
    }
    if (!base && !entry.kinks && entry.secondOrder !== false) failures.push(secondOrderEntry(entry) ?? "");
    assert.deepEqual(failures.filter(Boolean), []);
  });
}

test("each entry sized for wasm has a base entry that is checked on every layout and to second order", () => {
  for (const [name, base] of SIZED_FOR_WASM) {
    const e = OPS.find((o) => o.name === name), b = OPS.find((o) => o.name === base);
    assert.ok(e && b, `${name} and ${base} are in the table`);
    assert.ok(!e.kinks && e.differentiable !== false, name);
    assert.ok(!b.kinks && b.differentiable !== false && b.secondOrder !== false, `${base} is checked in full`);
  }
});

test("the table has enough differentiable entries for finite differences", () => {
  // Counted from the table (not from the tests above, which may run alone or in any order).
  assert.ok(OPS.filter((e) => e.differentiable !== false && !e.kinks).length >= 150);
});

const f64 = (v: number[] | number[][], requiresGrad = true): Tensor => tensor(v, { dtype: "float64", requiresGrad });

function assertAllClose(got: Tensor | null, expected: number[], what: string, tol = 1e-10): void {
  assert.ok(got, `${what}: no gradient`);
  const g = got.data();
  assert.equal(g.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => assert.ok(Math.abs(g[i] - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: ${g[i]} vs ${e}`));
}

test("second order: tanh'' = -2 tanh (1 - tanh^2)", () => {
  const xs = [-1.3, -0.2, 0.4, 2.1];
  const x = f64(xs);
  const [g] = grad(x.tanh().sum(), x, { createGraph: true });
  assert.ok(g!.requiresGrad, "createGraph makes the gradient differentiable");
  const [gg] = grad(g!.sum(), x);
  assertAllClose(gg, xs.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)), "tanh''");
});

test("second order: mul, f = sum(x*x*y): d/dx sum(df/dx) = 2y, d/dy sum(df/dx) = 2x", () => {
  const x = f64([1.5, -2, 0.25]), y = f64([0.5, 3, -1]);
  const [gx] = grad(x.mul(x).mul(y).sum(), [x], { createGraph: true });
  assertAllClose(gx, [2 * 1.5 * 0.5, 2 * -2 * 3, 2 * 0.25 * -1], "df/dx");
  const [gxx, gxy] = grad(gx!.sum(), [x, y]);
  assertAllClose(gxx, [1, 6, -2], "d2f/dx2");
  assertAllClose(gxy, [3, -4, 0.5], "d2f/dxdy");
});

test("second order: matmul, f = sum((AB)^2)/2, h = sum(df/dA * V): dh/dA = V B B^T", () => {
  const A = f64([[1, 2], [-1, 0.5]]), B = f64([[0.5, -1, 2], [1, 0, -0.5]]);
  const V = f64([[1, -2], [0.5, 3]], false);
  const y = matmul(A, B);
  const [gA] = grad(y.mul(y).sum().div(2), [A], { createGraph: true });
  const [hA] = grad(gA!.mul(V).sum(), [A], { retainGraph: true });
  // B B^T = [[5.25, -0.5], [-0.5, 1.25]]
  const M = [[5.25, -0.5], [-0.5, 1.25]];
  const v = [[1, -2], [0.5, 3]];
  assertAllClose(hA, [0, 1].flatMap((i) => [0, 1].map((j) => v[i][0] * M[0][j] + v[i][1] * M[1][j])), "dh/dA");
  gradcheck((a, b) => grad(matmul(a, b).square().sum(), [a], { createGraph: true })[0]!, [A, B]);
});

test("second order: conv2d, f = sum(conv2d(x, w)), h = sum(df/dx * V): dh/dw[a][b] = sum of V over the window shifted by (a, b)", () => {
  const xs = [[0.1, 0.2, -0.3], [0.4, -0.5, 0.6], [0.7, 0.8, -0.9]];
  const x = tensor([[xs]], { dtype: "float64", requiresGrad: true });
  const w = tensor([[[[1, -2], [0.5, 3]]]], { dtype: "float64", requiresGrad: true });
  const vs = [[1, 2, 3], [-1, 0.5, 2], [0, 1, -2]];
  const V = tensor([[vs]], { dtype: "float64" });
  const [gx] = grad(conv2d(x, w).sum(), [x], { createGraph: true });
  const [hx, hw] = grad(gx!.mul(V).sum(), [x, w], { allowUnused: true });
  assert.equal(hx, null, "df/dx does not depend on x");
  const expected: number[] = [];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    let s = 0;
    for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) s += vs[p + a][q + b];
    expected.push(s);
  }
  assertAllClose(hw, expected, "dh/dw");
});

test("second order: gradients of gradients match finite differences (conv2d with stride/padding/groups, pools, softmax)", () => {
  const seq = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3));
  const x = tensor(seq(2 * 4 * 4 * 4, 1.7), { dtype: "float64" }).reshape([2, 4, 4, 4]).requiresGrad_();
  const w = tensor(seq(4 * 2 * 3 * 3, 2.3), { dtype: "float64" }).reshape([4, 2, 3, 3]).requiresGrad_();
  const conv = (a: Tensor, b: Tensor) => conv2d(a, b, null, { stride: 2, padding: 1, groups: 2 });
  gradcheck((a, b) => grad(conv(a, b).square().sum(), [a], { createGraph: true })[0]!, [x, w]);
  gradcheck((a, b) => grad(conv(a, b).square().sum(), [b], { createGraph: true })[0]!, [x, w]);
  gradcheck((a) => grad(maxPool2d(a, 2).square().sum(), [a], { createGraph: true })[0]!, [x]);
  gradcheck((a) => grad(avgPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true }).square().sum(), [a], { createGraph: true })[0]!, [x]);
  gradcheck((a) => grad(softmax(a, 1).square().sum(), [a], { createGraph: true })[0]!, [x]);
});
