#!/usr/bin/env node
/**
 * The `deeptype` command: `deeptype train`, `deeptype eval <run>`, `deeptype summary <model>`.
 * `npm start` runs `deeptype train` with its defaults.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ArgError, defineCli, parseArgs } from "./args.js";
import { exportCommand, runExport } from "./export.js";
import { RUN_FILES, defaultConfig, evaluateRun, trainMnist, type TrainConfig } from "../train/mnist.js";
import { buildModel, examCnn } from "../models/index.js";
import { summary } from "../utils/summary.js";
import { setNumThreads } from "../core.js";
import { getBackend } from "../core.js";
import { examCommand, runExamCommand } from "./exam.js";

const cli = defineCli({
  name: "deeptype",
  summary: "Train and inspect neural networks with deeptype.",
  version: "0.1.0",
  commands: [
    {
      name: "train",
      summary: "Train a classifier on the mnist package's 10,000 real digits (8,000 train / 2,000 test).",
      description: "Writes runs/<name>/: model.safetensors, checkpoint.safetensors, metrics.jsonl, config.json and report.html.",
      options: [
        { name: "model", type: ["cnn", "mlp"], default: defaultConfig.model, help: "network to train" },
        { name: "epochs", type: "int", default: defaultConfig.epochs, help: "passes over the training split" },
        { name: "batch-size", type: "int", default: defaultConfig.batchSize, help: "images per optimisation step" },
        { name: "lr", type: "number", default: defaultConfig.lr, help: "learning rate (cosine-annealed to 0)" },
        { name: "optimizer", type: ["adam", "adamw", "sgd"], default: defaultConfig.optimizer, help: "optimiser (sgd uses momentum 0.9)" },
        { name: "threads", type: "int", help: "worker threads for the wasm kernels (default: all cores)" },
        { name: "seed", type: "int", default: defaultConfig.seed, help: "seed for the split, the initial weights and the shuffling" },
        { name: "train-size", type: "int", help: "use only this many training images (quick experiments)" },
        { name: "out", type: "string", help: "run folder (default runs/<model>)" },
        { name: "resume", type: "string", help: "continue the run in this folder from its last checkpoint" },
      ],
    },
    {
      name: "eval",
      summary: "Evaluate a trained run's model.safetensors on its test split.",
      positionals: [{ name: "run", help: "run folder, e.g. runs/cnn", required: true }],
    },
    {
      name: "summary",
      summary: "Print a model's layers: output shape, parameters, receptive field, multiply-adds.",
      positionals: [{ name: "model", help: "cnn, mlp, or exam6 (the exam's Problem 6 network on 3x375x375 images and its fully convolutional twin)", required: true }],
    },
    examCommand,
    exportCommand,
  ],
} as const);

function positive(v: number | undefined, flag: string): void {
  if (v !== undefined && !(v > 0)) throw new ArgError(`deeptype train: --${flag} must be positive, got ${v}`, "train");
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(cli, argv);
  if (parsed.kind === "help" || parsed.kind === "version") {
    console.log(parsed.text);
    return 0;
  }
  if (parsed.command === "train") {
    const o = parsed.options;
    for (const [flag, v] of [["epochs", o.epochs], ["batch-size", o.batchSize], ["lr", o.lr], ["threads", o.threads], ["train-size", o.trainSize]] as const) positive(v, flag);
    if (o.threads !== undefined) setNumThreads(o.threads);
    const config: TrainConfig = {
      model: o.model, epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, optimizer: o.optimizer, seed: o.seed, trainSize: o.trainSize,
    };
    if (o.resume !== undefined) {
      // A resumed run keeps its own settings: silently mixing in defaults is how a 6-epoch run
      // used to "finish" at the CLI's 4.
      const clash = ["model", "batch-size", "lr", "optimizer", "seed", "train-size", "out"].find((f) => parsed.given.includes(f));
      if (clash) throw new ArgError(`deeptype train: --${clash} cannot be combined with --resume: a resumed run keeps the settings in its config.json; only --epochs (a new total) and --threads apply`, "train");
    }
    const runDir = o.resume ?? o.out ?? path.join("runs", o.model);
    const result = await trainMnist(config, {
      runDir,
      resume: o.resume !== undefined,
      epochs: o.resume !== undefined && parsed.given.includes("epochs") ? o.epochs : undefined,
      onStart: (cfg, first) =>
        console.log(first > 1
          ? `Resuming ${cfg.model} at epoch ${first}/${cfg.epochs} on MNIST (${getBackend()} backend) -> ${runDir}`
          : `Training ${cfg.model} on MNIST (${getBackend()} backend) -> ${runDir}`),
    });
    console.log(`Test accuracy: ${(100 * result.testAccuracy).toFixed(2)}% (${result.history.length} epochs)`);
    console.log(`Saved: ${RUN_FILES.map((f) => path.join(runDir, f)).join(", ")}`);
    return 0;
  }
  if (parsed.command === "eval") {
    const run = parsed.positionals.run as string;
    if (!fs.existsSync(run)) throw new ArgError(`deeptype eval: no run folder at ${run}`, "eval");
    const r = await evaluateRun(run);
    console.log(`Test accuracy of ${run}: ${(100 * r.accuracy).toFixed(2)}%, loss ${r.loss.toFixed(4)}`);
    console.log("Confusion matrix (rows: true digit, columns: predicted):");
    r.confusion.forEach((row, i) => console.log(`${i}: ${row.map((v) => String(v).padStart(4)).join("")}`));
    return 0;
  }
  if (parsed.command === "exam") return runExamCommand(parsed.positionals.item as string | undefined, parsed.options as unknown as Parameters<typeof runExamCommand>[1]);
  if (parsed.command === "export") {
    for (const line of await runExport(parsed.positionals.run as string, parsed.options as unknown as Parameters<typeof runExport>[1])) console.log(line);
    return 0;
  }
  const name = parsed.positionals.model as string;
  if (name === "exam6") {
    console.log(summary(examCnn(), [3, 375, 375]).table);
    // 6.4: the same network with its two FC layers rewritten as convolutions.
    console.log("\nFully convolutional twin (6.4): FC(7056 → 2048) becomes Conv2d(16, 2048, 21), FC(2048 → 200) becomes Conv2d(2048, 200, 1)");
    console.log(summary(examCnn({ fullyConvolutional: true }), [3, 375, 375]).table);
  }
  else if (name === "cnn" || name === "mlp") console.log(summary(buildModel(name), [1, 28, 28]).table);
  else throw new ArgError(`deeptype summary: unknown model "${name}" (use cnn, mlp or exam6)`, "summary");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ArgError) {
      const hint = e.message.includes("--help") ? "" : `\nRun 'deeptype ${e.command ? e.command + " " : ""}--help' for usage.`;
      console.error(`${e.message.startsWith("deeptype") ? "" : "deeptype: "}${e.message}${hint}`);
      process.exit(2);
    }
    console.error(e instanceof Error ? `deeptype: ${e.message}` : e);
    process.exit(1);
  },
);
