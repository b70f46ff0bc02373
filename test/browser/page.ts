// The page test/browser/run.ts bundles: runs the suite and leaves the result where the runner reads it.
import { runSuite } from "./suite.js";

const w = globalThis as unknown as { __result?: unknown; __error?: string; crossOriginIsolated?: boolean };
runSuite().then(
  (r) => { w.__result = { ...r, crossOriginIsolated: w.crossOriginIsolated === true, sharedArrayBuffer: typeof SharedArrayBuffer === "function" }; },
  (e: Error) => { w.__error = `${e.message}\n${e.stack ?? ""}`; },
);
