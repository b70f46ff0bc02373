// Written for the survivors of `npm run mutate -- src/ops/linalg-solve.ts` (2026-12-06 21:09, 82.6%):
// logdet's NaN for a negative determinant, solve's batched vector right-hand side and its shape
// error, matrixPower's n = 0 and negative n and its n check. Values from torch 1.13 (float64).
import { test } from "node:test";
import assert from "node:assert/strict";
import { linalg, logdet, tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { close } from "./linalg-s13b-helpers.js";

const f64 = (v: number[][] | number[][][] | number[]) => tensor(v, { dtype: "float64" });

test("logdet: log(det) per matrix, NaN where the determinant is negative, -Infinity where it is 0", () => {
  // torch.logdet of [[2,0],[0,3]], [[0,1],[1,0]] (det -1), [[1,2],[2,4]] (singular)
  const got = logdet(f64([[[2, 0], [0, 3]], [[0, 1], [1, 0]], [[1, 2], [2, 4]]])).numbers();
  close(got, [1.791759469228055, NaN, -Infinity], "logdet", 1e-14);
  assert.ok(Number.isNaN(logdet(f64([[0, 1], [1, 0]])).item()), "a lone negative determinant");
});

test("linalg.solve: a batch of vectors B [2, 3] against A [2, 3, 3] is solved as vectors; shapes that do not fit are named", () => {
  const A = f64([[[4, 1, 0], [1, 3, 1], [0, 1, 2]], [[2, 0, 1], [0, 3, 0], [1, 0, 5]]]);
  const X = linalg.solve(A, f64([[1, 2, 3], [4, 5, 6]]));
  assert.deepEqual(X.shape, [2, 3]);
  close(X.numbers(), [0.22222222222222224, 0.11111111111111105, 1.4444444444444446, 1.5555555555555556, 1.6666666666666667, 0.8888888888888888], "solve", 1e-13);
  throwsWith(() => linalg.solve(f64([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), f64([[1, 1, 1, 1], [1, 1, 1, 1]])),
    "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x4)");
});

test("linalg.matrixPower: n = 0 is the identity per matrix, a negative n powers the inverse, a fractional n is refused", () => {
  const M = f64([[2, 1], [1, 3]]);
  close(linalg.matrixPower(M, -2).numbers(), [0.39999999999999997, -0.2, -0.2, 0.20000000000000004], "M^-2", 1e-14);
  const I = linalg.matrixPower(f64([[[2, 1], [1, 3]], [[4, 2], [2, 6]]]), 0);
  assert.deepEqual(I.tolist(), [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]);
  assert.equal(I.dtype, "float64");
  throwsWith(() => linalg.matrixPower(M, 1.5), "linalg.matrixPower: n must be an integer, got 1.5");
});
