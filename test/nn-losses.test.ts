// Losses against PyTorch (values and input gradients), their error messages, and the exam's
// Problem 2.1 and 2.2 about cross-entropy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, randn, manualSeed, gradcheck } from "../src/index.js";
import { fixtures, fromFix, assertClose } from "./nn-helpers.js";

const F = nn.functional;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function build(name: string, o: any): nn.AnyModule {
  const w = o.weight ? fromFix(o.weight, "float64") : undefined;
  const kind = name.slice(0, name.indexOf("("));
  switch (kind) {
    case "CrossEntropyLoss": return new nn.CrossEntropyLoss({ weight: w, reduction: o.reduction, ignoreIndex: o.ignoreIndex, labelSmoothing: o.labelSmoothing });
    case "NLLLoss": return new nn.NLLLoss({ weight: w, reduction: o.reduction });
    case "MSELoss": return new nn.MSELoss({ reduction: o.reduction });
    case "L1Loss": return new nn.L1Loss({ reduction: o.reduction });
    case "SmoothL1Loss": return new nn.SmoothL1Loss({ reduction: o.reduction, beta: o.beta });
    case "BCELoss": return new nn.BCELoss({ weight: w, reduction: o.reduction });
    case "BCEWithLogitsLoss": return new nn.BCEWithLogitsLoss({ weight: w, posWeight: o.posWeight && fromFix(o.posWeight, "float64"), reduction: o.reduction });
    case "KLDivLoss": return new nn.KLDivLoss({ reduction: o.reduction, logTarget: o.logTarget });
    default: throw new Error(`no builder for ${name}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
for (const c of fixtures().losses as any[]) {
  test(`${c.name}: value and input gradient match PyTorch (float32 and float64)`, () => {
    for (const dtype of ["float32", "float64"] as const) {
      const loss = build(c.name, c.opts);
      if (dtype === "float32") loss.float();
      const x = fromFix(c.input, dtype).requiresGrad_();
      const out = loss.call(x, fromFix(c.target, dtype));
      const [rtol, atol] = dtype === "float32" ? [1e-4, 1e-5] : [1e-9, 1e-10];
      assertClose(out, c.output, `${dtype} loss`, rtol, atol);
      out.mul(fromFix(c.r, dtype)).sum().backward();
      assertClose(x.grad!, c.inputGrad, `${dtype} input gradient`, rtol, atol);
    }
  });
}

test("loss gradients pass a float64 gradcheck (cross-entropy with weights, smoothing, ignore; BCE with logits)", () => {
  manualSeed(3);
  const x = randn([3, 4], { dtype: "float64", requiresGrad: true });
  const t = tensor([2, -100, 0], { dtype: "int32" });
  const w = tensor([1, 2, 0.5, 1.5], { dtype: "float64" });
  assert.equal(gradcheck((a) => F.crossEntropy(a, t, { weight: w, labelSmoothing: 0.1 }), [x]), true);
  const p = randn([3, 4], { dtype: "float64" }).softmax(1).requiresGrad_();
  assert.equal(gradcheck((a, q) => F.crossEntropy(a, q), [x, p]), true);
  const y = tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]], { dtype: "float64" });
  assert.equal(gradcheck((a) => F.binaryCrossEntropyWithLogits(a, y, { posWeight: tensor([1, 2, 3, 4], { dtype: "float64" }) }), [x]), true);
  assert.equal(gradcheck((a, b) => F.smoothL1Loss(a, b, { reduction: "sum", beta: 0.5 }), [x, randn([3, 4], { dtype: "float64", requiresGrad: true })]), true);
  const lq = randn([3, 4], { dtype: "float64" }).logSoftmax(1).requiresGrad_();
  assert.equal(gradcheck((a) => F.klDiv(a, p.detach(), { reduction: "batchmean" }), [lq]), true);
  const mu = randn([2, 3], { dtype: "float64", requiresGrad: true });
  const lv = randn([2, 3], { dtype: "float64", requiresGrad: true });
  assert.equal(gradcheck((m, l) => nn.gaussianKl(m, l), [mu, lv]), true);
});

test("gaussianKl is -0.5·Σ(1 + logvar − mu² − exp(logvar)), zero for the standard normal", () => {
  const mu = tensor([[0.5, -1], [0, 2]], { dtype: "float64" });
  const lv = tensor([[0, 0.5], [-1, 0]], { dtype: "float64" });
  const terms = [[0.5, 0], [-1, 0.5], [0, -1], [2, 0]].map(([m, l]) => -0.5 * (1 + l - m * m - Math.exp(l)));
  assertClose(nn.gaussianKl(mu, lv, { reduction: "none" }).reshape([-1]), terms, "terms", 1e-12, 1e-12);
  const total = terms.reduce((a, b) => a + b, 0);
  assertClose(nn.gaussianKl(mu, lv).reshape([1]), [total], "sum", 1e-12, 1e-12);
  assertClose(nn.gaussianKl(mu, lv, { reduction: "batchmean" }).reshape([1]), [total / 2], "batchmean", 1e-12, 1e-12);
  assert.equal(nn.gaussianKl(tensor([0, 0]), tensor([0, 0])).item(), 0);
});

test("Problem 2.1: cross-entropy of [0.4,0.3,0.3] and [0.4,0.5,0.1] for 'dog' (class 0) is the same, −ln 0.4", () => {
  const probs = tensor([[0.4, 0.3, 0.3], [0.4, 0.5, 0.1]], { dtype: "float64" });
  const dog = tensor([0, 0], { dtype: "int32" });
  const perSample = new nn.NLLLoss({ reduction: "none" }).forward(probs.log(), dog).data();
  assert.ok(Math.abs(perSample[0] - perSample[1]) < 1e-15);
  assert.ok(Math.abs(perSample[0] - -Math.log(0.4)) < 1e-12, `${perSample[0]}`);
  assert.ok(Math.abs(perSample[0] - 0.916290731874155) < 1e-12);
});

test("Problem 2.2: softmax output fed to CrossEntropyLoss (which expects logits) gives a different, wrong loss", () => {
  const logits = tensor([[2, 1, 0.1]], { dtype: "float64" });
  const target = tensor([0], { dtype: "int32" });
  const ce = new nn.CrossEntropyLoss();
  const right = ce.forward(logits, target).item();
  const wrong = ce.forward(logits.softmax(1), target).item();
  // PyTorch's values: −log softmax(logits)[0], and the same loss with softmax applied twice, which
  // squashes the probabilities towards uniform (0.659 becomes 0.448).
  assert.ok(Math.abs(right - 0.41703001627783354) < 1e-12, `${right}`);
  assert.ok(Math.abs(wrong - 0.8021208912128679) < 1e-12, `${wrong}`);
  assert.ok(Math.abs(right - -Math.log(0.6590011388859679)) < 1e-12);
  assert.ok(wrong > right * 1.9);
});

test("cross-entropy errors name the bad index, the class count, and both expected target shapes", () => {
  const x = randn([4, 5]);
  assert.throws(() => F.crossEntropy(x, tensor([1, 7, 0, 2], { dtype: "int32" })), /target class index 7 is out of range for 5 classes/);
  assert.throws(() => F.crossEntropy(x, tensor([1, -1, 0, 2], { dtype: "int32" })), /target class index -1 is out of range for 5 classes/);
  assert.throws(
    () => F.crossEntropy(x, tensor([1, 2, 3], { dtype: "int32" })),
    /target shape \[3\] does not fit input \[4,5\]: expected int64 \(or int32\) class indices of shape \[4\] or class probabilities of shape \[4,5\]/,
  );
  assert.throws(() => F.crossEntropy(x, tensor([1, 2, 3, 0])), /holds class indices and must be int64 \(or int32\), got float32 \(use target.long\(\)\)/);
  assert.throws(() => F.crossEntropy(randn([2, 3, 4, 4]), tensor([0, 1], { dtype: "int32" })), /expected int64 \(or int32\) class indices of shape \[2,4,4\] or class probabilities of shape \[2,3,4,4\]/);
  assert.throws(() => F.nllLoss(x, tensor([1, 2, 3, 4], { dtype: "int32" }), { weight: tensor([1, 2]) }), /weight must have one entry per class, shape \[5\], got \[2\]/);
  // int64 labels beyond int32 are reported with their exact value, not a wrapped one.
  assert.throws(() => F.crossEntropy(x, tensor([1n, 2n ** 40n, 0n, 2n])), /target class index 1099511627776 is out of range for 5 classes/);
});

test("cross-entropy on int64 labels (PyTorch's dtype, what datasets give) equals int32 labels, forward and gradient", () => {
  for (const opts of [{}, { reduction: "sum" as const }, { ignoreIndex: 3 }, { reduction: "none" as const, ignoreIndex: 1 }]) {
    const x64 = randn([6, 4]).requiresGrad_(), x32 = x64.detach().clone().requiresGrad_();
    const labels = [0, 3, 1, 2, 3, 1];
    const l64 = F.crossEntropy(x64, tensor(labels, { dtype: "int64" }), opts);
    const l32 = F.crossEntropy(x32, tensor(labels, { dtype: "int32" }), opts);
    assert.deepEqual(l64.tolist(), l32.tolist());
    l64.sum().backward();
    l32.sum().backward();
    assert.deepEqual(x64.grad!.tolist(), x32.grad!.tolist());
  }
});

test("regression and binary losses reject mismatched shapes instead of broadcasting", () => {
  assert.throws(() => F.mseLoss(randn([8, 1]), randn([8])), /mseLoss: input \[8,1\] and target \[8\] must have the same shape/);
  assert.throws(() => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([1, 0])), /every input probability must be in \[0, 1\], element 1 is 1.5/);
  assert.throws(() => new nn.MSELoss({ reduction: "avg" as never }).forward(randn([2]), randn([2])), /unknown reduction "avg"/);
});

test("loss modules keep class weights as buffers with PyTorch's names", () => {
  const w = tensor([1, 2, 3]);
  assert.deepEqual(Object.keys(new nn.CrossEntropyLoss({ weight: w }).stateDict()), ["weight"]);
  assert.deepEqual(Object.keys(new nn.CrossEntropyLoss().stateDict()), []);
  assert.deepEqual(Object.keys(new nn.BCEWithLogitsLoss({ posWeight: w }).stateDict()), ["pos_weight"]);
  assert.equal(new nn.CrossEntropyLoss().toString(), "CrossEntropyLoss()");
});
