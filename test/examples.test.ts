// Every example in examples/ run in a tiny configuration, asserting the outcome it demonstrates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { main as p2 } from "../examples/exam-p2-softmax-ce.js";
import { main as p3 } from "../examples/exam-p3-dead-relu.js";
import { main as p4, boxingMatches } from "../examples/exam-p4-l2-collapse.js";
import { main as p5 } from "../examples/exam-p5-autoencoder.js";
import { main as p6, outSize } from "../examples/exam-p6-cnn-shapes.js";
import { main as vae } from "../examples/vae.js";
import { main as unet, perClassIou, UNet } from "../examples/unet-segmentation.js";
import { main as depth } from "../examples/depth-regression.js";
import { main as mlp } from "../examples/mlp-regression.js";
import { parseFlags } from "../examples/common.js";
import { main as sequences } from "../examples/sequence-models.js";
import { randn } from "../src/index.js";

const quiet = (): void => {};

test("exam-p2-softmax-ce: equal CE for 2.1, NaN for log of logits, softmax twice flagged and stuck above its floor", () => {
  const r = p2({ steps: 100, log: quiet });
  assert.ok(Math.abs(r.ce1 - -Math.log(0.4)) < 1e-6 && Math.abs(r.ce2 - r.ce1) < 1e-7);
  assert.ok(Number.isNaN(r.handWrittenOnLogits));
  assert.equal(r.probabilitiesFlagged, true);
  assert.equal(r.warnings.length, 1, "one warning, for the softmax model only");
  const floor = -Math.log(Math.E / (Math.E + 2));
  assert.ok(r.doubleSoftmaxLossCurve.every((v) => v > floor - 1e-6));
  assert.ok(r.logitsLossCurve[99] < 0.5 * floor, `logits loss ${r.logitsLossCurve[99]}`);
});

test("exam-p3-dead-relu: the exam's numbers, W unchanged after the ReLU dies, LeakyReLU moves it", () => {
  const r = p3({ epochs: 200, log: quiet });
  assert.deepEqual(
    { pred: r.relu[0].pred, loss: r.relu[0].loss, dW: r.relu[0].dW, db: r.relu[0].db, W: r.relu[0].W, b: r.relu[0].b },
    { pred: 5, loss: 16, dW: 32, db: 8, W: -15, b: -3 },
  );
  assert.equal(r.relu[1].pred, 0);
  assert.equal(r.relu[1].loss, 0.25);
  for (const s of r.relu.slice(1)) assert.ok(s.dW === 0 && s.db === 0 && s.W === -15, `step ${s.step}`);
  assert.equal(r.reluW4, -15);
  assert.equal(r.deadReluFlagged, true);
  assert.ok(r.leakyW4 > -15 + 0.1, `LeakyReLU W4 = ${r.leakyW4}`);
  assert.ok(Math.abs(r.leaky[1].dW - 2 * (-0.33 - 0.5) * 0.01 * 2) < 1e-5);
  assert.ok(r.reluCurve.every((v) => Math.abs(v - r.reluCurve[0]) < 1e-12), "a dead ReLU's loss never moves");
  assert.ok(r.reluSmallLr.W < 0, "a smaller lr alone does not save the ReLU");
  assert.ok(Math.abs(r.leakySmallLr.W - 0.25) < 0.01 && Math.abs(r.leakySmallLr.b) < 0.02, `W ${r.leakySmallLr.W}, b ${r.leakySmallLr.b}`);
});

test("exam-p4-l2-collapse: λ = 1 shrinks the weights far below λ = 1e-3's and is flagged; sigmoid + Kaiming vanishes", () => {
  const data = boxingMatches(8, 1);
  assert.deepEqual(data.x.shape, [8, 16]);
  assert.deepEqual(data.y.shape, [8, 1]);
  const r = p4({ matches: 400, epochs: 60, initDepth: 6, log: quiet });
  assert.ok(r.heavy.weightNormEnd < 0.1 * r.light.weightNormEnd, `|W| ${r.heavy.weightNormEnd} vs ${r.light.weightNormEnd}`);
  assert.ok(Math.abs(r.heavy.weightNormStart - r.light.weightNormStart) < 1e-9, "both runs start from the same weights");
  assert.equal(r.heavy.trend.ok, false);
  assert.equal(r.light.trend.ok, true, r.light.trend.message);
  assert.ok(r.light.trainLoss[59] < r.light.trainLoss[0]);
  assert.ok(r.light.testAccuracy >= r.heavy.testAccuracy);
  const row = (a: string, i: string) => r.init.find((x) => x.activation === a && x.init === i)!;
  assert.equal(row("relu", "kaiming").ok, true);
  assert.equal(row("sigmoid", "kaiming").ok, false);
  assert.ok(row("sigmoid", "kaiming").backwardRatio < 0.01);
  assert.equal(row("relu", "small").ok, false);
  assert.ok(r.gradientFirstToLast < 0.01, `first/last ${r.gradientFirstToLast}`);
});

test("exam-p5-autoencoder: reconstruction loss decreases; both transfer heads give an accuracy", () => {
  const r = p5({ trainSize: 96, epochs: 2, fewShot: 10, testSize: 40, log: quiet });
  assert.equal(r.latentSize, 64);
  assert.equal(r.imageSize, 196);
  assert.equal(r.reconLoss.length, 3);
  assert.ok(r.reconLoss[2] < r.reconLoss[0] - 0.05, `recon ${r.reconLoss.join(", ")}`);
  for (const a of [r.bceAccuracy, r.ceAccuracy, r.scratchBceAccuracy, r.scratchCeAccuracy]) assert.ok(a >= 0 && a <= 1);
  assert.ok(r.bceAccuracy > 0.5 && r.ceAccuracy > 0.5, `${r.bceAccuracy} ${r.ceAccuracy}`);
});

test("exam-p6-cnn-shapes: 448 params, receptive field 18, 16x21x21 after pool4, fully-convolutional weight shapes", () => {
  const r = p6({ forwardSize: 99, hidden: 8, log: quiet });
  assert.equal(r.conv1Params, 448);
  assert.deepEqual(r.receptiveFields, [3, 4, 8, 10, 18, 22, 38, 46]);
  assert.deepEqual(r.sizes, [373, 186, 184, 92, 90, 45, 43, 21]);
  assert.deepEqual(r.pool4Shape, [16, 21, 21]);
  assert.deepEqual(r.fcConvWeights, [[8, 16, 21, 21], [200, 8, 1, 1]]);
  assert.equal(r.agrees, true);
  assert.equal(r.measured.layers[0].params, 448);
  assert.deepEqual(r.measured.layers[11].outputShape, [16, 4, 4]);
  assert.equal(outSize(375, 3), 373);
  assert.equal(outSize(43, 2, 2), 21);
});

test("vae: the loss terms fall, KL is positive, random codes decode to digit-like images", () => {
  const r = vae({ trainSize: 256, epochs: 3, log: quiet });
  assert.ok(r.recon[2] < r.recon[0], `recon ${r.recon.join(", ")}`);
  assert.ok(r.kl.every((k) => k > 0));
  assert.deepEqual(r.samples.shape, [6, 196]);
  // Mostly background with some ink: neither blank nor saturated.
  assert.ok(r.sampleMean > 0.02 && r.sampleMean < 0.5, `sample mean ${r.sampleMean}`);
});

test("unet-segmentation: IoU per class from counts; U-Net keeps the size and its loss falls", () => {
  assert.deepEqual(perClassIou([0, 0, 1, 1], [0, 1, 1, 1], 3).slice(0, 2), [0.5, 2 / 3]);
  assert.ok(Number.isNaN(perClassIou([0, 1], [0, 1], 3)[2]));
  const net = new UNet(3, 5, { width: 4 });
  assert.deepEqual(net.call(randn([2, 3, 8, 12])).shape, [2, 5, 8, 12]);
  assert.throws(() => net.call(randn([1, 3, 6, 8])), /divisible by 4/);
  const r = unet({ train: 48, val: 16, epochs: 3, size: 16, noCompare: true, log: quiet });
  assert.equal(r.noSkip, null);
  assert.ok(r.unet.trainLoss[2] < r.unet.trainLoss[0], `loss ${r.unet.trainLoss.join(", ")}`);
  assert.equal(r.unet.iou.length, 4);
  assert.ok(r.unet.meanIou > 0 && r.unet.meanIou <= 1);
  assert.ok(r.unet.pixelAccuracy > 0.5);
});

test("depth-regression: stored order puts only night in val, shuffling balances it; the image-only flip leaves its mirrored pairs unlearnt and is caught by the probe", async () => {
  const r = await depth({ scenes: 20, frames: 4, epochs: 12, batchSize: 8, lr: 5e-3, size: 16, log: quiet });
  assert.equal(r.unshuffled.valNight, 1);
  assert.ok(r.unshuffled.trainNight < 0.5);
  // After shuffling both splits hold day and night scenes (4 validation scenes here, so not exactly half).
  assert.ok(r.shuffled.valNight > 0 && r.shuffled.valNight < 1 && Math.abs(r.shuffled.trainNight - 0.5) < 0.1, JSON.stringify(r.shuffled));
  assert.ok(r.bugFloor > 0.01, `floor ${r.bugFloor}`);
  assert.ok(r.correct.trainLoss[11] < r.correct.trainLoss[0]);
  const last = (v: number[]): number => v[v.length - 1];
  // The bug's inconsistent targets: a predictor that cannot tell a flipped image from an unflipped
  // one (as a convolutional net trained for 12 epochs on 64 frames cannot) pays at least the floor
  // ½·mean|D − flip(D)|; the bug's loss must stay above it. Which of the two trained losses ends
  // lower is NOT asserted: at this size it follows the seed (see below), so a comparison would
  // only pass for a hand-picked seed. The default-size run in docs/examples.md prints both.
  assert.ok(last(r.flipBug.trainLoss) > r.bugFloor, `bug ${last(r.flipBug.trainLoss)} vs its floor ${r.bugFloor}`);
  assert.ok(r.flipBug.cleanTrainLoss > r.bugFloor, `bug clean ${r.flipBug.cleanTrainLoss} vs its floor ${r.bugFloor}`);
  assert.ok(r.flipBug.trainLoss[11] < r.flipBug.trainLoss[0], "the bug's run still learns something");
  // What the bug reliably does to the model (not a seed-dependent comparison of two runs): shown the
  // mirrored training images, the correct model fits them against the mirrored depth maps as well as
  // it fits the originals, while the bug's model fits its own mirrored pairs (mirrored image,
  // original depth) worse than its unmirrored ones: it cannot learn those targets. Measured with this
  // configuration over seeds 0-19 (scripted, not tuned): the bug's mirrored-pair L1 above its
  // unmirrored L1 by 4.3% to 32% (mean 15%, sd 8%; seed 0: 9.8%); the correct model's by -1.3% to
  // +2.0% (mean 0.1%, sd 0.8%; seed 0: -0.3%).
  // The ranges do not overlap, and 3% separates them with a margin on both sides. For comparison,
  // the bug-minus-correct last-epoch training loss over the same seeds was 0.005 ± 0.015 (from -0.032
  // to +0.025, positive for 13 of 20): no robust difference.
  const mirroredGap = (run: typeof r.correct, vs: "vsOriginal" | "vsMirrored"): number => run.mirrored[vs] / run.cleanTrainLoss - 1;
  assert.ok(mirroredGap(r.flipBug, "vsOriginal") > 0.03, `bug: mirrored pairs ${JSON.stringify(r.flipBug.mirrored)}, unmirrored ${r.flipBug.cleanTrainLoss}`);
  assert.ok(Math.abs(mirroredGap(r.correct, "vsMirrored")) < 0.03, `correct: mirrored pairs ${JSON.stringify(r.correct.mirrored)}, unmirrored ${r.correct.cleanTrainLoss}`);
  // The data check catches the bug before training: mirrored images with unmirrored depth maps.
  assert.equal(r.probe.correct.ok, true, r.probe.correct.message);
  assert.ok(r.probe.correct.flipped > 0);
  assert.equal(r.probe.flipBug.ok, false);
  assert.equal(r.probe.flipBug.misaligned, r.probe.flipBug.flipped);
  // No assertion on validation error: with 4 validation scenes it follows the training trajectory's
  // noise (the js and wasm backends, which round differently, disagree on its sign).
});

test("mlp-regression: the README loop fits sin(3x)", () => {
  const r = mlp({ steps: 150, log: quiet });
  assert.ok(r.losses[149] < 0.02 * r.losses[0], `${r.losses[0]} → ${r.losses[149]}`);
});

test("sequence-models: an LSTM learns to sum sequences of any length; positional encoding breaks permutation equivariance", () => {
  const r = sequences({ steps: 150, log: quiet });
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  assert.ok(mean(r.losses.slice(-20)) < 0.1 * mean(r.losses.slice(0, 20)), `${mean(r.losses.slice(0, 20))} → ${mean(r.losses.slice(-20))}`);
  assert.equal(r.params, 4 * 16 * (1 + 16 + 2) + 16 + 1);
  assert.ok(r.withoutPe < 1e-5, `without PE: ${r.withoutPe}`);
  assert.ok(r.withPe > 0.01, `with PE: ${r.withPe}`);
});

test("parseFlags: values take the type of their default; unknown flags and bad numbers throw", () => {
  assert.deepEqual(parseFlags({ epochs: 5, lr: 0.1, full: false, name: "a" }, ["--epochs", "20", "--lr=1e-3", "--full", "--name", "b"]), { epochs: 20, lr: 1e-3, full: true, name: "b" });
  assert.throws(() => parseFlags({ epochs: 5 }, ["--epoch", "2"]), /unknown flag --epoch \(known: --epochs\)/);
  assert.throws(() => parseFlags({ epochs: 5 }, ["--epochs", "many"]), /must be a number/);
});
