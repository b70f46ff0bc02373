/**
 * A variational autoencoder on MNIST (the exam's 5.4): the encoder outputs the mean and the log
 * variance of a Gaussian over the latent code, a code is sampled with the reparameterisation trick
 * z = mu + exp(logvar/2)·eps (so gradients reach mu and logvar), and the loss is reconstruction
 * (BCE on the pixels) plus KL(N(mu, sigma²) ‖ N(0, 1)) from `nn.gaussianKl`. Because the latent
 * space is pushed towards N(0, 1), decoding random N(0, 1) codes gives new digits: drawn at the end.
 *
 * Images are 2x average-pooled to 14x14 to keep the js backend quick (`--full` for 28x28).
 *
 *   node --import tsx examples/vae.ts [--trainSize 2048] [--epochs 8] [--latent 4] [--full]
 */
import { Generator, Tensor, noGrad, randn, nn, optim } from "../src/index.js";
import { DataLoader, TensorDataset } from "../src/data/index.js";
import { imageToText, linePlot, sideBySide } from "../src/utils/plot.js";
import { isMain, mnistSubset, parseFlags, since, type Log } from "./common.js";

export interface VaeOptions {
  trainSize?: number;
  epochs?: number;
  batchSize?: number;
  latent?: number;
  hidden?: number;
  full?: boolean;
  seed?: number;
  log?: Log;
}

export interface VaeResult {
  /** Per epoch: mean reconstruction and KL terms per image (summed over pixels / latent dims). */
  recon: number[];
  kl: number[];
  /** Mean pixel value of the decoded random samples (a blank decoder would give ~0 or ~1). */
  sampleMean: number;
  samples: Tensor;
  /** The trained model and the encoder means of its training images (where the decoder was trained). */
  model: Vae;
  trainMu: Tensor;
}

/** Encoder to (mu, logvar), reparameterised sample, decoder to pixel logits. */
export class Vae extends nn.Module<[Tensor], { logits: Tensor; mu: Tensor; logvar: Tensor }> {
  encoder: nn.Sequential;
  decoder: nn.Sequential;

  constructor(readonly pixels: number, readonly latent: number, hidden: number, readonly generator: Generator) {
    super();
    const g = generator;
    this.encoder = new nn.Sequential(new nn.Flatten(), new nn.Linear(pixels, hidden, { generator: g }), new nn.ReLU(), new nn.Linear(hidden, 2 * latent, { generator: g }));
    this.decoder = new nn.Sequential(new nn.Linear(latent, hidden, { generator: g }), new nn.ReLU(), new nn.Linear(hidden, pixels, { generator: g }));
  }

  forward(x: Tensor): { logits: Tensor; mu: Tensor; logvar: Tensor } {
    const [mu, logvar] = this.encoder.call(x).chunk(2, 1);
    // Reparameterisation: the randomness is an input (eps), so z is differentiable in mu and logvar.
    const eps = randn(mu.shape, { generator: this.generator });
    const z = mu.add(logvar.mul(0.5).exp().mul(eps));
    return { logits: this.decoder.call(z), mu, logvar };
  }
}

export function main(opts: VaeOptions = {}): VaeResult {
  const log = opts.log ?? console.log;
  const o = { trainSize: 2048, epochs: 8, batchSize: 64, latent: 4, hidden: 128, full: false, seed: 0, ...opts };
  const side = o.full ? 28 : 14;
  const { images } = mnistSubset({ n: o.trainSize, seed: o.seed, downsample: !o.full });
  const model = new Vae(side * side, o.latent, o.hidden, new Generator(o.seed));
  const opt = new optim.Adam(model.parameters(), { lr: 2e-3 });
  const loader = new DataLoader(new TensorDataset(images), { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed + 1) });
  log(`VAE on ${o.trainSize} MNIST digits (${side}x${side}): encoder ${side * side}→${o.hidden}→(mu, logvar) of ${o.latent} dims, decoder ${o.latent}→${o.hidden}→${side * side}`);
  log("loss = BCE(reconstruction, x) summed over pixels + KL(N(mu, σ²) ‖ N(0, 1)) summed over latent dims, per image");
  const recon: number[] = [];
  const kl: number[] = [];
  const start = performance.now();
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let r = 0, k = 0, n = 0;
    for (const [x] of loader) {
      const b = x.shape[0];
      opt.zeroGrad();
      const out = model.call(x);
      const rec = nn.functional.binaryCrossEntropyWithLogits(out.logits, x.flatten(1), { reduction: "sum" }).div(b);
      const div = nn.functional.gaussianKl(out.mu, out.logvar, { reduction: "batchmean" });
      rec.add(div).backward();
      opt.step();
      r += rec.item() * b;
      k += div.item() * b;
      n += b;
    }
    recon.push(r / n);
    kl.push(k / n);
    log(`epoch ${epoch}/${o.epochs}: reconstruction ${recon[epoch - 1].toFixed(2)}  KL ${kl[epoch - 1].toFixed(2)}  total ${(recon[epoch - 1] + kl[epoch - 1]).toFixed(2)}  (${since(start)})`);
  }
  log(linePlot({ reconstruction: recon, KL: kl }, { height: 8, width: 40, xLabel: "epoch", title: "loss terms per image" }));

  const pic = (t: Tensor, i: number): string => imageToText(t.select(0, i).data(), side, side, { range: [0, 1] });
  const shown = images.narrow(0, 0, 4);
  const rec = noGrad(() => {
    model.eval();
    const [mu] = model.encoder.call(shown).chunk(2, 1);
    return model.decoder.call(mu).sigmoid();
  });
  log("\ninputs and their reconstructions (decoded from mu):");
  log(sideBySide([0, 1, 2, 3].map((i) => pic(shown, i))));
  log(sideBySide([0, 1, 2, 3].map((i) => pic(rec, i))));
  const samples = noGrad(() => model.decoder.call(randn([6, o.latent], { generator: new Generator(o.seed + 2) })).sigmoid());
  log("\nnew digits: random codes z ~ N(0, I) through the decoder:");
  log(sideBySide([0, 1, 2, 3, 4, 5].map((i) => pic(samples, i))));
  const trainMu = noGrad(() => model.encoder.call(images).chunk(2, 1)[0]);
  return { recon, kl, sampleMean: samples.mean().item(), samples, model, trainMu };
}

if (isMain(import.meta.url)) main(parseFlags({ trainSize: 2048, epochs: 8, batchSize: 64, latent: 4, hidden: 128, full: false, seed: 0 }));
