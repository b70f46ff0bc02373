/** Writing ONNX files from Node (`import { exportOnnx } from "deeptype/node"`). */
import { checkKeys } from "../../tensor/check.js";
import type { Tensor } from "../../core.js";
import { atomicWriteFile } from "../files.js";
import { toOnnxBytes, type OnnxExportOptions, type TraceableModule } from "./export.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const EXPORT_ONNX_KEYS = ["opsetVersion", "inputNames", "outputNames", "dynamicAxes", "graphName"] as const;

/**
 * torch.onnx.export's counterpart: traces `model` on `exampleInputs` and writes the ONNX model to
 * `file` (atomically). Browsers use `io.toOnnxBytes`.
 *
 * @example await exportOnnx(model, [randn([1, 1, 28, 28])], "model.onnx", { inputNames: ["image"], outputNames: ["logits"], dynamicAxes: { image: [0], logits: [0] } });
 */
export async function exportOnnx(model: TraceableModule, exampleInputs: Tensor | readonly Tensor[], file: string, opts: OnnxExportOptions = {}): Promise<void> {
  checkKeys("exportOnnx", opts, EXPORT_ONNX_KEYS);
  await atomicWriteFile(file, toOnnxBytes(model, exampleInputs, opts));
}
