// parsePytorch on hand-built archives: the zip checks, storage ids, _rebuild_tensor_v2's arguments,
// the allow-listed globals and how the unpickled value becomes deeptype values, each refusal with
// its exact message. (The PyTorch-written fixtures are in io-pytorch.test.ts; memory attacks in fuzz.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { parsePytorch } from "../src/io/pytorch.js";
import { Tensor } from "../src/index.js";

const enc = (s: string): number[] => [...new TextEncoder().encode(s)];
const u32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const str = (s: string): number[] => [0x8c, enc(s).length, ...enc(s)];
const int = (n: number): number[] => [0x4a, ...u32(n)];
const glob = (mod: string, name: string): number[] => [0x63, ...enc(`${mod}\n${name}\n`)];
const tuple = (...items: number[][]): number[] => [0x28, ...items.flat(), 0x74];
const pickle = (...ops: number[][]): Uint8Array => Uint8Array.from([0x80, 2, ...ops.flat(), 0x2e]);
/** A storage's persistent id: ("storage", torch.<type>, key, "cpu", numel). */
const storage = (key: string, numel: number, type = "FloatStorage"): number[] => [...tuple(str("storage"), glob("torch", type), str(key), str("cpu"), int(numel)), 0x51];
const tensorOf = (stor: number[], offset: number, size: number[], stride: number[]): number[] => [
  ...glob("torch._utils", "_rebuild_tensor_v2"),
  ...tuple(stor, int(offset), tuple(...size.map(int)), tuple(...stride.map(int)), [0x89], [0x7d]),
  0x52,
];
const f32 = (...v: number[]): Uint8Array => new Uint8Array(Float32Array.from(v).buffer);
/** A stored (uncompressed) zip of `archive/data.pkl` and the given storages, as torch.save writes. */
function archive(pkl: Uint8Array, storages: Record<string, Uint8Array> = {}, root = "archive"): Uint8Array {
  const entries: Record<string, Uint8Array> = { [`${root}/data.pkl`]: pkl };
  for (const [k, v] of Object.entries(storages)) entries[`${root}/data/${k}`] = v;
  return zip(entries);
}
const zip = (entries: Record<string, Uint8Array>): Uint8Array => zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, [v, { level: 0 }]])) as never);
const refuses = (bytes: unknown, message: string, opts?: object): void => {
  assert.throws(() => parsePytorch(bytes as Uint8Array, "m.pt", opts), (e: Error) => {
    assert.equal(e.message, message);
    return true;
  });
};
const W = "parsePytorch: m.pt";

test("parsePytorch: a hand-built state dict with views of one storage, an OrderedDict and a Parameter", () => {
  const s = storage("0", 6);
  const pkl = pickle(
    glob("collections", "OrderedDict"),
    tuple(tuple(tuple(str("w"), tensorOf(s, 0, [2, 3], [3, 1])), tuple(str("t"), tensorOf(s, 1, [2, 2], [1, 3])))),
    [0x52],
  );
  const sd = parsePytorch(archive(pkl, { "0": f32(1, 2, 3, 4, 5, 6) }), "m.pt") as Record<string, Tensor>;
  assert.deepEqual(Object.keys(sd), ["w", "t"]);
  assert.deepEqual(sd.w.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(sd.t.tolist(), [[2, 5], [3, 6]]);
  assert.deepEqual([sd.t.strides, sd.t.offset], [[1, 3], 1]);
  assert.equal(sd.w.storage, sd.t.storage, "one storage, decoded once");
  // A Parameter is its data; an OrderedDict whose argument is not a list of pairs is empty (pairs of
  // another length are skipped); the root may be any archive name.
  const param = pickle(glob("torch._utils", "_rebuild_parameter"), tuple(tensorOf(storage("k", 2), 0, [2], [1]), [0x88], [0x7d]), [0x52]);
  const p = parsePytorch(archive(param, { k: f32(7, 8) }, "other_name"), "m.pt") as Tensor;
  assert.ok(p instanceof Tensor);
  assert.deepEqual(p.tolist(), [7, 8]);
  assert.deepEqual(parsePytorch(archive(pickle(glob("collections", "OrderedDict"), [0x29, 0x52])), "m.pt"), {});
  assert.deepEqual(parsePytorch(archive(pickle(glob("collections", "OrderedDict"), tuple(int(3)), [0x52])), "m.pt"), {});
  const odd = pickle(glob("collections", "OrderedDict"), tuple(tuple(tuple(str("a"), int(1)), tuple(str("b")), tuple(str("c"), int(2), int(3)))), [0x52]);
  assert.deepEqual(parsePytorch(archive(odd), "m.pt"), { a: 1 });
  // Every storage class reads with its dtype.
  const types: [string, string, Uint8Array][] = [
    ["DoubleStorage", "float64", new Uint8Array(Float64Array.of(1.5).buffer)],
    ["HalfStorage", "float16", Uint8Array.of(0x00, 0x3c)],
    ["BFloat16Storage", "bfloat16", Uint8Array.of(0x80, 0x3f)],
    ["LongStorage", "int64", new Uint8Array(BigInt64Array.of(-3n).buffer)],
    ["IntStorage", "int32", new Uint8Array(Int32Array.of(-3).buffer)],
    ["ShortStorage", "int16", new Uint8Array(Int16Array.of(-3).buffer)],
    ["CharStorage", "int8", Int8Array.of(-3) as unknown as Uint8Array],
    ["ByteStorage", "uint8", Uint8Array.of(250)],
    ["BoolStorage", "bool", Uint8Array.of(1)],
    ["FloatStorage", "float32", f32(0.25)],
  ];
  for (const [type, dtype, bytes] of types) {
    const t = parsePytorch(archive(pickle(tensorOf(storage("0", 1, type), 0, [1], [1])), { "0": new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }), "m.pt") as Tensor;
    assert.equal(t.dtype, dtype, type);
    assert.deepEqual(t.tolist(), [{ float64: 1.5, float16: 1, bfloat16: 1, int64: -3, int32: -3, int16: -3, int8: -3, uint8: 250, bool: true, float32: 0.25 }[dtype]], type);
  }
});

test("parsePytorch: what is not a PyTorch zip archive", () => {
  refuses("abc", `${W}: expected a Uint8Array, got string`);
  refuses(Uint8Array.of(0x01, 0x0a, 0xff, 0x50, 0x4b), `${W}: not a PyTorch zip archive (expected "PK" at the start, got bytes 01 0a ff 50)`);
  refuses(Uint8Array.of(0x50, 0x00, 0x00), `${W}: not a PyTorch zip archive (expected "PK" at the start, got bytes 50 00 00)`);
  refuses(Uint8Array.of(0x00, 0x4b), `${W}: not a PyTorch zip archive (expected "PK" at the start, got bytes 00 4b)`);
  refuses(Uint8Array.of(0x80, 0x02), `${W}: this is PyTorch's legacy (pre-1.6) format, which is not supported; re-save it in PyTorch with torch.save(obj, f) (zip format, the default since 1.6) or as safetensors`);
  refuses(archive(pickle([0x4e])), "parsePytorch: maxBytes must be a finite number >= 0, got number -1", { maxBytes: -1 });
  const one = Uint8Array.of(1);
  const ts = "this is a TorchScript archive (torch.jit.save); save the state dict instead: torch.save(model.state_dict(), f)";
  refuses(zip({ "m/constants.pkl": one, "m/data.pkl": one, "n/data.pkl": one }), `${W}: ${ts}`);
  refuses(zip({ "m/code/m.py": one }), `${W}: ${ts}`);
  refuses(zip({ "m/x.pkl": one, "m/y": one }), `${W}: expected exactly one <name>/data.pkl in the archive, found 0 (entries: m/x.pkl, m/y)`);
  refuses(zip({ "a/b/data.pkl": one, "data.pkl": one }), `${W}: expected exactly one <name>/data.pkl in the archive, found 0 (entries: a/b/data.pkl, data.pkl)`);
  const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m/f${i}`, one]));
  refuses(zip({ ...many, "m/data.pkl": one, "n/data.pkl": one }), `${W}: expected exactly one <name>/data.pkl in the archive, found 2 (entries: ${Array.from({ length: 8 }, (_, i) => `m/f${i}`).join(", ")})`);
});

test("parsePytorch: storage ids and storages that do not match the archive", () => {
  const pid = (...items: number[][]): Uint8Array => pickle(tuple(...items), [0x51]);
  const only = "; only tensor storages are read";
  refuses(archive(pickle(int(7), [0x51])), `${W}: unsupported persistent id 7${only}`);
  refuses(archive(pid(str("module"), glob("torch", "FloatStorage"), str("0"), str("cpu"), int(1))), `${W}: unsupported persistent id ["module","torch.FloatStorage","0","cpu",1]${only}`);
  refuses(archive(pid(str("storage"), glob("torch", "FloatStorage"), str("0"), str("cpu"))), `${W}: unsupported persistent id ["storage","torch.FloatStorage","0","cpu"]${only}`);
  refuses(archive(pid(str("storage"), str("torch.ComplexFloatStorage"), str("0"), str("cpu"), int(1))), `${W}: storage type torch.ComplexFloatStorage is not supported (supported: torch.FloatStorage, torch.DoubleStorage, torch.HalfStorage, torch.BFloat16Storage, torch.LongStorage, torch.IntStorage, torch.ShortStorage, torch.CharStorage, torch.ByteStorage, torch.BoolStorage)`);
  refuses(archive(pid(str("storage"), glob("torch", "FloatStorage"), int(0), str("cpu"), int(1))), `${W}: malformed storage id (key 0, size 1)`);
  refuses(archive(pid(str("storage"), glob("torch", "FloatStorage"), str("0"), str("cpu"), int(-1))), `${W}: malformed storage id (key "0", size -1)`);
  refuses(archive(pid(str("storage"), glob("torch", "FloatStorage"), str("0"), str("cpu"), str("2"))), `${W}: malformed storage id (key "0", size 2)`);
  refuses(archive(pickle(storage("9", 1))), `${W}: storage 9 is missing from the archive (archive/data/9)`);
  refuses(archive(pickle(storage("0", 3)), { "0": f32(1, 2) }), `${W}: storage 0 holds 8 bytes, but 3 × F32 needs 12`);
  refuses(archive(pickle(storage("0", 3, "LongStorage")), { "0": f32(1, 2) }), `${W}: storage 0 holds 8 bytes, but 3 × I64 needs 24`);
  refuses(archive(pickle(storage("0", 2)), { "0": f32(1, 2, 3) }), `${W}: storage 0 holds 12 bytes, but 2 × F32 needs 8`);
  // The same storage id twice is read once: the second use may name it with any size.
  const twice = pickle(tensorOf(storage("0", 2), 0, [2], [1]), tensorOf(storage("0", 2), 1, [1], [1]), [0x86]);
  const [a, b] = parsePytorch(archive(twice, { "0": f32(3, 4) }), "m.pt") as Tensor[];
  assert.equal(a.storage, b.storage);
  assert.deepEqual(b.tolist(), [4]);
  // A storage class called as a function, outside an id.
  refuses(archive(pickle(glob("torch", "HalfStorage"), [0x29, 0x52])), `${W}: torch.HalfStorage may only appear inside a storage id`);
});

test("parsePytorch: _rebuild_tensor_v2's arguments are checked before any view is made", () => {
  const s = storage("0", 4);
  const st = { "0": f32(1, 2, 3, 4) };
  const rebuild = (...args: number[][]): Uint8Array => pickle(glob("torch._utils", "_rebuild_tensor_v2"), tuple(...args), [0x52]);
  const malformed = `${W}: _rebuild_tensor_v2 got malformed arguments`;
  refuses(archive(rebuild(int(3), int(0), tuple(int(1)), tuple(int(1))), st), malformed);
  refuses(archive(rebuild([0x7d], int(0), tuple(int(1)), tuple(int(1))), st), malformed);
  refuses(archive(rebuild(s, int(-1), tuple(int(1)), tuple(int(1))), st), malformed);
  refuses(archive(rebuild(s, str("0"), tuple(int(1)), tuple(int(1))), st), malformed);
  refuses(archive(rebuild(s, int(0), int(1), tuple(int(1))), st), malformed);
  refuses(archive(rebuild(s, int(0), tuple(int(1)), int(1)), st), malformed);
  const lists = "expected equally long lists of non-negative integers";
  refuses(archive(rebuild(s, int(0), tuple(int(2), int(2)), tuple(int(2))), st), `${W}: tensor on storage 0 has size [2,2] and stride [2], ${lists}`);
  refuses(archive(rebuild(s, int(0), tuple(int(-2)), tuple(int(1))), st), `${W}: tensor on storage 0 has size [-2] and stride [1], ${lists}`);
  refuses(archive(rebuild(s, int(0), tuple(int(2)), tuple([0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0])), st), `${W}: tensor on storage 0 has size [2] and stride [1.5], ${lists}`);
  // checkView: the last element reached, for a 0-d tensor and at the storage's end.
  assert.deepEqual((parsePytorch(archive(rebuild(s, int(3), [0x29], [0x29]), st), "m.pt") as Tensor).tolist(), 4);
  refuses(archive(rebuild(s, int(4), [0x29], [0x29]), st), `${W}: a tensor of size [], stride [], offset 4 reaches element 4 of storage 0, which has 4 elements`);
  assert.deepEqual((parsePytorch(archive(rebuild(s, int(0), tuple(int(2), int(2)), tuple(int(2), int(1))), st), "m.pt") as Tensor).tolist(), [[1, 2], [3, 4]]);
  refuses(archive(rebuild(s, int(1), tuple(int(2), int(2)), tuple(int(2), int(1))), st), `${W}: a tensor of size [2,2], stride [2,1], offset 1 reaches element 4 of storage 0, which has 4 elements`);
  refuses(archive(rebuild(s, int(0), tuple(int(2)), tuple(int(4))), st), `${W}: a tensor of size [2], stride [4], offset 0 reaches past the end of storage 0, which has 4 elements`);
  assert.deepEqual((parsePytorch(archive(rebuild(s, int(0), tuple(int(2)), tuple(int(3))), st), "m.pt") as Tensor).tolist(), [1, 4], "reach 3 of 4: the last element");
  // An empty view may start at the end but not past it; a size-1 dim with a huge stride reaches nothing.
  assert.deepEqual((parsePytorch(archive(rebuild(s, int(4), tuple(int(0)), tuple(int(1))), st), "m.pt") as Tensor).shape, [0]);
  refuses(archive(rebuild(s, int(5), tuple(int(0), int(3)), tuple(int(3), int(1))), st), `${W}: a tensor of size [0,3], stride [3,1], offset 5 starts at element 5 of storage 0, which has 4`);
  assert.deepEqual((parsePytorch(archive(rebuild(s, int(2), tuple(int(1), int(2)), tuple(int(1000), int(1))), st), "m.pt") as Tensor).tolist(), [[3, 4]]);
  // maxBytes: the dense size in the deeptype dtype, compared with > (equal is allowed).
  const wide = archive(rebuild(s, int(0), tuple(int(100)), tuple(int(0))), st);
  assert.deepEqual((parsePytorch(wide, "m.pt", { maxBytes: 400 }) as Tensor).shape, [100]);
  refuses(wide, `${W}: a tensor of size [100], stride [0], offset 0 has 100 elements (400 bytes as float32), more than maxBytes (399); pass a larger { maxBytes } to read it`, { maxBytes: 399 });
});

test("parsePytorch: dict keys, paths in messages, globals and cycles in the saved object", () => {
  const dict = (...pairs: [number[], number[]][]): number[] => [0x7d, 0x28, ...pairs.flatMap(([k, v]) => [...k, ...v]), 0x75];
  // Non-string keys give a Map (order kept); string keys an object, "__proto__" an ordinary key.
  const m = parsePytorch(archive(pickle(dict([int(1), str("a")], [str("b"), int(2)]))), "m.pt") as Map<unknown, unknown>;
  assert.ok(m instanceof Map);
  assert.deepEqual([...m], [[1, "a"], ["b", 2]]);
  const o = parsePytorch(archive(pickle(dict([str("__proto__"), int(1)], [str("x"), [0x5d]]))), "m.pt") as Record<string, unknown>;
  assert.deepEqual(Object.keys(o), ["__proto__", "x"]);
  assert.equal(Object.getPrototypeOf(o), Object.prototype);
  assert.equal(o["__proto__"], 1);
  o.x = 5;
  assert.equal(o.x, 5, "writable");
  // A global left in the data is named with its path (dict keys and list indices).
  const g = glob("torch._utils", "_rebuild_parameter");
  refuses(archive(pickle(dict([str("a"), [0x5d, 0x28, ...int(0), ...g, 0x65]]))), `${W}: "a.1" is the global torch._utils._rebuild_parameter, not data`);
  refuses(archive(pickle(dict([int(3), tuple(g)]))), `${W}: "3.0" is the global torch._utils._rebuild_parameter, not data`);
  refuses(archive(pickle(tuple(int(1), g))), `${W}: "1" is the global torch._utils._rebuild_parameter, not data`);
  refuses(archive(pickle(g)), `${W}: "" is the global torch._utils._rebuild_parameter, not data`);
  refuses(archive(pickle([0x7d, 0x71, 0], str("k"), [0x5d, 0x68, 0, 0x61], [0x73])), `${W}: "k.0" contains itself (a cycle); a saved state dict never does`);
  // Sets and bytes pass through as they are; shared values stay shared.
  const shared = parsePytorch(archive(pickle([0x5d, 0x71, 0, 0x68, 0, 0x86])), "m.pt") as unknown[][];
  assert.equal(shared[0], shared[1]);
  assert.deepEqual(parsePytorch(archive(pickle([0x43, 2, 1, 2])), "m.pt"), Uint8Array.of(1, 2));
});
