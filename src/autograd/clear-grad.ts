/**
 * Clearing one parameter's gradient, as PyTorch's `zero_grad` does for each parameter: shared by
 * `Optimizer.zeroGrad` and `nn.Module.zeroGrad`, which may not import each other.
 */
import { Tensor, peekGrad, takeUnseenGrad } from "../tensor/tensor.js";
import { recycleArray } from "../tensor/recycle.js";
import { noGrad } from "./grad-mode.js";

/** Sets `p.grad` to null (setToNone) or zeroes it in place; reads it without making it seen (peekGrad). */
export function clearGrad(p: Tensor, setToNone: boolean): void {
  const g = peekGrad(p);
  if (!g) return;
  if (setToNone) {
    p.grad = null;
    // Made by the backward engine and never read through .grad since: nothing else can reach its
    // memory, so the next backward may reuse it (PyTorch frees it here).
    if (takeUnseenGrad(g)) recycleArray(g.storage.data);
  } else if ((g.dtype === "float32" || g.dtype === "float64") && !g.requiresGrad && !g.isInference() && g.isContiguous()) {
    // What zero_ does, without the zeros tensor it computes and copies in (800 KB for the MNIST
    // MLP's first weight): the elements are written in place and the version bumped.
    (g.storage.data as Float32Array | Float64Array).fill(0, g.offset, g.offset + g.numel());
    g.storage.version++;
  } else noGrad(() => g.zero_());
}
