/**
 * How a test starts one of this repository's TypeScript entry points (the CLI) in a child process.
 * Under `npm test`, scripts/test.mjs has bundled it beside the test files and says where
 * (DEEPTYPE_TEST_BUNDLES): plain node runs the bundle, ~0.8 s of CPU less per child than loading
 * the TypeScript through tsx. Run alone (node --import tsx --test test/x.test.ts), it is tsx's.
 */
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** The node arguments that run `script` (a path from the repository root, such as src/cli/main.ts). */
export function nodeArgs(script: string): string[] {
  const dir = process.env.DEEPTYPE_TEST_BUNDLES;
  if (dir) {
    const bundle = path.join(dir, path.relative(root, path.resolve(root, script)).replace(/\.ts$/, ".mjs"));
    if (fs.existsSync(bundle)) return [bundle];
  }
  return ["--import", "tsx", script];
}
