/** Whether ops record the graph. Off inside `noGrad` (optimizer steps, evaluation, init). */
let enabled = true;
/** Whether `inferenceMode` is on: no graph, and the tensors made are marked as inference tensors. */
let inference = false;

/** Whether the code runs inside `inferenceMode` (PyTorch's `torch.is_inference_mode_enabled()`). */
export function isInferenceMode(): boolean {
  return inference;
}

/**
 * `inferenceMode(() => model.call(x))`: like `noGrad`, and every tensor made inside is an inference
 * tensor (`t.isInference()`), which can never join a graph later: using one in an op that records a
 * graph, setting requiresGrad on it or modifying it in place outside inferenceMode throws. Use it for
 * pure evaluation; use `noGrad` when results may feed training. `inferenceMode(false, fn)` runs fn
 * normally, as `torch.inference_mode(False)`.
 *
 * @example const logits = inferenceMode(() => model.call(x));
 */
export function inferenceMode<T>(fn: () => T): T;
export function inferenceMode<T>(mode: boolean, fn: () => T): T;
export function inferenceMode<T>(a: boolean | (() => T), b?: () => T): T {
  const mode = typeof a === "boolean" ? a : true;
  const fn = typeof a === "function" ? a : b;
  if (typeof fn !== "function") throw new Error(`inferenceMode: expected a function to run, e.g. inferenceMode(() => model.call(x)), got ${typeof fn}`);
  if (!mode) return fn();
  const prev = inference;
  inference = true;
  try {
    return withGradMode(false, fn, "inferenceMode");
  } finally {
    inference = prev;
  }
}

export function isGradEnabled(): boolean {
  return enabled;
}

export function setGradEnabled(on: boolean): void {
  enabled = on;
}

/** `noGrad(() => model.forward(x))`: runs fn without recording a graph (like `with torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs fn with recording on, even inside noGrad (like `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

function withGradMode<T>(on: boolean, fn: () => T, what = "noGrad/enableGrad"): T {
  const prev = enabled;
  enabled = on;
  try {
    const r = fn();
    if (r instanceof Promise) throw new Error(`${what}: fn must be synchronous (grad mode is global state; an await inside would leak it)`);
    return r;
  } finally {
    enabled = prev;
  }
}

/** Runs fn with recording set to `on` and restores the previous mode after (PyTorch's `set_grad_enabled` as a context). */
export function withGradEnabled<T>(on: boolean, fn: () => T): T {
  return withGradMode(on, fn, "withGradEnabled");
}
