// A fingerprint of everything the wasm kernels are built from (the AssemblyScript sources and the
// build script). scripts/build-wasm.mjs embeds it in kernels.generated.ts, and the test suite
// compares it with the sources on disk: the generated file is git-ignored, so after pulling kernel
// changes without rebuilding, tests would otherwise fail with misleading numeric mismatches.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** sha256 over the sorted assembly sources and the build script, as hex. */
export function wasmSourceHash() {
  const dir = join(root, "src/backend/wasm/assembly");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") || f.endsWith(".json")).sort()
    .map((f) => join(dir, f));
  files.push(join(root, "scripts/build-wasm.mjs"));
  const h = createHash("sha256");
  for (const f of files) {
    h.update(f.slice(root.length + 1));
    h.update("\0");
    // Line endings normalised so a Windows checkout hashes the same.
    h.update(readFileSync(f, "utf8").replace(/\r\n/g, "\n"));
    h.update("\0");
  }
  return h.digest("hex");
}
