// The linalg solvers and decompositions at size 65 (past every block size; the other s13b tests cover
// 0, 1, 3, 4, 7 and 17) against PyTorch 1.13's summaries (test/fixtures/linalg-s13b.json, "n65", from
// scripts/fixtures/linalg_s13b.py), on the js backend and on wasm with 1 and 2 threads (the
// factorizations run in JavaScript; their products and gradients go through the backend's matmul).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { linalg, type Tensor } from "../src/index.js";
import { onBackends } from "./backends.js";

const F = JSON.parse(readFileSync(new URL("./fixtures/linalg-s13b.json", import.meta.url), "utf8")) as { n65: Record<string, number[] | number> };
const R = F.n65 as Record<string, number[]> & { logabsdet: number; sign: number };

/** linalg_s13b.py's inputs: G[i, j] = ((7i + 13j) mod 17 - 8) / 8, exact in binary, so both sides start equal. */
const idx = dt.arange(65, { dtype: "float64" });
const G = idx.unsqueeze(1).mul(7).add(idx.unsqueeze(0).mul(13)).remainder(17).sub(8).div(8);
const A65 = G.add(dt.eye(65, { dtype: "float64" }).mul(20));
const S65 = G.add(G.mT).add(dt.eye(65, { dtype: "float64" }).mul(40));

function close(got: Tensor | number, want: number[] | number, what: string, tol = 1e-9): void {
  const g = typeof got === "number" ? [got] : Array.from(got.contiguous().data());
  const w = typeof want === "number" ? [want] : want;
  assert.equal(g.length, w.length, `${what}: length`);
  for (let i = 0; i < w.length; i++) if (!(Math.abs(g[i] - w[i]) <= tol * (1 + Math.abs(w[i])))) assert.fail(`${what}[${i}]: ${g[i]} vs PyTorch ${w[i]}`);
}

test("size 65: slogdet, inv, solve, matrixPower as PyTorch's", () => {
  onBackends(() => {
    const { sign, logabsdet } = linalg.slogdet(A65);
    close(sign.item(), R.sign, "sign");
    close(logabsdet.item(), R.logabsdet, "logabsdet");
    close(linalg.inv(A65).sum(-1), R.inv_row_sums, "inv row sums");
    close(linalg.solve(A65, dt.ones([65], { dtype: "float64" })), R.solve_ones, "solve");
    close(linalg.matrixPower(A65, 3).sum(-1), R.matrix_power_3_row_sums, "matrixPower 3 row sums");
  });
});

test("size 65: cholesky, qr (LAPACK's signs), eigvalsh, svd, pinv, lstsq as PyTorch's, and the factors reconstruct A", () => {
  onBackends(() => {
    const l = linalg.cholesky(S65);
    close(l.diagonal(), R.cholesky_diag, "cholesky diagonal");
    close(l.matmul(l.mT), Array.from(S65.data()), "L·Lᵀ", 1e-12);
    const { Q, R: r } = linalg.qr(A65);
    close(r.diagonal(), R.qr_r_diag, "R diagonal");
    close(Q.select(1, 0), R.qr_q_col0, "Q's first column");
    close(Q.matmul(r), Array.from(A65.data()), "Q·R", 1e-12);
    const { eigenvalues, eigenvectors: v } = linalg.eigh(S65);
    close(eigenvalues, R.eigvalsh, "eigenvalues");
    close(v.matmul(dt.diagEmbed(eigenvalues)).matmul(v.mT), Array.from(S65.data()), "V·diag(L)·Vᵀ", 1e-12);
    const { U, S, Vh } = linalg.svd(A65);
    close(S, R.svdvals, "singular values");
    close(U.matmul(dt.diagEmbed(S)).matmul(Vh), Array.from(A65.data()), "U·diag(S)·Vh", 1e-12);
    const tall = A65.narrow(1, 0, 17);
    close(linalg.pinv(tall).sum(-1), R.pinv_row_sums, "pinv row sums");
    close(linalg.lstsq(tall, dt.ones([65], { dtype: "float64" })).solution, R.lstsq_tall, "lstsq");
  });
});
