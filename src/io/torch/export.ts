/**
 * `exportPytorch`: a deeptype model as a PyTorch project that continues training on many machines.
 * Writes model.py (an nn.Module built from the same layers, state_dict keys equal to deeptype's),
 * model.safetensors, train_ddp.py (DistributedDataParallel, via torchrun or --spawn N) and, when given,
 * data.safetensors. deeptype cannot translate a custom `forward` to Python, so only models made of
 * nn.Sequential and the library's layers export; anything else is an error saying what to do.
 */
import { checkKeys } from "../../tensor/check.js";
import path from "node:path";
import fs from "node:fs";
import type { Tensor } from "../../core.js";
import { atomicWriteFile } from "../files.js";
import { saveWeights, toRecord } from "../checkpoint.js";
import { saveSafetensors } from "../files.js";
import { modelPy, TRAIN_DDP_PY } from "./python.js";
import { describeModule, pytorchModuleSource, type DescribableModule } from "./describe.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const EXPORT_PYTORCH_KEYS = ["data", "description"] as const;

export { pytorchModuleSource, type DescribableModule };

/** Options of `exportPytorch`. */
export interface PytorchExportOptions {
  /** Training data for train_ddp.py: `inputs` [N, ...] and `targets` [N] (int32: classes) or [N, ...] (float: regression). */
  data?: { inputs: Tensor; targets: Tensor };
  /** A line describing the model in model.py's docstring. */
  description?: string;
}

/**
 * Writes `dir/model.py`, `dir/model.safetensors`, `dir/train_ddp.py` (and `dir/data.safetensors` with
 * `opts.data`); returns the paths written. See docs/io-and-reports.md ("Scaling out through PyTorch").
 *
 * @example await exportPytorch(model, "out/", { data: { inputs: xs, targets: ys } }); // then: python3 out/train_ddp.py --spawn 2
 */
export async function exportPytorch(model: DescribableModule, dir: string, opts: PytorchExportOptions = {}): Promise<string[]> {
  checkKeys("exportPytorch", opts, EXPORT_PYTORCH_KEYS);
  const source = describeModule(model);
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    const f = path.join(dir, name);
    await atomicWriteFile(f, text);
    files.push(f);
  };
  await write("model.py", modelPy(source.expr, opts.description ?? `A ${(model as object).constructor.name} exported from deeptype.`, source.helpers));
  const weights = path.join(dir, "model.safetensors");
  await saveWeights(weights, model.stateDict());
  files.push(weights);
  await write("train_ddp.py", TRAIN_DDP_PY);
  if (opts.data) {
    const { inputs, targets } = opts.data;
    if (inputs.shape[0] !== targets.shape[0]) {
      throw new Error(`exportPytorch: data.inputs has ${inputs.shape[0]} samples but data.targets has ${targets.shape[0]}; give one target per input`);
    }
    const f = path.join(dir, "data.safetensors");
    await saveSafetensors(f, { inputs: toRecord(inputs), targets: toRecord(targets) }, { format: "pt" });
    files.push(f);
  }
  return files;
}
