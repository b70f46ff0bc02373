// The `deeptype` command as a user runs it: help, bad flags, the summary of the exam's Problem 6
// network, and a checkpoint that survives the process being killed in the middle of a save.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadCheckpoint, saveCheckpoint } from "../src/io/checkpoint.js";
import { tensor } from "../src/index.js";

function deeptype(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("deeptype train --help lists every option with its default", () => {
  const r = deeptype("train", "--help");
  assert.equal(r.code, 0);
  for (const flag of ["--model", "--epochs", "--batch-size", "--lr", "--optimizer", "--threads", "--seed", "--out", "--resume"]) assert.ok(r.out.includes(flag), flag);
  assert.match(r.out, /--epochs <int>.*\(default: 4\)/);
});

test("bad flags and values exit 2 with a message naming the flag and what is accepted", () => {
  const typo = deeptype("train", "--optimiser", "adam");
  assert.equal(typo.code, 2);
  assert.match(typo.err, /unknown option --optimiser \(did you mean --optimizer\?\)/);
  const bad = deeptype("train", "--epochs", "abc");
  assert.equal(bad.code, 2);
  assert.match(bad.err, /invalid value "abc" for --epochs: expected an integer/);
  const choice = deeptype("train", "--optimizer", "lbfgs");
  assert.equal(choice.code, 2);
  assert.match(choice.err, /adam/);
  const zero = deeptype("train", "--epochs", "0");
  assert.equal(zero.code, 2);
  assert.match(zero.err, /--epochs must be positive, got 0/);
  assert.equal(deeptype("summary", "resnet").code, 2);
});

test("deeptype summary exam6 answers the exam's Problem 6: 448 parameters, receptive field 18, 16x21x21", () => {
  const r = deeptype("summary", "exam6");
  assert.equal(r.code, 0, r.err);
  const row = (name: string) => r.out.split("\n").find((l) => l.startsWith(name))!;
  assert.match(row("0 (Conv2d)"), /\[16, 373, 373\]\s+448\s+3x3/);
  assert.match(row("6 (Conv2d)"), /\[64, 90, 90\].*18x18/);
  assert.match(row("11 (MaxPool2d)"), /\[16, 21, 21\]/);
  assert.match(row("13 (Linear)"), /\[2048\]\s+14,452,736/);
});

test("killing the process in the middle of saving leaves the previous checkpoint readable", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-kill-"));
  const file = path.join(dir, "checkpoint.safetensors");
  await saveCheckpoint(file, { epoch: 0, w: tensor([1, 2, 3]) });
  // A child rewrites a large checkpoint in a loop; it is killed with SIGKILL at an arbitrary moment.
  const script = `
    import { saveCheckpoint } from "./src/io/checkpoint.ts";
    import { randn } from "./src/index.ts";
    const big = randn([4_000_000]);
    for (let epoch = 1; ; epoch++) { await saveCheckpoint(${JSON.stringify(file)}, { epoch, w: big }); process.stdout.write("saved\\n"); }`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  await new Promise((r) => setTimeout(r, 37));
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  const state = await loadCheckpoint(file);
  assert.ok((state.epoch as number) >= 1, "at least one save completed before the kill");
  assert.equal((state.w as { numel: number }).numel, 4_000_000);
});
