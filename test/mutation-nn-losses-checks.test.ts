// src/nn/losses.ts and losses-nll.ts: the checks, options and paths that survived
// `npm run mutate -- src/nn/losses.ts src/nn/losses-nll.ts` (docs/mutation/history.md, "Session 9: src/nn").
// Values come from PyTorch 1.13 (scripts/fixtures/mutation_nn_checks.py); errors are matched from the
// start of the message, so an error thrown by an inner op ("softmaxCrossEntropy: ...") does not pass
// for the loss's own check ("crossEntropy: ...").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nn, zeros, ones, tensor, inferenceMode, noGrad, type Tensor } from "../src/index.js";

const F = nn.functional;

interface Fix { shape: number[]; data: number[] }
interface Case { name: string; inputs: Fix[]; output: Fix; r: Fix; grads: (Fix | null)[] }
const cases = (JSON.parse(readFileSync(new URL("./fixtures/mutation-nn-checks.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;
// The fixture writes +-inf as +-1e308 (JSON has no Infinity).
const num = (v: number): number => (v >= 1e308 ? Infinity : v <= -1e308 ? -Infinity : v);
const t64 = (f: Fix): Tensor => tensor(Float64Array.from(f.data.map(num)), { dtype: "float64" }).reshape(f.shape);

function close(got: Tensor, want: Fix, label: string, tol = 1e-12): void {
  assert.deepEqual([...got.shape], want.shape, `${label}: shape`);
  const g = got.data();
  want.data.forEach((w0, i) => {
    const w = num(w0);
    const ok = Number.isFinite(w) ? Math.abs(g[i] - w) <= tol * (1 + Math.abs(w)) : g[i] === w;
    assert.ok(ok, `${label}[${i}]: got ${g[i]}, PyTorch ${w}`);
  });
}

/** Runs a fixture case: `fn` on its inputs (the ones with a gradient in the fixture require grad). */
function check(name: string, fn: (...xs: Tensor[]) => Tensor): void {
  const c = cases.find((k) => k.name === name);
  assert.ok(c, `fixture case "${name}"`);
  const xs = c.inputs.map((f, i) => (c.grads[i] ? t64(f).requiresGrad_() : t64(f)));
  const out = fn(...xs);
  close(out, c.output, `${name}: value`);
  if (c.grads.some((g) => g)) {
    out.mul(t64(c.r)).sum().backward();
    c.grads.forEach((g, i) => { if (g) close(xs[i].grad!, g, `${name}: gradient ${i}`); });
  }
}

/** The call throws an Error whose message starts with `start` (a regex source, anchored here). */
function throwsFrom(fn: () => unknown, start: string, type: ErrorConstructor = Error): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${String(e)}`);
    assert.match((e as Error).message, new RegExp("^" + start));
    return true;
  });
}

test("the fixture file holds the cases these tests read", () => {
  assert.equal(cases.length, 10);
});

test("elementwise losses refuse input and target of different shapes, [8] against [8,1] too (PyTorch 1.13 warns for mse/l1/smoothL1 and broadcasts to [8,8]; binaryCrossEntropy throws)", () => {
  const x = zeros([8]), y = zeros([8, 1]);
  throwsFrom(() => F.mseLoss(x, y), "mseLoss: input \\[8\\] and target \\[8,1\\] must have the same shape \\(broadcasting them would silently compute the wrong loss; reshape one, e\\.g\\. target\\.reshape\\(\\[8\\]\\)\\)$");
  throwsFrom(() => F.l1Loss(x, y), "l1Loss: input \\[8\\] and target \\[8,1\\] must have the same shape");
  throwsFrom(() => F.smoothL1Loss(x, y), "smoothL1Loss: input \\[8\\] and target \\[8,1\\]");
  throwsFrom(() => F.binaryCrossEntropy(x, y), "binaryCrossEntropy: input \\[8\\] and target \\[8,1\\]");
  throwsFrom(() => F.binaryCrossEntropyWithLogits(x, y), "binaryCrossEntropyWithLogits: input \\[8\\] and target \\[8,1\\]");
  throwsFrom(() => F.klDiv(x, y), "klDiv: input \\[8\\] and target \\[8,1\\]");
  throwsFrom(() => nn.gaussianKl(x, y), "gaussianKl: input \\[8\\] and target \\[8,1\\]");
  // One dim in common, one not: every dim is compared, not just the first.
  throwsFrom(() => F.mseLoss(zeros([2, 3]), zeros([2, 4])), "mseLoss: input \\[2,3\\] and target \\[2,4\\]");
  // The argument that is not a tensor is named.
  throwsFrom(() => F.mseLoss([1] as never, x), "mseLoss: input must be a Tensor");
  throwsFrom(() => F.mseLoss(x, 1 as never), "mseLoss: target must be a Tensor");
});

test("a target of another dtype promotes as PyTorch's (an integer one takes the input's dtype)", () => {
  const x = tensor([1, 2, 4]);
  assert.equal(F.mseLoss(x, tensor([0, 0, 1], { dtype: "float64" })).dtype, "float64");
  assert.equal(F.huberLoss(x, tensor([0, 0, 1], { dtype: "float64" })).dtype, "float32");
  assert.equal(F.l1Loss(x, tensor([0, 0, 1], { dtype: "int32" })).dtype, "float32");
  assert.deepEqual([...F.l1Loss(x, tensor([0, 0, 1], { dtype: "int64" }), { reduction: "none" }).data()], [1, 2, 3]);
});

test("losses name themselves in option errors and unknown reductions", () => {
  const x = tensor([0.2, 0.7]), y = tensor([0, 1]);
  const logits = zeros([2, 3]), labels = tensor([0, 2], { dtype: "int64" });
  throwsFrom(() => F.mseLoss(x, y, { foo: 1 } as never), "mseLoss: unknown option 'foo'");
  throwsFrom(() => F.l1Loss(x, y, { foo: 1 } as never), "l1Loss: unknown option 'foo'");
  throwsFrom(() => F.nllLoss(logits, labels, { foo: 1 } as never), "nllLoss: unknown option 'foo'");
  throwsFrom(() => F.crossEntropy(logits, labels, { foo: 1 } as never), "crossEntropy: unknown option 'foo'");
  throwsFrom(() => F.binaryCrossEntropy(x, y, { foo: 1 } as never), "binaryCrossEntropy: unknown option 'foo'");
  throwsFrom(() => F.binaryCrossEntropyWithLogits(x, y, { foo: 1 } as never), "binaryCrossEntropyWithLogits: unknown option 'foo'");
  throwsFrom(() => nn.gaussianKl(x, y, { foo: 1 } as never), "gaussianKl: unknown option 'foo'");
  // reduction values: the functions that take it as given check it when reducing.
  const bad = { reduction: "avg" as never };
  throwsFrom(() => F.mseLoss(x, y, bad), 'mseLoss: unknown reduction "avg" \\(use "none", "mean" or "sum"\\)');
  throwsFrom(() => F.l1Loss(x, y, bad), 'l1Loss: unknown reduction "avg"');
  throwsFrom(() => F.smoothL1Loss(x, y, bad), 'smoothL1Loss: unknown reduction "avg"');
  throwsFrom(() => F.nllLoss(logits.logSoftmax(1), labels, bad), 'nllLoss: unknown reduction "avg"');
  throwsFrom(() => F.crossEntropy(logits, labels, bad), 'crossEntropy: unknown reduction "avg"');
  throwsFrom(() => F.binaryCrossEntropy(x, y, bad), 'binaryCrossEntropy: unknown reduction "avg"');
  throwsFrom(() => F.binaryCrossEntropyWithLogits(x, y, bad), 'binaryCrossEntropyWithLogits: unknown reduction "avg"');
  throwsFrom(() => F.klDiv(x, y, bad), 'klDiv: unknown reduction "avg"');
  throwsFrom(() => nn.gaussianKl(x, y, bad), 'gaussianKl: unknown reduction "avg"');
  // Options that are not an object are named by the loss that got them.
  throwsFrom(() => F.smoothL1Loss(x, y, 5 as never), "smoothL1Loss: options must be an object like \\{ reduction: \"sum\" \\}, got 5$");
  throwsFrom(() => F.klDiv(x, y, 5 as never), "klDiv: options must be an object");
  throwsFrom(() => nn.gaussianKl(x, y, 5 as never), "gaussianKl: options must be an object");
  // The losses written after the calling convention check the reduction up front (readLossOptions),
  // with the value described; a key given as undefined is no misspelling.
  throwsFrom(() => F.huberLoss(x, y, bad), 'huberLoss: unknown reduction string "avg" \\(use "none", "mean" or "sum"\\)');
  throwsFrom(() => F.huberLoss(x, y, { reduction: "sum", deltaa: 1 } as never), "huberLoss: unknown option 'deltaa'");
  assert.ok(Math.abs(F.huberLoss(x, y, { reduction: "sum", foo: undefined } as never).item() - (0.02 + 0.045)) < 1e-7);
});

test("the loss modules name themselves in option errors and pass their reduction on", () => {
  const mods: [string, (o: object) => unknown][] = [
    ["MSELoss", (o) => new nn.MSELoss(o)], ["L1Loss", (o) => new nn.L1Loss(o)], ["SmoothL1Loss", (o) => new nn.SmoothL1Loss(o)],
    ["CrossEntropyLoss", (o) => new nn.CrossEntropyLoss(o)], ["NLLLoss", (o) => new nn.NLLLoss(o)], ["BCELoss", (o) => new nn.BCELoss(o)],
    ["BCEWithLogitsLoss", (o) => new nn.BCEWithLogitsLoss(o)], ["KLDivLoss", (o) => new nn.KLDivLoss(o)],
    ["PoissonNLLLoss", (o) => new nn.PoissonNLLLoss(o)], ["GaussianNLLLoss", (o) => new nn.GaussianNLLLoss(o)],
  ];
  for (const [name, make] of mods) throwsFrom(() => make({ foo: 1 }), `${name}: unknown option 'foo'`);
  throwsFrom(() => new nn.GaussianNLLLoss({ reduction: "avg" as never }), 'GaussianNLLLoss: unknown reduction string "avg"');
  throwsFrom(() => new nn.PoissonNLLLoss({ reduction: "avg" as never }), 'PoissonNLLLoss: unknown reduction string "avg"');
  const x = tensor([1, -3]), y = tensor([0, 0]);
  assert.deepEqual([...new nn.L1Loss({ reduction: "sum" }).call(x, y).data()], [4]);
  assert.deepEqual([...new nn.L1Loss({ reduction: "none" }).call(x, y).data()], [1, 3]);
  assert.deepEqual([...new nn.MSELoss({ reduction: "sum" }).call(x, y).data()], [10]);
  // forward (unlike call, which checks its arguments first) reaches the loss's own tensor checks.
  throwsFrom(() => new nn.MSELoss().forward([1] as never, y), "mseLoss: input must be a Tensor, got an array of length 1");
  throwsFrom(() => new nn.L1Loss().forward(y, 3 as never), "l1Loss: target must be a Tensor, got number 3");
  throwsFrom(() => new nn.NLLLoss().forward([1] as never, y), "nllLoss: input must be a Tensor");
  throwsFrom(() => new nn.CrossEntropyLoss().forward(y, 3 as never), "crossEntropy: target must be a Tensor");
});

test("smoothL1Loss: beta 0 is the L1 loss with L1's gradient (no 0/0 from the quadratic branch); a negative beta is refused", () => {
  check("smoothL1Loss beta 0 mean", (x, y) => F.smoothL1Loss(x, y, { beta: 0 }));
  check("smoothL1Loss beta 0.5 none", (x, y) => F.smoothL1Loss(x, y, { beta: 0.5, reduction: "none" }));
  throwsFrom(() => F.smoothL1Loss(zeros([2]), zeros([2]), { beta: -0.5 }), "smoothL1Loss: beta must be >= 0, got -0\\.5$");
  throwsFrom(() => F.smoothL1Loss(zeros([2]), zeros([2]), { beta: NaN }), "smoothL1Loss: beta must be >= 0, got NaN$");
});

test("mseLoss, nllLoss, crossEntropy: an inference tensor is refused only where it would be saved for backward", () => {
  const [ix, iy, it] = inferenceMode(() => [tensor([1, 2]), tensor([0, 1]), tensor([0, 2], { dtype: "int64" })]);
  // Nothing records a gradient: inference tensors are fine, as in PyTorch.
  assert.equal(F.mseLoss(ix, iy).item(), 1);
  assert.ok(Number.isFinite(F.nllLoss(zeros([2, 3]), it).item()));
  assert.ok(Math.abs(F.crossEntropy(zeros([2, 3]), it).item() - Math.log(3)) < 1e-6);
  // Recording (a normal operand requires grad): the inference one would be saved.
  const x = tensor([1, 2]).requiresGrad_();
  throwsFrom(() => F.mseLoss(x, iy), "mseLoss: its target \\(shape \\[2\\]\\) is an inference tensor");
  throwsFrom(() => F.mseLoss(ix, x), "mseLoss: its input \\(shape \\[2\\]\\) is an inference tensor");
  const logits = zeros([2, 3]).requiresGrad_();
  throwsFrom(() => F.nllLoss(logits, it), "nllLoss: its target \\(shape \\[2\\]\\) is an inference tensor");
  throwsFrom(() => F.crossEntropy(logits, it), "crossEntropy: its target \\(shape \\[2\\]\\) is an inference tensor");
  // Under noGrad nothing is saved.
  noGrad(() => assert.equal(F.mseLoss(x, iy).item(), 1));
});

test("crossEntropy and nllLoss check their input, target and weight before computing, naming themselves", () => {
  throwsFrom(() => F.crossEntropy(tensor(1), tensor(0, { dtype: "int64" })), "crossEntropy: input must be \\[N,C\\] \\(or \\[C\\], or \\[N,C,d1,\\.\\.\\.\\]\\), got a scalar$");
  throwsFrom(() => F.nllLoss(tensor(1), tensor(0, { dtype: "int64" })), "nllLoss: input must be \\[N,C\\]");
  throwsFrom(() => F.crossEntropy(zeros([2, 3], { dtype: "int32" }), tensor([0, 1], { dtype: "int64" })), "crossEntropy: input must be floating point \\(logits or log-probabilities\\), got int32$");
  throwsFrom(() => F.nllLoss([1] as never, tensor([0])), "nllLoss: input must be a Tensor");
  throwsFrom(() => F.nllLoss(zeros([2, 3]), 1 as never), "nllLoss: target must be a Tensor");
  // Same number of dims as the input but another shape: neither class indices nor probabilities.
  throwsFrom(() => F.crossEntropy(zeros([2, 3]), zeros([2, 4])), "crossEntropy: target shape \\[2,4\\] does not fit input \\[2,3\\]: expected int64 \\(or int32\\) class indices of shape \\[2\\] or class probabilities of shape \\[2,3\\]$");
  throwsFrom(() => F.crossEntropy(zeros([2, 3]), zeros([3, 3])), "crossEntropy: target shape \\[3,3\\] does not fit");
  // The input's shape with integer values: probabilities must be floating point.
  throwsFrom(() => F.crossEntropy(zeros([2, 3]), zeros([2, 3], { dtype: "int64" })), "crossEntropy: a target of the input's shape \\[2,3\\] holds class probabilities and must be floating point, got int64$");
  throwsFrom(() => F.crossEntropy(zeros([2, 3]), zeros([2])), "crossEntropy: a target of shape \\[2\\] holds class indices and must be int64 \\(or int32\\), got float32 \\(use target\\.long\\(\\)\\)$");
  // nllLoss takes class indices only.
  throwsFrom(() => F.nllLoss(zeros([2, 3]), zeros([2, 3])), "nllLoss: target must be int64 \\(or int32\\) class indices of shape \\[2\\], got float32 \\[2,3\\]$");
  // A weight must be one number per class: [3,1] has 3 rows but two dims.
  throwsFrom(() => F.crossEntropy(zeros([2, 3]), tensor([0, 1], { dtype: "int64" }), { weight: ones([3, 1]) }), "crossEntropy: weight must have one entry per class, shape \\[3\\], got \\[3,1\\]$");
  throwsFrom(() => F.nllLoss(zeros([2, 3]), tensor([0, 1], { dtype: "int64" }), { weight: ones([4]) }), "nllLoss: weight must have one entry per class, shape \\[3\\], got \\[4\\]$");
});

test("class indices out of range are refused by the loss itself (C itself included; int64 values beyond int32 are not wrapped)", () => {
  const x = zeros([2, 3]);
  const idx = (v: number[], dtype: "int64" | "int32" = "int64") => tensor(v, { dtype });
  throwsFrom(() => F.crossEntropy(x, idx([0, 3])), "crossEntropy: target class index 3 is out of range for 3 classes \\(valid: 0\\.\\.2, or ignoreIndex -100\\)$", RangeError);
  throwsFrom(() => F.crossEntropy(x, idx([-1, 0], "int32")), "crossEntropy: target class index -1 is out of range", RangeError);
  throwsFrom(() => F.nllLoss(x, idx([0, 3])), "nllLoss: target class index 3 is out of range for 3 classes \\(valid: 0\\.\\.2, or ignoreIndex -100\\)$", RangeError);
  throwsFrom(() => F.nllLoss(x, idx([0, -2])), "nllLoss: target class index -2 is out of range", RangeError);
  throwsFrom(() => F.nllLoss(x, idx([0, 5]), { ignoreIndex: 1 }), "nllLoss: target class index 5 is out of range for 3 classes \\(valid: 0\\.\\.2, or ignoreIndex 1\\)$", RangeError);
  // The general (weighted) path checks too.
  throwsFrom(() => F.crossEntropy(x, idx([3, 0]), { weight: ones([3]) }), "crossEntropy: target class index 3 is out of range", RangeError);
  // 2**33 as int64: PyTorch 1.13 raises "Target 8589934592 is out of bounds"; wrapped to int32 it would read as class 0.
  throwsFrom(() => F.crossEntropy(zeros([1, 3]), tensor([2n ** 33n], { dtype: "int64" })), "crossEntropy: target class index 8589934592 is out of range", RangeError);
  throwsFrom(() => F.crossEntropy(zeros([2, 3]), tensor([2n ** 33n, 2n ** 34n], { dtype: "int64" })), "crossEntropy: target class index 8589934592 is out of range", RangeError);
  // The default ignoreIndex is -100: such targets add nothing and leave the mean's divisor.
  const lp = tensor([[-1, -2, -3], [-0.5, -1.5, -2.5]]);
  assert.ok(Math.abs(F.nllLoss(lp, idx([2, -100])).item() - 3) < 1e-6);
  assert.ok(Math.abs(F.nllLoss(lp, idx([-100, 1])).item() - 1.5) < 1e-6);
});

test("reduction none keeps the batch dim of one sample and drops it for an unbatched [C] input", () => {
  const one = tensor([[0.5, -1, 2]]), lab = tensor([2], { dtype: "int64" });
  assert.deepEqual([...F.crossEntropy(one, lab, { reduction: "none" }).shape], [1]);
  assert.deepEqual([...F.crossEntropy(one, lab, { reduction: "none", labelSmoothing: 0.1 }).shape], [1]);
  assert.deepEqual([...F.crossEntropy(one, tensor([[0.2, 0.3, 0.5]]), { reduction: "none" }).shape], [1]);
  assert.deepEqual([...F.nllLoss(one, lab, { reduction: "none" }).shape], [1]);
  assert.deepEqual([...F.nllLoss(tensor([-1, -2, -3]), tensor(1, { dtype: "int64" }), { reduction: "none" }).shape], []);
  assert.deepEqual([...F.crossEntropy(tensor([0.5, -1, 2]), tensor(2, { dtype: "int64" }), { reduction: "none" }).shape], []);
  assert.deepEqual([...F.crossEntropy(tensor([0.5, -1, 2]), tensor([0.2, 0.3, 0.5]), { reduction: "none" }).shape], []);
});

test("crossEntropy with a -inf logit and class weights stays finite without smoothing (PyTorch's value and gradient)", () => {
  check("crossEntropy -inf logit, weight", (x) => F.crossEntropy(x, tensor([1, 3, 2], { dtype: "int64" }), { weight: tensor([0.5, 2, 1, 1.5], { dtype: "float64" }) }));
  check("crossEntropy -inf logit, weight, sum", (x) => F.crossEntropy(x, tensor([1, 3, 2], { dtype: "int64" }), { weight: tensor([0.5, 2, 1, 1.5], { dtype: "float64" }), reduction: "sum" }));
});

test("binaryCrossEntropy: probabilities outside [0, 1] are refused; the target's gradient is PyTorch's log(1-p) - log(p), infinite at p = 0 and 1", () => {
  throwsFrom(() => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1])), "binaryCrossEntropy: every input probability must be in \\[0, 1\\], element 1 is 1\\.5", RangeError);
  throwsFrom(() => F.binaryCrossEntropy(tensor([-0.1, 0.5]), tensor([0, 1])), "binaryCrossEntropy: every input probability must be in \\[0, 1\\], element 0 is -0\\.1", RangeError);
  check("binaryCrossEntropy target grad", (p, y) => F.binaryCrossEntropy(p, y, { reduction: "sum" }));
  check("binaryCrossEntropy both grads, interior", (p, y) => F.binaryCrossEntropy(p, y, { reduction: "none" }));
  // The op's name, as autograd shows it.
  const l = F.binaryCrossEntropy(tensor([0.5]).requiresGrad_(), tensor([1]), { reduction: "none" });
  assert.equal(l.gradFn?.name, "binaryCrossEntropy");
});

test("klDiv: log-probability targets (also the deprecated positional form), the default, and batchmean of 0-d tensors (PyTorch's values)", (t) => {
  t.mock.method(console, "warn", () => {}); // the positional form's deprecation notice
  check("klDiv logTarget sum", (i, tt) => F.klDiv(i, tt, { reduction: "sum", logTarget: true }));
  check("klDiv logTarget sum", (i, tt) => F.klDiv(i, tt, "sum", true));
  check("klDiv default mean", (i, tt) => F.klDiv(i, tt));
  check("klDiv 0-d batchmean", (i, tt) => F.klDiv(i, tt, { reduction: "batchmean" }));
  // gaussianKl's batchmean of 0-d tensors is its sum: -0.5 (1 + lv - mu^2 - e^lv).
  const mu = tensor(0.5, { dtype: "float64" }), lv = tensor(-0.2, { dtype: "float64" });
  const want = -0.5 * (1 - 0.2 - 0.25 - Math.exp(-0.2));
  assert.ok(Math.abs(nn.gaussianKl(mu, lv, { reduction: "batchmean" }).item() - want) < 1e-15);
  assert.ok(Math.abs(nn.gaussianKl(mu.reshape([1]), lv.reshape([1]), { reduction: "batchmean" }).item() - want) < 1e-15);
});

test("gaussianNllLoss: a 1-D input takes a variance of shape [1] (input.shape[:-1] + (1,)), as PyTorch", () => {
  check("gaussianNllLoss 1-D input, var [1]", (i, tt, v) => F.gaussianNllLoss(i, tt, v, { reduction: "none" }));
});
