/**
 * The fuzz targets: valid files of each format the readers take, the ways to break them, and what
 * counts as a correct outcome. Every input must end in an Error from the reader (message starting
 * with the reader's name) or in a decode whose result is self-consistent; anything else (a
 * TypeError, a string thrown, an output holding memory the file never wrote) is a finding.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { parseSafetensors, serializeSafetensors, type TensorRecord } from "../src/io/safetensors.js";
import { loadCheckpoint, saveCheckpoint } from "../src/io/checkpoint.js";
import { validateRunCheckpoint } from "../src/train/checkpoint-schema.js";
import { buildModel } from "../src/models/index.js";
import { readIdx } from "../src/data/datasets/idx.js";
import { decodeImage } from "../src/data/image/decode.js";
import { Tensor } from "../src/index.js";
import { unzipSync, zipSync } from "fflate";
import { parsePytorch } from "../src/io/pytorch.js";
import { greyPng, ihdr, pngChunk, pngFile } from "./craft.js";
import { PICKLE_ATTACKS } from "./pickles.js";

/** A seeded generator (mulberry32): the same seed gives the same inputs on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Target = "safetensors" | "checkpoint" | "idx" | "idx.gz" | "png" | "jpeg" | "pt";
export const TARGETS: Target[] = ["safetensors", "checkpoint", "idx", "idx.gz", "png", "jpeg", "pt"];

/** Bytes planted in freed memory; an output that contains them read memory the file never wrote. */
export const MARKER = Uint8Array.from([0xde, 0xad, 0x4d, 0x41, 0x52, 0x4b, 0xbe, 0xef]);

export function containsMarker(a: { buffer?: ArrayBufferLike; byteOffset?: number; byteLength?: number }): boolean {
  if (!a.buffer) return false;
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = b.indexOf(MARKER[0]); i !== -1 && i + MARKER.length <= b.length; i = b.indexOf(MARKER[0], i + 1)) {
    let hit = true;
    for (let k = 1; k < MARKER.length && hit; k++) hit = b[i + k] === MARKER[k];
    if (hit) return true;
  }
  return false;
}

// ---------------------------------------------------------------- valid files

function tensors(): Record<string, TensorRecord> {
  return {
    "fc.weight": { dtype: "float32", shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.5) },
    "fc.bias": { dtype: "float64", shape: [3], data: Float64Array.of(0.25, -1, 3) },
    labels: { dtype: "int32", shape: [2, 2], data: Int32Array.of(-5, 0, 7, 2147483647) },
    mask: { dtype: "bool", shape: [3], data: Uint8Array.of(1, 0, 1) },
  };
}

const idxBase = (): Uint8Array => {
  const b = new Uint8Array(4 + 12 + 3 * 5 * 5);
  b[2] = 0x08;
  b[3] = 3;
  const v = new DataView(b.buffer);
  [3, 5, 5].forEach((d, i) => v.setUint32(4 + 4 * i, d));
  for (let i = 16; i < b.length; i++) b[i] = (i * 13) & 255;
  return b;
};

const corpus = JSON.parse(fs.readFileSync(new URL("../test/fixtures/images/corpus.json", import.meta.url), "utf8")) as { entries: { base: string; mutation: string; b64: string }[] };
const validImages = (ext: string): Uint8Array[] =>
  corpus.entries.filter((e) => e.mutation === "none" && e.base.endsWith(ext)).map((e) => new Uint8Array(Buffer.from(e.b64, "base64")));

let checkpointBytes: Uint8Array | null = null;
/** A real training checkpoint of the MLP (weights, Adam state, scheduler, generator, history). */
async function checkpointBase(dir: string): Promise<Uint8Array> {
  if (checkpointBytes) return checkpointBytes;
  const model = buildModel("mlp");
  const w = model.stateDict();
  const { Adam, CosineAnnealingLR } = await import("../src/optim/index.js");
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  const sched = new CosineAnnealingLR(opt, { tMax: 2 });
  for (const p of model.parameters()) p.grad = Tensor.fromArray(new Float32Array(p.numel()).fill(0.01), p.shape, "float32");
  opt.step();
  sched.step();
  const file = path.join(dir, "base.safetensors");
  await saveCheckpoint(file, {
    epoch: 1, config: { model: "mlp", epochs: 2, batchSize: 16, lr: 0.01, optimizer: "adam", seed: 0 },
    model: w, optimizer: opt.stateDict(), scheduler: sched.stateDict(), loaderGenerator: { s: [1, 2, 3, 4], spareNormal: null },
    history: [{ epoch: 1, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testAccuracy: 0.5, lr: 0.01, seconds: 1 }], histograms: [],
  });
  checkpointBytes = new Uint8Array(fs.readFileSync(file));
  return checkpointBytes;
}

/** Compressed bombs and model shapes are made once per process: the inputs stay the same, the run gets faster. */
const memo = new Map<string, unknown>();
function once<T>(key: string, make: () => T): T {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as T;
}

// ---------------------------------------------------------------- mutations

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

function byteMutation(r: Rand, src: Uint8Array): [string, Uint8Array] {
  const k = int(r, 5);
  const d = src.slice();
  if (k === 0) return ["truncate", src.slice(0, int(r, src.length))];
  if (k === 1) {
    const n = 1 + int(r, 4);
    for (let i = 0; i < n; i++) d[int(r, d.length)] ^= 1 << int(r, 8);
    return ["bit flips", d];
  }
  if (k === 2) {
    d[int(r, d.length)] = int(r, 256);
    return ["byte overwrite", d];
  }
  if (k === 3) {
    // A 32-bit field somewhere set to a huge value: lengths and dimensions.
    const at = int(r, Math.max(1, d.length - 4));
    new DataView(d.buffer).setUint32(at, [0xffffffff, 0x7fffffff, 0x10000000, 65535 * 65535][int(r, 4)] >>> 0);
    return ["huge length", d];
  }
  return ["empty", new Uint8Array(0)];
}

/** Rebuilds a safetensors file with an edited header and the same data. */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, any>, r: Rand) => string | void, r: Rand): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const text = edit(header, r) ?? JSON.stringify(header);
  const json = new TextEncoder().encode(text);
  const data = bytes.subarray(8 + n);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const HEADER_EDITS: [string, (h: Record<string, any>, r: Rand) => string | void][] = [
  ["overlapping offsets", (h) => { const [a, b] = Object.keys(h).filter((k) => k !== "__metadata__"); h[b].data_offsets = [h[a].data_offsets[0], h[a].data_offsets[1]]; }],
  ["wrong dtype", (h, r) => { const k = Object.keys(h).filter((x) => x !== "__metadata__")[0]; h[k].dtype = ["F16", "I64", "U8", "BOOL", "F8_E4M3", "Q4", "", "F64"][int(r, 8)]; }],
  ["shape mismatch", (h, r) => { const k = Object.keys(h).filter((x) => x !== "__metadata__")[0]; h[k].shape = [[1e9, 1e9], [-1], [2.5], ["3"], []][int(r, 5)]; }],
  ["offsets beyond file", (h) => { const k = Object.keys(h).filter((x) => x !== "__metadata__")[0]; h[k].data_offsets = [0, 2 ** 40]; }],
  ["deep JSON", () => `{"a":${"[".repeat(50000)}${"]".repeat(50000)}}`],
  ["duplicate keys", (h) => { const t = JSON.stringify(h); return t.replace(/^\{("[^"]+":\{[^}]*\})/, "{$1,$1"); }],
  ["__proto__ key", (h) => { const k = Object.keys(h).filter((x) => x !== "__metadata__")[0]; return JSON.stringify(h).replace(`"${k}"`, '"__proto__"'); }],
  ["metadata not strings", (h) => { h.__metadata__ = { ...(h.__metadata__ ?? {}), n: 3 }; }],
  ["NaN payload", () => undefined],
];

// ---------------------------------------------------------------- running one input

export interface Outcome {
  kind: "error" | "decoded";
  message?: string;
  /** A finding: what was wrong with the outcome. */
  problem?: string;
}

function expectError(prefixes: string[], e: unknown): Outcome {
  if (!(e instanceof Error)) return { kind: "error", problem: `threw a non-Error: ${String(e)}` };
  if (e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError) return { kind: "error", message: e.message, problem: `internal ${e.constructor.name}: ${e.message}` };
  if (!prefixes.some((p) => e.message.startsWith(p))) return { kind: "error", message: e.message, problem: `error does not name the reader: ${e.message}` };
  return { kind: "error", message: e.message };
}

export interface Input {
  target: Target;
  mutation: string;
  bytes: Uint8Array;
}

/** PyTorch 1.13's own files (scripts/fixtures/interop.py): a state dict with shared and strided storages, and a checkpoint. */
const ptFiles = (): Record<string, Uint8Array>[] =>
  once("pt", () => ["state_dict.pt", "checkpoint.pt"].map((f) => unzipSync(new Uint8Array(fs.readFileSync(new URL(`../test/fixtures/interop/${f}`, import.meta.url))))));

/** Re-zips entries the way torch.save does (stored, not compressed). */
const rezip = (files: Record<string, Uint8Array>): Uint8Array => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { level: 0 }]])));

/** A .pt input: the archive's bytes mutated, its pickle mutated or replaced by an attack, or a storage resized. */
function ptInput(r: Rand): [string, Uint8Array] {
  const files = ptFiles()[int(r, 2)];
  const pkl = Object.keys(files).find((k) => k.endsWith("/data.pkl"))!;
  const k = int(r, 4);
  if (k === 0) return byteMutation(r, rezip(files));
  if (k === 1) {
    const [name, bytes] = byteMutation(r, files[pkl]);
    return [`pickle ${name}`, rezip({ ...files, [pkl]: bytes })];
  }
  if (k === 2) {
    const [name, make] = PICKLE_ATTACKS[int(r, PICKLE_ATTACKS.length)];
    return [name, rezip({ ...files, [pkl]: make() })];
  }
  // A storage shorter or longer than the pickle says, or missing.
  const storages = Object.keys(files).filter((f) => f.includes("/data/"));
  const victim = storages[int(r, storages.length)];
  const out = { ...files };
  const how = int(r, 3);
  if (how === 0) delete out[victim];
  else out[victim] = how === 1 ? files[victim].subarray(0, Math.max(0, files[victim].length - 1 - int(r, 4))) : new Uint8Array(files[victim].length + 1 + int(r, 64));
  return [["storage missing", "storage too short", "storage too long"][how], rezip(out)];
}

/** Makes input `i` of the run with `seed` (deterministic). */
export async function makeInput(seed: number, i: number, dir: string): Promise<Input> {
  const r = rng(seed * 1_000_003 + i);
  const target = TARGETS[i % TARGETS.length];
  if (target === "safetensors" || target === "checkpoint") {
    const base = target === "safetensors" ? serializeSafetensors(tensors(), { format: "pt" }) : await checkpointBase(dir);
    if (r() < 0.5) {
      const [name, edit] = HEADER_EDITS[int(r, HEADER_EDITS.length)];
      let bytes = withHeader(base, edit, r);
      if (name === "NaN payload") {
        bytes = bytes.slice();
        const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
        new DataView(bytes.buffer).setUint32(8 + n, 0x7fc00001, true); // a NaN with a payload in the first float32
      }
      return { target, mutation: name, bytes };
    }
    const [name, bytes] = byteMutation(r, base);
    return { target, mutation: name, bytes };
  }
  if (target === "idx" || target === "idx.gz") {
    const [name, raw] = byteMutation(r, idxBase());
    if (target === "idx") return { target, mutation: name, bytes: raw };
    if (r() < 0.3) {
      const bits = 20 + int(r, 4);
      return { target, mutation: "gzip bomb", bytes: once(`gz${bits}`, () => zlib.gzipSync(new Uint8Array(1 << bits))) };
    }
    const gz = zlib.gzipSync(raw);
    const [name2, bytes] = r() < 0.5 ? ["valid gzip of " + name, gz] : byteMutation(r, gz);
    return { target, mutation: name2, bytes };
  }
  if (target === "pt") {
    const [mutation, bytes] = ptInput(r);
    return { target, mutation, bytes };
  }
  const bases = target === "png" ? validImages(".png") : validImages(".jpg");
  const base = bases[int(r, bases.length)];
  if (target === "png" && r() < 0.25) {
    const k = int(r, 4);
    if (k === 0) return { target, mutation: "huge IHDR with a valid CRC", bytes: pngFile(pngChunk("IHDR", ihdr(1 + int(r, 1 << 20), 1 + int(r, 1 << 20))), pngChunk("IDAT", zlib.deflateSync(new Uint8Array(100))), pngChunk("IEND")) };
    if (k === 1) return { target, mutation: "IDAT bomb", bytes: once("idat-bomb", () => pngFile(pngChunk("IHDR", ihdr(4, 4)), pngChunk("IDAT", zlib.deflateSync(new Uint8Array(1 << 22))), pngChunk("IEND"))) };
    if (k === 2) return { target, mutation: "valid crafted", bytes: greyPng(1 + int(r, 40), 1 + int(r, 40)) };
    return { target, mutation: "chunks reordered", bytes: pngFile(pngChunk("IHDR", ihdr(2, 2)), pngChunk("IEND"), pngChunk("IDAT", zlib.deflateSync(new Uint8Array(6)))) };
  }
  const [name, bytes] = byteMutation(r, base);
  return { target, mutation: name, bytes };
}

/** Feeds one input to its reader and judges the outcome. */
export async function runInput(input: Input, dir: string): Promise<Outcome> {
  const { target, bytes } = input;
  try {
    if (target === "safetensors") {
      const { tensors: t } = parseSafetensors(bytes, "fuzz.safetensors");
      for (const [k, rec] of Object.entries(t)) {
        if (rec.data.length !== rec.shape.reduce((a, b) => a * b, 1)) return { kind: "decoded", problem: `tensor ${k}: ${rec.data.length} values for shape [${rec.shape}]` };
        if (containsMarker(rec.data)) return { kind: "decoded", problem: `tensor ${k} holds the freed-memory marker` };
      }
      // A decode must survive its own round trip.
      const again = parseSafetensors(serializeSafetensors(t), "round trip");
      if (Object.keys(again.tensors).join() !== Object.keys(t).join()) return { kind: "decoded", problem: "round trip changed the keys" };
      return { kind: "decoded" };
    }
    if (target === "checkpoint") {
      const file = path.join(dir, "ckpt.safetensors");
      fs.writeFileSync(file, bytes);
      const state = await loadCheckpoint(file);
      validateRunCheckpoint(state, file, (c) => once(`model-${c.model}`, () => buildModel(c.model).stateDict()));
      return { kind: "decoded" };
    }
    if (target === "pt") return checkPt(parsePytorch(bytes, "fuzz.pt"));
    if (target === "idx" || target === "idx.gz") {
      const t = readIdx(bytes, `fuzz.${target}`, { maxBytes: 64 * 1024 * 1024 });
      const d = t.data();
      if (d.length !== t.shape.reduce((a, b) => a * b, 1)) return { kind: "decoded", problem: "IDX values do not match the shape" };
      if (containsMarker(d)) return { kind: "decoded", problem: "IDX tensor holds the freed-memory marker" };
      return { kind: "decoded" };
    }
    const img = decodeImage(bytes, { source: `fuzz.${target}`, maxPixels: 16_000_000 });
    if (img.data.length !== img.width * img.height * img.channels) return { kind: "decoded", problem: `${img.data.length} values for ${img.width}x${img.height}x${img.channels}` };
    for (let i = 0; i < img.data.length; i++) if (!(img.data[i] >= 0 && img.data[i] <= img.maxValue!)) return { kind: "decoded", problem: `pixel ${i} is ${img.data[i]}` };
    if (containsMarker(img.data)) return { kind: "decoded", problem: "pixels hold the freed-memory marker (uninitialised memory)" };
    return { kind: "decoded" };
  } catch (e) {
    const prefixes = { safetensors: ["safetensors:"], checkpoint: ["safetensors:", "loadCheckpoint:", "resume:"], idx: ["readIdx:"], "idx.gz": ["readIdx:"], png: ["decodeImage:"], jpeg: ["decodeImage:"], pt: ["parsePytorch:", "unpickle:"] }[target];
    return expectError(prefixes, e);
  }
}

/** A decoded .pt: every tensor's values match its shape and hold nothing the file did not write; walked without recursion. */
function checkPt(value: unknown): Outcome {
  const todo = [value];
  const seen = new Set<unknown>(); // shared references stay shared (as in Python): visit each once
  while (todo.length) {
    const v = todo.pop();
    if (v === null || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    if (seen.size > 1_000_000) return { kind: "decoded", problem: "the decoded value has more than a million parts" };
    if (v instanceof Tensor) {
      // Every element a view reaches lies in its storage (a stride-0 view of 2^62 elements is valid
      // in PyTorch too, so only views small enough to copy are copied).
      let last = v.offset;
      v.shape.forEach((d, i) => (last += d === 0 ? -Infinity : (d - 1) * v.strides[i]));
      if (last >= v.storage.data.length) return { kind: "decoded", problem: `a view of shape [${v.shape}] reaches element ${last} of a storage of ${v.storage.data.length}` };
      if (v.numel() <= 1_000_000 && v.clone().storage.data.length !== v.numel()) return { kind: "decoded", problem: `a tensor of shape [${v.shape}] has the wrong number of values` };
      if (containsMarker(v.storage.data)) return { kind: "decoded", problem: "a tensor holds the freed-memory marker" };
    } else if (Array.isArray(v)) todo.push(...v);
    else if (v instanceof Map) todo.push(...v.values());
    else if (v && typeof v === "object" && !ArrayBuffer.isView(v)) todo.push(...Object.values(v));
  }
  return { kind: "decoded" };
}

/** Fills freed memory with MARKER: buffers from Node's unsafe pool and typed arrays, then dropped. */
export function plantMarker(): void {
  const keep: Uint8Array[] = [];
  for (let i = 0; i < 64; i++) {
    const b = Buffer.allocUnsafe(64 * 1024);
    for (let k = 0; k < b.length; k += MARKER.length) b.set(MARKER.subarray(0, Math.min(MARKER.length, b.length - k)), k);
    keep.push(b);
    const small = Buffer.allocUnsafe(512); // from the shared pool
    for (let k = 0; k + MARKER.length <= small.length; k += MARKER.length) small.set(MARKER, k);
    keep.push(small);
  }
  keep.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-fuzz-"));
}
