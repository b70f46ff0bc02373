#!/usr/bin/env node
// Checks the published build: runs `npm run build`, then imports dist/src/index.js from plain
// JavaScript (no tsx, no TypeScript) and runs a tiny autograd example, asserting its values; then
// compiles a TypeScript consumer against the published .d.ts files ("deeptype" and "deeptype/node"
// through package.json's exports) the strict way a user's project may: lib es2022 only (no DOM),
// types ["node"], skipLibCheck false.
//
//   node scripts/check-dist.mjs            # builds, then checks
//   node scripts/check-dist.mjs --no-build # checks an existing dist/
import { execSync, execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
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

// The consumer sits inside the package so that "deeptype" resolves to this build by self-reference.
const dir = join(root, "dist", "types-check");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
  compilerOptions: {
    target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["es2022"], types: ["node"],
    strict: true, skipLibCheck: false, noEmit: true,
  },
  files: ["consumer.ts"],
}, null, 2));
writeFileSync(join(dir, "consumer.ts"), `
import { tensor, randn, randint, nn, data, autograd, inferenceMode, cat, conv2d, type Tensor } from "deeptype";
import * as nodeEntry from "deeptype/node";
const x: Tensor = randn([8, 3]);
const ds = new data.TensorDataset(x, randint(0, 2, [8]));
for (const [xb, yb] of new data.DataLoader(ds, { batchSize: 4 })) { const s: Tensor = xb.add(yb); void s; }
const lstm = new nn.LSTM(3, 4, { bidirectional: true });
const w: Tensor = lstm.weight_hh_l0_reverse;
class Square extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, a: Tensor): Tensor { ctx.saveForBackward(a); return a.square(); }
  static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor { const [a] = ctx.savedTensors; return g.mul(a!).mul(2); }
}
const y: Tensor = Square.apply(tensor([1, 2], { requiresGrad: true }));
const j: Tensor = autograd.functional.jacobian((a: Tensor) => a.exp(), tensor([1, 2]));
const z: Tensor = inferenceMode(() => x.mul(2));
// API.md rule 3's options-object forms, typed through the published declarations (options-form.d.ts).
const o1: Tensor = x.sum({ dim: 1, keepdim: true });
const o2: Tensor = nn.functional.normalize(x, { dim: 0 });
const o3: Tensor = nn.functional.dropout(x, { p: 0.2, training: true });
const { values: o4 } = x.max({ dim: 1 });
const o5: Tensor = x.clamp({ max: 1 });
const o6: Tensor[] = [x.squeeze({ dim: 0 }), cat([x, x], { dim: 1 }), x.tril({ diagonal: -1 }), conv2d(x, x, { stride: 2 })];
const { values: o7 } = x.mode({ dim: 0, keepdim: true });
// @ts-expect-error a misspelt option is a compile error for a TypeScript consumer too
x.sum({ dim: 1, keepDim: true });
void w; void y; void j; void z; void nodeEntry; void o1; void o2; void o3; void o4; void o5; void o6; void o7;
`);
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: root, stdio: "inherit" });
console.log("check-dist: the published .d.ts files compile in a consumer with lib es2022, types node and skipLibCheck false");
