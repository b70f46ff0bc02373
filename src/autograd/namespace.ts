/**
 * `autograd`: PyTorch's `torch.autograd` path — `autograd.grad`, `autograd.backward`,
 * `autograd.Function` (class-style custom functions), `autograd.functional` (jacobian, hessian, vjp,
 * jvp, vhp, hvp), `autograd.gradcheck` and the grad modes. The same functions are also exported at the top level.
 *
 * @example const [jx] = autograd.functional.jacobian((x, y) => x.mul(y), [x, y]);
 */
export { AutogradFunction as Function, FunctionCtx, type FunctionClass, type FunctionArgs } from "./function.js";
export * as functional from "./functional.js";
export { type BackwardOptions, type BackwardCallOptions } from "./engine.js";
export { type GradcheckOptions, type GradgradcheckOptions } from "./gradcheck.js";
import { guardAll } from "../tensor/check.js";
import * as engine from "./engine.js";
import * as checks from "./gradcheck.js";
// Through the entry layer (core.ts re-exports these as the top-level grad/backward/gradcheck): an
// unknown option key or a wrong argument is an Error naming the function, not silently ignored.
export const { grad, backward } = guardAll<Pick<typeof engine, "grad" | "backward">, typeof engine.BACKWARD_OPTIONAL_ARGS>(
  { grad: engine.grad, backward: engine.backward },
  "",
  ["grad", "backward"],
);
export const { gradcheck, gradgradcheck } = guardAll({ gradcheck: checks.gradcheck, gradgradcheck: checks.gradgradcheck }, "", ["gradcheck", "gradgradcheck"]);
export { noGrad, enableGrad, inferenceMode, isInferenceMode, isGradEnabled, setGradEnabled, withGradEnabled } from "./grad-mode.js";
export type { GradHook, RemovableHandle } from "./node.js";
