// saveCheckpoint/loadCheckpoint on nested state, and loadCheckpoint on crafted files: every tensor
// reference resolved once, special numbers, the state JSON's limits, each refusal with its exact
// message. Also saveWeights/loadWeights' argument checks and folder lookup.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCheckpoint, loadWeights, saveCheckpoint, saveWeights } from "../src/io/checkpoint.js";
import { saveSafetensors } from "../src/io/files.js";
import { parseSafetensors, type TensorRecord } from "../src/io/safetensors.js";
import { tensor, Tensor } from "../src/index.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-ckpt-"));
  dirs.push(d);
  return d;
};
const exactly = (message: string) => (e: Error): boolean => (assert.equal(e.message, message), true);
const rec = (...v: number[]): TensorRecord => ({ dtype: "float32", shape: [v.length], data: Float32Array.from(v) });
const FORMAT = "deeptype-checkpoint/1";

test("saveCheckpoint/loadCheckpoint: nested state, tensors by path, special numbers, __proto__ as data", async () => {
  const file = path.join(tmp(), "c.safetensors");
  const state = {
    epoch: 3,
    lr: Number.NaN,
    bounds: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5],
    model: { "fc.weight": tensor([[1, 2]]), nested: { t: tensor([3], { dtype: "int64" }) } },
    list: [tensor([4]), "s", null, true],
    ["__proto__"]: { x: 1 },
  } as Record<string, unknown>;
  Object.defineProperty(state, "__proto__", { value: { x: 1 }, enumerable: true });
  await saveCheckpoint(file, state);
  const { tensors, metadata } = parseSafetensors(new Uint8Array(fs.readFileSync(file)));
  assert.deepEqual(Object.keys(tensors).sort(), ["list.0", "model.fc.weight", "model.nested.t"]);
  assert.equal(metadata.format, FORMAT);
  const back = await loadCheckpoint(file);
  assert.equal(back.epoch, 3);
  assert.ok(Number.isNaN(back.lr));
  assert.deepEqual(back.bounds, [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5]);
  const model = back.model as { "fc.weight": Tensor; nested: { t: Tensor } };
  assert.deepEqual(model["fc.weight"].tolist(), [[1, 2]]);
  assert.equal(model.nested.t.dtype, "int64");
  assert.deepEqual((back.list as unknown[]).slice(1), ["s", null, true]);
  assert.deepEqual(((back.list as unknown[])[0] as Tensor).tolist(), [4]);
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.deepEqual(Object.keys(back), ["epoch", "lr", "bounds", "model", "list", "__proto__"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(back, "__proto__")?.value, { x: 1 });
  await assert.rejects(saveCheckpoint(file, [1] as never), exactly("saveCheckpoint: state must be an object like { epoch, model: model.stateDict() }, got an array of length 1"));
  await assert.rejects(saveCheckpoint(file, null as never), exactly("saveCheckpoint: state must be an object like { epoch, model: model.stateDict() }, got null"));
});

test("loadCheckpoint: a crafted file is refused unless every tensor is referred to exactly once", async () => {
  const dir = tmp();
  let n = 0;
  const craft = async (state: unknown, tensors: Record<string, TensorRecord> = {}, meta?: Record<string, string>): Promise<string> => {
    const file = path.join(dir, `f${n++}.safetensors`);
    await saveSafetensors(file, tensors, meta ?? { format: FORMAT, state: typeof state === "string" ? state : JSON.stringify(state) });
    return file;
  };
  const ok = await craft({ a: { $tensor: "x" }, n: { $number: "-Infinity" } }, { x: rec(1, 2) });
  const loaded = await loadCheckpoint(ok);
  assert.deepEqual((loaded.a as Tensor).tolist(), [1, 2]);
  assert.equal(loaded.n, Number.NEGATIVE_INFINITY);
  let f = await craft({ a: { b: { $tensor: "y" } } }, { x: rec(1) });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: field "a.b" refers to tensor "y", which the file does not contain`));
  f = await craft({ $tensor: "y" }, { x: rec(1) });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: field "<root>" refers to tensor "y", which the file does not contain`));
  f = await craft({ l: [0, { $tensor: 5 }] }, { x: rec(1) });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: field "l.1" refers to tensor 5, which the file does not contain`));
  f = await craft({ a: { $tensor: "toString" } }, { x: rec(1) });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: field "a" refers to tensor "toString", which the file does not contain`));
  f = await craft({ a: { $tensor: "x" }, b: { $tensor: "x" } }, { x: rec(1) });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: tensor "x" is referred to twice (at "b")`));
  f = await craft({ a: { $tensor: "x" } }, { x: rec(1), y: rec(2) });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f} holds tensor "y", which its state does not refer to (corrupt or mixed-up file)`));
  for (const bad of ["1", "nan", 5, null]) {
    f = await craft({ k: { n: { $number: bad } } });
    await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: field "k.n" holds {"$number": ${JSON.stringify(bad)}}; only NaN, Infinity and -Infinity are stored that way`));
  }
  for (const state of [[1], 3, '"s"', null]) {
    f = await craft(state);
    await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}'s state is not an object`));
  }
  f = await craft('{"a":1,"a":2}');
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: the state header has a duplicate key "a" (readers would disagree on which one counts)`));
  f = await craft(`${"[".repeat(64)}${"]".repeat(64)}`);
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}'s state is not an object`), "64 levels are allowed");
  f = await craft(`{"a":${"[".repeat(64)}${"]".repeat(64)}}`);
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f}: the state header nests deeper than 64 levels (at "a${"[]".repeat(63)}")`));
  f = await craft("{");
  await assert.rejects(loadCheckpoint(f), (e: Error) => e.message.startsWith(`loadCheckpoint: ${f}: the state header is not valid JSON (`));
  f = await craft({}, {}, { format: "pt", state: "{}" });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f} is not a deeptype checkpoint (format "pt", expected "${FORMAT}")`));
  f = await craft({}, {}, { state: "{}" });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f} is not a deeptype checkpoint (format "missing", expected "${FORMAT}")`));
  f = await craft({}, {}, { format: FORMAT });
  await assert.rejects(loadCheckpoint(f), exactly(`loadCheckpoint: ${f} is not a deeptype checkpoint (format "${FORMAT}", expected "${FORMAT}")`));
  await assert.rejects(loadCheckpoint(3 as never), exactly("loadCheckpoint: expected a file path string, got number 3"));
  // The reader's limits pass through.
  await assert.rejects(loadCheckpoint(ok, { maxBytes: 10 }), (e: Error) => /more than maxBytes \(10\)/.test(e.message));
});

test("saveWeights/loadWeights: argument checks, format metadata, folders and .pt files that are not state dicts", async () => {
  const dir = tmp();
  const file = path.join(dir, "model.safetensors");
  await saveWeights(file, { w: tensor([1, 2]), h: tensor([1.5], { dtype: "float16" }), i: tensor([2 ** 40], { dtype: "int64" }) }, { note: "x" });
  const { metadata, tensors } = parseSafetensors(new Uint8Array(fs.readFileSync(file)));
  assert.deepEqual({ ...metadata }, { format: "pt", note: "x" });
  assert.deepEqual([tensors.h.fileDtype, tensors.i.fileDtype], ["F16", "I64"]);
  const back = await loadWeights(dir);
  assert.equal(Object.getPrototypeOf(back), null);
  assert.deepEqual([back.w.tolist(), back.h.tolist(), back.i.itemBigInt()], [[1, 2], [1.5], 2n ** 40n]);
  const where = "saveWeights";
  await assert.rejects(saveWeights(3 as never, {}), exactly(`${where}: file must be a file path string, got number 3`));
  await assert.rejects(saveWeights(file, null as never), exactly(`${where}: stateDict must be a state dict (an object of tensors by name, as model.stateDict() returns), got null`));
  await assert.rejects(saveWeights(file, [tensor([1])] as never), exactly(`${where}: stateDict must be a state dict (an object of tensors by name, as model.stateDict() returns), got an array of length 1`));
  await assert.rejects(saveWeights(file, tensor([1]) as never), (e: Error) => e.message.startsWith(`${where}: stateDict must be a state dict (an object of tensors by name, as model.stateDict() returns), got a Tensor`));
  await assert.rejects(saveWeights(file, { w: [1] } as never), exactly(`${where}: stateDict["w"] must be a Tensor, got an array of length 1`));
  await assert.rejects(saveWeights(file, {}, { a: 1 } as never), exactly(`${where}: metadata must be an object of strings (safetensors' __metadata__), got an object`));
  await assert.rejects(saveWeights(file, {}, null as never), exactly(`${where}: metadata must be an object of strings (safetensors' __metadata__), got null`));
  // Folders: model.safetensors first, else the index; neither is an error.
  const sharded = tmp();
  await saveWeights(path.join(sharded, "model.safetensors"), { a: tensor([1, 2, 3]), b: tensor([4]) }, {}, { maxShardSize: 12 });
  assert.deepEqual(Object.keys(await loadWeights(sharded)), ["a", "b"]);
  assert.equal(fs.readdirSync(sharded).length, 3);
  const empty = tmp();
  await assert.rejects(loadWeights(empty), exactly(`loadWeights: folder ${empty} holds neither model.safetensors nor model.safetensors.index.json`));
});
