/**
 * Exam Problem 4: predict the winner of a boxing match from two fighters' statistics.
 *
 * - 4.1: the input is the two fighters' vectors concatenated ([A, B] ≠ [B, A], so the network can
 *   tell who is who; a sum would be symmetric), into a fully connected network with one logit and
 *   BCEWithLogits.
 * - 4.7: the whole training set fits in memory, so every step is a full-batch gradient step.
 * - 4.3: Kaiming init, ReLU, SGD with L2 weight decay λ = 1 versus a small λ: the weight histograms
 *   over the epochs narrow to a spike at 0 with λ = 1 (`WeightTracker` draws and flags it).
 * - 4.4/4.5: swapping ReLU for sigmoid under Kaiming init, measured with `initReport` on a deeper
 *   stack of the same kind: the forward signal and the gradients per layer.
 *
 * The exam's lr is 1e-4. The L2 pull shrinks weights by a factor (1 − lr·λ) per step, so at 1e-4 the
 * collapse takes ~10⁴ steps; where the weights end up (the balance λ·w = −∂loss/∂w) does not depend
 * on lr. The default here is lr 0.05 so the run takes seconds; `--lr 1e-4 --epochs 30000` is the
 * exam's exact setting (and takes minutes on the js backend).
 *
 *   node --import tsx examples/exam-p4-l2-collapse.ts [--matches 2000] [--epochs 150] [--lr 0.05] [--lambda 1] [--smallLambda 1e-3]
 */
import { Generator, Tensor, noGrad, randperm, tensor, nn, optim, randn } from "../src/index.js";
import { WeightTracker, deepStack, gradientFlowReport, initReport, type WeightTrendReport } from "../src/utils/diagnostics.js";
import { barChart, linePlot } from "../src/utils/plot.js";
import { isMain, parseFlags, since, type Log } from "./common.js";

export interface P4Options {
  matches?: number;
  epochs?: number;
  lr?: number;
  /** The exam's λ (default 1). */
  lambda?: number;
  /** The sensible comparison (default 1e-3). */
  smallLambda?: number;
  /** Depth of the stack in the initialisation check (default 8; 0 skips it). */
  initDepth?: number;
  seed?: number;
  log?: Log;
}

export interface L2Run {
  lambda: number;
  trainLoss: number[];
  testAccuracy: number;
  /** L2 norm of all weight matrices at the start and the end. */
  weightNormStart: number;
  weightNormEnd: number;
  trend: WeightTrendReport;
}

export interface InitRow {
  activation: string;
  init: string;
  forwardRatio: number;
  backwardRatio: number;
  ok: boolean;
}

export interface P4Result {
  heavy: L2Run;
  light: L2Run;
  init: InitRow[];
  /** gradientFlowReport's first/last weight gradient ratio for the sigmoid + Kaiming stack. */
  gradientFirstToLast: number;
}

export const FEATURES = ["age", "matches", "wins", "weight kg", "height cm", "reach cm", "KO rate", "southpaw"];

/**
 * Synthetic fighters and matches: a hidden skill (win ratio, experience, prime age, reach, KO rate)
 * decides P(A wins) = σ(1.5·(skill_A − skill_B)). Opponents are matched by weight, like real bouts.
 */
export function boxingMatches(n: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const u = (a: number, b: number): number => a + g.random() * (b - a);
  const fighter = (weight: number): { f: number[]; skill: number } => {
    const age = u(19, 40);
    const matches = Math.round(u(3, 60));
    const ratio = Math.min(1, Math.max(0, 0.55 + 0.2 * g.normal()));
    const height = 150 + weight * 0.4 + 6 * g.normal();
    const reach = height + 4 * g.normal();
    const ko = Math.min(1, Math.max(0, 0.35 + 0.15 * g.normal()));
    const southpaw = g.random() < 0.2 ? 1 : 0;
    const skill = 3 * ratio + 0.02 * matches - 0.012 * (age - 29) ** 2 + 0.04 * (reach - height) + 1.5 * ko + 0.3 * g.normal();
    return { f: [age, matches, Math.round(ratio * matches), weight, height, reach, ko, southpaw], skill };
  };
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = u(55, 105);
    const a = fighter(w);
    const b = fighter(w + 2 * g.normal());
    const p = 1 / (1 + Math.exp(-1.5 * (a.skill - b.skill)));
    xs.push([...a.f, ...b.f]); // concatenation keeps who is who (4.1)
    ys.push(g.random() < p ? 1 : 0);
  }
  return { x: tensor(xs), y: tensor(ys).unsqueeze(1) };
}

function mlp(seed: number): nn.Sequential {
  const g = new Generator(seed);
  const net = new nn.Sequential(new nn.Linear(16, 32, { generator: g }), new nn.ReLU(), new nn.Linear(32, 16, { generator: g }), new nn.ReLU(), new nn.Linear(16, 1, { generator: g }));
  for (const m of net.modules()) {
    if (m instanceof nn.Linear) {
      nn.init.kaimingNormal_(m.weight, { nonlinearity: "relu", generator: g }); // the exam's Kaiming init
      nn.init.zeros_(m.bias!);
    }
  }
  return net;
}

function weightNorm(net: nn.Sequential): number {
  return Math.sqrt(net.parameters().filter((p) => p.ndim >= 2).reduce((a, p) => a + p.square().sum().item(), 0));
}

function train(
  data: { xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor },
  lambda: number, o: Required<Omit<P4Options, "log">>, log: Log,
): { run: L2Run; tracker: WeightTracker } {
  const net = mlp(o.seed + 1);
  const tracker = new WeightTracker(net);
  tracker.record(0);
  const weightNormStart = weightNorm(net);
  // weightDecay λ adds λ·w to every gradient: the gradient of (λ/2)·Σw², PyTorch's convention.
  const opt = new optim.SGD(net.parameters(), { lr: o.lr, weightDecay: lambda });
  const trainLoss: number[] = [];
  const every = Math.max(1, Math.round(o.epochs / 8));
  const start = performance.now();
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    opt.zeroGrad();
    const loss = nn.functional.binaryCrossEntropyWithLogits(net.call(data.xTrain), data.yTrain);
    loss.backward();
    opt.step(); // one full-batch step per epoch: the training set is in memory (4.7)
    trainLoss.push(loss.item());
    if (epoch % every === 0 || epoch === o.epochs) {
      tracker.record(epoch);
      log(`  λ=${lambda}: epoch ${String(epoch).padStart(5)}  loss ${loss.item().toFixed(4)}  |W| ${weightNorm(net).toFixed(3)}  (${since(start)})`);
    }
  }
  const testAccuracy = noGrad(() => net.call(data.xTest).gt(0).float().eq(data.yTest).float().mean().item());
  return { run: { lambda, trainLoss, testAccuracy, weightNormStart, weightNormEnd: weightNorm(net), trend: tracker.report() }, tracker };
}

export function main(opts: P4Options = {}): P4Result {
  const log = opts.log ?? console.log;
  const o = { matches: 2000, epochs: 150, lr: 0.05, lambda: 1, smallLambda: 1e-3, initDepth: 8, seed: 0, ...opts };
  delete (o as { log?: Log }).log;

  log(`4.1  ${o.matches} synthetic matches; input = [fighter A (${FEATURES.length}), fighter B (${FEATURES.length})] concatenated = 16 features, label 1 if A won`);
  const { x, y } = boxingMatches(o.matches, o.seed);
  // Shuffle, then split 80/20, then standardise with the training split's statistics only.
  const perm = randperm(o.matches, { generator: new Generator(o.seed + 2) });
  const nTrain = Math.round(o.matches * 0.8);
  const xs = x.indexSelect(0, perm);
  const ys = y.indexSelect(0, perm);
  const [xTrainRaw, xTestRaw] = [xs.narrow(0, 0, nTrain), xs.narrow(0, nTrain, o.matches - nTrain)];
  const mean = xTrainRaw.mean(0, true);
  const std = xTrainRaw.std(0, { keepdim: true }).add(1e-6);
  const data = {
    xTrain: xTrainRaw.sub(mean).div(std), yTrain: ys.narrow(0, 0, nTrain),
    xTest: xTestRaw.sub(mean).div(std), yTest: ys.narrow(0, nTrain, o.matches - nTrain),
  };
  log(`     train ${nTrain}, test ${o.matches - nTrain}; A wins in ${(100 * data.yTrain.mean().item()).toFixed(1)}% of training matches`);
  log(`     MLP 16→32→16→1, ReLU, Kaiming init, BCEWithLogits, full-batch SGD lr ${o.lr}, ${o.epochs} epochs\n`);

  const heavy = train(data, o.lambda, o, log);
  const light = train(data, o.smallLambda, o, log);

  log("\n4.3  histograms of the first layer's weights over the epochs:");
  log(`λ = ${o.lambda}:\n${heavy.tracker.draw("0.weight")}`);
  log(`λ = ${o.smallLambda}:\n${light.tracker.draw("0.weight")}`);
  log(`\nWeightTracker report, λ = ${o.lambda}:\n${heavy.run.trend.message}`);
  log(`\nWeightTracker report, λ = ${o.smallLambda}:\n${light.run.trend.message}`);
  log("\n" + linePlot({ [`λ=${o.lambda}`]: heavy.run.trainLoss, [`λ=${o.smallLambda}`]: light.run.trainLoss }, { title: "training loss (BCE, without the L2 term)", height: 8, xLabel: "epoch" }));
  for (const r of [heavy.run, light.run]) {
    log(`λ = ${String(r.lambda).padEnd(6)} test accuracy ${(100 * r.testAccuracy).toFixed(1)}%   |W| ${r.weightNormStart.toFixed(2)} → ${r.weightNormEnd.toFixed(3)}`);
  }

  const init: InitRow[] = [];
  let gradientFirstToLast = NaN;
  if (o.initDepth > 0) {
    log(`\n4.4/4.5  replacing ReLU by sigmoid, measured on a ${o.initDepth}-layer stack of width 32 at initialisation (initReport):`);
    log("  activation  init      activation std last/first   gradient std first/last   verdict");
    const input = randn([256, 32], { generator: new Generator(o.seed + 3) });
    for (const [activation, init_] of [["relu", "kaiming"], ["sigmoid", "kaiming"], ["sigmoid", "xavier"], ["tanh", "xavier"], ["relu", "small"]] as const) {
      const r = initReport(deepStack({ depth: o.initDepth, width: 32, activation, init: init_, generator: new Generator(o.seed + 4) }), input);
      init.push({ activation, init: init_, forwardRatio: r.forwardRatio, backwardRatio: r.backwardRatio, ok: r.ok });
      log(`  ${activation.padEnd(10)}  ${init_.padEnd(8)}  ${r.forwardRatio.toExponential(2).padStart(24)}   ${r.backwardRatio.toExponential(2).padStart(23)}   ${r.ok ? "ok" : r.message.split("\n")[0]}`);
    }
    const sig = deepStack({ depth: o.initDepth, width: 32, activation: "sigmoid", init: "kaiming", generator: new Generator(o.seed + 4) });
    nn.functional.binaryCrossEntropyWithLogits(sig.call(input).narrow(1, 0, 1), tensor(Array.from({ length: 256 }, (_, i) => [i % 2]))).backward();
    const flow = gradientFlowReport(sig);
    gradientFirstToLast = flow.firstToLast;
    log(`\n  gradientFlowReport after one backward through the sigmoid + Kaiming stack:\n${flow.message.split("\n").map((l) => "  " + l).join("\n")}`);
    log("");
    log(barChart(flow.entries.filter((e) => e.shape.length === 2).map((e) => [e.name, e.gradNorm] as const), { logScale: true, title: "weight gradient norms, first layer at the top (log scale)" }).split("\n").map((l) => "  " + l).join("\n"));
    log("\n  Sigmoid's derivative is at most 1/4, so every sigmoid layer divides the gradient by ~4 or more: with Kaiming the");
    log("  earliest layers get a tiny fraction of the last layer's gradient. Xavier with gain 1 (the textbook fix) does not");
    log("  cure sigmoid here either; tanh with Xavier (gain 5/3) keeps both directions near 1, as ReLU + Kaiming does.");
  }
  return { heavy: heavy.run, light: light.run, init, gradientFirstToLast };
}

if (isMain(import.meta.url)) main(parseFlags({ matches: 2000, epochs: 150, lr: 0.05, lambda: 1, smallLambda: 1e-3, initDepth: 8, seed: 0 }));
