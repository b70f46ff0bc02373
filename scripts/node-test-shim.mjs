// The stand-in for `node:test` inside the in-process mutation bundles (scripts/mutate-bundle.mjs
// aliases `node:test` to this file unless STRYKER_RUNNER=tap). It RECORDS test/it/describe and the
// four hooks instead of running them, so that scripts/node-test-run.mjs can load a test file once
// and then run any subset of its tests many times (the dry run, then each mutant), in file order and
// with the file's hooks. `mock` is the real node:test MockTracker, handed over by the runner.
//
// The registry lives on globalThis because every bundle carries its own copy of this module.
const registry = () => {
  const r = globalThis.__nodeTestShim__;
  if (!r || !r.loading) {
    throw new Error(
      "node-test-shim: this bundle was built for the in-process Stryker runner (scripts/node-test-run.mjs) and records its tests instead of running them; run the .test.ts file with `node --import tsx --test`, or build the bundles with STRYKER_RUNNER=tap",
    );
  }
  return r;
};

/** A suite node: its hooks and children (tests and suites) in registration order. */
export function newSuite(name, parent) {
  return { kind: "suite", name, parent, skip: false, hooks: { before: [], after: [], beforeEach: [], afterEach: [] }, children: [] };
}

// The suite that registrations go to: the file's root suite while the bundle loads, or the
// describe() whose body is running.
let current = null;
const target = () => current ?? registry().loading.root;

function args(nameOrFn, optsOrFn, maybeFn) {
  let name = nameOrFn, opts = optsOrFn, fn = maybeFn;
  if (typeof name === "function") [name, opts, fn] = [name.name || "<anonymous>", {}, name];
  else if (typeof opts === "function") [opts, fn] = [{}, opts];
  return { name: String(name ?? "<anonymous>"), opts: opts ?? {}, fn };
}

function addTest(skipAll, ...a) {
  const { name, opts, fn } = args(...a);
  const suite = target();
  suite.children.push({ kind: "test", name, parent: suite, fn, skip: skipAll || !!opts.skip || !!opts.todo || typeof fn !== "function" });
}

function addSuite(skipAll, ...a) {
  const { name, opts, fn } = args(...a);
  const suite = newSuite(name, target());
  suite.skip = skipAll || !!opts.skip || !!opts.todo || suite.parent.skip;
  suite.parent.children.push(suite);
  const outer = current;
  current = suite;
  try {
    // node:test runs a describe body when the suite starts; its registrations are the same.
    const r = fn?.({ name });
    if (r && typeof r.then === "function") throw new Error(`node-test-shim: describe("${name}") has an async body, which the in-process runner does not support`);
  } finally {
    current = outer;
  }
}

export function test(...a) { addTest(false, ...a); }
test.skip = (...a) => addTest(true, ...a);
test.todo = (...a) => addTest(true, ...a);
test.only = (...a) => addTest(false, ...a);
export const it = test;
export function describe(...a) { addSuite(false, ...a); }
describe.skip = (...a) => addSuite(true, ...a);
describe.todo = (...a) => addSuite(true, ...a);
describe.only = (...a) => addSuite(false, ...a);
export const suite = describe;

export const before = (fn) => target().hooks.before.push(fn);
export const after = (fn) => target().hooks.after.push(fn);
export const beforeEach = (fn) => target().hooks.beforeEach.push(fn);
export const afterEach = (fn) => target().hooks.afterEach.push(fn);

/** The real node:test `mock` (a MockTracker), given by the runner; restored after every test. */
export const mock = new Proxy({}, {
  get: (_, k) => {
    const m = globalThis.__nodeTestShim__?.mock;
    if (!m) throw new Error("node-test-shim: `mock` is only available under the in-process runner (scripts/node-test-run.mjs)");
    const v = m[k];
    return typeof v === "function" ? v.bind(m) : v;
  },
});

export default test;
