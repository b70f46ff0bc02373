/**
 * `deeptype export <run> --onnx model.onnx`: writes a trained run's model in another format.
 * Kept in its own file so the export formats grow here, not in main.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ArgError } from "./args.js";
import { buildModel, type ModelName } from "../models/index.js";
import { loadWeights } from "../io/checkpoint.js";
import { exportOnnx } from "../io/onnx/file.js";
import { exportPytorch } from "../io/torch/export.js";
import { datasets, type TrainConfig } from "../train/mnist.js";
import { noGrad, randn, stack, Tensor } from "../core.js";

/** The subcommand's definition, for main.ts's command list. */
export const exportCommand = {
  name: "export",
  summary: "Export a trained run's model: ONNX (--onnx FILE) and/or a PyTorch project that continues training under DDP (--pytorch DIR).",
  description:
    "Reads runs/<name>/config.json and model.safetensors. The ONNX model takes `image` [batch, ...sample shape] and returns `logits`, batch dynamic; " +
    "the sample shape is config.json's inputShape, else the shape of the run's training samples, else --input-shape. " +
    "--pytorch writes model.py, model.safetensors, train_ddp.py and data.safetensors (the run's training split); then: python3 DIR/train_ddp.py --spawn 2",
  positionals: [{ name: "run", help: "run folder, e.g. runs/cnn", required: true }],
  options: [
    { name: "onnx", type: "string", help: "write the model as ONNX to this file" },
    { name: "opset", type: "int", default: 17, help: "ONNX opset version (13-21)" },
    { name: "input-shape", type: "string", help: "the example input's full shape, batch first, e.g. 1,1,28,28 (default: from the run)" },
    { name: "pytorch", type: "string", help: "write a PyTorch project (model.py, weights, train_ddp.py, data) into this folder" },
  ],
} as const;

/** What config.json may say beyond TrainConfig: the shape of one sample (no batch dim), e.g. [1, 28, 28]. */
type RunConfig = TrainConfig & { model: ModelName; inputShape?: unknown };

/**
 * The example input's shape (batch first) and where it came from: `--input-shape`, config.json's
 * `inputShape` (one sample), or the run's own training samples. Throws an ArgError when none is known.
 */
export function exportInputShape(run: string, cfg: RunConfig, override: string | undefined): { shape: number[]; source: string } {
  const bad = (what: string, v: unknown): never => {
    throw new ArgError(`deeptype export: ${what} must be positive integers, got ${JSON.stringify(v)}; e.g. --input-shape 1,1,28,28 (batch first)`, "export");
  };
  if (override !== undefined) {
    const dims = override.split(/[,x×\s]+/).filter((s) => s !== "").map(Number);
    if (dims.length === 0 || !dims.every((d) => Number.isInteger(d) && d > 0)) bad("--input-shape", override);
    return { shape: dims, source: "--input-shape" };
  }
  if (cfg.inputShape !== undefined) {
    const s = cfg.inputShape;
    if (!Array.isArray(s) || s.length === 0 || !s.every((d) => Number.isInteger(d) && d > 0)) bad(`${path.join(run, "config.json")}'s inputShape`, s);
    return { shape: [1, ...(s as number[])], source: "config.json inputShape" };
  }
  try {
    const sample = datasets(cfg).train.getItem(0);
    return { shape: [1, ...sample.image.shape], source: "the run's training samples" };
  } catch (e) {
    throw new ArgError(
      `deeptype export: the input shape of ${run} is unknown (config.json has no inputShape and the run's training data could not be read: ${(e as Error).message}); ` +
        `pass it, batch first, e.g. --input-shape 1,1,28,28`,
      "export",
    );
  }
}

/** Runs `deeptype export`; returns the lines to print. */
export async function runExport(run: string, opts: { onnx?: string; opset: number; pytorch?: string; inputShape?: string }): Promise<string[]> {
  const cfgFile = path.join(run, "config.json");
  if (!fs.existsSync(cfgFile)) throw new ArgError(`deeptype export: ${run} has no config.json; is it a run folder made by 'deeptype train'?`, "export");
  if (opts.onnx === undefined && opts.pytorch === undefined) throw new ArgError("deeptype export: say what to write, e.g. --onnx model.onnx or --pytorch out/", "export");
  const cfg = JSON.parse(fs.readFileSync(cfgFile, "utf8")) as RunConfig;
  const model = buildModel(cfg.model);
  model.loadStateDict(await loadWeights(path.join(run, "model.safetensors")));
  model.eval();
  const lines: string[] = [];
  if (opts.pytorch !== undefined) {
    const { train } = datasets(cfg);
    const images: Tensor[] = [], labels: Tensor[] = [];
    for (let i = 0; i < train.length; i++) {
      const { image, label } = train.getItem(i);
      images.push(image);
      labels.push(label);
    }
    const files = await exportPytorch(model, opts.pytorch, {
      data: { inputs: stack(images), targets: stack(labels) },
      description: `The ${cfg.model} of ${run}, with its training split (${train.length} MNIST digits) in data.safetensors.`,
    });
    lines.push(`Wrote ${files.join(", ")}`, `Continue training on 2 CPU ranks: python3 ${path.join(opts.pytorch, "train_ddp.py")} --spawn 2 --epochs 1`);
  }
  if (opts.onnx === undefined) return lines;
  const { shape, source } = exportInputShape(run, cfg, opts.inputShape);
  const example = randn(shape);
  let out: unknown;
  try {
    out = noGrad(() => model.call(example));
  } catch (e) {
    throw new ArgError(`deeptype export: the ${cfg.model} of ${run} does not take an input of shape [${shape}] (from ${source}): ${(e as Error).message}; pass the right one with --input-shape`, "export");
  }
  const outShape = out instanceof Tensor ? out.shape.slice(1) : [];
  await exportOnnx(model, [example], opts.onnx, {
    opsetVersion: opts.opset,
    inputNames: ["image"],
    outputNames: ["logits"],
    dynamicAxes: { image: { 0: "batch" }, logits: { 0: "batch" } },
  });
  return [...lines, `Wrote ${opts.onnx} (ONNX opset ${opts.opset}, ${cfg.model}: image [batch,${shape.slice(1)}] -> logits [batch,${outShape}]; input shape from ${source})`];
}
