// Hostile image files: structural validation, limits, agreement with Pillow on a committed corpus
// (scripts/fixtures/images.py), and no pixel ever made of anything but the file's data.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { createHash } from "node:crypto";
import { data } from "../src/index.js";
import { bombPng, greyPng, ihdr, jpegWithSize, pngChunk, pngFile } from "../fuzz/craft.js";

const { decodeImage, DecodePool, ImageFolder } = data;

interface Entry { name: string; base: string; mutation: string; ok: boolean; sha256: string | null; b64: string }
const corpus = JSON.parse(fs.readFileSync(new URL("./fixtures/images/corpus.json", import.meta.url), "utf8")) as { entries: Entry[] };
const bytesOf = (e: Entry): Uint8Array => new Uint8Array(Buffer.from(e.b64, "base64"));
const sha = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): string =>
  createHash("sha256").update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");

function outcome(bytes: Uint8Array, source: string): { ok: true; sha: string } | { ok: false; msg: string } {
  try {
    return { ok: true, sha: sha(decodeImage(bytes, { source }).data) };
  } catch (e) {
    return { ok: false, msg: (e as Error).message };
  }
}

test("corpus: every file Pillow rejects is rejected, and PNGs Pillow accepts decode to Pillow's exact RGB pixels", () => {
  let rejected = 0, exact = 0;
  for (const e of corpus.entries) {
    const r = outcome(bytesOf(e), e.name);
    if (!e.ok) {
      assert.ok(!r.ok, `${e.name} (${e.mutation}) is rejected by Pillow but decoded`);
      assert.match(r.msg, new RegExp(`^decodeImage: ${e.name.replace(/[.#]/g, "\\$&")}`), "errors name the file");
      rejected++;
      continue;
    }
    if (!r.ok) {
      // Stricter than Pillow, on purpose: Pillow checks neither the image data's CRC nor that IEND is
      // complete; libpng rejects both. JPEG: jpeg-js rejects some damaged entropy data libjpeg patches over.
      assert.match(r.msg, /CRC|IEND|chunk type|truncated|huffman|ACn|marker/, `${e.name}: ${r.msg}`);
      continue;
    }
    if (e.base.endsWith(".png") && e.base !== "grey16.png") {
      assert.equal(r.sha, e.sha256, `${e.name}: pixels differ from Pillow's`);
      exact++;
    }
  }
  assert.equal(rejected, corpus.entries.filter((e) => !e.ok).length);
  assert.ok(exact >= 7, `every PNG colour type compared with Pillow (${exact})`);
});

test("JPEG tables: the rules libjpeg applies to DQT, DHT and SOS are checked (Pillow rejects each of these files)", () => {
  // rgb.jpg: DQT 0 at byte 20, DHT DC0 at 177 (counts from 182), AC0 at 210, DC1 at 393, SOS at 609.
  const base = bytesOf(corpus.entries.find((e) => e.name === "rgb.jpg")!);
  const edit = (at: Record<number, number>): Uint8Array => {
    const d = base.slice();
    for (const [i, v] of Object.entries(at)) d[Number(i)] = v;
    return d;
  };
  const cases: [Record<number, number>, RegExp][] = [
    [{ 214: 0xd0 }, /Huffman table with class 13 and id 0 \(classes 0-1 and ids 0-3 exist\)/],
    [{ 423: 0x11 }, /DC Huffman table 1 has symbol 17 \(a DC table's symbols are 0-15\)/],
    [{ 182: 2, 183: 0, 184: 4 }, /DC Huffman table 0 has more codes of length 1 than fit/],
    [{ 24: 5 }, /quantisation table with precision 0 and id 5/],
    [{ 24: 0x20 }, /quantisation table with precision 2 and id 0/],
    [{ 614: 7 }, /scan 1 names component id 7, which the frame header does not declare/],
    [{ 617: 0x22 }, /scan 1 uses DC Huffman table 2, which is not defined/],
  ];
  for (const [at, re] of cases) assert.throws(() => decodeImage(edit(at), { source: "t.jpg" }), (e: Error) => /^decodeImage: t\.jpg is a corrupt or truncated JPEG/.test(e.message) && re.test(e.message), `${JSON.stringify(at)}`);
  const dri = new Uint8Array([...base.subarray(0, 20), 0xff, 0xdd, 0, 5, 0, 1, 0, ...base.subarray(20)]);
  assert.throws(() => decodeImage(dri), /restart interval segment of 5 bytes \(expected 4\)/);
  assert.equal(decodeImage(base).width, 16, "the unedited file decodes");
});

test("truncation: no prefix of a valid PNG or JPEG decodes (the old decoder returned leftover memory)", () => {
  for (const e of corpus.entries.filter((x) => x.mutation === "none")) {
    const full = bytesOf(e);
    assert.equal(outcome(full, e.name).ok, true, e.name);
    for (let n = 0; n < full.length; n++) {
      const r = outcome(full.slice(0, n), `${e.name}[:${n}]`);
      assert.equal(r.ok, false, `${e.name} cut to ${n} of ${full.length} bytes decoded`);
    }
  }
});

test("PNG structure: chunk order, CRCs, IHDR fields and palettes are checked", () => {
  const idat = pngChunk("IDAT", zlib.deflateSync(new Uint8Array([0, 7, 0, 9])));
  const plte = pngChunk("PLTE", [1, 2, 3, 4, 5, 6]);
  const cases: [string, Uint8Array, RegExp][] = [
    ["first chunk not IHDR", pngFile(idat, pngChunk("IHDR", ihdr(1, 2)), pngChunk("IEND")), /the first chunk is IDAT, expected IHDR/],
    ["bad CRC", pngFile(pngChunk("IHDR", ihdr(1, 2), 12345), idat, pngChunk("IEND")), /chunk IHDR at byte 8 fails its CRC check/],
    ["no IEND", pngFile(pngChunk("IHDR", ihdr(1, 2)), idat), /before the IEND chunk/],
    ["no IDAT", pngFile(pngChunk("IHDR", ihdr(1, 2)), pngChunk("IEND")), /no image data \(IDAT\)/],
    ["IDAT split by another chunk", pngFile(pngChunk("IHDR", ihdr(1, 2)), idat, pngChunk("tEXt", [65, 0, 66]), idat, pngChunk("IEND")), /IDAT chunks are not consecutive/],
    ["PLTE after IDAT", pngFile(pngChunk("IHDR", ihdr(1, 2, 8, 2)), idat, plte, pngChunk("IEND")), /PLTE after the image data/],
    ["palette without PLTE", pngFile(pngChunk("IHDR", ihdr(1, 2, 8, 3)), idat, pngChunk("IEND")), /palette image without a PLTE/],
    ["PLTE in grey", pngFile(pngChunk("IHDR", ihdr(1, 2)), plte, idat, pngChunk("IEND")), /PLTE chunk in a greyscale image/],
    ["bad depth", pngFile(pngChunk("IHDR", ihdr(1, 2, 4, 2)), idat, pngChunk("IEND")), /bit depth 4 with colour type 2 is not a valid combination/],
    ["zero width", pngFile(pngChunk("IHDR", ihdr(0, 2)), idat, pngChunk("IEND")), /IHDR declares a 0x2 image/],
    ["unknown critical chunk", pngFile(pngChunk("IHDR", ihdr(1, 2)), pngChunk("ZZZZ", [1]), idat, pngChunk("IEND")), /unknown critical chunk ZZZZ/],
    ["length beyond file", pngFile(pngChunk("IHDR", ihdr(1, 2)), Uint8Array.from([0x7f, 0, 0, 0, 73, 68, 65, 84, 1, 2, 3, 4])), /chunk IDAT at byte 33 declares 2130706432 bytes/],
    ["short image data", pngFile(pngChunk("IHDR", ihdr(2, 2)), idat, pngChunk("IEND")), /inflates to 4 bytes, a 2x2 image needs 6/],
    ["adler-32", pngFile(pngChunk("IHDR", ihdr(1, 2)), pngChunk("IDAT", (() => { const z = zlib.deflateSync(new Uint8Array([0, 7, 0, 9])); z[z.length - 1] ^= 1; return z; })()), pngChunk("IEND")), /not a valid zlib stream \(incorrect data check\)/],
  ];
  assert.deepEqual(Array.from(decodeImage(pngFile(pngChunk("IHDR", ihdr(1, 2)), idat, pngChunk("IEND")), { mode: "L" }).data), [7, 9]);
  for (const [what, bytes, re] of cases) {
    assert.throws(() => decodeImage(bytes, { source: "x.png" }), (e: Error) => {
      assert.match(e.message, /^decodeImage: x\.png is a corrupt or truncated PNG \(/, what);
      assert.match(e.message, re, what);
      return true;
    }, what);
  }
});

test("limits: maxPixels is checked before any pixel is decoded, bombs stop at the size the header implies, maxBytes first of all", () => {
  // 2x2 grey needs 6 inflated bytes; this one inflates to 64 MB from ~64 KB. Built before the clock
  // starts: compressing 64 MB is the test's cost, not the decoder's.
  const bomb = bombPng(2, 2, 64 * 1024 * 1024);
  assert.ok(bomb.length < 100_000);
  const t0 = performance.now();
  assert.throws(() => decodeImage(pngFile(pngChunk("IHDR", ihdr(100000, 100000)), pngChunk("IDAT", zlib.deflateSync(new Uint8Array(10))), pngChunk("IEND")), { source: "huge.png" }),
    /decodeImage: huge\.png: the image is 100000x100000 = 10000000000 pixels, more than maxPixels \(89478485\); pass a larger \{ maxPixels \} to decode it$/);
  assert.throws(() => decodeImage(jpegWithSize(65535, 65535), { source: "huge.jpg" }), /huge\.jpg: the image is 65535x65535 = 4294836225 pixels, more than maxPixels/);
  assert.throws(() => decodeImage(greyPng(30, 30), { maxPixels: 899 }), /30x30 = 900 pixels, more than maxPixels \(899\)/);
  assert.equal(decodeImage(greyPng(30, 30), { maxPixels: 900, mode: "L" }).data.length, 900);
  assert.throws(() => decodeImage(bomb, { source: "bomb.png" }), /bomb\.png is a corrupt or truncated PNG \(the image data inflates to more than the 6 bytes the header implies/);
  assert.ok(performance.now() - t0 < 5000, "limits answer without decoding");
  assert.throws(() => decodeImage(greyPng(4, 4), { source: "big.png", maxBytes: 10 }), /decodeImage: big\.png is \d+ bytes, more than maxBytes \(10\); pass a larger \{ maxBytes \} to decode it$/);
  assert.throws(() => decodeImage(jpegWithSize(8, 8, 0xc3)), /unsupported JPEG process \(SOF marker 0xffc3/);
});

test("decodeImage checks its arguments at runtime", () => {
  assert.throws(() => decodeImage(null as unknown as Uint8Array), /^Error: data\.decodeImage: bytes must be the file's bytes \(a Uint8Array or Buffer\), got null$/);
  assert.throws(() => decodeImage("cat.png" as unknown as Uint8Array), /^Error: data\.decodeImage: bytes must be the file's bytes \(a Uint8Array or Buffer\), got string "cat\.png"$/);
  assert.throws(() => decodeImage(greyPng(2, 2), { mode: "CMYK" as "RGB" }), /decodeImage: mode must be "RGB", "L" or "RGBA", got "CMYK"/);
  assert.throws(() => decodeImage(greyPng(2, 2), { maxPixels: -1 }), /decodeImage: maxPixels must be a positive number, got -1/);
  assert.throws(() => decodeImage(new Uint8Array(0), { source: "empty.png" }), /empty\.png is neither PNG nor JPEG \(it starts with nothing: the file is empty\)/);
});

test("DecodePool and ImageFolder apply the same checks and limits; the pool survives bad files", async () => {
  const pool = new DecodePool({ workers: 1 });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-hostile-img-"));
  try {
    await assert.rejects(pool.decode(bombPng(2, 2, 8 * 1024 * 1024), { source: "bomb.png" }), /bomb\.png is a corrupt or truncated PNG \(the image data inflates to more than the 6 bytes/);
    await assert.rejects(pool.decode(greyPng(30, 30), { source: "p.png", maxPixels: 10 }), /decodeImage: p\.png: the image is 30x30 = 900 pixels, more than maxPixels \(10\)/);
    await assert.rejects(pool.decode(greyPng(30, 30), { maxBytes: 5 }), /DecodePool\.decode: image data is \d+ bytes, more than maxBytes \(5\)/);
    const cut = greyPng(5, 5);
    await assert.rejects(pool.decode(cut.slice(0, cut.length - 13), { source: "cut.png" }), /cut\.png is a corrupt or truncated PNG \(truncated/);
    const ok = await pool.decode(greyPng(3, 1, (x) => x * 100), { mode: "L" });
    assert.deepEqual(Array.from(ok.data), [0, 100, 200]);

    fs.mkdirSync(path.join(root, "a"));
    fs.writeFileSync(path.join(root, "a", "1.png"), greyPng(20, 20));
    await assert.rejects(new ImageFolder(root, { maxBytes: 50 }).getItem(0), /ImageFolder: .*1\.png is \d+ bytes, more than maxBytes \(50\); pass a larger \{ maxBytes \}/);
    await assert.rejects(new ImageFolder(root, { maxPixels: 100 }).getItem(0), /1\.png: the image is 20x20 = 400 pixels, more than maxPixels \(100\)/);
    await assert.rejects(new ImageFolder(root, { maxPixels: 100, decode: pool }).getItem(0), /the image is 20x20 = 400 pixels, more than maxPixels \(100\)/);
    assert.deepEqual((await new ImageFolder(root, { mode: "L" }).getItem(0)).image.shape, [1, 20, 20]);
    assert.throws(() => new ImageFolder(null as unknown as string), /ImageFolder: root must be a directory path string, got null/);
  } finally {
    await pool.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
