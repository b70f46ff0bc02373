/**
 * Writes a sample training report with made-up data (no training involved), to see what
 * `renderReport` draws:  node --import tsx examples/report-demo.ts runs/demo/report.html [--svg]
 * Then check it in a real browser:  node scripts/check-report.mjs runs/demo/report.html --screenshot runs/demo/report.png
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { atomicWriteFile } from "../src/io/files.js";
import { histogram, renderReport, type LayerHistograms, type ReportImage } from "../src/utils/report.js";

const out = process.argv[2] ?? "runs/demo/report.html";
const imageMode = process.argv.includes("--svg") ? "svg" : "png";

let seed = 42;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const randn = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

// Curves: a run that overfits a little.
const epochs = 15;
const trainLoss = Array.from({ length: epochs }, (_, e) => 2.2 * Math.exp(-e / 2.5) + 0.05 + 0.01 * rand());
const testLoss = Array.from({ length: epochs }, (_, e) => 2.1 * Math.exp(-e / 2.8) + 0.16 + 0.004 * (e - 6) ** 2 * (e > 6 ? 1 : 0) + 0.01 * rand());
const trainAcc = trainLoss.map((l) => Math.min(0.999, 1 - l / 2.6));
const testAcc = testLoss.map((l) => Math.min(0.99, 1 - l / 2.4));

// Weight histograms: fc1 under strong L2 collapses towards 0, fc2 stays healthy.
function layer(name: string, n: number, shrink: (e: number) => number): LayerHistograms {
  const w0 = Float32Array.from({ length: n }, () => randn() * 0.08);
  return {
    layer: name,
    epochs: Array.from({ length: 8 }, (_, k) => {
      const e = k * 2 + 1;
      const w = w0.map((v) => v * shrink(e) + randn() * 0.002);
      return { epoch: e, ...histogram(w, 40) };
    }),
  };
}

// Misclassified "digits": a 5×7 bitmap font, upscaled and blurred to look like 28×28 strokes.
const FONT: Record<string, string[]> = {
  "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
  "4": ["10010", "10010", "10010", "11111", "00010", "00010", "00010"],
  "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
  "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
  "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
  "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
};
function digit(ch: string, slant: number): Float32Array {
  // Bilinear upsampling of the 5×7 glyph joins its dots into strokes; a soft threshold inks them.
  const img = new Float32Array(28 * 28);
  const g = (gx: number, gy: number) => (gx >= 0 && gx < 5 && gy >= 0 && gy < 7 && FONT[ch][gy][gx] === "1" ? 1 : 0);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const gy = (y - 4) / 3.3;
      const gx = (x - 7 - slant * (3 - gy)) / 3.3;
      const x0 = Math.floor(gx);
      const y0 = Math.floor(gy);
      const fx = gx - x0;
      const fy = gy - y0;
      const v = (1 - fx) * (1 - fy) * g(x0, y0) + fx * (1 - fy) * g(x0 + 1, y0) + (1 - fx) * fy * g(x0, y0 + 1) + fx * fy * g(x0 + 1, y0 + 1);
      img[y * 28 + x] = Math.min(1, Math.max(0, (v - 0.25) * 2.2));
    }
  }
  return img;
}
const pairs: [string, string, number][] = [["4", "9", 0.83], ["7", "9", 0.61], ["3", "5", 0.55], ["8", "3", 0.72], ["9", "4", 0.66], ["5", "3", 0.58], ["9", "7", 0.49], ["3", "8", 0.52]];
const images: ReportImage[] = pairs.map(([t, p, conf], i) => ({
  pixels: digit(t, (i % 3) * 0.5 - 0.3),
  width: 28,
  height: 28,
  caption: `true ${t} → predicted ${p} (${Math.round(conf * 100)}%)`,
}));

// Confusion matrix of a ~97% classifier on 10 classes.
const labels = Array.from({ length: 10 }, (_, i) => String(i));
const matrix = labels.map((_, i) => labels.map((_, j) => (i === j ? 950 + Math.floor(rand() * 40) : rand() < 0.35 ? Math.floor(rand() * 12) : 0)));
matrix[4][9] = 23;
matrix[9][4] = 17;
matrix[7][2] = 14;

const html = renderReport(
  {
    title: "MNIST — MLP 784-256-10 with L2",
    config: { model: "mlp(784, 256, 10)", optimizer: "adam", lr: 0.001, weightDecay: { fc1: 0.05, fc2: 0 }, batchSize: 64, epochs, seed: 42, note: "<made-up data & demo>" },
    curves: { loss: { train: trainLoss, test: testLoss }, accuracy: { train: trainAcc, test: testAcc } },
    histograms: [layer("fc1.weight (weight decay 0.05)", 4000, (e) => Math.exp(-e / 5)), layer("fc2.weight (no weight decay)", 2560, (e) => 1 + e * 0.03)],
    confusion: { labels, matrix },
    images,
    notes: ["All numbers in this report are made up by examples/report-demo.ts.", "fc1 shows what too much L2 does: its weights collapse towards 0 epoch after epoch."],
  },
  { imageMode },
);
mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
await atomicWriteFile(out, html);
console.log(`wrote ${out} (${html.length} bytes, images as ${imageMode})`);
