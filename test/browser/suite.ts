/**
 * What test/browser/run.ts runs twice, in Node and in headless Chromium, and compares: a seeded MLP
 * trained 20 Adam steps, one MNIST-CNN training step, a few ops, and in-memory safetensors and ONNX
 * round trips, all through the public entry point (src/index.ts, browser-safe). Every value is
 * deterministic from its seeds, so the two runs must agree.
 */
import { Generator, einsum, getBackend, initWasmBackend, manualSeed, noGrad, randn, setBackend, tensor, io, models, nn, optim } from "../../src/index.js";

export interface SuiteResult {
  backend: string;
  mlpLosses: number[];
  cnnLoss: number;
  cnnConv1GradAbsSum: number;
  sortValues: number[];
  sortIndices: number[];
  topkValues: number[];
  einsumTrace: number;
  safetensorsBytes: number;
  safetensorsRoundTrip: boolean;
  onnxOps: string[];
}

export async function runSuite(): Promise<SuiteResult> {
  // A browser's main thread cannot compile the kernels synchronously (src/core.ts): load them first.
  if (await initWasmBackend()) setBackend("wasm");
  const gen = new Generator(7);

  manualSeed(0);
  const mlp = new nn.Sequential(new nn.Linear(20, 32), new nn.ReLU(), new nn.Linear(32, 4));
  const x = randn([64, 20], { generator: gen });
  const y = x.narrow(1, 0, 4).argmax(1);
  const opt = new optim.Adam(mlp.parameters(), { lr: 1e-2 });
  const lossFn = new nn.CrossEntropyLoss();
  const mlpLosses: number[] = [];
  for (let step = 0; step < 20; step++) {
    opt.zeroGrad();
    const loss = lossFn.call(mlp.call(x), y);
    loss.backward();
    opt.step();
    mlpLosses.push(loss.item());
  }

  const cnn = models.mnistCnn(new Generator(1));
  const images = randn([8, 1, 28, 28], { generator: gen });
  const labels = tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: "int64" });
  const cnnLoss = nn.functional.crossEntropy(cnn.call(images), labels);
  cnnLoss.backward();
  const conv1 = cnn.parameters()[0];

  const v = tensor([3, -1, 2, 8, 0, 5]);
  const sorted = v.sort();
  const m = randn([5, 5], { generator: gen });

  const state = mlp.stateDict();
  const records = Object.fromEntries(Object.entries(state).map(([k, t]) => [k, { dtype: "float32" as const, shape: [...t.shape], data: t.data() as Float32Array }]));
  const bytes = io.serializeSafetensors(records);
  const parsed = io.parseSafetensors(bytes);
  const safetensorsRoundTrip = Object.entries(state).every(([k, t]) => {
    const back = parsed.tensors[k];
    const want = t.data();
    return back !== undefined && back.data.length === want.length && Array.from(back.data as Float32Array).every((e, i) => e === want[i]);
  });

  const onnx = io.decodeOnnxModel(noGrad(() => io.toOnnxBytes(mlp, x)));
  return {
    backend: getBackend(),
    mlpLosses,
    cnnLoss: cnnLoss.item(),
    cnnConv1GradAbsSum: conv1.grad!.abs().sum().item(),
    sortValues: Array.from(sorted.values.data() as Float32Array),
    sortIndices: (sorted.indices.tolist() as number[]).map(Number),
    topkValues: Array.from(v.topk(2).values.data() as Float32Array),
    einsumTrace: einsum("ii->", m).item(),
    safetensorsBytes: bytes.length,
    safetensorsRoundTrip,
    onnxOps: onnx.graph.node.map((n: { opType: string }) => n.opType),
  };
}
