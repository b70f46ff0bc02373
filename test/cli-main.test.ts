// The `deeptype` command as a user runs it: help, bad flags, the summary of the exam's Problem 6
// network, and a checkpoint that survives the process being killed in the middle of a save.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadCheckpoint } from "../src/io/checkpoint.js";
import { nodeArgs } from "./child-node.js";

function deeptype(...args: string[]) {
  const r = spawnSync(process.execPath, [...nodeArgs("src/cli/main.ts"), ...args], { encoding: "utf8" });
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
  // 6.4: the fully convolutional twin follows, with the FC weights as convolutions of the same size.
  const twin = r.out.split("Fully convolutional twin")[1];
  assert.ok(twin, "the twin's table is printed");
  const twinRow = (name: string) => twin.split("\n").find((l) => l.startsWith(name))!;
  assert.match(twinRow("12 (Conv2d)"), /\[2048, 1, 1\]\s+14,452,736/);
  assert.match(twinRow("14 (Conv2d)"), /\[200, 1, 1\]\s+409,800/);
});

/**
 * A child saves epoch 1, then starts saving epoch 2 with `fs.promises` instrumented to stop at
 * `stage`, print "inside <stage>" and wait forever; the parent kills it with SIGKILL on that line.
 * So the kill lands inside the save at a known point, on every machine, with no timer.
 */
async function killInsideSave(dir: string, stage: "write" | "rename"): Promise<string> {
  const file = path.join(dir, "checkpoint.safetensors");
  const script = `
    import fs from "node:fs";
    import { saveCheckpoint } from "./src/io/checkpoint.ts";
    import { randn } from "./src/index.ts";
    const stage = ${JSON.stringify(stage)};
    const hang = (what) => { process.stdout.write("inside " + what + "\\n"); return new Promise(() => {}); };
    const big = randn([1_000_000]);
    await saveCheckpoint(${JSON.stringify(file)}, { epoch: 1, w: big });
    const { open, rename } = fs.promises;
    if (stage === "write") {
      // Half of the new file's bytes reach the temporary file, then the process stops.
      fs.promises.open = async (...a) => {
        const h = await open(...a);
        const write = h.write.bind(h);
        h.write = async (buf, off, len, pos) => { await write(buf, off, len >> 1, pos); return hang("write"); };
        return h;
      };
    } else {
      // The temporary file is complete and synced; the process stops before the rename.
      fs.promises.rename = () => hang("rename");
    }
    await saveCheckpoint(${JSON.stringify(file)}, { epoch: 2, w: big });
    process.stdout.write("save finished\\n");`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let out = "";
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("inside ")) resolve();
    });
    void exited.then(() => resolve());
  });
  child.kill("SIGKILL");
  await exited;
  return out;
}

for (const stage of ["write", "rename"] as const) {
  test(`killing the process in the middle of saving (at the ${stage}) leaves the previous checkpoint readable`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-kill-"));
    const out = await killInsideSave(dir, stage);
    assert.equal(out.trim(), `inside ${stage}`, "the child was stopped inside the second save");
    // The second save's temporary file is there, half-written or complete: the kill hit the save.
    const tmp = fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"));
    assert.equal(tmp.length, 1, `temporary files: ${fs.readdirSync(dir).join(", ")}`);
    const full = fs.statSync(path.join(dir, "checkpoint.safetensors")).size;
    const partial = fs.statSync(path.join(dir, tmp[0])).size;
    if (stage === "write") assert.ok(partial > 0 && partial < full, `partial temp file ${partial} of ${full} bytes`);
    else assert.equal(partial, full);
    // The checkpoint is the complete first save, not a torn second one.
    const state = await loadCheckpoint(path.join(dir, "checkpoint.safetensors"));
    assert.equal(state.epoch, 1);
    assert.equal((state.w as { numel(): number }).numel(), 1_000_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test("deeptype train --resume names the run's own model, keeps its settings, and refuses flags that would change them", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-cli-resume-"));
  try {
    const first = deeptype("train", "--model", "mlp", "--epochs", "1", "--train-size", "32", "--batch-size", "16", "--out", dir);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^Training mlp on MNIST/m);
    const clash = deeptype("train", "--resume", dir, "--lr", "0.1");
    assert.equal(clash.code, 2);
    assert.match(clash.err, /--lr cannot be combined with --resume: a resumed run keeps the settings in its config\.json/);
    const done = deeptype("train", "--resume", dir);
    assert.equal(done.code, 1);
    assert.match(done.err, /has already trained 1 of its 1 epochs; pass --epochs N with N > 1/);
    const more = deeptype("train", "--resume", dir, "--epochs", "2");
    assert.equal(more.code, 0, more.err);
    assert.match(more.out, /^Resuming mlp at epoch 2\/2 on MNIST/m);
    assert.doesNotMatch(more.out, /cnn/);
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    assert.deepEqual([cfg.model, cfg.epochs, cfg.trainSize, cfg.batchSize], ["mlp", 2, 32, 16]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
