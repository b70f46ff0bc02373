// The likelihood losses' argument checks and gaussianNllLoss's variance shapes, for the survivors of
// `npm run mutate -- src/nn/losses.ts src/nn/losses-nll.ts` (docs/mutation/history.md). The per-sample
// variance shapes are checked against the full-shape variance, whose values nn-losses-more.test.ts
// compares with PyTorch: [N, *-1] and [N, *-1, 1] must give the same loss as var expanded to the
// input's shape, as PyTorch 1.13 defines them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nn, randn, zeros, tensor, manualSeed, Generator, type Tensor } from "../src/index.js";

const F = nn.functional;

function same(a: Tensor, b: Tensor, label: string): void {
  assert.deepEqual(a.shape, b.shape, `${label}: shape`);
  const x = a.data(), y = b.data();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-12 * (1 + Math.abs(y[i])), `${label}[${i}]: ${x[i]} vs ${y[i]}`);
}

test("gaussianNllLoss: a variance per sample ([N, *-1] or [N, *-1, 1]) equals that variance expanded to the input's shape", () => {
  manualSeed(21);
  const g = new Generator(3);
  const x = randn([2, 3, 4], { dtype: "float64", generator: g });
  const y = randn([2, 3, 4], { dtype: "float64", generator: g });
  const v = randn([2, 3], { dtype: "float64", generator: g }).square().add(0.2);
  const full = v.unsqueeze(-1).expand([2, 3, 4]).contiguous();
  const want = F.gaussianNllLoss(x, y, full, { reduction: "none" });
  same(F.gaussianNllLoss(x, y, v, { reduction: "none" }), want, "var [2, 3]");
  same(F.gaussianNllLoss(x, y, v.unsqueeze(-1), { reduction: "none" }), want, "var [2, 3, 1]");
  // A 1-D input with a 0-d variance: input.shape[:-1] is () = var.shape.
  const x1 = x.reshape([24]).narrow(0, 0, 4), y1 = y.reshape([24]).narrow(0, 0, 4);
  same(F.gaussianNllLoss(x1, y1, tensor(0.7, { dtype: "float64" }), { reduction: "none" }), F.gaussianNllLoss(x1, y1, tensor([0.7, 0.7, 0.7, 0.7], { dtype: "float64" }), { reduction: "none" }), "1-D input, 0-d var");
  // Shapes that fit none of the three forms are refused, naming both shapes.
  assert.throws(() => F.gaussianNllLoss(x, y, zeros([2, 4], { dtype: "float64" })), /gaussianNllLoss: var \[2,4\] does not fit input \[2,3,4\]/);
  assert.throws(() => F.gaussianNllLoss(x, y, zeros([3, 3], { dtype: "float64" })), /gaussianNllLoss: var \[3,3\] does not fit input \[2,3,4\]/);
  assert.throws(() => F.gaussianNllLoss(x, y, zeros([2, 3, 2], { dtype: "float64" })), /gaussianNllLoss: var \[2,3,2\] does not fit input \[2,3,4\]/);
  assert.throws(() => F.gaussianNllLoss(x, y, zeros([2, 2, 1], { dtype: "float64" })), /gaussianNllLoss: var \[2,2,1\] does not fit input \[2,3,4\]/);
  assert.throws(() => F.gaussianNllLoss(x1, y1, zeros([1], { dtype: "float64" }).reshape([1, 1])), /gaussianNllLoss: var \[1,1\] does not fit input \[4\]/);
});

test("the likelihood losses name the argument and option they refuse", () => {
  const x = zeros([2, 3]);
  assert.throws(() => F.gaussianNllLoss(x, [1] as never, x), /gaussianNllLoss: target must be a Tensor, got an array of length 1/);
  assert.throws(() => F.gaussianNllLoss(x.int(), x, x), /gaussianNllLoss: input must be floating point, got int32/);
  assert.throws(() => F.gaussianNllLoss(x, x, x.int()), /gaussianNllLoss: var must be floating point, got int32/);
  assert.throws(() => F.gaussianNllLoss(x, zeros([4]), x), /gaussianNllLoss: target \[4\] does not broadcast against input \[2,3\]/);
  assert.throws(() => F.gaussianNllLoss(x, x, x, { full: 1 as never }), /gaussianNllLoss: full must be true or false, got number 1/);
  assert.throws(() => F.gaussianNllLoss(x, x, x, { eps: -1 }), /gaussianNllLoss: eps must be a finite number >= 0, got number -1/);
  assert.throws(() => F.poissonNllLoss(x.int(), x), /poissonNllLoss: input must be floating point, got int32/);
  assert.throws(() => F.poissonNllLoss(x, x, { full: "a" as never }), /poissonNllLoss: full must be true or false, got string "a"/);
  assert.throws(() => F.poissonNllLoss(x, x, { eps: NaN }), /poissonNllLoss: eps must be a finite number >= 0, got number NaN/);
  assert.throws(() => F.poissonNllLoss(x, x, { eps: Infinity }), /poissonNllLoss: eps must be a finite number >= 0/);
  // eps = 0 is allowed: log(x + 0) at a positive rate.
  const rate = tensor([0.5, 2]), counts = tensor([1, 3]);
  const got = F.poissonNllLoss(rate, counts, { logInput: false, eps: 0, reduction: "none" }).data();
  const want = [0.5 - 1 * Math.log(0.5), 2 - 3 * Math.log(2)];
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-6, `eps 0 [${i}]: ${got[i]} vs ${want[i]}`);
});

test("the older losses still take a positional reduction string (deprecated) and refuse options that are not objects", (t) => {
  t.mock.method(console, "warn", () => {}); // the deprecation notice
  const x = tensor([1, 2, -2]), y = tensor([0, 0, 0]);
  assert.deepEqual([...F.mseLoss(x, y, "sum").data()], [9]);
  assert.deepEqual([...F.l1Loss(x, y, "none").data()], [1, 2, 2]);
  assert.throws(() => F.mseLoss(x, y, 5 as never), /mseLoss: options must be an object like \{ reduction: "sum" \}, got 5/);
  assert.throws(() => F.l1Loss(x, y, null as never), /l1Loss: options must be an object like \{ reduction: "sum" \}, got null/);
});

test("the newer losses refuse options that are not a plain object, naming what they got", () => {
  const x = tensor([1, 2]), y = tensor([0, 0]);
  assert.throws(() => F.huberLoss(x, y, 5 as never), /huberLoss: options must be an object like \{ reduction: "sum" \}, got number 5/);
  assert.throws(() => F.huberLoss(x, y, null as never), /huberLoss: options must be an object like \{ reduction: "sum" \}, got null/);
  assert.throws(() => F.huberLoss(x, y, ["sum"] as never), /huberLoss: options must be an object like \{ reduction: "sum" \}, got an array/);
  assert.throws(() => F.huberLoss(x, y, x as never), /huberLoss: options must be an object like \{ reduction: "sum" \}, got a Tensor of shape \[2\] \(float32\)/);
  assert.deepEqual([...F.huberLoss(x, y, { reduction: "sum" }).data()], [0.5 + 1.5]);
});

interface CeFix {
  shape: number[];
  data: number[];
  int?: boolean;
}
interface CeCase {
  name: string;
  input: CeFix;
  target: CeFix;
  opts: { reduction?: "none" | "sum" | "mean"; label_smoothing?: number; weight?: number[] };
  output: CeFix;
  r: CeFix;
  grad: CeFix;
}
const ceCases = (JSON.parse(readFileSync(new URL("./fixtures/mutation-nn-losses.json", import.meta.url), "utf8")) as { cases: CeCase[] }).cases;

test("crossEntropy with label smoothing, class weights, ignored targets and unbatched inputs matches PyTorch (value and gradient)", () => {
  assert.equal(ceCases.length, 33);
  for (const c of ceCases) {
    const x = tensor(Float64Array.from(c.input.data), { dtype: "float64" }).reshape(c.input.shape).requiresGrad_();
    // Class indices as int64 (PyTorch's dtype: the loss narrows them to int32 itself).
    const t = c.target.int ? tensor(c.target.data, { dtype: "int64" }).reshape(c.target.shape) : tensor(Float64Array.from(c.target.data), { dtype: "float64" }).reshape(c.target.shape);
    const opts = { reduction: c.opts.reduction, ...(c.opts.label_smoothing !== undefined ? { labelSmoothing: c.opts.label_smoothing } : {}), ...(c.opts.weight ? { weight: tensor(Float64Array.from(c.opts.weight), { dtype: "float64" }) } : {}) };
    const out = F.crossEntropy(x, t, opts);
    same(out, tensor(Float64Array.from(c.output.data), { dtype: "float64" }).reshape(c.output.shape), `${c.name}: value`);
    out.mul(tensor(Float64Array.from(c.r.data), { dtype: "float64" }).reshape(c.r.shape)).sum().backward();
    same(x.grad!, tensor(Float64Array.from(c.grad.data), { dtype: "float64" }).reshape(c.grad.shape), `${c.name}: gradient`);
  }
});

test("crossEntropy refuses out-of-range classes and label smoothing outside [0, 1]", () => {
  const x = zeros([2, 3]);
  assert.throws(() => F.crossEntropy(x, tensor([0, 3], { dtype: "int64" })), /crossEntropy: target class index 3 is out of range for 3 classes \(valid: 0\.\.2, or ignoreIndex -100\)/);
  assert.throws(() => F.crossEntropy(x, tensor([-1, 0], { dtype: "int32" })), /crossEntropy: target class index -1 is out of range for 3 classes/);
  assert.throws(() => F.crossEntropy(x, tensor([0, 1], { dtype: "int32" }), { labelSmoothing: 1.5 }), /crossEntropy: labelSmoothing must be in \[0, 1\], got 1\.5/);
  assert.throws(() => F.crossEntropy(x, tensor([0, 1], { dtype: "int32" }), { labelSmoothing: -0.1 }), /crossEntropy: labelSmoothing must be in \[0, 1\], got -0\.1/);
  // The bounds themselves are allowed: 1 is a uniform target, log C at zero logits.
  const u = F.crossEntropy(x, tensor([0, 1], { dtype: "int32" }), { labelSmoothing: 1 }).item();
  assert.ok(Math.abs(u - Math.log(3)) < 1e-6, `labelSmoothing 1 at zero logits: ${u}`);
});
