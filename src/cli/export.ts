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
import { randn, stack, type Tensor } from "../core.js";

/** The subcommand's definition, for main.ts's command list. */
export const exportCommand = {
  name: "export",
  summary: "Export a trained run's model: ONNX (--onnx FILE) and/or a PyTorch project that continues training under DDP (--pytorch DIR).",
  description:
    "Reads runs/<name>/config.json and model.safetensors. The ONNX model takes image [batch,1,28,28] and returns logits [batch,10], batch dynamic. " +
    "--pytorch writes model.py, model.safetensors, train_ddp.py and data.safetensors (the run's training split); then: python3 DIR/train_ddp.py --spawn 2",
  positionals: [{ name: "run", help: "run folder, e.g. runs/cnn", required: true }],
  options: [
    { name: "onnx", type: "string", help: "write the model as ONNX to this file" },
    { name: "opset", type: "int", default: 17, help: "ONNX opset version (13-21)" },
    { name: "pytorch", type: "string", help: "write a PyTorch project (model.py, weights, train_ddp.py, data) into this folder" },
  ],
} as const;

/** Runs `deeptype export`; returns the lines to print. */
export async function runExport(run: string, opts: { onnx?: string; opset: number; pytorch?: string }): Promise<string[]> {
  const cfgFile = path.join(run, "config.json");
  if (!fs.existsSync(cfgFile)) throw new ArgError(`deeptype export: ${run} has no config.json; is it a run folder made by 'deeptype train'?`, "export");
  if (opts.onnx === undefined && opts.pytorch === undefined) throw new ArgError("deeptype export: say what to write, e.g. --onnx model.onnx or --pytorch out/", "export");
  const cfg = JSON.parse(fs.readFileSync(cfgFile, "utf8")) as TrainConfig & { model: ModelName };
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
  await exportOnnx(model, [randn([1, 1, 28, 28])], opts.onnx, {
    opsetVersion: opts.opset,
    inputNames: ["image"],
    outputNames: ["logits"],
    dynamicAxes: { image: { 0: "batch" }, logits: { 0: "batch" } },
  });
  return [...lines, `Wrote ${opts.onnx} (ONNX opset ${opts.opset}, ${cfg.model}: image [batch,1,28,28] -> logits [batch,10])`];
}
