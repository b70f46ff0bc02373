/**
 * Exam Problem 5: a fully-convolutional autoencoder for compression, then transfer learning.
 *
 * - 5.1: a vanilla convolutional autoencoder, not a U-Net: the clients only get the decoder and the
 *   latent code, and a U-Net's decoder needs the encoder's skip connections.
 * - 5.2: trained with BCE on the pixels (MSE/L2 tends to blur: its optimum is the mean of the
 *   plausible images); the latent size sets how much detail survives.
 * - 5.3: the company's "products" are the digits 0-8; the new prototype is the digit 9, of which only
 *   a few labelled images exist. The trained encoder becomes a frozen feature extractor and a new
 *   head is fitted on the few labelled images, once with 1 output + BCE and once with 2 outputs +
 *   cross-entropy; both are compared with the same head on an untrained encoder.
 *
 * Images are 2x average-pooled to 14x14 so the js backend trains in seconds (`--full` for 28x28).
 *
 *   node --import tsx examples/exam-p5-autoencoder.ts [--trainSize 512] [--epochs 4] [--fewShot 40] [--full]
 */
import { Generator, Tensor, cat, noGrad, nn, optim, tensor } from "../src/index.js";
import { DataLoader, TensorDataset } from "../src/data/index.js";
import { imageToText, linePlot, sideBySide } from "../src/utils/plot.js";
import { isMain, mnistSubset, parseFlags, since, type Log } from "./common.js";

export interface P5Options {
  /** Unlabelled digits 0-8 for the autoencoder (default 512). */
  trainSize?: number;
  epochs?: number;
  batchSize?: number;
  /** Adam's learning rate for the autoencoder (default 1e-2). */
  lr?: number;
  /** Labelled images for the prototype detector, half of them 9s (default 40). */
  fewShot?: number;
  /** Held-out images to measure the detector, half 9s (default 400). */
  testSize?: number;
  /** 28x28 instead of 14x14. */
  full?: boolean;
  seed?: number;
  log?: Log;
}

export interface P5Result {
  /** Mean reconstruction loss (BCE per pixel) per epoch, and before training. */
  reconLoss: number[];
  /** Numbers in the latent code and in the image. */
  latentSize: number;
  imageSize: number;
  /** Test accuracy of the prototype detector: pretrained encoder with a BCE head / a CE head, and untrained encoders. */
  bceAccuracy: number;
  ceAccuracy: number;
  scratchBceAccuracy: number;
  scratchCeAccuracy: number;
  /** The pretrained encoder fine-tuned together with a BCE head on the few labelled images (not frozen). */
  fineTuneAccuracy: number;
}

/** Encoder [N,1,S,S] → [N,4,S/4,S/4] and decoder back, all convolutions (5.1). */
export function convAutoencoder(side: number, g: Generator): { encoder: nn.Sequential; decoder: nn.Sequential } {
  const encoder = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { stride: 2, padding: 1, generator: g }), new nn.ReLU(),   // S → S/2
    new nn.Conv2d(8, 8, 3, { stride: 2, padding: 1, generator: g }), new nn.ReLU(),   // S/2 → ⌈S/4⌉
    new nn.Conv2d(8, 4, 1, { generator: g }),                                         // 4 channels: the code
  );
  return { encoder, decoder: convDecoder(side, g) };
}

/**
 * The decoder alone, code [N,4,S/4,S/4] → pixel logits [N,1,S,S]: what a client of the compression
 * service builds before loading the decoder's weights (it never has the encoder).
 */
export function convDecoder(side: number, g?: Generator): nn.Sequential {
  // Code 4x4 (from 14): ConvT k3 s2 p1 → 7, k4 s2 p1 → 14. Code 7x7 (from 28): k4 → 14, k4 → 28.
  return new nn.Sequential(
    new nn.ConvTranspose2d(4, 8, side === 14 ? 3 : 4, { stride: 2, padding: 1, generator: g }), new nn.ReLU(),
    new nn.ConvTranspose2d(8, 8, 4, { stride: 2, padding: 1, generator: g }), new nn.ReLU(),
    new nn.Conv2d(8, 1, 3, { padding: 1, generator: g }),                              // logits per pixel
  );
}

/** Fits a linear head on fixed features; `outputs` 1 → BCEWithLogits, 2 → cross-entropy. Returns test accuracy. */
function fitHead(feats: Tensor, labels: Tensor, testFeats: Tensor, testLabels: Tensor, outputs: 1 | 2, seed: number): number {
  const head = new nn.Linear(feats.shape[1], outputs, { generator: new Generator(seed) });
  const opt = new optim.Adam(head.parameters(), { lr: 1e-2 });
  const target = outputs === 1 ? labels.float().unsqueeze(1) : labels;
  for (let step = 0; step < 300; step++) {
    opt.zeroGrad();
    const out = head.call(feats);
    const loss = outputs === 1 ? nn.functional.binaryCrossEntropyWithLogits(out, target) : nn.functional.crossEntropy(out, target);
    loss.backward();
    opt.step();
  }
  return noGrad(() => {
    const out = head.call(testFeats);
    const pred = outputs === 1 ? out.squeeze(1).gt(0).int() : out.argmax(1);
    return pred.eq(testLabels).float().mean().item();
  });
}

export function main(opts: P5Options = {}): P5Result {
  const log = opts.log ?? console.log;
  const o = { trainSize: 512, epochs: 4, batchSize: 16, lr: 1e-2, fewShot: 40, testSize: 400, full: false, seed: 0, ...opts };
  const side = o.full ? 28 : 14;
  const g = new Generator(o.seed);

  const products = mnistSubset({ n: o.trainSize, seed: o.seed, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8], downsample: !o.full });
  const { encoder, decoder } = convAutoencoder(side, g);
  const latentShape = noGrad(() => encoder.call(products.images.narrow(0, 0, 1)).shape.slice(1));
  const latentSize = latentShape.reduce((a, b) => a * b, 1);
  log(`5.1  convolutional autoencoder on ${o.trainSize} digits 0-8 (the company's products), ${side}x${side} pixels`);
  log(`     code [${latentShape.join(",")}] = ${latentSize} numbers for ${side * side} pixels (${((side * side) / latentSize).toFixed(1)}x compression); only the decoder ships to clients`);

  const loader = new DataLoader(new TensorDataset(products.images), { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed + 1) });
  const params = [...encoder.parameters(), ...decoder.parameters()];
  const opt = new optim.Adam(params, { lr: o.lr });
  const probe = products.images.narrow(0, 0, Math.min(256, o.trainSize));
  const evalLoss = (): number => noGrad(() => nn.functional.binaryCrossEntropyWithLogits(decoder.call(encoder.call(probe)), probe).item());
  const reconLoss = [evalLoss()];
  const start = performance.now();
  log(`     before training: reconstruction BCE ${reconLoss[0].toFixed(4)}`);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let sum = 0, n = 0;
    for (const [x] of loader) {
      opt.zeroGrad();
      const loss = nn.functional.binaryCrossEntropyWithLogits(decoder.call(encoder.call(x)), x);
      loss.backward();
      opt.step();
      sum += loss.item() * x.shape[0];
      n += x.shape[0];
    }
    reconLoss.push(evalLoss());
    log(`     epoch ${epoch}/${o.epochs}: train BCE ${(sum / n).toFixed(4)}, reconstruction BCE on ${probe.shape[0]} images ${reconLoss[epoch].toFixed(4)} (${since(start)})`);
  }
  log(linePlot({ "reconstruction BCE": reconLoss }, { height: 6, width: 30, xLabel: "epoch" }));
  const shown = noGrad(() => decoder.call(encoder.call(probe.narrow(0, 0, 4))).sigmoid());
  log("\n5.2  inputs (top) and their reconstructions from the code (bottom):");
  const pic = (t: Tensor, i: number): string => imageToText(t.select(0, i).data(), side, side, { range: [0, 1] });
  log(sideBySide([0, 1, 2, 3].map((i) => pic(probe, i))));
  log(sideBySide([0, 1, 2, 3].map((i) => pic(shown, i))));

  // 5.3: a few labelled prototypes (9s) and others; a held-out set to measure the detector.
  const half = Math.floor(o.fewShot / 2);
  const nines = mnistSubset({ n: half + o.testSize / 2, seed: o.seed + 5, classes: [9], downsample: !o.full });
  const others = mnistSubset({ n: half + o.testSize / 2, seed: o.seed + 6, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8], downsample: !o.full });
  const split = (t: Tensor, a: number, n: number): Tensor => t.narrow(0, a, n);
  const xFew = cat([split(nines.images, 0, half), split(others.images, 0, half)]);
  const yFew = tensor([...new Array(half).fill(1), ...new Array(half).fill(0)], { dtype: "int32" });
  const xTest = cat([split(nines.images, half, o.testSize / 2), split(others.images, half, o.testSize / 2)]);
  const yTest = tensor([...new Array(o.testSize / 2).fill(1), ...new Array(o.testSize / 2).fill(0)], { dtype: "int32" });
  log(`\n5.3  prototype detector: ${2 * half} labelled images (${half} prototypes = digit 9, never seen by the autoencoder), tested on ${o.testSize}`);
  encoder.requiresGrad_(false); // the pretrained encoder is a frozen feature extractor
  const features = (enc: nn.Sequential, x: Tensor): Tensor => noGrad(() => enc.call(x).flatten(1));
  const [fFew, fTest] = [features(encoder, xFew), features(encoder, xTest)];
  const bceAccuracy = fitHead(fFew, yFew, fTest, yTest, 1, o.seed + 7);
  const ceAccuracy = fitHead(fFew, yFew, fTest, yTest, 2, o.seed + 7);
  const scratch = convAutoencoder(side, new Generator(o.seed + 99)).encoder;
  const [sFew, sTest] = [features(scratch, xFew), features(scratch, xTest)];
  const scratchBceAccuracy = fitHead(sFew, yFew, sTest, yTest, 1, o.seed + 7);
  const scratchCeAccuracy = fitHead(sFew, yFew, sTest, yTest, 2, o.seed + 7);
  log(`     pretrained encoder + Linear(${latentSize}, 1), BCEWithLogits:     test accuracy ${(100 * bceAccuracy).toFixed(1)}%`);
  log(`     pretrained encoder + Linear(${latentSize}, 2), cross-entropy:     test accuracy ${(100 * ceAccuracy).toFixed(1)}%`);
  log(`     untrained encoder  + the same heads (BCE / CE):       test accuracy ${(100 * scratchBceAccuracy).toFixed(1)}% / ${(100 * scratchCeAccuracy).toFixed(1)}%`);
  log("     1 output + BCE and 2 outputs + CE are the same model family (a 2-way softmax is a sigmoid of the logit difference).");
  // Fine-tuning: a copy of the pretrained encoder, unfrozen, trained with a new head at a small lr.
  const tuned = convAutoencoder(side, new Generator(o.seed + 98)).encoder;
  tuned.loadStateDict(encoder.stateDict());
  tuned.requiresGrad_(true);
  const head = new nn.Linear(latentSize, 1, { generator: new Generator(o.seed + 7) });
  const ftOpt = new optim.Adam([...tuned.parameters(), ...head.parameters()], { lr: 1e-3 });
  for (let step = 0; step < 150; step++) {
    ftOpt.zeroGrad();
    nn.functional.binaryCrossEntropyWithLogits(head.call(tuned.call(xFew).flatten(1)), yFew.float().unsqueeze(1)).backward();
    ftOpt.step();
  }
  const fineTuneAccuracy = noGrad(() => head.call(tuned.call(xTest).flatten(1)).squeeze(1).gt(0).int().eq(yTest).float().mean().item());
  log(`     pretrained encoder fine-tuned with a Linear(${latentSize}, 1) BCE head (lr 1e-3, 150 steps): test accuracy ${(100 * fineTuneAccuracy).toFixed(1)}%`);
  return { reconLoss, latentSize, imageSize: side * side, bceAccuracy, ceAccuracy, scratchBceAccuracy, scratchCeAccuracy, fineTuneAccuracy };
}

if (isMain(import.meta.url)) main(parseFlags({ trainSize: 512, epochs: 4, batchSize: 16, lr: 1e-2, fewShot: 40, testSize: 400, full: false, seed: 0 }));
