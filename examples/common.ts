/**
 * What the examples share: `--flag value` parsing typed by the defaults, a "run me when executed
 * directly" check, and the logger type that lets tests run an example silently.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Generator, Tensor, noGrad, randperm } from "../src/index.js";
import { loadMnistSync } from "../src/data/index.js";

/** Where an example prints (console.log by default; tests pass a collector or a no-op). */
export type Log = (line: string) => void;

/**
 * Parses `--name value` / `--name=value` / `--flag` (booleans) into a copy of `defaults`, with each
 * value converted to the type of its default. Unknown flags throw with the list of known ones.
 *
 * @example parseFlags({ epochs: 5, lr: 0.1 }, ["--epochs", "20"]) // { epochs: 20, lr: 0.1 }
 */
export function parseFlags<T extends Record<string, number | string | boolean>>(defaults: T, argv: readonly string[] = process.argv.slice(2)): T {
  const out: Record<string, number | string | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      console.log(`flags (defaults):\n${Object.entries(defaults).map(([k, v]) => `  --${k} ${JSON.stringify(v)}`).join("\n")}`);
      process.exit(0);
    }
    if (!a.startsWith("--")) throw new Error(`example: unexpected argument "${a}"; flags look like --epochs 5`);
    const [name, inline] = a.slice(2).split("=", 2);
    if (!(name in defaults)) throw new Error(`example: unknown flag --${name} (known: ${Object.keys(defaults).map((k) => `--${k}`).join(", ")})`);
    const d = defaults[name];
    if (typeof d === "boolean") {
      out[name] = inline === undefined ? true : inline !== "false";
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new Error(`example: --${name} needs a value`);
    if (typeof d === "number") {
      const v = Number(raw);
      if (!Number.isFinite(v)) throw new Error(`example: --${name} must be a number, got "${raw}"`);
      out[name] = v;
    } else out[name] = raw;
  }
  return out as T;
}

/** True when `moduleUrl` (pass `import.meta.url`) is the script node was asked to run. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/** Seconds since `start` (a `performance.now()` value), for progress lines. */
export function since(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

/**
 * `n` MNIST digits from the `mnist` package, chosen by a seeded shuffle (the package stores them
 * class by class, so taking the first n would give only zeros), optionally only some classes and
 * optionally 2x average-pooled to 14x14 to keep the js backend fast. Pixels in [0,1].
 */
export function mnistSubset(opts: { n: number; seed: number; skip?: number; classes?: readonly number[]; downsample?: boolean }): { images: Tensor; labels: Tensor } {
  const all = loadMnistSync();
  const order = randperm(all.labels.shape[0], { generator: new Generator(opts.seed) }).data();
  const labels = all.labels.data();
  const keep: number[] = [];
  let skipped = 0;
  for (const i of order) {
    if (opts.classes && !opts.classes.includes(labels[i])) continue;
    if (skipped < (opts.skip ?? 0)) { skipped++; continue; }
    keep.push(i);
    if (keep.length === opts.n) break;
  }
  if (keep.length < opts.n) throw new Error(`mnistSubset: only ${keep.length} digits of classes [${opts.classes?.join(",")}] available, asked for ${opts.n}`);
  return noGrad(() => {
    const idx = Tensor.fromArray(Int32Array.from(keep), [keep.length], "int32");
    let images = all.images.indexSelect(0, idx);
    if (opts.downsample) images = images.reshape([keep.length, 1, 14, 2, 14, 2]).mean([3, 5]);
    return { images: images.contiguous(), labels: all.labels.indexSelect(0, idx).contiguous() };
  });
}
