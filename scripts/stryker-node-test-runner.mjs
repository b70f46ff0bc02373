// `node-test-inprocess`: a StrykerJS test runner that runs node:test files inside Stryker's worker
// process instead of starting one Node process per test file per mutant (the tap runner). The test
// bundles (scripts/mutate-bundle.mjs) replace `node:test` by a shim that records the tests; this
// runner imports each bundle once and then, per mutant, sets `__stryker__.activeMutant` and runs
// only the tests that cover the mutant (per-test coverage from the dry run), in file order with
// the file's hooks. docs/testing.md ("In-process runner") has the design and its validation.
//
// Guards against state leaking between runs in one process (each one turns a wrong "killed" or
// "survived" into the score):
// - dry run: every test is run a second time ALONE (with its file's hooks). A file with a test that
//   passes in file order but fails alone (or on a second run) is order-dependent: a mutant covered
//   by any of its tests runs the whole file; if the whole file fails on a rerun too, the file runs
//   in a fresh process (scripts/node-test-fresh.mjs) for every mutant that reaches it.
// - a kill is confirmed: the failing test is rerun with no mutant active; if it fails again, the
//   process is poisoned (by this mutant or an earlier one), and the run throws, so that Stryker
//   starts a fresh worker and retries the mutant there.
// - a mutant that survives without being reached (hit count 0) although the dry run said its
//   tests cover it (a cache filled earlier in the process may skip the mutated code) is rerun in
//   a fresh process, whose verdict counts.
// - static mutants (module-init code): capabilities say the environment cannot be reloaded, so
//   Stryker restarts the worker, and the bundles are loaded after the mutant is activated.
// - timeouts and endless loops: Stryker kills the worker after the mutant's timeout (it reports
//   Timeout); the hit limit ends loops that reach the mutant as in the other runners.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { commonTokens, declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";
import { DryRunStatus, MutantRunStatus, TestStatus, determineHitLimitReached, toMutantRunResult } from "@stryker-mutator/api/test-runner";
import { testFilesOf } from "./mutate-files.mjs";
import { files, load, ns, run, strayErrorCount } from "./node-test-run.mjs";

const FRESH = fileURLToPath(new URL("./node-test-fresh.mjs", import.meta.url));
const status = { success: TestStatus.Success, failed: TestStatus.Failed, skipped: TestStatus.Skipped };
const toStryker = (r) => ({ ...r, status: status[r.status] });

class NodeTestInProcessRunner {
  static inject = [commonTokens.logger, commonTokens.options];

  constructor(log, options) {
    this.log = log;
    this.testFiles = testFilesOf((options.nodeTest?.testFiles ?? []).join(","));
    /** Files whose mutant runs take every test of the file (order-dependent tests). */
    this.whole = new Set();
    /** Files whose mutant runs go to a fresh process (they fail even when rerun whole). */
    this.fresh = new Set();
    this.stats = { mutants: 0, confirmRuns: 0, freshRuns: 0, unreachedReruns: 0, poisoned: 0 };
  }

  capabilities() {
    // Bundles loaded with import() cannot be unloaded: Stryker restarts this worker instead.
    return { reloadEnvironment: false };
  }

  async init() {
    if (this.testFiles.length === 0) throw new Error("node-test-inprocess: no test files (set nodeTest.testFiles in stryker.config.mjs, or STRYKER_TESTS)");
    // A restarted worker does not repeat the dry run: it reads the dry run's order-dependence
    // findings from the file the dry run left in the sandbox.
    const known = readFlags();
    known.whole.forEach((f) => this.whole.add(f));
    known.fresh.forEach((f) => this.fresh.add(f));
  }

  async dryRun(options) {
    const list = options.testFiles?.length ? testFilesOf(options.testFiles.join(",")) : this.testFiles;
    await load(list);
    const n = ns();
    const cov = (n.mutantCoverage ??= { static: {}, perTest: {} });
    const results = await run(list, null, { coverage: options.coverageAnalysis === "perTest" });
    const loadError = [...files.values()].find((e) => list.includes(e.file) && e.error);
    if (loadError) return { status: DryRunStatus.Error, errorMessage: `node-test-inprocess: ${loadError.file} failed to load: ${loadError.error}` };
    // Merge the coverage of each file's before/after hooks into every test of that file: the
    // hooks run whenever any of its tests run.
    const perTest = cov.perTest;
    for (const file of list) {
      const hooks = perTest[`${file} > <hooks>`];
      if (!hooks) continue;
      delete perTest[`${file} > <hooks>`];
      for (const t of files.get(file).tests) {
        const c = (perTest[t.id] ??= {});
        for (const [m, k] of Object.entries(hooks)) c[m] = (c[m] ?? 0) + k;
      }
    }
    const coverage = { static: { ...cov.static }, perTest: JSON.parse(JSON.stringify(perTest)) };
    // Order-dependence check: every test alone, then (for the files that failed it) the whole file
    // again. Coverage of these reruns is not recorded.
    if (!results.some((r) => r.status === "failed")) await this.checkOrder(list, results);
    cov.static = {};
    cov.perTest = {};
    return { status: DryRunStatus.Complete, tests: results.map(toStryker), mutantCoverage: options.coverageAnalysis === "off" ? undefined : coverage };
  }

  async checkOrder(list, first) {
    const passed = new Set(first.filter((r) => r.status === "success").map((r) => r.id));
    for (const file of list) {
      for (const t of files.get(file).tests) {
        if (!passed.has(t.id)) continue;
        const [r] = await run([file], new Set([t.id]));
        if (r?.status === "failed") {
          this.log.warn(`node-test-inprocess: ${t.id} passes in file order but fails alone or on a second run (${r.failureMessage}); mutants reaching ${file} run the whole file`);
          this.whole.add(file);
          break;
        }
      }
    }
    for (const file of this.whole) {
      const again = await run([file], null);
      if (again.some((r) => r.status === "failed")) {
        this.log.warn(`node-test-inprocess: ${file} fails when rerun whole in the same process; mutants reaching it run it in a fresh process`);
        this.fresh.add(file);
      }
    }
    writeFlags(this.whole, this.fresh);
  }

  async mutantRun(options) {
    if (this.poisoned) throw new Error(`node-test-inprocess: restarting a poisoned worker: ${this.poisoned}`);
    if (++this.stats.mutants % 100 === 0) this.log.info(`node-test-inprocess: ${JSON.stringify(this.stats)}`);
    const { activeMutant, testFilter, hitLimit, mutantActivation } = options;
    const n = ns();
    const loaded = this.testFiles.every((f) => files.has(f));
    // Which tests: the covering ones (Stryker's testFilter, ids of the dry run), or all of them
    // (static mutants).
    const selected = testFilter ? new Set(testFilter) : null;
    const fileList = testFilter ? this.testFiles.filter((f) => testFilter.some((id) => id.startsWith(`${f} > `))) : this.testFiles;
    if (fileList.some((f) => this.fresh.has(f))) {
      // A file that cannot be rerun in one process: the whole mutant run goes to a fresh process.
      this.stats.freshRuns++;
      return this.freshRun(fileList, selected, options);
    }
    if (mutantActivation === "static" && loaded) {
      // A static mutant in a worker that already loaded the bundles: only a new process sees it.
      this.stats.freshRuns++;
      return this.freshRun(fileList, selected, options);
    }
    n.activeMutant = mutantActivation === "static" ? activeMutant.id : undefined;
    await load(this.testFiles);
    const want = selected && new Set([...selected, ...fileList.filter((f) => this.whole.has(f)).flatMap((f) => files.get(f).tests.map((t) => t.id))]);
    n.activeMutant = activeMutant.id;
    if (hitLimit !== undefined) {
      n.hitCount = 0;
      n.hitLimit = hitLimit;
    } else {
      n.hitCount = undefined;
      n.hitLimit = undefined;
    }
    const strayBefore = strayErrorCount();
    let results;
    try {
      results = await run(fileList, want, { bail: !options.disableBail });
    } finally {
      n.activeMutant = undefined;
    }
    const hitCount = n.hitCount;
    n.hitCount = undefined;
    n.hitLimit = undefined;
    const limit = determineHitLimitReached(hitCount, hitLimit);
    if (limit) return { status: MutantRunStatus.Timeout, reason: limit.reason };
    if (strayErrorCount() !== strayBefore) throw new Error("node-test-inprocess: an asynchronous error arrived between tests; rerunning this mutant in a fresh worker");

    const failed = results.find((r) => r.status === "failed");
    if (failed && mutantActivation !== "static") {
      // Confirm: the same test, mutant off, must pass; otherwise this process is poisoned (by this
      // mutant, e.g. through a module-level table it changed, or by an earlier one). A fresh
      // process then gives this mutant's verdict, and the next run restarts the worker. (A static
      // mutant is baked into the modules this worker loaded: there is nothing to confirm against.)
      this.stats.confirmRuns++;
      const [again] = await run([failed.fileName], this.whole.has(failed.fileName) ? null : new Set([failed.id]));
      if (again?.status === "failed") {
        this.stats.poisoned++;
        this.poisoned = `${again.id} failed with no mutant active after mutant ${activeMutant.id} (${again.failureMessage})`;
        this.log.info(`node-test-inprocess: ${this.poisoned}; this mutant reruns in a fresh process, the worker restarts`);
        this.stats.freshRuns++;
        return this.freshRun(fileList, selected, options);
      }
    }
    if (!failed && results.length && (hitCount ?? 1) === 0 && mutantActivation !== "static") {
      // Covered in the dry run, never reached now: a cache filled by an earlier run may have
      // skipped the mutated code. A fresh process decides.
      this.stats.unreachedReruns++;
      return this.freshRun(fileList, selected, options);
    }
    return toMutantRunResult({ status: DryRunStatus.Complete, tests: results.map(toStryker) });
  }

  /** Runs the tests in a new Node process with the mutant active from the start. */
  freshRun(fileList, selected, options) {
    const ids = selected ? [...selected].filter((id) => fileList.some((f) => id.startsWith(`${f} > `))) : null;
    const wholeIds = ids && fileList.some((f) => this.whole.has(f) || this.fresh.has(f)) ? null : ids;
    return new Promise((resolve, reject) => {
      const child = fork(FRESH, [], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
      // Kill the child a little before Stryker's own timeout would kill this worker.
      const timer = setTimeout(() => child.kill("SIGKILL"), Math.max(1000, options.timeout * 0.9));
      let answer;
      child.on("message", (m) => (answer = m));
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (signal === "SIGKILL" && !answer) return resolve({ status: MutantRunStatus.Timeout, reason: "fresh process timed out" });
        if (!answer) return reject(new Error(`node-test-inprocess: fresh process exited with ${code ?? signal}: ${stderr}`));
        const limit = determineHitLimitReached(answer.hitCount, options.hitLimit);
        if (limit) return resolve({ status: MutantRunStatus.Timeout, reason: limit.reason });
        resolve(toMutantRunResult({ status: DryRunStatus.Complete, tests: answer.results.map(toStryker) }));
      });
      child.send({ files: fileList, ids: wholeIds, activeMutant: options.activeMutant.id, hitLimit: options.hitLimit, bail: !options.disableBail });
    });
  }

  async dispose() {
    // Stryker may have disposed of the logger by now: the counts go to stderr (Stryker's log file).
    if (this.stats.mutants) process.stderr.write(`node-test-inprocess: ${JSON.stringify(this.stats)}\n`);
  }
}

// The dry run's order-dependence findings, for workers started later (Stryker restarts workers after
// static mutants, timeouts and crashes; they skip the dry run). The file sits in the sandbox.
import fs from "node:fs";
const FLAGS = ".node-test-inprocess-flags.json";
function readFlags() {
  try {
    return JSON.parse(fs.readFileSync(FLAGS, "utf8"));
  } catch {
    return { whole: [], fresh: [] };
  }
}
function writeFlags(whole, fresh) {
  fs.writeFileSync(FLAGS, JSON.stringify({ whole: [...whole], fresh: [...fresh] }));
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, "node-test-inprocess", NodeTestInProcessRunner)];
export const strykerValidationSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: { nodeTest: { type: "object", properties: { testFiles: { type: "array", items: { type: "string" } } }, additionalProperties: false } },
};
