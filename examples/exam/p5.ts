/**
 * Exam Problem 5 (an autoencoder as a compression service for a company's images; MNIST digits 0-8
 * stand for the products, 2x pooled to 14x14):
 *
 * - 5.1: the service for real: encoder and decoder saved as two safetensors files, the codes of a
 *   batch as an 8-bit codes file, and a separate client program (p5-client.ts) that loads only the
 *   decoder and the codes. Sizes in bytes. The same split attempted with a U-Net: its decoder cannot
 *   run without the encoder's skip features, and those would have to be sent too.
 * - 5.2: the causes of blur measured: MSE vs L1 vs BCE, and several latent sizes, with a sharpness score.
 * - 5.3: from examples/exam-p5-autoencoder.ts (pretrained encoder as a frozen feature extractor).
 * - 5.4: random codes through the plain autoencoder's decoder vs the VAE's (examples/vae.ts).
 *
 *   node --import tsx src/cli/main.ts exam 5.1
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Generator, Tensor, cat, noGrad, randn, randperm, nn, optim, zeros } from "../../src/index.js";
import { saveWeights } from "../../src/io/checkpoint.js";
import { imageToText, sideBySide } from "../../src/utils/plot.js";
import { convAutoencoder, main as p5 } from "../exam-p5-autoencoder.js";
import { main as vae } from "../vae.js";
import { UNet } from "../unet-segmentation.js";
import { mnistSubset } from "../common.js";
import { writeCodes } from "./codes-file.js";
import { mean, num, pct, shared, type ExamItem, type RunContext } from "./item.js";

const FILE = "examples/exam/p5.ts";
const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), "p5-client.ts");

type Loss = "bce" | "mse" | "l1";

/** A 14x14 conv autoencoder with `c` code channels (code [c,4,4]). */
function ae(c: number, g: Generator): { encoder: nn.Sequential; decoder: nn.Sequential } {
  return {
    encoder: new nn.Sequential(new nn.Conv2d(1, 8, 3, { stride: 2, padding: 1, generator: g }), new nn.ReLU(), new nn.Conv2d(8, 8, 3, { stride: 2, padding: 1, generator: g }), new nn.ReLU(), new nn.Conv2d(8, c, 1, { generator: g })),
    decoder: new nn.Sequential(new nn.ConvTranspose2d(c, 8, 3, { stride: 2, padding: 1, generator: g }), new nn.ReLU(), new nn.ConvTranspose2d(8, 8, 4, { stride: 2, padding: 1, generator: g }), new nn.ReLU(), new nn.Conv2d(8, 1, 3, { padding: 1, generator: g })),
  };
}

// BCE reads the decoder's output as pixel logits; MSE and L1 read it as the pixel value itself (a sigmoid
// in front of them saturates and the run collapses to a blank image, which is a different failure).
function lossOf(kind: Loss, out: Tensor, x: Tensor): Tensor {
  if (kind === "bce") return nn.functional.binaryCrossEntropyWithLogits(out, x);
  return kind === "mse" ? nn.functional.mseLoss(out, x) : nn.functional.l1Loss(out, x);
}

/** The reconstructed image in [0, 1] for a decoder trained with `kind`. */
const pixelsOf = (kind: Loss, out: Tensor): Tensor => (kind === "bce" ? out.sigmoid() : out.clamp(0, 1));

function trainAe(m: { encoder: nn.Sequential; decoder: nn.Sequential }, x: Tensor, kind: Loss, epochs: number, seed: number): void {
  const opt = new optim.Adam([...m.encoder.parameters(), ...m.decoder.parameters()], { lr: 1e-2 });
  const g = new Generator(seed);
  const n = x.shape[0];
  for (let e = 0; e < epochs; e++) {
    const perm = randperm(n, { generator: g });
    for (let i = 0; i < n; i += 16) {
      const b = x.indexSelect(0, perm.narrow(0, i, Math.min(16, n - i)));
      opt.zeroGrad();
      lossOf(kind, m.decoder.call(m.encoder.call(b)), b).backward();
      opt.step();
    }
  }
}

/** Mean absolute difference between neighbouring pixels: edges make it high, blur makes it low. */
const sharpness = (img: Tensor): number => noGrad(() => {
  const dx = img.narrow(3, 1, img.shape[3] - 1).sub(img.narrow(3, 0, img.shape[3] - 1)).abs().mean().item();
  const dy = img.narrow(2, 1, img.shape[2] - 1).sub(img.narrow(2, 0, img.shape[2] - 1)).abs().mean().item();
  return (dx + dy) / 2;
});

const digits = shared((ctx: RunContext) => ({
  train: mnistSubset({ n: ctx.tiny ? 384 : 768, seed: ctx.seed, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8], downsample: true }).images,
  test: mnistSubset({ n: 64, seed: ctx.seed + 1, skip: 2000, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8], downsample: true }).images,
}));

export const items: ExamItem[] = [
  {
    id: "5.1", fidelity: "faithful", file: FILE,
    claim: "Use a vanilla conv autoencoder, not a U-Net: clients get only the decoder, and a U-Net's decoder needs the encoder's skip connections.",
    async run(ctx) {
      const { train, test } = digits(ctx);
      const m = convAutoencoder(14, new Generator(ctx.seed + 2));
      trainAe(m, train, "bce", ctx.tiny ? 5 : 10, ctx.seed + 3);
      const dir = path.join(ctx.workDir, "p5-service");
      fs.mkdirSync(dir, { recursive: true });
      await saveWeights(path.join(dir, "encoder.safetensors"), m.encoder.stateDict());
      await saveWeights(path.join(dir, "decoder.safetensors"), m.decoder.stateDict());
      const codes = noGrad(() => m.encoder.call(test));
      fs.writeFileSync(path.join(dir, "codes.bin"), writeCodes(codes));
      // The client: another process that reads only decoder.safetensors and codes.bin.
      const client = spawnSync(process.execPath, ["--import", "tsx", CLIENT, dir], { encoding: "utf8" });
      if (client.status !== 0) throw new Error(`5.1: the client program failed: ${client.stderr}`);
      const recon = fs.readFileSync(path.join(dir, "recon.bin"));
      const orig = Uint8Array.from(test.contiguous().data(), (v) => Math.round(255 * v));
      const direct = noGrad(() => m.decoder.call(codes).sigmoid());
      const directBytes = Uint8Array.from(direct.contiguous().data(), (v) => Math.round(255 * v));
      let err = 0, quantErr = 0;
      for (let i = 0; i < orig.length; i++) { err += Math.abs(recon[i] - orig[i]); quantErr = Math.max(quantErr, Math.abs(recon[i] - directBytes[i])); }
      const size = (f: string): number => fs.statSync(path.join(dir, f)).size;
      const n = test.shape[0];
      const codeBytes = size("codes.bin"), pixelBytes = orig.length;
      // U-Net: what its decoder would need besides the bottleneck.
      const unet = new UNet(1, 1, { width: 8, generator: new Generator(4) });
      const padded = noGrad(() => cat([zeros([n, 1, 1, 14]), test, zeros([n, 1, 1, 14])], 2)).contiguous();
      const p16 = noGrad(() => cat([zeros([n, 1, 16, 1]), padded, zeros([n, 1, 16, 1])], 3)).contiguous();
      const e1 = noGrad(() => unet.enc1.call(p16));
      const e2 = noGrad(() => unet.enc2.call(unet.pool.call(e1)));
      const b = noGrad(() => unet.bottleneck.call(unet.pool.call(e2)));
      let unetError = "";
      try { noGrad(() => unet.dec2.call(unet.up2.call(b))); } catch (e) { unetError = (e as Error).message.split("\n")[0]; }
      const skipBytes = (e1.numel() + e2.numel()) / n, bottleneckBytes = b.numel() / n;
      return {
        lines: [
          `trained a conv autoencoder on ${train.shape[0]} digits (14x14); files written to ${dir}:`,
          `  encoder.safetensors ${size("encoder.safetensors")} B (stays with the company), decoder.safetensors ${size("decoder.safetensors")} B (shipped once)`,
          `  codes.bin ${codeBytes} B for ${n} images = ${num(codeBytes / n)} B per image (code [${codes.shape.slice(1).join(",")}] at 8 bits + a ${codeBytes - codes.numel()} B header)`,
          `  the same images as 8-bit pixels: ${pixelBytes} B = ${pixelBytes / n} B per image → ${num(pixelBytes / codeBytes)}x smaller on the wire`,
          `client process (p5-client.ts, decoder + codes only): ${client.stdout.trim()}`,
          `  its reconstruction differs from the original by ${num(err / orig.length)} grey levels per pixel on average (of 255); from the company's own decode by ≤ ${quantErr} (8-bit codes)`,
          `U-Net (width 8) on the same images padded to 16x16: bottleneck ${bottleneckBytes} numbers per image, but its decoder also reads the encoder's`,
          `  skip features: ${skipBytes} numbers = ${skipBytes} B per image even at 8 bits, ${num(skipBytes / 196)}x the 196 B image itself.`,
          `  decoder given the bottleneck alone: ${unetError}`,
          "",
          ...sideBySide([0, 1, 2, 3].map((i) => imageToText(test.select(0, i).data(), 14, 14, { range: [0, 1] }))).split("\n"),
          ...sideBySide([0, 1, 2, 3].map((i) => imageToText(Float32Array.from(recon.subarray(i * 196, (i + 1) * 196), (v) => v / 255), 14, 14, { range: [0, 1] }))).split("\n"),
        ],
        values: { codeBytesPerImage: codeBytes / n, pixelBytesPerImage: pixelBytes / n, meanAbsErr: err / orig.length, quantErr, unetFails: unetError ? 1 : 0, unetSkipBytes: skipBytes, clientOk: 1 },
      };
    },
    judge: (v) => v.codeBytesPerImage < v.pixelBytesPerImage && v.meanAbsErr < 40 && v.unetFails === 1 && v.unetSkipBytes > v.pixelBytesPerImage
      ? { verdict: "confirmed", because: `the decoder-only client rebuilds the images from ${num(v.codeBytesPerImage)} B codes (vs ${v.pixelBytesPerImage} B of pixels, ${num(v.meanAbsErr)} grey levels error); the U-Net decoder fails without its ${v.unetSkipBytes} B of skip features per image, more than the image` }
      : { verdict: "depends", because: `code ${num(v.codeBytesPerImage)} B vs ${v.pixelBytesPerImage} B, error ${num(v.meanAbsErr)}, U-Net fails: ${v.unetFails === 1}` },
  },
  {
    id: "5.2", fidelity: "faithful", file: FILE,
    claim: "Blurry reconstructions come from an MSE/L2 loss (its optimum is the mean) or from a too small latent space.",
    run(ctx) {
      const { train, test } = digits(ctx);
      const epochs = ctx.tiny ? 3 : 10;
      const ref = sharpness(test);
      const values: Record<string, number> = { input: ref };
      const lines = [`sharpness = mean |difference of neighbouring pixels| of the reconstructions; the inputs score ${num(ref)}`, "  loss   code        sharpness   / input's   L1 error"];
      const shows: Tensor[] = [];
      for (const [kind, c] of [["mse", 4], ["l1", 4], ["bce", 4], ["bce", 1], ["bce", 16]] as const) {
        const m = ae(c, new Generator(ctx.seed + 5));
        trainAe(m, train, kind, epochs, ctx.seed + 6);
        const rec = noGrad(() => pixelsOf(kind, m.decoder.call(m.encoder.call(test))));
        const s = sharpness(rec), e = noGrad(() => rec.sub(test).abs().mean().item());
        values[`${kind}${c}`] = s; values[`${kind}${c}err`] = e;
        lines.push(`  ${kind.padEnd(5)}  [${c},4,4] ${String(c * 16).padStart(3)}   ${num(s).padStart(9)}   ${num(s / ref).padStart(9)}   ${num(e)}`);
        if (c === 4 || c === 1) shows.push(rec.select(0, 0));
      }
      lines.push("", "input, then MSE / L1 / BCE with 64 numbers, BCE with 16:");
      lines.push(...sideBySide([test.select(0, 0), ...shows].map((t) => imageToText(t.contiguous().data(), 14, 14, { range: [0, 1] }))).split("\n"));
      return { lines, values };
    },
    judge: (v) => {
      const mseBlur = v.mse4 < v.bce4 && v.mse4 < v.l14;
      const latentBlur = v.bce1 < v.bce4 && v.bce1 < v.bce16;
      if (mseBlur && latentBlur) return { verdict: "confirmed", because: `MSE gives the least sharp images (${num(v.mse4)} vs L1 ${num(v.l14)}, BCE ${num(v.bce4)}) and a 16-number code is blurrier than 64 or 256 (${num(v.bce1)} vs ${num(v.bce4)}, ${num(v.bce16)})` };
      return { verdict: "depends", because: `sharpness MSE ${num(v.mse4)}, L1 ${num(v.l14)}, BCE ${num(v.bce4)}; latent 16/64/256: ${num(v.bce1)}, ${num(v.bce4)}, ${num(v.bce16)}${latentBlur ? " (small latent blurs)" : ""}${mseBlur ? " (MSE blurs)" : ""}` };
    },
  },
  {
    id: "5.3", fidelity: "faithful", file: "examples/exam-p5-autoencoder.ts",
    claim: "Few prototype images: reuse the pretrained encoder as a feature extractor with a new classifier head (BCE + 1 output, or CE + 2).",
    run(ctx) {
      const r = p5({ trainSize: ctx.tiny ? 192 : 512, epochs: ctx.tiny ? 2 : 4, fewShot: 40, testSize: ctx.tiny ? 100 : 400, seed: ctx.seed, log: () => {} });
      return {
        lines: [
          `${40} labelled images (20 prototypes = digit 9, unseen by the autoencoder): test accuracy`,
          `  pretrained frozen encoder + Linear(${r.latentSize}, 1) BCE ${pct(r.bceAccuracy)}, + Linear(${r.latentSize}, 2) CE ${pct(r.ceAccuracy)}`,
          `  untrained encoder + the same heads: ${pct(r.scratchBceAccuracy)} / ${pct(r.scratchCeAccuracy)}`,
          `  pretrained encoder fine-tuned with the BCE head: ${pct(r.fineTuneAccuracy)}`,
        ],
        values: { bce: r.bceAccuracy, ce: r.ceAccuracy, scratch: Math.max(r.scratchBceAccuracy, r.scratchCeAccuracy), fineTune: r.fineTuneAccuracy },
      };
    },
    judge: (v) => Math.min(v.bce, v.ce) > v.scratch
      ? { verdict: "confirmed", because: `pretrained features ${pct(v.bce)} (BCE) / ${pct(v.ce)} (CE) beat untrained ones (${pct(v.scratch)}); fine-tuning the encoder too: ${pct(v.fineTune)}` }
      : { verdict: "depends", because: `pretrained ${pct(v.bce)} / ${pct(v.ce)} vs untrained ${pct(v.scratch)}: with 40 images the pretrained advantage is not shown here` },
  },
  {
    id: "5.4", fidelity: "faithful", file: FILE,
    claim: "A VAE suits generating new images: its encoder outputs mean and variance and its loss (reconstruction + KL) makes random codes decodable.",
    run(ctx) {
      const { train } = digits(ctx);
      const m = convAutoencoder(14, new Generator(ctx.seed + 8));
      trainAe(m, train, "bce", ctx.tiny ? 5 : 10, ctx.seed + 9);
      const aeTrain = noGrad(() => m.encoder.call(train).flatten(1));
      const v = vae({ trainSize: ctx.tiny ? 256 : 768, epochs: ctx.tiny ? 3 : 8, log: () => {} });
      // The codes each decoder was trained on: the AE's codes, the VAE's samples z = mu + σ·ε. How far is
      // their distribution from N(0, I), where random codes are drawn? Per dimension, the KL divergence
      // of a Gaussian fitted to them from N(0, 1): 0 when random codes fall where training codes did.
      const vaeZ = noGrad(() => {
        const [mu, logvar] = v.model.encoder.call(train).chunk(2, 1);
        return mu.add(logvar.mul(0.5).exp().mul(randn(mu.shape, { generator: new Generator(ctx.seed + 11) })));
      });
      const klFromPrior = (codes: Tensor): number => noGrad(() => {
        const m = codes.mean(0), s2 = codes.var(0);
        return s2.add(m.square()).sub(1).sub(s2.log()).mul(0.5).mean().item();
      });
      const aeKl = klFromPrior(aeTrain), vaeKl = klFromPrior(vaeZ);
      const cs = noGrad(() => aeTrain.std().item()), cm = noGrad(() => aeTrain.mean().item());
      const aeSamples = noGrad(() => m.decoder.call(randn([4, 4, 4, 4], { generator: new Generator(ctx.seed + 10) })).sigmoid());
      return {
        lines: [
          `plain autoencoder's codes of its training digits: mean ${num(cm)}, std ${num(cs)}; nothing makes them N(0, I)`,
          `VAE (latent ${v.trainMu.shape[1]}): KL term after training ${num(v.kl[v.kl.length - 1])}, pulling each N(mu, σ²) towards N(0, I)`,
          "KL(Gaussian fit of the codes each decoder was trained on ‖ N(0, 1)), per latent dimension (0 = random codes land where training codes did):",
          `  plain AE ${num(aeKl)}, VAE ${num(vaeKl)}`,
          "",
          "plain AE from random codes:",
          ...sideBySide([0, 1, 2, 3].map((i) => imageToText(aeSamples.select(0, i).contiguous().data(), 14, 14, { range: [0, 1] }))).split("\n"),
          "VAE from random codes:",
          ...sideBySide([0, 1, 2, 3].map((i) => imageToText(v.samples.select(0, i).contiguous().data(), 14, 14, { range: [0, 1] }))).split("\n"),
        ],
        values: { aeKl, vaeKl, codeStd: cs, kl: v.kl[v.kl.length - 1] },
      };
    },
    judge: (v) => v.aeKl > 3 * v.vaeKl
      ? { verdict: "confirmed", because: `the VAE's training codes are distributed like N(0, I) (KL ${num(v.vaeKl)} per dimension), the plain AE's are not (${num(v.aeKl)}): only the VAE's decoder was trained where random codes fall` }
      : { verdict: "depends", because: `KL from N(0, I) per dimension: VAE ${num(v.vaeKl)}, plain AE ${num(v.aeKl)}` },
  },
];
