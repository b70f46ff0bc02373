#!/usr/bin/env node
// Stryker's build step for `npm run mutate` (stryker.config.mjs runs it inside the sandbox, after
// the source files are instrumented): bundles each test file named in STRYKER_TESTS, together with
// the instrumented library it imports, into one plain JavaScript file next to it
// (test/<name>.mutate-bundle.mjs). Why: the tap runner starts a fresh Node process per test file per
// mutant, and loading ~300 TypeScript modules through tsx's loader costs about 1 s of CPU each time;
// one pre-bundled file loads in about a third of that, so a mutation run takes about a third as long.
// The bundle sits in test/ so that paths the tests resolve from import.meta.url (fixtures) still work.
//
// For the in-process runner (the default; STRYKER_RUNNER=tap is the other choice) `node:test` is
// replaced by scripts/node-test-shim.mjs, which records the tests for scripts/node-test-run.mjs
// instead of running them.
import { build } from "esbuild";
import { bundleName, nodeTestShimPlugin, testFilesOf } from "./mutate-files.mjs";

const inProcess = (process.env.STRYKER_RUNNER ?? "inprocess") !== "tap";

/** Patches worker_threads.Worker (once per process) to prepend the stubs to an eval'd source. */
const WORKER_STUBS = `{ const wt = require('node:worker_threads'); if (!wt.Worker.mutateStubbed) {
  const Base = wt.Worker;
  const stub = (n) => n.startsWith('stryMutAct') ? 'function ' + n + '() { return false; }' : n.startsWith('stryCov') ? 'function ' + n + '() {}' : 'function ' + n + '() { return {}; }';
  class Stubbed extends Base {
    constructor(source, options) {
      if (options && options.eval && typeof source === 'string') {
        const names = new Set(source.match(/\\bstry(?:MutAct|Cov|NS)_9fa48\\w*(?=\\()/g) ?? []);
        source = [...names].map(stub).join(' ') + '\\n' + source;
      }
      super(source, options);
    }
  }
  Stubbed.mutateStubbed = true;
  wt.Worker = Stubbed;
  require('node:module').syncBuiltinESMExports();
} }`.replace(/\n\s*/g, " ");

const tests = testFilesOf(process.env.STRYKER_TESTS);
if (tests.length === 0) throw new Error("mutate-bundle: STRYKER_TESTS names no test files");
await build({
  entryPoints: Object.fromEntries(tests.map((t) => [bundleName(t).replace(/\.mjs$/, ""), t])),
  outdir: ".",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external", // node_modules stay imports (the sandbox links them)
  logLevel: "warning",
  plugins: inProcess ? [nodeTestShimPlugin] : [],
  // Bundling renames classes whose names clash across modules (Embedding -> _Embedding), and
  // nn's printouts and error messages use constructor.name: keep the names as written.
  keepNames: true,
  // Bundled CommonJS helpers (if any) need require in an ES module. Then worker threads: the image
  // DecodePool (src/data/image/pool.ts) builds its worker's source from functions' toString(), which
  // in the sandbox carries Stryker's instrumentation (stryMutAct_9fa48("12") ? ... : ...), defined
  // only in the bundle: the worker threw "stryMutAct_… is not defined" and the src/data/image run
  // failed its dry run (esbuild's __name the worker source defines itself). Eval'd worker sources
  // get stubs for the names they use, so the worker runs the original code (no mutant is active there; a
  // mutant is seen through the main-thread calls the tests make and compare with the worker's).
  banner: { js: `import { createRequire as __mutateCreateRequire } from 'node:module'; const require = __mutateCreateRequire(import.meta.url); ${WORKER_STUBS}` },
});
console.log(`mutate-bundle: bundled ${tests.length} test file(s)${inProcess ? " for the in-process runner" : ""}`);
