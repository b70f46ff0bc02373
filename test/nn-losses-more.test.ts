// The margin, likelihood and CTC losses against PyTorch 1.13 (test/fixtures/losses-more.json, made by
// scripts/fixtures/losses_more.py): values and the gradient of sum(out·r) for every differentiable
// argument, as functions and as modules, in float64 and float32, for each reduction and edge cases
// (hinge kinks, targets neither 1 nor -1, zero vectors, clamped variances, impossible CTC alignments).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nn, tensor, randn, manualSeed, gradcheck, grad, Tensor, type DType } from "../src/index.js";

const F = nn.functional;

interface Fix {
  shape: number[];
  dtype?: "int32";
  data: (number | string)[];
}
interface Case {
  name: string;
  fn: string;
  module: string;
  args: Fix[];
  opts: Record<string, unknown>;
  output: Fix;
  r: Fix;
  grads: (Fix | null)[];
}

const cases = (JSON.parse(readFileSync(new URL("./fixtures/losses-more.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;

const num = (v: number | string): number => (typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity);

function fromFix(f: Fix, dtype: DType): Tensor {
  if (f.dtype === "int32") return tensor(Int32Array.from(f.data.map(num))).reshape(f.shape);
  return tensor(Float64Array.from(f.data.map(num)), { dtype }).reshape(f.shape);
}

function assertClose(got: Tensor, want: Fix, what: string, rtol: number, atol: number): void {
  assert.deepEqual([...got.shape], want.shape, `${what}: shape`);
  const a = got.data();
  want.data.forEach((w, i) => {
    const e = num(w);
    const ok = Number.isNaN(e) ? Number.isNaN(a[i]) : e === a[i] || Math.abs(a[i] - e) <= atol + rtol * Math.abs(e);
    assert.ok(ok, `${what}: element ${i} is ${a[i]}, expected ${e}`);
  });
}

/** The options with fixture tensors (weights) turned into tensors of `dtype`. */
function optionsFor(c: Case, dtype: DType): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c.opts).map(([k, v]) => [k, v !== null && typeof v === "object" && "data" in (v as object) ? fromFix(v as Fix, dtype) : v]));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...a: any[]) => Tensor;

for (const c of cases) {
  test(`${c.name}: value and gradients match PyTorch (function and nn.${c.module}, float64 and float32)`, () => {
    for (const dtype of ["float64", "float32"] as const) {
      for (const form of ["function", "module"] as const) {
        const args = c.args.map((a, i) => {
          const t = fromFix(a, dtype);
          return c.grads[i] ? t.requiresGrad_() : t;
        });
        const opts = optionsFor(c, dtype);
        const out = form === "function"
          ? (F as unknown as Record<string, AnyFn>)[c.fn](...args, opts)
          : (new (nn as unknown as Record<string, new (o: unknown) => nn.Module<Tensor[], Tensor>>)[c.module](opts)).call(...args);
        // The CTC recursions run in float64 either way; the composite losses compute in float32.
        const [rtol, atol] = dtype === "float64" ? [1e-9, 1e-10] : [2e-4, 2e-5];
        assertClose(out, c.output, `${dtype} ${form} output`, rtol, atol);
        if (!c.grads.some((g) => g)) continue;
        out.mul(fromFix(c.r, dtype)).sum().backward();
        c.grads.forEach((g, i) => {
          if (g) assertClose(args[i].grad!, g, `${dtype} ${form} gradient of argument ${i}`, rtol, atol);
        });
      }
    }
  });
}

test("every new loss has PyTorch cases for each reduction (the fixture covers the list)", () => {
  const fns = ["huberLoss", "marginRankingLoss", "hingeEmbeddingLoss", "multiMarginLoss", "multilabelMarginLoss", "multilabelSoftMarginLoss",
    "softMarginLoss", "tripletMarginLoss", "cosineEmbeddingLoss", "poissonNllLoss", "gaussianNllLoss", "ctcLoss"];
  for (const fn of fns) {
    for (const red of ["mean", "sum", "none"]) assert.ok(cases.some((c) => c.fn === fn && c.name === `${fn}(${red})`), `${fn}(${red})`);
  }
});

test("ctcLoss of logSoftmax(logits) has the true gradient with respect to the logits (float64 gradcheck)", () => {
  manualSeed(7);
  const logits = randn([6, 2, 4], { dtype: "float64", requiresGrad: true });
  const targets = tensor([[1, 2, 2], [3, 1, 0]], { dtype: "int32" });
  for (const reduction of ["mean", "sum", "none"] as const) {
    assert.equal(gradcheck((x) => F.ctcLoss(x.logSoftmax(2), targets, [6, 5], [3, 2], { reduction }), [logits]), true, reduction);
  }
});

test("the composite losses pass float64 gradchecks, second order included", () => {
  manualSeed(11);
  const a = randn([3, 4], { dtype: "float64", requiresGrad: true });
  const b = randn([3, 4], { dtype: "float64", requiresGrad: true });
  const c = randn([3, 4], { dtype: "float64", requiresGrad: true });
  const sign = tensor([[1, -1, 1, -1], [-1, 1, 1, -1], [1, 1, -1, -1]], { dtype: "float64" });
  const ids = tensor([0, 3, 2], { dtype: "int32" });
  const checks: [string, () => boolean][] = [
    ["huber", () => gradcheck((x, y) => F.huberLoss(x, y, { delta: 0.7 }), [a, b])],
    ["softMargin", () => gradcheck((x) => F.softMarginLoss(x, sign), [a])],
    ["multilabelSoftMargin", () => gradcheck((x) => F.multilabelSoftMarginLoss(x, sign.clampMin(0)), [a])],
    ["multiMargin p=2", () => gradcheck((x) => F.multiMarginLoss(x, ids, { p: 2 }), [a])],
    ["triplet", () => gradcheck((x, y, z) => F.tripletMarginLoss(x, y, z, { margin: 3 }), [a, b, c])],
    ["cosineEmbedding", () => gradcheck((x, y) => F.cosineEmbeddingLoss(x, y, tensor([1, -1, 1], { dtype: "float64" }), { margin: -0.9 }), [a, b])],
    ["poisson", () => gradcheck((x) => F.poissonNllLoss(x, sign.abs().mul(3), { full: true }), [a])],
    ["gaussian", () => gradcheck((x, y, v) => F.gaussianNllLoss(x, y, v.square().add(0.1)), [a, b, c])],
  ];
  for (const [name, run] of checks) assert.equal(run(), true, name);
  // Second order: gradcheck of the gradient itself (built with createGraph).
  const gradOf = (f: (x: Tensor) => Tensor) => (x: Tensor) => grad([f(x)], [x], { createGraph: true })[0]!.mul(tensor([[1, 2, 3, 4]], { dtype: "float64" }));
  const second: [string, (x: Tensor) => Tensor][] = [
    ["huber", (x) => F.huberLoss(x, b.detach(), { delta: 0.7 })],
    ["softMargin", (x) => F.softMarginLoss(x, sign)],
    ["multilabelSoftMargin", (x) => F.multilabelSoftMarginLoss(x, sign.clampMin(0))],
    ["multiMargin p=2", (x) => F.multiMarginLoss(x, ids, { p: 2, margin: 2 })],
    ["triplet", (x) => F.tripletMarginLoss(x, b.detach(), c.detach(), { margin: 3 })],
    ["cosineEmbedding", (x) => F.cosineEmbeddingLoss(x, b.detach(), tensor([1, -1, 1], { dtype: "float64" }), { margin: -0.9 })],
    ["poisson", (x) => F.poissonNllLoss(x, sign.abs().mul(3), { full: true })],
    ["gaussian", (x) => F.gaussianNllLoss(b.detach(), c.detach(), x.square().add(0.1))],
  ];
  for (const [name, f] of second) assert.equal(gradcheck(gradOf(f), [a], { atol: 1e-5 }), true, `${name} second order`);
});

test("the new losses reject bad calls, naming the loss, what it got and the fix", () => {
  const x = tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
  const y = tensor([1, -1]);
  const throwsLike = (f: () => unknown, re: RegExp) => assert.throws(f, re);
  throwsLike(() => F.huberLoss(x, x, { delta: 0 }), /huberLoss: delta must be a finite number > 0, got/);
  throwsLike(() => F.huberLoss(x, x.reshape([3, 2])), /huberLoss: input \[2, ?3\] and target \[3, ?2\] must have the same shape/);
  throwsLike(() => F.huberLoss(x, x, { reduction: "avg" as "mean" }), /huberLoss: unknown reduction .*"avg" \(use "none", "mean" or "sum"\)/);
  throwsLike(() => F.huberLoss(x, x, { beta: 1 } as never), /huberLoss: unknown option 'beta'; did you mean 'delta'\? \(it takes reduction, delta\)/);
  throwsLike(() => F.ctcLoss(x.reshape([2, 1, 3]), tensor([[1]], { dtype: "int32" }), [2], [1], { zero_infinity: true } as never), /ctcLoss: unknown option 'zero_infinity'; deeptype spells it 'zeroInfinity'/);
  throwsLike(() => F.marginRankingLoss(y, y, y.reshape([2, 1])), /marginRankingLoss: input1 \[2\], input2 \[2\] and target \[2, ?1\] must have the same number of dimensions/);
  throwsLike(() => F.multiMarginLoss(x, tensor([0, 3], { dtype: "int32" })), /multiMarginLoss: target value 3 is out of range for 3 classes \(valid: 0..2\)/);
  throwsLike(() => F.multiMarginLoss(x, tensor([0, 1], { dtype: "int32" }), { p: 3 as 1 }), /multiMarginLoss: p must be 1 or 2 \(as in PyTorch\), got/);
  throwsLike(() => F.multiMarginLoss(x, tensor([0, 1])), /multiMarginLoss: target holds class indices and must be int64 \(or another integer dtype\), got float32 \(use target\.long\(\)\)/);
  throwsLike(() => F.multiMarginLoss(x, tensor([0], { dtype: "int32" })), /multiMarginLoss: target \[1\] does not fit input \[2, ?3\]/);
  throwsLike(() => F.multilabelMarginLoss(x, tensor([[0, -1, 5], [1, -1, 0]], { dtype: "int32" })), /multilabelMarginLoss: target value 5 is out of range for 3 classes/);
  throwsLike(() => F.tripletMarginLoss(x, x, x.get(0)), /tripletMarginLoss: anchor, positive and negative must all be \[N, D\] \(or all \[D\]\)/);
  throwsLike(() => F.cosineEmbeddingLoss(x, x, tensor([[1, -1]])), /cosineEmbeddingLoss: target must be \[N\] \(or 0-d for one pair\), got \[1, ?2\]; multi-target is not supported/);
  throwsLike(() => F.cosineEmbeddingLoss(x.get(0), x.get(0), y), /cosineEmbeddingLoss: a 1-D target expects 2-D \[N, D\] inputs, got input1 \[3\]/);
  throwsLike(() => F.gaussianNllLoss(x, x, tensor([[1, 1]])), /gaussianNllLoss: var \[1, ?2\] does not fit input \[2, ?3\]: give var the input's shape/);
  throwsLike(() => F.gaussianNllLoss(x, x, tensor([1, -1])), /gaussianNllLoss: var has negative entries/);
  throwsLike(() => F.poissonNllLoss(x, x, { logInput: "yes" as never }), /poissonNllLoss: logInput must be true or false, got/);
  const lp = randn([5, 2, 4]).logSoftmax(2);
  const t = tensor([[1, 2], [3, 3]], { dtype: "int32" });
  throwsLike(() => F.ctcLoss(lp, t, [5, 6], [2, 2]), /ctcLoss: inputLengths\[1\] is 6 but logProbs has only 5 frames/);
  throwsLike(() => F.ctcLoss(lp, t, [5, 5], [2, 3]), /ctcLoss: targetLengths\[1\] is 3 but the padded targets hold only 2 labels per sample/);
  throwsLike(() => F.ctcLoss(lp, t, [5, 5], [2, 2], { blank: 3 }), /ctcLoss: target label 3 of sample 1 is not a class other than the blank \(3\)/);
  throwsLike(() => F.ctcLoss(lp, tensor([1, 2, 3], { dtype: "int32" }), [5, 5], [2, 2]), /ctcLoss: concatenated targets hold 3 labels but targetLengths add up to 4/);
  throwsLike(() => F.ctcLoss(lp, t, [5], [2, 2]), /ctcLoss: inputLengths must have one entry per sample \(2\), got 1/);
  throwsLike(() => F.ctcLoss(lp, t.float(), [5, 5], [2, 2]), /ctcLoss: targets hold class indices and must be int64 \(or another integer dtype\), got float32/);
  throwsLike(() => F.ctcLoss(lp, t, tensor([5, 5]), [2, 2]), /ctcLoss: inputLengths must hold integers .*, got a float32 tensor/);
  throwsLike(() => F.ctcLoss(lp.reshape([20, 2]).reshape([5, 2, 2, 2]), t, [5, 5], [2, 2]), /ctcLoss: logProbs must be \[T, N, C\]/);
  throwsLike(() => F.ctcLoss(lp, t, [5, 5], [2, 2], { blank: 4 }), /ctcLoss: blank must be a class index in \[0, 3\], got/);
});

test("loss modules keep their options, and class weights as buffers in the state dict", () => {
  const w = tensor([1, 2, 3]);
  const mm = new nn.MultiMarginLoss({ p: 2, margin: 0.5, weight: w, reduction: "sum" });
  assert.deepEqual(Object.keys(mm.stateDict()), ["weight"]);
  assert.equal(mm.p, 2);
  assert.equal(mm.reduction, "sum");
  assert.deepEqual(Object.keys(new nn.MultilabelSoftMarginLoss({ weight: w }).stateDict()), ["weight"]);
  assert.equal(new nn.CTCLoss({ blank: 3, zeroInfinity: true }).blank, 3);
  assert.throws(() => new nn.HuberLoss({ delta: -1 }), /HuberLoss: delta must be a finite number > 0/);
  assert.throws(() => new nn.TripletMarginLoss({ swapp: true } as never), /TripletMarginLoss: unknown option 'swapp'/);
});
