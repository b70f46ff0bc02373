// Image decoding speed: fast-png and jpeg-js (after validation) on the main thread vs DecodePool worker threads.
// Run: node --import tsx bench/data-decode.ts   (prints numbers; never part of npm test)
import { data } from "../src/index.js";

const SIZES = [64, 256, 512];
const N = 64;

function photoLike(s: number): data.RawImage {
  const px = new Uint8Array(s * s * 3);
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
    const i = (y * s + x) * 3;
    px[i] = 128 + 100 * Math.sin(x / 9 + y / 23);
    px[i + 1] = 128 + 90 * Math.cos(y / 7);
    px[i + 2] = (x * y) & 255;
  }
  return { width: s, height: s, channels: 3, data: px };
}

for (const s of SIZES) {
  const img = photoLike(s);
  for (const [fmt, bytes] of [["png", data.encodePng(img)], ["jpeg", data.encodeJpeg(img, 90)]] as const) {
    data.decodeImage(bytes);
    let t = performance.now();
    for (let k = 0; k < N; k++) data.decodeImage(bytes);
    const main = (performance.now() - t) / N;
    const pool = new data.DecodePool({ workers: 2 });
    await Promise.all([pool.decode(bytes), pool.decode(bytes)]); // warm-up: start the threads
    t = performance.now();
    await Promise.all(Array.from({ length: N }, () => pool.decode(bytes)));
    const workers = (performance.now() - t) / N;
    await pool.close();
    console.log(`${fmt.padEnd(4)} ${String(s).padStart(3)}x${s}: ${(bytes.length / 1024).toFixed(0).padStart(4)} KiB, main thread ${main.toFixed(2)} ms/image, 2-worker pool ${workers.toFixed(2)} ms/image (throughput)`);
  }
}
