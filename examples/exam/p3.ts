/**
 * Exam Problem 3 (one ReLU unit fitted to (2, 0.5), (3, 0.75), (4, 1) with SGD, batch 1, lr 0.5,
 * from W = b = 1): every number comes from examples/exam-p3-dead-relu.ts, which runs the exam's steps
 * with autograd and the dead-ReLU diagnostics.
 */
import { Linear } from "../../src/nn/index.js";
import { main as p3 } from "../exam-p3-dead-relu.js";
import { num, shared, type ExamItem, type RunContext } from "./item.js";

const FILE = "examples/exam-p3-dead-relu.ts";
const run3 = shared((ctx: RunContext) => p3({ epochs: ctx.tiny ? 200 : 300, log: () => {} }));

const exact = (name: string, got: number, want: number) => (got === want
  ? { verdict: "confirmed" as const, because: `${name} = ${num(got)}, as the solution says` }
  : { verdict: "refuted" as const, because: `${name} = ${num(got)}, the solution says ${want}` });

export const items: ExamItem[] = [
  {
    id: "3.1", fidelity: "faithful", file: "examples/exam/p3.ts", claim: "W is a scalar (1x1) and the network has 2 trainable parameters.",
    run() {
      const lin = new Linear(1, 1);
      const n = lin.parameters().reduce((a, p) => a + p.numel(), 0);
      return { lines: [`nn.Linear(1, 1): weight [${lin.weight.shape.join(",")}], bias [${lin.bias!.shape.join(",")}], ${n} trainable numbers`], values: { wNumel: lin.weight.numel(), params: n } };
    },
    judge: (v) => v.wNumel === 1 && v.params === 2 ? { verdict: "confirmed", because: "weight [1,1] + bias [1] = 2 parameters" } : { verdict: "refuted", because: `${v.params} parameters` },
  },
  {
    id: "3.2", fidelity: "faithful", file: FILE, claim: "Zero loss is reachable: W = 0.25, b = 0.",
    run(ctx) { const r = run3(ctx); return { lines: [`LeakyReLU at lr 0.05 converges to W = ${num(r.leakySmallLr.W)}, b = ${num(r.leakySmallLr.b)}, loss ${num(r.leakySmallLr.loss)}; 0.25·x gives 0.5, 0.75, 1 exactly`], values: { W: r.leakySmallLr.W, b: r.leakySmallLr.b, loss: r.leakySmallLr.loss } }; },
    judge: (v) => Math.abs(v.W - 0.25) < 0.01 && Math.abs(v.b) < 0.02 && v.loss < 1e-3 ? { verdict: "confirmed", because: `training finds W ≈ ${num(v.W)}, b ≈ ${num(v.b)} with loss ${num(v.loss)}` } : { verdict: "refuted", because: `W ${num(v.W)}, b ${num(v.b)}` },
  },
  { id: "3.3", fidelity: "faithful", file: FILE, claim: "Forward pass at x = 4 with W0 = b0 = 1: ŷ = ReLU(5) = 5.", run(ctx) { const s = run3(ctx).relu[0]; return { lines: [`ŷ(4) = ${s.pred}`], values: { pred: s.pred } }; }, judge: (v) => exact("ŷ", v.pred, 5) },
  { id: "3.4", fidelity: "faithful", file: FILE, claim: "The loss at x = 4 is (5 − 1)² = 16.", run(ctx) { const s = run3(ctx).relu[0]; return { lines: [`loss = ${s.loss}`], values: { loss: s.loss } }; }, judge: (v) => exact("loss", v.loss, 16) },
  {
    id: "3.5", fidelity: "faithful", file: FILE, claim: "dL/dW = 32 and dL/db = 8.",
    run(ctx) { const s = run3(ctx).relu[0]; return { lines: [`autograd: dL/dW = ${s.dW}, dL/db = ${s.db}`], values: { dW: s.dW, db: s.db } }; },
    judge: (v) => v.dW === 32 && v.db === 8 ? { verdict: "confirmed", because: "autograd gives 32 and 8" } : { verdict: "refuted", because: `dW ${v.dW}, db ${v.db}` },
  },
  {
    id: "3.6", fidelity: "faithful", file: FILE, claim: "After the SGD step (lr 0.5): W1 = −15, b1 = −3.",
    run(ctx) { const s = run3(ctx).relu[0]; return { lines: [`optim.SGD step: W1 = ${s.W}, b1 = ${s.b}`], values: { W: s.W, b: s.b } }; },
    judge: (v) => v.W === -15 && v.b === -3 ? { verdict: "confirmed", because: "W1 = −15, b1 = −3" } : { verdict: "refuted", because: `W1 ${v.W}, b1 ${v.b}` },
  },
  {
    id: "3.7", fidelity: "faithful", file: FILE, claim: "Next, at x = 2: prediction 0, loss 0.25, gradient 0.",
    run(ctx) { const s = run3(ctx).relu[1]; return { lines: [`x = 2: ŷ = ${s.pred}, loss ${s.loss}, dL/dW = ${s.dW}`], values: { pred: s.pred, loss: s.loss, dW: Math.abs(s.dW) } }; },
    judge: (v) => v.pred === 0 && v.loss === 0.25 && v.dW === 0 ? { verdict: "confirmed", because: "prediction 0, loss 0.25, zero gradient" } : { verdict: "refuted", because: `ŷ ${v.pred}, loss ${v.loss}` },
  },
  {
    id: "3.8", fidelity: "faithful", file: FILE, claim: "The ReLU is dead: W4 = W1 = −15.",
    run(ctx) { const r = run3(ctx); return { lines: [`W after each of the 5 steps: ${r.relu.map((s) => s.W).join(", ")}; deadReluReport flags it: ${r.deadReluFlagged}`, `loss over ${r.reluCurve.length - 1} more epochs never moves: ${num(r.reluCurve[0])} … ${num(r.reluCurve[r.reluCurve.length - 1])}`], values: { W4: r.reluW4, flagged: r.deadReluFlagged ? 1 : 0 } }; },
    judge: (v) => v.W4 === -15 && v.flagged === 1 ? { verdict: "confirmed", because: "W4 = −15 and the dead unit is flagged" } : { verdict: "refuted", because: `W4 ${v.W4}` },
  },
  {
    id: "3.9", fidelity: "faithful", file: FILE, claim: "Minimal network change: LeakyReLU keeps a gradient for negative inputs, so W moves again.",
    run(ctx) {
      const r = run3(ctx);
      return {
        lines: [`LeakyReLU(0.01), same steps: W4 = ${num(r.leakyW4)} (ReLU: ${r.reluW4})`, `at lr 0.5 it leaves the dead region but overshoots (loss ${num(r.leakyCurve[r.leakyCurve.length - 1])}); at lr 0.05 it reaches W = ${num(r.leakySmallLr.W)}, b = ${num(r.leakySmallLr.b)}`],
        values: { leakyW4: r.leakyW4, reluW4: r.reluW4 },
        plots: [{ title: "loss on the 3 points per epoch, lr 0.5", series: { ReLU: r.reluCurve, LeakyReLU: r.leakyCurve }, logY: true, xLabel: "epoch" }],
      };
    },
    judge: (v) => v.leakyW4 > v.reluW4 + 0.1 ? { verdict: "confirmed", because: `W moves off −15 to ${num(v.leakyW4)} with LeakyReLU` } : { verdict: "refuted", because: "W did not move" },
  },
];
