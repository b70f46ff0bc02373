// The engine of the in-process Stryker runner (scripts/stryker-node-test-runner.mjs) and of its
// fresh-process fallback (scripts/node-test-fresh.mjs): loads test bundles built with the node:test
// shim (scripts/node-test-shim.mjs), which only record their tests, and runs any subset of those
// tests in file order with the file's hooks, as node:test would, reporting one result per test.
//
// Test ids are `<test file> > <suite> > ... > <test name>` (a repeated name in one file gets " (2)").
import { mock } from "node:test";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bundleName } from "./mutate-files.mjs";

const shim = (globalThis.__nodeTestShim__ ??= { loading: null, mock });
/** Stryker's instrumentation namespace: its helpers keep a reference to this very object. */
export const ns = () => (globalThis.__stryker__ ??= {});

/** @typedef {{ id: string, name: string, fileName: string, status: "success" | "failed" | "skipped", failureMessage?: string, timeSpentMs: number }} Result */

/** file → { file, root, tests: [{ id, name, node }], error? } */
export const files = new Map();

function newSuite(name, parent) {
  return { kind: "suite", name, parent, skip: false, hooks: { before: [], after: [], beforeEach: [], afterEach: [] }, children: [] };
}

/** Imports each test file's bundle once (a file whose bundle throws on import keeps the error). */
export async function load(testFiles) {
  for (const file of testFiles) {
    if (files.has(file)) continue;
    const entry = { file, root: newSuite(file, null), tests: [], error: undefined };
    files.set(file, entry);
    shim.loading = entry;
    try {
      await import(pathToFileURL(path.resolve(bundleName(file))).href);
    } catch (e) {
      entry.error = describeError(e);
    } finally {
      shim.loading = null;
    }
    const seen = new Map();
    const walk = (node, names) => {
      for (const c of node.children) {
        const full = [...names, c.name];
        if (c.kind === "suite") walk(c, full);
        else {
          let id = `${file} > ${full.join(" > ")}`;
          const n = (seen.get(id) ?? 0) + 1;
          seen.set(id, n);
          if (n > 1) id += ` (${n})`;
          c.id = id;
          entry.tests.push({ id, name: full.join(" > "), node: c });
        }
      }
    };
    walk(entry.root, []);
  }
}

function describeError(e) {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 2000);
  return String(e).slice(0, 2000);
}

// Errors thrown outside any awaited promise (a timer's callback, a rejection nobody handles): node:test
// fails the running test with them, or the file if no test is running. Here they fail the running
// test at once (`abortCurrent`), or the last test of the run that finished.
let abortCurrent = null;
let lastResult = null;
let strayErrors = 0;
const onStray = (e) => {
  if (abortCurrent) abortCurrent(e);
  else if (lastResult) {
    strayErrors++;
    if (lastResult.status === "success") Object.assign(lastResult, { status: "failed", failureMessage: `asynchronous error after the test ended: ${describeError(e)}` });
  } else strayErrors++;
};
let installed = false;
function install() {
  if (installed) return;
  installed = true;
  process.on("uncaughtException", onStray);
  process.on("unhandledRejection", onStray);
}
export const strayErrorCount = () => strayErrors;

async function callHook(fn, ctx) {
  if (fn.length >= 2) await new Promise((res, rej) => { const r = fn(ctx, (err) => (err ? rej(err) : res())); if (r?.then) r.then(res, rej); });
  else await fn(ctx);
}

/**
 * Runs the selected tests (a Set of ids, or null for all) of the given files, in the order given
 * and each file's registration order, with before/after/beforeEach/afterEach as node:test nests them.
 * `bail`: stop at the first failure. `testIdForCoverage`: set Stryker's currentTestId per test
 * (the dry run), and `<file> > <hooks>` while before/after hooks run.
 * @returns {Promise<Result[]>}
 */
export async function run(fileList, selected, { bail = false, coverage = false } = {}) {
  install();
  const results = [];
  lastResult = null;
  for (const file of fileList) {
    const entry = files.get(file);
    const want = (t) => !selected || selected.has(t.id);
    if (entry.error) {
      // The bundle threw while loading: every selected test fails with that error.
      for (const t of entry.tests.filter(want)) results.push({ id: t.id, name: t.name, fileName: file, status: "failed", failureMessage: entry.error, timeSpentMs: 0 });
      if (entry.tests.length === 0) results.push({ id: `${file} > <load>`, name: "<load>", fileName: file, status: "failed", failureMessage: entry.error, timeSpentMs: 0 });
      if (bail && results.some((r) => r.status === "failed")) return results;
      continue;
    }
    const stop = await runSuite(entry.root, file, want, [], [], results, { bail, coverage });
    if (stop) break;
  }
  // Let errors from a test's left-over timers surface within this run, not the next one.
  await new Promise((r) => setImmediate(r));
  lastResult = null;
  return results;
}

const hasWanted = (suite, want) => suite.children.some((c) => (c.kind === "suite" ? hasWanted(c, want) : want(c)));

async function runSuite(suite, file, want, beforeEach, afterEach, results, opts) {
  if (!hasWanted(suite, want)) return false;
  const wanted = [];
  const collect = (s) => s.children.forEach((c) => (c.kind === "suite" ? collect(c) : want(c) && wanted.push(c)));
  collect(suite);
  const push = (t, status, failureMessage, ms = 0) => {
    const r = { id: t.id, name: t.id.slice(file.length + 3), fileName: file, status, timeSpentMs: ms, ...(failureMessage ? { failureMessage } : {}) };
    results.push(r);
    lastResult = r;
    return r;
  };
  if (suite.skip) {
    wanted.forEach((t) => push(t, "skipped"));
    return false;
  }
  const hookCtx = { name: suite.name, mock: shim.mock };
  const hookId = `${file} > <hooks>`;
  try {
    for (const h of suite.hooks.before) await withTestId(opts.coverage ? hookId : undefined, () => callHook(h, hookCtx));
  } catch (e) {
    wanted.forEach((t) => push(t, "failed", `before hook: ${describeError(e)}`));
    return opts.bail;
  }
  const be = [...beforeEach, ...suite.hooks.beforeEach];
  const ae = [...suite.hooks.afterEach, ...afterEach];
  let stop = false;
  for (const c of suite.children) {
    if (c.kind === "suite") stop = await runSuite(c, file, want, be, ae, results, opts);
    else if (want(c)) {
      if (c.skip) push(c, "skipped");
      else {
        const t0 = performance.now();
        const err = await runTest(c, be, ae, opts);
        const r = push(c, err === undefined ? "success" : "failed", err === undefined ? undefined : describeError(err), performance.now() - t0);
        stop = opts.bail && r.status === "failed";
      }
    }
    if (stop) break;
  }
  try {
    for (const h of suite.hooks.after) await withTestId(opts.coverage ? hookId : undefined, () => callHook(h, hookCtx));
  } catch (e) {
    // node:test fails the suite; the last test run here carries the failure.
    const last = results.findLast((r) => r.fileName === file);
    if (last && last.status === "success") Object.assign(last, { status: "failed", failureMessage: `after hook: ${describeError(e)}` });
    stop = stop || opts.bail;
  }
  return stop;
}

async function withTestId(id, fn) {
  const n = ns();
  const prev = n.currentTestId;
  n.currentTestId = id;
  try {
    return await fn();
  } finally {
    n.currentTestId = prev;
  }
}

/** One test with its beforeEach/afterEach hooks; returns the error, or undefined when it passed. */
async function runTest(t, beforeEach, afterEach, opts) {
  const afterFns = [];
  const ctx = {
    name: t.name,
    mock: shim.mock,
    signal: new AbortController().signal,
    diagnostic() {},
    plan() {},
    skip() {},
    todo() {},
    after: (fn) => afterFns.push(fn),
    test: () => { throw new Error(`node-test-run: subtests (t.test) are not supported in-process (in ${t.id})`); },
  };
  let error;
  await withTestId(opts.coverage ? t.id : undefined, async () => {
    const aborted = new Promise((_, rej) => { abortCurrent = rej; });
    aborted.catch(() => {});
    const body = async () => {
      for (const h of beforeEach) await callHook(h, ctx);
      await callHook(t.fn, ctx);
    };
    try {
      await Promise.race([body(), aborted]);
    } catch (e) {
      error = e;
    }
    for (const h of [...afterFns, ...afterEach]) {
      try {
        await Promise.race([callHook(h, ctx), aborted]);
      } catch (e) {
        error ??= e;
      }
    }
    abortCurrent = null;
    // node:test's per-test `t.mock` is restored when the test ends; `mock` here is the global tracker.
    shim.mock.restoreAll();
  });
  return error;
}
