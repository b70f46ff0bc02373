import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseSafetensors, serializeSafetensors, type TensorRecord } from "../src/io/safetensors.js";
import { floatToBFloat16Bits, floatToHalfBits } from "../src/io/dtypes.js";
import { renameKeys } from "../src/io/keys.js";
import { loadShardedSafetensors } from "../src/io/sharded.js";
import { loadWeights, saveWeights } from "../src/io/checkpoint.js";
import { tensor, nn } from "../src/index.js";

const bits = JSON.parse(fs.readFileSync(new URL("./fixtures/interop/dtype-bits.json", import.meta.url), "utf8")) as {
  values: (number | string)[];
  f16: number[];
  bf16: number[];
};
const values = bits.values.map((v) => (typeof v === "string" ? Number(v.replace("inf", "Infinity")) : v));

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-interop-"));
  dirs.push(d);
  return d;
}

test("dtypes: half and bfloat16 rounding equals PyTorch's .half()/.bfloat16() bit for bit", () => {
  assert.ok(values.length > 200);
  values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      assert.equal(floatToHalfBits(v) & 0x7c00, 0x7c00);
      assert.notEqual(floatToHalfBits(v) & 0x3ff, 0);
      assert.equal(floatToBFloat16Bits(v) & 0x7f80, 0x7f80);
      assert.notEqual(floatToBFloat16Bits(v) & 0x7f, 0);
      return;
    }
    assert.equal(floatToHalfBits(v), bits.f16[i], `f16 of ${v}`);
    assert.equal(floatToBFloat16Bits(v), bits.bf16[i], `bf16 of ${v}`);
  });
});

test("safetensors: writes every dtype PyTorch writes and reads it back by the documented rule", () => {
  const f = new Float32Array(values.filter((v) => !Number.isNaN(v)));
  const ints = new Int32Array([-128, 0, 5, 127]);
  const recs: Record<string, TensorRecord> = {
    f64: { dtype: "float32", shape: [f.length], data: f },
    f16: { dtype: "float32", shape: [f.length], data: f },
    bf16: { dtype: "float64", shape: [f.length], data: Float64Array.from(f) },
    i64: { dtype: "int32", shape: [2, 2], data: new Int32Array([-2147483648, 2147483647, 0, -1]) },
    i16: { dtype: "int32", shape: [4], data: ints },
    i8: { dtype: "int32", shape: [4], data: ints },
    u8: { dtype: "int32", shape: [2], data: new Int32Array([0, 255]) },
    mask: { dtype: "bool", shape: [2], data: new Uint8Array([1, 0]) },
    plain: { dtype: "float32", shape: [1], data: new Float32Array([0.1]) },
  };
  const bytes = serializeSafetensors(recs, { format: "pt" }, {
    floatDtype: "F16",
    dtypes: { f64: "F64", bf16: "BF16", i64: "I64", i16: "I16", i8: "I8", u8: "U8", plain: "F32" },
  });
  const { tensors } = parseSafetensors(bytes);
  const codes = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, `${t.fileDtype}->${t.dtype}`]));
  assert.deepEqual(codes, {
    f64: "F64->float64", f16: "F16->float16", bf16: "BF16->bfloat16", i64: "I64->int64", i16: "I16->int16",
    i8: "I8->int8", u8: "U8->uint8", mask: "BOOL->bool", plain: "F32->float32",
  });
  assert.deepEqual([...tensors.f64.data], [...f]);
  assert.deepEqual([...tensors.i64.data], [-2147483648n, 2147483647n, 0n, -1n]);
  assert.deepEqual([...tensors.i8.data], [...ints]);
  assert.deepEqual([...tensors.u8.data], [0, 255]);
  // Read back, the half values are exactly PyTorch's rounding of the originals.
  const finite = values.map((v, i) => [v, i] as const).filter(([v]) => !Number.isNaN(v));
  finite.forEach(([, j], i) => {
    assert.equal(tensors.f16.data[i], bits.f16[j], `f16 element ${i}`);
    assert.equal(tensors.bf16.data[i], bits.bf16[j], `bf16 element ${i}`);
  });
});

test("safetensors: narrowing that would lose values is an error naming the tensor", () => {
  const rec: TensorRecord = { dtype: "int32", shape: [2], data: new Int32Array([1, 300]) };
  assert.throws(() => serializeSafetensors({ "emb.idx": rec }, undefined, { dtypes: { "emb.idx": "I8" } }), /tensor "emb.idx": element 1 \(300\) does not fit in I8/);
  assert.throws(() => serializeSafetensors({ w: { dtype: "float32", shape: [1], data: new Float32Array([1]) } }, undefined, { dtypes: { w: "I32" } }), /a float32 tensor cannot be written as I32/);
  assert.throws(() => serializeSafetensors({ w: rec }, undefined, { dtypes: { w: "F8" as never } }), /unknown file dtype "F8"/);
});

test("renameKeys: prefix rules (longest first), functions, dropping, and collisions", () => {
  const sd = { "module.fc.weight": 1, "module.fc.bias": 2, "module.head.w": 3, other: 4 };
  assert.deepEqual(renameKeys(sd, { "module.": "", "module.head.": "classifier." }), { "fc.weight": 1, "fc.bias": 2, "classifier.w": 3, other: 4 });
  assert.deepEqual(renameKeys(sd, (k) => (k.startsWith("module.fc.") ? k.slice(7) : null)), { "fc.weight": 1, "fc.bias": 2 });
  assert.throws(() => renameKeys(sd, () => "same"), /"module.fc.weight" and "module.fc.bias" would both be renamed to "same"/);
  assert.throws(() => renameKeys(sd, 3 as never), /renameKeys: expected a \{prefix: replacement\} object or a function, got number/);
});

test("loadStateDict {strict: false} with renameKeys loads a backbone saved under a DDP prefix", () => {
  const src = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU(), new nn.Linear(2, 1));
  const saved = Object.fromEntries(Object.entries(src.stateDict()).map(([k, v]) => [`module.${k}`, v]));
  saved["module.extra"] = tensor([1]);
  const dst = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU(), new nn.Linear(2, 1), new nn.Linear(1, 1));
  const res = dst.loadStateDict(renameKeys(saved, { "module.": "" }), { strict: false });
  assert.deepEqual(res, { missingKeys: ["3.weight", "3.bias"], unexpectedKeys: ["extra"] });
  assert.deepEqual(dst.stateDict()["0.weight"].tolist(), src.stateDict()["0.weight"].tolist());
  assert.deepEqual(dst.stateDict()["2.bias"].tolist(), src.stateDict()["2.bias"].tolist());
  assert.throws(() => dst.loadStateDict(renameKeys(saved, { "module.": "" })), /missing keys: "3.weight", "3.bias"; unexpected keys: "extra"/);
});

test("sharded checkpoints: saveWeights splits Hugging Face's way and loadWeights reads the index back", async () => {
  const dir = tmpdir();
  const model = new nn.Sequential(new nn.Linear(20, 10), new nn.BatchNorm1d(10), new nn.Linear(10, 3));
  const sd = model.stateDict();
  await saveWeights(path.join(dir, "model.safetensors"), sd, {}, { maxShardSize: 600 });
  const files = fs.readdirSync(dir).sort();
  assert.ok(files.includes("model.safetensors.index.json"));
  const shards = files.filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f));
  assert.ok(shards.length >= 2, `expected several shards, got ${files.join(", ")}`);
  const index = JSON.parse(fs.readFileSync(path.join(dir, "model.safetensors.index.json"), "utf8"));
  assert.deepEqual(Object.keys(index.weight_map), Object.keys(sd));
  assert.equal(index.metadata.total_size, Object.values(sd).reduce((s, t) => s + t.numel() * 4, 0));
  for (const from of [path.join(dir, "model.safetensors.index.json"), dir]) {
    const back = await loadWeights(from);
    assert.deepEqual(Object.keys(back), Object.keys(sd));
    for (const k of Object.keys(sd)) assert.deepEqual(back[k].tolist(), sd[k].tolist(), k);
  }
  // A shard that does not match its index is caught.
  const idx = path.join(dir, "model.safetensors.index.json");
  index.weight_map["0.weight"] = shards[shards.length - 1];
  fs.writeFileSync(idx, JSON.stringify(index));
  await assert.rejects(loadShardedSafetensors(idx), /the index puts "0.weight" in model-\d+-of-\d+.safetensors, which does not contain it/);
  index.weight_map["0.weight"] = "../escape.safetensors";
  fs.writeFileSync(idx, JSON.stringify(index));
  await assert.rejects(loadShardedSafetensors(idx), /shards must be plain file names beside the index/);
});

test("saveWeights writes bfloat16 for PyTorch and reads it back as bfloat16", async () => {
  const dir = tmpdir();
  const f = path.join(dir, "half.safetensors");
  await saveWeights(f, { w: tensor([1, 1 / 3, -2]) }, {}, { floatDtype: "BF16" });
  const { tensors } = parseSafetensors(new Uint8Array(fs.readFileSync(f)));
  assert.equal(tensors.w.fileDtype, "BF16");
  const w = (await loadWeights(f)).w;
  assert.equal(w.dtype, "bfloat16");
  assert.deepEqual([...w.data()], [1, 0.333984375, -2]);
});
