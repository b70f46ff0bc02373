// StrykerJS configuration for `npm run mutate` (scripts/mutate.mjs sets the two variables below).
// Mutation testing is not part of `npm test`: it reruns test files once per surviving candidate
// mutant, so it is run per folder (docs/testing.md has the commands and the scores).
//
// - STRYKER_MUTATE: comma-separated globs of the source files to mutate (e.g. src/utils/summary.ts).
// - STRYKER_TESTS: comma-separated globs of the test files that exercise them. The tap runner runs
//   each file as `node --import tsx <file>`; node:test prints TAP when its output is not a terminal.
// - coverageAnalysis "perTest" records which test files reach each mutant, so a mutant reruns
//   only those files (the tap runner's "tests" are whole files).
// - The TypeScript checker (by default scripts/stryker-ts-file-checker.mjs, "typescript-file", which
//   checks each mutant's file, and the files importing it when the mutant changes its declarations,
//   at about a tenth of the stock checker's CPU; STRYKER_CHECKER=typescript selects the stock
//   @stryker-mutator/typescript-checker) drops mutants that do not compile (they count as "CompileError", not as
//   killed), so the score measures the tests, not the type checker. It checks src/ only
//   (tsconfig.mutate.json): checking the tests, examples and benchmarks too made the checker, not
//   the tests, the slow part of a run. A mutant that compiles in src/ but not in a test file is
//   then run; if it survives, the survivor list shows it.
// - Unless STRYKER_NO_BUNDLE=1, a build step (scripts/mutate-bundle.mjs) bundles each test file with
//   the instrumented library into test/<name>.test.mutate-bundle.mjs inside the sandbox, and those
//   run with plain node: loading one bundle costs about a third of the CPU of loading ~300 modules
//   through tsx, and every mutant starts fresh processes.
// - STRYKER_RUNNER: "inprocess" (the default) runs the recorded tests inside Stryker's worker
//   (scripts/stryker-node-test-runner.mjs: bundles load once, a mutant reruns only its covering
//   tests, not whole files); "tap" starts one Node process per test file per mutant, as before.
//   The in-process runner needs the bundles (it is not available with STRYKER_NO_BUNDLE).
import { bundleName, testFilesOf } from "./scripts/mutate-files.mjs";

// When this run started, for the per-file checker: it refuses a source file modified after this
// moment (Stryker may have mutated the text before the edit). The checker's child processes inherit it.
process.env.STRYKER_RUN_STARTED_MS ??= String(Date.now());

const list = (v, fallback) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : fallback);
const bundled = !process.env.STRYKER_NO_BUNDLE;
const testFiles = list(process.env.STRYKER_TESTS, ["test/*.test.ts"]);
const runner = process.env.STRYKER_RUNNER ?? "inprocess";
if (runner !== "tap" && runner !== "inprocess") throw new Error(`stryker.config.mjs: STRYKER_RUNNER must be "inprocess" or "tap", got "${runner}"`);
const inProcess = runner === "inprocess";
const checker = process.env.STRYKER_CHECKER ?? "typescript-file";
if (checker !== "typescript" && checker !== "typescript-file") throw new Error(`stryker.config.mjs: STRYKER_CHECKER must be "typescript-file" or "typescript", got "${checker}"`);
if (inProcess && !bundled) throw new Error("stryker.config.mjs: the in-process runner runs the test bundles; STRYKER_NO_BUNDLE=1 needs STRYKER_RUNNER=tap");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: inProcess ? "node-test-inprocess" : "tap",
  nodeTest: { testFiles: testFilesOf(testFiles.join(",")) },
  tap: {
    testFiles: bundled ? testFilesOf(testFiles.join(",")).map(bundleName) : testFiles,
    nodeArgs: bundled ? ["-r", "{{hookFile}}", "{{testFile}}"] : ["--import", "tsx", "-r", "{{hookFile}}", "{{testFile}}"],
    forceBail: true,
  },
  buildCommand: bundled ? `node scripts/mutate-bundle.mjs` : undefined,
  mutate: list(process.env.STRYKER_MUTATE, ["src/utils/summary.ts"]),
  checkers: process.env.STRYKER_NO_CHECK ? [] : [checker],
  tsconfigFile: "tsconfig.mutate.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: "perTest",
  // STRYKER_IGNORE_STATIC=1: leave out static mutants (module-level code). Each one restarts the
  // worker and runs every test of every file; src/tensor has 525 of them, estimated by Stryker at
  // 62% of the run. They are reported as Ignored and do not count in the score.
  ignoreStatic: Boolean(process.env.STRYKER_IGNORE_STATIC),
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 10000,
  // The initial run of src/tensor's 127 tests took 54 s at load 5-8 but passed Stryker's default
  // 5 minutes at load 19 (the run was lost); STRYKER_DRY_RUN_MINUTES raises it.
  dryRunTimeoutMinutes: Number(process.env.STRYKER_DRY_RUN_MINUTES ?? 15),
  timeoutFactor: 2,
  plugins: ["@stryker-mutator/*", "./scripts/stryker-survivor-reporter.mjs", "./scripts/stryker-node-test-runner.mjs", "./scripts/stryker-ts-file-checker.mjs"],
  reporters: ["clear-text", "progress-append-only", "json", "survivors"],
  jsonReporter: { fileName: process.env.STRYKER_REPORT ?? "reports/mutation/mutation.json" },
  ignorePatterns: ["dist", "runs", "reports", ".stryker-tmp", "bench", "docs"],
  cleanTempDir: "always",
  incremental: false,
};
