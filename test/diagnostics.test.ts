// Training diagnostics (src/utils/diagnostics.ts) and the text plots (src/utils/plot.ts), on the
// exam's failure cases: Problem 3's dead ReLU, 4.3's collapsed weights, 4.4/4.5's initialisation and
// vanishing gradients, 2.2's probabilities vs logits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, noGrad, randn, tensor, nn, optim } from "../src/index.js";
import {
  WeightTracker, checkLogitsForCrossEntropy, checkProbabilitiesForLog, checkedCrossEntropy, deadReluReport, deepStack,
  gradientFlowReport, initReport, weightStatsReport,
} from "../src/utils/diagnostics.js";
import { barChart, barHistogram, fmtNum, imageToText, linePlot, sideBySide, sparkline } from "../src/utils/plot.js";
import { histogram } from "../src/utils/report.js";

function problem3(W: number, b: number): nn.Sequential {
  const m = new nn.Sequential(new nn.Linear(1, 1), new nn.ReLU());
  const lin = m.at(0) as nn.Linear;
  noGrad(() => { lin.weight.fill_(W); lin.bias!.fill_(b); });
  return m;
}

const X3 = tensor([[2], [3], [4]]);

test("deadReluReport: Problem 3 after one SGD step (W=-15, b=-3) is dead on every input; the initial W=1, b=1 is not", () => {
  const dead = deadReluReport(problem3(-15, -3), X3);
  assert.equal(dead.ok, false);
  assert.deepEqual(dead.flagged, ["1"]);
  assert.equal(dead.layers.length, 1);
  const l = dead.layers[0];
  assert.equal(l.feedingLayer, "0");
  assert.equal(l.units, 1);
  assert.equal(l.deadUnits, 1);
  assert.equal(l.deadFraction, 1);
  assert.equal(l.activeFraction, 0);
  assert.equal(l.deadMaxPreActivation, -33); // -15·2 - 3, the least negative of the three inputs
  assert.equal(dead.samples, 3);
  assert.match(dead.message, /LeakyReLU/);
  assert.match(dead.message, /learning rate/);
  const alive = deadReluReport(problem3(1, 1), X3);
  assert.equal(alive.ok, true);
  assert.equal(alive.layers[0].deadUnits, 0);
  assert.equal(alive.layers[0].activeFraction, 1);
});

test("deadReluReport: counts channels of conv outputs, honours the threshold and a custom forward", () => {
  const g = new Generator(3);
  const conv = new nn.Conv2d(1, 4, 3, { padding: 1, generator: g });
  // Channels 0 and 1 get a bias so negative that nothing on a [0,1] image can switch them on.
  noGrad(() => { conv.weight.mul_(0.1); conv.bias!.copy_(tensor([-10, -10, 5, 5])); });
  const model = new nn.Sequential(conv, new nn.ReLU());
  const batch = { image: randn([2, 1, 6, 6], { generator: g }).sigmoid() };
  const r = deadReluReport(model, batch, { forward: (m, b) => m.call((b as typeof batch).image) });
  assert.equal(r.layers[0].units, 4);
  assert.equal(r.layers[0].deadUnits, 2);
  assert.equal(r.layers[0].deadFraction, 0.5);
  assert.equal(r.ok, true, "exactly at the 0.5 threshold is not above it");
  assert.equal(deadReluReport(model, batch, { threshold: 0.4, forward: (m, b) => m.call((b as typeof batch).image) }).ok, false);
  assert.throws(() => deadReluReport(model, batch, { threshold: 2 }), /threshold must be a fraction/);
  assert.match(deadReluReport(new nn.Sequential(new nn.Linear(2, 2)), randn([1, 2])).message, /no nn.ReLU/);
});

test("gradientFlowReport: a 10-layer sigmoid stack vanishes, a Kaiming ReLU stack does not, NaN is exploding", () => {
  const x = randn([32, 64], { generator: new Generator(1) });
  const sig = deepStack({ depth: 10, width: 64, activation: "sigmoid", init: "kaiming", generator: new Generator(2) });
  sig.call(x).square().mean().backward();
  const rs = gradientFlowReport(sig);
  assert.equal(rs.vanishing, true);
  assert.equal(rs.ok, false);
  assert.ok(rs.firstToLast < 1e-3, `first/last ${rs.firstToLast}`);
  assert.ok(rs.flagged.includes("0.weight"));
  assert.match(rs.message, /Vanishing gradients/);
  assert.equal(rs.entries.length, 20);
  assert.equal(rs.entries[0].name, "0.weight");

  const relu = deepStack({ depth: 10, width: 64, activation: "relu", init: "kaiming", generator: new Generator(2) });
  relu.call(x).square().mean().backward();
  const rr = gradientFlowReport(relu);
  assert.equal(rr.ok, true, rr.message);
  assert.ok(rr.firstToLast > 0.1 && rr.firstToLast < 10, `first/last ${rr.firstToLast}`);

  const lin = new nn.Linear(2, 1);
  lin.weight.grad = tensor([[NaN, 1]]);
  lin.bias!.grad = tensor([1]);
  const rn = gradientFlowReport(lin);
  assert.equal(rn.exploding, true);
  assert.match(rn.message, /NaN/);

  const fresh = gradientFlowReport(new nn.Linear(2, 2));
  assert.equal(fresh.ok, false);
  assert.match(fresh.message, /call loss.backward\(\)/);
});

test("weightStatsReport and WeightTracker: heavy weight decay shrinks the weights and is flagged, none is not", () => {
  const run = (weightDecay: number) => {
    const g = new Generator(5);
    const model = new nn.Sequential(new nn.Linear(8, 16, { generator: g }), new nn.ReLU(), new nn.Linear(16, 1, { generator: g }));
    const x = randn([64, 8], { generator: g });
    const y = x.sum(1, true).gt(0).float();
    const tracker = new WeightTracker(model);
    tracker.record(0);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, weightDecay });
    for (let epoch = 1; epoch <= 3; epoch++) {
      for (let s = 0; s < 10; s++) {
        opt.zeroGrad();
        nn.functional.binaryCrossEntropyWithLogits(model.call(x), y).backward();
        opt.step();
      }
      tracker.record(epoch);
    }
    return { model, tracker };
  };
  const heavy = run(1);
  const trend = heavy.tracker.report();
  assert.equal(trend.ok, false);
  assert.ok(trend.flagged.includes("0.weight"));
  // 30 steps of w <- w(1 - lr·λ) - lr·g shrink the std by about 0.9^30 ≈ 0.04 (less the data gradient's push).
  assert.ok(trend.layers[0].shrink < 0.2, `shrink ${trend.layers[0].shrink}`);
  assert.match(trend.message, /L2/);
  const snap = weightStatsReport(heavy.model);
  assert.equal(snap.ok, false);
  assert.ok(snap.layers[0].fractionNearZero > 0.5);
  assert.equal(snap.layers[0].histogram.bins.reduce((a, b) => a + b, 0), 8 * 16);
  const drawing = heavy.tracker.draw("0.weight");
  assert.equal(drawing.split("\n").length, 5);
  assert.match(drawing, /epoch 3/);
  assert.throws(() => heavy.tracker.draw("nope"), /no weight named "nope"/);

  const light = run(0);
  assert.equal(light.tracker.report().ok, true, light.tracker.report().message);
  assert.equal(weightStatsReport(light.model).ok, true);
  assert.throws(() => new WeightTracker(light.model).report(), /nothing recorded/);
});

test("checkLogitsForCrossEntropy: the exam's softmax outputs are probabilities, its logits are logits", () => {
  const probs = tensor([[0.4, 0.3, 0.3], [0.4, 0.5, 0.1]]);
  const p = checkLogitsForCrossEntropy(probs);
  assert.equal(p.kind, "probabilities");
  assert.equal(p.ok, false);
  assert.match(p.message, /Drop the final nn.Softmax/);
  const logits = tensor([[-1.0, -1.3, -1.3]]);
  assert.equal(checkLogitsForCrossEntropy(logits).kind, "logits");
  assert.equal(checkLogitsForCrossEntropy(logits).ok, true);
  assert.equal(checkLogitsForCrossEntropy(randn([4, 5]).logSoftmax(1)).kind, "log-probabilities");
  // [C] inputs and class dims other than 1
  assert.equal(checkLogitsForCrossEntropy(tensor([0.2, 0.8])).kind, "probabilities");
  assert.equal(checkLogitsForCrossEntropy(randn([2, 3, 4]).softmax(2), { dim: 2 }).kind, "probabilities");
  assert.equal(checkLogitsForCrossEntropy(randn([2, 3, 4]).softmax(2)).kind, "logits");

  const forLog = checkProbabilitiesForLog(logits);
  assert.equal(forLog.ok, false);
  assert.match(forLog.message, /NaN/);
  assert.equal(checkProbabilitiesForLog(probs).ok, true);

  const warnings: string[] = [];
  const labels = tensor([0, 1], { dtype: "int32" });
  const loss = checkedCrossEntropy(probs, labels, { warn: (m) => warnings.push(m), always: true });
  assert.equal(warnings.length, 1);
  assert.ok(Math.abs(loss.item() - nn.functional.crossEntropy(probs, labels).item()) < 1e-7);
  checkedCrossEntropy(randn([2, 3]), labels, { warn: (m) => warnings.push(m), always: true });
  assert.equal(warnings.length, 1, "logits do not warn");
});

test("initReport: Kaiming keeps a ReLU stack's scale; tiny init shrinks it; sigmoid + Kaiming vanishes backwards", () => {
  const x = randn([128, 64], { generator: new Generator(7) });
  const report = (activation: "relu" | "sigmoid" | "tanh", init: "kaiming" | "xavier" | "small") =>
    initReport(deepStack({ depth: 8, width: 64, activation, init, generator: new Generator(8) }), x);
  const relu = report("relu", "kaiming");
  assert.equal(relu.ok, true, relu.message);
  assert.ok(relu.forwardRatio > 0.5 && relu.forwardRatio < 2, `forward ${relu.forwardRatio}`);
  assert.equal(relu.layers.length, 8);
  assert.equal(relu.layers[0].activation, "ReLU");
  const small = report("relu", "small");
  assert.equal(small.ok, false);
  assert.ok(small.forwardRatio < 1e-6, `forward ${small.forwardRatio}`);
  assert.match(small.message, /signal shrinks/);
  const sig = report("sigmoid", "kaiming");
  assert.equal(sig.ok, false);
  assert.ok(sig.backwardRatio < 1e-2, `backward ${sig.backwardRatio}`);
  assert.match(sig.message, /Gradients vanish/);
  const tanh = report("tanh", "xavier");
  assert.equal(tanh.ok, true, tanh.message);
  // Per-layer factors are reported also when nothing is flagged: ≈1 between hidden ReLU layers under Kaiming.
  assert.ok(relu.layers.slice(0, 6).every((l) => l.gradFactor > 0.7 && l.gradFactor < 1.4), relu.layers.map((l) => l.gradFactor).join(", "));
  assert.ok(Number.isNaN(relu.layers[7].gradFactor));
  assert.match(relu.message, /x[0-9.]+ from the next layer/);
  const m = deepStack({ depth: 2, width: 4 });
  initReport(m, randn([3, 4]));
  assert.ok(m.parameters().every((p) => p.grad === null));
});

test("initReport flags the exam's 16-32-16-1 sigmoid + Kaiming net by its per-layer gradient shrink, not ReLU + Kaiming", () => {
  const net = (act: "relu" | "sigmoid") => {
    const g = new Generator(1);
    const a = () => (act === "relu" ? new nn.ReLU() : new nn.Sigmoid());
    const s = new nn.Sequential(new nn.Linear(16, 32, { generator: g }), a(), new nn.Linear(32, 16, { generator: g }), a(), new nn.Linear(16, 1, { generator: g }));
    for (const l of s.modules()) if (l instanceof nn.Linear) { nn.init.kaimingNormal_(l.weight, { nonlinearity: "relu", generator: g }); nn.init.zeros_(l.bias!); }
    return s;
  };
  const x = randn([512, 16], { generator: new Generator(2) });
  const relu = initReport(net("relu"), x);
  const sig = initReport(net("sigmoid"), x);
  assert.equal(relu.ok, true, relu.message);
  // End to end the sigmoid net keeps ~1.5% of the gradient: above the 1e-2 alarm, so only the per-layer rule sees it.
  assert.ok(sig.backwardRatio > 0.01, `backward ${sig.backwardRatio}`);
  assert.equal(sig.ok, false);
  assert.deepEqual(sig.flagged, ["0"]);
  assert.ok(sig.layers[0].gradFactor < 0.3 && relu.layers[0].gradFactor > 0.7, `${sig.layers[0].gradFactor} vs ${relu.layers[0].gradFactor}`);
  assert.match(sig.message, /shrink layer by layer/);
});

test("plots: sparkline, linePlot, barHistogram, barChart, imageToText, sideBySide draw the data", () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█");
  assert.equal(sparkline([1, NaN, 1]).length, 3);
  assert.equal(sparkline(Array.from({ length: 200 }, (_, i) => i), { width: 20 }).length, 20);
  const lp = linePlot({ falling: [4, 3, 2, 1], flat: [2, 2, 2, 2] }, { width: 10, height: 4, title: "t" }).split("\n");
  assert.equal(lp[0], "t");
  assert.equal(lp[1], "4 ┤*"); // the top row holds the first (largest) value
  assert.equal(lp[4], "1 ┤         *");
  assert.match(lp[lp.length - 1], /\* falling \(last 1\)\s+o flat \(last 2\)/);
  assert.throws(() => linePlot([1, 2], { width: 1 }), /at least 2/);
  const bh = barHistogram(histogram([0, 0, 0, 1], 2), { width: 6 }).split("\n");
  assert.deepEqual(bh, ["  0 .. 0.5 │██████ 3", "0.5 .. 1   │██ 1"]);
  assert.equal(barHistogram([1, 2, 3], { bins: 3 }).split("\n").length, 3);
  const bc = barChart([["a", 1], ["b", 0.5]], { width: 4 }).split("\n");
  assert.deepEqual(bc, ["a │████ 1", "b │██ 0.5"]);
  assert.equal(imageToText([0, 1, 1, 0], 2, 2, { range: [0, 1] }), "  @@\n@@  ");
  assert.throws(() => imageToText([0], 2, 2), /cannot fill/);
  assert.equal(sideBySide(["a\nb", "cc"], { gap: 1, captions: ["1", "2"] }), "1 2\na cc\nb");
  assert.equal(fmtNum(0.000012), "1.2e-5");
  assert.equal(fmtNum(123456), "1.2e5");
  assert.equal(fmtNum(0.12345), "0.123");
});
