/**
 * Exam Problem 7: depth from a single RGB image on `SyntheticDepthDataset` (ray-cast street scenes,
 * several consecutive frames per scene, all day scenes stored before all night scenes), with the
 * exam's data pipeline:
 *
 * - 7.1/7.2: splitting the stored order gives a training set of day scenes and a validation set of
 *   night scenes; shuffle before splitting, and keep each scene's frames (20 ms apart, nearly
 *   identical) in one split so validation images are not copies of training images.
 * - 7.4: augmentation (random horizontal flip) on the training split only; normalisation with the
 *   training split's mean/std on every split.
 * - 7.6: the flip moves the image AND the depth map. The bug of flipping only the image is trained
 *   side by side, and caught before any training by `flipAlignmentProbe` (does target(flip(x))
 *   equal flip(target(x))?). Its effect on the model is judged by validation error, which is noisy
 *   with few validation scenes: compare over several seeds (`deeptype exam 7.6` does).
 *
 * The network is the fully-convolutional U-Net from unet-segmentation.ts with one output channel
 * (depth / maxDepth), trained with an L1 loss. Frames are 16x16 by default so both trainings take
 * seconds; `--size 32 --epochs 20 --batchSize 16 --lr 3e-3` is a sharper (and slower) version.
 *
 *   node --import tsx examples/depth-regression.ts [--scenes 40] [--frames 5] [--epochs 12] [--size 16]
 */
import { Generator, Tensor, noGrad, nn, optim } from "../src/index.js";
import {
  DataLoader, Normalize, RandomHorizontalFlip, SyntheticDepthDataset, computeMeanStd, functional as TF, mapDataset, randomSplit,
  type Dataset,
} from "../src/data/index.js";
import { imageToText, linePlot, sideBySide } from "../src/utils/plot.js";
import { flipAlignmentProbe, type FlipAlignmentReport } from "../src/utils/data-checks.js";
import { UNet } from "./unet-segmentation.js";
import { isMain, parseFlags, since, type Log } from "./common.js";

export interface DepthOptions {
  scenes?: number;
  frames?: number;
  epochs?: number;
  batchSize?: number;
  size?: number;
  width?: number;
  lr?: number;
  seed?: number;
  log?: Log;
}

export interface DepthRun {
  /** Mean training loss per epoch (on the augmented batches, as a training loop reports it). */
  trainLoss: number[];
  /** L1 on the un-augmented training split after the last epoch (no sampling noise). */
  cleanTrainLoss: number;
  /** L1 error on the validation split after each epoch, in metres. */
  valError: number[];
  /**
   * The trained model shown the mirrored training images flip(x): L1 of its prediction against the
   * mirrored depth maps flip(D) (the right answer) and against the original depth maps D (the answer
   * the image-only flip teaches). `preference` = `vsOriginal − vsMirrored`: positive when the model
   * learned to mirror its depth map with the image, negative when it learned the bug's targets.
   */
  mirrored: { vsMirrored: number; vsOriginal: number; preference: number };
}

export interface DepthResult {
  /** Night share of train/val when splitting the stored order (80/20) and after a shuffled, scene-grouped split. */
  unshuffled: { trainNight: number; valNight: number };
  shuffled: { trainNight: number; valNight: number };
  correct: DepthRun;
  flipBug: DepthRun;
  /**
   * The lowest training loss the bug allows a flip-EQUIVARIANT predictor (one with f(flip x) =
   * flip f(x)): it must answer D for x and flip(D) for flip(x) while the bug asks D for both, which
   * costs ½·|D − flip(D)| on average (normalised depth units). It is not a bound for a network that
   * can tell a scene from its mirror image and memorise both pairs (a small training set trained
   * long enough goes below it); it says how inconsistent the buggy targets are.
   */
  bugFloor: number;
  /** `flipAlignmentProbe` on the correct flip and on the image-only flip. */
  probe: { correct: FlipAlignmentReport; flipBug: FlipAlignmentReport };
}

type Pair = { image: Tensor; depth: Tensor };

/** The bug of 7.6: a horizontal flip applied to the image only, leaving the depth map as it was. */
export class FlipImageOnly {
  constructor(readonly generator: Generator) {}
  apply(s: Pair): Pair {
    return this.generator.random() < 0.5 ? { image: TF.hflip(s.image), depth: s.depth } : s;
  }
}

export async function main(opts: DepthOptions = {}): Promise<DepthResult> {
  const log = opts.log ?? console.log;
  const o = { scenes: 40, frames: 5, epochs: 12, batchSize: 8, size: 16, width: 8, lr: 5e-3, seed: 0, ...opts };
  const source = new SyntheticDepthDataset({ scenes: o.scenes, framesPerScene: o.frames, height: o.size, width: o.size, seed: o.seed });
  const maxDepth = source.maxDepth;
  const start = performance.now();
  // Ray-casting is the slow part of reading an item, so render every frame once.
  const frames: Pair[] = Array.from({ length: source.length }, (_, i) => {
    const s = source.getItem(i);
    return { image: s.image, depth: s.depth.div(maxDepth) };
  });
  const all: Dataset<Pair> = { length: frames.length, getItem: (i: number) => frames[i] };
  log(`${source.length} frames (${o.scenes} scenes x ${o.frames} consecutive frames, ${o.size}x${o.size}), rendered in ${since(start)}; stored day first: ${frames.slice(0, 3).map((_, i) => source.getItem(i).name).join(", ")}, ...`);

  // 7.1/7.2: what the stored order does to a split, and the fix.
  const nightShare = (idx: readonly number[]): number => idx.filter((i) => !source.isDaytime(i)).length / idx.length;
  const nTrain = Math.round(0.8 * source.length);
  const order = Array.from({ length: source.length }, (_, i) => i);
  const unshuffled = { trainNight: nightShare(order.slice(0, nTrain)), valNight: nightShare(order.slice(nTrain)) };
  const [trainSub, valSub] = randomSplit(all, [0.8, 0.2], { generator: new Generator(o.seed + 1), groups: (i) => source.sceneOf(i) });
  const shuffled = { trainNight: nightShare(trainSub.indices), valNight: nightShare(valSub.indices) };
  log(`7.2  split in stored order:          night frames ${(100 * unshuffled.trainNight).toFixed(0)}% of train, ${(100 * unshuffled.valNight).toFixed(0)}% of val  (validation is night only)`);
  log(`     shuffled split, scenes kept whole: night frames ${(100 * shuffled.trainNight).toFixed(0)}% of train, ${(100 * shuffled.valNight).toFixed(0)}% of val  (${trainSub.length} / ${valSub.length} frames)`);

  // 7.4: statistics from the training split only; normalisation everywhere, augmentation on train only.
  const stats = await computeMeanStd(trainSub);
  const normalize = new Normalize(stats.mean, stats.std);
  log(`7.4  Normalize(mean [${stats.mean.map((v) => v.toFixed(3)).join(", ")}], std [${stats.std.map((v) => v.toFixed(3)).join(", ")}]) from the training split, on every split;`);
  log("     RandomHorizontalFlip on the training split only (it flips the image and the depth map together)");
  const val = [...new DataLoader(mapDataset(valSub, (s: Pair) => normalize.apply(s)), { batchSize: valSub.length })][0] as Pair;
  const cleanTrain = [...new DataLoader(mapDataset(trainSub, (s: Pair) => normalize.apply(s)), { batchSize: trainSub.length })][0] as Pair;
  const bugFloor = noGrad(() => cleanTrain.depth.sub(TF.hflip(cleanTrain.depth)).abs().mean().item() / 2);

  const train = (name: string, flip: { apply(s: Pair): Pair }): DepthRun => {
    const trainSet = mapDataset(trainSub, (s: Pair) => normalize.apply(flip.apply(s)));
    const loader = new DataLoader(trainSet, { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed + 3) });
    const model = new UNet(3, 1, { width: o.width, generator: new Generator(o.seed + 4) });
    const opt = new optim.Adam(model.parameters(), { lr: o.lr });
    const run: DepthRun = { trainLoss: [], cleanTrainLoss: NaN, valError: [], mirrored: { vsMirrored: NaN, vsOriginal: NaN, preference: NaN } };
    const t0 = performance.now();
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      let sum = 0, n = 0;
      model.train();
      for (const b of loader as Iterable<Pair>) {
        opt.zeroGrad();
        const loss = nn.functional.l1Loss(model.call(b.image), b.depth);
        loss.backward();
        opt.step();
        sum += loss.item() * b.image.shape[0];
        n += b.image.shape[0];
      }
      run.trainLoss.push(sum / n);
      run.valError.push(noGrad(() => nn.functional.l1Loss(model.eval().call(val.image), val.depth).item()) * maxDepth);
      log(`  ${name}: epoch ${epoch}/${o.epochs}  train L1 ${(sum / n).toFixed(4)}  val error ${run.valError[epoch - 1].toFixed(2)} m  (${since(t0)})`);
    }
    run.cleanTrainLoss = noGrad(() => nn.functional.l1Loss(model.eval().call(cleanTrain.image), cleanTrain.depth).item());
    noGrad(() => {
      const pred = model.eval().call(TF.hflip(cleanTrain.image));
      const vsMirrored = nn.functional.l1Loss(pred, TF.hflip(cleanTrain.depth)).item();
      const vsOriginal = nn.functional.l1Loss(pred, cleanTrain.depth).item();
      run.mirrored = { vsMirrored, vsOriginal, preference: vsOriginal - vsMirrored };
    });
    if (name === "correct") {
      const pred = noGrad(() => model.call(val.image.narrow(0, 0, 1)).mul(maxDepth));
      const pic = (t: Tensor): string => imageToText(t.data(), o.size, o.size, { range: [0, maxDepth] });
      log("\n  validation frame 0, depth (dark = near, bright = far): truth and prediction");
      log(sideBySide([pic(val.depth.select(0, 0).mul(maxDepth)), pic(pred.select(0, 0))], { captions: ["truth", "prediction"], gap: 4 }).split("\n").map((l) => "  " + l).join("\n"));
    }
    return run;
  };
  // 7.6, before training: does target(flip(x)) equal flip(target(x)) after each augmentation?
  const probeSamples = trainSub.indices.slice(0, 32).map((i) => frames[i]);
  const correctFlip = new RandomHorizontalFlip({ p: 0.5, generator: new Generator(o.seed + 50) }) as unknown as { apply(s: Pair): Pair };
  const imageOnlyFlip = new FlipImageOnly(new Generator(o.seed + 50));
  const probe = {
    correct: flipAlignmentProbe((s: Pair) => correctFlip.apply(s), probeSamples),
    flipBug: flipAlignmentProbe((s: Pair) => imageOnlyFlip.apply(s), probeSamples),
  };
  log(`\n7.6  data check before training, RandomHorizontalFlip on {image, depth}:\n     ${probe.correct.message}`);
  log(`     the same with the image-only flip:\n${probe.flipBug.message.split("\n").map((l) => "     " + l).join("\n")}`);
  log("\n7.6  training with the correct flip (image and depth) and with the bug (image only):");
  const correct = train("correct", new RandomHorizontalFlip({ p: 0.5, generator: new Generator(o.seed + 2) }) as unknown as { apply(s: Pair): Pair });
  const flipBug = train("flip bug", new FlipImageOnly(new Generator(o.seed + 2)));
  log("\n" + linePlot({ "correct: train": correct.trainLoss, "image-only flip: train": flipBug.trainLoss }, { title: "training L1 loss (depth / maxDepth)", height: 8, width: 40, xLabel: "epoch" }));
  const last = (v: number[]): number => v[v.length - 1];
  log("                        correct   image-only flip");
  log(`last epoch's train L1   ${last(correct.trainLoss).toFixed(4).padStart(7)}   ${last(flipBug.trainLoss).toFixed(4).padStart(15)}`);
  log(`clean train-split L1    ${correct.cleanTrainLoss.toFixed(4).padStart(7)}   ${flipBug.cleanTrainLoss.toFixed(4).padStart(15)}`);
  log(`validation error (m)    ${last(correct.valError).toFixed(2).padStart(7)}   ${last(flipBug.valError).toFixed(2).padStart(15)}`);
  log(`½·mean|D − flip(D)|     ${(0).toFixed(4).padStart(7)}   ${bugFloor.toFixed(4).padStart(15)}   (the floor for a flip-equivariant predictor only)`);
  const gap = (r: DepthRun): string => `${(100 * (r.mirrored.vsOriginal / r.cleanTrainLoss - 1)).toFixed(1)}%`;
  const gapOk = (r: DepthRun): string => `${(100 * (r.mirrored.vsMirrored / r.cleanTrainLoss - 1)).toFixed(1)}%`;
  log("mirrored train images: their L1 above the unmirrored images' L1 (clean train-split L1), against");
  log(`  vs flip(D) (correct)  ${gapOk(correct).padStart(7)}   ${gapOk(flipBug).padStart(15)}`);
  log(`  vs D (the bug's)      ${gap(correct).padStart(7)}   ${gap(flipBug).padStart(15)}`);
  log("With the image flipped but not the depth, half the training pairs show a mirrored scene with the original scene's depth.");
  log(`A predictor that treats a scene and its mirror alike cannot fit both (its loss stays above ${bugFloor.toFixed(4)}); a network that`);
  log("can tell them apart may memorise both on a small training set, so the training loss alone does not prove the bug.");
  log("What does show it: the correct model fits mirrored images (against mirrored depth) as well as the originals; the bug's");
  log("model fits its mirrored pairs (against the original depth) clearly worse than its unmirrored ones: it cannot learn them.");
  log("Judge it by validation error over several seeds (`deeptype exam 7.6`), and catch it before training with flipAlignmentProbe.");
  return { unshuffled, shuffled, correct, flipBug, bugFloor, probe };
}

if (isMain(import.meta.url)) await main(parseFlags({ scenes: 40, frames: 5, epochs: 12, batchSize: 8, size: 16, width: 8, lr: 5e-3, seed: 0 }));
