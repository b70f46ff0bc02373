// The published build, as a user installs it: scripts/check-dist.mjs builds dist/ (npm run build),
// imports dist/src/index.js from plain JavaScript and runs a small autograd example, then compiles a
// strict TypeScript consumer against the published .d.ts files. Run here so that a change that breaks
// the published types fails `npm test` (session 12: mnist-build.d.ts named a type that only a
// hand-written .d.ts in src/ declared, which tsc does not copy into dist/; only a manual run saw it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

test("the published build imports from plain JavaScript and its .d.ts files compile in a strict consumer", () => {
  const script = fileURLToPath(new URL("../scripts/check-dist.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, `scripts/check-dist.mjs failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /check-dist: dist\/src\/index\.js imports from plain JavaScript and its autograd works/);
  assert.match(r.stdout, /check-dist: the published \.d\.ts files compile in a consumer/);
});
