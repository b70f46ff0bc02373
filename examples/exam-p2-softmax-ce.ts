/**
 * Exam Problem 2.1/2.2: cross-entropy, softmax and logits.
 *
 * - 2.1: CE only looks at the probability of the true class, so [0.4, 0.3, 0.3] and [0.4, 0.5, 0.1]
 *   with label "dog" give the same loss, −log 0.4, although the second predicts "cat".
 * - 2.2: a hand-written CE, −Σ y·log ŷ, on logits [−1.0, −1.3, −1.3] takes log(−1): NaN.
 *   `checkProbabilitiesForLog` says so before it happens.
 * - The mirror-image mistake with deeptype's `crossEntropy` (which takes logits and applies
 *   logSoftmax itself): a model ending in Softmax feeds it probabilities, i.e. softmax twice.
 *   `checkLogitsForCrossEntropy` flags it, and training side by side shows the cost.
 *
 *   node --import tsx examples/exam-p2-softmax-ce.ts [--steps 200]
 */
import { Generator, Tensor, cat, nn, optim, randn, tensor } from "../src/index.js";
import { checkLogitsForCrossEntropy, checkProbabilitiesForLog, checkedCrossEntropy } from "../src/utils/diagnostics.js";
import { linePlot } from "../src/utils/plot.js";
import { isMain, parseFlags, type Log } from "./common.js";

export interface P2Result {
  ce1: number;
  ce2: number;
  handWrittenOnLogits: number;
  probabilitiesFlagged: boolean;
  logitsLossCurve: number[];
  doubleSoftmaxLossCurve: number[];
  warnings: string[];
}

/** Three Gaussian blobs in 2-D, one per class. */
function blobs(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const centres = [[2, 0], [-1, 1.7], [-1, -1.7]];
  const xs: Tensor[] = [];
  const ys: number[] = [];
  for (let c = 0; c < 3; c++) {
    xs.push(randn([n, 2], { generator: g }).mul(0.8).add(tensor([centres[c]])));
    for (let i = 0; i < n; i++) ys.push(c);
  }
  return { x: cat(xs), y: tensor(ys, { dtype: "int32" }) };
}

export function main(opts: { steps?: number; log?: Log } = {}): P2Result {
  const log = opts.log ?? console.log;
  const steps = opts.steps ?? 200;
  const dog = tensor([0], { dtype: "int32" });
  // 2.1 by hand: the softmax outputs are given, so CE = −log(p of the true class) = nllLoss on their log.
  const y1 = tensor([[0.4, 0.3, 0.3]]);
  const y2 = tensor([[0.4, 0.5, 0.1]]);
  const ce1 = nn.functional.nllLoss(y1.log(), dog).item();
  const ce2 = nn.functional.nllLoss(y2.log(), dog).item();
  log(`2.1  argmax [0.4, 0.3, 0.3] = dog, argmax [0.4, 0.5, 0.1] = cat; CE with label dog: ${ce1.toFixed(4)} and ${ce2.toFixed(4)} (both −log 0.4)`);

  const logits = tensor([[-1.0, -1.3, -1.3]]);
  const handWrittenOnLogits = tensor([[1, 0, 0]]).mul(logits.log()).sum().neg().item();
  log(`2.2  −Σ y·log ŷ on the logits [−1.0, −1.3, −1.3] = ${handWrittenOnLogits} (log of a negative number)`);
  log(checkProbabilitiesForLog(logits).message.split("\n").map((l) => "     " + l).join("\n"));
  log(`     with softmax first, as crossEntropy does: ${nn.functional.crossEntropy(logits, dog).item().toFixed(4)} = −log softmax(ŷ)[dog]`);

  log("\nThe other way round: a model that ends in nn.Softmax, fed to crossEntropy (which applies logSoftmax itself):");
  const probs = logits.softmax(1);
  log(checkLogitsForCrossEntropy(probs).message.split("\n").map((l) => "     " + l).join("\n"));

  const { x, y } = blobs(100, new Generator(1));
  const warnings: string[] = [];
  const train = (withSoftmax: boolean): number[] => {
    const g = new Generator(2);
    const layers: nn.AnyModule[] = [new nn.Linear(2, 16, { generator: g }), new nn.ReLU(), new nn.Linear(16, 3, { generator: g })];
    if (withSoftmax) layers.push(new nn.Softmax(1));
    const model = new nn.Sequential(...layers);
    const opt = new optim.SGD(model.parameters(), { lr: 0.5 });
    const curve: number[] = [];
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      const loss = checkedCrossEntropy(model.call(x), y, { warn: (m) => warnings.push(m), always: s === 0 });
      loss.backward();
      opt.step();
      curve.push(loss.item());
    }
    return curve;
  };
  const logitsLossCurve = train(false);
  const doubleSoftmaxLossCurve = train(true);
  log(`\ncheckedCrossEntropy warned ${warnings.length} time(s) while training the model that ends in Softmax, and not for the logits model.`);
  log(linePlot({ "logits → crossEntropy": logitsLossCurve, "softmax → crossEntropy": doubleSoftmaxLossCurve }, { title: "training loss, 3 blobs, SGD lr 0.5", height: 8 }));
  const last = (v: number[]): number => v[v.length - 1];
  log(`final loss ${last(logitsLossCurve).toFixed(4)} with logits vs ${last(doubleSoftmaxLossCurve).toFixed(4)} with softmax twice:`);
  log(`softmax of probabilities in [0, 1] can at best reach e/(e + 2) = ${(Math.E / (Math.E + 2)).toFixed(3)} for the true class, so the loss cannot go below ${(-Math.log(Math.E / (Math.E + 2))).toFixed(3)}.`);
  return { ce1, ce2, handWrittenOnLogits, probabilitiesFlagged: !checkLogitsForCrossEntropy(probs).ok, logitsLossCurve, doubleSoftmaxLossCurve, warnings };
}

if (isMain(import.meta.url)) main(parseFlags({ steps: 200 }));
