/** Whether ops record the graph. Off inside `noGrad` (optimizer steps, evaluation, init). */
let enabled = true;

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

function withGradMode<T>(on: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = on;
  try {
    const r = fn();
    if (r instanceof Promise) throw new Error("noGrad/enableGrad: fn must be synchronous (grad mode is global state; an await inside would leak it)");
    return r;
  } finally {
    enabled = prev;
  }
}
