/**
 * Finds and compiles the kernel module: relaxed SIMD when the engine has it, plain SIMD otherwise,
 * nothing (null) where WebAssembly SIMD or shared memory is missing, so the caller can fall back.
 */
import { relaxedPlainWasm, relaxedWasm, simdPlainWasm, simdWasm } from "./kernels.generated.js";

/*
 * The published .d.ts must compile without the DOM lib (Node's own types have no `WebAssembly`
 * namespace), so the public types name WebAssembly's objects through these aliases; at run time
 * they are the real WebAssembly.Module, Memory and Global.
 */
/** A compiled WebAssembly.Module. */
export type WasmModule = object;
/** The part of WebAssembly.Memory the backend uses. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
/** The part of WebAssembly.Global the backend uses. */
export interface WasmGlobal {
  value: unknown;
}

export interface Kernels {
  module: WasmModule;
  memory: WasmMemory;
  exports: KernelExports;
  variant: "relaxed-simd" | "simd";
  /** Whether memory is shared, i.e. worker threads can run kernels on it. */
  shared: boolean;
}

/** Exports of src/backend/wasm/assembly/index.ts (every pointer is a byte address in `memory`). */
export interface KernelExports {
  MR: WasmGlobal;
  gemmScratchBytes(): number;
  /** (C, H, W, O, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, groups) -> bytes of scratch per conv thread. */
  convScratchBytes(...dims: number[]): number;
  /** (kH, kW, sH, sW, pH, pW) -> 1 when conv2dTask can fuse ReLU and a 2×2 max-pool into its epilogue. */
  convFusable(kH: number, kW: number, sH: number, sW: number, pH: number, pW: number): number;
  [task: string]: unknown;
}

/** Maximum pages the arena may grow to; must equal --maximumMemory in scripts/build-wasm.mjs. */
export const MAX_PAGES = 32768;
const INITIAL_PAGES = 32;

/** Node's built-in modules, reached synchronously and without a static import so browsers load this file. */
export function nodeBuiltin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  try {
    return (proc?.getBuiltinModule?.(name) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether worker threads can share a memory here: Node (worker_threads) with SharedArrayBuffer. Browsers
 * run kernels on the calling thread only, so a shared memory would only make copies slower there.
 */
export function threadsPossible(): boolean {
  return typeof SharedArrayBuffer === "function" && nodeBuiltin("node:worker_threads") !== null;
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

interface Choice {
  bytes: Uint8Array<ArrayBuffer>;
  variant: Kernels["variant"];
  shared: boolean;
}

/** The build of `variant` on a shared or plain memory, if this engine validates it. */
function build(variant: Kernels["variant"], shared: boolean): Choice | null {
  const bytes = decode(variant === "relaxed-simd" ? (shared ? relaxedWasm : relaxedPlainWasm) : (shared ? simdWasm : simdPlainWasm));
  return WebAssembly.validate(bytes) ? { bytes, variant, shared } : null;
}

/** The best build this engine validates: relaxed SIMD over plain, shared memory when available. */
function choose(wantShared: boolean): Choice | null {
  if (typeof WebAssembly !== "object") return null;
  const shared = wantShared && typeof SharedArrayBuffer === "function";
  const relaxed = build("relaxed-simd", shared);
  if (relaxed) return relaxed;
  // Node 20's V8 has relaxed SIMD behind a flag that NODE_OPTIONS rejects; it must be set before
  // the module is compiled. Node 22+ and current browsers need nothing.
  nodeBuiltin<{ setFlagsFromString(f: string): void }>("node:v8")?.setFlagsFromString("--experimental-wasm-relaxed-simd");
  return build("relaxed-simd", shared) ?? build("simd", shared);
}

/**
 * The kernels of one named build on a plain memory, compiled afresh (not cached), whether or not
 * the engine has a better one: test/backend-wasm-simd.test.ts runs the plain-SIMD build, which
 * browsers without relaxed SIMD get, on an engine that has it. null where it does not validate.
 * @example new WasmBackend(loadBuild("simd")!)
 */
export function loadBuild(variant: Kernels["variant"]): Kernels | null {
  if (typeof WebAssembly !== "object") return null;
  const c = build(variant, false);
  return c && instantiate(c, new WebAssembly.Module(c.bytes));
}

function instantiate(c: Choice, module: WebAssembly.Module): Kernels {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: c.shared });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { module, memory, exports: instance.exports as unknown as KernelExports, variant: c.variant, shared: c.shared };
}

const cached = new Map<boolean, Kernels | null>();

/** Why the last load returned null, for the fallback notice. */
export let loadFailure = "";

/**
 * Compiles the kernels synchronously (Node, workers, and browsers that allow it), once per
 * memory kind; null where WebAssembly SIMD is missing or synchronous compilation is refused
 * (Chrome's main thread: use loadKernelsAsync there).
 */
export function loadKernels(shared = threadsPossible()): Kernels | null {
  const hit = cached.get(shared);
  if (hit !== undefined) return hit;
  let k: Kernels | null = null;
  const c = choose(shared);
  if (!c) loadFailure = "WebAssembly SIMD is not supported";
  else {
    try {
      k = instantiate(c, new WebAssembly.Module(c.bytes));
    } catch (e) {
      k = null;
      loadFailure = `compiling the kernels failed (${(e as Error).message}); on a browser's main thread await initWasmBackend() instead`;
    }
  }
  // A refused synchronous compile may still succeed asynchronously: only cache successes then.
  if (k || !c) cached.set(shared, k);
  return k;
}

/** As loadKernels, compiling asynchronously (required on a browser's main thread). */
export async function loadKernelsAsync(shared = threadsPossible()): Promise<Kernels | null> {
  const hit = cached.get(shared);
  if (hit) return hit;
  const c = choose(shared);
  let k: Kernels | null = null;
  if (!c) loadFailure = "WebAssembly SIMD is not supported";
  else {
    try {
      k = instantiate(c, await WebAssembly.compile(c.bytes));
    } catch (e) {
      k = null;
      loadFailure = `compiling the kernels failed (${(e as Error).message})`;
    }
  }
  cached.set(shared, k);
  return k;
}
