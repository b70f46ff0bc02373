/**
 * Disk I/O for Node.js: atomic writes and safetensors files.
 *
 * Kept apart from `safetensors.ts` so that browser bundles never pull in `node:fs`.
 */
import { checkKeys } from "../tensor/check.js";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_MAX_BYTES, parseSafetensors, serializeSafetensors, type ParsedSafetensors, type SafetensorsReadOptions, type SerializeOptions, type TensorRecord } from "./safetensors.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const LOAD_SAFETENSORS_KEYS = ["maxBytes", "maxHeaderBytes"] as const;
const SAVE_SAFETENSORS_KEYS = ["floatDtype", "dtypes"] as const;

/**
 * Writes `data` to `file` so that readers see either the old file or the complete new one, never a
 * torn write: the bytes go to a temporary file in the same directory (same filesystem, so `rename`
 * is atomic), are fsynced, then renamed over the target; the directory is fsynced so the rename
 * itself survives a power cut. On failure the temporary file is removed and the previous file is
 * left as it was. A process killed mid-write may leave a `.<name>.<pid>.<n>.tmp` file behind, never a
 * half-written `file`.
 *
 * @example await atomicWriteFile("runs/report.html", html);
 */
export async function atomicWriteFile(file: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${tmpCounter++}.tmp`);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(tmp, "wx", 0o644);
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, written);
      if (bytesWritten <= 0) throw new Error(`atomicWriteFile: ${file}: write made no progress`);
      written += bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(tmp, file);
  } catch (e) {
    if (handle) await handle.close().catch(() => {});
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  await syncDir(dir);
}

let tmpCounter = 0;

/** `.<name>.<pid>.<n>.tmp`, the temporary files atomicWriteFile makes. */
const TMP_NAME = /^\.(.+)\.(\d+)\.(\d+)\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM"; // exists, owned by someone else
  }
}

/**
 * Deletes the temporary files that writers killed mid-save left in `dir` (atomicWriteFile's
 * `.<name>.<pid>.<n>.tmp` whose process is gone); returns their names. A live process's files,
 * this one's included, are left alone.
 *
 * @example await removeStaleTempFiles("runs/cnn");
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.promises.readdir(dir)) {
    const m = TMP_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    await fs.promises.rm(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

async function syncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable on Linux; some platforms (Windows) cannot open a
  // directory, where the rename is as durable as the OS makes it anyway.
  let h: fs.promises.FileHandle | undefined;
  try {
    h = await fs.promises.open(dir, "r");
    await h.sync();
  } catch {
    /* best effort */
  } finally {
    await h?.close().catch(() => {});
  }
}

/**
 * Saves tensors (and string metadata) as a safetensors file, atomically.
 *
 * @example await saveSafetensors("model.safetensors", { "fc.weight": { dtype: "float32", shape: [2, 2], data: w } }, { epoch: "3" });
 */
export async function saveSafetensors(
  file: string,
  tensors: Record<string, TensorRecord>,
  metadata?: Record<string, string>,
  opts?: SerializeOptions,
): Promise<void> {
  checkKeys("saveSafetensors", opts, SAVE_SAFETENSORS_KEYS);
  await atomicWriteFile(file, serializeSafetensors(tensors, metadata, opts));
}

/**
 * Reads and validates a safetensors file; errors name the file and the problem. The file's size is
 * checked against `maxBytes` (default 4 GiB) before it is read.
 *
 * @example const { tensors, metadata } = await loadSafetensors("model.safetensors");
 */
export async function loadSafetensors(file: string, opts: SafetensorsReadOptions = {}): Promise<ParsedSafetensors> {
  checkKeys("loadSafetensors", opts, LOAD_SAFETENSORS_KEYS);
  if (typeof file !== "string") throw new Error(`loadSafetensors: expected a file path string, got ${describe(file)}`);
  const bytes = await readFileCapped(file, opts.maxBytes ?? DEFAULT_MAX_BYTES, "safetensors", "maxBytes");
  return parseSafetensors(bytes, file, opts);
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? ((v as object).constructor?.name ?? "an object") : `${typeof v} ${String(v)}`;
}

/**
 * Reads a whole file after checking its size against a limit, so a huge file is an error naming the
 * file, its size and the option that raises the limit, not an out-of-memory crash.
 *
 * @example const bytes = await readFileCapped("x.idx", 2 ** 30, "readIdx", "maxBytes");
 */
export async function readFileCapped(file: string, maxBytes: number, who: string, option: string): Promise<Uint8Array> {
  const { size } = await fs.promises.stat(file);
  if (size > maxBytes) throw new Error(`${who}: ${file} is ${size} bytes, more than ${option} (${maxBytes}); pass a larger { ${option} } to read it`);
  const bytes = await fs.promises.readFile(file);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
