/**
 * Backend selection. Ops ask `backend()` for the kernels to run; users pick with `setBackend`.
 * Backends register themselves here so that this file knows none of them but the reference one.
 */
import type { Backend } from "./backend.js";
import { JsBackend } from "./js/index.js";
import { halfAdapter } from "./half-adapter.js";
import { halfInUse } from "../tensor/half.js";

export type { Backend, View } from "./backend.js";

const registry = new Map<string, () => Backend>();
const instances = new Map<string, Backend>();
const reference = new JsBackend();
let current: Backend = reference;
instances.set("js", reference);
registry.set("js", () => reference);

/**
 * Makes a backend available to `setBackend(name)`; the factory runs on first use. Registering a name
 * again replaces it: the next `setBackend(name)` builds a fresh instance from the new factory (the
 * old instance was kept, so `initWasmBackend` after a failed synchronous load still gave the js
 * fallback). The backend in use changes only with `setBackend`.
 *
 * @example registerBackend("mine", () => new MyBackend()); setBackend("mine");
 */
export function registerBackend(name: string, factory: () => Backend): void {
  registry.set(name, factory);
  instances.delete(name);
}

const adapted = new WeakMap<Backend, Backend>();

/** The backend ops run on now (wrapped to widen float16/bfloat16 operands once such tensors exist). */
export function backend(): Backend {
  if (!halfInUse()) return current;
  let a = adapted.get(current);
  if (a === undefined) {
    a = halfAdapter(current);
    adapted.set(current, a);
  }
  return a;
}

/** `setBackend("js")`: runs every later op on the named backend. */
export function setBackend(name: string): Backend {
  const make = registry.get(name);
  if (!make) throw new Error(`setBackend: unknown backend "${name}" (available: ${[...registry.keys()].join(", ")})`);
  let b = instances.get(name);
  if (!b) {
    b = make();
    instances.set(name, b);
  }
  current = b;
  return b;
}

/** The name of the backend in use. */
export function getBackend(): string {
  return current.name;
}

export function listBackends(): string[] {
  return [...registry.keys()];
}
