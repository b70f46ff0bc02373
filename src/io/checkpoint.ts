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
import { loadSafetensors, saveSafetensors } from "./files.js";
import type { SerializeOptions, TensorRecord } from "./safetensors.js";
import { INDEX_SUFFIX, loadShardedSafetensors, saveShardedSafetensors } from "./sharded.js";
import { parsePytorch } from "./pytorch.js";

/**
 * Reads a PyTorch `.pt`/`.pth` file (torch.save's zip format) without running code from it: only
 * tensors, containers, numbers and strings are accepted; see `io/pytorch.ts`.
 *
 * @example const ckpt = await loadPytorch("ckpt.pt") as { model: Record<string, Tensor>; epoch: number };
 */
export async function loadPytorch(file: string): Promise<unknown> {
  const bytes = await fs.promises.readFile(file);
  return parsePytorch(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

/** A tensor as a plain record (contiguous copy). */
export function toRecord(t: Tensor): TensorRecord {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data() };
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
  const records: Record<string, TensorRecord> = {};
  for (const [k, t] of Object.entries(stateDict)) records[k] = toRecord(t);
  const meta = { format: "pt", ...metadata };
  if (opts.maxShardSize !== undefined) await saveShardedSafetensors(file, records, meta, { ...opts, maxShardSize: opts.maxShardSize });
  else await saveSafetensors(file, records, meta, opts);
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
      const keys = entries.map(([k]) => k).slice(0, 8).join(", ");
      throw new Error(`loadWeights: ${file} holds ${entries.length ? `an object with keys ${keys}` : "no dict of tensors"}, not a state dict; use loadPytorch(file) and pick the state dict (e.g. ckpt.model)`);
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

/** Splits nested state into tensors (by path) and JSON with placeholders. */
function pack(value: unknown, path: string, tensors: Record<string, TensorRecord>): unknown {
  if (value instanceof Tensor) {
    tensors[path] = toRecord(value);
    return { $tensor: path };
  }
  if (Array.isArray(value)) return value.map((v, i) => pack(v, `${path}.${i}`, tensors));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = pack(v, path ? `${path}.${k}` : k, tensors);
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return { $number: String(value) };
  return value;
}

function unpack(value: unknown, tensors: Record<string, TensorRecord>, file: string): unknown {
  if (Array.isArray(value)) return value.map((v) => unpack(v, tensors, file));
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.$tensor === "string") {
      const r = tensors[o.$tensor];
      if (!r) throw new Error(`loadCheckpoint: ${file} refers to tensor "${o.$tensor}", which the file does not contain`);
      return fromRecord(r);
    }
    if (typeof o.$number === "string") return Number(o.$number);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = unpack(v, tensors, file);
    return out;
  }
  return value;
}

/** `await saveCheckpoint("ckpt.safetensors", {epoch, model: model.stateDict(), optimizer: opt.stateDict()})` */
export async function saveCheckpoint(file: string, state: Record<string, unknown>): Promise<void> {
  const tensors: Record<string, TensorRecord> = {};
  const json = JSON.stringify(pack(state, "", tensors));
  await saveSafetensors(file, tensors, { format: FORMAT, state: json });
}

/** Reads what saveCheckpoint wrote, validating the file before use. */
export async function loadCheckpoint(file: string): Promise<Record<string, unknown>> {
  const { tensors, metadata } = await loadSafetensors(file);
  if (metadata.format !== FORMAT || typeof metadata.state !== "string") {
    throw new Error(`loadCheckpoint: ${file} is not a deeptype checkpoint (format "${metadata.format ?? "missing"}", expected "${FORMAT}")`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata.state);
  } catch (e) {
    throw new Error(`loadCheckpoint: ${file} has a corrupt state header: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`loadCheckpoint: ${file}'s state is not an object`);
  return unpack(parsed, tensors, file) as Record<string, unknown>;
}
