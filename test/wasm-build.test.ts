// The wasm kernels are compiled into a git-ignored file at `npm install` time. This test fails first
// and clearly when that build is older than the kernel sources (after a pull), instead of letting the
// numeric tests fail with mismatches that look like kernel bugs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sourceHash } from "../src/backend/wasm/kernels.generated.js";
// @ts-expect-error: a plain .mjs build helper without type declarations.
import { wasmSourceHash } from "../scripts/wasm-source-hash.mjs";

test("the wasm kernels were built from the current sources (else: npm run build:wasm)", () => {
  assert.equal(sourceHash, wasmSourceHash(),
    "src/backend/wasm/kernels.generated.ts is stale: the kernel sources changed since it was built. Run `npm run build:wasm`.");
});
