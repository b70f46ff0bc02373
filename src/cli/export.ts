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
import { randn } from "../core.js";

/** The subcommand's definition, for main.ts's command list. */
export const exportCommand = {
  name: "export",
  summary: "Export a trained run's model: ONNX (--onnx FILE).",
  description: "Reads runs/<name>/config.json and model.safetensors. The ONNX model takes image [batch,1,28,28] and returns logits [batch,10], batch dynamic.",
  positionals: [{ name: "run", help: "run folder, e.g. runs/cnn", required: true }],
  options: [
    { name: "onnx", type: "string", help: "write the model as ONNX to this file" },
    { name: "opset", type: "int", default: 17, help: "ONNX opset version (13-21)" },
  ],
} as const;

/** Runs `deeptype export`; returns the lines to print. */
export async function runExport(run: string, opts: { onnx?: string; opset: number }): Promise<string[]> {
  const cfgFile = path.join(run, "config.json");
  if (!fs.existsSync(cfgFile)) throw new ArgError(`deeptype export: ${run} has no config.json; is it a run folder made by 'deeptype train'?`, "export");
  if (opts.onnx === undefined) throw new ArgError("deeptype export: say what to write, e.g. --onnx model.onnx", "export");
  const cfg = JSON.parse(fs.readFileSync(cfgFile, "utf8")) as { model: ModelName };
  const model = buildModel(cfg.model);
  model.loadStateDict(await loadWeights(path.join(run, "model.safetensors")));
  model.eval();
  await exportOnnx(model, [randn([1, 1, 28, 28])], opts.onnx, {
    opsetVersion: opts.opset,
    inputNames: ["image"],
    outputNames: ["logits"],
    dynamicAxes: { image: { 0: "batch" }, logits: { 0: "batch" } },
  });
  return [`Wrote ${opts.onnx} (ONNX opset ${opts.opset}, ${cfg.model}: image [batch,1,28,28] -> logits [batch,10])`];
}
