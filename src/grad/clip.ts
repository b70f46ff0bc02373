/**
 * Gradient clipping: rescale all gradients to a maximum total norm, or clamp each element. Shared by
 * `nn.utils` (PyTorch's path, torch.nn.utils.clip_grad_norm_) and `optim` (kept for existing code), which
 * may not import each other; this module sits between them and core.
 */
import { Tensor, noGrad, tensor } from "../core.js";
import { peekGrad } from "../tensor/leaf-grad.js";

function gradsOf(params: Tensor | Iterable<Tensor>, op: string): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new Error(`${op}: parameter ${i} is not a Tensor; pass a tensor or an iterable of tensors (e.g. model.parameters())`);
  });
  // peekGrad: the gradients are scaled in place and not kept, so reading them here leaves an unseen
  // .grad reusable by the next zeroGrad (Tensor.grad).
  return list.map((p) => peekGrad(p)).filter((g): g is Tensor => g !== null);
}

/**
 * Scales the gradients of `params` in place so that their total `normType`-norm (over all
 * gradients together, as if concatenated) is at most `maxNorm`; returns the total norm before
 * clipping as a 0-d tensor. As PyTorch: the factor is `maxNorm / (total + 1e-6)`, capped at 1.
 *
 * ```ts
 * loss.backward(); clipGradNorm_(model.parameters(), 1.0); opt.step();
 * ```
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, errorIfNonfinite = false): Tensor {
  const op = "clipGradNorm_";
  if (!(typeof maxNorm === "number") || Number.isNaN(maxNorm) || maxNorm < 0) throw new Error(`${op}: maxNorm must be a number >= 0, got ${maxNorm}`);
  if (!(normType > 0)) throw new Error(`${op}: normType must be positive or Infinity, got ${normType}`);
  const grads = gradsOf(params, op);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    // Per-gradient norms, combined in double precision: the norm of the norms is the global norm.
    const norms = grads.map((g) => g.norm(normType).item());
    const total = normType === Infinity ? Math.max(...norms) : Math.pow(norms.reduce((a, n) => a + Math.pow(n, normType), 0), 1 / normType);
    if (errorIfNonfinite && !Number.isFinite(total)) {
      throw new Error(`${op}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; pass errorIfNonfinite = false to clip anyway`);
    }
    const coef = Math.min(maxNorm / (total + 1e-6), 1);
    for (const g of grads) g.mul_(coef);
    return tensor(total, { dtype: grads[0].dtype });
  });
}

/**
 * Clamps every gradient element of `params` into [-clipValue, clipValue], in place.
 *
 * ```ts
 * loss.backward(); clipGradValue_(model.parameters(), 0.5); opt.step();
 * ```
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const op = "clipGradValue_";
  if (!(clipValue >= 0)) throw new Error(`${op}: clipValue must be a number >= 0, got ${clipValue}`);
  const grads = gradsOf(params, op);
  noGrad(() => {
    for (const g of grads) g.clamp_(-clipValue, clipValue);
  });
}
