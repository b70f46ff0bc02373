// The import direction of docs/architecture.md ("Layers"), checked over every file of src/: lower
// layers never import higher ones, nn, optim, data and io know nothing of each other, and the layers
// above the tensor core reach it through src/core.ts (plus the helper modules of src/tensor and
// ops/half-compute.ts that are not on the Tensor API), never the backend or autograd directly.
// Imports are read with TypeScript's preprocessor (static, re-exports, `import type` and dynamic
// `import("...")` alike), so a comment or a string cannot hide or fake one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "..");
const src = path.join(root, "src");

/** A file's unit: its folder under src/ (`nn`, `backend`), or the file itself at the top (`core.ts`). */
function unitOf(file: string): string {
  const rel = path.relative(src, file).split(path.sep);
  return rel[0];
}

/**
 * The rank of each unit: a unit may import from lower ranks only, never from a peer of its own rank
 * (nn, optim, data, io and distributions know nothing of each other; nor do utils and models). The tensor core (tensor, autograd, ops, backend, core.ts) is one rank whose
 * internal order is in CORE_IMPORTS.
 */
const RANK: Record<string, number> = {
  tensor: 0, autograd: 0, ops: 0, backend: 0, "core.ts": 0,
  grad: 1,
  nn: 2, optim: 2, data: 2, io: 2, distributions: 2,
  utils: 3, models: 3,
  train: 4,
  cli: 5, "index.ts": 5, "node.ts": 5,
};

/** Inside the tensor core: what each unit may import (the backend's kernel contract knows no op). */
const CORE_IMPORTS: Record<string, readonly string[]> = {
  backend: ["tensor"],
  tensor: ["autograd", "backend"],
  autograd: ["tensor", "ops", "backend"],
  ops: ["tensor", "autograd", "backend"],
  "core.ts": ["tensor", "autograd", "ops", "backend"],
};

/** What a unit above the core may import from it: the public API and the helpers not on it. */
function coreEntryAllowed(target: string): boolean {
  const rel = path.relative(src, target).split(path.sep).join("/");
  return rel === "core.ts" || (rel.startsWith("tensor/") && rel !== "tensor/tensor.ts") || rel === "ops/half-compute.ts";
}

/** Why `from` may not import `target` (both absolute .ts paths), or undefined when it may. */
function layerViolation(from: string, target: string): string | undefined {
  const a = unitOf(from), b = unitOf(target);
  if (a === b) return undefined;
  const ra = RANK[a], rb = RANK[b];
  if (ra === undefined || rb === undefined) return `unit ${ra === undefined ? a : b} has no rank in test/layers.test.ts (add it where the architecture puts it)`;
  if (ra === 0 && rb === 0) return CORE_IMPORTS[a].includes(b) ? undefined : `${a} may not import ${b} inside the tensor core`;
  if (rb > ra) return `${a} (rank ${ra}) imports the higher layer ${b} (rank ${rb})`;
  if (rb === ra) return `${a} and ${b} are peers and know nothing of each other`;
  if (rb === 0 && !coreEntryAllowed(target)) return `${a} reaches into the tensor core at ${path.relative(src, target)} instead of through src/core.ts`;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    // The AssemblyScript kernels compile to wasm apart from the TypeScript.
    if (e.isDirectory()) {
      if (p !== path.join(src, "backend", "wasm", "assembly")) out.push(...sourceFiles(p));
    } else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** The relative imports of a file, resolved to .ts paths (`./x.js` is the source `./x.ts`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((n) => n.startsWith("."))
    .map((n) => path.resolve(path.dirname(file), n.replace(/\.js$/, ".ts")));
}

test("layers: no file of src/ imports against the architecture's direction", () => {
  const files = sourceFiles(src);
  const problems: string[] = [];
  let edges = 0;
  for (const f of files) {
    for (const target of importsOf(f)) {
      edges++;
      const why = layerViolation(f, target);
      if (why) problems.push(`${path.relative(root, f)} -> ${path.relative(root, target)}: ${why}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(files.length > 150 && edges > 700, `${files.length} files, ${edges} imports read`);
});

test("layers: the rule rejects each kind of wrong import", () => {
  const at = (rel: string): string => path.join(src, rel);
  assert.match(layerViolation(at("ops/shape.ts"), at("nn/module.ts"))!, /higher layer nn/);
  assert.match(layerViolation(at("tensor/check.ts"), at("core.ts"))!, /inside the tensor core/);
  assert.match(layerViolation(at("backend/js/index.ts"), at("ops/op.ts"))!, /inside the tensor core/);
  assert.match(layerViolation(at("nn/module.ts"), at("optim/sgd.ts"))!, /peers/);
  assert.match(layerViolation(at("data/dataset.ts"), at("nn/module.ts"))!, /peers/);
  assert.match(layerViolation(at("nn/module.ts"), at("backend/wasm/index.ts"))!, /instead of through src\/core.ts/);
  assert.match(layerViolation(at("optim/sgd.ts"), at("tensor/tensor.ts"))!, /instead of through src\/core.ts/);
  assert.match(layerViolation(at("grad/clip.ts"), at("train/mnist.ts"))!, /higher layer train/);
  assert.match(layerViolation(at("newthing/x.ts"), at("core.ts"))!, /no rank/);
  // What the architecture allows.
  for (const [a, b] of [["nn/module.ts", "core.ts"], ["nn/losses.ts", "ops/half-compute.ts"], ["optim/sgd.ts", "tensor/check.ts"], ["utils/summary.ts", "nn/index.ts"],
    ["nn/index.ts", "grad/index.ts"], ["train/mnist.ts", "optim/index.ts"], ["ops/op.ts", "autograd/node.ts"], ["tensor/tensor.ts", "backend/backend.ts"], ["ops/shape.ts", "ops/op.ts"]]) {
    assert.equal(layerViolation(at(a), at(b)), undefined, `${a} -> ${b}`);
  }
});
