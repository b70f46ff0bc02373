// The main job's machinery: exact resume from a checkpoint, run-folder contents, and the summary tool.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { trainMnist, evaluateRun, type TrainConfig } from "../src/train/mnist.js";
import { mnistCnn } from "../src/models/index.js";
import { summary } from "../src/utils/summary.js";
import { loadCheckpoint, saveCheckpoint } from "../src/io/checkpoint.js";
import type { Tensor } from "../src/index.js";
import { parseSafetensors } from "../src/io/safetensors.js";

const quiet = { write: () => true, isTTY: false };
const config: TrainConfig = { model: "mlp", epochs: 2, batchSize: 16, lr: 1e-2, optimizer: "adam", seed: 3, trainSize: 48 };

function tmp(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `deeptype-${name}-`));
}

test("resuming from the epoch-1 checkpoint ends with exactly the weights of an uninterrupted run", async () => {
  const straight = await trainMnist(config, { runDir: tmp("straight"), stream: quiet });
  const dir = tmp("resumed");
  await trainMnist(config, { runDir: dir, stream: quiet, stopAfter: 1 });
  assert.equal((await loadCheckpoint(path.join(dir, "checkpoint.safetensors"))).epoch, 1);
  const resumed = await trainMnist(config, { runDir: dir, stream: quiet, resume: true });
  const a = straight.model.stateDict();
  const b = resumed.model.stateDict();
  assert.deepEqual(Object.keys(a), Object.keys(b));
  for (const k of Object.keys(a)) assert.deepEqual(b[k].data(), a[k].data(), `weights of ${k} differ after resume`);
  assert.deepEqual(resumed.history.map((h) => h.testAccuracy), straight.history.map((h) => h.testAccuracy));
});

test("a run folder holds safetensors weights with PyTorch names, metrics, config and a self-contained report", async () => {
  const dir = tmp("run");
  const r = await trainMnist({ ...config, epochs: 1 }, { runDir: dir, stream: quiet });
  const bytes = new Uint8Array(fs.readFileSync(path.join(dir, "model.safetensors")));
  const { tensors } = parseSafetensors(bytes, "model.safetensors");
  assert.deepEqual(Object.keys(tensors).sort(), ["1.bias", "1.weight", "3.bias", "3.weight", "5.bias", "5.weight"]);
  assert.deepEqual(tensors["1.weight"].shape, [256, 784]);
  const lines = fs.readFileSync(path.join(dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 1);
  assert.equal(lines[0].testAccuracy, r.testAccuracy);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")).model, "mlp");
  const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
  assert.ok(html.includes("<svg") && !/src="http/.test(html));
  const ev = await evaluateRun(dir);
  assert.equal(ev.accuracy, r.testAccuracy);
  assert.equal(ev.confusion.flat().reduce((a, b) => a + b, 0), 2000);
});

test("resume without a checkpoint says where it looked", async () => {
  const dir = tmp("empty");
  await assert.rejects(trainMnist(config, { runDir: dir, stream: quiet, resume: true }), /resume: no checkpoint at .*checkpoint\.safetensors/);
});

test("summary of the MNIST CNN: shapes, parameters, receptive fields, multiply-adds", () => {
  const s = summary(mnistCnn(), [1, 28, 28]);
  assert.equal(s.totalParams, 160 + 4640 + 200832 + 1290);
  const conv2 = s.layers.find((l) => l.name === "3")!;
  assert.deepEqual(conv2.outputShape, [32, 14, 14]);
  assert.equal(conv2.macs, 32 * 14 * 14 * 16 * 9);
  // conv3 (3) -> pool (4) -> conv3 (4 + 2·2 = 8) -> pool (10)
  assert.deepEqual(s.layers.slice(0, 6).map((l) => l.receptiveField), [3, 3, 4, 8, 8, 10]);
  assert.equal(s.layers.find((l) => l.type === "Flatten")!.receptiveField, null);
  assert.match(s.table, /Total params: 206,922/);
});

test("resume without epochs finishes the run's own plan; config.json records it", async () => {
  const dir = tmp("plan");
  await trainMnist({ ...config, epochs: 3 }, { runDir: dir, stream: quiet, stopAfter: 1 });
  // The caller's config (e.g. the CLI's defaults) does not override the saved run's.
  const r = await trainMnist({ ...config, epochs: 4, model: "cnn", lr: 0.5 }, { runDir: dir, stream: quiet, resume: true });
  assert.deepEqual(r.history.map((h) => h.epoch), [1, 2, 3]);
  const saved = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  assert.equal(saved.epochs, 3);
  assert.equal(saved.model, "mlp");
  assert.equal(saved.lr, config.lr);
  await assert.rejects(trainMnist(config, { runDir: dir, stream: quiet, resume: true }), /resume: the run in .* has already trained 3 of its 3 epochs; pass --epochs N with N > 3/);
});

test("resume with a larger epochs total rebuilds the cosine schedule for it (PyTorch's last_epoch rule)", async () => {
  const dir = tmp("extend");
  const first = await trainMnist(config, { runDir: dir, stream: quiet });
  assert.deepEqual(first.history.map((h) => h.lr), [config.lr, config.lr * (1 + Math.cos(Math.PI / 2)) / 2]);
  let announced = "";
  const r = await trainMnist(config, { runDir: dir, stream: quiet, resume: true, epochs: 4, onStart: (c, e) => (announced = `${c.model} ${e}/${c.epochs}`) });
  assert.equal(announced, "mlp 3/4");
  const cosine = (e: number, total: number) => (config.lr * (1 + Math.cos((Math.PI * e) / total))) / 2;
  const lrs = r.history.map((h) => h.lr);
  assert.equal(lrs.length, 4);
  assert.ok(Math.abs(lrs[2] - cosine(2, 4)) < 1e-12, `epoch 3 trains at ${lrs[2]}, not 0 (the old 2-epoch schedule's end)`);
  assert.ok(Math.abs(lrs[3] - cosine(3, 4)) < 1e-12);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")).epochs, 4);
});

test("a corrupted checkpoint is an error naming the file and the field, and no file of the run changes", async () => {
  const dir = tmp("corrupt");
  await trainMnist(config, { runDir: dir, stream: quiet, stopAfter: 1 });
  const file = path.join(dir, "checkpoint.safetensors");
  const good = await loadCheckpoint(file);
  const snapshot = () => Object.fromEntries(fs.readdirSync(dir).filter((f) => f !== "checkpoint.safetensors").map((f) => [f, fs.readFileSync(path.join(dir, f)).toString("hex")]));
  const before = snapshot();
  const w = (good.model as Record<string, Tensor>)["1.weight"];
  const cases: [string, (s: Record<string, any>) => void, RegExp][] = [
    ["epoch 0", (s) => (s.epoch = 0), /field "epoch" is wrong: expected an integer >= 1, got number 0/],
    ["epoch string", (s) => (s.epoch = "1"), /field "epoch" is wrong: expected an integer >= 1, got string "1"/],
    ["epoch beyond plan", (s) => (s.epoch = 7), /field "epoch" is 7, beyond the run's 2 epochs/],
    ["history short", (s) => (s.history = []), /field "history" has 0 entries for 1 epochs/],
    ["unknown model", (s) => (s.config.model = "resnet"), /field "config.model" is wrong: expected one of "cnn", "mlp", got string "resnet"/],
    ["NaN lr", (s) => (s.config.lr = NaN), /field "config.lr" is wrong: expected a finite number, got number NaN/],
    ["missing weight", (s) => delete s.model["3.bias"], /field "model.3.bias" is missing/],
    ["wrong shape", (s) => (s.model["1.weight"] = w.reshape([784, 256])), /field "model.1.weight" is wrong: expected \[256,784\] float32, got \[784,256\] float32/],
    ["NaN weight", (s) => (s.model["1.bias"] = (s.model["1.bias"] as Tensor).mul(NaN)), /field "model.1.bias" holds NaN at element 0/],
    ["extra weight", (s) => (s.model["9.weight"] = w), /field "model.9.weight" is not a weight of the mlp model/],
    ["no param groups", (s) => delete s.optimizer.param_groups, /field "optimizer.param_groups" is missing/],
    ["scheduler position", (s) => (s.scheduler.last_epoch = 0), /field "scheduler.last_epoch" is number 0 but the checkpoint is at epoch 1/],
    ["generator state", (s) => (s.loaderGenerator.s = [1, 2, 3]), /field "loaderGenerator.s" is wrong: expected 4 entries, got 3/],
    ["optimizer group count", (s) => s.optimizer.param_groups.push({ ...s.optimizer.param_groups[0] }), /field "optimizer" cannot be loaded: Adam.loadStateDict: the saved state has 2 param group/],
  ];
  for (const [what, mutate, re] of cases) {
    const state = structuredClone({ ...good, model: {} }) as Record<string, any>;
    state.model = { ...(good.model as Record<string, Tensor>) };
    state.optimizer = good.optimizer; // tensors inside: keep by reference
    state.optimizer = { ...(good.optimizer as object), param_groups: structuredClone((good.optimizer as any).param_groups) };
    mutate(state);
    await saveCheckpoint(file, state);
    await assert.rejects(trainMnist(config, { runDir: dir, stream: quiet, resume: true }), (e: Error) => {
      assert.ok(e.message.startsWith(`resume: ${file}: field "`), `${what}: ${e.message}`);
      assert.match(e.message, re, what);
      return true;
    }, what);
    assert.deepEqual(snapshot(), before, `${what}: the run's other files are untouched`);
  }
});

test("a killed save's leftover .tmp file is removed on the next start; a live process's is kept", async () => {
  const dir = tmp("leftover");
  const dead = path.join(dir, ".checkpoint.safetensors.4194399.0.tmp"); // above Linux's largest pid
  const mine = path.join(dir, `.report.html.${process.pid}.7.tmp`);
  fs.writeFileSync(dead, "half a checkpoint");
  fs.writeFileSync(mine, "in flight");
  await trainMnist({ ...config, epochs: 1 }, { runDir: dir, stream: quiet });
  assert.equal(fs.existsSync(dead), false);
  assert.equal(fs.existsSync(mine), true);
});
