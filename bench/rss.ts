/**
 * Child process for the "peak RSS" row of bench/run.ts: trains the MNIST CNN (batch 64, Adam) for
 * a number of steps in a fresh process and prints its peak resident set size as JSON.
 *
 *   node --import tsx bench/rss.ts deeptype 2 200     framework (deeptype | tfjs-cpu | tfjs-wasm), threads, steps
 *
 * Only the framework measured is imported, so each process pays for its own runtime alone
 * (Node + tsx + deeptype, or Node + tsx + TensorFlow.js). deeptype's loop never disposes anything;
 * the TensorFlow.js loop disposes inside `minimize`'s tidy, as TensorFlow.js requires.
 */
import { fileURLToPath } from "node:url";
import { procStatusMB } from "./proc.js";

const [framework = "deeptype", threadsArg = "1", stepsArg = "200"] = process.argv.slice(2);
const threads = Number(threadsArg), steps = Number(stepsArg);

async function makeStep(): Promise<() => void> {
  if (framework === "deeptype") {
    const { Generator } = await import("../src/core.js");
    const { setNumThreads } = await import("../src/backend/wasm/index.js");
    (await import("./wasm-backend.js")).useWasm("bench/rss");
    setNumThreads(threads);
    const { deeptypeTrainStep } = await import("./train-step.js");
    return deeptypeTrainStep("cnn", "Adam", new Generator(0));
  }
  const tf = await import("@tensorflow/tfjs");
  if (framework === "tfjs-wasm") {
    const tfWasm = await import("@tensorflow/tfjs-backend-wasm");
    tfWasm.setWasmPaths(fileURLToPath(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
    await tf.setBackend("wasm");
  } else await tf.setBackend("cpu");
  await tf.ready();
  const { tfTrainStep } = await import("./tfjs-models.js");
  return tfTrainStep("cnn", "adam");
}

/**
 * This process's peak resident set size in MB: VmHWM of /proc/self/status where Linux has it.
 * Not getrusage's maxRSS: Linux keeps that across fork and exec, so a child spawned by a large
 * parent (bench/run.ts after its timing rounds, ~350 MB) reports the parent's size, not its own
 * (measured: a Node child of a 348 MB parent read maxRSS 309 MB and VmHWM 39.5 MB).
 */
function peakRssMB(): number {
  const hwm = procStatusMB(["VmHWM"])?.VmHWM;
  return hwm !== undefined && !Number.isNaN(hwm) ? hwm : process.resourceUsage().maxRSS / 1024; // maxRSS: kilobytes
}

try {
  const step = await makeStep();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  console.log(JSON.stringify({ framework, threads, steps, msPerStep: ms, peakRssMB: peakRssMB() }));
} catch (e) {
  console.log(JSON.stringify({ framework, threads, steps, error: (e as Error).message }));
}
