/**
 * Semantic segmentation with a small U-Net on `SyntheticSegmentationDataset` (random discs,
 * rectangles and triangles, one class each, on a noisy background): per-pixel cross-entropy, then
 * per-class intersection-over-union on a held-out set, and a predicted mask drawn next to the truth.
 * The same network without its skip connections is trained for comparison: the decoder then has to
 * rebuild the shapes' edges from the 8x8 bottleneck alone (and, as exam 5.1 points out, a U-Net
 * cannot be split into an encoder and a decoder that ships alone, because of those connections).
 *
 *   node --import tsx examples/unet-segmentation.ts [--train 256] [--epochs 6] [--size 32] [--noCompare]
 */
import { Generator, Tensor, cat, noGrad, nn, optim } from "../src/index.js";
import { DataLoader, SyntheticSegmentationDataset } from "../src/data/index.js";
import { imageToText, linePlot, sideBySide } from "../src/utils/plot.js";
import { isMain, parseFlags, since, type Log } from "./common.js";

/** Two 3x3 convolutions with ReLU, keeping the size. */
function block(cin: number, cout: number, g?: Generator): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(cin, cout, 3, { padding: 1, generator: g }), new nn.ReLU(),
    new nn.Conv2d(cout, cout, 3, { padding: 1, generator: g }), new nn.ReLU(),
  );
}

/**
 * A two-level U-Net: encoder blocks at full and half size, a bottleneck at quarter size, and a
 * decoder that upsamples with transposed convolutions and concatenates the encoder's features of
 * the same size (the skip connections). Fully convolutional: any H, W divisible by 4.
 * Shape: [N, inChannels, H, W] -> [N, outChannels, H, W].
 */
export class UNet extends nn.Module {
  enc1: nn.Sequential;
  enc2: nn.Sequential;
  pool: nn.MaxPool2d;
  bottleneck: nn.Sequential;
  up2: nn.ConvTranspose2d;
  dec2: nn.Sequential;
  up1: nn.ConvTranspose2d;
  dec1: nn.Sequential;
  head: nn.Conv2d;
  /** Whether the decoder concatenates the encoder's features (false: a plain encoder-decoder). */
  readonly skip: boolean;

  constructor(inChannels: number, outChannels: number, opts: { width?: number; skip?: boolean; generator?: Generator } = {}) {
    super();
    const w = opts.width ?? 8;
    const g = opts.generator;
    this.skip = opts.skip ?? true;
    this.enc1 = block(inChannels, w, g);
    this.enc2 = block(w, 2 * w, g);
    this.pool = new nn.MaxPool2d(2);
    this.bottleneck = block(2 * w, 4 * w, g);
    this.up2 = new nn.ConvTranspose2d(4 * w, 2 * w, 2, { stride: 2, generator: g });
    this.dec2 = block(this.skip ? 4 * w : 2 * w, 2 * w, g);
    this.up1 = new nn.ConvTranspose2d(2 * w, w, 2, { stride: 2, generator: g });
    this.dec1 = block(this.skip ? 2 * w : w, w, g);
    this.head = new nn.Conv2d(w, outChannels, 1, { generator: g });
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[2] % 4 !== 0 || x.shape[3] % 4 !== 0) {
      throw new Error(`UNet: expected [N,C,H,W] with H and W divisible by 4, got [${x.shape.join(",")}]`);
    }
    const e1 = this.enc1.call(x);                       // [N, w, H, W]
    const e2 = this.enc2.call(this.pool.call(e1));      // [N, 2w, H/2, W/2]
    const b = this.bottleneck.call(this.pool.call(e2)); // [N, 4w, H/4, W/4]
    const u2 = this.up2.call(b);                        // [N, 2w, H/2, W/2]
    const d2 = this.dec2.call(this.skip ? cat([u2, e2], 1) : u2);
    const u1 = this.up1.call(d2);                       // [N, w, H, W]
    const d1 = this.dec1.call(this.skip ? cat([u1, e1], 1) : u1);
    return this.head.call(d1);
  }
}

export interface SegOptions {
  train?: number;
  val?: number;
  epochs?: number;
  batchSize?: number;
  size?: number;
  numClasses?: number;
  width?: number;
  lr?: number;
  /** Skip the no-skip-connection comparison run. */
  noCompare?: boolean;
  seed?: number;
  log?: Log;
}

export interface SegRun {
  trainLoss: number[];
  /** IoU per class on the validation set (background first); NaN for a class absent from both. */
  iou: number[];
  meanIou: number;
  pixelAccuracy: number;
}

export interface SegResult {
  unet: SegRun;
  noSkip: SegRun | null;
}

/** IoU per class = |pred ∩ truth| / |pred ∪ truth| over all pixels of all images. */
export function perClassIou(pred: ArrayLike<number>, truth: ArrayLike<number>, numClasses: number): number[] {
  const inter = new Array<number>(numClasses).fill(0);
  const union = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < truth.length; i++) {
    const p = pred[i], t = truth[i];
    if (p === t) { inter[p]++; union[p]++; } else { union[p]++; union[t]++; }
  }
  return inter.map((v, c) => (union[c] ? v / union[c] : NaN));
}

type SegBatch = { image: Tensor; mask: Tensor };

function trainOne(skip: boolean, o: Required<Omit<SegOptions, "log">>, trainSet: SyntheticSegmentationDataset, val: SegBatch, log: Log): { run: SegRun; model: UNet } {
  const model = new UNet(3, o.numClasses, { width: o.width, skip, generator: new Generator(o.seed + 10) });
  const opt = new optim.Adam(model.parameters(), { lr: o.lr });
  const loader = new DataLoader(trainSet, { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed + 11) });
  const trainLoss: number[] = [];
  const start = performance.now();
  const name = skip ? "U-Net" : "no skips";
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let sum = 0, n = 0;
    for (const batch of loader as Iterable<SegBatch>) {
      opt.zeroGrad();
      // Logits [B,C,H,W] against int64 classes [B,H,W]: cross-entropy per pixel, averaged.
      const loss = nn.functional.crossEntropy(model.call(batch.image), batch.mask);
      loss.backward();
      opt.step();
      sum += loss.item() * batch.image.shape[0];
      n += batch.image.shape[0];
    }
    trainLoss.push(sum / n);
    log(`  ${name}: epoch ${epoch}/${o.epochs}  train loss ${(sum / n).toFixed(4)}  (${since(start)})`);
  }
  const pred = noGrad(() => model.eval().call(val.image).argmax(1));
  const iou = perClassIou(pred.data(), val.mask.data(), o.numClasses);
  const present = iou.filter((v) => !Number.isNaN(v));
  const pixelAccuracy = noGrad(() => pred.eq(val.mask).float().mean().item());
  return { run: { trainLoss, iou, meanIou: present.reduce((a, b) => a + b, 0) / present.length, pixelAccuracy }, model };
}

export function main(opts: SegOptions = {}): SegResult {
  const log = opts.log ?? console.log;
  const o = { train: 256, val: 64, epochs: 6, batchSize: 16, size: 32, numClasses: 4, width: 8, lr: 3e-3, noCompare: false, seed: 0, ...opts };
  delete (o as { log?: Log }).log;
  const trainSet = new SyntheticSegmentationDataset({ length: o.train, numClasses: o.numClasses, height: o.size, width: o.size, seed: o.seed });
  const valSet = new SyntheticSegmentationDataset({ length: o.val, numClasses: o.numClasses, height: o.size, width: o.size, seed: o.seed + 1000 });
  const val = [...new DataLoader(valSet, { batchSize: o.val })][0] as SegBatch;
  log(`U-Net segmentation: ${o.train} training and ${o.val} validation images ${o.size}x${o.size}, ${o.numClasses} classes (0 = background)`);

  const { run: unet, model } = trainOne(true, o, trainSet, val, log);
  const noSkip = o.noCompare ? null : trainOne(false, o, trainSet, val, log).run;

  const classes = Array.from({ length: o.numClasses }, (_, c) => (c === 0 ? "background" : `class ${c}`));
  log("\nvalidation IoU per class:");
  log(`  ${"".padEnd(12)}${classes.map((c) => c.padStart(11)).join("")}       mean   pixel acc`);
  for (const [name, r] of [["U-Net", unet], ["no skips", noSkip]] as const) {
    if (!r) continue;
    log(`  ${name.padEnd(12)}${r.iou.map((v) => (Number.isNaN(v) ? "n/a" : v.toFixed(3)).padStart(11)).join("")}  ${r.meanIou.toFixed(3).padStart(9)}  ${(100 * r.pixelAccuracy).toFixed(1).padStart(9)}%`);
  }
  log("\n" + linePlot(noSkip ? { "U-Net": unet.trainLoss, "no skips": noSkip.trainLoss } : { "U-Net": unet.trainLoss }, { title: "training loss", height: 8, width: 40, xLabel: "epoch" }));
  const palette = ".o#x%@*+".slice(0, o.numClasses);
  const pred = noGrad(() => model.call(val.image.narrow(0, 0, 1)).argmax(1));
  const draw = (t: Tensor): string => imageToText(t.data(), o.size, o.size, { range: [0, o.numClasses - 1], palette });
  log(`\nvalidation image 0: truth and U-Net prediction (classes drawn as "${palette}"):`);
  log(sideBySide([draw(val.mask.select(0, 0)), draw(pred.select(0, 0))], { captions: ["truth", "prediction"], gap: 4 }));
  return { unet, noSkip };
}

if (isMain(import.meta.url)) main(parseFlags({ train: 256, val: 64, epochs: 6, batchSize: 16, size: 32, numClasses: 4, width: 8, lr: 3e-3, noCompare: false, seed: 0 }));
