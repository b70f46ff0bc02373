// The in-process mutation runner's engine (scripts/node-test-run.mjs with the node:test shim): a
// fixture test file is bundled as `npm run mutate` bundles the real ones, loaded once, and run
// whole and in subsets. A wrong hook order, a test run outside its suite's hooks, a lost failure or
// an error that escapes its test would change mutation verdicts without any other test noticing.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fork, spawnSync } from "node:child_process";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
// Plain JavaScript modules without type declarations: imported by a computed path.
const scripts = (f: string): string => path.join(root, "scripts", f);
const { nodeTestShimPlugin, bundleName } = await import(scripts("mutate-files.mjs"));
const engine = await import(scripts("node-test-run.mjs"));

const FIXTURE = `
import { after, before, beforeEach, afterEach, describe, it, test } from "node:test";
import assert from "node:assert/strict";
const log = (globalThis.__fixtureLog ??= []);
// The option object that skips a test, built at run time (the shim must honour it).
const skipOption = Object.fromEntries([["skip", true]]);
before(() => log.push("before"));
after(() => log.push("after"));
beforeEach(() => log.push("each"));
test("top one", () => log.push("top one"));
describe("suite", () => {
  beforeEach(() => log.push("suite each"));
  afterEach(() => log.push("suite after each"));
  it("inner", () => log.push("inner"));
  it("inner fails", () => { log.push("inner fails"); assert.equal(1, 2); });
});
test("async", async () => {
  log.push("async");
  await new Promise((r) => setTimeout(r, 5));
});
test("skipped", skipOption, () => log.push("never"));
test("top one", () => log.push("top one again"));
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mutate-runner-"));
const file = path.join(dir, "fixture.test.mjs");
fs.writeFileSync(file, FIXTURE);
const testFile = file.replace(/\.mjs$/, ".ts"); // bundleName maps <x>.test.ts to its bundle
await build({ entryPoints: [file], outfile: bundleName(testFile), bundle: true, platform: "node", format: "esm", plugins: [nodeTestShimPlugin], logLevel: "silent" });
await engine.load([testFile]);
const log: string[] = ((globalThis as Record<string, unknown>).__fixtureLog ??= []) as string[];
const id = (name: string): string => `${testFile} > ${name}`;

test("in-process runner: ids are file + suite + name, a repeated name is numbered, in file order", () => {
  const entry = engine.files.get(testFile);
  assert.deepEqual(
    entry.tests.map((t: { id: string }) => t.id),
    [id("top one"), id("suite > inner"), id("suite > inner fails"), id("async"), id("skipped"), id("top one (2)")],
  );
});

test("in-process runner: a whole run nests hooks as node:test does and reports each test", async () => {
  log.length = 0;
  const results = await engine.run([testFile], null);
  assert.deepEqual(
    results.map((r: { id: string; status: string }) => [r.id, r.status]),
    [
      [id("top one"), "success"],
      [id("suite > inner"), "success"],
      [id("suite > inner fails"), "failed"],
      [id("async"), "success"],
      [id("skipped"), "skipped"],
      [id("top one (2)"), "success"],
    ],
  );
  assert.match(results[2].failureMessage, /AssertionError/);
  assert.deepEqual(log, [
    "before", "each", "top one",
    "each", "suite each", "inner", "suite after each",
    "each", "suite each", "inner fails", "suite after each",
    "each", "async", "each", "top one again", "after",
  ]);
});

test("in-process runner: a subset runs only its tests, with the hooks of their file and suites", async () => {
  log.length = 0;
  const results = await engine.run([testFile], new Set([id("suite > inner"), id("top one (2)")]));
  assert.deepEqual(results.map((r: { id: string }) => r.id), [id("suite > inner"), id("top one (2)")]);
  assert.ok(results.every((r: { status: string }) => r.status === "success"));
  assert.deepEqual(log, ["before", "each", "suite each", "inner", "suite after each", "each", "top one again", "after"]);
});

test("in-process runner: bail stops at the first failure", async () => {
  const results = await engine.run([testFile], null, { bail: true });
  assert.deepEqual(results.map((r: { status: string }) => r.status), ["success", "success", "failed"]);
});

test("in-process runner: an error thrown by a test's timer fails that test, not the next one", async () => {
  // In a child process: node:test's own uncaughtException handler would claim the error here.
  const stray = path.join(dir, "stray.test.mjs");
  fs.writeFileSync(stray, `import { test } from "node:test";
test("throws from a timer", async () => { setTimeout(() => { throw new Error("stray from a timer"); }, 0); await new Promise((r) => setTimeout(r, 50)); });
test("next", () => {});`);
  const strayTs = stray.replace(/\.mjs$/, ".ts");
  await build({ entryPoints: [stray], outfile: bundleName(strayTs), bundle: true, platform: "node", format: "esm", plugins: [nodeTestShimPlugin], logLevel: "silent" });
  const script = `const e = await import(${JSON.stringify(scripts("node-test-run.mjs"))}); await e.load([${JSON.stringify(strayTs)}]);
console.log(JSON.stringify((await e.run([${JSON.stringify(strayTs)}], null)).map((r) => [r.status, r.failureMessage ?? ""])));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const [first, next] = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(first[0], "failed");
  assert.match(first[1], /stray from a timer/);
  assert.deepEqual(next, ["success", ""]);
});

test("in-process runner: the fresh-process fallback switches the mutant on before the test files load", async () => {
  const stat = path.join(dir, "static.test.mjs");
  fs.writeFileSync(stat, `import { test } from "node:test";
import assert from "node:assert/strict";
const atLoad = globalThis.__stryker__?.activeMutant;
test("sees mutant 7 at load", () => assert.equal(atLoad, "7"));
test("other", () => {});`);
  const statTs = stat.replace(/\.mjs$/, ".ts");
  await build({ entryPoints: [stat], outfile: bundleName(statTs), bundle: true, platform: "node", format: "esm", plugins: [nodeTestShimPlugin], logLevel: "silent" });
  const ask = (activeMutant: string) =>
    new Promise<{ results: { id: string; status: string }[] }>((resolve, reject) => {
      const child = fork(scripts("node-test-fresh.mjs"), [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
      child.once("message", (m) => resolve(m as { results: { id: string; status: string }[] }));
      child.once("error", reject);
      child.send({ files: [statTs], ids: [`${statTs} > sees mutant 7 at load`], activeMutant, hitLimit: null, bail: true });
    });
  const on = await ask("7");
  assert.deepEqual(on.results.map((r) => [r.id, r.status]), [[`${statTs} > sees mutant 7 at load`, "success"]], "only the requested test ran, and saw the mutant");
  const other = await ask("8");
  assert.deepEqual(other.results.map((r) => r.status), ["failed"]);
});

test("in-process runner: a bundle built with the shim refuses to run outside the runner", () => {
  const r = spawnSync(process.execPath, [bundleName(testFile)], { encoding: "utf8" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /records its tests instead of running them/);
  fs.rmSync(dir, { recursive: true, force: true });
});

// The per-file TypeScript checker (scripts/stryker-ts-file-checker.mjs), driven without Stryker on a
// two-file project. Mutant locations refer to the text Stryker read when the run started; editing
// src/ during a run must not move a mutant onto other text, nor change what its importers see.
test("per-file checker: mutants are applied to the sources as read at init, not as edited afterwards", async () => {
  const { TsFileChecker } = await import(scripts("stryker-ts-file-checker.mjs"));
  const proj = fs.mkdtempSync(path.join(os.tmpdir(), "ts-file-checker-"));
  fs.mkdirSync(path.join(proj, "src"));
  const tsconfig = path.join(proj, "tsconfig.json");
  fs.writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", lib: ["ES2022"], module: "ESNext", moduleResolution: "Bundler", types: [], skipLibCheck: true, noEmit: true }, include: ["src"] }));
  const a = path.join(proj, "src", "a.ts");
  const b = path.join(proj, "src", "b.ts");
  fs.writeFileSync(a, "export const a: number = 1;\n");
  fs.writeFileSync(b, 'import { a } from "./a";\nexport const b: number = a + 1;\n');
  const saved = process.env.STRYKER_RUN_STARTED_MS;
  delete process.env.STRYKER_RUN_STARTED_MS;
  const checker = new TsFileChecker({ info() {}, debug() {}, warn() {} }, { tsconfigFile: tsconfig });
  try {
    await checker.init();
  } finally {
    if (saved !== undefined) process.env.STRYKER_RUN_STARTED_MS = saved;
  }
  const at = (line: number, start: number, end: number) => ({ start: { line, column: start }, end: { line, column: end } });
  const mutants = [
    { id: "1", fileName: a, location: at(0, 25, 26), replacement: "2", mutatorName: "NumericLiteral" }, // a = 2: compiles
    { id: "2", fileName: a, location: at(0, 25, 26), replacement: '"one"', mutatorName: "StringLiteral" }, // a string: does not
    { id: "3", fileName: b, location: at(1, 25, 30), replacement: "a - 1", mutatorName: "ArithmeticOperator" }, // compiles while a is a number
  ];
  const before = await checker.check(mutants);
  assert.deepEqual([before["1"].status, before["2"].status, before["3"].status], ["passed", "compileError", "passed"]);
  // Someone edits a.ts mid-run: a comment line shifts every location, and a becomes a string.
  fs.writeFileSync(a, '// edited while the mutation run goes on\nexport const a: string = "";\n');
  const after = await checker.check(mutants);
  assert.deepEqual(
    Object.fromEntries(Object.entries(after).map(([k, v]) => [k, (v as { status: string }).status])),
    { 1: "passed", 2: "compileError", 3: "passed" },
    "the verdicts come from the text read at init",
  );
  // A file modified after the run's start is refused at init, naming it.
  process.env.STRYKER_RUN_STARTED_MS = String(Date.now() - 60_000);
  try {
    await assert.rejects(new TsFileChecker({ info() {}, debug() {}, warn() {} }, { tsconfigFile: tsconfig }).init(), /src\/a\.ts was modified after the mutation run started/);
  } finally {
    if (saved === undefined) delete process.env.STRYKER_RUN_STARTED_MS;
    else process.env.STRYKER_RUN_STARTED_MS = saved;
    fs.rmSync(proj, { recursive: true, force: true });
  }
});
