/**
 * Exam Problem 6 (the [Conv3x3-ReLU-MaxPool2]x4 classifier for 3x375x375 images, 200 classes): the
 * numbers come from examples/exam-p6-cnn-shapes.ts (formulas checked against `summary()` of the real
 * network); 6.4 additionally converts the trained-style FC head into convolutions and runs both.
 */
import { Generator, noGrad, randn } from "../../src/index.js";
import { examCnn } from "../../src/models/index.js";
import { main as p6 } from "../exam-p6-cnn-shapes.js";
import { num, shared, type ExamItem, type RunContext } from "./item.js";

const FILE = "examples/exam-p6-cnn-shapes.ts";
const run6 = shared((ctx: RunContext) => p6({ forwardSize: ctx.tiny ? 99 : 375, hidden: ctx.tiny ? 8 : 2048, log: () => {} }));

/** 6.4: copy the FC weights into the fully-convolutional twin and compare outputs; then a bigger image. */
const twin = shared((ctx: RunContext) => {
  const hidden = ctx.tiny ? 8 : 64;
  const fc = examCnn({ hidden, generator: new Generator(ctx.seed) });
  const conv = examCnn({ hidden, fullyConvolutional: true, generator: new Generator(ctx.seed + 1) });
  const sd = fc.stateDict();
  const csd: Record<string, ReturnType<typeof randn>> = {};
  for (const [k, v] of Object.entries(sd)) csd[k] = v;
  // FC layers are modules 13 and 15 in the FC net, 12 and 14 in the twin (no Flatten in front).
  csd["12.weight"] = sd["13.weight"].reshape([hidden, 16, 21, 21]);
  csd["12.bias"] = sd["13.bias"];
  csd["14.weight"] = sd["15.weight"].reshape([200, hidden, 1, 1]);
  csd["14.bias"] = sd["15.bias"];
  for (const k of ["13.weight", "13.bias", "15.weight", "15.bias"]) delete csd[k];
  conv.loadStateDict(csd);
  const x = randn([1, 3, 375, 375], { generator: new Generator(ctx.seed + 2) });
  const diff = noGrad(() => fc.call(x).sub(conv.call(x)).abs().max().item());
  const bigNet = conv.slice(0, -1); // without the final Flatten: a map of class scores
  const mapShape = noGrad(() => bigNet.call(randn([1, 3, 407, 407], { generator: new Generator(3) })).shape);
  let fcError = "";
  try { noGrad(() => fc.call(randn([1, 3, 407, 407]))); } catch (e) { fcError = (e as Error).message.split("\n")[0]; }
  return { hidden, shapes: [csd["12.weight"].shape, csd["14.weight"].shape], diff, mapShape, fcError };
});

export const items: ExamItem[] = [
  {
    id: "6.1", fidelity: "faithful", file: FILE, claim: "The first conv layer has (3·3)·3·16 + 16 = 448 parameters.",
    run: (ctx) => { const r = run6(ctx); return { lines: [`conv1: 3·3·3·16 weights + 16 biases = ${r.conv1Params}; summary() of the built network: ${r.measured.layers[0].params}`], values: { formula: r.conv1Params, measured: r.measured.layers[0].params } }; },
    judge: (v) => v.formula === 448 && v.measured === 448 ? { verdict: "confirmed", because: "448 by formula and in the built layer" } : { verdict: "refuted", because: `formula ${v.formula}, measured ${v.measured}` },
  },
  {
    id: "6.2", fidelity: "faithful", file: FILE, claim: "The receptive field after the 3rd conv is 18 (3, 4, 8, 10, 18).",
    run: (ctx) => { const r = run6(ctx); return { lines: [`receptive field after conv1, pool1, conv2, pool2, conv3, ...: ${r.receptiveFields.join(", ")} (summary() agrees: ${r.agrees})`], values: { rf3: r.receptiveFields[4], agrees: r.agrees ? 1 : 0 } }; },
    judge: (v) => v.rf3 === 18 && v.agrees === 1 ? { verdict: "confirmed", because: "18 by formula and by summary()" } : { verdict: "refuted", because: `got ${v.rf3}` },
  },
  {
    id: "6.3", fidelity: "faithful", file: FILE, claim: "The output after the 4th pooling layer is 16x21x21.",
    run: (ctx) => { const r = run6(ctx); return { lines: [`sizes 375 → ${r.sizes.join(" → ")}; after pool4 [${r.pool4Shape.join(",")}]${ctx.tiny ? " (forward pass measured on 99x99 in the tiny run)" : "; summary() of a 375x375 forward agrees: " + r.agrees}`], values: { c: r.pool4Shape[0], h: r.pool4Shape[1], agrees: r.agrees ? 1 : 0 } }; },
    judge: (v) => v.c === 16 && v.h === 21 && v.agrees === 1 ? { verdict: "confirmed", because: "16x21x21" } : { verdict: "refuted", because: `got ${v.c}x${v.h}` },
  },
  {
    id: "6.4", fidelity: "faithful", file: "examples/exam/p6.ts", claim: "Fully convolutional: FC weights become conv weights [2048,16,21,21] and [200,2048,1,1].",
    run(ctx) {
      const r = run6(ctx);
      const t = twin(ctx);
      return {
        lines: [
          `exam-p6 with hidden ${ctx.tiny ? 8 : 2048}: conv head weights ${r.fcConvWeights.map((s) => `[${s.join(",")}]`).join(" and ")}`,
          `the FC network's weights reshaped into the twin (hidden ${t.hidden}): [${t.shapes[0].join(",")}] and [${t.shapes[1].join(",")}]`,
          `same 375x375 image through both: max |difference| of the 200 scores = ${num(t.diff)}`,
          `a 407x407 image: the FC network fails (${t.fcError.slice(0, 90)}), the fully-convolutional one gives a [${t.mapShape.join(",")}] map of class scores`,
        ],
        values: { w1h: r.fcConvWeights[0][2], w1c: r.fcConvWeights[0][1], w2k: r.fcConvWeights[1][2], diff: t.diff, mapH: t.mapShape[2], fcFails: t.fcError ? 1 : 0 },
      };
    },
    judge: (v) => v.w1c === 16 && v.w1h === 21 && v.w2k === 1 && v.diff < 1e-3 && v.fcFails === 1
      ? { verdict: "confirmed", because: `same scores (max diff ${num(v.diff)}) with conv weights [h,16,21,21] and [200,h,1,1]; only the convolutional twin accepts a larger image (${v.mapH}x${v.mapH} score map)` }
      : { verdict: "refuted", because: "the conv twin does not reproduce the FC network" },
  },
];
