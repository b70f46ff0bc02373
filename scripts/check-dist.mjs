#!/usr/bin/env node
// Checks the published build: runs `npm run build`, then imports dist/src/index.js from plain
// JavaScript (no tsx, no TypeScript) and runs a tiny autograd example, asserting its values.
//
//   node scripts/check-dist.mjs            # builds, then checks
//   node scripts/check-dist.mjs --no-build # checks an existing dist/
import { execSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import assert from "node:assert/strict";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!process.argv.includes("--no-build")) execSync("npm run build", { cwd: root, stdio: "inherit" });

const dt = await import(pathToFileURL(join(root, "dist", "src", "index.js")).href);
const { tensor, grad, noGrad, manualSeed, randn, conv2d } = dt;

// y = relu(W x + b), loss = (y - t)^2 summed: gradients by hand.
const W = tensor([[1, -2], [0.5, 1]], { requiresGrad: true });
const b = tensor([0.5, -3], { requiresGrad: true });
const x = tensor([2, 1]);
const y = W.matmul(x).add(b).relu(); // [0.5, 0] (second unit is off)
const loss = y.sub(tensor([1, 1])).pow(2).sum();
loss.backward();
assert.deepEqual(y.tolist(), [0.5, 0]);
assert.equal(loss.item(), 0.25 + 1);
assert.deepEqual(W.grad.tolist(), [[-2, -1], [0, 0]]);
assert.deepEqual(b.grad.tolist(), [-1, 0]);
noGrad(() => W.sub_(W.grad.mul(0.1)));
assert.deepEqual(W.tolist(), [[1.2000000476837158, -1.899999976158142], [0.5, 1]]);

// Second order and a conv, to be sure every op file made it into the build.
const s = tensor([0.5], { dtype: "float64", requiresGrad: true });
const [g] = grad(s.tanh().sum(), s, { createGraph: true });
const [gg] = grad(g.sum(), s);
assert.ok(Math.abs(gg.item() + 2 * Math.tanh(0.5) * (1 - Math.tanh(0.5) ** 2)) < 1e-12);
manualSeed(0);
const out = conv2d(randn([1, 2, 5, 5]), randn([3, 2, 3, 3]), null, { padding: 1 });
assert.deepEqual(out.shape, [1, 3, 5, 5]);
console.log(String(W));
console.log("check-dist: dist/src/index.js imports from plain JavaScript and its autograd works");
