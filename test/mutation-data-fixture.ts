/** The PyTorch/torchvision reference values the src/data mutation tests share (scripts/fixtures/mutation_data.py). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FX = JSON.parse(readFileSync(new URL("./fixtures/mutation-data.json", import.meta.url), "utf8")) as Record<string, any>;

/** Element-wise |got − want| <= tol, naming the first index that is not. */
export const close = (got: ArrayLike<number>, want: readonly number[], tol: number, msg: string): void => {
  assert.equal(got.length, want.length, `${msg}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `${msg} at ${i}: ${got[i]} vs ${want[i]}`);
};
