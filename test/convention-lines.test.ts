// The lines of issue 10's "One calling convention" section, run exactly as written, with PyTorch's
// results for the same inputs (scripts/fixtures/convention.py -> test/fixtures/convention.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { arange, nn, data, type Tensor } from "../src/index.js";

const F = nn.functional;
const want = JSON.parse(readFileSync(new URL("./fixtures/convention.json", import.meta.url), "utf8")) as {
  maxPool2d: { shape: number[]; data: number[] }; dataLoaderBatchShapes: number[][][]; mseLossSum: number;
  varKeepdim: { shape: number[]; data: number[] }; numel: number[]; max1: { values: number[]; indices: number[] };
  getNone: number[]; getNoneMiddle: number[];
};

const close = (got: Tensor | number[], expected: number[], tol = 1e-6): void => {
  const g = Array.isArray(got) ? got : Array.from(got.contiguous().data(), Number);
  assert.equal(g.length, expected.length);
  g.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol * (1 + Math.abs(expected[i])), `element ${i}: ${v} vs PyTorch ${expected[i]}`));
};

const x4 = arange(2 * 3 * 4 * 4).reshape([2, 3, 4, 4]).sin();
const x = arange(12).reshape([3, 4]).cos();
const y = arange(12).reshape([3, 4]).sin();

test("new nn.MaxPool2d(2, 2)", () => {
  const pool = new nn.MaxPool2d(2, 2);
  const out = pool.call(x4);
  assert.deepEqual(out.shape, want.maxPool2d.shape);
  close(out, want.maxPool2d.data);
});

test("new data.DataLoader(dataset, { batchSize: 64 })", () => {
  const dataset = new data.TensorDataset(arange(150).reshape([150, 1]), arange(150, { dtype: "int32" }).remainder(10));
  const loader = new data.DataLoader(dataset, { batchSize: 64 });
  const shapes: number[][][] = [];
  for (const [a, b] of loader) shapes.push([a.shape as number[], b.shape as number[]]);
  assert.deepEqual(shapes, want.dataLoaderBatchShapes);
});

test('F.mseLoss(x, y, { reduction: "sum" })', () => {
  const loss = F.mseLoss(x, y, { reduction: "sum" });
  close([loss.item()], [want.mseLossSum]);
});

test("x.var(1, { keepdim: true })", () => {
  const v = x.var(1, { keepdim: true });
  assert.deepEqual(v.shape, want.varKeepdim.shape);
  close(v, want.varKeepdim.data);
});

test("p.numel()", () => {
  const lin = new nn.Linear(3, 2);
  assert.deepEqual(lin.parameters().map((p) => p.numel()), want.numel);
});

test("const [values, indices] = x.max(1)", () => {
  const [values, indices] = x.max(1);
  close(values, want.max1.values);
  assert.deepEqual(Array.from(indices.data()), want.max1.indices);
  const { values: v2, indices: i2 } = x.max(1);
  close(v2, want.max1.values);
  assert.deepEqual(Array.from(i2.data()), want.max1.indices);
});

test("x.get(null) inserts an axis like x[None]", () => {
  assert.deepEqual(x.get(null).shape, want.getNone);
  assert.deepEqual(x.get(":", null).shape, want.getNoneMiddle);
});

test("arange takes PyTorch's keywords after any of its numbers: arange(5, { dtype })", () => {
  const a = arange(5, { dtype: "float64" });
  assert.deepEqual([a.dtype, a.tolist()], ["float64", [0, 1, 2, 3, 4]]);
  const b = arange(2, 5, { dtype: "float32" });
  assert.deepEqual([b.dtype, b.tolist()], ["float32", [2, 3, 4]]);
  assert.deepEqual(arange(0, 1, 0.5, { dtype: "float64" }).tolist(), [0, 0.5]);
});
