// The wasm kernels are compiled into a git-ignored file at `npm install` time. This test fails first
// and clearly when that build is older than the kernel sources (after a pull), instead of letting the
// numeric tests fail with mismatches that look like kernel bugs.
import { test } from "node:test";
import assert from "node:assert/strict";
// A namespace import, so that a build from before the fingerprint existed still type-checks and
// reaches the clear message below.
import * as generated from "../src/backend/wasm/kernels.generated.js";
// @ts-expect-error: a plain .mjs build helper without type declarations.
import { wasmSourceHash } from "../scripts/wasm-source-hash.mjs";

test("the wasm kernels were built from the current sources (else: npm run build:wasm)", () => {
  const built = (generated as { sourceHash?: string }).sourceHash;
  assert.equal(built, wasmSourceHash(),
    "src/backend/wasm/kernels.generated.ts is stale: the kernel sources changed since it was built. Run `npm run build:wasm`.");
});
