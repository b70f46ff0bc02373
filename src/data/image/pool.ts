/**
 * DecodePool: PNG/JPEG decoding on worker threads (Node.js), so a DataLoader's batches decode in
 * parallel while the main thread trains.
 *
 * The worker is plain JavaScript built from `decodePixels`'s own source text and the resolved
 * paths of the decoder packages, so it needs no TypeScript loader and no separate entry file: it
 * runs the same under `node --import tsx` (whose hooks do not reach worker threads on Node 20) and
 * from the compiled dist.
 */
import { argError, checkKeys } from "../../tensor/check.js";
import type { Worker as NodeWorker } from "node:worker_threads";
import type { RawImage } from "../transforms/tensor.js";
import { DECODER_PACKAGES, type DecodeOptions, type DecodedPixels, decodeError, decodePixels, finishDecode, prepareDecode } from "./decode.js";
import { validateImage, zlibInflateCheck } from "./validate.js";

function workerSource(): string {
  return `
const { parentPort, workerData } = require("node:worker_threads");
// Under tsx, esbuild's keepNames wraps inner named functions in __name(); give it one here.
const __name = (f) => f;
const decs = { png: require(workerData.png), jpeg: require(workerData.jpeg), inflateCheck: (${zlibInflateCheck.toString()}), validate: (${validateImage.toString()}) };
const decodePixels = (${decodePixels.toString()});
parentPort.on("message", ({ id, format, bytes, keep16Bit, maxPixels }) => {
  try {
    const px = decodePixels(format, bytes, decs, keep16Bit, maxPixels);
    // Copy into a buffer of its own (decoders may return views of a larger pool) and transfer it.
    const data = new (px.data instanceof Uint16Array ? Uint16Array : Uint8Array)(px.data.length);
    data.set(px.data);
    parentPort.postMessage({ id, px: { width: px.width, height: px.height, channels: px.channels, maxValue: px.maxValue, data } }, [data.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});`;
}

interface Pending {
  resolve: (px: DecodedPixels) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: NodeWorker;
  busy: number;
}

/**
 * A fixed set of decoder threads; `decode` answers in any order but each Promise gets its own image.
 * Idle workers do not keep the process alive; call `close()` to end them early.
 *
 * ```ts
 * const pool = new DecodePool({ workers: 2 });  const img = await pool.decode(bytes, { source: "a.png" });
 * ```
 */
export class DecodePool {
  readonly workers: number;
  private slots: Slot[] = [];
  private pending = new Map<number, Pending & { slot: Slot }>();
  private nextId = 0;
  private closed = false;

  /** Heap limit of each decoder thread, in MiB. */
  readonly maxHeapMb: number;

  constructor(opts: { workers?: number; maxHeapMb?: number } = {}) {
    if (opts === null || typeof opts !== "object") throw argError("DecodePool", "options", "an object like { workers: 2 }", opts);
    checkKeys("DecodePool", opts, ["workers", "maxHeapMb"]);
    this.maxHeapMb = opts.maxHeapMb ?? 4096;
    if (typeof this.maxHeapMb !== "number" || !(this.maxHeapMb >= 64)) throw new Error(`DecodePool: maxHeapMb must be a number of MiB >= 64, got ${String(opts.maxHeapMb)}`);
    const os = typeof process !== "undefined" ? process.getBuiltinModule?.("node:os") : undefined;
    const cores = os?.availableParallelism?.() ?? 2;
    this.workers = opts.workers ?? Math.max(1, Math.min(4, cores - 1));
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new Error(`DecodePool: workers must be a positive integer, got ${opts.workers}`);
  }

  private spawn(): Slot {
    const wt = typeof process !== "undefined" ? process.getBuiltinModule?.("node:worker_threads") : undefined;
    if (!wt) throw new Error("DecodePool: worker threads need Node.js >= 20.16; decode on the main thread with decodeImage instead");
    const require = process.getBuiltinModule("node:module").createRequire(import.meta.url);
    const workerData = { png: require.resolve(DECODER_PACKAGES.png), jpeg: require.resolve(DECODER_PACKAGES.jpeg) };
    // A heap bound per thread: a hostile file that got past the checks ends that thread, not the process.
    const worker = new wt.Worker(workerSource(), { eval: true, workerData, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    const slot: Slot = { worker, busy: 0 };
    worker.unref();
    worker.on("message", (msg: { id: number; px?: DecodedPixels; error?: string }) => {
      const job = this.pending.get(msg.id);
      if (!job) return;
      this.pending.delete(msg.id);
      if (--slot.busy === 0) worker.unref();
      if (msg.error !== undefined) job.reject(new Error(msg.error));
      else job.resolve(msg.px!);
    });
    const fail = (err: Error): void => {
      this.slots = this.slots.filter((s) => s !== slot);
      for (const [id, job] of this.pending) {
        if (job.slot === slot) {
          this.pending.delete(id);
          job.reject(new Error(`DecodePool: a decoder thread failed: ${err.message}`));
        }
      }
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (!this.closed) fail(new Error(`it exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  /**
   * Decodes PNG/JPEG bytes on a worker thread; same result and errors as `decodeImage`.
   * `transfer: true` hands the bytes' buffer to the worker (no copy; the caller's array is emptied).
   */
  async decode(bytes: Uint8Array, opts: DecodeOptions & { source?: string; transfer?: boolean } = {}): Promise<RawImage> {
    if (this.closed) throw new Error("DecodePool: the pool is closed");
    const { format, source, maxPixels } = prepareDecode("DecodePool.decode", bytes, opts);
    // The least busy worker, spawning up to `workers` of them on demand.
    let slot = this.slots.reduce<Slot | null>((best, s) => (!best || s.busy < best.busy ? s : best), null);
    if (!slot || (slot.busy > 0 && this.slots.length < this.workers)) slot = this.spawn();
    const id = this.nextId++;
    // Copy by default: transferring would detach the caller's buffer. With `transfer: true` (the
    // caller is done with the bytes, e.g. freshly read from a file) the buffer moves without a copy.
    // Only a view spanning its whole buffer may move it (such a view starts at offset 0).
    const ownsBuffer = bytes.byteLength === bytes.buffer.byteLength;
    const owned = opts.transfer && ownsBuffer ? bytes : Uint8Array.prototype.slice.call(bytes);
    const s = slot;
    let px: DecodedPixels;
    try {
      px = await new Promise<DecodedPixels>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, slot: s });
        if (s.busy++ === 0) s.worker.ref();
        s.worker.postMessage({ id, format, bytes: owned, keep16Bit: opts.keep16Bit ?? false, maxPixels }, [owned.buffer as ArrayBuffer]);
      });
    } catch (e) {
      // Decoder errors get decodeImage's wording; a crashed thread keeps its own message.
      if ((e as Error).message.startsWith("DecodePool:")) throw e;
      throw decodeError(format, source, (e as Error).message);
    }
    return finishDecode(px, opts.mode ?? "RGB", source);
  }

  /** Ends the worker threads (pending decodes are rejected). */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      job.reject(new Error("DecodePool: closed before the image was decoded"));
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
