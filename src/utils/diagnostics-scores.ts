/** Training diagnostics: probabilities fed to a loss that expects logits, and the reverse. */
import { checkKeys } from "../tensor/check.js";
import { Tensor, noGrad } from "../core.js";
import * as nn from "../nn/index.js";
import { fmtNum } from "./plot.js";
import type { Diagnosis } from "./diagnostics-common.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const CHECKED_CROSS_ENTROPY_KEYS = ["labelSmoothing", "weight", "ignoreIndex", "reduction", "warn", "always"] as const;
const CHECK_PROBABILITIES_FOR_LOG_KEYS = ["dim"] as const;
const CHECK_LOGITS_FOR_CROSS_ENTROPY_KEYS = ["dim"] as const;


/** What a tensor of class scores looks like along its class dim. */
export type ScoreKind = "logits" | "probabilities" | "log-probabilities";

export interface ScoreCheck extends Diagnosis {
  kind: ScoreKind;
  min: number;
  max: number;
  /** Smallest and largest sum over the class dim (of exp(x) for log-probabilities). */
  rowSumMin: number;
  rowSumMax: number;
}

function inspectScores(input: Tensor, dim: number, op: string): Omit<ScoreCheck, "ok" | "flagged" | "message"> {
  if (!(input instanceof Tensor)) throw new Error(`${op}: expected a Tensor of class scores`);
  if (input.ndim === 0) throw new Error(`${op}: expected class scores [N,C] (or [C]), got a scalar`);
  const d = input.ndim === 1 ? 0 : dim < 0 ? dim + input.ndim : dim;
  if (d < 0 || d >= input.ndim) throw new Error(`${op}: dim ${dim} is out of range for shape [${input.shape.join(",")}]`);
  return noGrad(() => {
    const x = input.detach().float();
    const min = x.min().item();
    const max = x.max().item();
    const sums = x.sum(d);
    const lse = x.logsumexp(d);
    const rowSumMin = sums.min().item();
    const rowSumMax = sums.max().item();
    const c = input.shape[d];
    const tol = 1e-3;
    if (c > 1 && min >= -1e-6 && max <= 1 + 1e-6 && Math.abs(rowSumMin - 1) < tol && Math.abs(rowSumMax - 1) < tol) {
      return { kind: "probabilities" as const, min, max, rowSumMin, rowSumMax };
    }
    if (c > 1 && max <= 1e-6 && Math.abs(lse.min().item()) < tol && Math.abs(lse.max().item()) < tol) {
      return { kind: "log-probabilities" as const, min, max, rowSumMin: Math.exp(lse.min().item()), rowSumMax: Math.exp(lse.max().item()) };
    }
    return { kind: "logits" as const, min, max, rowSumMin, rowSumMax };
  });
}

/**
 * `checkLogitsForCrossEntropy(scores)`: `crossEntropy`/`CrossEntropyLoss` apply logSoftmax
 * themselves, so they want raw scores (logits). Feeding them softmax outputs (every row in [0,1],
 * summing to 1) applies softmax twice: the loss can never get near 0 and gradients shrink, so
 * training stalls. Flags probabilities and log-probabilities and says to drop the softmax (exam 2.2).
 *
 * @example checkLogitsForCrossEntropy(model.call(x)).ok
 */
export function checkLogitsForCrossEntropy(input: Tensor, opts: { dim?: number } = {}): ScoreCheck {
  checkKeys("checkLogitsForCrossEntropy", opts, CHECK_LOGITS_FOR_CROSS_ENTROPY_KEYS);
  const s = inspectScores(input, opts.dim ?? 1, "checkLogitsForCrossEntropy");
  const range = `values in [${fmtNum(s.min)}, ${fmtNum(s.max)}], class sums in [${fmtNum(s.rowSumMin)}, ${fmtNum(s.rowSumMax)}]`;
  let message: string;
  if (s.kind === "probabilities") {
    message = [
      `crossEntropy got probabilities, not logits (${range}): every row lies in [0,1] and sums to 1, i.e. softmax was already applied.`,
      "crossEntropy applies logSoftmax itself, so this is softmax twice: the loss can no longer approach 0 and its",
      "gradients are squashed, so training crawls. Drop the final nn.Softmax / .softmax() and pass the raw scores; take",
      "softmax only where you need probabilities (reporting, sampling).",
    ].join("\n");
  } else if (s.kind === "log-probabilities") {
    message = [
      `crossEntropy got log-probabilities (${range}): exp of each row sums to 1, i.e. logSoftmax was already applied.`,
      "That happens to give the same loss (logSoftmax is idempotent), but it is wasted work and confusing: either drop the",
      "LogSoftmax and keep crossEntropy, or keep it and use nllLoss (PyTorch's LogSoftmax + NLLLoss pairing).",
    ].join("\n");
  } else {
    message = `Input looks like logits (${range}); fine for crossEntropy.`;
  }
  return { ...s, ok: s.kind === "logits", flagged: s.kind === "logits" ? [] : ["input"], message };
}

/**
 * `checkProbabilitiesForLog(scores)`: the other half of exam 2.2. A hand-written cross-entropy
 * −Σ y·log(ŷ) (or BCELoss / nllLoss after a log) needs probabilities; raw network outputs can be
 * negative, and log(−1) is NaN. Flags anything that is not a probability distribution along `dim`.
 *
 * @example checkProbabilitiesForLog(tensor([[-1.0, -1.3, -1.3]])).message
 */
export function checkProbabilitiesForLog(input: Tensor, opts: { dim?: number } = {}): ScoreCheck {
  checkKeys("checkProbabilitiesForLog", opts, CHECK_PROBABILITIES_FOR_LOG_KEYS);
  const s = inspectScores(input, opts.dim ?? 1, "checkProbabilitiesForLog");
  const ok = s.kind === "probabilities";
  const range = `values in [${fmtNum(s.min)}, ${fmtNum(s.max)}], class sums in [${fmtNum(s.rowSumMin)}, ${fmtNum(s.rowSumMax)}]`;
  const message = ok
    ? `Input is a probability distribution (${range}); log is defined.`
    : [
        `Expected probabilities but got ${s.kind} (${range}).`,
        s.min < 0 ? `log of the negative values is NaN (log(${fmtNum(s.min)}) is undefined), and a loss of NaN stops training.` : "Rows do not sum to 1, so this is not a distribution over the classes and the loss is meaningless.",
        "Apply softmax over the classes first (sigmoid for independent binary outputs), or better, pass the logits to",
        "nn.functional.crossEntropy / binaryCrossEntropyWithLogits, which fuse the two in a numerically stable way.",
      ].join("\n");
  return { ...s, ok, flagged: ok ? [] : ["input"], message };
}

let warnedCheckedCrossEntropy = false;

/**
 * `checkedCrossEntropy(logits, labels)`: `nn.functional.crossEntropy` that warns once (through
 * `opts.warn`, default console.warn) when the input looks like probabilities or log-probabilities.
 * Use it while developing a model; the check reads the whole input, so drop it once fixed.
 *
 * @example const loss = checkedCrossEntropy(model.call(x), y);
 */
export function checkedCrossEntropy(
  input: Tensor,
  target: Tensor,
  opts: nn.CrossEntropyOptions & { warn?: (message: string) => void; always?: boolean } = {},
): Tensor {
  checkKeys("checkedCrossEntropy", opts, CHECKED_CROSS_ENTROPY_KEYS);
  const { warn, always, ...ce } = opts;
  if (always || !warnedCheckedCrossEntropy) {
    const c = checkLogitsForCrossEntropy(input);
    if (!c.ok) {
      warnedCheckedCrossEntropy = true;
      (warn ?? console.warn)(c.message);
    }
  }
  return nn.functional.crossEntropy(input, target, ce);
}
