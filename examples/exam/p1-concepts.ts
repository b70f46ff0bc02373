/**
 * Exam Problem 1, the statements about definitions and scope, each with a small run that shows it:
 * no loss means no gradient (1.1d), class imbalance is fixed by the loss, not the activation (1.5a),
 * accuracy has no gradient to train with (1.5c), segmentation needs its masks (1.6a) and labels
 * every pixel (1.6b), a CNN on 64-channel input (1.7b), [0,1] vs [0,255] and overfitting (1.7d),
 * augmentation making new samples (1.8a), on tabular data (1.8c) and not on the test set (1.8d),
 * dropout in an MLP and an LSTM (1.9c) and against memorising wrong labels (1.9d).
 *
 *   node --import tsx src/cli/main.ts exam 1.5a
 */
import { Generator, Tensor, cat, noGrad, randn, randperm, tensor, nn, optim } from "../../src/index.js";
import { imageToText, sideBySide } from "../../src/utils/plot.js";
import { boxingMatches } from "../exam-p4-l2-collapse.js";
import { mlpRun, mnistData } from "./p1.js";
import { lightingRun, rotationRun, unlabelledSegRun } from "./p1-more.js";
import { last, mean, num, pct, shared, type ExamItem, type Measured, type RunContext } from "./item.js";

const FILE = "examples/exam/p1-concepts.ts";

/** Standardised boxing matches (the exam's Problem 4 data: fighter A's 8 features, then B's). */
function standardised(n: number, seed: number): { x: Tensor; y: Tensor } {
  const { x, y } = boxingMatches(n, seed);
  return { x: x.sub(x.mean(0, true)).div(x.std(0, { keepdim: true }).add(1e-6)), y };
}

// ------------------------------------------------------------------------------------------- 1.1d

function noLossRun(ctx: RunContext): Measured {
  const { x } = standardised(400, ctx.seed + 100);
  const g = new Generator(ctx.seed + 101);
  const ae = new nn.Sequential(new nn.Linear(16, 4, { generator: g }), new nn.ReLU(), new nn.Linear(4, 16, { generator: g }));
  const opt = new optim.Adam(ae.parameters(), { lr: 1e-2 });
  const before = ae.parameters().map((p) => p.detach().clone());
  const mse = (): number => noGrad(() => nn.functional.mseLoss(ae.call(x), x).item());
  const start = mse();
  // Without a loss there is no scalar to differentiate: backward() on the reconstruction itself is refused...
  let refused = "";
  try { (ae.call(x) as Tensor).backward(); } catch (e) { refused = (e as Error).message.split(";")[0]; }
  // ...and optimizer steps with no gradient leave every weight where it was.
  for (let s = 0; s < 50; s++) { opt.zeroGrad(); ae.call(x); opt.step(); }
  const moved = Math.max(...ae.parameters().map((p, i) => noGrad(() => p.sub(before[i]).abs().max().item())));
  const noGrads = ae.parameters().every((p) => p.grad === null || noGrad(() => p.grad!.abs().max().item()) === 0) ? 1 : 0;
  const afterNoLoss = mse();
  for (let s = 0; s < 50; s++) { opt.zeroGrad(); nn.functional.mseLoss(ae.call(x), x).backward(); opt.step(); }
  const afterLoss = mse();
  return {
    lines: [`a 16→4→16 autoencoder on 400 standardised boxing matches, reconstruction MSE ${num(start)} at initialisation`,
      `backward() on the reconstruction without a loss: ${refused ? `refused ("${refused.slice(0, 110)}")` : "accepted"}`,
      `50 Adam steps with no loss: gradients ${noGrads ? "all empty" : "present"}, largest weight change ${num(moved)}, MSE ${num(afterNoLoss)}`,
      `50 Adam steps on the loss mseLoss(decoder(encoder(x)), x): MSE ${num(afterLoss)}`],
    values: { refused: refused ? 1 : 0, moved, noGrads, start, afterNoLoss, afterLoss },
  };
}

// ------------------------------------------------------------------------------------------- 1.5a

/** 2-D points, 95% class 0 around (0,0), 5% class 1 around (1.5,1.5): overlapping, imbalanced. */
function imbalanced(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const y = Array.from({ length: n }, () => (g.random() < 0.05 ? 1 : 0));
  const x = randn([n, 2], { generator: g }).add(tensor(y.map((c) => [1.5 * c, 1.5 * c])));
  return { x, y: tensor(y, { dtype: "int32" }) };
}

const imbalanceRun = shared((ctx: RunContext) => {
  const train = imbalanced(2000, new Generator(ctx.seed + 110)), test = imbalanced(4000, new Generator(ctx.seed + 111));
  const fit = (act: "relu" | "tanh" | "sigmoid", weighted: boolean) => {
    const g = new Generator(ctx.seed + 112);
    const a = act === "relu" ? new nn.ReLU() : act === "tanh" ? new nn.Tanh() : new nn.Sigmoid();
    const net = new nn.Sequential(new nn.Linear(2, 16, { generator: g }), a, new nn.Linear(16, 2, { generator: g }));
    const opt = new optim.Adam(net.parameters(), { lr: 2e-2 });
    // The weighted loss counts each minority sample 19x: the inverse of the class frequencies 95:5.
    const weight = weighted ? tensor([1, 19]) : null;
    for (let s = 0; s < (ctx.tiny ? 150 : 300); s++) { opt.zeroGrad(); nn.functional.crossEntropy(net.call(train.x), train.y, { weight }).backward(); opt.step(); }
    return noGrad(() => {
      const pred = net.call(test.x).argmax(1);
      const minority = test.y.eq(1), majority = test.y.eq(0);
      const recall1 = pred.eq(1).logicalAnd(minority).float().sum().item() / minority.float().sum().item();
      const recall0 = pred.eq(0).logicalAnd(majority).float().sum().item() / majority.float().sum().item();
      return { recall1, balanced: (recall0 + recall1) / 2, acc: pred.eq(test.y).float().mean().item() };
    });
  };
  return { relu: fit("relu", false), tanh: fit("tanh", false), sigmoid: fit("sigmoid", false), weighted: fit("relu", true), minorityShare: mean([...test.y.data()]) };
});

// ------------------------------------------------------------------------------------------- 1.5c

function lossVsAccuracy(ctx: RunContext): Measured {
  const { x, y } = standardised(800, ctx.seed + 120);
  const g = new Generator(ctx.seed + 121);
  const model = new nn.Linear(16, 1, { generator: g });
  const params = model.parameters();
  const accuracy = (): Tensor => model.call(x).gt(0).float().eq(y).float().mean();
  // 1. Accuracy through autograd: the comparison has no gradient, so backward() has nothing to follow.
  let refused = "";
  try { accuracy().backward(); } catch (e) { refused = (e as Error).message.split(";")[0]; }
  // 2. Finite differences of accuracy: nudging each of the 17 weights by ±1e-4 changes no prediction.
  const acc0 = noGrad(() => accuracy().item());
  let accMoves = 0;
  for (const p of params) {
    const flat = p.reshape([-1]);
    for (let i = 0; i < flat.shape[0]; i++) {
      const v = flat.get(i).item();
      const at = (d: number): number => noGrad(() => { flat.narrow(0, i, 1).fill_(v + d); return accuracy().item(); });
      if (at(1e-4) !== at(-1e-4)) accMoves++;
      noGrad(() => flat.narrow(0, i, 1).fill_(v));
    }
  }
  // 3. The loss's gradient is nonzero in every coordinate, and following it raises the accuracy.
  nn.functional.binaryCrossEntropyWithLogits(model.call(x), y).backward();
  const lossMoves = params.reduce((s, p) => s + noGrad(() => p.grad!.ne(0).float().sum().item()), 0);
  const nParams = params.reduce((s, p) => s + p.numel(), 0);
  const opt = new optim.SGD(params, { lr: 0.5 });
  for (let s = 0; s < 50; s++) { opt.zeroGrad(); nn.functional.binaryCrossEntropyWithLogits(model.call(x), y).backward(); opt.step(); }
  const acc1 = noGrad(() => accuracy().item());
  return {
    lines: [`logistic regression (16 inputs → 1, ${nParams} weights) on 800 boxing matches, accuracy ${pct(acc0)} at initialisation`,
      `backward() through accuracy: ${refused ? `refused ("${refused.slice(0, 100)}")` : "accepted"}`,
      `accuracy's finite differences (each weight ±1e-4): ${accMoves} of ${nParams} weights change it (it is a step function of the weights)`,
      `BCE's gradient: nonzero for ${lossMoves} of ${nParams} weights; 50 SGD steps on BCE take accuracy ${pct(acc0)} → ${pct(acc1)}`],
    values: { refused: refused ? 1 : 0, accMoves, lossMoves, nParams, acc0, acc1 },
  };
}

// ------------------------------------------------------------------------------------------- 1.7b

/**
 * 64-channel 12x12 images ("hyperspectral"): noise everywhere and one 3x3 patch whose spectrum (a
 * 64-vector) is signature A or B; the class is which. Each channel alone carries little (the
 * signatures differ by 0.35 per channel against noise 1); all 64 together separate the classes.
 */
function spectralData(n: number, seed: number): { x: Tensor; y: Tensor } {
  const sig = randn([2, 64], { generator: new Generator(777) }).mul(0.2);
  const g = new Generator(seed);
  const xs: Tensor[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = g.random() < 0.5 ? 0 : 1;
    const r = Math.floor(g.random() * 10), q = Math.floor(g.random() * 10);
    const patch = sig.select(0, c).reshape([64, 1, 1]).expand([64, 3, 3]);
    const img = randn([64, 12, 12], { generator: g });
    noGrad(() => img.narrow(1, r, 3).narrow(2, q, 3).add_(patch.mul(2)));
    xs.push(img.unsqueeze(0));
    ys.push(c);
  }
  return { x: cat(xs), y: tensor(ys, { dtype: "int32" }) };
}

const channelsRun = shared((ctx: RunContext) => {
  const train = spectralData(ctx.tiny ? 300 : 500, ctx.seed + 130), test = spectralData(300, ctx.seed + 131);
  const fit = (channels: number) => {
    const g = new Generator(ctx.seed + 132);
    const net = new nn.Sequential(new nn.Conv2d(channels, 16, 3, { generator: g }), new nn.ReLU(), new nn.MaxPool2d(10), new nn.Flatten(), new nn.Linear(16, 2, { generator: g }));
    const opt = new optim.Adam(net.parameters(), { lr: 3e-3 });
    const xt = train.x.narrow(1, 0, channels).contiguous(), xv = test.x.narrow(1, 0, channels).contiguous();
    const n = xt.shape[0];
    for (let s = 0; s < (ctx.tiny ? 120 : 200); s++) {
      const idx = randperm(n, { generator: g }).narrow(0, 0, 32);
      opt.zeroGrad();
      nn.functional.crossEntropy(net.call(xt.indexSelect(0, idx)), train.y.indexSelect(0, idx)).backward();
      opt.step();
    }
    return { acc: noGrad(() => net.call(xv).argmax(1).eq(test.y).float().mean().item()), firstLayer: (net.at(0) as nn.Conv2d).parameters().reduce((s, p) => s + p.numel(), 0) };
  };
  return { all: fit(64), three: fit(3), n: train.x.shape[0] };
});

// ------------------------------------------------------------------------------------------- 1.7d

const scaleOverfitRun = shared((ctx: RunContext) => {
  const steps = ctx.tiny ? 300 : 400;
  const unit = mlpRun(ctx, { steps, lr: 1e-3, opt: "adam" }), raw = mlpRun(ctx, { steps, lr: 1e-3, opt: "adam", scale255: true });
  // The function class is the same: a first layer W on x/255 is the first layer W/255 on x.
  const { train } = mnistData(ctx);
  const g = new Generator(ctx.seed + 140);
  const a = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32, { generator: g }), new nn.ReLU(), new nn.Linear(32, 10, { generator: g }));
  const b = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10));
  b.loadStateDict(a.stateDict());
  noGrad(() => (b.at(1) as nn.Linear).weight.div_(255));
  const x = train.images.narrow(0, 0, 64);
  const gap = noGrad(() => a.call(x).sub(b.call(x.mul(255))).abs().max().item());
  return { unit, raw, steps, equivalence: gap };
});

// ------------------------------------------------------------------------------------------- 1.8c

/**
 * Augmentation on non-image data: 1-D sensor signals of 32 samples. Class 0 holds an up-then-down
 * pulse (+1 +1 +1 −1 −1 −1), class 1 the reverse, at a random position, in noise. With only 40 training signals an MLP sees
 * each pattern at few positions; a random circular time shift (label-preserving for this task)
 * shows it every position.
 */
function signals(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const rows: number[][] = [], ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = g.random() < 0.5 ? 0 : 1, at = Math.floor(g.random() * 26);
    const row = Array.from({ length: 32 }, () => 0.3 * g.normal());
    for (let k = 0; k < 6; k++) row[at + k] += (k < 3 ? 1 : -1) * (c === 0 ? 1 : -1);
    rows.push(row);
    ys.push(c);
  }
  return { x: tensor(rows), y: tensor(ys, { dtype: "int32" }) };
}

const signalAugRun = shared((ctx: RunContext) => {
  const nTrain = 40;
  const train = signals(nTrain, new Generator(ctx.seed + 150)), test = signals(1000, new Generator(ctx.seed + 151));
  const fit = (augment: boolean) => {
    const g = new Generator(ctx.seed + 152);
    const net = new nn.Sequential(new nn.Linear(32, 64, { generator: g }), new nn.ReLU(), new nn.Linear(64, 2, { generator: g }));
    const opt = new optim.Adam(net.parameters(), { lr: 3e-3 });
    for (let s = 0; s < 500; s++) {
      // A fresh random shift per signal and step (wrapping around the end).
      const xb = augment ? cat(Array.from({ length: nTrain }, (_, i) => train.x.narrow(0, i, 1).roll(Math.floor(g.random() * 32), 1))) : train.x;
      opt.zeroGrad();
      nn.functional.crossEntropy(net.call(xb), train.y).backward();
      opt.step();
    }
    const acc = (d: { x: Tensor; y: Tensor }): number => noGrad(() => net.call(d.x).argmax(1).eq(d.y).float().mean().item());
    return { train: acc(train), test: acc(test) };
  };
  return { plain: fit(false), aug: fit(true), nTrain };
});

// ------------------------------------------------------------------------------------------- 1.9c

function dropoutEverywhere(ctx: RunContext): Measured {
  const r = memorisationRun(ctx);
  const lstm = new nn.LSTM(4, 16, { numLayers: 2, dropout: 0.5, generator: new Generator(ctx.seed + 160) });
  const x = randn([10, 3, 4], { generator: new Generator(ctx.seed + 161) });
  const twice = (): number => noGrad(() => (lstm.call(x)[0] as Tensor).sub(lstm.call(x)[0] as Tensor).abs().max().item());
  lstm.train();
  const trainDiff = twice();
  lstm.eval();
  const evalDiff = twice();
  return {
    lines: [`MLP (Linear and ReLU only, no convolution), the 1.9d runs on MNIST with 30% wrong labels: validation ${pct(r.plain.val)} without dropout, ${pct(r.drop.val)} with Dropout(0.5); wrong labels learnt ${pct(r.plain.memorised)} vs ${pct(r.drop.memorised)}`,
      `nn.LSTM(4, 16, { numLayers: 2, dropout: 0.5 }) (dropout between the recurrent layers): two forward passes in train mode differ by up to ${num(trainDiff)}, in eval mode by ${num(evalDiff)}`],
    values: { valPlain: r.plain.val, valDrop: r.drop.val, memPlain: r.plain.memorised, memDrop: r.drop.memorised, lstmTrainDiff: trainDiff, lstmEvalDiff: evalDiff },
  };
}

// ------------------------------------------------------------------------------------------- 1.9d

/**
 * Memorisation, measured: 30% of the training digits get a wrong label (a random other digit).
 * A network that memorises specific samples learns those wrong labels; one that learns generic
 * features keeps predicting the true digit for them.
 */
const memorisationRun = shared((ctx: RunContext) => {
  const { train, val } = mnistData(ctx);
  const n = train.labels.shape[0];
  const g0 = new Generator(ctx.seed + 170);
  const truth = [...train.labels.data()];
  const noisy = truth.map((c) => (g0.random() < 0.3 ? (c + 1 + Math.floor(g0.random() * 9)) % 10 : c));
  const flipped = noisy.map((c, i) => (c !== truth[i] ? i : -1)).filter((i) => i >= 0);
  const yNoisy = tensor(noisy, { dtype: train.labels.dtype });
  const fIdx = tensor(flipped, { dtype: "int32" });
  const fit = (p: number) => {
    const g = new Generator(ctx.seed + 171);
    const H = 128;
    const layers: nn.AnyModule[] = [new nn.Flatten(), new nn.Linear(784, H, { generator: g }), new nn.ReLU()];
    if (p) layers.push(new nn.Dropout(p));
    layers.push(new nn.Linear(H, H, { generator: g }), new nn.ReLU());
    if (p) layers.push(new nn.Dropout(p));
    layers.push(new nn.Linear(H, 10, { generator: g }));
    const net = new nn.Sequential(...layers);
    for (const m of net.modules()) if (m instanceof nn.Dropout) m.generator = new Generator(ctx.seed + 172);
    const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
    for (let s = 0; s < (ctx.tiny ? 400 : 600); s++) {
      const idx = randperm(n, { generator: g }).narrow(0, 0, 32);
      net.train();
      opt.zeroGrad();
      nn.functional.crossEntropy(net.call(train.images.indexSelect(0, idx)), yNoisy.indexSelect(0, idx)).backward();
      opt.step();
    }
    net.eval();
    return noGrad(() => {
      const predFlipped = net.call(train.images.indexSelect(0, fIdx)).argmax(1);
      return {
        memorised: predFlipped.eq(yNoisy.indexSelect(0, fIdx)).float().mean().item(),
        recovered: predFlipped.eq(train.labels.indexSelect(0, fIdx)).float().mean().item(),
        val: net.call(val.images).argmax(1).eq(val.labels).float().mean().item(),
      };
    });
  };
  return { plain: fit(0), drop: fit(0.5), n, flipped: flipped.length };
});

export const items: ExamItem[] = [
  {
    id: "1.1d", claim: "False: an autoencoder cannot be trained without a loss function.", fidelity: "faithful", file: FILE,
    run: noLossRun,
    judge: (v) => v.refused === 1 && v.moved === 0 && v.afterLoss < 0.8 * v.start
      ? { verdict: "confirmed", because: `without a loss there is no scalar to backpropagate (backward refused) and 50 optimizer steps move no weight (MSE stays ${num(v.afterNoLoss)}); with mseLoss(x̂, x) 50 steps take it from ${num(v.start)} to ${num(v.afterLoss)}` }
      : { verdict: "refuted", because: `weights moved by ${num(v.moved)} without a loss` },
  },
  {
    id: "1.5a", claim: "False: the activation function does not handle class imbalance.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = imbalanceRun(ctx);
      const row = (k: string, v: { recall1: number; balanced: number; acc: number }): string => `  ${k.padEnd(40)} minority recall ${pct(v.recall1).padStart(6)}   balanced accuracy ${pct(v.balanced).padStart(6)}   accuracy ${pct(v.acc)}`;
      return {
        lines: [`2-16-2 MLP on overlapping 2-D classes, ${pct(r.minorityShare)} minority (class 1) in the test set:`,
          row("ReLU, plain cross-entropy", r.relu), row("tanh, plain cross-entropy", r.tanh), row("sigmoid, plain cross-entropy", r.sigmoid), row("ReLU, cross-entropy weighted 1:19", r.weighted)],
        values: { reluRecall: r.relu.recall1, tanhRecall: r.tanh.recall1, sigmoidRecall: r.sigmoid.recall1, weightedRecall: r.weighted.recall1, bestActBalanced: Math.max(r.relu.balanced, r.tanh.balanced, r.sigmoid.balanced), weightedBalanced: r.weighted.balanced },
      };
    },
    judge: (v) => {
      const best = Math.max(v.reluRecall, v.tanhRecall, v.sigmoidRecall);
      return v.weightedRecall > best + 0.2 && v.weightedBalanced > v.bestActBalanced
        ? { verdict: "confirmed", because: `whatever the activation, the minority class is found ${pct(Math.min(v.reluRecall, v.tanhRecall, v.sigmoidRecall))}-${pct(best)} of the time; weighting the loss 1:19 finds it ${pct(v.weightedRecall)} (balanced accuracy ${pct(v.weightedBalanced)} vs ${pct(v.bestActBalanced)})` }
        : { verdict: "depends", because: `minority recall ${pct(best)} at best by activation, ${pct(v.weightedRecall)} with the weighted loss` };
    },
  },
  {
    id: "1.5c", claim: "False: the loss function's purpose is not to compute accuracy (it guides the weights through backprop).", fidelity: "faithful", file: FILE,
    run: lossVsAccuracy,
    judge: (v) => v.refused === 1 && v.accMoves <= 1 && v.lossMoves === v.nParams && v.acc1 > v.acc0
      ? { verdict: "confirmed", because: `accuracy has no gradient (backward refused, ${v.accMoves} of ${v.nParams} nudged weights change it), the loss has one in all ${v.lossMoves} weights and following it raises accuracy ${pct(v.acc0)} → ${pct(v.acc1)}` }
      : { verdict: "depends", because: `accuracy moved with ${v.accMoves} weights; loss gradient in ${v.lossMoves}; accuracy ${pct(v.acc0)} → ${pct(v.acc1)}` },
  },
  {
    id: "1.6a", claim: "False: semantic segmentation is supervised (needs labelled masks).", fidelity: "faithful", file: FILE,
    run(ctx) {
      const sup = lightingRun(ctx), un = unlabelledSegRun(ctx);
      return {
        lines: ["the 1.6d U-Net (16x16 synthetic shapes, 4 classes), trained with each image's own mask and, same steps, with another image's mask (labels that do not belong to the pixels):",
          `  own masks:     pixel accuracy ${pct(sup.normal.acc)}, mean IoU ${num(sup.normal.iou)}`,
          `  masks swapped: pixel accuracy ${pct(un.normal.acc)}, mean IoU ${num(un.normal.iou)}`,
          `  predicting the most frequent class everywhere: ${pct(sup.majorityAcc)}`],
        values: { supervised: sup.normal.acc, unlabelled: un.normal.acc, majority: sup.majorityAcc, supIou: sup.normal.iou, unIou: un.normal.iou },
      };
    },
    judge: (v) => v.supervised > v.majority + 0.03 && v.unlabelled < v.majority + 0.02 && v.supIou > v.unIou + 0.05
      ? { verdict: "confirmed", because: `with its own masks the network gets beyond the class frequencies (pixel accuracy ${pct(v.supervised)} vs ${pct(v.majority)} for the majority class, mean IoU ${num(v.supIou)}); with masks that do not belong to the pixels it learns nothing more than those frequencies (${pct(v.unlabelled)}, IoU ${num(v.unIou)}): the labelled masks are what it learns from` }
      : { verdict: "depends", because: `own masks ${pct(v.supervised)} (IoU ${num(v.supIou)}), swapped ${pct(v.unlabelled)} (IoU ${num(v.unIou)}), majority class ${pct(v.majority)}` },
  },
  {
    id: "1.6b", claim: "False: semantic segmentation classifies every pixel, not the whole image.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = lightingRun(ctx);
      const pic = (t: Tensor, range: [number, number]): string => imageToText(t.contiguous().data(), 16, 16, { range });
      return {
        lines: [`the 1.6d U-Net's output for 48 validation images: [${r.outShape.join(", ")}] (one score per class for every pixel); argmax over dim 1 gives a [16, 16] class map per image`,
          `distinct classes predicted within one image: ${num(r.distinct)} on average; pixel accuracy ${pct(r.normal.acc)}`,
          ...sideBySide([pic(r.first.image.mean(0), [0, 1]), pic(r.first.truth.float(), [0, 3]), pic(r.first.pred.float(), [0, 3])], { captions: ["image", "true mask", "predicted mask"] }).split("\n")],
        values: { rank: r.outShape.length, height: r.outShape[2], distinct: r.distinct, acc: r.normal.acc },
      };
    },
    judge: (v) => v.rank === 4 && v.height === 16 && v.distinct > 1.5
      ? { verdict: "confirmed", because: `the output is a class score per pixel (16x16 per image) and one image holds ${num(v.distinct)} predicted classes on average; ${pct(v.acc)} of pixels are right` }
      : { verdict: "refuted", because: "one label per image" },
  },
  {
    id: "1.7b", claim: "False: CNNs are suitable for inputs with many channels.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = channelsRun(ctx);
      return {
        lines: [`${r.n} synthetic 64-channel 12x12 images (a "hyperspectral" patch whose 64-value spectrum decides the class; each channel alone is weak evidence), Conv2d(C, 16, 3) → ReLU → MaxPool2d(10) (global) → Linear(16, 2):`,
          `  all 64 channels: first layer ${r.all.firstLayer} parameters (64·3·3·16 + 16), test accuracy ${pct(r.all.acc)}`,
          `  first 3 channels only: first layer ${r.three.firstLayer} parameters, test accuracy ${pct(r.three.acc)}`],
        values: { acc64: r.all.acc, acc3: r.three.acc, params64: r.all.firstLayer },
      };
    },
    judge: (v) => v.acc64 > 0.9 && v.acc64 > v.acc3 + 0.1
      ? { verdict: "confirmed", because: `the CNN uses all 64 channels (${pct(v.acc64)} vs ${pct(v.acc3)} with 3); a channel only adds 3·3 weights per filter (${v.params64} in the first layer)` }
      : { verdict: "depends", because: `64 channels ${pct(v.acc64)}, 3 channels ${pct(v.acc3)}` },
  },
  {
    id: "1.7d", claim: "False: rescaling inputs from [0,255] to [0,1] does not mitigate overfitting.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = scaleOverfitRun(ctx);
      const row = (k: string, x: { trainAcc: number; valAcc: number }): string => `  ${k}  train ${pct(x.trainAcc)}  val ${pct(x.valAcc)}  gap ${pct(x.trainAcc - x.valAcc)}`;
      return {
        lines: [`MLP 784-H-H-10 on the small MNIST subset, Adam (lr 1e-3, scale-free updates), ${r.steps} steps:`, row("[0,1]:  ", r.unit), row("[0,255]:", r.raw),
          `same function class: a net on x/255 equals the net with its first weights divided by 255 on x (largest output difference ${num(r.equivalence)}), so the rescaling changes the optimisation, not what the network can memorise`],
        values: { gapUnit: r.unit.trainAcc - r.unit.valAcc, gapRaw: r.raw.trainAcc - r.raw.valAcc, trainUnit: r.unit.trainAcc, equivalence: r.equivalence },
      };
    },
    judge: (v) => v.equivalence < 1e-3 && v.gapUnit >= v.gapRaw - 0.02
      ? { verdict: "confirmed", because: `the [0,1] network overfits as much (train-val gap ${pct(v.gapUnit)} vs ${pct(v.gapRaw)} for [0,255]); the two input scales give the same family of functions` }
      : { verdict: "depends", because: `what the network can memorise is the same (identical function class; both fit ${pct(v.trainUnit)} of the training digits), but through the optimiser the scale matters: Adam's first-layer steps are 255x larger relative to [0,255] inputs, and that run's gap is ${pct(v.gapRaw)} vs ${pct(v.gapUnit)} for [0,1]. Rescaling is input conditioning; overfitting is fought with data, augmentation, dropout or weight decay` },
  },
  {
    id: "1.8a", claim: "True: data augmentation generates additional training data.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = rotationRun(ctx);
      // Distinct tensors among the originals and the rotated pool (exact byte comparison).
      const key = (t: Tensor): string => Buffer.from(new Float32Array(t.contiguous().data()).buffer).toString("base64");
      const seen = new Set<string>();
      for (let i = 0; i < r.n; i++) seen.add(key(r.train.images.select(0, i)));
      const originals = seen.size;
      for (let i = 0; i < r.poolSize; i++) seen.add(key(r.pool.select(0, i)));
      return {
        lines: [`1.7a's training set: ${r.n} digits; RandomRotation(30) drawn ${r.poolSize / r.n} times per digit gives ${r.poolSize} rotated images with the same labels`,
          `distinct inputs: ${originals} originals, ${seen.size} with the rotated copies (${seen.size - originals} new ones)`,
          `trained on them, accuracy on rotated validation digits: ${pct(r.aug.rotated)} vs ${pct(r.plain.rotated)} from the originals alone`],
        values: { originals, distinct: seen.size, pool: r.poolSize, augRot: r.aug.rotated, plainRot: r.plain.rotated },
      };
    },
    judge: (v) => v.distinct === v.originals + v.pool && v.augRot > v.plainRot
      ? { verdict: "confirmed", because: `${v.pool} new, distinct, labelled training inputs from ${v.originals} originals, and they teach what the originals do not (rotated accuracy ${pct(v.augRot)} vs ${pct(v.plainRot)})` }
      : { verdict: "depends", because: `${v.distinct - v.originals} new inputs; rotated accuracy ${pct(v.augRot)} vs ${pct(v.plainRot)}` },
  },
  {
    id: "1.8c", claim: "False: augmentation is not only for images.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = signalAugRun(ctx);
      return {
        lines: [`1-D sensor signals (32 samples; an up-then-down vs a down-then-up pulse at a random time, in noise), MLP 32-64-2, 500 full-batch Adam steps on only ${r.nTrain} signals:`,
          `  no augmentation:               train ${pct(r.plain.train)}, test ${pct(r.plain.test)} (1000 held-out signals)`,
          `  random time shift per step:    train ${pct(r.aug.train)}, test ${pct(r.aug.test)}`],
        values: { plainTest: r.plain.test, augTest: r.aug.test, plainGap: r.plain.train - r.plain.test, augGap: r.aug.train - r.aug.test },
      };
    },
    judge: (v) => v.augTest > v.plainTest + 0.05
      ? { verdict: "confirmed", because: `on 1-D signals a label-preserving time shift raises test accuracy ${pct(v.plainTest)} → ${pct(v.augTest)} (train-test gap ${pct(v.plainGap)} → ${pct(v.augGap)})` }
      : { verdict: "depends", because: `test accuracy ${pct(v.plainTest)} → ${pct(v.augTest)} with the time shift: no clear gain at this size` },
  },
  {
    id: "1.8d", claim: "False: augmentation is not applied to the test set.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = rotationRun(ctx);
      const spread = Math.max(...r.aug.draws) - Math.min(...r.aug.draws);
      return {
        lines: [`the 1.7a models on 400 validation digits:`,
          `  trained WITHOUT augmentation: ${pct(r.plain.upright)} on the test digits as they are, ${pct(r.plain.rotated)} on the same digits rotated (augmenting only the test set measures another distribution and trains nothing)`,
          `  trained WITH rotations:      ${pct(r.aug.upright)} as they are, ${pct(r.aug.rotated)} rotated`,
          `  three random-rotation draws of the test set score ${r.aug.draws.map((d) => pct(d)).join(", ")}: an augmented test set gives a different number at each evaluation`],
        values: { plainUp: r.plain.upright, plainRot: r.plain.rotated, augRot: r.aug.rotated, spread },
      };
    },
    judge: (v) => v.plainRot < v.plainUp - 0.05 && v.augRot > v.plainRot && v.spread > 0
      ? { verdict: "confirmed", because: `augmentation helps where it is trained on (rotated ${pct(v.augRot)} vs ${pct(v.plainRot)}); applied to the test set alone it lowers the score (${pct(v.plainUp)} → ${pct(v.plainRot)}) and makes it random (spread ${pct(v.spread)} over three draws)` }
      : { verdict: "depends", because: `plain model ${pct(v.plainUp)} upright vs ${pct(v.plainRot)} rotated; spread ${pct(v.spread)}` },
  },
  {
    id: "1.9c", claim: "False: dropout is not only for CNNs.", fidelity: "faithful", file: FILE,
    run: dropoutEverywhere,
    judge: (v) => v.valDrop > v.valPlain && v.memDrop < v.memPlain && v.lstmTrainDiff > 1e-3 && v.lstmEvalDiff === 0
      ? { verdict: "confirmed", because: `in an MLP dropout raises validation accuracy ${pct(v.valPlain)} → ${pct(v.valDrop)} and memorises fewer wrong labels (${pct(v.memPlain)} → ${pct(v.memDrop)}); an LSTM applies it between its layers in training (outputs vary by ${num(v.lstmTrainDiff)}) and not in eval` }
      : { verdict: "depends", because: `MLP validation ${pct(v.valPlain)} → ${pct(v.valDrop)} with dropout; LSTM train-mode variation ${num(v.lstmTrainDiff)}` },
  },
  {
    id: "1.9d", claim: "True: dropout stops the network memorising specific samples and promotes generic features.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = memorisationRun(ctx);
      const row = (k: string, x: { memorised: number; recovered: number; val: number }): string => `  ${k}  wrong labels learnt ${pct(x.memorised).padStart(6)}   true digit predicted ${pct(x.recovered).padStart(6)}   validation ${pct(x.val)}`;
      return {
        lines: [`MLP 784-128-128-10 on ${r.n} MNIST digits, ${r.flipped} of them (30%) relabelled as a random wrong digit; accuracy on those ${r.flipped} relabelled training digits:`,
          row("no dropout:  ", r.plain), row("Dropout(0.5):", r.drop)],
        values: { memPlain: r.plain.memorised, memDrop: r.drop.memorised, valPlain: r.plain.val, valDrop: r.drop.val, recPlain: r.plain.recovered, recDrop: r.drop.recovered },
      };
    },
    judge: (v) => v.memDrop < v.memPlain - 0.1 && v.valDrop >= v.valPlain
      ? { verdict: "confirmed", because: `with dropout the network learns ${pct(v.memDrop)} of the wrong labels (vs ${pct(v.memPlain)}), predicts the true digit for ${pct(v.recDrop)} of them (vs ${pct(v.recPlain)}) and validates at ${pct(v.valDrop)} (vs ${pct(v.valPlain)})` }
      : { verdict: "depends", because: `wrong labels learnt ${pct(v.memDrop)} with dropout vs ${pct(v.memPlain)}; validation ${pct(v.valDrop)} vs ${pct(v.valPlain)}` },
  },
];
