/**
 * Exam Problem 4 (predicting a boxing match from two fighters' statistics with an MLP). The data is
 * examples/exam-p4-l2-collapse.ts's synthetic matches (16 features: fighter A's 8, then B's 8); 4.3
 * is that example's run. Here: the input construction (4.1), the L2 convention (4.2), the exam's own
 * 16-32-16-1 network with sigmoid + Kaiming (4.4), vanishing gradients (4.5), dead ReLU vs vanishing
 * (4.6) and using the whole in-memory training set: full batch, LBFGS on the exam's MLP and Newton's
 * method on logistic regression (4.7).
 *
 *   node --import tsx src/cli/main.ts exam 4.4
 */
import { Generator, Tensor, noGrad, randn, randperm, tensor, nn, optim } from "../../src/index.js";
import { deepStack, deadReluReport, gradientFlowReport, initReport, type InitReport } from "../../src/utils/diagnostics.js";
import { boxingMatches, main as p4 } from "../exam-p4-l2-collapse.js";
import { last, num, pct, shared, type ExamItem, type RunContext } from "./item.js";

const FILE = "examples/exam/p4.ts";

/** Standardised train/test split of the synthetic matches. */
const matches = shared((ctx: RunContext) => {
  const n = ctx.tiny ? 800 : 2000;
  const { x, y } = boxingMatches(n, ctx.seed);
  const nTrain = Math.round(0.8 * n);
  const [xa, xb] = [x.narrow(0, 0, nTrain), x.narrow(0, nTrain, n - nTrain)];
  const mu = xa.mean(0, true), sd = xa.std(0, { keepdim: true }).add(1e-6);
  return { xTrain: xa.sub(mu).div(sd), yTrain: y.narrow(0, 0, nTrain), xTest: xb.sub(mu).div(sd), yTest: y.narrow(0, nTrain, n - nTrain) };
});

type Act = "relu" | "sigmoid" | "tanh";

/** The exam's MLP 16-32-16-1 with the given activation and weight init, zero biases. */
export function boxingMlp(act: Act, init: "kaiming" | "xavier", g: Generator, inputs = 16): nn.Sequential {
  const a = (): nn.AnyModule => (act === "relu" ? new nn.ReLU() : act === "sigmoid" ? new nn.Sigmoid() : new nn.Tanh());
  const net = new nn.Sequential(new nn.Linear(inputs, 32, { generator: g }), a(), new nn.Linear(32, 16, { generator: g }), a(), new nn.Linear(16, 1, { generator: g }));
  for (const m of net.modules()) {
    if (!(m instanceof nn.Linear)) continue;
    if (init === "kaiming") nn.init.kaimingNormal_(m.weight, { nonlinearity: "relu", generator: g });
    else nn.init.xavierNormal_(m.weight, { gain: nn.init.calculateGain(act), generator: g });
    nn.init.zeros_(m.bias!);
  }
  return net;
}

const bce = (net: nn.AnyModule, x: Tensor, y: Tensor): Tensor => nn.functional.binaryCrossEntropyWithLogits(net.call(x) as Tensor, y);
const acc = (net: nn.AnyModule, x: Tensor, y: Tensor): number => noGrad(() => (net.call(x) as Tensor).gt(0).float().eq(y).float().mean().item());

/** Minibatch SGD (batch 64), returning the training loss per epoch. */
function trainSgd(net: nn.AnyModule, d: { xTrain: Tensor; yTrain: Tensor }, epochs: number, lr: number, g: Generator, wd = 0): number[] {
  const opt = new optim.SGD(net.parameters(), { lr, weightDecay: wd });
  const n = d.xTrain.shape[0];
  const curve = [noGrad(() => bce(net, d.xTrain, d.yTrain).item())];
  for (let e = 0; e < epochs; e++) {
    const perm = randperm(n, { generator: g });
    for (let i = 0; i < n; i += 64) {
      const idx = perm.narrow(0, i, Math.min(64, n - i));
      opt.zeroGrad();
      bce(net, d.xTrain.indexSelect(0, idx), d.yTrain.indexSelect(0, idx)).backward();
      opt.step();
    }
    curve.push(noGrad(() => bce(net, d.xTrain, d.yTrain).item()));
  }
  return curve;
}

/** 4.4: the three configurations on the exam's net. */
const run44 = shared((ctx: RunContext) => {
  const d = matches(ctx);
  const configs = [["relu", "kaiming"], ["sigmoid", "kaiming"], ["sigmoid", "xavier"]] as const;
  return configs.map(([act, init]) => {
    const net = boxingMlp(act, init, new Generator(ctx.seed + 1));
    const report: InitReport = initReport(net, d.xTrain);
    bce(net, d.xTrain, d.yTrain).backward();
    const flow = gradientFlowReport(net);
    net.zeroGrad();
    const curve = trainSgd(net, d, ctx.tiny ? 15 : 25, 0.05, new Generator(ctx.seed + 2));
    return { act, init, report, flow, curve, testAcc: acc(net, d.xTest, d.yTest) };
  });
});

/** Solves A x = b (small, dense) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((r, i) => r[n] / r[i]);
}

export const items: ExamItem[] = [
  {
    id: "4.1", fidelity: "faithful", file: FILE,
    claim: "Input: a non-symmetric combination (concatenate A and B, not A + B) into a fully connected network.",
    run(ctx) {
      const d = matches(ctx);
      const sum = (x: Tensor): Tensor => x.narrow(1, 0, 8).add(x.narrow(1, 8, 8));
      const g = new Generator(ctx.seed + 3);
      const concat = boxingMlp("relu", "kaiming", g);
      const summed = boxingMlp("relu", "kaiming", g, 8);
      const epochs = ctx.tiny ? 15 : 25;
      trainSgd(concat, d, epochs, 0.05, new Generator(1));
      trainSgd(summed, { xTrain: sum(d.xTrain), yTrain: d.yTrain }, epochs, 0.05, new Generator(1));
      const xs = noGrad(() => d.xTest.narrow(1, 8, 8).contiguous());
      const xa = noGrad(() => d.xTest.narrow(1, 0, 8).contiguous());
      const pAB = noGrad(() => (summed.call(xa.add(xs)) as Tensor).sigmoid());
      const pBA = noGrad(() => (summed.call(xs.add(xa)) as Tensor).sigmoid());
      const symGap = noGrad(() => pAB.sub(pBA).abs().max().item());
      const aAcc = acc(concat, d.xTest, d.yTest), sAcc = acc(summed, sum(d.xTest), d.yTest);
      return {
        lines: [
          `same MLP (hidden 32-16, ReLU), ${d.xTrain.shape[0]} training matches: concatenated [A, B] (16 inputs) test accuracy ${pct(aAcc)}, summed A + B (8 inputs) ${pct(sAcc)}`,
          `with the sum, P(A wins) for (A, B) and (B, A) differ by at most ${num(symGap)}: it cannot say which fighter is which`,
        ],
        values: { concatAcc: aAcc, sumAcc: sAcc, symGap },
      };
    },
    judge: (v) => v.concatAcc > v.sumAcc + 0.1 && v.symGap === 0
      ? { verdict: "confirmed", because: `concatenation ${pct(v.concatAcc)} vs sum ${pct(v.sumAcc)} (chance level: the sum is symmetric)` }
      : { verdict: "depends", because: `concat ${pct(v.concatAcc)}, sum ${pct(v.sumAcc)}` },
  },
  {
    id: "4.2", fidelity: "faithful", file: FILE,
    claim: "L2 regularisation adds λ·Σθ² to the loss; it keeps weights small (less overfitting).",
    run(ctx) {
      const d = matches(ctx);
      const lambda = 0.01, lr = 0.1;
      const a = boxingMlp("relu", "kaiming", new Generator(5)), b = boxingMlp("relu", "kaiming", new Generator(5));
      // (a) the exam's formula written into the loss; (b) PyTorch's weightDecay, whose term is (wd/2)·Σθ².
      const weights = (m: nn.Sequential): Tensor[] => m.parameters().filter((p) => p.ndim === 2);
      const optA = new optim.SGD(a.parameters(), { lr });
      const lossA = bce(a, d.xTrain, d.yTrain).add(weights(a).map((w) => w.square().sum()).reduce((s, t) => s.add(t)).mul(lambda));
      lossA.backward();
      // weightDecay applies to biases too; give them their own group without decay to match the formula.
      const optB = new optim.SGD([{ params: weights(b), weightDecay: 2 * lambda }, { params: b.parameters().filter((p) => p.ndim === 1), weightDecay: 0 }], { lr });
      bce(b, d.xTrain, d.yTrain).backward();
      optA.step(); optB.step();
      const diff = noGrad(() => Math.max(...a.parameters().map((p, i) => p.sub(b.parameters()[i]).abs().max().item())));
      const norm = (m: nn.Sequential): number => Math.sqrt(weights(m).reduce((s, w) => s + w.square().sum().item(), 0));
      const plain = boxingMlp("relu", "kaiming", new Generator(6)), reg = boxingMlp("relu", "kaiming", new Generator(6));
      const epochs = ctx.tiny ? 15 : 25;
      trainSgd(plain, d, epochs, 0.05, new Generator(7));
      trainSgd(reg, d, epochs, 0.05, new Generator(7), 2 * 0.01);
      return {
        lines: [
          `one SGD step with loss + λ·Σw² (λ = ${lambda}) vs optim.SGD weightDecay = 2λ = ${2 * lambda}: max parameter difference ${num(diff)}`,
          "PyTorch's (and deeptype's) weightDecay wd adds wd·w to the gradient, the gradient of (wd/2)·Σw²: the exam's λ is wd/2",
          `after ${epochs} epochs: |W| ${num(norm(plain))} without L2, ${num(norm(reg))} with λ = 0.01; test accuracy ${pct(acc(plain, d.xTest, d.yTest))} vs ${pct(acc(reg, d.xTest, d.yTest))}`,
        ],
        values: { diff, normPlain: norm(plain), normReg: norm(reg) },
      };
    },
    judge: (v) => v.diff < 1e-6 && v.normReg < v.normPlain
      ? { verdict: "confirmed", because: `λ·Σθ² in the loss = weightDecay 2λ (difference ${num(v.diff)}), and the weights end smaller (${num(v.normReg)} vs ${num(v.normPlain)}); the overfitting part is not measured here` }
      : { verdict: "refuted", because: `difference ${num(v.diff)}` },
  },
  {
    id: "4.3", fidelity: "faithful", file: "examples/exam-p4-l2-collapse.ts",
    claim: "Weights collapse towards 0 because the L2 coefficient λ = 1 is too high.",
    run(ctx) {
      const r = p4({ matches: ctx.tiny ? 400 : 2000, epochs: ctx.tiny ? 60 : 150, initDepth: 0, seed: ctx.seed, log: () => {} });
      return {
        lines: [
          `λ = 1: |W| ${num(r.heavy.weightNormStart)} → ${num(r.heavy.weightNormEnd)}, WeightTracker flags it: ${!r.heavy.trend.ok}; test accuracy ${pct(r.heavy.testAccuracy)}`,
          `λ = 1e-3: |W| ${num(r.light.weightNormStart)} → ${num(r.light.weightNormEnd)}, flagged: ${!r.light.trend.ok}; test accuracy ${pct(r.light.testAccuracy)}`,
        ],
        values: { heavy: r.heavy.weightNormEnd, light: r.light.weightNormEnd, heavyFlagged: r.heavy.trend.ok ? 0 : 1, lightFlagged: r.light.trend.ok ? 0 : 1 },
        plots: [{ title: "training BCE (without the L2 term)", series: { "λ = 1": r.heavy.trainLoss, "λ = 1e-3": r.light.trainLoss }, xLabel: "epoch" }],
      };
    },
    judge: (v) => v.heavy < 0.1 * v.light && v.heavyFlagged === 1 && v.lightFlagged === 0
      ? { verdict: "confirmed", because: `λ = 1 ends with |W| ${num(v.heavy)} vs ${num(v.light)} for λ = 1e-3, and the weight tracker flags only λ = 1` }
      : { verdict: "refuted", because: "no collapse" },
  },
  {
    id: "4.4", fidelity: "faithful", file: FILE,
    claim: "Sigmoid with Kaiming init (made for ReLU) breaks Var(x_l) = Var(x_{l-1}) and vanishes gradients; use Xavier.",
    run(ctx) {
      const runs = run44(ctx);
      const lines = ["the exam's MLP 16-32-16-1 on the boxing matches, minibatch SGD lr 0.05, batch 64:",
        "  config            test acc  final loss   per-layer gradient factor (hidden, read-out)   first/last weight grad   doctor"];
      const values: Record<string, number> = {};
      for (const r of runs) {
        const k = `${r.act}/${r.init}`;
        const hidden = r.report.layers[0].gradFactor, readout = r.report.layers[1].gradFactor;
        lines.push(`  ${k.padEnd(16)}  ${pct(r.testAcc).padStart(8)}  ${num(last(r.curve)).padStart(10)}   x${num(hidden)} , x${num(readout)}`.padEnd(96) + `   ${num(r.flow.firstToLast).padStart(8)}                 ${r.report.ok ? "ok" : "flagged"}`);
        values[`${k}|acc`] = r.testAcc; values[`${k}|hidden`] = hidden; values[`${k}|flagged`] = r.report.ok ? 0 : 1; values[`${k}|loss`] = last(r.curve);
      }
      lines.push("", "initReport on sigmoid/Kaiming:", ...runs[1].report.message.split("\n").map((l) => "  " + l));
      lines.push("", "sigmoid' ≤ 1/4, so every sigmoid layer multiplies the gradient by ~1/4-1/5 whatever the init; Xavier (gain 1) makes the weights",
        "smaller than Kaiming's, so it does not restore the scale either. On this 2-hidden-layer net the shrink costs speed, not the result.");
      return { lines, values, plots: [{ title: "training BCE per epoch", series: Object.fromEntries(runs.map((r) => [`${r.act}/${r.init}`, r.curve])), xLabel: "epoch" }] };
    },
    judge: (v) => {
      const sigShrinks = v["sigmoid/kaiming|hidden"] < 0.5 && v["sigmoid/kaiming|flagged"] === 1 && v["relu/kaiming|flagged"] === 0;
      const xavierFixes = v["sigmoid/xavier|hidden"] > 0.5 && v["sigmoid/xavier|flagged"] === 0;
      if (sigShrinks && xavierFixes) return { verdict: "confirmed", because: "sigmoid/Kaiming shrinks the gradient per layer and is flagged; Xavier restores it" };
      if (sigShrinks) return { verdict: "depends", because: `the problem is real: sigmoid/Kaiming keeps x${num(v["sigmoid/kaiming|hidden"])} of the gradient per hidden layer (ReLU/Kaiming x${num(v["relu/kaiming|hidden"])}) and the doctor flags it; but Xavier does not fix it (x${num(v["sigmoid/xavier|hidden"])}, flagged too): sigmoid' ≤ 1/4 is the cause, so ReLU back (or BatchNorm) is the fix. Test accuracy ${pct(v["relu/kaiming|acc"])} / ${pct(v["sigmoid/kaiming|acc"])} / ${pct(v["sigmoid/xavier|acc"])}: at depth 2 all still learn` };
      return { verdict: "refuted", because: "sigmoid/Kaiming keeps the gradient scale on this net" };
    },
  },
  {
    id: "4.5", fidelity: "faithful", file: FILE,
    claim: "Vanishing gradients: the gradient shrinks layer by layer towards the input; sigmoid and tanh suffer from it.",
    run(ctx) {
      const x = randn([128, 32], { generator: new Generator(ctx.seed + 4) });
      const values: Record<string, number> = {};
      const lines = ["8 layers of width 32, one backward of a BCE loss; first weight's gradient norm over the last's (gradientFlowReport):"];
      const series: Record<string, number[]> = {};
      for (const [act, init] of [["relu", "kaiming"], ["sigmoid", "xavier"], ["tanh", "default"]] as const) {
        const net = deepStack({ depth: 8, width: 32, activation: act, init, generator: new Generator(ctx.seed + 5) });
        nn.functional.binaryCrossEntropyWithLogits(net.call(x).narrow(1, 0, 1), tensor(Array.from({ length: 128 }, (_, i) => [i % 2]))).backward();
        const f = gradientFlowReport(net);
        values[act] = f.firstToLast;
        series[`${act}/${init}`] = f.entries.filter((e) => e.shape.length === 2).map((e) => e.gradNorm);
        lines.push(`  ${`${act}/${init}`.padEnd(16)} first/last ${num(f.firstToLast).padStart(9)}   ${f.vanishing ? "vanishing (flagged)" : "ok"}`);
      }
      return { lines, values, plots: [{ title: "weight gradient norm per layer (first layer left)", series, logY: true, xLabel: "layer" }] };
    },
    judge: (v) => v.sigmoid < 1e-2 && v.tanh < 0.5 && v.relu > 0.1
      ? { verdict: "confirmed", because: `first/last gradient: sigmoid ${num(v.sigmoid)}, tanh (PyTorch default init) ${num(v.tanh)}, ReLU/Kaiming ${num(v.relu)}` }
      : v.sigmoid < 1e-2 && v.relu > 0.1
        ? { verdict: "depends", because: `sigmoid vanishes (first/last ${num(v.sigmoid)} over 8 layers, ReLU/Kaiming ${num(v.relu)}); tanh at PyTorch's default init loses only x${num(v.tanh)}: tanh suffers too, but far less than sigmoid (tanh'(0) = 1, sigmoid'(0) = 1/4)` }
        : { verdict: "refuted", because: `sigmoid ${num(v.sigmoid)}, tanh ${num(v.tanh)}, relu ${num(v.relu)}` },
  },
  {
    id: "4.6", fidelity: "faithful", file: FILE,
    claim: "Dead ReLU: a unit that never fires gets exactly zero gradient forever; vanishing gradients are small but nonzero.",
    run(ctx) {
      const d = matches(ctx);
      const dead = boxingMlp("relu", "kaiming", new Generator(8));
      noGrad(() => ([...dead.children()][0] as nn.Linear).bias!.sub_(3)); // a large negative bias, as after one big lr step
      const vanish = deepStack({ depth: 8, width: 16, activation: "sigmoid", init: "kaiming", generator: new Generator(9) });
      const vin = new nn.Sequential(new nn.Linear(16, 16, { generator: new Generator(9) }), vanish, new nn.Linear(16, 1, { generator: new Generator(9) }));
      const deadRep = deadReluReport(dead, d.xTrain);
      const w0 = (m: nn.Sequential): Tensor => ([...m.children()][0] as nn.Linear).weight;
      const before = [w0(dead).clone(), w0(vin).clone()];
      const steps = 50;
      for (const m of [dead, vin]) {
        const opt = new optim.SGD(m.parameters(), { lr: 0.05 });
        for (let s = 0; s < steps; s++) { opt.zeroGrad(); bce(m, d.xTrain, d.yTrain).backward(); opt.step(); }
      }
      const firstLayerDead = deadRep.layers[0];
      const rowsMoved = noGrad(() => w0(dead).sub(before[0]).abs().sum(1).gt(0).float().sum().item());
      const vinMoved = noGrad(() => w0(vin).sub(before[1]).abs().max().item());
      return {
        lines: [
          `ReLU net with first-layer bias −3: ${firstLayerDead.deadUnits} of ${firstLayerDead.units} units never fire on the training set (deadReluReport ${deadRep.ok ? "ok" : "flags it"});`,
          `  after ${steps} SGD steps only ${rowsMoved} of 32 first-layer weight rows changed at all: the dead units' rows got exactly 0 gradient`,
          `10-layer sigmoid net: its first layer's weights moved by at most ${num(vinMoved)} in ${steps} steps: tiny, but not zero`,
        ],
        values: { dead: firstLayerDead.deadUnits, rowsMoved, live: 32 - firstLayerDead.deadUnits, vinMoved },
      };
    },
    judge: (v) => v.dead > 0 && v.rowsMoved <= v.live && v.vinMoved > 0
      ? { verdict: "confirmed", because: `${v.dead} dead units' weights never changed (capacity lost), while the vanishing net's first layer still moved (${num(v.vinMoved)}, slowly)` }
      : { verdict: "refuted", because: "dead units' weights changed" },
  },
  {
    id: "4.7", fidelity: "faithful", file: FILE,
    claim: "If the training set fits in memory, use all of it per step (full-batch gradient descent) or a (Gauss-)Newton method using curvature.",
    run(ctx) {
      const d = matches(ctx);
      const X = noGrad(() => d.xTrain), y = d.yTrain;
      const n = X.shape[0], p = X.shape[1] + 1;
      const rows = X.tolist() as number[][];
      const ys = (y.tolist() as number[][]).map((r) => r[0]);
      const loss = (w: number[]): number => rows.reduce((s, r, i) => {
        const z = w[0] + r.reduce((a, v, j) => a + v * w[j + 1], 0);
        return s + Math.max(z, 0) - z * ys[i] + Math.log1p(Math.exp(-Math.abs(z)));
      }, 0) / n;
      // Newton on logistic regression: w ← w − H⁻¹∇, with ∇ = Xᵀ(σ(Xw) − y)/n and H = Xᵀ diag(σ(1−σ)) X / n.
      let w = new Array(p).fill(0);
      const newton = [loss(w)];
      for (let it = 0; it < 8; it++) {
        const gr = new Array(p).fill(0), H = Array.from({ length: p }, () => new Array(p).fill(0));
        rows.forEach((r, i) => {
          const xr = [1, ...r];
          const s = 1 / (1 + Math.exp(-xr.reduce((a, v, j) => a + v * w[j], 0)));
          for (let a = 0; a < p; a++) { gr[a] += ((s - ys[i]) * xr[a]) / n; for (let b = 0; b < p; b++) H[a][b] += (s * (1 - s) * xr[a] * xr[b]) / n; }
        });
        const step = solve(H, gr);
        w = w.map((v, j) => v - step[j]);
        newton.push(loss(w));
      }
      const newtonBest = Math.min(...newton);
      const newtonIters = newton.findIndex((v) => v < newtonBest + 1e-4);
      // The exam's network (16-32-16-1, ReLU) on the in-memory training set, the same start for all three,
      // compared at equal passes over the data (one pass = one full-batch gradient or one epoch of minibatches).
      const passes = ctx.tiny ? 30 : 60;
      const start = boxingMlp("relu", "kaiming", new Generator(ctx.seed + 47));
      const fresh = (): nn.Sequential => { const m = boxingMlp("relu", "kaiming", new Generator(ctx.seed + 47)); m.loadStateDict(start.stateDict()); return m; };
      const trainLoss = (m: nn.AnyModule): number => noGrad(() => bce(m, X, y).item());
      const mini = fresh();
      const miniCurve = trainSgd(mini, d, passes, 0.05, new Generator(ctx.seed + 48));
      const full = fresh();
      const optF = new optim.SGD(full.parameters(), { lr: 0.5 });
      const fullCurve = [trainLoss(full)];
      for (let e = 0; e < passes; e++) { optF.zeroGrad(); bce(full, X, y).backward(); optF.step(); fullCurve.push(trainLoss(full)); }
      const lb = fresh();
      const optL = new optim.LBFGS(lb.parameters(), { lineSearchFn: "strong_wolfe", maxIter: 5, historySize: 20 });
      let evals = 0;
      // Per full-batch evaluation (line-search trials included), the lowest training BCE evaluated so far.
      const lbCurve = [trainLoss(lb)];
      while (evals < passes) {
        optL.step(() => { evals++; optL.zeroGrad(); const l = bce(lb, X, y); l.backward(); lbCurve.push(Math.min(last(lbCurve), l.item())); return l; });
      }
      const testAcc = (m: nn.AnyModule): number => acc(m, d.xTest, d.yTest);
      return {
        lines: [
          `logistic regression on ${n} in-memory matches (${p} parameters), Newton with the exact Hessian: training BCE ${newton.map((v) => num(v)).join(", ")} (optimum in ${newtonIters} iterations)`,
          `the exam's MLP 16-32-16-1 (ReLU, Kaiming), ${passes} passes over the ${n} training matches from the same initial weights:`,
          `  minibatch SGD (batch 64, lr 0.05): training BCE ${num(last(miniCurve))}, test accuracy ${pct(testAcc(mini))}`,
          `  full-batch gradient descent (lr 0.5): training BCE ${num(last(fullCurve))}, test accuracy ${pct(testAcc(full))}`,
          `  optim.LBFGS on the full batch (strong-Wolfe line search, curvature from the last 20 steps): training BCE ${num(trainLoss(lb))} after ${evals} full-batch evaluations, test accuracy ${pct(testAcc(lb))}`,
          "minibatch SGD takes many small noisy steps per pass; full batch gives the exact gradient, and LBFGS also uses curvature (an approximate Newton step) to choose where and how far to step.",
        ],
        values: { newtonIters, miniLoss: last(miniCurve), fullLoss: last(fullCurve), lbfgsLoss: trainLoss(lb), lbfgsEvals: evals, passes, lbfgsTest: testAcc(lb), miniTest: testAcc(mini) },
        plots: [{ title: "MLP training BCE per pass over the data", series: { "minibatch SGD": miniCurve, "full-batch GD": fullCurve, "LBFGS (lowest so far)": lbCurve }, logY: true, xLabel: "passes (full-batch evaluations)" }],
      };
    },
    judge: (v) => v.newtonIters <= 6 && v.lbfgsLoss < v.fullLoss && v.lbfgsLoss < v.miniLoss
      ? { verdict: "confirmed", because: `with the data in memory, curvature pays: Newton solves logistic regression in ${v.newtonIters} iterations, and on the exam's MLP LBFGS reaches training BCE ${num(v.lbfgsLoss)} in ${v.lbfgsEvals} full-batch evaluations vs ${num(v.fullLoss)} for full-batch GD and ${num(v.miniLoss)} for minibatch SGD in ${v.passes} passes (test accuracy ${pct(v.lbfgsTest)} vs ${pct(v.miniTest)} for SGD)` }
      : { verdict: "depends", because: `Newton ${v.newtonIters} iterations; MLP training BCE: LBFGS ${num(v.lbfgsLoss)}, full-batch GD ${num(v.fullLoss)}, minibatch SGD ${num(v.miniLoss)} after ${v.passes} passes` },
  },
];
