// The backends the numeric tests run on (the brief: the js reference, wasm on 1 and 2 threads) and the
// one way to select each: the previous backend and thread count come back afterwards, also after a
// failed assertion, so one test's choice never leaks into the next.
import { getBackend, getNumThreads, setBackend, setNumThreads } from "../src/index.js";

/** [backend, threads] for each run. */
export const BACKENDS = [["js", 1], ["wasm", 1], ["wasm", 2]] as const;
export type BackendName = (typeof BACKENDS)[number][0];

/** Runs body on one backend and thread count, then restores both; returns body's result. */
export function withBackend<T>(backend: BackendName, threads: number, body: () => T): T {
  const was = getBackend(), before = getNumThreads();
  setBackend(backend);
  setNumThreads(threads);
  try {
    return body();
  } finally {
    setBackend(was);
    setNumThreads(before);
  }
}

/** Runs body on each of BACKENDS in turn (label "js/1t", "wasm/1t", "wasm/2t"), restoring the backend and thread count after. */
export function onBackends(body: (label: string, backend: BackendName, threads: number) => void): void {
  for (const [b, n] of BACKENDS) withBackend(b, n, () => body(`${b}/${n}t`, b, n));
}
