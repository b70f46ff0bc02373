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
  // Bundled CommonJS helpers (if any) need require in an ES module.
  banner: { js: "import { createRequire as __mutateCreateRequire } from 'node:module'; const require = __mutateCreateRequire(import.meta.url);" },
});
console.log(`mutate-bundle: bundled ${tests.length} test file(s)${inProcess ? " for the in-process runner" : ""}`);
