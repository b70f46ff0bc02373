/**
 * The wasm backend the benches measure, so each bench file does not repeat getting it, checking it
 * and selecting it:
 *
 *   const w = useWasm("bench/conv");   // the backend ops run on, to call kernels through the contract
 *
 * It is the instance src/core.ts registers and selects at import (`setBackend("wasm")` returns it),
 * so the benches measure the backend a user gets. (bench/ab.ts loads two checkouts' modules and
 * takes each one's own backend: it does not use this.)
 */
import { setBackend } from "../src/core.js";
import { WasmBackend } from "../src/backend/wasm/index.js";

/** Selects "wasm" and returns it; `who` names the bench in the error where the kernels cannot load here. */
export function useWasm(who: string): WasmBackend {
  const w = setBackend("wasm");
  if (!(w instanceof WasmBackend)) throw new Error(`${who}: WebAssembly SIMD is unavailable here, so there is no wasm backend to measure`);
  return w;
}
