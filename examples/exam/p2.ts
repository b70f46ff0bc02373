/**
 * Exam Problem 2 (short questions). 2.1/2.2 come from examples/exam-p2-softmax-ce.ts; the others are
 * demonstrated here: Adam's bias correction step by step (2.3), edge filters through conv2d on a real
 * digit and on step images (2.4), an adversarial example on an MNIST classifier (2.5), batching:
 * throughput and gradient noise (2.6), and tanh' = 1 − tanh² through autograd (2.7).
 *
 *   node --import tsx src/cli/main.ts exam 2.3
 */
import { Generator, Tensor, conv2d, grad, linspace, noGrad, randn, randperm, tensor, nn, optim } from "../../src/index.js";
import { imageToText, sideBySide } from "../../src/utils/plot.js";
import { main as p2 } from "../exam-p2-softmax-ce.js";
import { mnistSubset } from "../common.js";
import { last, num, pct, shared, type ExamItem, type RunContext } from "./item.js";
import { dayNight } from "./p7.js";

const FILE = "examples/exam/p2.ts";
const run2 = shared((ctx: RunContext) => p2({ steps: ctx.tiny ? 100 : 200, log: () => {} }));

// ---------------------------------------------------------------------------------------- 2.3

/** Adam on f(θ) = ½·(θ − 3)² from θ = 0, by the exam's equations, with and without bias correction. */
function adamSteps(correct: boolean, steps: number, lr: number): { theta: number[]; m: number[]; v: number[]; mHat: number[]; vHat: number[]; step: number[] } {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let th = 0, m = 0, v = 0;
  const r = { theta: [th], m: [] as number[], v: [] as number[], mHat: [] as number[], vHat: [] as number[], step: [] as number[] };
  for (let k = 1; k <= steps; k++) {
    const g = th - 3;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mh = correct ? m / (1 - b1 ** k) : m;
    const vh = correct ? v / (1 - b2 ** k) : v;
    const s = (lr * mh) / (Math.sqrt(vh) + eps);
    th -= s;
    r.m.push(m); r.v.push(v); r.mHat.push(mh); r.vHat.push(vh); r.step.push(s); r.theta.push(th);
  }
  return r;
}

// ---------------------------------------------------------------------------------------- 2.4

const KERNELS: Record<string, number[][]> = {
  "Sobel horizontal": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
  "Prewitt horizontal": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
  "Sobel transposed (vertical)": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
  Laplacian: [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
};

/** Mean |response| of a 3x3 kernel (valid convolution) on an image [1,1,H,W]. */
const response = (img: Tensor, k: number[][]): Tensor => noGrad(() => conv2d(img, tensor([[k]])));
const energy = (t: Tensor): number => noGrad(() => t.abs().mean().item());

function stepImage(horizontalEdge: boolean): Tensor {
  const s = 12;
  return tensor([[Array.from({ length: s }, (_, r) => Array.from({ length: s }, (_, c) => ((horizontalEdge ? r : c) >= s / 2 ? 1 : 0)))]]);
}

// ---------------------------------------------------------------------------------------- 2.5 / 2.6

/** FGSM: one step of size ε along the sign of the loss's input gradient, kept in [0, 1]. */
function fgsm(net: nn.AnyModule, x: Tensor, y: Tensor, eps: number): Tensor {
  const xg = x.detach().requiresGrad_(true);
  const [gx] = grad(nn.functional.crossEntropy(net.call(xg) as Tensor, y), [xg]);
  return noGrad(() => xg.add(gx!.sign().mul(eps)).clamp(0, 1));
}

/**
 * The MNIST MLP of 2.5/2.6; with `adversarial`, every minibatch is trained on together with its
 * FGSM version (ε = 0.1, crafted against the current weights): adversarial training, the exam's
 * mitigation for the adversarial risk.
 */
function trainMnistMlp(ctx: RunContext, adversarial: boolean) {
  const n = ctx.tiny ? 600 : 1200;
  const train = mnistSubset({ n, seed: ctx.seed + 11 });
  const test = mnistSubset({ n: 500, seed: ctx.seed + 11, skip: n });
  const g = new Generator(ctx.seed + 12);
  const net = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 64, { generator: g }), new nn.ReLU(), new nn.Linear(64, 10, { generator: g }));
  const opt = new optim.Adam(net.parameters(), { lr: 3e-3 });
  for (let e = 0; e < (ctx.tiny ? 4 : 6); e++) {
    const perm = randperm(n, { generator: g });
    for (let i = 0; i < n; i += 64) {
      const idx = perm.narrow(0, i, Math.min(64, n - i));
      const xb = train.images.indexSelect(0, idx), yb = train.labels.indexSelect(0, idx);
      const adv = adversarial ? fgsm(net, xb, yb, 0.1) : null;
      opt.zeroGrad();
      let loss = nn.functional.crossEntropy(net.call(xb), yb);
      if (adv) loss = loss.add(nn.functional.crossEntropy(net.call(adv), yb)).mul(0.5);
      loss.backward();
      opt.step();
    }
  }
  return { net, train, test };
}

const mnistMlp = shared((ctx: RunContext) => trainMnistMlp(ctx, false));
const mnistMlpAdv = shared((ctx: RunContext) => trainMnistMlp(ctx, true));

const accuracy = (net: nn.Sequential, x: Tensor, y: Tensor): number => noGrad(() => net.call(x).argmax(1).eq(y).float().mean().item());

export const items: ExamItem[] = [
  {
    id: "2.1", fidelity: "faithful", file: "examples/exam-p2-softmax-ce.ts",
    claim: "[0.4,0.3,0.3] predicts dog, [0.4,0.5,0.1] cat; with label dog both have the same CE (−log 0.4).",
    run(ctx) { const r = run2(ctx); return { lines: [`CE(ŷ1, dog) = ${num(r.ce1, 6)}, CE(ŷ2, dog) = ${num(r.ce2, 6)}, −log 0.4 = ${num(-Math.log(0.4), 6)}`], values: { ce1: r.ce1, ce2: r.ce2 } }; },
    judge: (v) => Math.abs(v.ce1 - v.ce2) < 1e-6 && Math.abs(v.ce1 + Math.log(0.4)) < 1e-6 ? { verdict: "confirmed", because: "both losses are −log 0.4 although the argmax differs" } : { verdict: "refuted", because: "the losses differ" },
  },
  {
    id: "2.2", fidelity: "faithful", file: "examples/exam-p2-softmax-ce.ts",
    claim: "Without softmax, −Σ y·log ŷ on logits [−1.0,−1.3,−1.3] takes log of a negative number.",
    run(ctx) {
      const r = run2(ctx);
      return {
        lines: [`hand-written CE on the logits: ${r.handWrittenOnLogits}; checkProbabilitiesForLog flags it: ${r.probabilitiesFlagged}`, `(the mirror mistake, softmax before crossEntropy, warned ${r.warnings.length}x, and its loss stays at ${num(last(r.doubleSoftmaxLossCurve))} vs ${num(last(r.logitsLossCurve))})`],
        values: { nan: Number.isNaN(r.handWrittenOnLogits) ? 1 : 0, flagged: r.probabilitiesFlagged ? 1 : 0 },
        plots: [{ title: "training loss: logits vs softmax fed to crossEntropy", series: { logits: r.logitsLossCurve, "softmax twice": r.doubleSoftmaxLossCurve } }],
      };
    },
    judge: (v) => v.nan === 1 ? { verdict: "confirmed", because: "log(−1.0) is NaN, and the diagnostic flags the input before the log" } : { verdict: "refuted", because: "no NaN" },
  },
  {
    id: "2.3", fidelity: "faithful", file: FILE,
    claim: "Bias correction undoes the zero initialisation of m and v (unbiased estimates) and gives more significant early updates.",
    run(ctx) {
      const steps = ctx.tiny ? 40 : 100;
      const lr = 0.1;
      const c = adamSteps(true, steps, lr);
      const u = adamSteps(false, steps, lr);
      // deeptype's optim.Adam must take the corrected step.
      const p = tensor([0], { requiresGrad: true });
      const opt = new optim.Adam([p], { lr });
      const ours: number[] = [];
      for (let k = 0; k < 5; k++) { opt.zeroGrad(); p.sub(3).square().mul(0.5).sum().backward(); opt.step(); ours.push(p.item()); }
      const row = (k: number): string => `  ${String(k + 1).padStart(2)}  g ${num(c.theta[k] - 3).padStart(8)}  m ${num(c.m[k]).padStart(8)}  v ${num(c.v[k]).padStart(8)}  m̂ ${num(c.mHat[k]).padStart(8)}  v̂ ${num(c.vHat[k]).padStart(8)}  step ${num(c.step[k]).padStart(7)}  | uncorrected step ${num(u.step[k])}`;
      const firstRatio = u.step[0] / c.step[0];
      return {
        lines: [
          "Adam (β1 0.9, β2 0.999, lr 0.1) on ½(θ − 3)² from θ = 0; the exam's m and v, and the corrected m̂ = m/(1−β1^k), v̂ = v/(1−β2^k):",
          ...[0, 1, 2, 3, 4].map(row),
          `step 1: m = 0.1·g (biased towards 0), m̂ = g exactly; v = 0.001·g², v̂ = g² exactly`,
          `without correction the first step is (1−β1)/√(1−β2) = ${num(firstRatio)}x the corrected one: m is too small, but √v is smaller still`,
          `optim.Adam's θ after 5 steps ${ours.map((x) => num(x)).join(", ")} = the corrected equations' ${c.theta.slice(1, 6).map((x) => num(x)).join(", ")}`,
          `θ after ${steps} steps: corrected ${num(last(c.theta))}, uncorrected ${num(last(u.theta))} (target 3)`,
        ],
        values: { mBias: c.m[0] / (c.theta[0] - 3), mHatBias: c.mHat[0] / (c.theta[0] - 3), firstRatio, adamMatches: Math.abs(ours[4] - c.theta[5]) < 1e-5 ? 1 : 0, errCorrected: Math.abs(last(c.theta) - 3), errUncorrected: Math.abs(last(u.theta) - 3) },
        plots: [{ title: "θ per step (target 3)", series: { corrected: c.theta, uncorrected: u.theta } }],
      };
    },
    judge: (v) => {
      const unbiased = Math.abs(v.mBias - 0.1) < 1e-9 && Math.abs(v.mHatBias - 1) < 1e-9 && v.adamMatches === 1;
      if (!unbiased) return { verdict: "refuted", because: "the corrected estimates are not the gradient" };
      return v.firstRatio > 1
        ? { verdict: "depends", because: `unbiased: confirmed (m = ${num(v.mBias)}·g, m̂ = g). "More significant updates" holds for m alone; with both corrections the first step is ${num(v.firstRatio)}x SMALLER than uncorrected Adam's (β2 = 0.999 debiases v more than β1 debiases m), so the benefit is well-scaled early steps, not larger ones` }
        : { verdict: "confirmed", because: "unbiased estimates and larger early steps" };
    },
  },
  {
    id: "2.4", fidelity: "faithful", file: FILE,
    claim: "The filter is a horizontal edge detector: Sobel [−1 −2 −1; 0 0 0; 1 2 1] or Prewitt [−1 −1 −1; 0 0 0; 1 1 1].",
    run(ctx) {
      const hStep = stepImage(true), vStep = stepImage(false);
      const digit = mnistSubset({ n: 1, seed: ctx.seed + 3, classes: [7] }).images.narrow(0, 0, 1);
      const lines: string[] = ["mean |conv2d response| on a horizontal step (dark top, bright bottom), a vertical step, and an MNIST digit:"];
      const values: Record<string, number> = {};
      for (const [name, k] of Object.entries(KERNELS)) {
        const h = energy(response(hStep, k)), v = energy(response(vStep, k)), d = energy(response(digit, k));
        lines.push(`  ${name.padEnd(28)} horizontal edge ${num(h).padStart(6)}   vertical edge ${num(v).padStart(6)}   digit ${num(d)}`);
        values[`${name}|h`] = h; values[`${name}|v`] = v;
      }
      const pic = (t: Tensor): string => imageToText(t.contiguous().data(), t.shape[3], t.shape[2]);
      lines.push("", "the digit, |Sobel horizontal| and |Sobel transposed| (bright = strong response):");
      lines.push(...sideBySide([pic(digit), pic(response(digit, KERNELS["Sobel horizontal"]).abs()), pic(response(digit, KERNELS["Sobel transposed (vertical)"]).abs())], { captions: ["digit", "horizontal edges", "vertical edges"] }).split("\n"));
      return { lines, values };
    },
    judge: (v) => {
      const horiz = ["Sobel horizontal", "Prewitt horizontal"].every((k) => v[`${k}|h`] > 0.1 && v[`${k}|v`] === 0);
      const trans = v["Sobel transposed (vertical)|h"] === 0 && v["Sobel transposed (vertical)|v"] > 0.1;
      const lap = v["Laplacian|h"] > 0 && v["Laplacian|v"] > 0;
      return horiz && trans && lap
        ? { verdict: "confirmed", because: "Sobel and Prewitt respond only to the horizontal edge, their transpose only to the vertical one, the Laplacian to both (why it scores 0)" }
        : { verdict: "refuted", because: "the kernels do not separate the edge directions" };
    },
  },
  {
    id: "2.5", fidelity: "faithful", file: FILE,
    claim: "Risks in driving: adversarial inputs (tiny changes harm performance) and unseen conditions (train on more diverse data).",
    run(ctx) {
      const { net, test } = mnistMlp(ctx);
      const eps = 0.1;
      const adv = fgsm(net, test.images, test.labels, eps);
      const noise = noGrad(() => test.images.add(randn(test.images.shape, { generator: new Generator(ctx.seed + 9) }).sign().mul(eps)).clamp(0, 1));
      const clean = accuracy(net, test.images, test.labels), attacked = accuracy(net, adv, test.labels), random = accuracy(net, noise, test.labels);
      const robust = mnistMlpAdv(ctx).net;
      const robustClean = accuracy(robust, test.images, test.labels);
      const robustAttacked = accuracy(robust, fgsm(robust, test.images, test.labels, eps), test.labels);
      const dn = dayNight(ctx);
      return {
        lines: [
          `risk 1, adversarial input: MLP on MNIST, ${test.labels.shape[0]} test digits: accuracy clean ${pct(clean)}, FGSM (ε = ${eps} per pixel, sign of the input gradient) ${pct(attacked)}, same-size random sign noise ${pct(random)}`,
          `  mitigation, adversarial training (each batch also trained as its FGSM version): clean ${pct(robustClean)}, FGSM against the new weights ${pct(robustAttacked)}`,
          `risk 2, unseen conditions: depth U-Net trained on day frames only (${dn.trainDay}) vs day + night (${dn.trainAll}), same steps; held-out error day / night:`,
          `  day only:    ${num(dn.dayOnly.day)} m / ${num(dn.dayOnly.night)} m`,
          `  mitigation, more diverse data (day + night): ${num(dn.both.day)} m / ${num(dn.both.night)} m`,
          "(the solution's other risks, the black box and ethics, are about how a model is used, not something a run measures)",
        ],
        values: { clean, attacked, random, robustClean, robustAttacked, dayOnlyNight: dn.dayOnly.night, dayOnlyDay: dn.dayOnly.day, bothNight: dn.both.night },
      };
    },
    judge: (v) => {
      const adv = v.attacked < v.clean - 0.3 && v.random > v.attacked + 0.2;
      const advFix = v.robustAttacked > v.attacked + 0.2;
      const shift = v.dayOnlyNight > v.dayOnlyDay && v.bothNight < v.dayOnlyNight;
      const why = `FGSM ε = 0.1 drops accuracy ${pct(v.clean)} → ${pct(v.attacked)} (random noise: ${pct(v.random)}), adversarial training keeps ${pct(v.robustAttacked)} under attack; day-only training errs ${num(v.dayOnlyNight)} m at night vs ${num(v.dayOnlyDay)} m by day, adding night data gives ${num(v.bothNight)} m`;
      return adv && advFix && shift ? { verdict: "confirmed", because: why } : { verdict: "depends", because: `${adv ? "adversarial risk shown" : "adversarial risk not shown"}, ${advFix ? "adversarial training helps" : "adversarial training does not help here"}, ${shift ? "domain shift and its fix shown" : "domain shift not shown"}: ${why}` };
    },
  },
  {
    id: "2.6", fidelity: "faithful", file: FILE,
    claim: "Batches use the hardware better (more samples per second) and give a less noisy gradient estimate.",
    run(ctx) {
      const { net, train } = mnistMlp(ctx);
      const sizes = [1, 8, 64, 256];
      const params = net.parameters();
      const gradOf = (x: Tensor, y: Tensor): Float64Array => {
        net.zeroGrad();
        nn.functional.crossEntropy(net.call(x), y).backward();
        const out = new Float64Array(params.reduce((a, p) => a + p.numel(), 0));
        let o = 0;
        for (const p of params) { const d = p.grad!.data(); for (let i = 0; i < d.length; i++) out[o++] = d[i]; }
        return out;
      };
      const n = train.labels.shape[0];
      const full = gradOf(train.images, train.labels);
      const g = new Generator(ctx.seed + 5);
      const lines: string[] = ["batch size   samples/s (forward+backward)   relative gradient error |g_B − g_full| / |g_full|"];
      const values: Record<string, number> = {};
      const fullNorm = Math.hypot(...full);
      for (const b of sizes) {
        const reps = Math.max(4, Math.floor((ctx.tiny ? 32 : 128) / b));
        let err = 0;
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) {
          const idx = randperm(n, { generator: g }).narrow(0, 0, b);
          const gb = gradOf(train.images.indexSelect(0, idx), train.labels.indexSelect(0, idx));
          let d = 0;
          for (let i = 0; i < gb.length; i++) d += (gb[i] - full[i]) ** 2;
          err += Math.sqrt(d) / fullNorm;
        }
        const secs = (performance.now() - t0) / 1000;
        values[`rate${b}`] = (reps * b) / secs;
        values[`err${b}`] = err / reps;
        lines.push(`${String(b).padStart(10)}   ${num(values[`rate${b}`]).padStart(26)}   ${num(values[`err${b}`])}`);
      }
      lines.push("(the gradient error includes the gradient-copy overhead of this measurement; throughput is timed on this machine's CPU backend)");
      return { lines, values };
    },
    judge: (v) => v.rate256 > 4 * v.rate1 && v.err256 < 0.5 * v.err1
      ? { verdict: "confirmed", because: `batch 256 processes ${num(v.rate256 / v.rate1)}x the samples per second of batch 1 and its gradient error is ${num(v.err256 / v.err1)}x batch 1's` }
      : { verdict: "depends", because: `throughput x${num(v.rate256 / v.rate1)}, gradient error x${num(v.err256 / v.err1)}` },
  },
  {
    id: "2.7", fidelity: "faithful", file: FILE,
    claim: "tanh'(x) = 1 − tanh²(x) (= 4σ(2x)(1 − σ(2x)) before simplifying).",
    run() {
      const x = linspace(-4, 4, 81).requiresGrad_(true);
      const [g] = grad(x.tanh().sum(), [x]);
      const t = noGrad(() => x.tanh());
      const gg = g!;
      const s = noGrad(() => x.mul(2).sigmoid());
      const e1 = noGrad(() => gg.sub(t.square().neg().add(1)).abs().max().item());
      const e2 = noGrad(() => gg.sub(s.mul(s.neg().add(1)).mul(4)).abs().max().item());
      const e3 = noGrad(() => x.tanh().sub(s.mul(2).sub(1)).abs().max().item());
      return { lines: [`on 81 points in [−4, 4]: max |autograd tanh' − (1 − tanh²)| = ${num(e1)}, max |autograd tanh' − 4σ(2x)(1−σ(2x))| = ${num(e2)}, max |tanh − (2σ(2x) − 1)| = ${num(e3)}`], values: { e1, e2, e3 } };
    },
    judge: (v) => v.e1 < 1e-6 && v.e2 < 1e-6 && v.e3 < 1e-6 ? { verdict: "confirmed", because: "all three agree to float32 precision" } : { verdict: "refuted", because: `errors ${num(v.e1)}, ${num(v.e2)}` },
  },
];
