// eigh / svd on LAPACK's algorithms (src/ops/linalg-spectral.ts, session 14): values against PyTorch 1.13
// (test/fixtures/linalg-s14l.json, scripts/fixtures/linalg_s14l.py) at n = 1..64, repeated values, the zero
// matrix, rank-deficient, 1e-300 / 1e300 scales and NaN; residual ||A·V - V·diag(w)|| and orthogonality
// ||VᵀV - I|| up to n = 256 (no fixture: its matrices would be megabytes); det's gradient at singular
// matrices (0 first order, the cofactors under createGraph, as PyTorch 1.13).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";
import { symmetricEigen, golubKahanSvd } from "../src/ops/linalg-spectral.js";
import { make, close, type Enc } from "./linalg-s13b-helpers.js";

const nonFinite = (_: string, v: unknown): unknown => (typeof v === "string" && /^(-?Infinity|NaN)$/.test(v) ? Number(v) : v);
const F = JSON.parse(readFileSync(new URL("./fixtures/linalg-s14l.json", import.meta.url), "utf8"), nonFinite) as {
  eigvalsh: Record<string, { A: Enc; w: Enc }>; svdvals: Record<string, { A: Enc; S: Enc }>;
  svd_zero: { U: Enc; S: Enc; Vh: Enc }; eigh_zero: { L: Enc; V: Enc }; eigh_nan: { L: Enc; V: Enc }; svd_nan_error: string;
  det_singular: Record<string, { A: Enc; first: Enc; create_graph: Enc }>;
};

const maxAbs = (x: ArrayLike<number>): number => Array.from(x).reduce((a, v) => Math.max(a, Math.abs(v)), 0);
/** PyTorch's values within tol relative to the largest of them (the accuracy a backward-stable algorithm promises). */
function closeScaled(got: ArrayLike<number>, want: number[], what: string, tol: number): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const scale = maxAbs(want) || 1;
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * scale, `${what}[${i}]: ${got[i]} vs PyTorch ${want[i]}`);
}

test("eigvalsh and eigh's values match PyTorch's (n = 1, 2, 3, 17, 64, repeated, ones, zero, 1e-300 and 1e300 scales)", () => {
  for (const [name, { A, w }] of Object.entries(F.eigvalsh)) {
    const a = make(A);
    closeScaled(linalg.eigvalsh(a).data(), w.data, `eigvalsh ${name}`, 1e-13);
    closeScaled(linalg.eigh(a).eigenvalues.data(), w.data, `eigh ${name}`, 1e-13);
    closeScaled(linalg.eigvalsh(a, "U").data(), w.data, `eigvalsh U ${name}`, 1e-13);
  }
});

test("eigvalsh outside autograd skips the vectors: the same bits as eigh's values; with requiresGrad its gradient is V·diag(g)·Vᵀ", () => {
  for (const name of ["n17", "n64", "repeated_rotated", "zero", "tiny"]) {
    const a = make(F.eigvalsh[name].A);
    assert.deepEqual(Array.from(linalg.eigvalsh(a).data()), Array.from(linalg.eigh(a).eigenvalues.data()), name);
  }
  const a = make(F.eigvalsh.n17.A, true);
  const w = linalg.eigvalsh(a);
  assert.deepEqual(Array.from(w.data()), Array.from(linalg.eigh(a.detach()).eigenvalues.data()));
  const g = dt.linspace(-1, 2, 17, { dtype: "float64" });
  w.mul(g).sum().backward();
  const V = linalg.eigh(a.detach()).eigenvectors;
  close(a.grad!.data(), Array.from(dt.matmul(dt.mul(V, g.unsqueeze(-2)), V.mT).data()), "V·diag(g)·Vᵀ", 1e-12);
});

test("svdvals and svd's S match PyTorch's (square, tall, wide, rank 4, repeated, zero, 1e-300 and 1e300 scales)", () => {
  for (const [name, { A, S }] of Object.entries(F.svdvals)) {
    const a = make(A);
    closeScaled(linalg.svdvals(a).data(), S.data, `svdvals ${name}`, 1e-13);
    closeScaled(linalg.svd(a, { fullMatrices: false }).S.data(), S.data, `svd ${name}`, 1e-13);
  }
  // The values-only path (svdvals) and svd's S are the same iteration: equal to the last bit.
  const a = make(F.svdvals["17x17"].A);
  assert.deepEqual(Array.from(linalg.svdvals(a).data()), Array.from(linalg.svd(a).S.data()));
});

test("the zero matrix: U = Vh = I and eigenvectors I, as PyTorch (LAPACK)", () => {
  const z = linalg.svd(dt.zeros([4, 3], { dtype: "float64" }));
  close(z.U.data(), F.svd_zero.U.data, "U", 0);
  close(z.S.data(), F.svd_zero.S.data, "S", 0);
  close(z.Vh.data(), F.svd_zero.Vh.data, "Vh", 0);
  assert.ok(Array.from(z.S.data()).every((v) => Object.is(v, 0)), "S is +0, not -0");
  const e = linalg.eigh(dt.zeros([3, 3], { dtype: "float64" }));
  close(e.eigenvalues.data(), F.eigh_zero.L.data, "L", 0);
  close(e.eigenvectors.data(), F.eigh_zero.V.data, "V", 0);
});

test("NaN input: eigh gives NaN values and vectors, svd / svdvals / pinv / matrixRank throw PyTorch's error", () => {
  const nan = dt.tensor([[1, NaN], [NaN, 2]], { dtype: "float64" });
  close(linalg.eigh(nan).eigenvalues.data(), F.eigh_nan.L.data, "L");
  close(linalg.eigh(nan).eigenvectors.data(), F.eigh_nan.V.data, "V");
  close(linalg.eigvalsh(dt.tensor([[Infinity, 0], [0, 1]], { dtype: "float64" })).data(), [NaN, NaN], "inf");
  // PyTorch's message after the name of the function called (PyTorch names linalg.svd in all of them).
  const tail = F.svd_nan_error.replace(/^linalg\.svd: /, "");
  assert.match(tail, /^The algorithm failed to converge because the input matrix contained non-finite values\.$/);
  const calls: [string, () => unknown][] = [["linalg.svd", () => linalg.svd(nan)], ["linalg.svdvals", () => linalg.svdvals(nan)], ["linalg.pinv", () => linalg.pinv(nan)],
    ["linalg.matrixRank", () => linalg.matrixRank(nan)], ["svd", () => dt.svd(nan)], ["linalg.cond", () => linalg.cond(nan)]];
  for (const [name, f] of calls) assert.throws(f, (e: Error) => e.message.endsWith(tail) && e.message.includes(name), name);
});

let seed = 14;
const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
function symmetric(n: number, scale = 1): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd() * scale;
  return a;
}
/** max |(Xᵀ·X - I)[i, j]| for the row-major r×c X. */
function orthError(x: Float64Array, r: number, c: number): number {
  let err = 0;
  for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) {
    let d = 0;
    for (let k = 0; k < r; k++) d += x[k * c + i] * x[k * c + j];
    err = Math.max(err, Math.abs(d - (i === j ? 1 : 0)));
  }
  return err;
}

test("eigh kernel: residual and orthogonality within n·eps at n = 1, 2, 3, 17, 64, 256 and on hard inputs", () => {
  const cases: [string, Float64Array, number][] = [1, 2, 3, 17, 64, 256].map((n) => [`random ${n}`, symmetric(n), n]);
  cases.push(["1e-300", symmetric(17, 1e-300), 17], ["1e300", symmetric(17, 1e300), 17], ["1e-310 (subnormal)", symmetric(9, 1e-310), 9]);
  cases.push(["ones", new Float64Array(17 * 17).fill(1), 17], ["identity", Float64Array.from({ length: 49 }, (_, i) => (i % 8 === 0 ? 1 : 0)), 7]);
  // Wilkinson's W21+: pairs of eigenvalues equal to many digits.
  const w21 = new Float64Array(21 * 21);
  for (let i = 0; i < 21; i++) { w21[i * 21 + i] = Math.abs(10 - i); if (i > 0) w21[i * 21 + i - 1] = w21[(i - 1) * 21 + i] = 1; }
  cases.push(["wilkinson21", w21, 21]);
  for (const [name, a, n] of cases) {
    const { w, v } = symmetricEigen(Float64Array.from(a), n);
    const norm = maxAbs(a) || 1;
    let res = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += a[i * n + k] * v[k * n + j];
      res = Math.max(res, Math.abs(av - v[i * n + j] * w[j]));
    }
    // 1e-310's entries have lost bits to subnormal rounding themselves, so its residual is the input's accuracy.
    const tol = (name.includes("subnormal") ? 1e6 : 4) * Math.max(n, 4) * 2 ** -52;
    assert.ok(res / norm <= tol, `${name}: residual ${res / norm}`);
    // Q is re-orthogonalized (a Newton-Schulz step): 20 eps at any n (PyTorch's syevd: 2.4e-15 at 256).
    assert.ok(orthError(v, n, n) <= 20 * 2 ** -52, `${name}: orthogonality ${orthError(v, n, n)}`);
    for (let i = 1; i < n; i++) assert.ok(w[i] >= w[i - 1], `${name}: ascending at ${i}`);
  }
});

test("svd kernel: reconstruction and orthogonality within n·eps (square, tall, rank-deficient, scales, up to 256)", () => {
  const cases: [string, number, number, number][] = [[`1x1`, 1, 1, 1], ["2x2", 2, 2, 1], ["3x3", 3, 3, 1], ["17x17", 17, 17, 1], ["70x64", 70, 64, 1], ["256x256", 256, 256, 1], ["1e-300", 17, 13, 1e-300], ["1e300", 17, 13, 1e300]];
  for (const [name, m, n, scale] of cases) {
    const a = Float64Array.from({ length: m * n }, () => rnd() * scale);
    const { u, s, v } = golubKahanSvd(Float64Array.from(a), m, n);
    let res = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let r = 0;
      for (let k = 0; k < n; k++) r += u[i * n + k] * s[k] * v[j * n + k];
      res = Math.max(res, Math.abs(r - a[i * n + j]));
    }
    const tol = 4 * Math.max(m, 4) * 2 ** -52;
    assert.ok(res / maxAbs(a) <= tol, `${name}: residual ${res / maxAbs(a)}`);
    // U and V are re-orthogonalized (a Newton-Schulz step): 20 eps at any n, as LAPACK's gesdd (PyTorch: 2e-15 at 256).
    assert.ok(orthError(u, m, n) <= 20 * 2 ** -52 && orthError(v, n, n) <= 20 * 2 ** -52, `${name}: orthogonality ${orthError(u, m, n)}, ${orthError(v, n, n)}`);
    for (let i = 1; i < n; i++) assert.ok(s[i] <= s[i - 1] && s[i] >= 0, `${name}: descending at ${i}`);
  }
  // Rank 4 of 20×12: the last 8 singular values are at rounding level, and U stays orthogonal (the
  // one-sided Jacobi it replaces left U's columns for them nearly parallel: det(U) ≈ 0).
  const b = Float64Array.from({ length: 80 }, rnd), c = Float64Array.from({ length: 48 }, rnd), a = new Float64Array(240);
  for (let i = 0; i < 20; i++) for (let j = 0; j < 12; j++) for (let k = 0; k < 4; k++) a[i * 12 + j] += b[i * 4 + k] * c[k * 12 + j];
  const r = golubKahanSvd(a, 20, 12);
  assert.ok(maxAbs(r.s.subarray(4)) < 1e-14 * r.s[0], `rank 4: ${r.s.subarray(4)}`);
  assert.ok(orthError(r.u, 20, 12) < 1e-14, `rank 4: U orthogonal ${orthError(r.u, 20, 12)}`);
});

test("eigh, svd, pinv: the sign convention (largest-|·| entry of each eigenvector / right singular vector positive) and A = U·S·Vh", () => {
  const a = make(F.svdvals["20x7"].A);
  const { U, S, Vh } = linalg.svd(a, { fullMatrices: false });
  close(dt.matmul(dt.mul(U, S.unsqueeze(-2)), Vh).data(), Array.from(a.data()), "U·S·Vh", 1e-13);
  const vh = Vh.data();
  for (let j = 0; j < 7; j++) {
    const row = Array.from(vh.subarray(j * 7, j * 7 + 7));
    const big = row.reduce((x, y) => (Math.abs(y) > Math.abs(x) ? y : x), 0);
    assert.ok(big > 0, `Vh row ${j}`);
  }
  const s = make(F.eigvalsh.n17.A);
  const { eigenvalues: L, eigenvectors: V } = linalg.eigh(s);
  close(dt.matmul(dt.mul(V, L.unsqueeze(-2)), V.mT).data(), Array.from(s.data()), "V·L·Vᵀ", 1e-13);
  const wide = make(F.svdvals["7x20"].A);
  close(dt.matmul(linalg.pinv(wide), wide).matmul(linalg.pinv(wide)).data(), Array.from(linalg.pinv(wide).data()), "A⁺·A·A⁺ = A⁺", 1e-12);
});

test("matrixRank and pinv take tensor tolerances, one per matrix, broadcast with the batch (PyTorch's)", () => {
  const A = dt.stack([dt.diag(dt.tensor([3, 1, 0.1], { dtype: "float64" })), dt.diag(dt.tensor([6, 2, 0.2], { dtype: "float64" }))]);
  const atol = dt.tensor([0.5, 0.05], { dtype: "float64" });
  assert.deepEqual(Array.from(linalg.matrixRank(A, { atol }).data(), Number), [2, 3]);
  // atol [3, 1] against the batch [2]: a [3, 2] result.
  const r = linalg.matrixRank(A, { atol: dt.tensor([[0.5], [2.5], [0]], { dtype: "float64" }) });
  assert.deepEqual(r.shape, [3, 2]);
  // Where atol is 0 (last row) rtol falls back to eps·max(m, n), as PyTorch's where(atol > 0, 0, default).
  assert.deepEqual(Array.from(r.data(), Number), [2, 2, 1, 1, 3, 3]); // PyTorch 1.13: [[2, 2], [1, 1], [3, 3]]
  const p = linalg.pinv(A, { rtol: dt.tensor([0.5, 0.01], { dtype: "float64" }) });
  close(p.data(), [1 / 3, 0, 0, 0, 0, 0, 0, 0, 0, 1 / 6, 0, 0, 0, 0.5, 0, 0, 0, 5], "pinv", 1e-14);
  assert.throws(() => linalg.matrixRank(A, { atol: dt.tensor([true]) }), /linalg\.matrixRank: atol must be a real tensor or a non-negative number, got a bool tensor/);
  assert.throws(() => linalg.pinv(A, { rtol: -1 }), /linalg\.pinv: rtol must be a non-negative number, got -1$/);
});

test("det's gradient at a singular matrix: 0 first order, the cofactors under createGraph (PyTorch 1.13)", () => {
  for (const [name, { A, first, create_graph }] of Object.entries(F.det_singular)) {
    const x = make(A, true);
    const [g1] = dt.grad(linalg.det(x), [x]);
    close(g1!.data(), first.data, `${name} first order`, 1e-12);
    const [g2] = dt.grad(linalg.det(x), [x], { createGraph: true });
    close(g2!.data(), create_graph.data, `${name} createGraph`, 1e-12);
  }
  // A batch mixing a singular and a regular matrix: the regular one keeps det·A⁻ᵀ.
  const x = dt.tensor([[[1, 0], [0, 0]], [[2, 1], [1, 3]]], { dtype: "float64" }).requiresGrad_();
  linalg.det(x).sum().backward();
  close(x.grad!.data(), [0, 0, 0, 0, 3, -1, -1, 2], "batch", 1e-12);
});

void (null as unknown as Tensor);
