// Which PNG/JPEG decoders deeptype uses, and why: speed on MNIST-size (28x28) and 256x256 images and
// agreement with Pillow on the committed corpus of corrupted files (test/fixtures/images/corpus.json).
// The candidates deeptype does not depend on are installed without saving:
//   npm i --no-save pngjs@7.0.0 @jsquash/png@3.1.1 @jsquash/jpeg@1.6.0
//   node --import tsx scripts/compare-image-decoders.ts
import fs from "node:fs";
import { createRequire } from "node:module";
import { data } from "../src/index.js";

const require = createRequire(import.meta.url);
const dec: Record<string, (b: Uint8Array) => unknown> = {};
const add = async (name: string, load: () => Promise<(b: Uint8Array) => unknown>): Promise<void> => {
  try {
    dec[name] = await load();
  } catch (e) {
    console.log(`${name}: not installed (${(e as Error).message.split("\n")[0]})`);
  }
};
await add("deeptype (validate + fast-png / jpeg-js)", async () => (b) => data.decodeImage(b));
await add("fast-png alone", async () => {
  const fp = require("fast-png");
  return (b) => fp.decode(b, { checkCrc: true });
});
await add("jpeg-js alone", async () => {
  const j = require("jpeg-js");
  return (b) => j.decode(b, { useTArray: true, formatAsRGBA: false });
});
await add("pngjs", async () => {
  const p = require("pngjs");
  return (b) => p.PNG.sync.read(Buffer.from(b));
});
await add("@jsquash/png (wasm)", async () => {
  const m = await import("@jsquash/png/decode.js" as string);
  await m.init(fs.readFileSync(require.resolve("@jsquash/png/codec/pkg/squoosh_png_bg.wasm")));
  return (b) => m.default(b);
});
await add("@jsquash/jpeg (wasm)", async () => {
  const m = await import("@jsquash/jpeg/decode.js" as string);
  await m.init(await WebAssembly.compile(fs.readFileSync(require.resolve("@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm"))));
  return (b) => m.default(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
});
const forFormat = (name: string, fmt: "png" | "jpeg"): boolean => name.startsWith("deeptype") || (fmt === "png" ? /png/i.test(name) : /jpe?g/i.test(name));

function photoLike(s: number, c: number): data.RawImage {
  const px = new Uint8Array(s * s * c);
  let seed = 1;
  for (let i = 0; i < px.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const p = Math.floor(i / c), x = p % s, y = Math.floor(p / s);
    px[i] = Math.max(0, Math.min(255, 128 + 60 * Math.sin(x / 7) + 60 * Math.cos(y / 11) + ((seed >> 16) % 25) - 12));
  }
  return { width: s, height: s, channels: c, data: px };
}

console.log("speed (µs per image, main thread, median of 5 runs):");
for (const [label, img] of [["28x28 grey", photoLike(28, 1)], ["256x256 RGB", photoLike(256, 3)]] as const) {
  for (const fmt of ["png", "jpeg"] as const) {
    const bytes = fmt === "png" ? data.encodePng(img) : data.encodeJpeg(img, 90);
    const reps = img.width === 28 ? 2000 : 100;
    for (const [name, f] of Object.entries(dec)) {
      if (!forFormat(name, fmt)) continue;
      for (let i = 0; i < 20; i++) await f(bytes);
      const runs: number[] = [];
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        for (let i = 0; i < reps; i++) await f(bytes);
        runs.push(((performance.now() - t) / reps) * 1000);
      }
      console.log(`  ${label} ${fmt.padEnd(4)} ${name.padEnd(42)} ${runs.sort((a, b) => a - b)[2].toFixed(0).padStart(6)}`);
    }
  }
}

const corpus = JSON.parse(fs.readFileSync(new URL("../test/fixtures/images/corpus.json", import.meta.url), "utf8")) as { entries: { base: string; ok: boolean; b64: string }[] };
console.log(`agreement with Pillow on ${corpus.entries.length} corpus files (accepted although Pillow rejects / rejected although Pillow accepts):`);
for (const [name, f] of Object.entries(dec)) {
  for (const fmt of ["png", "jpeg"] as const) {
    if (!forFormat(name, fmt)) continue;
    let acceptBad = 0, rejectGood = 0, n = 0;
    for (const e of corpus.entries) {
      if (e.base.endsWith(".png") !== (fmt === "png")) continue;
      n++;
      let ok = true;
      try {
        await f(new Uint8Array(Buffer.from(e.b64, "base64")));
      } catch {
        ok = false;
      }
      if (ok && !e.ok) acceptBad++;
      if (!ok && e.ok) rejectGood++;
    }
    console.log(`  ${fmt.padEnd(4)} ${name.padEnd(42)} ${acceptBad} / ${rejectGood} of ${n}`);
  }
}
