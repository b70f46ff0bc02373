// PNG/JPEG decoding (main thread and worker pool) and ImageFolder over files the test writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Generator, type Tensor, data } from "../src/index.js";

const { decodeImage, encodePng, encodeJpeg, DecodePool, ImageFolder, DataLoader } = data;

function gradient(w: number, h: number, shift: number): data.RawImage {
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    px[i] = (x * 16 + shift) & 255;
    px[i + 1] = (y * 16) & 255;
    px[i + 2] = 128;
  }
  return { width: w, height: h, channels: 3, data: px };
}

test("PNG decodes losslessly, JPEG closely; modes RGB/L/RGBA; bad bytes name the file", () => {
  const img = gradient(8, 6, 0);
  const png = decodeImage(encodePng(img), { source: "g.png" });
  assert.deepEqual([png.width, png.height, png.channels], [8, 6, 3]);
  assert.deepEqual(Array.from(png.data), Array.from(img.data));
  const fromPlain = decodeImage(Uint8Array.from(encodePng(img)));
  assert.deepEqual(Array.from(fromPlain.data), Array.from(img.data), "a plain Uint8Array decodes too");
  const grey = decodeImage(encodePng(img), { mode: "L" });
  assert.equal(grey.channels, 1);
  assert.equal(grey.data[1], Math.round(0.299 * 16 + 0.587 * 0 + 0.114 * 128));
  assert.equal(decodeImage(encodePng(img), { mode: "RGBA" }).data[3], 255);
  const jpg = decodeImage(encodeJpeg(img, 95), { source: "g.jpg" });
  assert.deepEqual([jpg.width, jpg.height, jpg.channels], [8, 6, 3]);
  let err = 0;
  for (let i = 0; i < jpg.data.length; i++) err = Math.max(err, Math.abs(jpg.data[i] - img.data[i]));
  assert.ok(err < 24, `JPEG max error ${err}`);
  const bytes = encodePng(img);
  assert.throws(() => decodeImage(bytes.subarray(0, 40), { source: "cut.png" }), /cut\.png is a corrupt or truncated PNG/);
  assert.throws(() => decodeImage(new Uint8Array([1, 2, 3, 4]), { source: "notes.txt" }), /notes\.txt is neither PNG nor JPEG \(it starts with 0x01 0x02 0x03 0x04\)/);
  const j = encodeJpeg(img);
  assert.throws(() => decodeImage(j.subarray(0, 30), { source: "cut.jpg" }), /cut\.jpg is a corrupt or truncated JPEG/);
});

test("ImageFolder: classes from directories, labels, worker decoding matches main thread, errors name files", async () => {
  const root = mkdtempSync(join(tmpdir(), "deeptype-imgs-"));
  const pool = new DecodePool({ workers: 2 });
  try {
    for (const [k, cls] of ["cat", "dog", "eel"].entries()) {
      mkdirSync(join(root, cls, "sub"), { recursive: true });
      for (let i = 0; i < 3; i++) {
        const img = gradient(8, 8, k * 40 + i);
        writeFileSync(join(root, cls, `${i}.png`), encodePng(img));
      }
      writeFileSync(join(root, cls, "sub", "x.jpg"), encodeJpeg(gradient(8, 8, k), 90));
      writeFileSync(join(root, cls, "readme.txt"), "not an image");
    }
    const ds = new ImageFolder(root);
    assert.deepEqual(ds.classes, ["cat", "dog", "eel"]);
    assert.equal(ds.length, 12);
    assert.deepEqual(ds.targets, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    const s = await ds.getItem(5);
    assert.deepEqual(s.image.shape, [3, 8, 8]);
    assert.equal(s.label.item(), 1);
    assert.equal(s.label.dtype, "int64");
    assert.ok(Math.abs(s.image.data()[1] - ((16 + 41) & 255) / 255) < 1e-6, "pixel (0,1) red of dog/1.png");

    // The pool copies the caller's bytes unless told it may take them.
    const bytes = Uint8Array.from(encodePng(gradient(4, 4, 9)));
    const fromPool = await pool.decode(bytes, { source: "mine.png" });
    assert.equal(bytes.length > 0, true, "caller's bytes are still usable");
    assert.deepEqual(Array.from(fromPool.data), Array.from(decodeImage(bytes).data));
    await pool.decode(bytes, { transfer: true });
    assert.equal(bytes.length, 0, "transfer: true moves the buffer to the worker");
    await assert.rejects(pool.decode(new Uint8Array([0xff, 0xd8, 0xff, 0, 1]), { source: "cut.jpg" }), /cut\.jpg is a corrupt or truncated JPEG/);

    const viaPool = new ImageFolder(root, { decode: pool, transform: new data.RandomHorizontalFlip({ p: 0 }) });
    const loader = new DataLoader(viaPool, { batchSize: 5, shuffle: true, generator: new Generator(0) });
    const mainLoader = new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(0) });
    const a: Tensor[] = [], b: Tensor[] = [];
    for await (const batch of loader) a.push(batch.image, batch.label);
    for await (const batch of mainLoader) b.push(batch.image, batch.label);
    assert.equal(a.length, 6);
    assert.deepEqual(a.map((t) => t.shape), b.map((t) => t.shape));
    a.forEach((t, k) => assert.deepEqual(Array.from(t.data()), Array.from(b[k].data()), `batch part ${k} equal`));

    writeFileSync(join(root, "dog", "broken.png"), encodePng(gradient(8, 8, 0)).subarray(0, 50));
    const withBroken = new ImageFolder(root, { decode: pool });
    const idx = withBroken.samples.findIndex(([p]) => p.endsWith("broken.png"));
    await assert.rejects(withBroken.getItem(idx), /broken\.png is a corrupt or truncated PNG/);
    await assert.rejects(new ImageFolder(root).getItem(idx), /broken\.png is a corrupt or truncated PNG/);
    assert.throws(() => new ImageFolder(join(root, "nope")), /cannot read the directory .*nope/);
    mkdirSync(join(root, "empty"));
    assert.throws(() => new ImageFolder(root), /class directory .*empty has no files with extensions \.png, \.jpg, \.jpeg/);
    await assert.rejects(ds.getItem(99), /ImageFolder.getItem: index 99 is out of range/);
  } finally {
    await pool.close();
    rmSync(root, { recursive: true, force: true });
  }
});
