/**
 * More of exam Problem 1: sequences (1.2a/b/d, from examples/sequence-models.ts and an RNN), attention
 * (1.3a: a self-attention layer learns to look at the marked token; 1.3d: without positional
 * encoding a Transformer layer ignores token order), segmentation heads (1.6c), rotation
 * augmentation on MNIST (1.7a, 1.8b) and what dropout zeroes (1.9a).
 *
 *   node --import tsx src/cli/main.ts exam 1.3a
 */
import { Generator, Tensor, cat, noGrad, randn, randperm, nn, optim, tensor } from "../../src/index.js";
import { DataLoader, RandomRotation, SyntheticSegmentationDataset, functional as TF } from "../../src/data/index.js";
import { main as sequences } from "../sequence-models.js";
import { UNet, perClassIou } from "../unet-segmentation.js";
import { mnistSubset } from "../common.js";
import { mean, num, pct, shared, type ExamItem, type RunContext } from "./item.js";

const FILE = "examples/exam/p1-more.ts";
const seqRun = shared((ctx: RunContext) => sequences({ steps: ctx.tiny ? 200 : 300, log: () => {} }));

/** 1.3a: 8 tokens of 6 features; one token is marked (feature 5 = 1); the target at every position is the marked token's features 0-3. */
function markedBatch(n: number, g: Generator): { x: Tensor; y: Tensor; marked: number[] } {
  const x = randn([8, n, 6], { generator: g }).mul(tensor([1, 1, 1, 1, 0, 0]));
  const marked = Array.from({ length: n }, () => Math.floor(g.random() * 8));
  const flagData = new Float32Array(8 * n * 6);
  marked.forEach((p, i) => { flagData[(p * n + i) * 6 + 5] = 1; });
  const flag = Tensor.fromArray(flagData, [8, n, 6], "float32");
  const xs = x.add(flag);
  const y = noGrad(() => cat(marked.map((p, i) => xs.get(p, i).narrow(0, 0, 4).unsqueeze(0)))); // [n, 4]
  return { x: xs, y: y.unsqueeze(0).expand([8, n, 4]), marked };
}

const attentionRun = shared((ctx: RunContext) => {
  const g = new Generator(ctx.seed + 60);
  const attn = new nn.MultiheadAttention(6, 1, { generator: g });
  const head = new nn.Linear(6, 4, { generator: g });
  const opt = new optim.Adam([...attn.parameters(), ...head.parameters()], { lr: 1e-2 });
  const weightOnMarked = (): number => noGrad(() => {
    const b = markedBatch(64, new Generator(ctx.seed + 61));
    const [, w] = attn.call(b.x, b.x, b.x); // [N, L, S]
    let s = 0;
    b.marked.forEach((p, i) => { for (let q = 0; q < 8; q++) s += w!.get(i, q, p).item(); });
    return s / (64 * 8);
  });
  const before = weightOnMarked();
  const losses: number[] = [];
  for (let step = 0; step < (ctx.tiny ? 200 : 500); step++) {
    const b = markedBatch(32, g);
    opt.zeroGrad();
    const [out] = attn.call(b.x, b.x, b.x);
    const loss = nn.functional.mseLoss(head.call(out), b.y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  const b = markedBatch(1, new Generator(ctx.seed + 62));
  const [, w] = noGrad(() => attn.call(b.x, b.x, b.x));
  return { before, after: weightOnMarked(), losses, map: w!.select(0, 0).tolist() as number[][], marked: b.marked[0] };
});

/** 1.7a/1.8b: an MLP on MNIST with and without ±30° rotations, tested upright and rotated. */
export const rotationRun = shared((ctx: RunContext) => {
  const n = ctx.tiny ? 400 : 800;
  const train = mnistSubset({ n, seed: ctx.seed + 70 });
  const val = mnistSubset({ n: 400, seed: ctx.seed + 70, skip: n });
  const rg = new Generator(ctx.seed + 71);
  const rotateAll = (): Tensor => noGrad(() => cat(Array.from({ length: 400 }, (_, i) => TF.rotate(val.images.select(0, i), -30 + 60 * rg.random(), "bilinear").unsqueeze(0))));
  // Three random-rotation draws of the validation set: the first is 1.7a's "rotated" set, all three show
  // how a randomly augmented test set scores differently on each evaluation (1.8d).
  const draws = [rotateAll(), rotateAll(), rotateAll()];
  const rotated = draws[0];
  const steps = ctx.tiny ? 400 : 800;
  const K = ctx.tiny ? 3 : 6;
  const rot = new RandomRotation(30, { interpolation: "bilinear", generator: new Generator(ctx.seed + 73) });
  const pool = noGrad(() => cat(Array.from({ length: K * n }, (_, j) => (rot.apply({ image: train.images.select(0, j % n) }) as { image: Tensor }).image.unsqueeze(0))));
  const runOne = (augment: boolean) => {
    const g = new Generator(ctx.seed + 72);
    const net = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128, { generator: g }), new nn.ReLU(), new nn.Linear(128, 10, { generator: g }));
    const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
    for (let s = 0; s < steps; s++) {
      const idx = randperm(n, { generator: g }).narrow(0, 0, 32);
      // Augmented: each step draws from K rotated copies of every image (RandomRotation(30) applied
      // K times up front: rotating 32 images per step in plain TypeScript would dominate the run).
      const copy = augment ? Math.floor(g.random() * K) : 0;
      const x = (augment ? pool : train.images).indexSelect(0, augment ? idx.add(copy * n).int() : idx);
      opt.zeroGrad();
      nn.functional.crossEntropy(net.call(x), train.labels.indexSelect(0, idx)).backward();
      opt.step();
    }
    const acc = (x: Tensor, y: Tensor): number => noGrad(() => net.call(x).argmax(1).eq(y).float().mean().item());
    return { train: acc(train.images, train.labels), upright: acc(val.images, val.labels), rotated: acc(rotated, val.labels), draws: draws.map((d) => acc(d, val.labels)) };
  };
  return { plain: runOne(false), aug: runOne(true), n, steps, poolSize: K * n, pool, train };
});

/**
 * 1.6: a U-Net segmenter trained on normally lit synthetic shapes, evaluated as they are, darker,
 * noisier and coarser (1.6d), with its per-pixel output (1.6b). With `shuffledMasks` every image is
 * trained against ANOTHER image's mask: the same architecture, loss and steps without the labels
 * that belong to the pixels (1.6a).
 */
function segRun(ctx: RunContext, shuffledMasks: boolean) {
  const size = 16, classes = 4;
  const trainSet = new SyntheticSegmentationDataset({ length: ctx.tiny ? 96 : 192, numClasses: classes, height: size, width: size, seed: ctx.seed + 80 });
  const valSet = new SyntheticSegmentationDataset({ length: 48, numClasses: classes, height: size, width: size, seed: ctx.seed + 81 });
  type Seg = { image: Tensor; mask: Tensor };
  const val = [...new DataLoader(valSet, { batchSize: 48 })][0] as Seg;
  const model = new UNet(3, classes, { width: 8, generator: new Generator(ctx.seed + 82) });
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const loader = new DataLoader(trainSet, { batchSize: 16, shuffle: true, generator: new Generator(ctx.seed + 83) });
  for (let e = 0; e < (ctx.tiny ? 5 : 8); e++) {
    for (const b of loader as Iterable<Seg>) {
      // roll(1) pairs image i with mask i−1 of the batch: every mask is a real mask, just not this image's.
      const mask = shuffledMasks ? b.mask.roll(1, 0) : b.mask;
      opt.zeroGrad();
      nn.functional.crossEntropy(model.train().call(b.image), mask).backward();
      opt.step();
    }
  }
  const score = (x: Tensor): { acc: number; iou: number } => noGrad(() => {
    const pred = model.eval().call(x).argmax(1);
    const iou = perClassIou(pred.data(), val.mask.data(), classes).filter((v) => !Number.isNaN(v));
    return { acc: pred.eq(val.mask).float().mean().item(), iou: iou.reduce((a, b) => a + b, 0) / iou.length };
  });
  const out = noGrad(() => model.eval().call(val.image));
  const pred = out.argmax(1);
  const distinct = mean(Array.from({ length: 48 }, (_, i) => new Set(pred.select(0, i).data()).size));
  // The majority-class baseline: predicting the most frequent class of the training masks everywhere.
  const counts = new Array(classes).fill(0);
  for (let i = 0; i < trainSet.length; i++) for (const c of (trainSet.getItem(i) as Seg).mask.data()) counts[c]++;
  const majority = counts.indexOf(Math.max(...counts));
  return {
    outShape: out.shape, distinct, majorityAcc: noGrad(() => val.mask.eq(majority).float().mean().item()),
    first: { pred: pred.select(0, 0), truth: val.mask.select(0, 0), image: val.image.select(0, 0) },
    normal: score(val.image),
    dark: score(noGrad(() => val.image.mul(0.4))),
    noisy: score(noGrad(() => val.image.add(randn(val.image.shape, { generator: new Generator(ctx.seed + 84) }).mul(0.25)).clamp(0, 1))),
    // Lower quality: half the resolution (2x2 average), shown at the original size.
    coarse: score(noGrad(() => nn.functional.interpolate(val.image.reshape([48, 3, 8, 2, 8, 2]).mean([3, 5]), { scaleFactor: 2, mode: "nearest" }))),
  };
}
export const lightingRun = shared((ctx: RunContext) => segRun(ctx, false));
export const unlabelledSegRun = shared((ctx: RunContext) => segRun(ctx, true));

export const items: ExamItem[] = [
  {
    id: "1.2a", claim: "True: RNNs process sequential data of variable length.", fidelity: "faithful", file: "examples/sequence-models.ts",
    run(ctx) {
      const r = seqRun(ctx);
      const truth = [0.75, 0.875, 1.875];
      return { lines: [`one LSTM (${r.params} parameters) trained on sums of 2-8 numbers, asked for sums of 2, 3 and 5: ${r.answers.map((a) => num(a)).join(", ")} (true ${truth.join(", ")})`], values: { maxErr: Math.max(...r.answers.map((a, i) => Math.abs(a - truth[i]))) } };
    },
    judge: (v) => v.maxErr < 0.2 ? { verdict: "confirmed", because: `the same weights answer every length (largest error ${num(v.maxErr)})` } : { verdict: "depends", because: `largest error ${num(v.maxErr)}: not trained enough` },
  },
  {
    id: "1.2b", claim: "True: an RNN's hidden state carries information across time steps.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const rnn = new nn.RNN(1, 8, { generator: new Generator(ctx.seed) });
      const a = tensor([[[1]], [[0]], [[0]], [[0]], [[0]]]), b = tensor([[[-1]], [[0]], [[0]], [[0]], [[0]]]);
      const [oa] = noGrad(() => rnn.call(a)), [ob] = noGrad(() => rnn.call(b));
      const d = noGrad(() => oa.select(0, 4).sub(ob.select(0, 4)).abs().max().item());
      return { lines: [`two sequences that differ only in the first step (1 vs −1, then four zeros): the outputs at step 5 differ by ${num(d)}`], values: { d } };
    },
    judge: (v) => v.d > 1e-4 ? { verdict: "confirmed", because: `step 5's output still depends on step 1 (difference ${num(v.d)}), through the hidden state only` } : { verdict: "refuted", because: "no dependence" },
  },
  {
    id: "1.2d", claim: "False: an RNN does not use different weights per cell; the same matrices are reused at every step.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const rnn = new nn.RNN(4, 8, { generator: new Generator(ctx.seed) });
      const count = rnn.parameters().reduce((s, p) => s + p.numel(), 0);
      const x5 = randn([5, 1, 4]), x50 = randn([50, 1, 4]);
      noGrad(() => { rnn.call(x5); rnn.call(x50); });
      return { lines: [`nn.RNN(4, 8): ${count} parameters (${rnn.namedParameters().map(([k, p]) => `${k} [${p.shape.join(",")}]`).join(", ")}), the same for a 5-step and a 50-step sequence`], values: { count } };
    },
    judge: (v) => v.count === 4 * 8 + 8 * 8 + 8 + 8 ? { verdict: "confirmed", because: `${v.count} parameters whatever the length: one weight_ih, one weight_hh` } : { verdict: "refuted", because: `${v.count} parameters` },
  },
  {
    id: "1.3a", claim: "True: self-attention captures relationships between the tokens of the input.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = attentionRun(ctx);
      const row = (q: number): string => `  query ${q}: ${r.map[q].map((w) => w.toFixed(2)).join(" ")}`;
      return {
        lines: ["one self-attention layer (nn.MultiheadAttention, 1 head) must output, at every position, the features of the one marked token among 8:",
          `  mean attention weight on the marked token: ${num(r.before)} before training (≈ 1/8), ${num(r.after)} after`,
          `attention map of one sequence after training (rows: queries, columns: keys; token ${r.marked} is marked):`, ...[0, 1, 2, 3].map(row)],
        values: { before: r.before, after: r.after },
        plots: [{ title: "training MSE", series: { loss: r.losses }, logY: true }],
      };
    },
    judge: (v) => v.after > 0.6 && v.before < 0.3 ? { verdict: "confirmed", because: `every query learnt to attend to the marked token (${num(v.after)} of the weight, from ${num(v.before)})` } : { verdict: "depends", because: `weight on the marked token ${num(v.after)}` },
  },
  {
    id: "1.3d", claim: "False: Transformers need positional encoding; attention alone does not see token order.", fidelity: "faithful", file: "examples/sequence-models.ts",
    run(ctx) { const r = seqRun(ctx); return { lines: [`TransformerEncoderLayer on 5 permuted tokens: |f(P·x) − P·f(x)| = ${num(r.withoutPe)} without positional encoding, ${num(r.withPe)} with it`], values: { without: r.withoutPe, with: r.withPe } }; },
    judge: (v) => v.without < 1e-5 && v.with > 1e-2 ? { verdict: "confirmed", because: "without positions, permuting the input only permutes the output: order is invisible" } : { verdict: "refuted", because: `gaps ${num(v.without)} / ${num(v.with)}` },
  },
  {
    id: "1.6c", claim: "False: a segmentation network cannot switch to a different number of classes without changing its architecture (the output layer).", fidelity: "faithful", file: FILE,
    run() {
      const four = new UNet(3, 4, { width: 4, generator: new Generator(1) });
      const six = new UNet(3, 6, { width: 4, generator: new Generator(2) });
      let err = "";
      try { six.loadStateDict(four.stateDict()); } catch (e) { err = (e as Error).message.split("\n")[0]; }
      const sd = four.stateDict();
      delete sd["head.weight"]; delete sd["head.bias"];
      let partial = "";
      try { six.loadStateDict(sd, { strict: false }); partial = "loaded"; } catch (e) { partial = (e as Error).message.split("\n")[0]; }
      const out = noGrad(() => six.call(randn([1, 3, 8, 8]))).shape;
      return { lines: [`UNet with 4 classes → 6 classes: loading its weights fails: ${err.slice(0, 150)}`, `all weights but the 1x1 head load (${partial}); the new head gives [${out.join(",")}]: 6 class maps`], values: { fails: err ? 1 : 0, classes: out[1] } };
    },
    judge: (v) => v.fails === 1 && v.classes === 6 ? { verdict: "confirmed", because: "the class count is the output layer's width: only the head has to change (and be retrained)" } : { verdict: "refuted", because: "the weights loaded unchanged" },
  },
  {
    id: "1.6d", claim: "True: lighting conditions and image quality influence a segmentation model's precision.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = lightingRun(ctx);
      const row = (k: string, v: { acc: number; iou: number }): string => `  ${k.padEnd(32)} pixel accuracy ${pct(v.acc).padStart(6)}   mean IoU ${num(v.iou)}`;
      return { lines: ["a U-Net trained on normally lit synthetic shapes (16x16, 4 classes), validated on the same 48 images:", row("as trained", r.normal), row("darker (x0.4 brightness)", r.dark), row("noisier (+ N(0, 0.25²) per pixel)", r.noisy), row("half resolution (2x2 averaged)", r.coarse)],
        values: { normal: r.normal.acc, dark: r.dark.acc, noisy: r.noisy.acc, coarse: r.coarse.acc } };
    },
    judge: (v) => {
      const why = `pixel accuracy ${pct(v.normal)} as trained, ${pct(v.dark)} darker, ${pct(v.noisy)} noisier, ${pct(v.coarse)} at half resolution`;
      const hurt = (["dark", "noisy", "coarse"] as const).filter((k) => v[k] < v.normal - 0.03);
      const names = { dark: "darker lighting", noisy: "noise", coarse: "lower resolution" };
      return hurt.length ? { verdict: "confirmed", because: `${why}: ${hurt.map((k) => names[k]).join(" and ")} cost precision${hurt.length < 3 ? `; ${(["dark", "noisy", "coarse"] as const).filter((k) => !hurt.includes(k)).map((k) => names[k]).join(" and ")} did not at this strength` : ""}` } : { verdict: "refuted", because: why };
    },
  },
  {
    id: "1.7a", claim: "True: random rotations in [−30°, 30°] are appropriate augmentation for MNIST.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = rotationRun(ctx);
      return { lines: [`MLP on ${r.n} digits, ${r.steps} Adam steps, validation on 400 other digits upright and rotated by a random angle in ±30°:`,
        `  no augmentation:        upright ${pct(r.plain.upright)}, rotated ${pct(r.plain.rotated)}`,
        `  RandomRotation(30):     upright ${pct(r.aug.upright)}, rotated ${pct(r.aug.rotated)}`],
      values: { plainRot: r.plain.rotated, augRot: r.aug.rotated, plainUp: r.plain.upright, augUp: r.aug.upright } };
    },
    judge: (v) => v.augRot > v.plainRot && v.augUp > v.plainUp - 0.03 ? { verdict: "confirmed", because: `rotated digits ${pct(v.augRot)} vs ${pct(v.plainRot)}, upright ones kept (${pct(v.augUp)} vs ${pct(v.plainUp)}): ±30° keeps labels valid (a 6 does not become a 9)` }
      : { verdict: "depends", because: `rotated ${pct(v.augRot)} vs ${pct(v.plainRot)}, upright ${pct(v.augUp)} vs ${pct(v.plainUp)}` },
  },
  {
    id: "1.8b", claim: "True: augmentation reduces overfitting by introducing variation into the training data.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = rotationRun(ctx);
      return { lines: [`the 1.7a runs: train / validation (upright) accuracy ${pct(r.plain.train)} / ${pct(r.plain.upright)} without augmentation, ${pct(r.aug.train)} / ${pct(r.aug.upright)} with ±30° rotations`],
        values: { gapPlain: r.plain.train - r.plain.upright, gapAug: r.aug.train - r.aug.upright } };
    },
    judge: (v) => v.gapAug < v.gapPlain ? { verdict: "confirmed", because: `the train-validation gap falls from ${pct(v.gapPlain)} to ${pct(v.gapAug)}` } : { verdict: "depends", because: `gap ${pct(v.gapAug)} with vs ${pct(v.gapPlain)} without` },
  },
  {
    id: "1.9a", claim: "False: dropout does not add noise to the input data; it zeroes a layer's outputs (and scales the rest by 1/(1−p)).", fidelity: "faithful", file: FILE,
    run(ctx) {
      const d = new nn.Dropout(0.5);
      d.generator = new Generator(ctx.seed);
      const y = noGrad(() => d.call(tensor(new Array(1000).fill(1)))).tolist() as number[];
      const zerosN = y.filter((v) => v === 0).length, twos = y.filter((v) => v === 2).length;
      d.eval();
      const e = noGrad(() => d.call(tensor([1, 1, 1]))).tolist() as number[];
      return { lines: [`Dropout(0.5) on 1000 ones in training mode: ${zerosN} zeros, ${twos} values of 2, nothing else; in eval mode: [${e.join(", ")}]`], values: { zeros: zerosN, twos, other: 1000 - zerosN - twos } };
    },
    judge: (v) => v.other === 0 && v.zeros > 400 && v.zeros < 600 ? { verdict: "confirmed", because: `units are either dropped (${v.zeros}) or scaled to 2 (${v.twos}): no additive noise` } : { verdict: "refuted", because: `${v.other} other values` },
  },
];
