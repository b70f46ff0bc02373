/**
 * The main job: train a classifier on the `mnist` package's 10,000 real digits, with a progress
 * bar, per-epoch evaluation, checkpoints that resume exactly, and a run folder with the weights,
 * metrics and an HTML report.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Generator, Tensor, noGrad, type GeneratorState } from "../core.js";
import * as nn from "../nn/index.js";
import * as optim from "../optim/index.js";
import { DataLoader, MnistDataset, Subset, loadMnistSync } from "../data/index.js";
import { buildModel, type ModelName } from "../models/index.js";
import { ProgressBar, type ProgressStream } from "../utils/progress.js";
import { histogram, renderReport, type LayerHistograms } from "../utils/report.js";
import { atomicWriteFile, removeStaleTempFiles } from "../io/files.js";
import { loadCheckpoint, loadWeights, saveCheckpoint, saveWeights } from "../io/checkpoint.js";
import { type RunCheckpoint, validateRunCheckpoint } from "./checkpoint-schema.js";

export type OptimizerName = "sgd" | "adam" | "adamw";

export interface TrainConfig {
  model: ModelName;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  seed: number;
  /** Training images used from the 8,000 of the training split (default all). */
  trainSize?: number;
}

export const defaultConfig: TrainConfig = { model: "cnn", epochs: 4, batchSize: 64, lr: 2e-3, optimizer: "adam", seed: 0 };

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  lr: number;
  seconds: number;
}

export interface TrainResult {
  runDir: string;
  history: EpochMetrics[];
  testAccuracy: number;
  model: nn.Sequential;
}

export interface TrainOptions {
  /** Where the run's files go (created). */
  runDir: string;
  /** Continue from runDir/checkpoint.safetensors instead of starting fresh. */
  resume?: boolean;
  /** Progress output (default process.stderr). */
  stream?: ProgressStream;
  /** Stop after this many epochs of this call (tests interrupt a run with it). */
  stopAfter?: number;
  /**
   * With `resume`: the run's new total number of epochs. Default: the run's own, so an interrupted
   * run finishes its plan. A different total rebuilds the cosine LR schedule for it (see docs).
   */
  epochs?: number;
  /** Called once the plan is known (after a checkpoint was validated), before any file is written. */
  onStart?: (config: TrainConfig, firstEpoch: number) => void;
}

const CHECKPOINT = "checkpoint.safetensors";

/** What a run folder holds, in the order `deeptype train` lists it. */
export const RUN_FILES = ["model.safetensors", CHECKPOINT, "metrics.jsonl", "config.json", "report.html"] as const;

function makeOptimizer(cfg: TrainConfig, params: Iterable<Tensor>): optim.Optimizer {
  if (cfg.optimizer === "sgd") return new optim.SGD(params, { lr: cfg.lr, momentum: 0.9 });
  if (cfg.optimizer === "adamw") return new optim.AdamW(params, { lr: cfg.lr });
  return new optim.Adam(params, { lr: cfg.lr });
}

/** The run's train and test splits, as the training job builds them (also read by `deeptype export --pytorch`). */
export function datasets(cfg: TrainConfig): { train: MnistDataset | Subset<MnistDataset>; test: MnistDataset } {
  const data = loadMnistSync();
  const train = new MnistDataset({ train: true, seed: cfg.seed, data });
  const test = new MnistDataset({ train: false, seed: cfg.seed, data });
  if (cfg.trainSize === undefined || cfg.trainSize >= train.length) return { train, test };
  return { train: new Subset(train, Array.from({ length: cfg.trainSize }, (_, i) => i)), test };
}

/** The layers whose weight histograms the report shows (those with a weight matrix or kernel). */
function weightHistograms(model: nn.Sequential, epoch: number, into: LayerHistograms[]): void {
  for (const [name, p] of model.namedParameters()) {
    if (!name.endsWith("weight") || p.ndim < 2) continue;
    let entry = into.find((h) => h.layer === name);
    if (!entry) into.push((entry = { layer: name, epochs: [] }));
    entry.epochs.push({ epoch, ...histogram(p.data(), 30) });
  }
}

interface Evaluation {
  loss: number;
  accuracy: number;
  confusion: number[][];
  mistakes: { pixels: Float32Array; label: number; predicted: number }[];
}

function evaluate(model: nn.Sequential, test: MnistDataset): Evaluation {
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const mistakes: Evaluation["mistakes"] = [];
  let lossSum = 0, correct = 0;
  model.eval();
  noGrad(() => {
    for (const batch of new DataLoader(test, { batchSize: 500 })) {
      const logits = model.call(batch.image);
      lossSum += nn.functional.crossEntropy(logits, batch.label, { reduction: "sum" }).item();
      const pred = logits.argmax(1).data();
      const label = batch.label.data();
      for (let i = 0; i < pred.length; i++) {
        confusion[label[i]][pred[i]]++;
        if (pred[i] === label[i]) correct++;
        else if (mistakes.length < 40) {
          mistakes.push({ pixels: batch.image.select(0, i).data() as Float32Array, label: label[i], predicted: pred[i] });
        }
      }
    }
  });
  model.train();
  return { loss: lossSum / test.length, accuracy: correct / test.length, confusion, mistakes };
}

/**
 * `await trainMnist(defaultConfig, {runDir: "runs/cnn"})`: trains, evaluates after every epoch,
 * checkpoints atomically, and writes model.safetensors, metrics.jsonl, config.json and report.html.
 */
export async function trainMnist(config: TrainConfig, opts: TrainOptions): Promise<TrainResult> {
  const runDir = opts.runDir;
  fs.mkdirSync(runDir, { recursive: true });
  // A run killed mid-save leaves its temporary file behind; the next start clears it away.
  await removeStaleTempFiles(runDir);
  const stream = opts.stream ?? process.stderr;
  let cfg = config;
  let startEpoch = 1;
  let history: EpochMetrics[] = [];
  let histograms: LayerHistograms[] = [];
  let saved: RunCheckpoint | null = null;
  let extended = false;
  if (opts.resume) {
    const file = path.join(runDir, CHECKPOINT);
    if (!fs.existsSync(file)) throw new Error(`resume: no checkpoint at ${file}; train a run there first`);
    // Everything is checked before anything is used or any file of the run is touched.
    saved = validateRunCheckpoint(await loadCheckpoint(file), file, (c) => buildModel(c.model).stateDict());
    const total = opts.epochs ?? saved.config.epochs;
    if (!Number.isInteger(total) || total < 1) throw new Error(`resume: epochs must be a positive integer, got ${total}`);
    if (total <= saved.epoch) {
      throw new Error(`resume: the run in ${runDir} has already trained ${saved.epoch} of its ${saved.config.epochs} epochs; pass --epochs N with N > ${saved.epoch} to train it further`);
    }
    extended = total !== saved.config.epochs;
    cfg = { ...saved.config, epochs: total };
    startEpoch = saved.epoch + 1;
    history = saved.history;
    histograms = saved.histograms as LayerHistograms[];
  }
  const model = buildModel(cfg.model, new Generator(cfg.seed));
  const optimizer = makeOptimizer(cfg, model.parameters());
  let scheduler = new optim.CosineAnnealingLR(optimizer, { tMax: cfg.epochs });
  const loaderGenerator = new Generator(cfg.seed + 1);
  if (saved) {
    const file = path.join(runDir, CHECKPOINT);
    const field = <T>(name: string, f: () => T): T => {
      try {
        return f();
      } catch (e) {
        throw new Error(`resume: ${file}: field "${name}" cannot be loaded: ${(e as Error).message}`);
      }
    };
    field("model", () => model.loadStateDict(saved.model));
    field("optimizer", () => optimizer.loadStateDict(saved.optimizer as unknown as optim.OptimizerStateDict));
    if (extended) {
      // PyTorch's way to change T_max mid-run: a new CosineAnnealingLR(opt, T_max=new_total,
      // last_epoch=done-1), whose first step puts the lr at the closed form for epoch `done` of the
      // new total, as if the run had been planned that long from the start.
      scheduler = field("optimizer", () => new optim.CosineAnnealingLR(optimizer, { tMax: cfg.epochs, lastEpoch: saved.epoch - 1 }));
    } else {
      field("scheduler", () => scheduler.loadStateDict(saved.scheduler));
    }
    field("loaderGenerator", () => loaderGenerator.setState(saved.loaderGenerator));
  } else {
    weightHistograms(model, 0, histograms);
  }
  opts.onStart?.(cfg, startEpoch);
  // config.json says what this run is: its settings and, after a resume with --epochs, the new total.
  await atomicWriteFile(path.join(runDir, "config.json"), JSON.stringify(cfg, null, 2) + "\n");
  const { train, test } = datasets(cfg);
  const loader = new DataLoader(train, { batchSize: cfg.batchSize, shuffle: true, generator: loaderGenerator });
  let last: Evaluation | null = null;
  const lastEpoch = opts.stopAfter ? Math.min(cfg.epochs, startEpoch + opts.stopAfter - 1) : cfg.epochs;
  for (let epoch = startEpoch; epoch <= lastEpoch; epoch++) {
    const started = performance.now();
    const lr = optimizer.paramGroups[0].lr as number;
    const bar = new ProgressBar({ total: train.length, label: `epoch ${epoch}/${cfg.epochs}`, stream, unit: "img" });
    let lossSum = 0, correct = 0, seen = 0;
    model.train();
    for (const batch of loader) {
      optimizer.zeroGrad();
      const logits = model.call(batch.image);
      const loss = nn.functional.crossEntropy(logits, batch.label);
      loss.backward();
      optimizer.step();
      const n = batch.label.shape[0];
      lossSum += loss.item() * n;
      correct += noGrad(() => logits.argmax(1).eq(batch.label).sum().item());
      seen += n;
      bar.update(n, { loss: lossSum / seen, acc: correct / seen });
    }
    scheduler.step();
    last = evaluate(model, test);
    bar.finish({ loss: lossSum / seen, acc: correct / seen, "test acc": last.accuracy });
    history.push({
      epoch, trainLoss: lossSum / seen, trainAccuracy: correct / seen, testLoss: last.loss, testAccuracy: last.accuracy, lr,
      seconds: (performance.now() - started) / 1000,
    });
    weightHistograms(model, epoch, histograms);
    const weights = model.stateDict();
    await saveCheckpoint(path.join(runDir, CHECKPOINT), {
      epoch, config: cfg, model: weights, optimizer: optimizer.stateDict(), scheduler: scheduler.stateDict(),
      loaderGenerator: loaderGenerator.getState(), history, histograms,
    });
    await saveWeights(path.join(runDir, "model.safetensors"), weights, { epoch: String(epoch) });
    await atomicWriteFile(path.join(runDir, "metrics.jsonl"), history.map((h) => JSON.stringify(h)).join("\n") + "\n");
    await atomicWriteFile(path.join(runDir, "report.html"), report(cfg, history, histograms, last));
  }
  return { runDir, history, testAccuracy: history[history.length - 1]?.testAccuracy ?? NaN, model };
}

function report(cfg: TrainConfig, history: EpochMetrics[], histograms: LayerHistograms[], ev: Evaluation): string {
  const digits = Array.from({ length: 10 }, (_, i) => String(i));
  return renderReport({
    title: `MNIST ${cfg.model.toUpperCase()} — test accuracy ${(100 * ev.accuracy).toFixed(2)}%`,
    config: Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== undefined)),
    curves: {
      loss: { train: history.map((h) => h.trainLoss), test: history.map((h) => h.testLoss) },
      accuracy: { train: history.map((h) => h.trainAccuracy), test: history.map((h) => h.testAccuracy) },
    },
    histograms,
    confusion: { labels: digits, matrix: ev.confusion },
    images: ev.mistakes.map((m) => ({ pixels: m.pixels, width: 28, height: 28, caption: `true ${m.label}, predicted ${m.predicted}` })),
    notes: [
      `${history.length} epochs, ${history.reduce((a, h) => a + h.seconds, 0).toFixed(1)} s of training and evaluation.`,
      "Weight histograms: epoch 0 is the initialisation; weights that collapse towards 0 over the epochs point to too much L2 regularisation.",
    ],
  });
}

/** Evaluates a saved run's model.safetensors on its test split. */
export async function evaluateRun(runDir: string): Promise<Evaluation & { config: TrainConfig }> {
  const cfgFile = path.join(runDir, "config.json");
  if (!fs.existsSync(cfgFile)) throw new Error(`eval: ${runDir} has no config.json; is it a run folder made by 'deeptype train'?`);
  const cfg = JSON.parse(fs.readFileSync(cfgFile, "utf8")) as TrainConfig;
  const model = buildModel(cfg.model);
  model.loadStateDict(await loadWeights(path.join(runDir, "model.safetensors")));
  return { ...evaluate(model, datasets(cfg).test), config: cfg };
}
