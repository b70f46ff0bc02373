/**
 * Exam Problem 1 (multiple choice): every statement with the solution's mark, as a claim. Where a
 * run can show it: autoencoders on non-image data without labels (1.1a-c), batch norm (1.4), XOR
 * with and without a non-linearity (1.5b), input scale (1.7c) and dropout (1.9a/b) are here; sequences
 * and attention are in p1-more.ts and p1-seq.ts, the statements about definitions and scope (1.1d,
 * 1.5a/c, 1.6a/b, 1.7b/d, 1.8, 1.9c/d) each get their own small run in p1-concepts.ts.
 *
 *   node --import tsx src/cli/main.ts exam 1.4b
 */
import { Generator, Tensor, noGrad, randn, randperm, tensor, nn, optim } from "../../src/index.js";
import { boxingMatches } from "../exam-p4-l2-collapse.js";
import { mnistSubset } from "../common.js";
import { last, num, pct, shared, type ExamItem, type RunContext } from "./item.js";

const FILE = "examples/exam/p1.ts";

/** Unlabelled 16-feature boxing data through a 16-4-16 autoencoder (1.1). */
const tabularAe = shared((ctx: RunContext) => {
  const { x } = boxingMatches(ctx.tiny ? 400 : 1000, ctx.seed);
  const mu = x.mean(0, true), sd = x.std(0, { keepdim: true }).add(1e-6);
  const z = x.sub(mu).div(sd);
  const g = new Generator(ctx.seed + 1);
  const enc = new nn.Sequential(new nn.Linear(16, 32, { generator: g }), new nn.ReLU(), new nn.Linear(32, 4, { generator: g }));
  const dec = new nn.Sequential(new nn.Linear(4, 32, { generator: g }), new nn.ReLU(), new nn.Linear(32, 16, { generator: g }));
  const opt = new optim.Adam([...enc.parameters(), ...dec.parameters()], { lr: 1e-2 });
  const curve: number[] = [];
  for (let s = 0; s < (ctx.tiny ? 150 : 400); s++) {
    opt.zeroGrad();
    const loss = nn.functional.mseLoss(dec.call(enc.call(z)), z); // the loss compares the input with itself: no labels
    loss.backward();
    opt.step();
    curve.push(loss.item());
  }
  return { curve, explained: 1 - last(curve) / noGrad(() => z.var().item()) };
});

/** A small MNIST MLP run: `variant` changes one thing (1.4, 1.7, 1.9). */
export const mnistData = shared((ctx: RunContext) => ({
  train: mnistSubset({ n: ctx.tiny ? 300 : 600, seed: ctx.seed + 30 }),
  val: mnistSubset({ n: 500, seed: ctx.seed + 30, skip: ctx.tiny ? 300 : 600 }),
}));

export function mlpRun(ctx: RunContext, o: { bn?: boolean; dropout?: number; initScale?: number; scale255?: boolean; steps: number; lr: number; opt?: "sgd" | "adam" }): { loss: number[]; trainAcc: number; valAcc: number; msPerStep: number } {
  const { train, val } = mnistData(ctx);
  const g = new Generator(ctx.seed + 31);
  const H = ctx.tiny ? 64 : 128;
  const layers: nn.AnyModule[] = [new nn.Flatten(), new nn.Linear(784, H, { generator: g })];
  if (o.bn) layers.push(new nn.BatchNorm1d(H));
  layers.push(new nn.ReLU());
  if (o.dropout) layers.push(new nn.Dropout(o.dropout));
  layers.push(new nn.Linear(H, H, { generator: g }));
  if (o.bn) layers.push(new nn.BatchNorm1d(H));
  layers.push(new nn.ReLU());
  if (o.dropout) layers.push(new nn.Dropout(o.dropout));
  layers.push(new nn.Linear(H, 10, { generator: g }));
  const net = new nn.Sequential(...layers);
  if (o.initScale !== undefined) noGrad(() => { for (const p of net.parameters()) if (p.ndim === 2) p.mul_(o.initScale!); });
  const k = o.scale255 ? 255 : 1;
  const opt = o.opt === "adam" ? new optim.Adam(net.parameters(), { lr: o.lr }) : new optim.SGD(net.parameters(), { lr: o.lr, momentum: 0.9 });
  const n = train.labels.shape[0];
  const loss: number[] = [];
  const t0 = performance.now();
  for (let s = 0; s < o.steps; s++) {
    const idx = randperm(n, { generator: g }).narrow(0, 0, 32);
    net.train();
    opt.zeroGrad();
    const l = nn.functional.crossEntropy(net.call(train.images.indexSelect(0, idx).mul(k)), train.labels.indexSelect(0, idx));
    l.backward();
    opt.step();
    loss.push(l.item());
  }
  const msPerStep = (performance.now() - t0) / o.steps;
  net.eval();
  const acc = (d: { images: Tensor; labels: Tensor }): number => noGrad(() => net.call(d.images.mul(k)).argmax(1).eq(d.labels).float().mean().item());
  return { loss, trainAcc: acc(train), valAcc: acc(val), msPerStep };
}

const bnRuns = shared((ctx: RunContext) => {
  const steps = ctx.tiny ? 80 : 300;
  return {
    plain: mlpRun(ctx, { steps, lr: 0.01 }), bn: mlpRun(ctx, { steps, lr: 0.01, bn: true }),
    badPlain: mlpRun(ctx, { steps, lr: 0.01, initScale: 0.1 }), badBn: mlpRun(ctx, { steps, lr: 0.01, initScale: 0.1, bn: true }),
  };
});

export const dropRuns = shared((ctx: RunContext) => {
  const steps = ctx.tiny ? 300 : 400;
  return { plain: mlpRun(ctx, { steps, lr: 1e-3, opt: "adam" }), drop: mlpRun(ctx, { steps, lr: 1e-3, opt: "adam", dropout: 0.5 }) };
});

const smooth = (v: readonly number[], k = 20): number[] => v.map((_, i) => { const s = v.slice(Math.max(0, i - k + 1), i + 1); return s.reduce((a, b) => a + b, 0) / s.length; });
/** Steps until the smoothed loss first drops below `target` (Infinity if never). */
const stepsTo = (v: readonly number[], target: number): number => { const s = smooth(v); const i = s.findIndex((x) => x < target); return i < 0 ? Infinity : i + 1; };

const aeClaim = (id: string, claim: string): ExamItem => ({
  id, claim, fidelity: "faithful", file: FILE,
  run(ctx) {
    const r = tabularAe(ctx);
    return {
      lines: [`a 16→4→16 autoencoder on ${ctx.tiny ? 400 : 1000} boxing matches (16 numeric features, not an image), trained on the inputs alone (no label is read):`, `  reconstruction MSE ${num(r.curve[0])} → ${num(last(r.curve))} on standardised features; the 4-number code keeps ${pct(r.explained)} of the variance`],
      values: { explained: r.explained, labels: 0 },
      plots: [{ title: "reconstruction MSE (no labels)", series: { loss: r.curve } }],
    };
  },
  judge: (v) => v.explained > 0.5 ? { verdict: "confirmed", because: `trained without labels on tabular data, a 4-d code (of 16) keeps ${pct(v.explained)} of the variance` } : { verdict: "depends", because: `only ${pct(v.explained)} of the variance kept` },
});

export const items: ExamItem[] = [
  aeClaim("1.1a", "False: autoencoders are not limited to images (other data types work too)."),
  aeClaim("1.1b", "True: autoencoders can be used for dimensionality reduction."),
  aeClaim("1.1c", "False: autoencoders need no labelled data (the input is the target)."),
  {
    id: "1.4a", claim: "False: batch norm does not speed up processing a single batch (it adds work).", fidelity: "faithful", file: FILE,
    run(ctx) { const r = bnRuns(ctx); return { lines: [`MLP 784-H-H-10 (H = ${ctx.tiny ? 64 : 128}) on MNIST, batch 32, one training step: ${num(r.plain.msPerStep)} ms without BN, ${num(r.bn.msPerStep)} ms with BN (this machine, CPU)`], values: { plain: r.plain.msPerStep, bn: r.bn.msPerStep } }; },
    judge: (v) => v.bn >= 0.95 * v.plain ? { verdict: "confirmed", because: `a step costs ${num(v.bn)} ms with BN vs ${num(v.plain)} ms without: no faster` } : { verdict: "refuted", because: `BN step ${num(v.bn)} ms < ${num(v.plain)} ms` },
  },
  {
    id: "1.4b", claim: "True: batch norm accelerates training in most cases.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = bnRuns(ctx);
      return { lines: [`SGD (lr 0.01, momentum 0.9), ${r.plain.loss.length} steps: steps to a smoothed loss of 0.5: ${stepsTo(r.plain.loss, 0.5)} without BN, ${stepsTo(r.bn.loss, 0.5)} with BN; val accuracy ${pct(r.plain.valAcc)} vs ${pct(r.bn.valAcc)}`],
        values: { plain: stepsTo(r.plain.loss, 0.5), bn: stepsTo(r.bn.loss, 0.5) }, plots: [{ title: "training loss (smoothed)", series: { "no BN": smooth(r.plain.loss), BN: smooth(r.bn.loss) } }] };
    },
    judge: (v) => v.bn < v.plain ? { verdict: "confirmed", because: `loss 0.5 reached in ${v.bn} steps with BN vs ${v.plain} without` } : { verdict: "depends", because: `with BN ${v.bn} steps, without ${v.plain}: not faster on this small MLP` },
  },
  {
    id: "1.4c", claim: "False: batch norm is not skipped at test time (it uses the running statistics).", fidelity: "faithful", file: FILE,
    run(ctx) {
      const bn = new nn.BatchNorm1d(3);
      const x = randn([64, 3], { generator: new Generator(ctx.seed) }).mul(4).add(10);
      bn.train(); bn.call(x); bn.eval();
      const y = noGrad(() => bn.call(tensor([[10, 10, 10]])));
      const rm = bn.runningMean!.tolist() as number[];
      return { lines: [`after one training batch (mean ≈ 10), running_mean = [${rm.map((v) => num(v)).join(", ")}]; in eval mode BN([10,10,10]) = [${(y.tolist() as number[][])[0].map((v) => num(v)).join(", ")}] (skipping it would give 10)`], values: { out: (y.tolist() as number[][])[0][0] } };
    },
    judge: (v) => Math.abs(v.out - 10) > 1 ? { verdict: "confirmed", because: `eval-mode BN transforms its input (10 → ${num(v.out)}) with stored statistics` } : { verdict: "refuted", because: "BN passed the input through" },
  },
  {
    id: "1.4d", claim: "True: batch norm reduces the impact of a poor weight initialisation.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = bnRuns(ctx);
      return { lines: [`weights scaled x0.1 after init (a poor init): final smoothed loss ${num(last(smooth(r.badPlain.loss)))} without BN, ${num(last(smooth(r.badBn.loss)))} with BN (good init: ${num(last(smooth(r.plain.loss)))} / ${num(last(smooth(r.bn.loss)))})`],
        values: { badPlain: last(smooth(r.badPlain.loss)), badBn: last(smooth(r.badBn.loss)) }, plots: [{ title: "training loss with a x0.1 init (smoothed)", series: { "no BN": smooth(r.badPlain.loss), BN: smooth(r.badBn.loss) } }] };
    },
    judge: (v) => v.badBn < 0.7 * v.badPlain ? { verdict: "confirmed", because: `with the poor init BN reaches ${num(v.badBn)} vs ${num(v.badPlain)} without` } : { verdict: "depends", because: `BN ${num(v.badBn)} vs ${num(v.badPlain)}` },
  },
  {
    id: "1.5b", claim: "True: activations add non-linearity, so the network can learn complex patterns (XOR).", fidelity: "faithful", file: FILE,
    run(ctx) {
      const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y = tensor([[0], [1], [1], [0]]);
      const fit = (act: boolean): number => {
        const g = new Generator(ctx.seed + 40);
        const net = new nn.Sequential(new nn.Linear(2, 8, { generator: g }), act ? new nn.Tanh() : new nn.Identity(), new nn.Linear(8, 1, { generator: g }));
        const opt = new optim.Adam(net.parameters(), { lr: 0.05 });
        for (let s = 0; s < 500; s++) { opt.zeroGrad(); nn.functional.mseLoss(net.call(x), y).backward(); opt.step(); }
        return noGrad(() => nn.functional.mseLoss(net.call(x), y).item());
      };
      const lin = fit(false), non = fit(true);
      return { lines: [`XOR, 2-8-1 network, 500 Adam steps: MSE ${num(lin)} with no activation (a linear map: the best is 0.25, predicting 0.5 everywhere), ${num(non)} with tanh`], values: { lin, non } };
    },
    judge: (v) => v.lin > 0.2 && v.non < 0.01 ? { verdict: "confirmed", because: `linear layers alone stay at ${num(v.lin)}; with tanh the loss is ${num(v.non)}` } : { verdict: "refuted", because: `linear ${num(v.lin)}, tanh ${num(v.non)}` },
  },
  {
    id: "1.7c", claim: "False: inputs in [0, 255] do not classify better than [0, 1].", fidelity: "faithful", file: FILE,
    run(ctx) {
      const steps = ctx.tiny ? 120 : 300;
      const a = mlpRun(ctx, { steps, lr: 0.01 }), b = mlpRun(ctx, { steps, lr: 0.01, scale255: true });
      return { lines: [`same MLP and SGD (lr 0.01, momentum 0.9), ${steps} steps: val accuracy ${pct(a.valAcc)} with pixels in [0,1], ${pct(b.valAcc)} with [0,255] (final loss ${num(last(a.loss))} vs ${num(last(b.loss))})`], values: { unit: a.valAcc, raw: b.valAcc } };
    },
    judge: (v) => v.raw <= v.unit ? { verdict: "confirmed", because: `[0,255] gives ${pct(v.raw)} vs ${pct(v.unit)}: no better (worse at this lr)` } : { verdict: "refuted", because: `[0,255] ${pct(v.raw)} > ${pct(v.unit)}` },
  },
  {
    id: "1.9b", claim: "True: dropout prevents overfitting by zeroing random neurons during training.", fidelity: "faithful", file: FILE,
    run(ctx) {
      const r = dropRuns(ctx);
      const gap = (x: { trainAcc: number; valAcc: number }): number => x.trainAcc - x.valAcc;
      return { lines: [`MLP 784-H-H-10 (H = ${ctx.tiny ? 64 : 128}) on ${ctx.tiny ? 300 : 600} MNIST digits, Adam, ${r.plain.loss.length} steps: train/val accuracy ${pct(r.plain.trainAcc)} / ${pct(r.plain.valAcc)} without dropout, ${pct(r.drop.trainAcc)} / ${pct(r.drop.valAcc)} with Dropout(0.5)`],
        values: { gapPlain: gap(r.plain), gapDrop: gap(r.drop), valPlain: r.plain.valAcc, valDrop: r.drop.valAcc } };
    },
    judge: (v) => v.gapDrop < v.gapPlain && v.valDrop >= v.valPlain ? { verdict: "confirmed", because: `train-val gap ${pct(v.gapDrop)} with dropout vs ${pct(v.gapPlain)}, val accuracy ${pct(v.valDrop)} vs ${pct(v.valPlain)}` }
      : { verdict: "depends", because: `gap ${pct(v.gapDrop)} with vs ${pct(v.gapPlain)} without; val ${pct(v.valDrop)} vs ${pct(v.valPlain)}` },
  },
];
