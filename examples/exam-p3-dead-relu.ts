/**
 * Exam Problem 3, end to end: fit y = ReLU(Wx + b) to (2, 0.5), (3, 0.75), (4, 1) with SGD, batch
 * size 1, lr 0.5, starting at W = b = 1 with the third point. The first step throws W to −15, after
 * which Wx + b < 0 for every input: the ReLU is dead, every gradient is 0 and W never changes again
 * (3.8). The minimal fix to the network (3.9): LeakyReLU, which keeps a gradient for negative inputs.
 *
 *   node --import tsx examples/exam-p3-dead-relu.ts [--epochs 300] [--slope 0.01]
 */
import { tensor, nn, optim } from "../src/index.js";
import { deadReluReport, gradientFlowReport } from "../src/utils/diagnostics.js";
import { linePlot } from "../src/utils/plot.js";
import { isMain, parseFlags, type Log } from "./common.js";

export interface P3Options {
  /** Epochs (passes over x = 2, 3, 4) of the longer LeakyReLU run after the exam's steps (default 300). */
  epochs?: number;
  /** LeakyReLU negative slope (default 0.01). */
  slope?: number;
  log?: Log;
}

export interface StepRecord {
  step: number;
  x: number;
  y: number;
  pred: number;
  loss: number;
  dW: number;
  db: number;
  /** W and b after the update. */
  W: number;
  b: number;
}

export interface P3Result {
  relu: StepRecord[];
  leaky: StepRecord[];
  /** W after the exam's 5 steps (W_4 of 3.8: −15). */
  reluW4: number;
  leakyW4: number;
  deadReluFlagged: boolean;
  /** Loss on the whole dataset after each epoch of the longer runs (lr 0.5). */
  reluCurve: number[];
  leakyCurve: number[];
  /** The same at lr 0.05: ReLU still dies on the first step, LeakyReLU converges to W = 0.25, b = 0. */
  reluSmallLr: { W: number; b: number; loss: number };
  leakySmallLr: { W: number; b: number; loss: number };
}

const XS = [2, 3, 4];
const YS = [0.5, 0.75, 1];

function model(activation: "relu" | "leaky", slope: number): { net: nn.Sequential; lin: nn.Linear } {
  const lin = new nn.Linear(1, 1);
  nn.init.constant_(lin.weight, 1); // W0 = 1
  nn.init.constant_(lin.bias!, 1); // b0 = 1
  return { net: new nn.Sequential(lin, activation === "relu" ? new nn.ReLU() : new nn.LeakyReLU(slope)), lin };
}

/** One SGD step on one point with the exam's loss (y − ŷ)². */
function sgdStep(net: nn.Sequential, lin: nn.Linear, opt: optim.Optimizer, step: number, x: number, y: number): StepRecord {
  opt.zeroGrad();
  const pred = net.call(tensor([[x]]));
  const loss = pred.sub(y).square().sum();
  loss.backward();
  const dW = lin.weight.grad!.item();
  const db = lin.bias!.grad!.item();
  opt.step();
  return { step, x, y, pred: pred.item(), loss: loss.item(), dW, db, W: lin.weight.item(), b: lin.bias!.item() };
}

function datasetLoss(net: nn.Sequential): number {
  return net.call(tensor(XS.map((x) => [x]))).sub(tensor(YS.map((y) => [y]))).square().mean().item();
}

function run(activation: "relu" | "leaky", slope: number, epochs: number, lr = 0.5): { steps: StepRecord[]; curve: number[]; W: number; b: number } {
  const { net, lin } = model(activation, slope);
  const opt = new optim.SGD(net.parameters(), { lr });
  // The exam's order: the third point first (3.3-3.6), then 2, 3, 4, 2 (3.7-3.8).
  const order = [4, 2, 3, 4, 2];
  const steps = order.map((x, i) => sgdStep(net, lin, opt, i + 1, x, YS[XS.indexOf(x)]));
  const curve = [datasetLoss(net)];
  for (let e = 0; e < epochs; e++) {
    XS.forEach((x, i) => sgdStep(net, lin, opt, 0, x, YS[i]));
    curve.push(datasetLoss(net));
  }
  return { steps, curve, W: lin.weight.item(), b: lin.bias!.item() };
}

function table(rows: StepRecord[]): string {
  const f = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(4)).padStart(9);
  return [
    "  step   x      ŷ     loss     dL/dW     dL/db    W after   b after",
    ...rows.map((r) => `  ${String(r.step).padStart(4)} ${String(r.x).padStart(3)} ${f(r.pred)}${f(r.loss)} ${f(r.dW)} ${f(r.dW === 0 && r.db === 0 ? 0 : r.db)} ${f(r.W)} ${f(r.b)}`),
  ].join("\n");
}

/** Runs both networks and prints the steps, the diagnosis and the loss curves. */
export function main(opts: P3Options = {}): P3Result {
  const log = opts.log ?? console.log;
  const epochs = opts.epochs ?? 300;
  const slope = opts.slope ?? 0.01;

  log("Problem 3: ŷ = ReLU(Wx + b), W0 = b0 = 1, SGD lr 0.5, batch size 1, loss (y − ŷ)²");
  const relu = run("relu", slope, epochs);
  log(table(relu.steps));
  const s1 = relu.steps[0];
  log(`3.3-3.6: ŷ(4) = ${s1.pred}, loss ${s1.loss}, dL/dW = ${s1.dW}, dL/db = ${s1.db} → W1 = ${s1.W}, b1 = ${s1.b}`);
  log(`3.7-3.8: from then on Wx + b < 0 for x = 2, 3, 4: prediction 0, gradient 0, W4 = ${relu.steps[4].W}`);

  // Diagnose the network as it is after the exam's steps (the same state as W1, b1).
  const afterSteps = model("relu", slope);
  nn.init.constant_(afterSteps.lin.weight, relu.steps[4].W);
  nn.init.constant_(afterSteps.lin.bias!, relu.steps[4].b);
  const dead = deadReluReport(afterSteps.net, tensor(XS.map((x) => [x])));
  log("\ndeadReluReport on x = 2, 3, 4:\n" + dead.message);
  afterSteps.net.call(tensor(XS.map((x) => [x]))).sub(tensor(YS.map((y) => [y]))).square().mean().backward();
  log("\ngradientFlowReport after a backward on the whole dataset:\n" + gradientFlowReport(afterSteps.net).message);

  log(`\n3.9: the same steps with LeakyReLU(${slope}) instead of ReLU:`);
  const leaky = run("leaky", slope, epochs);
  log(table(leaky.steps));
  log(`W4 = ${leaky.steps[4].W.toFixed(4)} (ReLU: ${relu.steps[4].W}): the negative side passes ${slope}× the gradient, so W keeps moving.`);

  const reluSmall = run("relu", slope, epochs, 0.05);
  const leakySmall = run("leaky", slope, epochs, 0.05);
  log(`\nLoss on the whole dataset over ${epochs} more epochs, at the exam's lr 0.5 and at lr 0.05:`);
  log(linePlot(
    { "ReLU lr 0.5": relu.curve, "Leaky lr 0.5": leaky.curve, "ReLU lr 0.05": reluSmall.curve, "Leaky lr 0.05": leakySmall.curve },
    { width: 60, height: 12, logY: true, xLabel: "epoch" },
  ));
  const last = (c: number[]): number => c[c.length - 1];
  log(`ReLU, lr 0.5:       W = ${relu.W}, b = ${relu.b}: dead after step 1, loss stuck at ${last(relu.curve).toFixed(4)}.`);
  log(`LeakyReLU, lr 0.5:  W = ${leaky.W.toFixed(3)}, b = ${leaky.b.toFixed(3)}, loss ${last(leaky.curve).toFixed(4)} (lowest ${Math.min(...leaky.curve).toFixed(4)}):`);
  log("                    it leaves the dead region, but lr 0.5 overshoots once the unit is alive (the curvature at x = 4");
  log("                    is 2·4² = 32, so any lr above 2/32 diverges) and throws it back: the lr is the other half of the bug.");
  log(`ReLU, lr 0.05:      W = ${reluSmall.W.toFixed(3)}, b = ${reluSmall.b.toFixed(3)}: the first step (dL/dW = 32) still kills it.`);
  log(`LeakyReLU, lr 0.05: W = ${leakySmall.W.toFixed(4)}, b = ${leakySmall.b.toFixed(4)}, loss ${last(leakySmall.curve).toExponential(2)}: the zero-loss solution of 3.2 (W = 0.25, b = 0).`);
  return {
    relu: relu.steps, leaky: leaky.steps, reluW4: relu.steps[4].W, leakyW4: leaky.steps[4].W, deadReluFlagged: !dead.ok,
    reluCurve: relu.curve, leakyCurve: leaky.curve,
    reluSmallLr: { W: reluSmall.W, b: reluSmall.b, loss: last(reluSmall.curve) },
    leakySmallLr: { W: leakySmall.W, b: leakySmall.b, loss: last(leakySmall.curve) },
  };
}

if (isMain(import.meta.url)) main(parseFlags({ epochs: 300, slope: 0.01 }));
