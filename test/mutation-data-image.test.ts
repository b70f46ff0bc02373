// The image decoding path against Pillow (scripts/fixtures/mutation_data.py) and its format checks:
// the cases session 10's mutation run of src/data/image found unchecked
// (docs/mutation/session-10-mutd.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { data } from "../src/index.js";
import { decodeImage as rawDecodeImage, finishDecode, imageFormat } from "../src/data/image/decode.js";
import { throwsWith as throwsExactly } from "./throws-with.js";

const FX = JSON.parse(readFileSync(new URL("./fixtures/mutation-data.json", import.meta.url), "utf8")) as {
  trns: Record<"grey" | "rgb", { png: string; RGBA: number[]; RGB: number[]; L: number[] }>;
  packed: Record<"1" | "2" | "4" | "16" | "16rgb", { png: string; values: number[]; L?: number[] }>;
};
const bytesOf = (b64: string): Uint8Array => Uint8Array.from(Buffer.from(b64, "base64"));

test("PNG tRNS colour keys (grey and RGB) become alpha as in Pillow: 0 where the key matches, 255 elsewhere", async () => {
  const pool = new data.DecodePool({ workers: 1 });
  try {
    for (const kind of ["grey", "rgb"] as const) {
      const bytes = Uint8Array.from(Buffer.from(FX.trns[kind].png, "base64"));
      for (const mode of ["RGBA", "RGB", "L"] as const) {
        const img = data.decodeImage(bytes, { mode });
        assert.equal(img.channels, mode.length, `${kind} ${mode}`);
        assert.deepEqual(Array.from(img.data), FX.trns[kind][mode], `${kind} ${mode}`);
      }
      // The worker threads run the same code.
      const viaPool = await pool.decode(bytes, { mode: "RGBA" });
      assert.deepEqual(Array.from(viaPool.data), FX.trns[kind].RGBA, `${kind} via the pool`);
    }
    // 16-bit PNGs through the pool: rounded to 8 bits unless keep16Bit, as on the main thread.
    const png16 = bytesOf(FX.packed["16"].png);
    assert.deepEqual(Array.from((await pool.decode(png16.slice(), { mode: "L" })).data), FX.packed["16"].values.map((v) => Math.round(v / 257)));
    assert.deepEqual(Array.from((await pool.decode(png16.slice(), { mode: "L", keep16Bit: true })).data), FX.packed["16"].values);
  } finally {
    await pool.close();
  }
});

test("imageFormat: a PNG signature needs 8 bytes and a JPEG one 3; anything else is neither", () => {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.equal(imageFormat(Uint8Array.from(png)), "png");
  assert.equal(imageFormat(Uint8Array.from(png.slice(0, 7))), null, "7 bytes of the signature");
  assert.equal(imageFormat(Uint8Array.from(png.slice(0, 4))), null);
  assert.equal(imageFormat(Uint8Array.of(0xff, 0xd8, 0xff)), "jpeg");
  assert.equal(imageFormat(Uint8Array.of(0xff, 0xd8)), null, "2 bytes of the JPEG signature");
  for (const k of [0, 1, 2, 3]) {
    const wrong = png.slice();
    wrong[k] ^= 1;
    assert.equal(imageFormat(Uint8Array.from(wrong)), null, `PNG signature byte ${k} changed`);
  }
  for (const k of [0, 1, 2]) {
    const wrong = [0xff, 0xd8, 0xff, 0xe0];
    wrong[k] ^= 1;
    assert.equal(imageFormat(Uint8Array.from(wrong)), null, `JPEG signature byte ${k} changed`);
  }
});

const tinyPng = (): Uint8Array => data.encodePng({ width: 2, height: 1, channels: 1, data: Uint8Array.of(0, 255) });

test("DecodePool: its option checks, its default thread count, and decode's argument checks (before any thread starts)", async () => {
  throwsExactly(() => new data.DecodePool(3 as never), "DecodePool: options must be an object like { workers: 2 }, got number 3");
  throwsExactly(() => new data.DecodePool({ worker: 2 } as never), "DecodePool: unknown option 'worker'; did you mean 'workers'? (it takes workers, maxHeapMb)");
  throwsExactly(() => new data.DecodePool({ maxHeapMb: 63 }), "DecodePool: maxHeapMb must be a number of MiB >= 64, got 63");
  throwsExactly(() => new data.DecodePool({ maxHeapMb: "99" as never }), "DecodePool: maxHeapMb must be a number of MiB >= 64, got 99");
  assert.equal(new data.DecodePool({ maxHeapMb: 64 }).maxHeapMb, 64);
  assert.equal(new data.DecodePool().maxHeapMb, 4096);
  throwsExactly(() => new data.DecodePool({ workers: 0 }), "DecodePool: workers must be a positive integer, got 0");
  throwsExactly(() => new data.DecodePool({ workers: 1.5 }), "DecodePool: workers must be a positive integer, got 1.5");
  const { availableParallelism } = await import("node:os");
  assert.equal(new data.DecodePool().workers, Math.max(1, Math.min(4, availableParallelism() - 1)), "one core left to the main thread, at most 4");
  const pool = new data.DecodePool({ workers: 1 });
  const bytes = tinyPng();
  const got = (v: unknown, what: string): Promise<void> =>
    assert.rejects(pool.decode(v as never), { message: `DecodePool.decode: image data: expected the file's bytes as a Uint8Array (or Buffer), got ${what}` });
  await got(null, "null");
  await got(undefined, "undefined");
  await got([1, 2], "Array");
  await got("png", "string");
  await got(Object.create(null), "an object");
  await assert.rejects(pool.decode(bytes, null as never), { message: 'DecodePool.decode: options must be an object like { mode: "RGB" }, got null' });
  await assert.rejects(pool.decode(bytes, 5 as never), { message: 'DecodePool.decode: options must be an object like { mode: "RGB" }, got number' });
  await assert.rejects(pool.decode(bytes, { mode: "CMYK" as never }), { message: 'DecodePool.decode: mode must be "RGB", "L" or "RGBA", got "CMYK"' });
  await assert.rejects(pool.decode(bytes, { maxPixels: 0 }), { message: "DecodePool.decode: maxPixels must be a positive number, got 0" });
  await assert.rejects(pool.decode(bytes, { maxBytes: "9" as never }), { message: "DecodePool.decode: maxBytes must be a positive number, got 9" });
  await assert.rejects(pool.decode(bytes, { maxBytes: bytes.length - 1, source: "t.png" }), { message: `DecodePool.decode: t.png is ${bytes.length} bytes, more than maxBytes (${bytes.length - 1}); pass a larger { maxBytes } to decode it` });
  assert.deepEqual(Array.from((await pool.decode(bytes, { maxBytes: bytes.length, mode: "L" })).data), [0, 255], "exactly maxBytes is allowed");
  // Closing rejects what is still pending, and every later decode.
  const pending = assert.rejects(pool.decode(bytes, { source: "late.png" }), { message: "DecodePool: closed before the image was decoded" });
  await pool.close();
  await pending;
  await assert.rejects(pool.decode(bytes), { message: "DecodePool: the pool is closed" });
});

test("PNG bit depths: 1, 2 and 4-bit grey rows ending mid-byte scale to 0..255 as Pillow; 16-bit keeps or rounds /257", () => {
  for (const depth of ["1", "2", "4"] as const) {
    const img = data.decodeImage(bytesOf(FX.packed[depth].png), { mode: "L" });
    assert.deepEqual([img.width, img.height, img.maxValue], [5, 3, 255], `${depth}-bit`);
    assert.deepEqual(Array.from(img.data), FX.packed[depth].L, `${depth}-bit`);
  }
  const grey16 = FX.packed["16"].values;
  const kept = data.decodeImage(bytesOf(FX.packed["16"].png), { mode: "L", keep16Bit: true });
  assert.ok(kept.data instanceof Uint16Array);
  assert.equal(kept.maxValue, 65535);
  assert.deepEqual(Array.from(kept.data), grey16);
  const eight = data.decodeImage(bytesOf(FX.packed["16"].png), { mode: "L" });
  assert.ok(eight.data instanceof Uint8Array);
  assert.equal(eight.maxValue, 255);
  assert.deepEqual(Array.from(eight.data), grey16.map((v) => Math.round(v / 257)));
  // 16-bit RGB as RGBA: the alpha channel added is the format's maximum.
  const rgba = data.decodeImage(bytesOf(FX.packed["16rgb"].png), { mode: "RGBA", keep16Bit: true });
  const [r0, g0, b0, r1, g1, b1] = FX.packed["16rgb"].values;
  assert.deepEqual(Array.from(rgba.data), [r0, g0, b0, 65535, r1, g1, b1, 65535]);
  const grey = data.decodeImage(bytesOf(FX.packed["16rgb"].png), { mode: "L", keep16Bit: true });
  assert.deepEqual(Array.from(grey.data), [Math.round(0.299 * r0 + 0.587 * g0 + 0.114 * b0), Math.round(0.299 * r1 + 0.587 * g1 + 0.114 * b1)]);
});

test("finishDecode refuses a decoder output whose layout does not add up; decodeImage names itself for a misspelt option", () => {
  const px = (channels: number, length: number) => ({ width: 2, height: 1, channels, data: new Uint8Array(length), maxValue: 255 });
  const layout = (n: number): string => `decodeImage: x.png: unexpected decoded layout (${n} values for 2x1)`;
  throwsExactly(() => finishDecode(px(0, 0), "RGB", "x.png"), layout(0));
  throwsExactly(() => finishDecode(px(5, 10), "RGB", "x.png"), layout(10));
  throwsExactly(() => finishDecode(px(3, 5), "RGB", "x.png"), layout(5));
  assert.deepEqual(Array.from(finishDecode(px(4, 8), "RGBA", "x.png").data), new Array(8).fill(0));
  assert.deepEqual(Array.from(finishDecode(px(1, 2), "L", "x.png").data), [0, 0]);
  throwsExactly(() => rawDecodeImage(tinyPng(), { mod: "L" } as never), "decodeImage: unknown option 'mod'; did you mean 'mode'? (it takes mode, keep16Bit, maxPixels, maxBytes, source)");
});

test("DecodePool: threads start on demand up to `workers`, the least busy takes the next file; transfer moves only a whole buffer", async () => {
  type Inside = { slots: { busy: number }[] };
  const bytes = tinyPng();
  const pool = new data.DecodePool({ workers: 2 });
  try {
    // One file at a time: one thread is enough.
    for (let k = 0; k < 3; k++) await pool.decode(bytes);
    assert.equal((pool as unknown as Inside).slots.length, 1);
    // Three at once: a second thread starts, no third.
    await Promise.all([pool.decode(bytes), pool.decode(bytes), pool.decode(bytes)]);
    assert.equal((pool as unknown as Inside).slots.length, 2);
    assert.deepEqual((pool as unknown as Inside).slots.map((s) => s.busy), [0, 0], "every job counted out again");
    // transfer: true moves a buffer the array owns whole; a view into a larger buffer is copied.
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 5);
    const view = big.subarray(5, 5 + bytes.length);
    assert.deepEqual(Array.from((await pool.decode(view, { transfer: true, mode: "L" })).data), [0, 255]);
    assert.equal(big.length, bytes.length + 10, "the larger buffer is not detached");
    const head = new Uint8Array(bytes.length + 10);
    head.set(bytes, 0);
    await pool.decode(head.subarray(0, bytes.length), { transfer: true });
    assert.equal(head.length, bytes.length + 10, "nor is one that the view starts, but is longer than it");
    const own = bytes.slice();
    await pool.decode(own, { transfer: true });
    assert.equal(own.length, 0, "a whole buffer is moved to the thread");
    const kept = bytes.slice();
    await pool.decode(kept);
    assert.equal(kept.length, bytes.length, "without transfer the caller keeps its bytes");
  } finally {
    await pool.close();
  }
});
