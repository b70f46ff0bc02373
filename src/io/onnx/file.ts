/** Writing ONNX files from Node (`import { exportOnnx } from "deeptype/node"`). */
import type { Tensor } from "../../core.js";
import { atomicWriteFile } from "../files.js";
import { toOnnxBytes, type OnnxExportOptions, type TraceableModule } from "./export.js";

/**
 * torch.onnx.export's counterpart: traces `model` on `exampleInputs` and writes the ONNX model to
 * `file` (atomically). Browsers use `io.toOnnxBytes`.
 *
 * @example await exportOnnx(model, [randn([1, 1, 28, 28])], "model.onnx", { inputNames: ["image"], outputNames: ["logits"], dynamicAxes: { image: [0], logits: [0] } });
 */
export async function exportOnnx(model: TraceableModule, exampleInputs: Tensor | readonly Tensor[], file: string, opts: OnnxExportOptions = {}): Promise<void> {
  await atomicWriteFile(file, toOnnxBytes(model, exampleInputs, opts));
}
