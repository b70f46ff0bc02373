/**
 * `autograd`: PyTorch's `torch.autograd` path — `autograd.grad`, `autograd.backward`,
 * `autograd.Function` (class-style custom functions), `autograd.functional` (jacobian, hessian, vjp,
 * jvp, vhp, hvp), `autograd.gradcheck` and the grad modes. The same functions are also exported at the top level.
 *
 * @example const [jx] = autograd.functional.jacobian((x, y) => x.mul(y), [x, y]);
 */
export { AutogradFunction as Function, FunctionCtx, type FunctionClass, type FunctionArgs } from "./function.js";
export * as functional from "./functional.js";
export { grad, backward, type BackwardOptions, type BackwardCallOptions } from "./engine.js";
export { gradcheck, gradgradcheck, type GradcheckOptions, type GradgradcheckOptions } from "./gradcheck.js";
export { noGrad, enableGrad, inferenceMode, isInferenceMode, isGradEnabled, setGradEnabled, withGradEnabled } from "./grad-mode.js";
export type { GradHook, RemovableHandle } from "./node.js";
