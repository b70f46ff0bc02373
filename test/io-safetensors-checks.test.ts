// The safetensors reader and writer at their edges, and the JSON pre-scan of untrusted headers:
// limits compared with > (a file exactly at a limit is read), empty tensors sharing an offset,
// exact messages for each refusal. (Fixture round trips and the main error table: io.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSafetensors, serializeSafetensors, writeLE, type TensorRecord } from "../src/io/safetensors.js";
import { decode, encodeInto } from "../src/io/dtypes.js";
import { parseJsonStrict, scanJson } from "../src/io/json-scan.js";

function rawFile(headerText: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
const refuses = (bytes: unknown, message: string, opts?: object): void => {
  assert.throws(() => parseSafetensors(bytes as Uint8Array, "f.st", opts), (e: Error) => {
    assert.equal(e.message, `safetensors: f.st: ${message}`);
    return true;
  });
};
const headerOf = (bytes: Uint8Array): string => {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
};

test("scanJson: depth at and over the bound, with the path of the container that goes too deep", () => {
  assert.equal(scanJson("[[[]]]", 3), null);
  assert.equal(scanJson("[[[[]]]]", 3), 'nests deeper than 3 levels (at "[][][]")');
  assert.equal(scanJson('{"a":{"b":[{}]}}', 3), 'nests deeper than 3 levels (at "a.b[]")');
  assert.equal(scanJson('{"a":{"b":{"c":{}}}}', 3), 'nests deeper than 3 levels (at "a.b.c")');
  assert.equal(scanJson("{}", 0), 'nests deeper than 0 levels (at "<root>")');
  // Closing brackets pop: siblings do not add up.
  assert.equal(scanJson('{"a":{},"b":{},"c":[[]]}', 3), null);
});

test("scanJson: duplicate keys, per object, with escapes decoded; strings that are values are not keys", () => {
  const dup = (key: string, where = ""): string => `has a duplicate key ${JSON.stringify(key)}${where} (readers would disagree on which one counts)`;
  assert.equal(scanJson('{"a":1,"a":2}', 16), dup("a"));
  assert.equal(scanJson('{"a":"a","b":"a","c":["c","c"]}', 16), null);
  assert.equal(scanJson('{"x":{"k":1},"y":{"k":1}}', 16), null);
  assert.equal(scanJson('{"x":{"k":1,"k":2}}', 16), dup("k", ' in "x"'));
  assert.equal(scanJson('{"x":{"y":{"k":1,"k":2}}}', 16), dup("k", ' in "x.y"'));
  assert.equal(scanJson('[{"k":1,"k":2}]', 16), dup("k", ' in "[]"'));
  assert.equal(scanJson('{"x":[{"k":1,"k":2}]}', 16), dup("k", ' in "x[]"'));
  assert.equal(scanJson('{"\\u0061":1,"a":2}', 16), dup("a"));
  assert.equal(scanJson('{"a\\"b":1,"a\\"b":2}', 16), dup('a"b'));
  assert.equal(scanJson('{"a\\\\":1,"a":2}', 16), null, "an escaped backslash ends the escape");
  assert.equal(scanJson('{"\\"":{"k":1,"k":1}}', 16), dup("k", ' in """'));
  // Bad escapes and unterminated strings are left to JSON.parse.
  assert.equal(scanJson('{"\\x":1,"\\x":2}', 16), null);
  assert.equal(scanJson('{"a":1,"a', 16), null);
  assert.throws(() => parseJsonStrict('{"\\x":1}', 16, (m) => { throw new Error(m); }), /^Error: is not valid JSON \(/);
  assert.throws(() => parseJsonStrict('{"a":1,"a":2}', 16, (m) => { throw new Error(`h: ${m}`); }), (e: Error) => e.message === `h: ${dup("a")}`);
});

test("parseJsonStrict: every object gets a null prototype, arrays and values stay as they are", () => {
  const v = parseJsonStrict('{"__proto__":{"x":[1,{"y":null}]},"s":"t"}', 16, (m) => { throw new Error(m); }) as Record<string, Record<string, unknown[]>>;
  assert.equal(Object.getPrototypeOf(v), null);
  assert.deepEqual(Object.keys(v), ["__proto__", "s"]);
  assert.equal(Object.getPrototypeOf(v["__proto__"]), null);
  assert.ok(Array.isArray(v["__proto__"].x));
  assert.equal(Object.getPrototypeOf(v["__proto__"].x[1]), null);
  assert.equal((v["__proto__"].x[1] as Record<string, unknown>).y, null);
  assert.equal(v.s, "t");
  assert.equal(parseJsonStrict("3", 16, (m) => { throw new Error(m); }), 3);
});

test("parseSafetensors: limits are inclusive (a file exactly at maxBytes, header at maxHeaderBytes, decoded size at maxBytes)", () => {
  const file = rawFile('{"x":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4));
  assert.deepEqual([...parseSafetensors(file, "f.st", { maxBytes: file.length }).tensors.x.data], [0, 0]);
  refuses(file, `file is ${file.length} bytes, more than maxBytes (${file.length - 1}); pass a larger { maxBytes } to read it`, { maxBytes: file.length - 1 });
  const headerLen = file.length - 12;
  assert.equal(parseSafetensors(file, "f.st", { maxHeaderBytes: headerLen }).tensors.x.shape[0], 2);
  refuses(file, `header length ${headerLen} exceeds the limit of ${headerLen - 1} bytes (not a safetensors file, or corrupt; { maxHeaderBytes } raises it)`, { maxHeaderBytes: headerLen - 1 });
  // U16 decodes to int32: 200 bytes in the file are 400 in memory; the total so far is what counts.
  const two = rawFile('{"a":{"dtype":"U16","shape":[100],"data_offsets":[0,200]},"b":{"dtype":"U16","shape":[100],"data_offsets":[200,400]}}', new Uint8Array(400));
  assert.ok(two.length < 800);
  assert.equal(parseSafetensors(two, "f.st", { maxBytes: 800 }).tensors.b.data.length, 100);
  refuses(two, 'tensor "b": decoding needs 800 bytes so far, more than maxBytes (799); pass a larger { maxBytes } to read it', { maxBytes: 799 });
});

test("parseSafetensors: a header that fills the file, an 8-byte file and a header that is not an object", () => {
  const noData = rawFile("{}");
  assert.deepEqual(Object.keys(parseSafetensors(noData, "f.st").tensors), []);
  const meta = parseSafetensors(rawFile('{"__metadata__":{"a":"1","b":""}}'), "f.st").metadata;
  assert.deepEqual({ ...meta }, { a: "1", b: "" });
  assert.equal(Object.getPrototypeOf(meta), null);
  refuses(rawFile(""), 'header must be a JSON object starting with "{", got ""');
  refuses(rawFile(' {"a":1}'), 'header must be a JSON object starting with "{", got " {\\"a\\":1}"');
  refuses(rawFile('"{}"'), 'header must be a JSON object starting with "{", got "\\"{}\\""');
  refuses(rawFile(`[${"1,".repeat(20)}1]`), 'header must be a JSON object starting with "{", got "[1,1,1,1,1,1,1,1,1,1"');
  refuses(rawFile("{} x"), "header is not valid JSON (Unexpected non-whitespace character after JSON at position 3)");
  const short = rawFile("{}");
  refuses(short.subarray(0, 9), "header length 2 goes beyond the end of the file (9 bytes)");
  refuses(new Uint8Array(7), "file is 7 bytes, shorter than the 8-byte header length");
  refuses(new Uint8Array(8), 'header must be a JSON object starting with "{", got ""');
  refuses(rawFile('{"__metadata__":null}'), "__metadata__ must be an object of strings");
  refuses(rawFile('{"__metadata__":["a"]}'), "__metadata__ must be an object of strings");
  refuses(rawFile('{"__metadata__":{"a":null}}'), '__metadata__["a"] must be a string, got null');
});

test("parseSafetensors: what it takes, with the type of anything else", () => {
  refuses(null, "parseSafetensors takes a Uint8Array, got null");
  refuses("abc", "parseSafetensors takes a Uint8Array, got string");
  refuses(new ArrayBuffer(8), "parseSafetensors takes a Uint8Array, got ArrayBuffer");
  refuses(Object.create(null), "parseSafetensors takes a Uint8Array, got object");
  refuses(undefined, "parseSafetensors takes a Uint8Array, got undefined");
  assert.throws(() => parseSafetensors(null as never), (e: Error) => e.message === "safetensors: <bytes>: parseSafetensors takes a Uint8Array, got null");
});

test("parseSafetensors: each entry field is checked, with the tensor named", () => {
  const ok = (over: string): string => `{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]${over}}}`;
  const d8 = new Uint8Array(8);
  refuses(rawFile('{"x":null}', d8), 'tensor "x": entry is not an object');
  refuses(rawFile('{"x":[1]}', d8), 'tensor "x": entry is not an object');
  refuses(rawFile('{"x":{"shape":[2],"data_offsets":[0,8]}}', d8), 'tensor "x": dtype is missing or not a string');
  refuses(rawFile('{"x":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}', d8), 'tensor "x": dtype is missing or not a string');
  refuses(rawFile('{"x":{"dtype":"toString","shape":[2],"data_offsets":[0,8]}}', d8), 'tensor "x": unknown dtype "toString", expected one of BOOL, U8, I8, U16, I16, I32, U32, I64, U64, F16, BF16, F32, F64, F8_E4M3, F8_E5M2');
  refuses(rawFile('{"x":{"dtype":"F8_E5M2","shape":[8],"data_offsets":[0,8]}}', d8), 'tensor "x": dtype F8_E5M2 (8-bit float) is not supported');
  refuses(rawFile('{"x":{"dtype":"F32","data_offsets":[0,8]}}', d8), 'tensor "x": shape is missing or not an array');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2,null],"data_offsets":[0,8]}}', d8), 'tensor "x": shape [2,null]: dimension 1 is null, expected a non-negative integer');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2]}}', d8), 'tensor "x": data_offsets must be [begin, end], got undefined');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":{"0":0,"1":8}}}', d8), 'tensor "x": data_offsets must be [begin, end], got {"0":0,"1":8}');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}}', d8), 'tensor "x": data_offsets must be [begin, end], got [0,8,8]');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":["0",8]}}', d8), 'tensor "x": data_offsets ["0",8] must be non-negative integers');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8.5]}}', d8), 'tensor "x": data_offsets [0,8.5] must be non-negative integers');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,-8]}}', d8), 'tensor "x": data_offsets [0,-8] must be non-negative integers');
  refuses(rawFile(ok(""), new Uint8Array(4)), 'tensor "x": data_offsets [0, 8] go beyond the data buffer (4 bytes)');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":[4,0]}}', d8), 'tensor "x": data_offsets [4, 0] end before they begin');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}', new Uint8Array(12)), 'tensor "x": shape [2] with dtype F32 needs 2 × 4 = 8 bytes, but data_offsets [0, 12] span 12');
  refuses(rawFile('{"x":{"dtype":"F32","shape":[],"data_offsets":[0,8]}}', d8), 'tensor "x": shape [] with dtype F32 needs 1 × 4 = 4 bytes, but data_offsets [0, 8] span 8');
});

test("parseSafetensors: empty tensors may share an offset with the tensor that starts there, in any header order", () => {
  const bytes = new Uint8Array(new Float32Array([1, 2]).buffer);
  const file = rawFile('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"f":{"dtype":"I64","shape":[0,3],"data_offsets":[8,8]}}', bytes);
  const { tensors } = parseSafetensors(file, "f.st");
  assert.deepEqual(Object.keys(tensors), ["w", "e", "f"]);
  assert.deepEqual([...tensors.w.data], [1, 2]);
  assert.deepEqual([tensors.e.shape, tensors.e.data.length], [[0], 0]);
  assert.deepEqual(tensors.f.shape, [0, 3]);
  // The overlap message names the tensor that ends where the overlap starts.
  const three = rawFile('{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]},"c":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}}', new Uint8Array(8));
  refuses(three, 'tensor "c" [6, 8] overlaps tensor "b" which ends at 8');
  refuses(rawFile('{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}}', new Uint8Array(8)), 'gap of 2 bytes before tensor "b" (data_offsets [6, 8], previous data ends at 4)');
  refuses(rawFile('{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}', new Uint8Array(6)), "data buffer is 6 bytes but the tensors cover 4 (truncated or trailing bytes)");
  refuses(rawFile("{}", new Uint8Array(1)), "data buffer is 1 bytes but the tensors cover 0 (truncated or trailing bytes)");
});

test("serializeSafetensors: header layout, padding, metadata, per-tensor and float dtypes", () => {
  // A header whose JSON is already a multiple of 8 bytes gets no padding.
  const rec = (data: Float32Array): TensorRecord => ({ dtype: "float32", shape: [data.length], data });
  for (let name = "a"; name.length < 12; name += "a") {
    const bytes = serializeSafetensors({ [name]: rec(new Float32Array([1])) });
    const json = JSON.stringify({ [name]: { dtype: "F32", shape: [1], data_offsets: [0, 4] } });
    const padded = Math.ceil(json.length / 8) * 8;
    assert.equal(headerOf(bytes), json + " ".repeat(padded - json.length), name);
    assert.equal(bytes.length, 8 + padded + 4);
  }
  assert.equal(headerOf(serializeSafetensors({}, {})).trimEnd(), "{}", "empty metadata is left out");
  assert.equal(headerOf(serializeSafetensors({}, { a: "b" })).trimEnd(), '{"__metadata__":{"a":"b"}}');
  const mixed = serializeSafetensors(
    {
      w: rec(new Float32Array([1, 2])),
      d: { dtype: "float64", shape: [1], data: new Float64Array([3]) },
      i: { dtype: "int32", shape: [1], data: new Int32Array([5]) },
      b: { dtype: "bool", shape: [3], data: new Uint8Array([0, 2, 255]) },
      n: { dtype: "int64", shape: [1], data: new BigInt64Array([7n]) },
    },
    undefined,
    { floatDtype: "F16", dtypes: { d: "F32", n: "I32" } },
  );
  const header = JSON.parse(headerOf(mixed));
  assert.deepEqual(Object.fromEntries(Object.entries(header).map(([k, v]) => [k, [(v as { dtype: string }).dtype, (v as { data_offsets: number[] }).data_offsets]])), {
    w: ["F16", [0, 4]], d: ["F32", [4, 8]], i: ["I32", [8, 12]], b: ["BOOL", [12, 15]], n: ["I32", [15, 19]],
  });
  const back = parseSafetensors(mixed).tensors;
  assert.deepEqual([...back.w.data], [0x3c00, 0x4000]);
  assert.deepEqual([...back.d.data], [3]);
  assert.deepEqual([...back.i.data], [5]);
  assert.deepEqual([...back.b.data], [0, 1, 1], "bool bytes are 0 or 1");
  const dataStart = 8 + Number(new DataView(mixed.buffer).getBigUint64(0, true));
  assert.deepEqual([...mixed.subarray(dataStart + 12, dataStart + 15)], [0, 1, 1], "written as 0 or 1 (the reader would also normalise them)");
  assert.deepEqual([...back.n.data], [7]);
  // A per-tensor entry for another name, or an inherited key, does not apply.
  const own = serializeSafetensors({ w: rec(new Float32Array([1])) }, undefined, { dtypes: Object.assign(Object.create({ w: "F64" }), { v: "F16" }) });
  assert.equal(JSON.parse(headerOf(own)).w.dtype, "F32");
});

test("serializeSafetensors: refusals name the tensor and what is wrong", () => {
  const e = (fn: () => unknown, message: string): void => assert.throws(fn, (err: Error) => (assert.equal(err.message, message), true));
  e(() => serializeSafetensors({ w: { dtype: "complex64" as never, shape: [1], data: new Float32Array(1) } }), 'serializeSafetensors: tensor "w": unknown dtype "complex64", expected one of float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool');
  e(() => serializeSafetensors({ w: { dtype: "toString" as never, shape: [1], data: new Float32Array(1) } }), 'serializeSafetensors: tensor "w": dtype toString needs a known dtype, got Float32Array');
  e(() => serializeSafetensors({ w: { dtype: "int32", shape: [1], data: null as never } }), 'serializeSafetensors: tensor "w": dtype int32 needs a Int32Array, got object');
  e(() => serializeSafetensors({ w: { dtype: "int32", shape: [1], data: [1] as never } }), 'serializeSafetensors: tensor "w": dtype int32 needs a Int32Array, got Array');
  e(() => serializeSafetensors({ w: { dtype: "float32", shape: [-1], data: new Float32Array(0) } }), 'serializeSafetensors: tensor "w": shape [-1]: dimension 0 is -1, expected a non-negative integer');
  e(() => serializeSafetensors({ w: { dtype: "float32", shape: [2 ** 27, 2 ** 27], data: new Float32Array(0) } }), 'serializeSafetensors: tensor "w": shape [134217728,134217728]: element count overflows');
  e(() => serializeSafetensors({ w: { dtype: "float32", shape: [2, 3], data: new Float32Array(5) } }), 'serializeSafetensors: tensor "w": shape [2,3] has 6 elements but data has 5');
  e(() => serializeSafetensors({ w: { dtype: "float32", shape: [2 ** 30, 2 ** 30, 2 ** 30], data: new Float32Array(0) } }), 'serializeSafetensors: tensor "w": shape [1073741824,1073741824,1073741824]: element count overflows');
  e(() => serializeSafetensors({}, { a: "x", b: 3 as never }), 'serializeSafetensors: metadata "b" must be a string, got number');
  e(() => serializeSafetensors({ __metadata__: { dtype: "bool", shape: [], data: new Uint8Array(1) } }), 'serializeSafetensors: "__metadata__" is reserved and cannot name a tensor');
});

// Big-endian hosts write and read element by element through a DataView; every machine this runs
// on is little-endian, so the host order is passed in to run that path here.
const ENDIAN_CASES: TensorRecord[] = [
  { dtype: "float32", shape: [3], data: new Float32Array([1.5, -2.25, 3e-39]) },
  { dtype: "float64", shape: [2], data: new Float64Array([Math.PI, -1e300]) },
  { dtype: "float16", shape: [2], data: new Uint16Array([0x3c01, 0xfbff]) },
  { dtype: "bfloat16", shape: [2], data: new Uint16Array([0x3f81, 0x8001]) },
  { dtype: "int64", shape: [2], data: new BigInt64Array([-(2n ** 40n) - 5n, 0x0102030405060708n]) },
  { dtype: "int32", shape: [2], data: new Int32Array([-123456789, 0x01020304]) },
  { dtype: "int16", shape: [3], data: new Int16Array([-2, 0x0102, 300]) },
  { dtype: "int8", shape: [3], data: new Int8Array([-128, 5, 127]) },
  { dtype: "uint8", shape: [3], data: new Uint8Array([255, 0, 9]) },
  { dtype: "bool", shape: [3], data: new Uint8Array([0, 7, 1]) },
];

test("writeLE: the big-endian path writes the same little-endian bytes as the fast path, at the offset only", () => {
  for (const rec of ENDIAN_CASES) {
    const size = rec.data.byteLength;
    const expected = rec.dtype === "bool" ? [0, 1, 1] : [...new Uint8Array(rec.data.buffer, rec.data.byteOffset, size)];
    for (const littleEndian of [true, false]) {
      const out = new Uint8Array(size + 6).fill(0xaa);
      writeLE(out, 3, rec, littleEndian);
      assert.deepEqual([...out], [0xaa, 0xaa, 0xaa, ...expected, 0xaa, 0xaa, 0xaa], `${rec.dtype} littleEndian=${littleEndian}`);
    }
  }
});

test("decode: the element-by-element path reads every native code as the fast path does", () => {
  const codes: Record<string, string> = { float32: "F32", float64: "F64", float16: "F16", bfloat16: "BF16", int64: "I64", int32: "I32", int16: "I16", int8: "I8", uint8: "U8", bool: "BOOL" };
  const bad = (m: string): never => {
    throw new Error(m);
  };
  for (const rec of ENDIAN_CASES) {
    const raw = new Uint8Array(rec.data.buffer, rec.data.byteOffset, rec.data.byteLength);
    const bytes = new Uint8Array(raw.length + 5).fill(0xee);
    bytes.set(raw, 3);
    const want = rec.dtype === "bool" ? [0, 1, 1] : [...rec.data];
    for (const littleEndian of [true, false]) {
      const got = decode(codes[rec.dtype], bytes, 3, rec.data.length, bad, littleEndian);
      assert.equal(got.constructor, rec.data.constructor, `${rec.dtype} littleEndian=${littleEndian}`);
      assert.deepEqual([...got], want, `${rec.dtype} littleEndian=${littleEndian}`);
    }
  }
});

test("parseSafetensors and serializeSafetensors name themselves when an option is misspelt", () => {
  assert.throws(() => parseSafetensors(new Uint8Array(8), "f", { maxbytes: 1 } as never), (e: Error) => e.message === "parseSafetensors: unknown option 'maxbytes'; did you mean 'maxBytes'? (it takes maxBytes, maxHeaderBytes)");
  assert.throws(() => serializeSafetensors({}, {}, { floatdtype: "F16" } as never), (e: Error) => e.message === "serializeSafetensors: unknown option 'floatdtype'; did you mean 'floatDtype'? (it takes floatDtype, dtypes)");
});

test("serializeSafetensors: narrower integer file dtypes take every value in range, and name the first one out of it", () => {
  const ranges: [string, bigint, bigint][] = [["I32", -2147483648n, 2147483647n], ["I16", -32768n, 32767n], ["I8", -128n, 127n], ["U8", 0n, 255n]];
  for (const [code, lo, hi] of ranges) {
    const sources: TensorRecord[] = [{ dtype: "int64", shape: [3], data: new BigInt64Array([lo, 0n, hi]) }];
    if (code !== "I32") sources.push({ dtype: "int32", shape: [3], data: Int32Array.from([lo, 0n, hi], Number) });
    for (const rec of sources) {
      const back = parseSafetensors(serializeSafetensors({ t: rec }, undefined, { dtypes: { t: code as "I8" } })).tensors.t;
      assert.equal(back.fileDtype, code);
      assert.deepEqual([...back.data].map(String), [lo, 0n, hi].map(String), `${rec.dtype} as ${code}`);
      for (const [i, v] of [[1, lo - 1n], [2, hi + 1n]] as const) {
        const data = rec.dtype === "int64" ? new BigInt64Array([0n, 0n, 0n]) : new Int32Array(3);
        data[i] = (rec.dtype === "int64" ? v : Number(v)) as never;
        if (rec.dtype === "int32" && Number(v) !== data[i]) continue; // outside int32 itself
        assert.throws(
          () => serializeSafetensors({ t: { ...rec, data } }, undefined, { dtypes: { t: code as "I8" } }),
          (e: Error) => (assert.equal(e.message, `serializeSafetensors: tensor "t": element ${i} (${v}) does not fit in ${code} [${lo}, ${hi}]; write it as ${code === "I32" ? "I64" : code === "I16" ? "I32 or I64" : "I16, I32 or I64"}`), true),
        );
      }
    }
  }
});

test("serializeSafetensors: conversions between file dtypes write the exact bits PyTorch's casts give", () => {
  const bytesOf = (rec: TensorRecord, code: string): number[] => {
    const out = serializeSafetensors({ t: rec }, undefined, { dtypes: { t: code as "F16" } });
    const start = 8 + Number(new DataView(out.buffer).getBigUint64(0, true));
    return [...out.subarray(start)];
  };
  const le = (a: { buffer: ArrayBufferLike }) => [...new Uint8Array(a.buffer)];
  const f64: TensorRecord = { dtype: "float64", shape: [3], data: new Float64Array([1 + 2 ** -30, -65520, 3e-8]) };
  assert.deepEqual(bytesOf(f64, "F32"), le(new Float32Array([1 + 2 ** -30, -65520, 3e-8])));
  // The expected bits are PyTorch 1.13's (`torch.tensor(v, dtype=torch.float64).half().view(torch.int16)`, likewise below).
  assert.deepEqual(bytesOf(f64, "F16"), le(new Uint16Array([0x3c00, 0xfc00, 0x0001])));
  assert.deepEqual(bytesOf(f64, "BF16"), le(new Uint16Array([0x3f80, 0xc780, 0x3301])));
  const f32: TensorRecord = { dtype: "float32", shape: [2], data: new Float32Array([0.1, -2.5]) };
  assert.deepEqual(bytesOf(f32, "F64"), le(new Float64Array([Math.fround(0.1), -2.5])));
  const half: TensorRecord = { dtype: "float16", shape: [2], data: new Uint16Array([0x3555, 0xc000]) }; // 0.333251953125, -2
  assert.deepEqual(bytesOf(half, "F32"), le(new Float32Array([0.333251953125, -2])));
  assert.deepEqual(bytesOf(half, "F64"), le(new Float64Array([0.333251953125, -2])));
  assert.deepEqual(bytesOf(half, "BF16"), le(new Uint16Array([0x3eab, 0xc000])));
  const bf: TensorRecord = { dtype: "bfloat16", shape: [2], data: new Uint16Array([0x3eab, 0x4780]) }; // 0.333984375, 65536
  assert.deepEqual(bytesOf(bf, "F16"), le(new Uint16Array([0x3558, 0x7c00])));
  const i8: TensorRecord = { dtype: "int8", shape: [2], data: new Int8Array([-7, 100]) };
  assert.deepEqual(bytesOf(i8, "I16"), le(new Int16Array([-7, 100])));
  assert.deepEqual(bytesOf(i8, "I32"), le(new Int32Array([-7, 100])));
  assert.deepEqual(bytesOf(i8, "I64"), le(new BigInt64Array([-7n, 100n])));
  const u8: TensorRecord = { dtype: "uint8", shape: [2], data: new Uint8Array([255, 3]) };
  assert.deepEqual(bytesOf(u8, "I16"), le(new Int16Array([255, 3])));
  const i64: TensorRecord = { dtype: "int64", shape: [2], data: new BigInt64Array([-300n, 12n]) };
  assert.deepEqual(bytesOf(i64, "I16"), le(new Int16Array([-300, 12])));
  assert.deepEqual(bytesOf({ dtype: "int64", shape: [2], data: new BigInt64Array([-3n, 12n]) }, "I8"), [253, 12]);
  assert.deepEqual(bytesOf({ dtype: "int32", shape: [2], data: new Int32Array([-3, 12]) }, "I8"), [253, 12]);
  assert.deepEqual(bytesOf({ dtype: "int16", shape: [2], data: new Int16Array([200, 12]) }, "U8"), [200, 12]);
  assert.deepEqual(bytesOf({ dtype: "bool", shape: [3], data: new Uint8Array([0, 1, 1]) }, "U8"), [0, 1, 1]);
  const e = (rec: TensorRecord, code: string, message: string) => assert.throws(() => bytesOf(rec, code), (err: Error) => (assert.equal(err.message, message), true));
  e(i8, "U8", 'serializeSafetensors: tensor "t": a int8 tensor cannot be written as U8 (allowed: I8, I16, I32, I64); convert it first, e.g. t.to("float32")');
  e(f32, "I64", 'serializeSafetensors: tensor "t": a float32 tensor cannot be written as I64 (allowed: F32, F64, F16, BF16); convert it first, e.g. t.to("float32")');
  e(u8, "BOOL", 'serializeSafetensors: tensor "t": a uint8 tensor cannot be written as BOOL (allowed: U8, I16, I32, I64); convert it first, e.g. t.to("float32")');
  e(f32, "toString", 'serializeSafetensors: tensor "t": unknown file dtype "toString", expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL');
});

test("encodeInto writes BOOL as 0 or 1 whatever the byte held (the writer's own bool path does too, see above)", () => {
  const out = new Uint8Array(5).fill(9);
  encodeInto({ dtype: "bool", shape: [3], data: new Uint8Array([0, 2, 255]) }, "BOOL", out, 1, "t");
  assert.deepEqual([...out], [9, 0, 1, 1, 9]);
});
