/**
 * Model weights and training checkpoints as safetensors files.
 *
 * A checkpoint is arbitrary nested state (numbers, strings, arrays, plain objects and Tensors: a
 * model's state dict, an optimizer's, a scheduler's, RNG state, the epoch). Every tensor becomes a
 * safetensors entry named by its path in the state; everything else is JSON in the header's
 * metadata with `{"$tensor": path}` where a tensor stood. One file, written atomically, so a crash
 * mid-save leaves the previous checkpoint intact.
 */
import { Tensor } from "../core.js";
import fs from "node:fs";
import path from "node:path";
import { loadSafetensors, readFileCapped, saveSafetensors } from "./files.js";
import { DEFAULT_MAX_BYTES, type SafetensorsReadOptions, type SerializeOptions, type TensorRecord } from "./safetensors.js";
import { parseJsonStrict } from "./json-scan.js";
import { argError, checkOptions, describe, optionKeys, checkKeys } from "../tensor/check.js";
import { INDEX_SUFFIX, loadShardedSafetensors, saveShardedSafetensors } from "./sharded.js";
import { parsePytorch, type PytorchReadOptions } from "./pytorch.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const LOAD_CHECKPOINT_KEYS = ["maxBytes", "maxHeaderBytes"] as const;

/**
 * Reads a PyTorch `.pt`/`.pth` file (torch.save's zip format) without running code from it: only
 * tensors, containers, numbers and strings are accepted; see `io/pytorch.ts`.
 *
 * The file is checked against `maxBytes` (default 4 GiB, as the safetensors readers) before it is read,
 * and so is every tensor's dense size (a stride-0 view in a small file can claim 2^62 elements).
 *
 * @example const ckpt = await loadPytorch("ckpt.pt") as { model: Record<string, Tensor>; epoch: number };
 */
export async function loadPytorch(file: string, opts: PytorchReadOptions = {}): Promise<unknown> {
  opts = checkOptions("loadPytorch", opts, "{ maxBytes: 8e9 }", ["maxBytes"]);
  const bytes = await readFileCapped(file, opts.maxBytes ?? DEFAULT_MAX_BYTES, "loadPytorch", "maxBytes");
  return parsePytorch(bytes, file, opts);
}

/** A tensor as a plain record (contiguous copy). */
export function toRecord(t: Tensor): TensorRecord {
  // 16-bit floats as their bit patterns and int64 as bigints, so they are written bit for bit.
  const data = t.dtype === "float16" || t.dtype === "bfloat16" ? t.bits() : t.dtype === "int64" ? t.dataBigInt() : t.data();
  return { dtype: t.dtype, shape: [...t.shape], data };
}

/** A tensor owning the record's data. */
export function fromRecord(r: TensorRecord): Tensor {
  return Tensor.fromArray(r.data, r.shape, r.dtype);
}

/** Options of `saveWeights`: file dtypes (`floatDtype: "BF16"`, per-key `dtypes`) and sharding. */
export interface SaveWeightsOptions extends SerializeOptions {
  /** Split into Hugging Face-style shards of at most this many bytes, plus `<file>.index.json`. */
  maxShardSize?: number;
}

const SAVE_WEIGHTS_KEYS = optionKeys<SaveWeightsOptions>()({ floatDtype: true, dtypes: true, maxShardSize: true });

/**
 * `await saveWeights("model.safetensors", model.stateDict())`: PyTorch-compatible weight names.
 * `opts` writes other dtypes (`{ floatDtype: "F16" }`) or shards (`{ maxShardSize: 2e9 }`).
 */
export async function saveWeights(
  file: string,
  stateDict: Record<string, Tensor>,
  metadata: Record<string, string> = {},
  opts: SaveWeightsOptions = {},
): Promise<void> {
  if (typeof file !== "string") throw argError("saveWeights", "file", "a file path string", file);
  if (stateDict === null || typeof stateDict !== "object" || Array.isArray(stateDict) || stateDict instanceof Tensor) {
    throw argError("saveWeights", "stateDict", "a state dict (an object of tensors by name, as model.stateDict() returns)", stateDict);
  }
  for (const [k, t] of Object.entries(stateDict)) if (!(t instanceof Tensor)) throw argError("saveWeights", `stateDict[${JSON.stringify(k)}]`, "a Tensor", t);
  if (metadata === null || typeof metadata !== "object" || Object.values(metadata).some((v) => typeof v !== "string")) {
    throw argError("saveWeights", "metadata", "an object of strings (safetensors' __metadata__)", metadata);
  }
  opts = checkOptions("saveWeights", opts, '{ floatDtype: "F16" }', SAVE_WEIGHTS_KEYS);
  const records: Record<string, TensorRecord> = {};
  for (const [k, t] of Object.entries(stateDict)) records[k] = toRecord(t);
  const meta = { format: "pt", ...metadata };
  if (opts.maxShardSize !== undefined) await saveShardedSafetensors(file, records, meta, { ...opts, maxShardSize: opts.maxShardSize });
  else await saveSafetensors(file, records, meta, opts);
}

/** What a .pt file holds instead of a state dict, for loadWeights' error: a list, an empty dict, or the first keys. */
function pickledKind(value: unknown, entries: [string, unknown][]): string {
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (value === null || typeof value !== "object") return value === null ? "None" : `a ${typeof value}`;
  if (entries.length === 0) return "an empty dict";
  // The first 8 keys, then how many more: a large checkpoint's key list would drown the message.
  const more = entries.length > 8 ? ` and ${entries.length - 8} more` : "";
  return `an object with keys ${entries.slice(0, 8).map(([k]) => k).join(", ")}${more}`;
}

/**
 * `model.loadStateDict(await loadWeights("model.safetensors"))`. Also reads sharded checkpoints
 * (`model.safetensors.index.json`, or a folder holding `model.safetensors` or that index) and PyTorch
 * state dicts saved with `torch.save(model.state_dict(), "model.pt")` (`.pt`, `.pth`, `.bin`).
 */
export async function loadWeights(file: string): Promise<Record<string, Tensor>> {
  let target = file;
  if ((await fs.promises.stat(file).catch(() => null))?.isDirectory()) {
    const single = path.join(file, "model.safetensors");
    const index = single + INDEX_SUFFIX;
    if (fs.existsSync(single)) target = single;
    else if (fs.existsSync(index)) target = index;
    else throw new Error(`loadWeights: folder ${file} holds neither model.safetensors nor model.safetensors${INDEX_SUFFIX}`);
  }
  if (/\.(pt|pth|bin)$/.test(target)) {
    const value = await loadPytorch(target);
    const entries = value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
    if (entries.length === 0 || !entries.every(([, v]) => v instanceof Tensor)) {
      throw new Error(`loadWeights: ${file} holds ${pickledKind(value, entries)}, not a state dict; use loadPytorch(file) and pick the state dict (e.g. ckpt.model)`);
    }
    return value as Record<string, Tensor>;
  }
  const tensors = target.endsWith(INDEX_SUFFIX) ? await loadShardedSafetensors(target) : (await loadSafetensors(target)).tensors;
  // Null prototype: a weight named "__proto__" stays an entry instead of replacing the prototype.
  const out = Object.create(null) as Record<string, Tensor>;
  for (const [k, r] of Object.entries(tensors)) out[k] = fromRecord(r);
  return out;
}

const FORMAT = "deeptype-checkpoint/1";

/** Sets an own enumerable property, so a key named "__proto__" is data, not a prototype change. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** Splits nested state into tensors (by path) and JSON with placeholders. */
function pack(value: unknown, path: string, tensors: Record<string, TensorRecord>): unknown {
  if (value instanceof Tensor) {
    tensors[path] = toRecord(value);
    return { $tensor: path };
  }
  if (Array.isArray(value)) return value.map((v, i) => pack(v, `${path}.${i}`, tensors));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, pack(v, path ? `${path}.${k}` : k, tensors));
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return { $number: String(value) };
  return value;
}

function unpack(value: unknown, tensors: Record<string, TensorRecord>, file: string, used: Set<string>, path: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => unpack(v, tensors, file, used, `${path}.${i}`));
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (Object.hasOwn(o, "$tensor")) {
      const name = o.$tensor;
      if (typeof name !== "string" || !Object.hasOwn(tensors, name)) {
        throw new Error(`loadCheckpoint: ${file}: field "${path || "<root>"}" refers to tensor ${JSON.stringify(name)}, which the file does not contain`);
      }
      if (used.has(name)) throw new Error(`loadCheckpoint: ${file}: tensor "${name}" is referred to twice (at "${path}")`);
      used.add(name);
      return fromRecord(tensors[name]);
    }
    if (Object.hasOwn(o, "$number")) {
      if (o.$number !== "NaN" && o.$number !== "Infinity" && o.$number !== "-Infinity") {
        throw new Error(`loadCheckpoint: ${file}: field "${path}" holds {"$number": ${JSON.stringify(o.$number)}}; only NaN, Infinity and -Infinity are stored that way`);
      }
      return Number(o.$number);
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) setOwn(out, k, unpack(o[k], tensors, file, used, path ? `${path}.${k}` : k));
    return out;
  }
  return value;
}

/** `await saveCheckpoint("ckpt.safetensors", {epoch, model: model.stateDict(), optimizer: opt.stateDict()})` */
export async function saveCheckpoint(file: string, state: Record<string, unknown>): Promise<void> {
  if (state === null || typeof state !== "object" || Array.isArray(state)) throw new Error(`saveCheckpoint: state must be an object like { epoch, model: model.stateDict() }, got ${describe(state)}`);
  const tensors: Record<string, TensorRecord> = {};
  const json = JSON.stringify(pack(state, "", tensors));
  await saveSafetensors(file, tensors, { format: FORMAT, state: json });
}

/** A checkpoint's state nests a few levels (optimizer state, histories); far deeper is hostile. */
const MAX_STATE_DEPTH = 64;

/**
 * Reads what saveCheckpoint wrote, validating the whole file before anything is returned: the
 * safetensors container strictly (see `parseSafetensors`), the state JSON (no duplicate keys, bounded
 * depth, `__proto__` only as data), every tensor reference resolved, every tensor referred to.
 * Errors name the file and the field. What the state must contain is the caller's schema (e.g. the
 * training job's, in train/checkpoint-schema.ts).
 *
 * @example const state = await loadCheckpoint("runs/cnn/checkpoint.safetensors");
 */
export async function loadCheckpoint(file: string, opts: SafetensorsReadOptions = {}): Promise<Record<string, unknown>> {
  checkKeys("loadCheckpoint", opts, LOAD_CHECKPOINT_KEYS);
  if (typeof file !== "string") throw new Error(`loadCheckpoint: expected a file path string, got ${describe(file)}`);
  const { tensors, metadata } = await loadSafetensors(file, opts);
  if (metadata.format !== FORMAT || typeof metadata.state !== "string") {
    throw new Error(`loadCheckpoint: ${file} is not a deeptype checkpoint (format "${metadata.format ?? "missing"}", expected "${FORMAT}")`);
  }
  const parsed = parseJsonStrict(metadata.state, MAX_STATE_DEPTH, (m) => {
    throw new Error(`loadCheckpoint: ${file}: the state header ${m}`);
  });
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`loadCheckpoint: ${file}'s state is not an object`);
  const used = new Set<string>();
  const state = unpack(parsed, tensors, file, used, "") as Record<string, unknown>;
  for (const name of Object.keys(tensors)) {
    if (!used.has(name)) throw new Error(`loadCheckpoint: ${file} holds tensor "${name}", which its state does not refer to (corrupt or mixed-up file)`);
  }
  return state;
}
