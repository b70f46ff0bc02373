// The exam's Problem 7 as code: a depth dataset stored day-first, split by scene, a training
// pipeline WITH augmentation and an evaluation pipeline WITHOUT it (both normalised with the
// training split's statistics).
// Run: node --import tsx examples/data-depth-pipeline.ts
import { Generator, data } from "../src/index.js";

const { SyntheticDepthDataset, randomSplit, MapDataset, DataLoader, Compose, Normalize, RandomHorizontalFlip, RandomResizedCrop, ColorJitter, GaussianNoise, computeMeanStd } = data;

const g = new Generator(0);
const all = new SyntheticDepthDataset({ scenes: 40, framesPerScene: 5 });

// 7.2: shuffle before splitting (randomSplit does), and keep each scene's consecutive frames in one
// split, or near-duplicate frames leak from train into validation/test.
const [trainIdx, valIdx, testIdx] = randomSplit(all, [0.7, 0.15, 0.15], { generator: g, groups: (i) => all.sceneOf(i) });

// Normalisation statistics from the training split only.
const { mean, std } = await computeMeanStd(trainIdx);
const normalize = new Normalize(mean, std);

// 7.4: augmentation for training only; normalisation for every split.
// 7.6: geometric transforms move the depth map with the image; photometric ones leave it alone.
const trainTransform = new Compose([
  new RandomHorizontalFlip({ generator: g }),
  new RandomResizedCrop(32, { scale: [0.6, 1], generator: g }),
  new ColorJitter({ brightness: 0.3, contrast: 0.3, saturation: 0.3, generator: g }),
  new GaussianNoise({ std: 0.02, clip: true, generator: g }),
  normalize,
]);
const evalTransform = normalize;

const train = new MapDataset(trainIdx, (s) => trainTransform.apply(s));
const val = new MapDataset(valIdx, (s) => evalTransform.apply(s));
const test = new MapDataset(testIdx, (s) => evalTransform.apply(s));

// 7.1: shuffle the training loader, so a batch is not four consecutive daytime frames of one scene.
const trainLoader = new DataLoader(train, { batchSize: 16, shuffle: true, generator: g, dropLast: true });
const valLoader = new DataLoader(val, { batchSize: 32 });

for (let epoch = 0; epoch < 2; epoch++) {
  let batches = 0;
  let dayShare = 0;
  for (const { image, depth, daytime } of trainLoader) {
    // model.forward(image) -> predicted depth; loss against `depth`; loss.backward(); optimizer.step()
    if (image.shape[0] !== depth.shape[0]) throw new Error("unreachable");
    dayShare += daytime.float().mean().item();
    batches++;
  }
  console.log(`epoch ${epoch}: ${batches} training batches, mean share of daytime frames per batch ${(dayShare / batches).toFixed(2)}`);
}
let valFrames = 0;
for (const { image } of valLoader) valFrames += image.shape[0];
console.log(`train/val/test frames: ${train.length}/${val.length}/${test.length}; validated ${valFrames}; mean ${mean.map((m) => m.toFixed(3))}, std ${std.map((s) => s.toFixed(3))}`);
