// The main job's machinery: exact resume from a checkpoint, run-folder contents, and the summary tool.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { trainMnist, evaluateRun, type TrainConfig } from "../src/train/mnist.js";
import { mnistCnn } from "../src/models/index.js";
import { summary } from "../src/utils/summary.js";
import { loadCheckpoint } from "../src/io/checkpoint.js";
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
