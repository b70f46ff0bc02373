// src/tensor/format.ts against PyTorch 1.13's printout of edge cases (test/fixtures/mutation-tensor-
// format.json, from scripts/fixtures/mutation_tensor_format.py): exact decimal ties of both signs in
// fixed and scientific form, the scientific thresholds, non-finite values, column widths, line
// wrapping, summarised tensors and suffixes past 80 columns. format.json's random tensors rarely
// reach these; the mutation run of src/tensor found them unchecked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tensor, type DType } from "../src/index.js";

interface Case { data: (number | boolean | string)[]; shape: number[]; dtype: DType; requiresGrad: boolean; expected: string }
const { cases } = JSON.parse(readFileSync(new URL("./fixtures/mutation-tensor-format.json", import.meta.url), "utf8")) as { cases: Case[] };
const value = (v: number | boolean | string): number | boolean => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number | boolean));

test("toString matches PyTorch's printout of 26 edge-case tensors", () => {
  assert.equal(cases.length, 26);
  for (const c of cases) {
    const flat = tensor(c.data.map(value) as number[], { dtype: c.dtype });
    const t = flat.reshape(c.shape);
    if (c.requiresGrad) t.requiresGrad_();
    assert.equal(t.toString(), c.expected, `${c.dtype} ${JSON.stringify(c.shape)} ${JSON.stringify(c.data.slice(0, 6))}`);
  }
});
