/**
 * PyTorch's `torch.nn.utils.parameters_to_vector` / `vector_to_parameters`: all parameters as one
 * flat vector and back (for second-order methods, model averaging, or hand-written updates).
 */
import { Tensor, cat, noGrad } from "../core.js";

function paramList(params: Iterable<Tensor>, op: string): Tensor[] {
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new Error(`${op}: parameter ${i} is not a Tensor; pass an iterable of tensors (e.g. model.parameters())`);
  });
  return list;
}

/**
 * One 1-D tensor of every parameter's values, in order (differentiable, as PyTorch's).
 *
 * @example const v = nn.utils.parametersToVector(model.parameters());
 */
export function parametersToVector(params: Iterable<Tensor>): Tensor {
  const list = paramList(params, "parametersToVector");
  if (list.length === 0) throw new Error("parametersToVector: got no parameters; pass model.parameters()");
  return cat(list.map((p) => p.reshape([-1])));
}

/**
 * Copies consecutive slices of the 1-D `vec` into the parameters, in order, in place (no graph).
 *
 * @example nn.utils.vectorToParameters(v, model.parameters());
 */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor>): void {
  const op = "vectorToParameters";
  if (!(vec instanceof Tensor) || vec.ndim !== 1) {
    throw new Error(`${op}: expects a 1-D tensor, got ${vec instanceof Tensor ? `shape [${vec.shape.join(",")}]` : typeof vec}`);
  }
  const list = paramList(params, op);
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (total !== vec.shape[0]) throw new Error(`${op}: the vector has ${vec.shape[0]} elements but the parameters hold ${total}; they must match`);
  noGrad(() => {
    let at = 0;
    for (const p of list) {
      p.copy_(vec.narrow(0, at, p.numel()).reshape(p.shape));
      at += p.numel();
    }
  });
}
