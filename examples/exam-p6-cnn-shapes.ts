/**
 * Exam Problem 6: the [Conv3x3-ReLU-MaxPool2]x4 network (16/32/64/16 channels) for 3x375x375 images
 * and 200 classes. Prints the shapes the exam asks for, computed by formula for 375x375 (6.1 the
 * first conv's 448 parameters, 6.2 the receptive field 18 after conv3, 6.3 the 16x21x21 output of
 * pool4, 6.4 the fully-convolutional weight shapes) and checks them against `summary()` on the real
 * network.
 *
 * A 375x375 forward pass costs ~400 million multiply-adds: about a second on the wasm backend, but
 * 15-25 s on the js reference backend. `--forwardSize 99` measures the same conv/pool layers on a
 * 99x99 input instead (parameters and receptive fields do not depend on the input size; the output
 * sizes follow the same formula); only 375 fits the fully-convolutional head's 21x21 kernel.
 *
 *   node --import tsx examples/exam-p6-cnn-shapes.ts [--forwardSize 99] [--hidden 2048]
 */
import { nn } from "../src/index.js";
import { examCnn } from "../src/models/index.js";
import { summary, type ModelSummary } from "../src/utils/summary.js";
import { isMain, parseFlags, type Log } from "./common.js";

export interface P6Options {
  /** Input size of the measured forward pass (default 375, the exam's; 99 is quick on the js backend). */
  forwardSize?: number;
  /** Units of the first FC layer (default 2048, as the exam's solution). */
  hidden?: number;
  log?: Log;
}

export interface P6Result {
  conv1Params: number;
  /** Receptive field after each conv and pool, by formula: 3, 4, 8, 10, 18, 22, 38, 46. */
  receptiveFields: number[];
  /** Spatial sizes after each conv and pool for 375: 373, 186, 184, 92, 90, 45, 43, 21. */
  sizes: number[];
  /** [C, H, W] after pool4 for 375 by formula. */
  pool4Shape: number[];
  /** Weight shapes of the fully-convolutional head, read off the built model. */
  fcConvWeights: number[][];
  /** The measured summary at `forwardSize`. */
  measured: ModelSummary;
  /** Whether the measured summary agreed with the formulas (params, receptive fields, sizes). */
  agrees: boolean;
}

/** ⌊(x + 2p − k)/s⌋ + 1: the output size of a convolution or pooling window. */
export const outSize = (x: number, k: number, s = 1, p = 0): number => Math.floor((x + 2 * p - k) / s) + 1;

export function main(opts: P6Options = {}): P6Result {
  const log = opts.log ?? console.log;
  const size = 375;
  const forwardSize = opts.forwardSize ?? 375;
  const hidden = opts.hidden ?? 2048;
  const channels = [3, 16, 32, 64, 16];

  log("Problem 6: [Conv3x3(s1,p0) - ReLU - MaxPool2x2(s2)] x4, channels 16, 32, 64, 16, input 3x375x375, 200 classes\n");
  const conv1Params = 3 * 3 * channels[0] * channels[1] + channels[1];
  log(`6.1  conv1 parameters: (3·3·3)·16 weights + 16 biases = ${3 * 3 * 3 * 16} + 16 = ${conv1Params}`);

  log("\n6.2/6.3  per layer: output size ⌊(X + 2p − k)/s⌋ + 1 and receptive field r ← r + (k − 1)·j, j ← j·s");
  let x = size;
  let r = 1;
  let j = 1;
  const sizes: number[] = [];
  const receptiveFields: number[] = [];
  for (let l = 1; l <= 4; l++) {
    const convOut = outSize(x, 3);
    r += (3 - 1) * j;
    log(`  conv${l}: ${`⌊(${x} − 3)/1⌋ + 1`.padEnd(17)} = ${String(convOut).padStart(3)}   channels ${String(channels[l]).padStart(2)}   receptive field ${r}`);
    sizes.push(convOut);
    receptiveFields.push(r);
    const poolOut = outSize(convOut, 2, 2);
    r += (2 - 1) * j;
    j *= 2;
    log(`  pool${l}: ${`⌊(${convOut} − 2)/2⌋ + 1`.padEnd(17)} = ${String(poolOut).padStart(3)}                receptive field ${r}`);
    sizes.push(poolOut);
    receptiveFields.push(r);
    x = poolOut;
  }
  log(`  → receptive field after conv3: ${receptiveFields[4]}x${receptiveFields[4]}; output of pool4: ${channels[4]}x${x}x${x}`);
  const pool4Shape = [channels[4], x, x];

  log(`\n6.4  fully convolutional: FC(${channels[4]}·${x}·${x} = ${channels[4] * x * x} → ${hidden}) becomes a ${x}x${x} convolution, FC(${hidden} → 200) a 1x1 convolution`);
  const fcn = examCnn({ fullyConvolutional: true, hidden });
  const convs = [...fcn.modules()].filter((m): m is nn.Conv2d => m instanceof nn.Conv2d);
  const fcConvWeights = convs.slice(4).map((c) => [...c.weight.shape]);
  log(`  weights: [${fcConvWeights[0].join(", ")}] and [${fcConvWeights[1].join(", ")}]  (${fcConvWeights.map((w) => w.reduce((a, b) => a * b, 1).toLocaleString("en-US")).join(" and ")} values; the same numbers as the FC weights, reshaped)`);

  log(`\nMeasured with summary() on a ${forwardSize}x${forwardSize} input${forwardSize === size ? "" : ` (the conv/pool layers only: the ${x}x${x} head needs the full ${size}x${size} input)`}:`);
  let measured: ModelSummary;
  let expectSize = forwardSize;
  const expectSizes: number[] = [];
  for (let l = 0; l < 4; l++) { expectSize = outSize(expectSize, 3); expectSizes.push(expectSize); expectSize = outSize(expectSize, 2, 2); expectSizes.push(expectSize); }
  if (forwardSize === size) {
    measured = summary(fcn, [3, size, size]);
  } else {
    // The conv/pool feature extractor of the exam's network (its first 12 layers); the FC head only fits 21x21.
    measured = summary(fcn.slice(0, 12), [3, forwardSize, forwardSize]);
  }
  log(measured.table);
  const convRows = measured.layers.filter((l) => l.type === "Conv2d" || l.type === "MaxPool2d").slice(0, 8);
  const agrees =
    measured.layers[0].params === conv1Params &&
    convRows.every((l, i) => l.receptiveField === receptiveFields[i] && l.outputShape[1] === expectSizes[i]);
  log(agrees
    ? `\nsummary() agrees with the formulas: conv1 ${measured.layers[0].params} params, receptive field ${convRows[4].receptiveField} after conv3, sizes ${expectSizes.join(" → ")} at ${forwardSize}.`
    : "\nsummary() DISAGREES with the formulas above; see the table.");
  return { conv1Params, receptiveFields, sizes, pool4Shape, fcConvWeights, measured, agrees };
}

if (isMain(import.meta.url)) main(parseFlags({ forwardSize: 375, hidden: 2048 }));
