// Backward rules on bfloat16 tensors against PyTorch 1.13 (scripts/fixtures/autograd_half.py):
// a graph node runs its rule in float32 and rounds each input gradient once, as PyTorch's CPU
// backward kernels do (src/autograd/node.ts); a rule run in bfloat16 rounds after every op and
// misses PyTorch's bits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { linear, Tensor } from "../src/index.js";

interface Row { op: "tanh" | "sigmoid"; x: number[]; gradOutput: number[]; grad: number[] }
const FIX = JSON.parse(readFileSync(new URL("./fixtures/autograd-half.json", import.meta.url), "utf8")) as { rows: Row[] };
const bf16 = (bits: number[]): Tensor => Tensor.fromArray(Uint16Array.from(bits), [bits.length], "bfloat16");

for (const row of FIX.rows) {
  test(`${row.op} backward in bfloat16 gives PyTorch's bits (the rule computes in float32, rounds once)`, () => {
    const x = bf16(row.x).requiresGrad_();
    const y = row.op === "tanh" ? x.tanh() : x.sigmoid();
    y.backward(bf16(row.gradOutput));
    assert.equal(x.grad!.dtype, "bfloat16");
    assert.deepEqual(Array.from(x.grad!.bits()), row.grad);
  });
}

test("a float32 op on a bfloat16 input: the input's gradient comes back in bfloat16, the other in float32", () => {
  // Mixed dtypes: the output and its gradient are float32, one input is bfloat16.
  const a = bf16([0x3fc0, 0xc020]).requiresGrad_(); // 1.5, -2.5
  const b = Tensor.fromArray(Float32Array.of(1 / 3, 0.1), [2], "float32").requiresGrad_();
  a.mul(b).tanh().sum().backward();
  assert.equal(a.grad!.dtype, "bfloat16");
  assert.equal(b.grad!.dtype, "float32");
  const t = [Math.tanh(Math.fround(1.5 * Math.fround(1 / 3))), Math.tanh(Math.fround(-2.5 * Math.fround(0.1)))];
  const d = t.map((v) => 1 - v * v);
  assert.deepEqual(Array.from(b.grad!.data() as Float32Array).map((v, i) => Math.abs(v - d[i] * [1.5, -2.5][i]) < 1e-6), [true, true]);
  // Rounded to bfloat16 (8 significant bits): within half a unit in the last place (2^-10 near 0.3).
  const ga = Array.from(a.grad!.to("float32").data() as Float32Array);
  assert.deepEqual(ga.map((v, i) => Math.abs(v - d[i] * [1 / 3, 0.1][i]) <= 2 ** -10), [true, true]);
});

// PyTorch 1.13's bfloat16 mm misses the correctly rounded products by 1-2 units in the last place
// in 5 of 18 elements here; deeptype computes them in float32 and rounds once, so the test compares
// with the float64 products rounded once (both are in the fixture).
test("linear backward in bfloat16: x, weight and bias gradients are the exact products rounded once", () => {
  const L = (FIX as unknown as { linear: Record<string, number[][] | number[]> }).linear;
  const t = (k: string, shape: number[]): Tensor => bf16((L[k] as number[][]).flat()).reshape(shape);
  const x = t("x", [4, 3]).requiresGrad_();
  const w = t("w", [2, 3]).requiresGrad_();
  const b = bf16(L.b as number[]).requiresGrad_();
  linear(x, w, b).backward(t("gradOutput", [4, 2]));
  assert.deepEqual([x.grad!.dtype, w.grad!.dtype, b.grad!.dtype], ["bfloat16", "bfloat16", "bfloat16"]);
  assert.deepEqual(Array.from(x.grad!.bits()), (L.gxRounded as number[][]).flat());
  assert.deepEqual(Array.from(w.grad!.bits()), (L.gwRounded as number[][]).flat());
  assert.deepEqual(Array.from(b.grad!.bits()), L.gbRounded);
  assert.deepEqual(Array.from(b.grad!.bits()), L.gb, "the bias gradient (a sum of 4) is PyTorch's too");
});
