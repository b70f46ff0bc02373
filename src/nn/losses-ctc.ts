/**
 * Connectionist temporal classification loss (Graves et al. 2006), PyTorch 1.13's `ctc_loss`: the
 * negative log-likelihood of a target sequence summed over every alignment of it to the input
 * frames, by the forward (α) recursion in log space; the gradient by the backward (β) recursion.
 *
 * The recursions run per sample in float64 over the input's values. As PyTorch's, the gradient
 * given for `logProbs` is exp(logProbs) − γ (γ: the posterior of each label per frame), which is
 * the gradient with respect to the logits when logProbs = logSoftmax(logits), the intended use.
 */
import { checkTensor, describe, checkKeys } from "../tensor/check.js";
import { Tensor, where, isFloating, defineOp, apply, tensor } from "../core.js";
import { Module, fmtShape } from "./module.js";
import { type Reduction, type LossOptions, readLossOptions } from "./losses.js";

/** The option keys of each class here: anything else is a misspelling. */
const CTCLOSS_KEYS = ["blank", "zeroInfinity", "reduction"] as const;

/** Options of `ctcLoss`/`CTCLoss`, e.g. `{ blank: 0, zeroInfinity: true }`. */
export interface CtcLossOptions extends LossOptions {
  /** The blank label's class index (default 0). */
  blank?: number;
  /** Replace infinite losses (targets no alignment can produce) and their gradients by 0 (default false). */
  zeroInfinity?: boolean;
}

/** Sequence lengths: an int32 tensor, an array of numbers, or one number for an unbatched input. */
export type CtcLengths = Tensor | readonly number[] | number;

interface CtcAttrs {
  /** Per sample: its target labels. */
  targets: Int32Array[];
  inputLengths: number[];
  blank: number;
  zeroInfinity: boolean;
}

const NEG_INF = -Infinity;

/** log(e^a + e^b + e^c), PyTorch's way (the max shifted out, 0 when all are -inf). */
function lse3(a: number, b: number, c: number): number {
  let m = Math.max(a, b, c);
  if (m === NEG_INF) m = 0;
  return Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m)) + m;
}

/** Reads logProbs[t, n, :] for sample n as a [T][C] accessor over a contiguous float64 copy. */
function sampleView(lp: Float64Array, N: number, C: number, n: number): (t: number, c: number) => number {
  return (t, c) => lp[(t * N + n) * C + c];
}

/** α[t][s] (log space) for one sample: [Tn × S] row-major, S = 2L + 1. */
function forwardAlpha(at: (t: number, c: number) => number, Tn: number, label: Int32Array, blank: number): Float64Array {
  const L = label.length;
  const S = 2 * L + 1;
  const prime = (s: number) => (s % 2 === 0 ? blank : label[(s - 1) >> 1]);
  const alpha = new Float64Array(Math.max(Tn, 1) * S).fill(NEG_INF);
  if (Tn === 0) return alpha;
  alpha[0] = at(0, blank);
  if (L > 0) alpha[1] = at(0, prime(1));
  for (let t = 1; t < Tn; t++) {
    for (let s = 0; s < S; s++) {
      const p = prime(s);
      const la1 = alpha[(t - 1) * S + s];
      const la2 = s > 0 ? alpha[(t - 1) * S + s - 1] : NEG_INF;
      // Skipping the blank between two labels is allowed only when they differ.
      const la3 = s > 1 && p !== blank && prime(s - 2) !== p ? alpha[(t - 1) * S + s - 2] : NEG_INF;
      alpha[t * S + s] = lse3(la1, la2, la3) + at(t, p);
    }
  }
  return alpha;
}

/** −log p(target | input) from α: the paths ending in the last label or the final blank. */
function nllOf(alpha: Float64Array, Tn: number, L: number): number {
  if (Tn === 0) return L === 0 ? 0 : Infinity;
  const S = 2 * L + 1;
  const l1 = alpha[(Tn - 1) * S + 2 * L];
  const l2 = L > 0 ? alpha[(Tn - 1) * S + 2 * L - 1] : NEG_INF;
  let m = Math.max(l1, l2);
  if (m === NEG_INF) m = 0;
  return -(Math.log(Math.exp(l1 - m) + Math.exp(l2 - m)) + m);
}

/** The per-sample negative log-likelihoods [N]; its backward is PyTorch's ctc_loss_backward. */
const ctcNllOp = defineOp<CtcAttrs>({
  name: "ctcLoss",
  forward([logProbs], { targets, inputLengths, blank }) {
    const [, N, C] = logProbs.shape;
    const lp = Float64Array.from(logProbs.numbers());
    const out = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      const alpha = forwardAlpha(sampleView(lp, N, C, n), inputLengths[n], targets[n], blank);
      out[n] = nllOf(alpha, inputLengths[n], targets[n].length);
    }
    return tensor(out, { dtype: logProbs.dtype });
  },
  backward(g, { inputs: [logProbs], attrs: { targets, inputLengths, blank, zeroInfinity } }) {
    const [T, N, C] = logProbs.shape;
    const lp = Float64Array.from(logProbs.numbers());
    const coef = new Float64Array(T * N * C);
    for (let n = 0; n < N; n++) {
      const at = sampleView(lp, N, C, n);
      const Tn = inputLengths[n];
      const label = targets[n];
      const L = label.length;
      const S = 2 * L + 1;
      const prime = (s: number) => (s % 2 === 0 ? blank : label[(s - 1) >> 1]);
      const alpha = forwardAlpha(at, Tn, label, blank);
      const nll = nllOf(alpha, Tn, L);
      if (Tn === 0 || (zeroInfinity && nll === Infinity)) continue;
      // β[t][s]: log-probability of finishing from state s at frame t (frame t's emission included).
      const beta = new Float64Array(Tn * S).fill(NEG_INF);
      beta[(Tn - 1) * S + 2 * L] = at(Tn - 1, blank);
      if (L > 0) beta[(Tn - 1) * S + 2 * L - 1] = at(Tn - 1, prime(2 * L - 1));
      for (let t = Tn - 2; t >= 0; t--) {
        for (let s = 0; s < S; s++) {
          const p = prime(s);
          const lb1 = beta[(t + 1) * S + s];
          const lb2 = s < 2 * L ? beta[(t + 1) * S + s + 1] : NEG_INF;
          const lb3 = s < 2 * L - 1 && prime(s + 2) !== p ? beta[(t + 1) * S + s + 2] : NEG_INF;
          beta[t * S + s] = lse3(lb1, lb2, lb3) + at(t, p);
        }
      }
      // Per frame and class: log Σ_{s: label(s) = c} α·β, then PyTorch's exp(lp) − exp(lαβ + nll − lp).
      const lab = new Float64Array(C);
      for (let t = 0; t < Tn; t++) {
        lab.fill(NEG_INF);
        for (let s = 0; s < S; s++) {
          const c = prime(s);
          const v = alpha[t * S + s] + beta[t * S + s];
          const cur = lab[c];
          if (cur === NEG_INF) lab[c] = v;
          else if (v !== NEG_INF) {
            const m = Math.max(cur, v);
            lab[c] = Math.log(Math.exp(cur - m) + Math.exp(v - m)) + m;
          }
        }
        for (let c = 0; c < C; c++) {
          const l = at(t, c);
          coef[(t * N + n) * C + c] = Math.exp(l) - Math.exp(lab[c] + nll - l);
        }
      }
    }
    // Linear in g, so a gradient of this gradient with respect to g is still right (not to logProbs).
    const k = Tensor.fromArray(logProbs.dtype === "float64" ? coef : Float32Array.from(coef), [T, N, C], logProbs.dtype);
    return [k.mul(g.reshape([1, N, 1]))];
  },
});

/** Lengths as a list of integers (one per sample), or a message saying what was wrong. */
function readLengths(op: string, name: string, v: unknown, N: number, unbatched: boolean): number[] {
  let list: number[];
  if (v instanceof Tensor) {
    if (isFloating(v.dtype) || v.dtype === "bool") throw new Error(`${op}: ${name} must hold integers (an int32 tensor or an array of numbers), got a ${v.dtype} tensor`);
    if (v.ndim > 1) throw new Error(`${op}: ${name} must be 1-D (one length per sample), got ${fmtShape(v.shape)}`);
    list = Array.from(v.numbers());
  } else if (typeof v === "number" && unbatched) list = [v];
  else if (Array.isArray(v)) list = [...(v as unknown[])] as number[];
  else throw new Error(`${op}: ${name} must be an int32 tensor or an array of numbers${unbatched ? " (or one number for an unbatched input)" : ""}, got ${describe(v)}`);
  if (list.length !== N) throw new Error(`${op}: ${name} must have one entry per sample (${N}), got ${list.length}`);
  list.forEach((x) => {
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0) throw new Error(`${op}: ${name} must be integers >= 0, got ${describe(x)}`);
  });
  return list;
}

/**
 * `ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank, reduction, zeroInfinity })`:
 * the CTC loss, −log Σ over alignments of the target to the input frames.
 * - logProbs [T, N, C]: log-probabilities (logSoftmax over C) per frame, sample, class; or [T, C] unbatched.
 * - targets int32: padded [N, S] (S >= the longest target), or all targets concatenated in one 1-D
 *   tensor of sum(targetLengths) labels; for an unbatched input, 1-D [S]. Labels lie in [0, C) and
 *   are never `blank`.
 * - inputLengths, targetLengths: one per sample (an int32 tensor or an array; a number when unbatched),
 *   inputLengths[n] <= T.
 * Reduction "mean" divides each loss by its target length (at least 1) and then averages over the
 * batch, as PyTorch; "sum" adds; "none" gives [N] (0-d unbatched).
 *
 * ```ts
 * const loss = F.ctcLoss(logits.logSoftmax(2), targets, inputLengths, targetLengths);
 * ```
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: CtcLengths, targetLengths: CtcLengths, opts?: CtcLossOptions): Tensor {
  const op = "ctcLoss";
  const { reduction = "mean", blank = 0, zeroInfinity = false } = readLossOptions(op, opts, ["blank", "zeroInfinity"]);
  checkTensor(op, "logProbs", logProbs);
  checkTensor(op, "targets", targets);
  if (!isFloating(logProbs.dtype)) throw new Error(`${op}: logProbs must be floating point (log-probabilities), got ${logProbs.dtype}`);
  if (logProbs.ndim !== 3 && logProbs.ndim !== 2) {
    throw new Error(`${op}: logProbs must be [T, N, C] (frames, batch, classes) or [T, C] for one sequence, got ${fmtShape(logProbs.shape)}`);
  }
  if (typeof zeroInfinity !== "boolean") throw new Error(`${op}: zeroInfinity must be true or false, got ${describe(zeroInfinity)}`);
  const unbatched = logProbs.ndim === 2;
  const lp = unbatched ? logProbs.unsqueeze(1) : logProbs;
  const [T, N, C] = lp.shape;
  if (typeof blank !== "number" || !Number.isInteger(blank) || blank < 0 || blank >= C) {
    throw new Error(`${op}: blank must be a class index in [0, ${C - 1}], got ${describe(blank)}`);
  }
  if (isFloating(targets.dtype) || targets.dtype === "bool") throw new Error(`${op}: targets hold class indices and must be int64 (or another integer dtype), got ${targets.dtype} (use targets.long())`);
  const il = readLengths(op, "inputLengths", inputLengths, N, unbatched);
  const tl = readLengths(op, "targetLengths", targetLengths, N, unbatched);
  il.forEach((x, n) => {
    if (x > T) throw new Error(`${op}: inputLengths[${n}] is ${x} but logProbs has only ${T} frames; lengths must be <= T`);
  });
  const ids = targets.numbers();
  const labels: Int32Array[] = [];
  if (unbatched || targets.ndim === 2) {
    const rows = unbatched ? 1 : targets.shape[0];
    const S = targets.shape[targets.ndim - 1];
    if ((unbatched && targets.ndim !== 1) || rows !== N) {
      throw new Error(`${op}: targets ${fmtShape(targets.shape)} do not fit ${N} sample(s): give them padded as [N, S] or concatenated as one 1-D tensor${unbatched ? " (1-D [S] for one sequence)" : ""}`);
    }
    tl.forEach((x, n) => {
      if (x > S) throw new Error(`${op}: targetLengths[${n}] is ${x} but the padded targets hold only ${S} labels per sample`);
      labels.push(Int32Array.from(ids.subarray(n * S, n * S + x)));
    });
  } else if (targets.ndim === 1) {
    const total = tl.reduce((a, b) => a + b, 0);
    if (total !== targets.shape[0]) throw new Error(`${op}: concatenated targets hold ${targets.shape[0]} labels but targetLengths add up to ${total}`);
    let at = 0;
    for (const x of tl) {
      labels.push(Int32Array.from(ids.subarray(at, at + x)));
      at += x;
    }
  } else throw new Error(`${op}: targets must be [N, S] (padded) or 1-D (concatenated), got ${fmtShape(targets.shape)}`);
  labels.forEach((row, n) => {
    for (const v of row) {
      if (v < 0 || v >= C || v === blank) throw new RangeError(`${op}: target label ${v} of sample ${n} is not a class other than the blank (${blank}) in [0, ${C - 1}]`);
    }
  });

  let nll = apply(ctcNllOp, [lp], { targets: labels, inputLengths: il, blank, zeroInfinity });
  if (zeroInfinity) nll = where(nll.eq(Infinity), 0, nll);
  if (reduction === "none") return unbatched ? nll.reshape([]) : nll;
  if (reduction === "sum") return nll.sum();
  return nll.div(tensor(tl.map((x) => Math.max(x, 1)), { dtype: nll.dtype })).mean();
}

/**
 * CTC loss as a module. `new nn.CTCLoss({ blank: 0 }).call(logProbs, targets, inputLengths, targetLengths)`
 *
 * Shape: logProbs [T, N, C], targets [N, S] or concatenated, lengths [N] each; output [] or [N] with "none".
 */
export class CTCLoss extends Module<[Tensor, Tensor, CtcLengths, CtcLengths], Tensor> {
  readonly reduction: Reduction;
  readonly blank: number;
  readonly zeroInfinity: boolean;
  constructor(opts: CtcLossOptions = {}) {
    super();
    checkKeys("CTCLoss", opts, CTCLOSS_KEYS);
    this.reduction = readLossOptions("CTCLoss", opts, ["blank", "zeroInfinity"]).reduction ?? "mean";
    this.blank = opts.blank ?? 0;
    this.zeroInfinity = opts.zeroInfinity ?? false;
  }
  forward(logProbs: Tensor, targets: Tensor, inputLengths: CtcLengths, targetLengths: CtcLengths): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { reduction: this.reduction, blank: this.blank, zeroInfinity: this.zeroInfinity });
  }
}
