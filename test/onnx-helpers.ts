/** Runs exported ONNX bytes in ONNX Runtime (onnxruntime-web's WebAssembly build, in Node, offline). */
import * as ort from "onnxruntime-web";
import { Tensor } from "../src/index.js";

ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

// 16-bit float inputs are fed as float32 (the tests export float32 models).
const ORT_TYPE = { float32: "float32", float64: "float64", float16: "float32", bfloat16: "float32", int64: "int64", int32: "int32", int16: "int16", int8: "int8", uint8: "uint8", bool: "bool" } as const;

/** Feeds `inputs` (by graph input order) and returns every output as [shape, values]. */
export async function runOnnx(bytes: Uint8Array, inputs: Tensor[]): Promise<{ dims: number[]; data: number[]; type: string }[]> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  const feeds: Record<string, ort.Tensor> = {};
  session.inputNames.forEach((name, i) => {
    const t = inputs[i];
    const d = t.dtype === "int64" ? t.dataBigInt() : t.data();
    feeds[name] = new ort.Tensor(ORT_TYPE[t.dtype], t.dtype === "bool" ? Uint8Array.from(d as Uint8Array) : (d as never), [...t.shape]);
  });
  const res = await session.run(feeds);
  const out = session.outputNames.map((n) => ({ dims: [...res[n].dims], data: Array.from(res[n].data as ArrayLike<number>, Number), type: res[n].type }));
  await session.release();
  return out;
}

/** Largest |a-b| / max(|b|, 1e-3)... as a relative error against the reference scale of b. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]) / Math.max(scale, 1e-12));
  return err;
}
