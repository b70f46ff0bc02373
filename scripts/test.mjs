#!/usr/bin/env node
// `npm test`: type-checks the project and runs every test/*.test.ts, as `tsc --noEmit && node --import
// tsx --test test/*.test.ts` did, in about half the time on two cores. Why each step:
//
// - The test files are bundled once per run by esbuild (splitting: the library's modules are shared
//   chunks, ~1 s for all files) into build/test/ and run as plain JavaScript. Each file still runs in
//   its own process, but loading the library through tsx's loader cost ~0.7 s of CPU per process
//   (~300 TypeScript modules transpiled and resolved one by one), a bundle ~0.1 s.
// - Paths the tests and the library compute from import.meta (fixtures next to the test files, the
//   examples, scripts/) keep meaning the source file: each module's import.meta.url, .dirname and
//   .filename become its source file's, so a bundle may sit anywhere.
// - Test files run two at a time (node:test's default is one fewer than the cores: one here), and
//   the type check runs beside them; its output is printed at the end and fails the run as before.
//   DEEPTYPE_TEST_CONCURRENCY sets the number of test processes.
//
//   npm test                                  # type check + every test file
//   npm test -- test/foo.test.ts test/bar.test.ts   # type check + these files
//   node scripts/test.mjs --no-typecheck test/foo.test.ts
//
// The CLI is bundled too, for the tests that run it in a child (test/child-node.ts); other children
// (the exam's, which imports the examples' TypeScript at run time, the fuzz harness's) still start
// with `--import tsx`, a dev dependency. A single file still runs directly: node --import tsx --test
// test/foo.test.ts.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { run as runTests } from "node:test";
import { spec, tap } from "node:test/reporters";
import { finished } from "node:stream/promises";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
// DEEPTYPE_TEST_OUT: another folder inside the repository (the bundles import node_modules from above
// them), for a second run beside one in progress (each run empties its own).
const outdir = path.resolve(process.env.DEEPTYPE_TEST_OUT ?? path.join(root, "build", "test"));
const args = process.argv.slice(2);
const typecheck = !args.includes("--no-typecheck");
const named = args.filter((a) => !a.startsWith("--"));
const files = named.length > 0
  ? named.map((f) => path.resolve(f))
  : fs.readdirSync(path.join(root, "test")).filter((f) => f.endsWith(".test.ts")).sort().map((f) => path.join(root, "test", f));
for (const f of files) {
  if (!f.endsWith(".test.ts") || path.dirname(f) !== path.join(root, "test")) throw new Error(`test: ${f} is not a test/*.test.ts file`);
  if (!fs.existsSync(f)) throw new Error(`test: no such file ${f}`);
}

/**
 * The files that take 6 s of CPU or more (measured 2026-12-06) first, longest first, then the rest
 * by name: one of them starting last would leave a core idle for its whole length at the end.
 */
const HEAVY = ["backend-wasm", "exam", "ops-gradcheck", "check-dist", "backend-wasm-simd", "fuzz", "backend-wasm-threads", "cli-main", "onnx-export"];
function ordered(list) {
  const rank = (f) => {
    const i = HEAVY.indexOf(path.basename(f, ".test.ts"));
    return i < 0 ? HEAVY.length : i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Runs node with these arguments, its output kept for later: resolves to its exit code and output. */
function captured(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

// Started first: it takes ~20 s of one core and needs nothing from the bundles.
const tsc = typecheck ? captured([path.join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"]) : null;

/** esbuild plugin: import.meta.url/dirname/filename of each module as its source file's. */
const sourceMeta = {
  name: "source-import-meta",
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (a) => {
      if (a.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let text = await fs.promises.readFile(a.path, "utf8");
      const meta = { url: pathToFileURL(a.path).href, dirname: path.dirname(a.path), filename: a.path };
      text = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, k) => JSON.stringify(meta[k]));
      return { contents: text, loader: /\.[cm]?ts$/.test(a.path) ? "ts" : "js" };
    });
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
// Entry points the tests start in child processes (test/child-node.ts): bundled too.
const CHILDREN = ["src/cli/main.ts"].map((f) => path.join(root, f));
await build({
  entryPoints: [...files, ...CHILDREN],
  outdir,
  outbase: root,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external", // node_modules stay imports, resolved from build/test/ up to the root's
  // Bundling renames clashing names (Embedding -> Embedding2); nn's printouts and error messages use
  // constructor.name and function names: keep them as written.
  keepNames: true,
  logLevel: "warning",
  plugins: [sourceMeta],
  // A failing test's stack names test/foo.test.ts and src/... lines, not the bundle's: linked maps,
  // read by the test processes through --enable-source-maps (below).
  sourcemap: "linked",
  sourcesContent: false,
  // CommonJS helpers bundled into an ES module need require.
  banner: { js: "import { createRequire as __testCreateRequire } from 'node:module'; const require = __testCreateRequire(import.meta.url);" },
});

const concurrency = Number(process.env.DEEPTYPE_TEST_CONCURRENCY ?? os.availableParallelism());
const bundles = ordered(files).map((f) => path.join(outdir, "test", path.basename(f).replace(/\.ts$/, ".mjs")));
process.env.DEEPTYPE_TEST_BUNDLES = outdir; // for test/child-node.ts, in the test processes
// The test processes (and their children) inherit the environment: stacks through the source maps.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--enable-source-maps"].filter(Boolean).join(" ");
// node:test's run(), not `node --test`: the command line sorts the files by name, run() keeps this
// order. Each file still runs in its own process; the reporter is the command line's default.
const stream = runTests({ files: bundles, concurrency });
let failed = false;
stream.on("test:fail", (d) => {
  if (!d.todo) failed = true;
});
const report = stream.compose(process.stdout.isTTY ? new spec() : tap);
report.pipe(process.stdout);
await finished(report);
let code = failed ? 1 : 0;
if (tsc) {
  const { code: tscCode, out } = await tsc;
  if (out.trim()) process.stdout.write(out);
  console.log(tscCode === 0 ? "# type check (tsc --noEmit): ok" : "# type check (tsc --noEmit): FAILED");
  if (tscCode !== 0) code ||= tscCode;
}
process.exitCode = code;
