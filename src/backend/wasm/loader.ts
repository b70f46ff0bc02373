/**
 * Finds and compiles the kernel module: relaxed SIMD when the engine has it, plain SIMD otherwise,
 * nothing (null) where WebAssembly SIMD or shared memory is missing, so the caller can fall back.
 */
import { relaxedWasm, simdWasm } from "./kernels.generated.js";

export interface Kernels {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: KernelExports;
  variant: "relaxed-simd" | "simd";
}

/** Exports of src/backend/wasm/assembly/index.ts (every pointer is a byte address in `memory`). */
export interface KernelExports {
  MR: WebAssembly.Global;
  gemmScratchBytes(): number;
  convScratchBytes(cg: number, kH: number, kW: number, oH: number, oW: number): number;
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

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

let cached: Kernels | null | undefined;

export function loadKernels(): Kernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (typeof WebAssembly !== "object" || typeof SharedArrayBuffer !== "function") return null;
  const relaxed = decode(relaxedWasm);
  let bytes: Uint8Array<ArrayBuffer> | null = null;
  let variant: Kernels["variant"] = "relaxed-simd";
  if (WebAssembly.validate(relaxed)) bytes = relaxed;
  else {
    // Node 20's V8 has relaxed SIMD behind a flag that NODE_OPTIONS rejects; it must be set before
    // the module is compiled. Node 22+ and current browsers need nothing.
    nodeBuiltin<{ setFlagsFromString(f: string): void }>("node:v8")?.setFlagsFromString("--experimental-wasm-relaxed-simd");
    if (WebAssembly.validate(relaxed)) bytes = relaxed;
  }
  if (!bytes) {
    const simd = decode(simdWasm);
    if (!WebAssembly.validate(simd)) return null;
    bytes = simd;
    variant = "simd";
  }
  try {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    cached = { module, memory, exports: instance.exports as unknown as KernelExports, variant };
  } catch {
    cached = null;
  }
  return cached;
}
