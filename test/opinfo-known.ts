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
  // Not yet in deeptype (the samples are counted as not covered).
  // Deliberate differences.
  { op: "aminmax", kind: "returns", detail: "64 dims", reason: "deeptype has no 64-dimension limit" },
  { op: "aminmax", kind: "mismatch", detail: "shape [] vs PyTorch [1]", reason: "PyTorch 1.13's aminmax of a 0-d tensor with dim=0, keepdim=True returns shape [1] where its own amin/amax (and aminmax without keepdim) return 0-d; deeptype's aminmax is {amin, amax} and stays 0-d" },
  { op: "amax", kind: "returns", detail: "64 dims", reason: "deeptype has no 64-dimension limit" },
  { op: "amin", kind: "returns", detail: "64 dims", reason: "deeptype has no 64-dimension limit" },
  { op: "gather", kind: "returns", detail: "int64 for index", reason: "deeptype takes int32 indices as well as int64 (PyTorch 1.13's gather requires int64), so PyTorch's int32-index error input is accepted" },
  { op: "scatter", kind: "returns", detail: "int64 for index", reason: "deeptype takes int32 indices as well as int64 (see gather)" },
  { op: "scatter_add", kind: "returns", detail: "int64 for index", reason: "deeptype takes int32 indices as well as int64 (see gather)" },
  // PyTorch's own inconsistency or float32 conditioning.
  { op: "nn.functional.elu", kind: "mismatch", detail: "gradient", reason: "for NaN inputs PyTorch 1.13's CPU elu backward gives NaN in its vectorised loop and the plain gradient in its scalar tail; deeptype gives NaN throughout" },
  { op: "nn.functional.selu", kind: "mismatch", detail: "gradient", reason: "as elu (selu is a scaled elu): for NaN inputs PyTorch's vectorised loop gives NaN and its scalar tail the plain gradient; deeptype gives NaN throughout" },
  { op: "nn.functional.celu", kind: "mismatch", detail: "gradient", reason: "as elu (celu is elu of x/alpha): for NaN inputs PyTorch's vectorised loop gives NaN and its scalar tail the plain gradient; deeptype gives NaN throughout" },
  { op: "nn.functional.relu6", kind: "mismatch", detail: "gradient", reason: "for NaN inputs PyTorch's hardtanh backward gives 0 in its vectorised loop and passes the gradient in its scalar tail; deeptype gives 0 throughout" },
  { op: "digamma", kind: "mismatch", detail: "gradient", reason: "at a pole (a negative integer) PyTorch's trigamma returns a huge finite value (1.5e27 at -501); deeptype returns Infinity" },
  { op: "nn.functional.layer_norm", kind: "mismatch", detail: "output", reason: "float32 sample with eps = -0.5, so variance + eps is near 0 and float32 rounding is amplified to 2e-5 relative (float64 agrees)" },
];
