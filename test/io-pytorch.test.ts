import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parsePytorch } from "../src/io/pytorch.js";
import { PyDict, unpickle } from "../src/io/pickle.js";
import { loadPytorch, loadWeights } from "../src/io/checkpoint.js";
import { nn, Tensor } from "../src/index.js";

// Files written by PyTorch 1.13 (scripts/fixtures/interop.py), with the values PyTorch reads back.
const dir = new URL("./fixtures/interop/", import.meta.url);
const fixture = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, dir)));
const expected = JSON.parse(fs.readFileSync(new URL("state_dict.json", dir), "utf8")) as Record<string, { dtype: string; shape: number[]; values: (number | boolean)[] }>;
const INTO: Record<string, string> = { float32: "float32", float16: "float16", bfloat16: "bfloat16", float64: "float64", int64: "int64", int32: "int32", int16: "int16", int8: "int8", uint8: "uint8", bool: "bool" };

const tmp: string[] = [];
after(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test("pt: every tensor of a PyTorch 1.13 state dict reads back with PyTorch's values, shapes and the documented dtype", () => {
  const sd = parsePytorch(fixture("state_dict.pt"), "state_dict.pt") as Record<string, Tensor>;
  assert.deepEqual(Object.keys(sd), Object.keys(expected));
  for (const [k, e] of Object.entries(expected)) {
    const t = sd[k];
    assert.ok(t instanceof Tensor, k);
    assert.deepEqual(t.shape, e.shape, k);
    assert.equal(t.dtype, INTO[e.dtype], `${k}: ${e.dtype}`);
    const got = [...t.data()].map((v) => (t.dtype === "bool" ? v !== 0 : v));
    const want = e.values.map((v) => (typeof v === "number" && t.dtype === "float32" ? Math.fround(v) : v));
    assert.deepEqual(got, want, k);
  }
  assert.equal(sd["bn.num_batches_tracked"].item(), 5);
});

test("pt: non-contiguous tensors keep PyTorch's strides and views of one storage share it", () => {
  const sd = parsePytorch(fixture("state_dict.pt")) as Record<string, Tensor>;
  assert.deepEqual(sd["extra.transposed"].strides, [1, 4]);
  assert.equal(sd["extra.transposed"].isContiguous(), false);
  assert.deepEqual(sd["extra.strided"].strides, [4, 2]);
  assert.equal(sd["extra.transposed"].storage, sd["extra.strided"].storage);
  const [a, b] = [sd["extra.shared_a"], sd["extra.shared_b"]];
  assert.equal(a.storage, b.storage);
  assert.deepEqual([a.offset, b.offset], [2, 5]);
  // shared_a = shared[2:6] and shared_b = shared[5:], so a[3] is b[0].
  assert.equal(a.get(3).item(), b.get(0, 0).item());
});

test("pt: nested checkpoints keep numbers, strings, tuples, None and the state dict", async () => {
  const ckpt = (await loadPytorch(fileURLPath("checkpoint.pt"))) as Record<string, unknown>;
  assert.equal(ckpt.epoch, 3);
  assert.equal(ckpt.lr, 0.01);
  assert.equal(ckpt.name, "net");
  assert.deepEqual(ckpt.flags, [true, null]);
  assert.deepEqual(ckpt.steps, [1, 2]);
  const model = new Net();
  const res = model.loadStateDict(ckpt.model as Record<string, Tensor>);
  assert.deepEqual(res, { missingKeys: [], unexpectedKeys: [] });
  assert.deepEqual(model.stateDict()["fc.weight"].tolist(), (ckpt.model as Record<string, Tensor>)["fc.weight"].tolist());
  await assert.rejects(loadWeights(fileURLPath("checkpoint.pt")), /holds an object with keys epoch, lr, name, flags, steps, model, not a state dict; use loadPytorch\(file\) and pick the state dict/);
});

test("pt: loadWeights judges what torch.save held: a list, an empty dict, a dict of more than 8 keys (scripts/fixtures/pt_containers.py)", async () => {
  // fileURLPath copies the fixture to a fresh folder per call: the message names that copy.
  const refused = async (name: string, what: string): Promise<void> => {
    const file = fileURLPath(`containers_${name}.pt`);
    const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    await assert.rejects(loadWeights(file), new RegExp(`^Error: ${esc(`loadWeights: ${file} holds ${what}, not a state dict; use loadPytorch(file) and pick the state dict (e.g. ckpt.model)`)}$`));
  };
  await refused("list", "a list of 2 items");
  await refused("empty", "an empty dict");
  // Twelve tensors load, every key; with one non-tensor among them the message lists 8 keys and counts the rest.
  const many = await loadWeights(fileURLPath("containers_many.pt"));
  assert.deepEqual(Object.keys(many), Array.from({ length: 12 }, (_, i) => `layer${i}.weight`));
  assert.deepEqual(many["layer11.weight"].tolist(), [11, 11]);
  const first8 = Array.from({ length: 8 }, (_, i) => `layer${i}.weight`).join(", ");
  await refused("many_mixed", `an object with keys ${first8} and 4 more`);
  // loadPytorch itself returns what was saved.
  const list = (await loadPytorch(fileURLPath("containers_list.pt"))) as Tensor[];
  assert.deepEqual(list.map((t) => t.tolist()), [[0, 1, 2], [1, 1]]);
});

test("pt: loadWeights reads a state dict file into a deeptype model (strict: false reports the extras)", async () => {
  const sd = await loadWeights(fileURLPath("state_dict.pt"));
  const model = new Net();
  const res = model.loadStateDict(sd, { strict: false });
  assert.deepEqual(res.missingKeys, []);
  assert.deepEqual(res.unexpectedKeys, Object.keys(expected).filter((k) => k.startsWith("extra.")));
  assert.deepEqual([...model.stateDict()["conv.weight"].data()], expected["conv.weight"].values.map(Math.fround as (v: unknown) => number));
});

test("pt: a pickle that would run code is refused, naming the global, and nothing runs", () => {
  assert.throws(() => parsePytorch(fixture("evil.pt"), "evil.pt"), /evil.pt: refusing to load global posix.system/);
  // builtins.eval through protocol 4's STACK_GLOBAL (bytes from Python's pickle.dumps).
  const evalPickle = Buffer.from("8004951d000000000000008c086275696c74696e73948c046576616c9493948c013194859452942e", "hex");
  assert.throws(() => unpickle(evalPickle, { globals: {} }), /refusing to load global builtins.eval/);
});

test("pt: int64 tensors read back exactly, beyond int32 and beyond 2^53, views included", () => {
  assert.equal((parsePytorch(fixture("int64_overflow.pt")) as Record<string, Tensor>).too_big.itemBigInt(), 2n ** 40n);
  const sd = parsePytorch(fixture("int64_extremes.pt")) as Record<string, Tensor>;
  const all = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n + 1n), 2n ** 40n, -1n, 0n];
  assert.equal(sd.ids.dtype, "int64");
  assert.deepEqual(Array.from(sd.ids.dataBigInt()), all);
  assert.deepEqual(sd.every_other.strides, [2]);
  assert.deepEqual(Array.from(sd.every_other.dataBigInt()), all.filter((_, i) => i % 2 === 0));
  assert.equal(sd.every_other.storage, sd.ids.storage, "the view shares the storage, as in PyTorch");
});

test("pt: legacy, TorchScript and corrupt files give clear errors", () => {
  assert.throws(() => parsePytorch(fixture("legacy.pt"), "legacy.pt"), /legacy \(pre-1.6\) format, which is not supported; re-save it/);
  assert.throws(() => parsePytorch(new Uint8Array([1, 2, 3, 4]), "x.pt"), /not a PyTorch zip archive/);
  const good = fixture("state_dict.pt");
  assert.throws(() => parsePytorch(good.subarray(0, good.length - 100), "cut.pt"), /cut.pt: the zip archive is corrupt/);
});

test("unpickle: protocol 0 and 4 data opcodes (Python's own pickle.dumps output)", () => {
  const p4 = Buffer.from("8004953d000000000000007d94288c0161945d94284b014740040000000000008c0178944e884a90eefeff8a090000000000000000404302000194658c0174944b014b028694752e", "hex");
  const v = unpickle(p4, { globals: {} }) as PyDict;
  assert.ok(v instanceof PyDict);
  assert.deepEqual(v.get("a"), [1, 2.5, "x", null, true, -70000, 2n ** 70n, new Uint8Array([0, 1])]);
  assert.deepEqual(v.get("t"), [1, 2]);
  const p0 = Buffer.from("286470300a56610a70310a286c70320a49310a6156780a70330a61732e", "hex");
  assert.deepEqual([...(unpickle(p0, { globals: {} }) as PyDict)], [["a", [1, "x"]]]);
  assert.throws(() => unpickle(p4.subarray(0, 30), { globals: {}, source: "t.pkl" }), /unpickle: t.pkl: length 61 at byte 3 is beyond the pickle.s 30 bytes/);
  assert.throws(() => unpickle(p0.subarray(0, 12), { globals: {}, source: "t.pkl" }), /unpickle: t.pkl: (truncated|ended at byte)/);
});

class Net extends nn.Module {
  conv = new nn.Conv2d(1, 2, 3);
  bn = new nn.BatchNorm2d(2);
  fc = new nn.Linear(3, 2);
  forward(x: Tensor): Tensor {
    return x;
  }
}

function fileURLPath(name: string): string {
  // loadWeights picks the reader by extension, so copy to a temp path (and prove the path route works).
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-pt-"));
  tmp.push(d);
  const f = path.join(d, name);
  fs.copyFileSync(new URL(name, dir), f);
  return f;
}

test("a compressed zip entry (never written by torch.save, a zip-bomb vector) is refused before inflating; loadPytorch has maxBytes", async () => {
  const { unzipSync, zipSync } = await import("fflate");
  const entries = unzipSync(fixture("state_dict.pt"));
  const deflated = zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, [v, { level: 6 }]])) as never);
  assert.throws(() => parsePytorch(deflated, "deflated.pt"), /^Error: parsePytorch: deflated\.pt: the zip archive is corrupt \(entry .* is compressed \(method 8\); torch\.save writes stored entries only\)/);
  await assert.rejects(loadPytorch(fileURLPath("state_dict.pt"), { maxBytes: 100 }), /^Error: loadPytorch: .*state_dict\.pt is \d+ bytes, more than maxBytes \(100\); pass a larger \{ maxBytes \} to read it/);
});
