// renameKeys' rules and refusals, and sharded safetensors checkpoints at their edges: where shards
// split (a shard exactly at maxShardSize stays one), names, index contents and every refusal of an
// index that does not match its shards (exact messages).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renameKeys } from "../src/io/keys.js";
import { loadShardedSafetensors, saveShardedSafetensors } from "../src/io/sharded.js";
import { parseSafetensors, type TensorRecord } from "../src/io/safetensors.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-shard-"));
  dirs.push(d);
  return d;
};
const f32 = (...v: number[]): TensorRecord => ({ dtype: "float32", shape: [v.length], data: Float32Array.from(v) });
const exactly = (message: string) => (e: Error): boolean => (assert.equal(e.message, message), true);

test("renameKeys: order kept, unmatched keys kept, refusals name what is wrong", () => {
  const sd = { "module.a": 1, b: 2, "module.c": 3 };
  assert.deepEqual(Object.entries(renameKeys(sd, { "module.": "net." })), [["net.a", 1], ["b", 2], ["net.c", 3]]);
  assert.deepEqual(Object.entries(renameKeys(sd, { "module.": "" })), [["a", 1], ["b", 2], ["c", 3]]);
  assert.deepEqual(renameKeys(sd, { "modu": "x", "module.": "y." }), { "y.a": 1, b: 2, "y.c": 3 }, "the longest prefix wins, whatever the order given");
  assert.deepEqual(renameKeys(sd, { "module.": "y.", "modu": "x" }), { "y.a": 1, b: 2, "y.c": 3 });
  assert.deepEqual(renameKeys(sd, {}), sd);
  assert.deepEqual(renameKeys({}, { a: "b" }), {});
  assert.throws(() => renameKeys(null as never, {}), exactly("renameKeys: expected a state dict object, got null"));
  assert.throws(() => renameKeys("sd" as never, {}), exactly("renameKeys: expected a state dict object, got string"));
  assert.throws(() => renameKeys(sd, null as never), exactly("renameKeys: expected a {prefix: replacement} object or a function, got null"));
  assert.throws(() => renameKeys(sd, { "module.": 3 } as never), exactly('renameKeys: the replacement for prefix "module." must be a string, got number'));
  assert.throws(() => renameKeys(sd, () => ""), exactly('renameKeys: the renamer turned "module.a" into ""; return a non-empty string, or null to drop the key'));
  assert.throws(() => renameKeys(sd, () => 5 as never), exactly('renameKeys: the renamer turned "module.a" into 5; return a non-empty string, or null to drop the key'));
  assert.throws(() => renameKeys(sd, () => undefined as never), exactly('renameKeys: the renamer turned "module.a" into undefined; return a non-empty string, or null to drop the key'));
  assert.throws(() => renameKeys({ "module.a": 1, a: 2 }, { "module.": "" }), exactly('renameKeys: "module.a" and "a" would both be renamed to "a"; make the rules distinguish them or drop one (return null)'));
  // Dropped keys free their name.
  assert.deepEqual(renameKeys({ "module.a": 1, a: 2 }, (k) => (k === "a" ? null : k.slice(7))), { a: 1 });
});

test("saveShardedSafetensors: shards split before a tensor that would pass maxShardSize; names, index and metadata", async () => {
  const dir = tmp();
  const file = path.join(dir, "m.safetensors");
  // Data sizes 16, 16, 40, 8 bytes with maxShardSize 32: [a, b] is exactly 32, c alone is bigger, d follows.
  const recs = { a: f32(1, 2, 3, 4), b: f32(5, 6, 7, 8), c: f32(...Array.from({ length: 10 }, (_, i) => i)), d: f32(9, 10) };
  const index = await saveShardedSafetensors(file, recs, { format: "pt" }, { maxShardSize: 32 });
  assert.equal(index, path.join(dir, "m.safetensors.index.json"));
  assert.deepEqual(fs.readdirSync(dir).sort(), ["m-00001-of-00003.safetensors", "m-00002-of-00003.safetensors", "m-00003-of-00003.safetensors", "m.safetensors.index.json"]);
  const json = JSON.parse(fs.readFileSync(index, "utf8"));
  assert.deepEqual(json, {
    metadata: { format: "pt", total_size: 80 },
    weight_map: { a: "m-00001-of-00003.safetensors", b: "m-00001-of-00003.safetensors", c: "m-00002-of-00003.safetensors", d: "m-00003-of-00003.safetensors" },
  });
  assert.ok(fs.readFileSync(index, "utf8").endsWith("}\n"));
  const first = parseSafetensors(new Uint8Array(fs.readFileSync(path.join(dir, "m-00001-of-00003.safetensors"))));
  assert.deepEqual(Object.keys(first.tensors), ["a", "b"]);
  assert.deepEqual({ ...first.metadata }, { format: "pt" });
  const back = await loadShardedSafetensors(index);
  assert.deepEqual(Object.keys(back), ["a", "b", "c", "d"]);
  assert.deepEqual([...back.c.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(Object.getPrototypeOf(back), null);
  // One byte less and b moves to the next shard; one shard when everything fits.
  const dir2 = tmp();
  await saveShardedSafetensors(path.join(dir2, "m.safetensors"), recs, undefined, { maxShardSize: 31 });
  const json2 = JSON.parse(fs.readFileSync(path.join(dir2, "m.safetensors.index.json"), "utf8"));
  assert.deepEqual(Object.values(json2.weight_map), ["m-00001-of-00004.safetensors", "m-00002-of-00004.safetensors", "m-00003-of-00004.safetensors", "m-00004-of-00004.safetensors"]);
  assert.deepEqual(json2.metadata, { total_size: 80 });
  // A first tensor bigger than a shard gets a shard of its own, with no empty shard before it.
  const dir4 = tmp();
  await saveShardedSafetensors(path.join(dir4, "m.safetensors"), { c: recs.c, a: recs.a }, undefined, { maxShardSize: 32 });
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir4, "m.safetensors.index.json"), "utf8")).weight_map, { c: "m-00001-of-00002.safetensors", a: "m-00002-of-00002.safetensors" });
  const dir3 = tmp();
  await saveShardedSafetensors(path.join(dir3, "m.safetensors"), recs, undefined, { maxShardSize: 80 });
  assert.deepEqual(fs.readdirSync(dir3).sort(), ["m-00001-of-00001.safetensors", "m.safetensors.index.json"]);
});

test("saveShardedSafetensors: file dtypes count in the shard sizes; bad options are refused", async () => {
  const dir = tmp();
  const recs = { a: f32(1, 2, 3, 4), n: { dtype: "int64", shape: [2], data: BigInt64Array.of(1n, 2n) } as TensorRecord, b: f32(5, 6, 7, 8) };
  // F16 halves a and b (8 bytes each); n as I32 is 8 bytes: 24 in all, one shard of 24.
  const index = await saveShardedSafetensors(path.join(dir, "h.safetensors"), recs, undefined, { maxShardSize: 24, floatDtype: "F16", dtypes: { n: "I32" } });
  const json = JSON.parse(fs.readFileSync(index, "utf8"));
  assert.equal(json.metadata.total_size, 24);
  assert.deepEqual(new Set(Object.values(json.weight_map)), new Set(["h-00001-of-00001.safetensors"]));
  const back = await loadShardedSafetensors(index);
  assert.deepEqual([back.a.fileDtype, back.n.fileDtype, back.b.fileDtype], ["F16", "I32", "F16"]);
  assert.deepEqual([...back.n.data], [1, 2]);
  const where = "saveShardedSafetensors";
  for (const bad of [0, -1, Number.NaN, "5", undefined]) {
    await assert.rejects(saveShardedSafetensors(path.join(dir, "x.safetensors"), recs, undefined, { maxShardSize: bad as never }), exactly(`${where}: maxShardSize must be a positive number of bytes, got ${String(bad)}`));
  }
  await assert.rejects(saveShardedSafetensors(path.join(dir, "x.st"), recs, undefined, { maxShardSize: 10 }), exactly(`${where}: file must end in .safetensors (e.g. "model.safetensors"), got "${path.join(dir, "x.st")}"`));
  await assert.rejects(saveShardedSafetensors(path.join(dir, "x.safetensors"), recs, undefined, { maxShardSize: 10, dtypes: { a: "I32" } }), exactly(`${where}: tensor "a": a float32 tensor cannot be written as I32 (allowed: F32, F64, F16, BF16); convert it first, e.g. t.to("float32")`));
});

test("loadShardedSafetensors: an index that does not match its shards, or is not an index, is refused", async () => {
  const dir = tmp();
  const index = await saveShardedSafetensors(path.join(dir, "m.safetensors"), { a: f32(1), b: f32(2), c: f32(3) }, undefined, { maxShardSize: 8 });
  const json = JSON.parse(fs.readFileSync(index, "utf8"));
  const where = `loadShardedSafetensors: ${index}`;
  const write = (v: unknown): void => fs.writeFileSync(index, typeof v === "string" ? v : JSON.stringify(v));
  // Index order decides the result's order, not the shards'.
  write({ weight_map: { c: json.weight_map.c, b: json.weight_map.b, a: json.weight_map.a } });
  assert.deepEqual(Object.keys(await loadShardedSafetensors(index)), ["c", "b", "a"]);
  assert.deepEqual(json.weight_map, { a: "m-00001-of-00002.safetensors", b: "m-00001-of-00002.safetensors", c: "m-00002-of-00002.safetensors" });
  write({ weight_map: { a: json.weight_map.a, c: json.weight_map.c } });
  await assert.rejects(loadShardedSafetensors(index), exactly(`${where}: m-00001-of-00002.safetensors holds "b", which the index does not list (index and shards do not match)`));
  write({ weight_map: { a: json.weight_map.a, b: json.weight_map.b, c: json.weight_map.a } });
  await assert.rejects(loadShardedSafetensors(index), exactly(`${where}: the index puts "c" in m-00001-of-00002.safetensors, which does not contain it`));
  for (const shard of ["", ".", "..", "sub/m.safetensors", 3, null]) {
    write({ weight_map: { a: shard } });
    await assert.rejects(loadShardedSafetensors(index), exactly(`${where}: key "a" names shard ${JSON.stringify(shard)}; shards must be plain file names beside the index`));
  }
  for (const bad of [{}, { weight_map: null }, { weight_map: ["a"] }, { weight_map: "m.safetensors" }, null, [1]]) {
    write(bad);
    await assert.rejects(loadShardedSafetensors(index), exactly(`${where}: expected {"weight_map": {key: shard file}}, as model.safetensors.index.json holds`));
  }
  write('{"weight_map":{"a":"x","a":"y"}}');
  await assert.rejects(loadShardedSafetensors(index), exactly(`${where}: the index has a duplicate key "a" in "weight_map" (readers would disagree on which one counts)`));
  const missing = path.join(dir, "none.index.json");
  await assert.rejects(loadShardedSafetensors(missing), (e: Error) => e.message.startsWith(`loadShardedSafetensors: ${missing}: cannot read the index (ENOENT`));
});
