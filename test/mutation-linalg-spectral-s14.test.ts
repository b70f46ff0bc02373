// Tests written for the mutants of src/ops/linalg-spectral.ts (eigh's tred2 + tql2, the SVD's
// bidiagonalization + Golub-Kahan QR) that survived test/linalg-spectral-s14l.test.ts
// (docs/mutation/session-14.md): matrices whose values are known exactly and whose structure takes the
// branches random matrices never do (a zero row in the Householder reduction, a zero on the bidiagonal's
// diagonal in the middle or at the end, subnormal entries), each checked with and without vectors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { linalg } from "../src/index.js";
import { symmetricEigen, golubKahanSvd } from "../src/ops/linalg-spectral.js";

const EPS = 2 ** -52;

function near(got: ArrayLike<number>, want: number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
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

/** Checks golubKahanSvd(a) against the exact singular values: S, U·S·Vᵀ = A, UᵀU = VᵀV = I, and the values-only path. */
function checkSvd(rows: number[][], want: number[], what: string, scale = 1): void {
  const m = rows.length, n = rows[0].length;
  const a = Float64Array.from(rows.flat(), (v) => v * scale);
  const { u, s, v } = golubKahanSvd(Float64Array.from(a), m, n);
  const tol = 8 * Math.max(m, 4) * EPS * Math.max(...want) * scale;
  near(s, want.map((x) => x * scale), tol, `${what} S`);
  near(golubKahanSvd(Float64Array.from(a), m, n, false).s, Array.from(s), 0, `${what} values only`);
  assert.equal(u.length, m * n);
  assert.equal(v.length, n * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let r = 0;
    for (let k = 0; k < n; k++) r += u[i * n + k] * s[k] * v[j * n + k];
    assert.ok(Math.abs(r - a[i * n + j]) <= tol, `${what}: (U·S·Vᵀ)[${i}, ${j}] = ${r}, A = ${a[i * n + j]}`);
  }
  assert.ok(orthError(u, m, n) <= 20 * EPS, `${what}: UᵀU = I (${orthError(u, m, n)})`);
  assert.ok(orthError(v, n, n) <= 20 * EPS, `${what}: VᵀV = I (${orthError(v, n, n)})`);
}

/** Checks symmetricEigen(a) against the exact eigenvalues: w (ascending), A·V = V·diag(w), VᵀV = I, and the values-only path. */
function checkEigen(rows: number[][], want: number[], what: string, scale = 1): void {
  const n = rows.length;
  const a = Float64Array.from(rows.flat(), (v) => v * scale);
  const { w, v } = symmetricEigen(Float64Array.from(a), n);
  const tol = 8 * Math.max(n, 4) * EPS * Math.max(...want.map(Math.abs)) * scale;
  near(w, want.map((x) => x * scale), tol, `${what} w`);
  const valuesOnly = symmetricEigen(Float64Array.from(a), n, false);
  near(valuesOnly.w, Array.from(w), 0, `${what} values only`);
  assert.ok(valuesOnly.v.every((x) => x === 0), `${what}: values only leaves V zero`);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let av = 0;
    for (let k = 0; k < n; k++) av += a[i * n + k] * v[k * n + j];
    assert.ok(Math.abs(av - v[i * n + j] * w[j]) <= tol, `${what}: (A·V - V·W)[${i}, ${j}] = ${av - v[i * n + j] * w[j]}`);
  }
  assert.ok(orthError(v, n, n) <= 20 * EPS, `${what}: VᵀV = I (${orthError(v, n, n)})`);
}

test("svd kernel on bidiagonal structure: a zero diagonal entry in the middle (split) and at the end (deflation), exact values", () => {
  // BᵀB = [[1, 1, 0], [1, 1, 0], [0, 0, 2]]: values √2, √2, 0; the reduction leaves s[1] = 0.
  checkSvd([[1, 1, 0], [0, 0, 1], [0, 0, 1]], [Math.SQRT2, Math.SQRT2, 0], "middle zero");
  // The last diagonal entry zero: [[1, 1], [0, 0]] has √2 and 0.
  checkSvd([[1, 1], [0, 0]], [Math.SQRT2, 0], "last zero");
  checkSvd([[2, 1, 0, 0], [0, 0, 3, 0], [0, 0, 0, 4], [0, 0, 0, 0]], [4, 3, Math.sqrt(5), 0], "zero row and column");
  checkSvd([[0, 0, 0], [0, 5, 0], [0, 0, 0], [0, 0, 2]], [5, 2, 0], "a zero first column, tall");
  checkSvd([[3, 0], [4, 0], [0, 0]], [5, 0], "tall, rank 1");
  // m = n + 1: the column reduction reaches the last column (nct = n) and the bidiagonal ends with e = 0.
  checkSvd([[1, 0, 0], [0, 2, 0], [0, 0, 3], [1, 1, 1]], svdValues([[1, 0, 0], [0, 2, 0], [0, 0, 3], [1, 1, 1]]), "4x3");
});

/** Singular values as the square roots of AᵀA's eigenvalues (the eigen kernel, checked separately), descending. */
function svdValues(rows: number[][]): number[] {
  const n = rows[0].length, ata = new Float64Array(n * n);
  for (const r of rows) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ata[i * n + j] += r[i] * r[j];
  return Array.from(symmetricEigen(ata, n, false).w, (x) => Math.sqrt(Math.max(x, 0))).reverse();
}

test("svd and eigh kernels at subnormal scale (powers of two, so the entries are exact): the exact scale keeps every bit", () => {
  const tiny = 2 ** -1030; // 3·2^-1030 and 4·2^-1030 are subnormal and exact
  checkSvd([[3, 0], [4, 0]], [5, 0], "subnormal rank 1", tiny);
  checkSvd([[3, 0], [0, 4]], [4, 3], "subnormal diagonal", tiny);
  checkEigen([[2, 1], [1, 2]], [1, 3], "subnormal 2x2", tiny);
  const huge = 2 ** 1020;
  checkSvd([[3, 0], [4, 0]], [5, 0], "huge rank 1", huge);
  checkEigen([[2, 1], [1, 2]], [1, 3], "huge 2x2", huge);
});

test("eigh kernel where Householder meets a zero row (block diagonal, diagonal) and at n = 1, 2: exact eigenvalues, vectors too", () => {
  checkEigen([[2, 1, 0, 0], [1, 2, 0, 0], [0, 0, 5, 0], [0, 0, 0, -1]], [-1, 1, 3, 5], "block diagonal");
  checkEigen([[0, 0, 0, 0], [0, 2, 1, 0], [0, 1, 2, 0], [0, 0, 0, 0]], [0, 0, 1, 3], "zero rows outside a 2×2 block");
  checkEigen([[3, 0, 0], [0, -2, 0], [0, 0, 1]], [-2, 1, 3], "diagonal");
  checkEigen([[0, 0, 1], [0, 0, 0], [1, 0, 0]], [-1, 0, 1], "anti-diagonal");
  checkEigen([[7]], [7], "1x1");
  checkEigen([[-7]], [-7], "1x1 negative");
  checkEigen([[0, 1], [1, 0]], [-1, 1], "2x2 off-diagonal");
  // A tridiagonal matrix with a zero in the middle of its subdiagonal: two independent blocks.
  checkEigen([[2, -1, 0, 0, 0], [-1, 2, 0, 0, 0], [0, 0, 2, -1, 0], [0, 0, -1, 2, -1], [0, 0, 0, -1, 2]],
    [1, 2 - Math.SQRT2, 2, 3, 2 + Math.SQRT2].sort((x, y) => x - y), "split tridiagonal");
});

test("linalg.eigh / svd / svdvals on the same structured matrices: exact values through the public API (float64 and float32)", () => {
  const A = dt.tensor([[2, 1, 0, 0], [1, 2, 0, 0], [0, 0, 5, 0], [0, 0, 0, -1]], { dtype: "float64" });
  near(linalg.eigvalsh(A).data(), [-1, 1, 3, 5], 1e-14, "eigvalsh");
  const { eigenvalues, eigenvectors } = linalg.eigh(A);
  near(eigenvalues.data(), [-1, 1, 3, 5], 1e-14, "eigh");
  // Columns for -1, 3 and 5 with the sign convention (each vector's largest-|·| entry positive); the
  // vector for 1 is ±(s, -s, 0, 0), a tie of |·| that rounding decides.
  const s = Math.SQRT1_2, V = eigenvectors.data();
  const col = (j: number): number[] => [0, 1, 2, 3].map((i) => V[i * 4 + j]);
  near(col(0), [0, 0, 0, 1], 1e-15, "vector for -1");
  near(col(2), [s, s, 0, 0], 1e-15, "vector for 3");
  near(col(3), [0, 0, 1, 0], 1e-15, "vector for 5");
  near(col(1).map(Math.abs), [s, s, 0, 0], 1e-15, "vector for 1");
  assert.ok(col(1)[0] * col(1)[1] < 0, "vector for 1: (s, -s)");
  const B = dt.tensor([[1, 1, 0], [0, 0, 1], [0, 0, 1]], { dtype: "float32" });
  near(linalg.svdvals(B).data(), [Math.SQRT2, Math.SQRT2, 0], 1e-6, "svdvals float32");
  const { U, S, Vh } = linalg.svd(B);
  near(dt.matmul(dt.mul(U, S.unsqueeze(-2)), Vh).data(), [1, 1, 0, 0, 0, 1, 0, 0, 1], 1e-6, "U·S·Vh float32");
  near(linalg.matrixRank(B).data() as unknown as number[], [2], 0, "matrixRank");
});

// PyTorch 1.13 (LAPACK's syevd / gesdd scale by the norm too) gives 0 for the 2^-1000 value: it
// underflows once the matrix is scaled to its largest entry (torch.linalg.eigvalsh and svdvals agree).
test("eigh and svd kernels scale by the largest entry, not the last: entries 2^1000 and 2^-1000 in one matrix, PyTorch's values", () => {
  const big = 2 ** 1000, small = 2 ** -1000;
  const e = symmetricEigen(Float64Array.from([big, 0, 0, small]), 2);
  assert.deepEqual(Array.from(e.w), [0, big]);
  assert.deepEqual(Array.from(e.v, Math.abs), [0, 1, 1, 0]);
  const r = golubKahanSvd(Float64Array.from([0, small, big, 0, 0, 0]), 3, 2);
  assert.deepEqual(Array.from(r.s), [big, 0]);
  assert.deepEqual(Array.from(r.v, Math.abs), [1, 0, 0, 1]);
  assert.deepEqual(Array.from(r.u, Math.abs), [0, 1, 1, 0, 0, 0]);
});

test("svd kernel: longer chains through the split and the deflation (a zero on the diagonal with non-zero superdiagonal entries after it)", () => {
  // BᵀB has eigenvalues 3, 2, 1, 0; the zero s[1] splits off a block of three that the rotations chase.
  checkSvd([[1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1], [0, 0, 0, 1]], [Math.sqrt(3), Math.SQRT2, 1, 0], "split, block of three");
  // The same with superdiagonal entries other than 1 (PyTorch 1.13's values, torch.linalg.svdvals).
  checkSvd([[1, 1, 0, 0], [0, 0, 2, 0], [0, 0, 1, 3], [0, 0, 0, 1]], [3.377147440955654, 1.8960156017413659, 1.414213562373095, 0], "split, other superdiagonal");
  // The last diagonal entry zero after a chain of three: PyTorch 1.13's values (torch.linalg.svdvals).
  checkSvd([[1, 1, 0, 0], [0, 2, 1, 0], [0, 0, 3, 1], [0, 0, 0, 0]], [3.388875651148427, 2.1782452605349505, 0.8779347390383583, 0], "deflation, chain of three");
  checkSvd([[1, 1, 0], [0, 1, 1], [0, 0, 0]], [Math.sqrt(3), 1, 0], "deflation, chain of two");
});

test("svd kernel: singular values 1e-9 apart, each to rounding, within the iteration limit", () => {
  const n = 8;
  const reflector = (v: number[]): number[][] => {
    const vv = v.reduce((s, x) => s + x * x, 0);
    return v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
  };
  const H1 = reflector([1, -2, 3, 0.5, -1, 2, 0.25, 1]), H2 = reflector([2, 1, -1, 3, 0.5, -2, 1, 1.5]);
  const sigma = Array.from({ length: n }, (_, i) => 1 + (n - 1 - i) * 1e-9);
  const rows = H1.map((r) => H2[0].map((_, j) => r.reduce((acc, x, k) => acc + x * sigma[k] * H2[k][j], 0)));
  checkSvd(rows, sigma, "clustered");
});
