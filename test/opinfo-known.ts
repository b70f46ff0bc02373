/**
 * The OpInfo cases deeptype knowingly does not agree with, each with its reason (listed for users in
 * docs/testing-opinfo.md). test/opinfo.test.ts fails on any other disagreement, and on an entry here
 * that no longer matches anything (so a fix must also delete its entry).
 */
import type { CaseResult } from "./opinfo-harness.js";

export interface Known {
  op: string;
  kind: "unsupported" | "mismatch" | "throws" | "returns" | "crash" | "unnamed";
  /** A substring of the verdict's detail; absent: every case of that op and kind. */
  detail?: string;
  reason: string;
}

export function matchesKnown(k: Known, r: CaseResult): boolean {
  return !r.verdict.ok && r.op === k.op && r.verdict.kind === k.kind && (k.detail === undefined || r.verdict.detail.includes(k.detail));
}

// float16/bfloat16 samples where deeptype and PyTorch differ beyond PyTorch's own tolerance and
// deeptype is the nearer of the two to the float64 result on the same values (the harness checks this
// for every such case: the detail says "deeptype nearer" only when deeptype's summed error is no larger).
const MATMUL_BF16 = "PyTorch 1.13's CPU bfloat16 matrix products accumulate in bfloat16 (or round each batch's partial product); deeptype accumulates in float32 and rounds once";
const ROUNDS_INTERMEDIATE = "PyTorch 1.13 rounds an intermediate of this op (or of its derivatives.yaml backward formula) to 16 bits; deeptype computes the op, and each backward rule, in float32 and rounds once";
const NEARER: Record<string, string> = {
  __rmatmul__: MATMUL_BF16, addbmm: MATMUL_BF16, addmv: MATMUL_BF16, addr: MATMUL_BF16, baddbmm: MATMUL_BF16, bmm: MATMUL_BF16,
  einsum: MATMUL_BF16, matmul: MATMUL_BF16, mm: MATMUL_BF16, mv: MATMUL_BF16, tensordot: MATMUL_BF16, kron: ROUNDS_INTERMEDIATE,
  "nn.functional.linear": MATMUL_BF16, "nn.functional.bilinear": MATMUL_BF16,
  __rdiv__: ROUNDS_INTERMEDIATE, atanh: ROUNDS_INTERMEDIATE, clamp: ROUNDS_INTERMEDIATE, cumprod: ROUNDS_INTERMEDIATE,
  digamma: ROUNDS_INTERMEDIATE, erf: ROUNDS_INTERMEDIATE, exp2: ROUNDS_INTERMEDIATE, "linalg.vector_norm": ROUNDS_INTERMEDIATE,
  log_softmax: ROUNDS_INTERMEDIATE, logcumsumexp: ROUNDS_INTERMEDIATE, logsumexp: ROUNDS_INTERMEDIATE, norm: ROUNDS_INTERMEDIATE,
  pow: ROUNDS_INTERMEDIATE, rsqrt: ROUNDS_INTERMEDIATE, sinc: ROUNDS_INTERMEDIATE, softmax: ROUNDS_INTERMEDIATE, std: ROUNDS_INTERMEDIATE,
  var: ROUNDS_INTERMEDIATE, xlogy: ROUNDS_INTERMEDIATE,
  "nn.functional.batch_norm": ROUNDS_INTERMEDIATE, "nn.functional.binary_cross_entropy_with_logits": ROUNDS_INTERMEDIATE,
  "nn.functional.cosine_similarity": ROUNDS_INTERMEDIATE, "nn.functional.cross_entropy": ROUNDS_INTERMEDIATE,
  "nn.functional.embedding_bag": ROUNDS_INTERMEDIATE, "nn.functional.gelu": ROUNDS_INTERMEDIATE, "nn.functional.group_norm": ROUNDS_INTERMEDIATE,
  "nn.functional.instance_norm": ROUNDS_INTERMEDIATE, "nn.functional.interpolate.bicubic": ROUNDS_INTERMEDIATE,
  "nn.functional.interpolate.bilinear": ROUNDS_INTERMEDIATE, "nn.functional.interpolate.linear": ROUNDS_INTERMEDIATE,
  "nn.functional.layer_norm": ROUNDS_INTERMEDIATE, "nn.functional.normalize": ROUNDS_INTERMEDIATE,
  "nn.functional.poisson_nll_loss": ROUNDS_INTERMEDIATE, "nn.functional.silu": ROUNDS_INTERMEDIATE,
  "nn.functional.soft_margin_loss": ROUNDS_INTERMEDIATE, "nn.functional.softmin": ROUNDS_INTERMEDIATE,
  "nn.functional.softsign": ROUNDS_INTERMEDIATE, "nn.functional.triplet_margin_loss": ROUNDS_INTERMEDIATE,
  "nn.functional.cosine_embedding_loss": ROUNDS_INTERMEDIATE, "nn.functional.gaussian_nll_loss": ROUNDS_INTERMEDIATE,
  // Integer results of a 16-bit input: a value that rounds differently lands in another bin, or two values tie.
  histc: "bin edges: PyTorch 1.13 computes bfloat16 histc's bin of each value in bfloat16, deeptype in float32 (the float64 bins agree with deeptype's)",
  topk: "two bfloat16 values that tie after PyTorch rounds an intermediate; deeptype's order is the float64 order",
};

export const KNOWN: readonly Known[] = [
  ...Object.entries(NEARER).map(([op, reason]): Known => ({ op, kind: "mismatch", detail: "(deeptype nearer the float64 result)", reason })),
  // Not yet in deeptype (the samples are counted as not covered).
  // Deliberate differences.
  { op: "aminmax", kind: "mismatch", detail: "shape [] vs PyTorch [1]", reason: "PyTorch 1.13's aminmax of a 0-d tensor with dim=0, keepdim=True returns shape [1] where its own amin/amax (and aminmax without keepdim) return 0-d; deeptype's aminmax is {amin, amax} and stays 0-d" },
  { op: "gather", kind: "returns", detail: "int64 for index", reason: "deeptype takes int32 indices as well as int64 (PyTorch 1.13's gather requires int64), so PyTorch's int32-index error input is accepted" },
  { op: "scatter", kind: "returns", detail: "int64 for index", reason: "deeptype takes int32 indices as well as int64 (see gather)" },
  { op: "scatter_add", kind: "returns", detail: "int64 for index", reason: "deeptype takes int32 indices as well as int64 (see gather)" },
  // PyTorch's own inconsistency or float32 conditioning.
  { op: "nn.functional.elu", kind: "mismatch", detail: "gradient", reason: "for NaN inputs PyTorch 1.13's CPU elu backward gives NaN in its vectorised loop and the plain gradient in its scalar tail; deeptype gives NaN throughout" },
  { op: "nn.functional.selu", kind: "mismatch", detail: "gradient", reason: "as elu (selu is a scaled elu): for NaN inputs PyTorch's vectorised loop gives NaN and its scalar tail the plain gradient; deeptype gives NaN throughout" },
  { op: "nn.functional.celu", kind: "mismatch", detail: "gradient", reason: "as elu (celu is elu of x/alpha): for NaN inputs PyTorch's vectorised loop gives NaN and its scalar tail the plain gradient; deeptype gives NaN throughout" },
  { op: "nn.functional.relu6", kind: "mismatch", detail: "gradient", reason: "for NaN inputs PyTorch's hardtanh backward gives 0 in its vectorised loop and passes the gradient in its scalar tail; deeptype gives 0 throughout" },
  { op: "digamma", kind: "mismatch", detail: "gradient", reason: "at a pole (a negative integer) PyTorch's trigamma returns a huge finite value (1.5e27 at -501); deeptype returns Infinity" },
  // torch.linalg (session 14, test/opinfo-map-linalg.ts).
  { op: "linalg.eigh", kind: "mismatch", detail: "output[1]", reason: "eigenvector signs are deeptype's (each vector's largest-|·| entry positive; docs/deviations.md): PyTorch's are whatever LAPACK's syevd gives, which no other algorithm reproduces. The eigenvalues agree" },
  { op: "linalg.svd", kind: "mismatch", detail: "output[0]", reason: "singular-vector signs are deeptype's (each right singular vector's largest-|·| entry positive, U's column flipped with it): PyTorch's are LAPACK gesdd's. S agrees, and U·diag(S)·Vh" },
  { op: "svd", kind: "mismatch", detail: "output[0]", reason: "torch.svd is linalg.svd with V: the same sign convention (see linalg.svd)" },
  { op: "linalg.det.singular", kind: "mismatch", detail: "gradient of tensor 0: element 16 is 0.1444", reason: "a batch with a singular matrix: deeptype's gradient is the exact cofactor matrix (checked against rational adjugates: summed error 9e-16), PyTorch's is 2.3 off (its eps-perturbed lu_solve path); the other singular samples agree" },
  ...([
    ["symeig", "torch.symeig is deprecated since PyTorch 1.9 (removed in 2.0) for linalg.eigh, which deeptype has"],
    ["pca_lowrank", "torch.pca_lowrank is randomized (PyTorch's generator draws the sketch): not in deeptype"],
    ["svd_lowrank", "torch.svd_lowrank is randomized (PyTorch's generator draws the sketch): not in deeptype"],
  ] as const).map(([op, reason]): Known => ({ op, kind: "unsupported", reason })),
  { op: "nn.functional.layer_norm", kind: "mismatch", detail: "output", reason: "float32 sample of one element: variance 0, rstd = 1/sqrt(1e-5) = 316; PyTorch's kernel computes fma(x, rstd, -(rstd*mean))*w + b, which leaves the rounding error of rstd*mean (1e-4 after w) where deeptype gives b exactly, as float64 does" },
];
