// Shared by stryker.config.mjs and scripts/mutate-bundle.mjs: which test files a mutation run uses,
// and the name of each one's pre-built bundle.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** `test/data-*.test.ts` → the matching files, sorted (only `*` within the file name is supported). */
function expand(pattern) {
  if (!pattern.includes("*")) return [pattern];
  const dir = path.dirname(pattern);
  const re = new RegExp("^" + path.basename(pattern).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
  return fs.readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f)).sort();
}

/** The test files named (as globs) in a comma-separated list such as STRYKER_TESTS. */
export function testFilesOf(list) {
  const globs = (list ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return globs.flatMap(expand).filter((f) => f.endsWith(".test.ts"));
}

/** test/foo.test.ts → test/foo.test.mutate-bundle.mjs (next to it, so import.meta.url paths hold). */
export function bundleName(testFile) {
  return testFile.replace(/\.ts$/, ".mutate-bundle.mjs");
}

/**
 * esbuild plugin: `import … from "node:test"` resolves to scripts/node-test-shim.mjs, which records
 * the tests for the in-process runner (scripts/node-test-run.mjs) instead of running them.
 */
export const nodeTestShimPlugin = {
  name: "node-test-shim",
  setup(b) {
    const shim = fileURLToPath(new URL("./node-test-shim.mjs", import.meta.url));
    b.onResolve({ filter: /^node:test$/ }, () => ({ path: shim }));
  },
};
