/**
 * The OpInfo cases deeptype knowingly does not agree with, each with its reason (listed for users in
 * docs/testing-opinfo.md). test/opinfo.test.ts fails on any other disagreement, and on an entry here
 * that no longer matches anything (so a fix must also delete its entry).
 */
import type { CaseResult } from "./opinfo-harness.js";

export interface Known {
  op: string;
  kind: "unsupported" | "mismatch" | "throws" | "returns" | "crash";
  /** A substring of the verdict's detail; absent: every case of that op and kind. */
  detail?: string;
  reason: string;
}

export function matchesKnown(k: Known, r: CaseResult): boolean {
  return !r.verdict.ok && r.op === k.op && r.verdict.kind === k.kind && (k.detail === undefined || r.verdict.detail.includes(k.detail));
}

export const KNOWN: readonly Known[] = [
  { op: "abs", kind: "mismatch", reason: "TODO" },
  { op: "add", kind: "unsupported", reason: "TODO" },
  { op: "amax", kind: "mismatch", reason: "TODO" },
  { op: "amax", kind: "returns", reason: "TODO" },
  { op: "amin", kind: "mismatch", reason: "TODO" },
  { op: "amin", kind: "returns", reason: "TODO" },
  { op: "cat", kind: "throws", reason: "TODO" },
  { op: "cat", kind: "crash", reason: "TODO" },
  { op: "clamp", kind: "unsupported", reason: "TODO" },
  { op: "cumsum", kind: "unsupported", reason: "TODO" },
  { op: "gather", kind: "throws", reason: "TODO" },
  { op: "gather", kind: "returns", reason: "TODO" },
  { op: "index_add", kind: "throws", reason: "TODO" },
  { op: "index_select", kind: "mismatch", reason: "TODO" },
  { op: "log_softmax", kind: "mismatch", reason: "TODO" },
  { op: "logical_and", kind: "mismatch", reason: "TODO" },
  { op: "logical_not", kind: "mismatch", reason: "TODO" },
  { op: "logical_or", kind: "mismatch", reason: "TODO" },
  { op: "logical_xor", kind: "mismatch", reason: "TODO" },
  { op: "logsumexp", kind: "mismatch", reason: "TODO" },
  { op: "__rmatmul__", kind: "throws", reason: "TODO" },
  { op: "masked_fill", kind: "unsupported", reason: "TODO" },
  { op: "masked_fill", kind: "throws", reason: "TODO" },
  { op: "matmul", kind: "throws", reason: "TODO" },
  { op: "max.binary", kind: "mismatch", reason: "TODO" },
  { op: "max.binary", kind: "returns", reason: "TODO" },
  { op: "maximum", kind: "mismatch", reason: "TODO" },
  { op: "mean", kind: "mismatch", reason: "TODO" },
  { op: "mean", kind: "returns", reason: "TODO" },
  { op: "mean", kind: "unsupported", reason: "TODO" },
  { op: "min.binary", kind: "mismatch", reason: "TODO" },
  { op: "min.binary", kind: "returns", reason: "TODO" },
  { op: "minimum", kind: "mismatch", reason: "TODO" },
  { op: "neg", kind: "returns", reason: "TODO" },
  { op: "norm", kind: "throws", reason: "TODO" },
  { op: "norm", kind: "mismatch", reason: "TODO" },
  { op: "prod", kind: "mismatch", reason: "TODO" },
  { op: "rsub", kind: "unsupported", reason: "TODO" },
  { op: "scatter", kind: "returns", reason: "TODO" },
  { op: "scatter_add", kind: "returns", reason: "TODO" },
  { op: "sign", kind: "mismatch", reason: "TODO" },
  { op: "softmax", kind: "mismatch", reason: "TODO" },
  { op: "sub", kind: "unsupported", reason: "TODO" },
  { op: "sum", kind: "mismatch", reason: "TODO" },
  { op: "unbind", kind: "returns", reason: "TODO" },
  { op: "nn.functional.avg_pool2d", kind: "unsupported", reason: "TODO" },
  { op: "nn.functional.avg_pool2d", kind: "throws", reason: "TODO" },
  { op: "nn.functional.batch_norm", kind: "throws", reason: "TODO" },
  { op: "nn.functional.conv2d", kind: "returns", reason: "TODO" },
  { op: "nn.functional.elu", kind: "mismatch", reason: "TODO" },
  { op: "nn.functional.gelu", kind: "returns", reason: "TODO" },
  { op: "nn.functional.group_norm", kind: "throws", reason: "TODO" },
  { op: "nn.functional.layer_norm", kind: "mismatch", reason: "TODO" },
  { op: "nn.functional.pad.constant", kind: "throws", reason: "TODO" },
  { op: "nn.functional.pad.reflect", kind: "throws", reason: "TODO" },
];
