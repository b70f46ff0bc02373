// The IDX reader on small files the test writes: plain, gzipped, other types, and broken ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { data } from "../src/index.js";

function idx(type: number, shape: number[], values: number[], bytesPer: number, write: (v: DataView, at: number, x: number) => void): Uint8Array {
  const head = 4 + 4 * shape.length;
  const buf = new Uint8Array(head + values.length * bytesPer);
  const v = new DataView(buf.buffer);
  buf[2] = type;
  buf[3] = shape.length;
  shape.forEach((s, d) => v.setUint32(4 + 4 * d, s, false));
  values.forEach((x, i) => write(v, head + i * bytesPer, x));
  return buf;
}
const ubyte = (shape: number[], values: number[]) => idx(0x08, shape, values, 1, (v, at, x) => v.setUint8(at, x));

test("readIdx / loadIdxFile / loadIdxImages: plain and gzipped files, several value types", async () => {
  const dir = mkdtempSync(join(tmpdir(), "deeptype-idx-"));
  try {
    const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
    writeFileSync(join(dir, "imgs-idx3-ubyte"), ubyte([3, 2, 2], pixels));
    writeFileSync(join(dir, "labels-idx1-ubyte.gz"), gzipSync(ubyte([3], [7, 0, 9])));
    const t = await data.loadIdxFile(join(dir, "imgs-idx3-ubyte"));
    assert.deepEqual(t.shape, [3, 2, 2]);
    assert.equal(t.dtype, "uint8"); // as torchvision's read_image_file
    assert.deepEqual(Array.from(t.data()), pixels);
    const l = await data.loadIdxFile(join(dir, "labels-idx1-ubyte.gz"));
    assert.deepEqual(l.tolist(), [7, 0, 9]);
    assert.equal(l.dtype, "uint8");
    const both = await data.loadIdxImages(join(dir, "imgs-idx3-ubyte"), join(dir, "labels-idx1-ubyte.gz"));
    assert.deepEqual(both.images.shape, [3, 1, 2, 2]);
    assert.ok(Math.abs(both.images.data()[11] - 220 / 255) < 1e-6);
    // torchvision's read_label_file returns x.long(): int64 labels, what crossEntropy takes.
    assert.equal(both.labels.dtype, "int64");
    assert.deepEqual(both.labels.tolist(), [7, 0, 9]);
    writeFileSync(join(dir, "float-labels"), idx(0x0d, [3], [1, 2, 3], 4, (v, at, x) => v.setFloat32(at, x, false)));
    await assert.rejects(data.loadIdxImages(join(dir, "imgs-idx3-ubyte"), join(dir, "float-labels")), /loadIdxImages: .*float-labels holds float32 values, expected integer class labels/);
    writeFileSync(join(dir, "two-labels"), ubyte([2], [1, 2]));
    await assert.rejects(data.loadIdxImages(join(dir, "imgs-idx3-ubyte"), join(dir, "two-labels")), /has 3 images but .*two-labels has 2 labels/);
    await assert.rejects(data.loadIdxFile(join(dir, "missing")), /loadIdxFile: cannot read .*missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const f = data.readIdx(idx(0x0d, [2], [1.5, -2.25], 4, (v, at, x) => v.setFloat32(at, x, false)));
  assert.equal(f.dtype, "float32");
  assert.deepEqual(f.tolist(), [1.5, -2.25]);
  const s = data.readIdx(idx(0x0b, [2], [-300, 300], 2, (v, at, x) => v.setInt16(at, x, false)));
  assert.deepEqual(s.tolist(), [-300, 300]);
  assert.equal(s.dtype, "int16");
  const i32 = data.readIdx(idx(0x0c, [2], [-70000, 2 ** 31 - 1], 4, (v, at, x) => v.setInt32(at, x, false)));
  assert.equal(i32.dtype, "int32");
  assert.deepEqual(i32.tolist(), [-70000, 2 ** 31 - 1]);
  const sb = data.readIdx(idx(0x09, [1], [-5], 1, (v, at, x) => v.setInt8(at, x)));
  assert.deepEqual(sb.tolist(), [-5]);
  assert.equal(sb.dtype, "int8");
  const dbl = data.readIdx(idx(0x0e, [1, 1], [Math.PI], 8, (v, at, x) => v.setFloat64(at, x, false)).buffer as ArrayBuffer);
  assert.equal(dbl.dtype, "float64");
  assert.equal(dbl.item(), Math.PI);
});

test("broken IDX data: errors name the source and the problem", () => {
  const good = ubyte([2, 3], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => data.readIdx(good.subarray(0, 12), "train-images"), /readIdx: train-images is truncated: shape \[2,3\] of ubyte needs 6 data bytes but only 0 follow/);
  assert.throws(() => data.readIdx(good.subarray(0, 7), "x.idx"), /x\.idx is truncated: its header declares 2 dims/);
  assert.throws(() => data.readIdx(good.subarray(0, 2), "x.idx"), /x\.idx is truncated: 2 bytes/);
  const bad = good.slice();
  bad[0] = 0x89;
  assert.throws(() => data.readIdx(bad, "photo.png"), /photo\.png is not an IDX file: it starts with 0x89 0x00 0x08/);
  const badType = good.slice();
  badType[2] = 0x07;
  assert.throws(() => data.readIdx(badType, "f"), /not an IDX file/);
  const extra = new Uint8Array([...good, 0]);
  assert.throws(() => data.readIdx(extra, "f"), /1 unexpected bytes after the data/);
  const gz = gzipSync(good);
  assert.throws(() => data.readIdx(gz.subarray(0, gz.length - 6), "labels.gz"), /labels\.gz is a corrupt or truncated gzip file/);
});

test("readIdx limits: a small .gz that inflates past maxBytes stops there; the header's claim is checked before allocating", async () => {
  // 1 MB of gzip that inflates to 1 GB: the old reader needed more than 4 GB of RAM for it.
  const header = idx(0x08, [1024, 1024, 1024], [], 1, () => {});
  const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
  const file = new Uint8Array(gzipSync(header).length + bomb.length);
  file.set(gzipSync(header));
  file.set(bomb, gzipSync(header).length); // two gzip members, as `cat a.gz b.gz` makes
  const before = process.memoryUsage().rss;
  assert.throws(() => data.readIdx(file, "bomb.idx.gz", { maxBytes: 16 * 1024 * 1024 }), /readIdx: bomb\.idx\.gz decompresses to more than maxBytes \(16777216 bytes\); pass a larger \{ maxBytes \} to read it/);
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, "inflation stopped at the cap");
  assert.throws(() => data.readIdx(header, "claims.idx", { maxBytes: 1000 }), /claims\.idx declares shape \[1024,1024,1024\] of ubyte \(1073741824 bytes\), more than maxBytes \(1000\)/);
  assert.throws(() => data.readIdx(new Uint8Array(2000), "big.idx", { maxBytes: 1000 }), /big\.idx is 2000 bytes, more than maxBytes \(1000\)/);
  assert.throws(() => data.readIdx(null as unknown as Uint8Array, "x"), /^Error: data\.readIdx: input must be the file's bytes \(a Uint8Array or ArrayBuffer\), got null$/);
  const dir = mkdtempSync(join(tmpdir(), "deeptype-idx-limit-"));
  try {
    writeFileSync(join(dir, "a.idx"), new Uint8Array(2000));
    await assert.rejects(data.loadIdxFile(join(dir, "a.idx"), { maxBytes: 100 }), /loadIdxFile: .*a\.idx is 2000 bytes, more than maxBytes \(100\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
