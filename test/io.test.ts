import { after, test, mock } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseSafetensors, serializeSafetensors, MAX_HEADER_BYTES, READ_CODES, type TensorRecord } from "../src/io/safetensors.js";
import { atomicWriteFile, loadSafetensors, saveSafetensors } from "../src/io/files.js";
import { tinyMetadata, tinyTensors } from "./fixtures/io/tiny-data.js";
import { fromRecord } from "../src/io/checkpoint.js";

const FIXTURE = new URL("./fixtures/io/tiny.safetensors", import.meta.url);

/** Builds a file from a header object and raw data bytes, the way a hostile or foreign writer might. */
function rawFile(header: unknown, data: number[] | Uint8Array = [], headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-io-"));
  dirs.push(d);
  return d;
}

test("safetensors: writer output matches the committed fixture byte for byte", () => {
  const expected = new Uint8Array(fs.readFileSync(FIXTURE));
  const actual = serializeSafetensors(tinyTensors(), tinyMetadata);
  assert.equal(actual.length, expected.length);
  assert.deepEqual(Buffer.from(actual).toString("hex"), Buffer.from(expected).toString("hex"));
});

test("safetensors: layout is u64 LE length, space-padded JSON, 8-aligned data", () => {
  const bytes = serializeSafetensors({ a: { dtype: "float32", shape: [2], data: new Float32Array([1, -2]) } });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0);
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.equal(header.trimEnd(), '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
  assert.match(header, /^[^ ]*\s*$/); // only trailing spaces as padding
  assert.equal(bytes.length, 8 + n + 8);
  assert.deepEqual([...bytes.subarray(8 + n)], [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]); // 1.0f, -2.0f LE
});

test("safetensors: parse of the fixture returns the values, dtypes, shapes and metadata", () => {
  const { tensors, metadata } = parseSafetensors(new Uint8Array(fs.readFileSync(FIXTURE)), "tiny.safetensors");
  assert.deepEqual({ ...metadata }, { format: "pt", producer: "deeptype" });
  assert.equal(Object.getPrototypeOf(tensors), null, "null prototype: a tensor named __proto__ is an ordinary key");
  assert.deepEqual(Object.keys(tensors), ["fc.weight", "fc.bias", "bn.num_batches_tracked", "labels", "mask", "empty"]);
  const w = tensors["fc.weight"];
  assert.equal(w.dtype, "float32");
  assert.equal(w.fileDtype, "F32");
  assert.deepEqual(w.shape, [2, 3]);
  assert.ok(w.data instanceof Float32Array);
  assert.deepEqual([...w.data], [0.5, -1.25, 3, Math.fround(1e-3), -0, 2.5]);
  assert.ok(Object.is(w.data[4], -0));
  const b = tensors["fc.bias"];
  assert.ok(b.data instanceof Float64Array);
  assert.equal(b.data[0], Math.PI);
  assert.ok(Number.isNaN(b.data[1]));
  assert.deepEqual(tensors["bn.num_batches_tracked"].shape, []);
  assert.deepEqual([...tensors["bn.num_batches_tracked"].data], [7]);
  assert.deepEqual([...tensors.labels.data], [-2, 0, 2147483647]);
  assert.ok(tensors.mask.data instanceof Uint8Array);
  assert.equal(tensors.mask.dtype, "bool");
  assert.deepEqual([...tensors.mask.data], [1, 0, 0, 1]);
  assert.deepEqual(tensors.empty.shape, [0, 4]);
  assert.equal(tensors.empty.data.length, 0);
});

test("safetensors: parsed arrays are copies, aligned, and independent of the input buffer", () => {
  // Put the file at an odd offset of a bigger buffer: typed arrays must still come out right.
  const file = serializeSafetensors({ x: { dtype: "float64", shape: [2], data: new Float64Array([1.5, -2.5]) } });
  const big = new Uint8Array(file.length + 3);
  big.set(file, 3);
  const view = big.subarray(3);
  const { tensors } = parseSafetensors(view);
  assert.deepEqual([...tensors.x.data], [1.5, -2.5]);
  view.fill(0);
  assert.deepEqual([...tensors.x.data], [1.5, -2.5]);
});

test("safetensors: round trip of random data for every dtype, offsets tiled in insertion order", () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const f32 = Float32Array.from({ length: 37 }, () => rnd() * 10 - 5);
  const f64 = Float64Array.from({ length: 5 }, () => rnd());
  const i32 = Int32Array.from({ length: 9 }, () => Math.floor(rnd() * 2 ** 32) | 0);
  const bools = Uint8Array.from({ length: 11 }, () => (rnd() < 0.5 ? 1 : 0));
  const input = {
    a: { dtype: "float32" as const, shape: [37], data: f32 },
    b: { dtype: "float64" as const, shape: [5, 1], data: f64 },
    c: { dtype: "int32" as const, shape: [3, 3], data: i32 },
    d: { dtype: "bool" as const, shape: [11], data: bools },
  };
  const bytes = serializeSafetensors(input);
  const out = parseSafetensors(bytes);
  for (const k of Object.keys(input) as (keyof typeof input)[]) {
    assert.equal(out.tensors[k].dtype, input[k].dtype);
    assert.deepEqual(out.tensors[k].shape, input[k].shape);
    assert.deepEqual([...out.tensors[k].data], [...input[k].data]);
  }
  assert.deepEqual(Object.keys(out.metadata), []);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(header.a.data_offsets, [0, 148]);
  assert.deepEqual(header.b.data_offsets, [148, 188]);
  assert.deepEqual(header.c.data_offsets, [188, 224]);
  assert.deepEqual(header.d.data_offsets, [224, 235]);
  assert.equal(header.__metadata__, undefined);
});

test("safetensors: foreign dtypes are read exactly (F16, BF16 as float16, bfloat16 bits; U8, I16, I64 as uint8, int16, int64) and header order may differ from offsets", () => {
  const data = new Uint8Array(2 * 3 + 2 * 2 + 8 * 2 + 3 + 2 * 2);
  const v = new DataView(data.buffer);
  // F16: 1.0 (0x3c00), -2.0 (0xc000), 65504 (0x7bff)
  [0x3c00, 0xc000, 0x7bff].forEach((h, i) => v.setUint16(i * 2, h, true));
  // BF16: 1.0 (0x3f80), -0.5 (0xbf00)
  [0x3f80, 0xbf00].forEach((h, i) => v.setUint16(6 + i * 2, h, true));
  v.setBigInt64(10, 123n, true);
  v.setBigInt64(18, -5n, true);
  [0, 128, 255].forEach((x, i) => v.setUint8(26 + i, x));
  [-300, 300].forEach((x, i) => v.setInt16(29 + i * 2, x, true));
  const header = {
    i16: { dtype: "I16", shape: [2], data_offsets: [29, 33] },
    h: { dtype: "F16", shape: [3], data_offsets: [0, 6] },
    bf: { dtype: "BF16", shape: [2], data_offsets: [6, 10] },
    steps: { dtype: "I64", shape: [2], data_offsets: [10, 26] },
    u8: { dtype: "U8", shape: [3], data_offsets: [26, 29] },
  };
  const { tensors } = parseSafetensors(rawFile(header, data));
  assert.deepEqual([...tensors.h.data], [0x3c00, 0xc000, 0x7bff]);
  assert.equal(tensors.h.dtype, "float16");
  assert.equal(tensors.h.fileDtype, "F16");
  assert.deepEqual([...fromRecord(tensors.h).data()], [1, -2, 65504]);
  assert.deepEqual([...tensors.bf.data], [0x3f80, 0xbf00]);
  assert.equal(tensors.bf.dtype, "bfloat16");
  assert.deepEqual([...fromRecord(tensors.bf).data()], [1, -0.5]);
  assert.deepEqual([...tensors.steps.data], [123n, -5n]);
  assert.equal(tensors.steps.dtype, "int64");
  assert.deepEqual([...tensors.u8.data], [0, 128, 255]);
  assert.deepEqual([...tensors.i16.data], [-300, 300]);
  assert.deepEqual([tensors.u8.dtype, tensors.i16.dtype], ["uint8", "int16"]);
});

test("safetensors: I64 values beyond int32 read exactly; U64 beyond int64 is an error, not a silent wrap", () => {
  const data = new Uint8Array(8);
  new DataView(data.buffer).setBigInt64(0, 2n ** 40n, true);
  assert.deepEqual([...parseSafetensors(rawFile({ big: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, data)).tensors.big.data], [2n ** 40n]);
  new DataView(data.buffer).setBigUint64(0, 2n ** 63n, true);
  assert.throws(
    () => parseSafetensors(rawFile({ big: { dtype: "U64", shape: [1], data_offsets: [0, 8] } }, data), "m.safetensors"),
    /m\.safetensors: tensor "big": element 0 \(9223372036854775808\) of this U64 tensor does not fit in int64/,
  );
});

test("safetensors: every malformed file is rejected with the file name and the problem", () => {
  const src = "bad.safetensors";
  const ok = { dtype: "F32", shape: [2], data_offsets: [0, 8] };
  const cases: [string, Uint8Array, RegExp][] = [
    ["short file", new Uint8Array(5), /bad\.safetensors: file is 5 bytes, shorter than the 8-byte header length/],
    ["length beyond file", (() => { const b = rawFile({ x: ok }, new Uint8Array(8)); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), /header length 1000 goes beyond the end of the file/],
    ["absurd length", (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 2n ** 60n, true); return b; })(), new RegExp(`exceeds the limit of ${MAX_HEADER_BYTES} bytes`)],
    ["invalid json", rawFile(null, [], '{"x": {"dtype": '), /header is not valid JSON/],
    ["not an object", rawFile(null, [], "[1,2,3]"), /header must be a JSON object/],
    ["json null", rawFile(null, [], "{}".slice(0, 0) + "null"), /header must be a JSON object/],
    ["bad utf8", (() => { const b = rawFile(null, [], "{}  "); b[9] = 0xff; return b; })(), /not valid UTF-8/],
    ["entry not object", rawFile({ x: 3 }), /tensor "x": entry is not an object/],
    ["unknown dtype", rawFile({ x: { ...ok, dtype: "F99" } }, new Uint8Array(8)), /tensor "x": unknown dtype "F99", expected one of BOOL, U8/],
    ["fp8", rawFile({ x: { dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] } }, [1]), /dtype F8_E4M3 \(8-bit float\) is not supported/],
    ["shape not array", rawFile({ x: { ...ok, shape: 2 } }, new Uint8Array(8)), /tensor "x": shape is missing or not an array/],
    ["negative dim", rawFile({ x: { ...ok, shape: [-2] } }, new Uint8Array(8)), /tensor "x": shape \[-2\]: dimension 0 is -2, expected a non-negative integer/],
    ["fractional dim", rawFile({ x: { ...ok, shape: [1.5] } }, new Uint8Array(8)), /dimension 0 is 1\.5, expected a non-negative integer/],
    ["string dim", rawFile({ x: { ...ok, shape: ["2"] } }, new Uint8Array(8)), /dimension 0 is "2"/],
    ["byte length mismatch", rawFile({ x: { ...ok, shape: [3] } }, new Uint8Array(8)), /tensor "x": shape \[3\] with dtype F32 needs 3 × 4 = 12 bytes, but data_offsets \[0, 8\] span 8/],
    ["offsets not pair", rawFile({ x: { ...ok, data_offsets: [0] } }, new Uint8Array(8)), /data_offsets must be \[begin, end\]/],
    ["negative offset", rawFile({ x: { ...ok, data_offsets: [-8, 0] } }, new Uint8Array(8)), /must be non-negative integers/],
    ["end before begin", rawFile({ x: { ...ok, data_offsets: [8, 0] } }, new Uint8Array(8)), /data_offsets \[8, 0\] end before they begin/],
    ["beyond buffer", rawFile({ x: { ...ok, data_offsets: [4, 12] } }, new Uint8Array(8)), /data_offsets \[4, 12\] go beyond the data buffer \(8 bytes\)/],
    ["overlap", rawFile({ x: ok, y: { ...ok, data_offsets: [4, 12] } }, new Uint8Array(12)), /tensor "y" \[4, 12\] overlaps tensor "x" which ends at 8/],
    ["gap", rawFile({ x: ok, y: { ...ok, data_offsets: [12, 20] } }, new Uint8Array(20)), /gap of 4 bytes before tensor "y"/],
    ["gap at start", rawFile({ x: { ...ok, data_offsets: [4, 12] } }, new Uint8Array(12)), /gap of 4 bytes before tensor "x"/],
    ["trailing bytes", rawFile({ x: ok }, new Uint8Array(10)), /data buffer is 10 bytes but the tensors cover 8/],
    ["metadata not strings", rawFile({ __metadata__: { epoch: 3 } }), /__metadata__\["epoch"\] must be a string, got 3/],
    ["numel overflow", rawFile({ x: { ...ok, shape: [2 ** 30, 2 ** 30, 2 ** 30] } }, new Uint8Array(8)), /element count overflows/],
  ];
  for (const [what, bytes, re] of cases) {
    assert.throws(() => parseSafetensors(bytes, src), (e: Error) => {
      assert.ok(e.message.startsWith(`safetensors: ${src}: `), `${what}: ${e.message}`);
      assert.match(e.message, re, what);
      return true;
    }, what);
  }
});

test("safetensors: strict header rules: duplicate keys, deep JSON, __proto__, limits (errors name file and tensor)", () => {
  const src = "hostile.safetensors";
  const ok = { dtype: "F32", shape: [2], data_offsets: [0, 8] };
  const okText = JSON.stringify(ok);
  const cases: [string, Uint8Array, RegExp, object?][] = [
    ["duplicate tensor key", rawFile(null, new Uint8Array(8), `{"x":${okText},"x":${okText}}`), /header has a duplicate key "x"/],
    ["duplicate via escape", rawFile(null, new Uint8Array(8), `{"x":${okText},"\u0078":${okText}}`), /header has a duplicate key "x"/],
    ["duplicate field in entry", rawFile(null, new Uint8Array(8), `{"x":{"dtype":"F32","dtype":"I32","shape":[2],"data_offsets":[0,8]}}`), /duplicate key "dtype" in "x"/],
    ["duplicate metadata key", rawFile(null, [], `{"__metadata__":{"a":"1","a":"2"}}`), /duplicate key "a" in "__metadata__"/],
    ["deep JSON", rawFile(null, [], `{"x":${"[".repeat(100000)}${"]".repeat(100000)}}`), /header nests deeper than 16 levels/],
    ["metadata nested object", rawFile({ __metadata__: { a: { b: "c" } } }), /__metadata__\["a"\] must be a string/],
    ["metadata not object", rawFile({ __metadata__: "x" }), /__metadata__ must be an object of strings/],
    ["maxBytes on the file", rawFile({ x: ok }, new Uint8Array(8)), /file is \d+ bytes, more than maxBytes \(40\); pass a larger \{ maxBytes \}/, { maxBytes: 40 }],
    ["maxBytes on decoded size", rawFile({ x: { dtype: "U16", shape: [64], data_offsets: [0, 128] } }, new Uint8Array(128)), /tensor "x": decoding needs 256 bytes so far, more than maxBytes \(200\)/, { maxBytes: 200 }],
    ["maxHeaderBytes", rawFile({ x: ok }, new Uint8Array(8)), /header length \d+ exceeds the limit of 10 bytes/, { maxHeaderBytes: 10 }],
  ];
  for (const [what, bytes, re, opts] of cases) {
    assert.throws(() => parseSafetensors(bytes, src, opts), (e: Error) => {
      assert.ok(e.message.startsWith(`safetensors: ${src}: `), `${what}: ${e.message}`);
      assert.match(e.message, re, what);
      return true;
    }, what);
  }
  // A tensor named __proto__ is an ordinary entry of a null-prototype record, on reading and writing.
  const bytes = rawFile({ __proto__x: ok }, new Uint8Array([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]), `{"__proto__":${okText}}`);
  const { tensors } = parseSafetensors(bytes, src);
  assert.equal(Object.getPrototypeOf(tensors), null);
  assert.deepEqual(Object.keys(tensors), ["__proto__"]);
  assert.deepEqual([...tensors["__proto__"].data], [1, 2]);
  const rec = Object.create(null) as Record<string, TensorRecord>;
  rec["__proto__"] = { dtype: "float32", shape: [1], data: new Float32Array([5]) };
  const again = parseSafetensors(serializeSafetensors(rec), src);
  assert.deepEqual([...again.tensors["__proto__"].data], [5]);
});

test("safetensors: every dtype of the table validates its byte count from the same row", () => {
  for (const [code, row] of Object.entries(READ_CODES)) {
    if (row.into === null) continue;
    const good = rawFile({ t: { dtype: code, shape: [3], data_offsets: [0, 3 * row.size] } }, new Uint8Array(3 * row.size));
    assert.deepEqual([...parseSafetensors(good, "f").tensors.t.data].map(Number), [0, 0, 0], code);
    const short = rawFile({ t: { dtype: code, shape: [3], data_offsets: [0, 3 * row.size - 1] } }, new Uint8Array(3 * row.size - 1));
    assert.throws(() => parseSafetensors(short, "f"), new RegExp(`tensor "t": shape \\[3\\] with dtype ${code} needs 3 × ${row.size}`), code);
  }
});

test("files: loadSafetensors checks the file size against maxBytes before reading it", async () => {
  const dir = tmpdir();
  const file = path.join(dir, "big.safetensors");
  await saveSafetensors(file, { x: { dtype: "float32", shape: [100], data: new Float32Array(100) } });
  const size = fs.statSync(file).size;
  await assert.rejects(loadSafetensors(file, { maxBytes: 100 }), new RegExp(`safetensors: .*big\\.safetensors is ${size} bytes, more than maxBytes \\(100\\)`));
  assert.equal((await loadSafetensors(file)).tensors.x.shape[0], 100);
  await assert.rejects(loadSafetensors(null as unknown as string), /loadSafetensors: expected a file path string, got null/);
});

test("safetensors: writer rejects inconsistent records with a clear message", () => {
  assert.throws(
    () => serializeSafetensors({ w: { dtype: "float32", shape: [2, 2], data: new Float32Array(3) } }),
    /tensor "w": shape \[2,2\] has 4 elements but data has 3/,
  );
  assert.throws(
    () => serializeSafetensors({ w: { dtype: "float32", shape: [2], data: new Float64Array(2) } }),
    /tensor "w": dtype float32 needs a Float32Array, got Float64Array/,
  );
  assert.throws(() => serializeSafetensors({ __metadata__: { dtype: "bool", shape: [], data: new Uint8Array(1) } }), /reserved/);
  assert.throws(() => serializeSafetensors({}, { epoch: 3 as unknown as string }), /metadata "epoch" must be a string/);
});

test("files: saveSafetensors/loadSafetensors round trip, errors name the path", async () => {
  const dir = tmpdir();
  const file = path.join(dir, "model.safetensors");
  await saveSafetensors(file, tinyTensors(), tinyMetadata);
  assert.deepEqual(new Uint8Array(fs.readFileSync(file)), new Uint8Array(fs.readFileSync(FIXTURE)));
  const back = await loadSafetensors(file);
  assert.deepEqual([...back.tensors["fc.weight"].data], [...tinyTensors()["fc.weight"].data]);
  assert.deepEqual({ ...back.metadata }, tinyMetadata);
  fs.writeFileSync(path.join(dir, "junk.safetensors"), "hello");
  await assert.rejects(loadSafetensors(path.join(dir, "junk.safetensors")), new RegExp(`${path.join(dir, "junk.safetensors").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: file is 5 bytes`));
  assert.deepEqual(fs.readdirSync(dir).sort(), ["junk.safetensors", "model.safetensors"]);
});

test("files: a failing write leaves the previous file intact and no temp file behind", async (t) => {
  const dir = tmpdir();
  const file = path.join(dir, "ckpt.safetensors");
  await saveSafetensors(file, tinyTensors(), tinyMetadata);
  const before = fs.readFileSync(file);

  // Simulate a disk that fails half-way through writing the temporary file.
  const realOpen = fs.promises.open;
  const opened: string[] = [];
  t.mock.method(fs.promises, "open", async (p: string, flags: string, mode?: number) => {
    const h = await realOpen(p, flags, mode);
    if (flags === "wx") {
      opened.push(p);
      const realWrite = h.write.bind(h);
      (h as { write: unknown }).write = async (buf: Uint8Array, off: number, len: number, pos: number) => {
        await realWrite(buf, off, Math.min(len, 10), pos); // some bytes land on disk...
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      };
    }
    return h;
  });
  const bigger = { x: { dtype: "float32" as const, shape: [1000], data: new Float32Array(1000).fill(9) } };
  await assert.rejects(saveSafetensors(file, bigger), /ENOSPC/);
  mock.restoreAll();

  assert.equal(opened.length, 1);
  assert.equal(path.dirname(opened[0]), dir, "temp file must live in the target's directory");
  assert.notEqual(opened[0], file);
  assert.deepEqual(fs.readFileSync(file), before);
  assert.deepEqual(fs.readdirSync(dir), ["ckpt.safetensors"]);
  const again = await loadSafetensors(file);
  assert.deepEqual([...again.tensors.labels.data], [-2, 0, 2147483647]);
});

test("files: atomicWriteFile writes strings and bytes, replacing the old content", async () => {
  const dir = tmpdir();
  const file = path.join(dir, "report.html");
  await atomicWriteFile(file, "<p>old</p>");
  await atomicWriteFile(file, "<p>ünïcode</p>");
  assert.equal(fs.readFileSync(file, "utf8"), "<p>ünïcode</p>");
  await atomicWriteFile(file, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...fs.readFileSync(file)], [1, 2, 3]);
  assert.deepEqual(fs.readdirSync(dir), ["report.html"]);
  await assert.rejects(atomicWriteFile(path.join(dir, "missing-dir", "x.txt"), "x"), /ENOENT/);
});
