/**
 * A leaf's `.grad` as the layers above the tensor core handle it without reading it as a user would
 * (which makes it "seen": see `Tensor.grad`): `peekGrad` for code that uses a gradient and keeps no
 * reference to it (optimizers, clipping), and `clearGrad`, PyTorch's `zero_grad` for one parameter,
 * shared by `Optimizer.zeroGrad` and `nn.Module.zeroGrad`, which may not import each other.
 */
import { Tensor, peekGrad, takeUnseenGrad } from "./tensor.js";
import { recycleArray } from "./recycle.js";
import { noGrad } from "../autograd/grad-mode.js";

export { peekGrad };

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
