// Session 10: tests for the survivors of `npm run mutate -- src/io/safetensors.ts src/io/json-scan.ts
// src/io/keys.ts src/io/sharded.ts src/io/files.ts` (docs/mutation/session-10-muta.md): JSON text
// with no container around a comma or a string, the depth message before any key, the temporary
// names atomicWriteFile makes, and the directory fsync after its rename.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { scanJson } from "../src/io/json-scan.js";
import { atomicWriteFile } from "../src/io/files.js";
import { parseSafetensors, serializeSafetensors } from "../src/io/safetensors.js";
import { loadShardedSafetensors, saveShardedSafetensors } from "../src/io/sharded.js";
import { pytorchModuleSource } from "../src/io/torch/describe.js";
import { unpickle } from "../src/io/pickle.js";
import { parsePytorch } from "../src/io/pytorch.js";
import { exportOnnx } from "../src/io/onnx/file.js";
import { toOnnxBytes } from "../src/io/onnx/export.js";
import { manualSeed, nn, randn, type Tensor } from "../src/index.js";

test("scanJson: a top-level comma or string (no container) is left to JSON.parse", () => {
  assert.equal(scanJson("1, 2", 4), null);
  assert.equal(scanJson('"abc"', 4), null);
  assert.equal(scanJson('"a", {"k": 1, "k": 2}', 4), 'has a duplicate key "k" (readers would disagree on which one counts)');
});

test("scanJson: too deep before any key is named at the root", () => {
  assert.equal(scanJson("{{}}", 1), 'nests deeper than 1 levels (at "<root>")');
  assert.equal(scanJson('{"a": [[1]]}', 2), 'nests deeper than 2 levels (at "a[]")');
});

test("atomicWriteFile: temporary names count up and are the ones removeStaleTempFiles recognises; the directory is fsynced and closed", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-mio-"));
  try {
    const realOpen = fs.promises.open;
    const tmps: string[] = [];
    const dirOps: string[] = [];
    t.mock.method(fs.promises, "open", async (p: string, flags: string, mode?: number) => {
      const h = await realOpen(p, flags, mode);
      if (flags === "wx") tmps.push(path.basename(p));
      if (p === dir) {
        dirOps.push(`open ${flags}`);
        const realSync = h.sync.bind(h), realClose = h.close.bind(h);
        (h as { sync: unknown }).sync = () => (dirOps.push("sync"), realSync());
        (h as { close: unknown }).close = () => (dirOps.push("close"), realClose());
      }
      return h;
    });
    await atomicWriteFile(path.join(dir, "f.bin"), "one");
    await atomicWriteFile(path.join(dir, "f.bin"), "two");
    mock.restoreAll();
    assert.equal(fs.readFileSync(path.join(dir, "f.bin"), "utf8"), "two");
    const m = tmps.map((n) => /^\.f\.bin\.(\d+)\.(\d+)\.tmp$/.exec(n));
    assert.ok(m[0] && m[1], `temporary names ${tmps.join(", ")}`);
    assert.equal(Number(m[0]![1]), process.pid);
    assert.equal(Number(m[1]![2]), Number(m[0]![2]) + 1);
    assert.deepEqual(dirOps, ["open r", "sync", "close", "open r", "sync", "close"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The JSON header of a serialized safetensors file. */
const headerOf = (b: Uint8Array): Record<string, { dtype: string }> =>
  JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true)))));

test("serializeSafetensors: data that is not a typed array, even one without a constructor, is named in the error", () => {
  assert.throws(() => serializeSafetensors({ x: { dtype: "float32", shape: [1], data: Object.create(null) } } as never),
    (e: Error) => e.message === 'serializeSafetensors: tensor "x": dtype float32 needs a Float32Array, got object');
});

test("serializeSafetensors: bool bytes are written as 0 or 1 (safetensors BOOL), whatever the array held", () => {
  const b = serializeSafetensors({ b: { dtype: "bool", shape: [3], data: new Uint8Array([0, 2, 255]) } });
  assert.deepEqual([...b.subarray(b.length - 3)], [0, 1, 1]);
});

test("serializeSafetensors: floatDtype applies to float64, float16 and bfloat16 records too", () => {
  const f = serializeSafetensors({
    d: { dtype: "float64", shape: [1], data: new Float64Array([1.5]) },
    h: { dtype: "float16", shape: [1], data: new Uint16Array([0x3c00]) },
    bf: { dtype: "bfloat16", shape: [1], data: new Uint16Array([0x3f80]) },
  }, undefined, { floatDtype: "F32" });
  const h = headerOf(f);
  assert.deepEqual([h.d.dtype, h.h.dtype, h.bf.dtype], ["F32", "F32", "F32"]);
  const t = parseSafetensors(f).tensors;
  assert.deepEqual([t.d.data[0], t.h.data[0], t.bf.data[0]], [1.5, 1, 1]);
});

test("parseSafetensors: data_offsets spanning the wrong number of bytes are named with both sizes", () => {
  const h = new TextEncoder().encode(JSON.stringify({ x: { dtype: "F32", shape: [3], data_offsets: [4, 12] } }));
  const buf = new Uint8Array(8 + h.length + 12);
  new DataView(buf.buffer).setBigUint64(0, BigInt(h.length), true);
  buf.set(h, 8);
  assert.throws(() => parseSafetensors(buf, "t.safetensors"),
    (e: Error) => e.message === 'safetensors: t.safetensors: tensor "x": shape [3] with dtype F32 needs 3 × 4 = 12 bytes, but data_offsets [4, 12] span 8');
});

test("saveShardedSafetensors: no options object is the maxShardSize error; floatDtype leaves integer tensors alone", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-mio-"));
  try {
    await assert.rejects(saveShardedSafetensors(path.join(dir, "m.safetensors"), {}, undefined, undefined as never),
      (e: Error) => e.message === "saveShardedSafetensors: maxShardSize must be a positive number of bytes, got undefined");
    const index = await saveShardedSafetensors(path.join(dir, "m.safetensors"), {
      i: { dtype: "int32", shape: [2], data: new Int32Array([1, 2]) },
      f: { dtype: "float32", shape: [1], data: new Float32Array([1.5]) },
    }, undefined, { maxShardSize: 1000, floatDtype: "F16" });
    const r = await loadShardedSafetensors(index);
    assert.equal(r.i.dtype, "int32");
    assert.deepEqual([...r.i.data], [1, 2]);
    assert.equal(r.f.dtype, "float16");
    assert.deepEqual([...r.f.data], [0x3e00]); // 1.5 as float16 bits
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("exportPytorch: a Transformer layer's activation as PyTorch takes it: a name for relu and exact gelu, else the module", () => {
  // Each line was checked to construct in torch 1.13 (eval in Python: the activation is F.relu/F.gelu or the module).
  const layer = (activation: unknown): string => pytorchModuleSource(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, activation: activation as never }));
  const head = "nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, activation=";
  const tail = ", layer_norm_eps=0.00001, batch_first=False, norm_first=False)";
  const cases: [unknown, string][] = [
    ["gelu", "'gelu'"], [new nn.ReLU(), "'relu'"], [new nn.GELU(), "'gelu'"], [new nn.GELU("tanh"), "nn.GELU(approximate='tanh')"], [new nn.SiLU(), "nn.SiLU()"], [new nn.Tanh(), "nn.Tanh()"],
    [new nn.Sigmoid(), "nn.Sigmoid()"], [new nn.LeakyReLU(0.2), "nn.LeakyReLU(negative_slope=0.2)"], [new nn.ELU(), "nn.ELU(alpha=1.0)"],
  ];
  for (const [a, py] of cases) assert.equal(layer(a), head + py + tail);
  assert.throws(() => layer(new nn.Softplus()), (e: Error) => e.message.startsWith('exportPytorch: the model is a TransformerEncoderLayer, whose activation is a JavaScript function PyTorch cannot run; use "relu", "gelu" or an activation module.'));
  // MultiheadAttention without biases (torch 1.13: in_proj_bias is None).
  assert.equal(pytorchModuleSource(new nn.MultiheadAttention(8, 2, { bias: false } as never)), "nn.MultiheadAttention(embed_dim=8, num_heads=2, dropout=0.0, bias=False, kdim=8, vdim=8, batch_first=False)");
});

test("unpickle: a LONG's L only at the end; STACK_GLOBAL needs two strings (Python's pickle refuses both too)", () => {
  const bytes = (...a: (number | string)[]) => Uint8Array.from(a.flatMap((x) => (typeof x === "string" ? [...x].map((c) => c.charCodeAt(0)) : [x])));
  const err = (b: Uint8Array): string => {
    try {
      unpickle(b, { globals: {} });
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };
  // pickle.loads: ValueError for "1L2", 12 for "12L"; UnpicklingError "STACK_GLOBAL requires str" for an int module or name.
  assert.equal(err(bytes(0x80, 2, "L1L2\n.")), 'unpickle: <bytes>: LONG argument "1L2" is not an integer');
  assert.equal(unpickle(bytes(0x80, 2, "L12L\n."), { globals: {} }), 12);
  assert.equal(err(bytes(0x80, 4, 0x4a, 1, 0, 0, 0, 0x8c, 1, "x", 0x93, ".")), "unpickle: <bytes>: STACK_GLOBAL at byte 10 needs two strings");
  assert.equal(err(bytes(0x80, 4, 0x8c, 1, "x", 0x4a, 1, 0, 0, 0, 0x93, ".")), "unpickle: <bytes>: STACK_GLOBAL at byte 10 needs two strings");
});

test("exportOnnx writes toOnnxBytes' model to the file and checks its option keys", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-mio-"));
  try {
    manualSeed(0);
    const model = new nn.Linear(3, 2);
    const x = randn([1, 3]);
    await exportOnnx(model, [x], path.join(dir, "m.onnx"), { inputNames: ["x"] });
    assert.deepEqual([...fs.readFileSync(path.join(dir, "m.onnx"))], [...toOnnxBytes(model, [x], { inputNames: ["x"] })]);
    await assert.rejects(exportOnnx(model, [x], path.join(dir, "n.onnx"), { inputname: ["x"] } as never), (e: Error) => e.message.startsWith("exportOnnx: unknown option 'inputname'"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("exportPytorch: errors name the failing module's full path, and say why containers and custom modules cannot be written", () => {
  const fails = (m: unknown, start: string) => assert.throws(() => pytorchModuleSource(m as never), (e: Error) => e.message.startsWith(start));
  const layer = new nn.TransformerEncoderLayer(8, 2, { activation: (x: Tensor) => x.tanh() });
  fails(new nn.Sequential(new nn.TransformerEncoder(layer, 1)), 'exportPytorch: "0.layers.0" is a TransformerEncoderLayer, whose activation is a JavaScript function');
  class MtrNet extends nn.Module {
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  fails(new MtrNet(), "exportPytorch: the model is a MtrNet, whose forward deeptype cannot write in Python (custom forward code).");
  fails(new nn.ModuleList([new nn.ReLU()]), "exportPytorch: the model is a ModuleList, which has no forward of its own");
  fails(new nn.ModuleDict({ a: new nn.ReLU() }), "exportPytorch: the model is a ModuleDict, which has no forward of its own");
});

test("parsePytorch: errors name <bytes> when no source is given, and its options check names the function with an example", () => {
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };
  assert.equal(message(() => parsePytorch(new Uint8Array([1, 2, 3]))), 'parsePytorch: <bytes>: not a PyTorch zip archive (expected "PK" at the start, got bytes 01 02 03)');
  assert.equal(message(() => parsePytorch(new Uint8Array([0x50, 0x4b, 3]), "m.pt", 5 as never)), "parsePytorch: options must be an object like { maxBytes: 8e9 }, got number 5");
});
