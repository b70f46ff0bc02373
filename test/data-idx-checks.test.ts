// The IDX reader at its edges: each magic byte, headers exactly as long as the file, limits that are
// inclusive, 0-d files, and loadIdxImages' shape checks, with exact messages (the file is untrusted).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readIdx, loadIdxImages, loadIdxFile } from "../src/data/datasets/idx.js";

function ubyte(shape: number[], values: number[]): Uint8Array {
  const head = 4 + 4 * shape.length;
  const buf = new Uint8Array(head + values.length);
  const v = new DataView(buf.buffer);
  buf[2] = 0x08;
  buf[3] = shape.length;
  shape.forEach((s, d) => v.setUint32(4 + 4 * d, s, false));
  buf.set(values, head);
  return buf;
}
const refuses = (fn: () => unknown, message: string): void => {
  assert.throws(fn, (e: Error) => (assert.equal(e.message, message), true));
};
const MAGIC = "expected 0x00 0x00 and a type code (0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float, 0x0e double)";

test("readIdx: the magic bytes, each checked", () => {
  const good = ubyte([2], [1, 2]);
  const withByte = (i: number, b: number): Uint8Array => {
    const c = good.slice();
    c[i] = b;
    return c;
  };
  refuses(() => readIdx(withByte(0, 0x01), "f"), `readIdx: f is not an IDX file: it starts with 0x01 0x00 0x08, ${MAGIC}`);
  refuses(() => readIdx(withByte(1, 0x02), "f"), `readIdx: f is not an IDX file: it starts with 0x00 0x02 0x08, ${MAGIC}`);
  refuses(() => readIdx(withByte(2, 0x0a), "f"), `readIdx: f is not an IDX file: it starts with 0x00 0x00 0x0a, ${MAGIC}`);
  refuses(() => readIdx(withByte(2, 0xff), "f"), `readIdx: f is not an IDX file: it starts with 0x00 0x00 0xff, ${MAGIC}`);
  // A gzip magic needs both bytes: 0x1f alone is just a bad first byte.
  refuses(() => readIdx(withByte(0, 0x1f), "f"), `readIdx: f is not an IDX file: it starts with 0x1f 0x00 0x08, ${MAGIC}`);
  refuses(() => readIdx(Uint8Array.of(0, 0, 8), "f"), "readIdx: f is truncated: 3 bytes, shorter than the 4-byte IDX header");
  refuses(() => readIdx(new Uint8Array(0)), "readIdx: IDX data is truncated: 0 bytes, shorter than the 4-byte IDX header");
  const notGzip = new Uint8Array(16);
  notGzip.set([0x1f, 0x8b]);
  assert.throws(() => readIdx(notGzip, "z.gz"), (e: Error) => e.message.startsWith("readIdx: z.gz is a corrupt or truncated gzip file (") && e.message.endsWith(")"));
});

test("readIdx: header lengths, 0-d files, empty data and values of every type", () => {
  // A 0-d file: the header is the 4-byte magic, one value follows.
  const scalar = readIdx(Uint8Array.of(0, 0, 0x08, 0, 42), "s");
  assert.deepEqual(scalar.shape, []);
  assert.equal(scalar.item(), 42);
  refuses(() => readIdx(Uint8Array.of(0, 0, 0x08, 0), "s"), "readIdx: s is truncated: shape [] of ubyte needs 1 data bytes but only 0 follow the header");
  // A header exactly as long as the file, with a zero dim: no data, no error.
  const empty = readIdx(ubyte([0, 5], []), "e");
  assert.deepEqual(empty.shape, [0, 5]);
  refuses(() => readIdx(ubyte([0, 5], []).subarray(0, 11), "e"), "readIdx: e is truncated: its header declares 2 dims (12 header bytes) but the file has 11 bytes");
  refuses(() => readIdx(Uint8Array.of(0, 0, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0), "i"), "readIdx: i is truncated: shape [2] of int needs 8 data bytes but only 6 follow the header");
  refuses(() => readIdx(Uint8Array.of(0, 0, 0x0b, 1, 0, 0, 0, 1, 0, 1, 9), "s"), "readIdx: s has 1 unexpected bytes after the data of shape [1] short; the file is corrupt or not what its header says");
  // Big-endian values of each type from the same bytes.
  const be = (code: number, ...data: number[]): number[] => readIdx(Uint8Array.of(0, 0, code, 1, 0, 0, 0, 2, ...data)).tolist() as number[];
  assert.deepEqual(be(0x08, 0xff, 0x01), [255, 1]);
  assert.deepEqual(be(0x09, 0xff, 0x01), [-1, 1]);
  assert.deepEqual(be(0x0b, 0xff, 0xfe, 0x01, 0x00), [-2, 256]);
  assert.deepEqual(be(0x0c, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x01, 0x00), [-2, 256]);
  assert.deepEqual(be(0x0d, 0x3f, 0xc0, 0, 0, 0xc0, 0x10, 0, 0), [1.5, -2.25]);
  assert.deepEqual(be(0x0e, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0, 0x02, 0, 0, 0, 0, 0, 0), [1.5, -2.25]);
  // The ubyte copy reads from the header's end, also for a view into a larger buffer.
  const big = new Uint8Array(20);
  big.set(ubyte([3], [7, 8, 9]), 5);
  assert.deepEqual(readIdx(big.subarray(5, 16)).tolist(), [7, 8, 9]);
  assert.deepEqual(readIdx(ubyte([2, 2], [1, 2, 3, 4]).buffer as ArrayBuffer).tolist(), [[1, 2], [3, 4]]);
});

test("readIdx: maxBytes is inclusive, for the file, the header's claim and the inflated size", () => {
  const file = ubyte([3], [1, 2, 3]);
  assert.deepEqual(readIdx(file, "f", { maxBytes: 11 }).tolist(), [1, 2, 3]);
  refuses(() => readIdx(file, "f", { maxBytes: 10 }), "readIdx: f is 11 bytes, more than maxBytes (10); pass a larger { maxBytes } to read it");
  const claims = ubyte([10], []);
  refuses(() => readIdx(claims, "c", { maxBytes: 17 }), "readIdx: c declares shape [10] of ubyte (10 bytes), more than maxBytes (17); pass a larger { maxBytes } to read it");
  refuses(() => readIdx(claims, "c", { maxBytes: 18 }), "readIdx: c is truncated: shape [10] of ubyte needs 10 data bytes but only 0 follow the header");
  const ints = Uint8Array.of(0, 0, 0x0c, 1, 0, 0, 0, 3);
  refuses(() => readIdx(ints, "i", { maxBytes: 19 }), "readIdx: i declares shape [3] of int (12 bytes), more than maxBytes (19); pass a larger { maxBytes } to read it");
  const gz = gzipSync(ubyte([100], new Array(100).fill(0)));
  assert.ok(gz.length < 100);
  assert.deepEqual(readIdx(gz, "g.gz", { maxBytes: 108 }).shape, [100]);
  refuses(() => readIdx(gz, "g.gz", { maxBytes: 107 }), "readIdx: g.gz decompresses to more than maxBytes (107 bytes); pass a larger { maxBytes } to read it");
  for (const bad of [0, -1, Number.NaN]) refuses(() => readIdx(file, "f", { maxBytes: bad }), `readIdx: maxBytes must be a positive number, got ${bad}`);
  refuses(() => readIdx(file, "f", { maxBytes: "5" as never }), "readIdx: maxBytes must be a positive number, got 5");
  refuses(() => readIdx(file, 3 as never), "readIdx: source must be a string naming the data, got number");
  refuses(() => readIdx([0, 0, 8, 0, 1] as never, "f"), "readIdx: f: expected the file's bytes as a Uint8Array or ArrayBuffer, got Array");
  refuses(() => readIdx("abc" as never, "f"), "readIdx: f: expected the file's bytes as a Uint8Array or ArrayBuffer, got string");
  refuses(() => readIdx(null as never, "f"), "readIdx: f: expected the file's bytes as a Uint8Array or ArrayBuffer, got null");
  refuses(() => readIdx(Object.create(null) as never, "f"), "readIdx: f: expected the file's bytes as a Uint8Array or ArrayBuffer, got an object");
});

test("loadIdxImages: shapes and counts checked, pixels scaled by 1/255, labels int64", async () => {
  const dir = mkdtempSync(join(tmpdir(), "deeptype-idx-checks-"));
  const put = (name: string, bytes: Uint8Array): string => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  try {
    const imgs = put("imgs", ubyte([2, 1, 2], [0, 255, 51, 102]));
    const labels = put("labels", Uint8Array.of(0, 0, 0x09, 1, 0, 0, 0, 2, 0xff, 3));
    const both = await loadIdxImages(imgs, labels);
    assert.deepEqual(both.images.shape, [2, 1, 1, 2]);
    assert.deepEqual(Array.from(both.images.data()), [0, 1, 51 / 255, 102 / 255].map(Math.fround));
    assert.equal(both.labels.dtype, "int64");
    assert.deepEqual(both.labels.tolist(), [-1, 3]);
    const flat = put("flat", ubyte([2, 2], [1, 2, 3, 4]));
    await assert.rejects(loadIdxImages(flat, labels), (e: Error) => (assert.equal(e.message, `loadIdxImages: ${flat} has shape [2,2], expected [N, H, W] images`), true));
    const grid = put("grid", ubyte([2, 1], [1, 2]));
    await assert.rejects(loadIdxImages(imgs, grid), (e: Error) => (assert.equal(e.message, `loadIdxImages: ${grid} has shape [2,1], expected [N] labels`), true));
    const dbl = put("dbl", Uint8Array.of(0, 0, 0x0e, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0));
    await assert.rejects(loadIdxImages(imgs, dbl), (e: Error) => (assert.equal(e.message, `loadIdxImages: ${dbl} holds float64 values, expected integer class labels (ubyte, byte, short or int)`), true));
    const three = put("three", ubyte([3], [1, 2, 3]));
    await assert.rejects(loadIdxImages(imgs, three), (e: Error) => (assert.equal(e.message, `loadIdxImages: ${imgs} has 2 images but ${three} has 3 labels`), true));
    await assert.rejects(loadIdxFile(null as never), (e: Error) => (assert.equal(e.message, "loadIdxFile: expected a file path string, got null"), true));
    await assert.rejects(loadIdxFile(3 as never), (e: Error) => (assert.equal(e.message, "loadIdxFile: expected a file path string, got number"), true));
    assert.deepEqual((await loadIdxFile(three, { maxBytes: 11 })).tolist(), [1, 2, 3]);
    await assert.rejects(loadIdxFile(three, { maxBytes: 10 }), (e: Error) => (assert.equal(e.message, `loadIdxFile: ${three} is 11 bytes, more than maxBytes (10); pass a larger { maxBytes } to read it`), true));
    await assert.rejects(loadIdxFile(join(dir, "none")), (e: Error) => (assert.match(e.message, /^loadIdxFile: cannot read .*none: ENOENT/), true));
    // Errors in the bytes name the path.
    const junk = put("junk", Uint8Array.of(1, 2, 3, 4));
    await assert.rejects(loadIdxFile(junk), (e: Error) => (assert.equal(e.message, `readIdx: ${junk} is not an IDX file: it starts with 0x01 0x02 0x03, ${MAGIC}`), true));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
