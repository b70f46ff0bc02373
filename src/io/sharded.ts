/**
 * Sharded safetensors checkpoints, as Hugging Face writes big models: `model-00001-of-00003.safetensors`,
 * ... beside `model.safetensors.index.json` = `{"metadata": {"total_size": N}, "weight_map": {key: shard}}`.
 * Node only (reads and writes files).
 */
import { checkKeys } from "../tensor/check.js";
import fs from "node:fs";
import path from "node:path";
import { atomicWriteFile, loadSafetensors } from "./files.js";
import { serializeSafetensors, type LoadedTensorRecord, type SerializeOptions, type TensorRecord } from "./safetensors.js";
import { encodedByteLength, NATIVE_FILE_DTYPE, type FileDType } from "./dtypes.js";
import { parseJsonStrict } from "./json-scan.js";

/** The name Hugging Face gives the index of a sharded checkpoint. */
export const INDEX_SUFFIX = ".index.json";

/**
 * Reads every tensor of a sharded checkpoint from its index file. Shard names in the index must be
 * plain file names in the index's folder (no paths), every key must be in the shard the index names,
 * and a shard holding keys the index does not list is an error: a torn or mixed-up download shows up here.
 *
 * @example const tensors = await loadShardedSafetensors("llm/model.safetensors.index.json");
 */
export async function loadShardedSafetensors(indexFile: string): Promise<Record<string, LoadedTensorRecord>> {
  const where = `loadShardedSafetensors: ${indexFile}`;
  let text: string;
  try {
    text = await fs.promises.readFile(indexFile, "utf8");
  } catch (e) {
    throw new Error(`${where}: cannot read the index (${(e as Error).message})`);
  }
  // Strict: a duplicate key or absurd nesting is an error, and keys cannot reach a prototype.
  const index = parseJsonStrict(text, 16, (m) => {
    throw new Error(`${where}: the index ${m}`);
  });
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new Error(`${where}: expected {"weight_map": {key: shard file}}, as model.safetensors.index.json holds`);
  }
  const byShard = new Map<string, string[]>();
  for (const [key, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== "string" || shard === "" || shard !== path.basename(shard) || shard === "." || shard === "..") {
      throw new Error(`${where}: key "${key}" names shard ${JSON.stringify(shard)}; shards must be plain file names beside the index`);
    }
    if (!byShard.has(shard)) byShard.set(shard, []);
    byShard.get(shard)!.push(key);
  }
  const out = Object.create(null) as Record<string, LoadedTensorRecord>;
  const dir = path.dirname(indexFile);
  for (const [shard, keys] of byShard) {
    const { tensors } = await loadSafetensors(path.join(dir, shard));
    const listed = new Set(keys);
    for (const k of keys) {
      if (!Object.hasOwn(tensors, k)) throw new Error(`${where}: the index puts "${k}" in ${shard}, which does not contain it`);
    }
    for (const k of Object.keys(tensors)) {
      if (!listed.has(k)) throw new Error(`${where}: ${shard} holds "${k}", which the index does not list (index and shards do not match)`);
    }
    // Index order, not shard order, so a state dict comes back in the order it was saved.
    for (const k of keys) out[k] = tensors[k];
  }
  return out;
}

const SHARD_KEYS = ["floatDtype", "dtypes", "maxShardSize"] as const;

/** Options of `saveShardedSafetensors`: the dtype options of `serializeSafetensors` plus the shard size. */
export interface ShardOptions extends SerializeOptions {
  /** Largest data size of one shard in bytes (a single bigger tensor gets a shard of its own). */
  maxShardSize: number;
}

/**
 * Writes tensors as shards of at most `maxShardSize` data bytes plus the index, Hugging Face's way:
 * `file` = "out/model.safetensors" gives `out/model-00001-of-0000N.safetensors` and
 * `out/model.safetensors.index.json`. Tensors keep their order; each file is written atomically.
 * Returns the index path.
 *
 * @example await saveShardedSafetensors("out/model.safetensors", records, { format: "pt" }, { maxShardSize: 5e9 });
 */
export async function saveShardedSafetensors(
  file: string,
  tensors: Record<string, TensorRecord>,
  metadata: Record<string, string> | undefined,
  opts: ShardOptions,
): Promise<string> {
  const where = "saveShardedSafetensors";
  checkKeys(where, opts, SHARD_KEYS);
  if (typeof opts?.maxShardSize !== "number" || !(opts.maxShardSize > 0)) {
    throw new Error(`${where}: maxShardSize must be a positive number of bytes, got ${String(opts?.maxShardSize)}`);
  }
  if (!file.endsWith(".safetensors")) throw new Error(`${where}: file must end in .safetensors (e.g. "model.safetensors"), got "${file}"`);
  const shards: string[][] = [[]];
  let size = 0;
  let total = 0;
  for (const [k, rec] of Object.entries(tensors)) {
    const code: FileDType = opts.dtypes?.[k] ?? (opts.floatDtype && rec.dtype.startsWith("float") ? opts.floatDtype : NATIVE_FILE_DTYPE[rec.dtype]);
    const bytes = encodedByteLength(rec, code, `${where}: tensor "${k}"`);
    if (size > 0 && size + bytes > opts.maxShardSize) {
      shards.push([]);
      size = 0;
    }
    shards[shards.length - 1].push(k);
    size += bytes;
    total += bytes;
  }
  const stem = file.slice(0, -".safetensors".length);
  const n = shards.length;
  const pad = (i: number) => String(i).padStart(5, "0");
  const weightMap: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const shardFile = `${stem}-${pad(i + 1)}-of-${pad(n)}.safetensors`;
    const part: Record<string, TensorRecord> = {};
    for (const k of shards[i]) {
      part[k] = tensors[k];
      weightMap[k] = path.basename(shardFile);
    }
    await atomicWriteFile(shardFile, serializeSafetensors(part, metadata, { floatDtype: opts.floatDtype, dtypes: opts.dtypes }));
  }
  const indexFile = file + INDEX_SUFFIX;
  await atomicWriteFile(indexFile, JSON.stringify({ metadata: { ...(metadata ?? {}), total_size: total }, weight_map: weightMap }, null, 2) + "\n");
  return indexFile;
}
