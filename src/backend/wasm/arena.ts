/**
 * The arena: a bump allocator over a kernel module's memory, where a kernel call's operands are
 * copied in and its results computed before they are copied back out (session.ts). Tensor storage
 * stays ordinary garbage-collected typed arrays; the arena is reset at the start of every session,
 * so nothing in it outlives the call and nobody calls dispose().
 */
import type { TypedArray } from "../../tensor/dtype.js";
import { MAX_PAGES, type WasmMemory } from "./loader.js";

// Leaves the first 64 KiB to the module's constant tables (its data segments start at 1 KiB).
const ARENA_BASE = 65536;

/** A bump allocator over a kernel memory (shared or plain), reset at the start of every kernel call. */
export class Arena {
  private top = ARENA_BASE;
  f32!: Float32Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  constructor(private readonly memory: WasmMemory) {
    this.refresh();
  }
  private refresh(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
  }
  /** The view of memory matching a storage array's element type (fetch it after alloc). */
  heapFor(d: TypedArray): Float32Array | Int32Array | Uint8Array {
    return d instanceof Int32Array ? this.i32 : d instanceof Uint8Array ? this.u8 : this.f32;
  }
  reset(): void {
    this.top = ARENA_BASE;
  }
  /**
   * Byte address of `bytes` fresh bytes congruent to `like` modulo 8: copies between the shared memory
   * and a plain array go word by word only when both ends agree modulo 8 (V8's relaxed memmove for
   * shared buffers), and byte by byte, about 8x slower, when they do not (a view at an odd offset).
   */
  allocLike(bytes: number, like: number): number {
    const r = like & 7;
    return r === 0 ? this.alloc(bytes) : this.alloc(bytes + 8) + r;
  }
  /** Byte address of `bytes` fresh bytes, 64-byte aligned (a cache line; v128 loads never straddle one). */
  alloc(bytes: number): number {
    const p = this.top;
    this.top = p + Math.ceil(Math.max(bytes, 4) / 64) * 64;
    // The cached views' length is the memory's size as of the last growth (reading memory.buffer of a
    // shared memory is slow enough to show in small ops); only growing changes it.
    if (this.top <= this.f32.byteLength) return p;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      const pages = Math.ceil((this.top - have) / 65536);
      if (have / 65536 + pages > MAX_PAGES) {
        throw new Error(`wasm backend: operands need ${(this.top / 2 ** 20).toFixed(0)} MiB, over the 2 GiB arena limit (use setBackend("js") for this op)`);
      }
      // Grow by at least half again so a slowly growing workload does not grow on every call.
      this.memory.grow(Math.max(pages, Math.min(MAX_PAGES - have / 65536, Math.ceil(have / 65536 / 2))));
    }
    if (this.f32.buffer.byteLength !== this.memory.buffer.byteLength) this.refresh();
    return p;
  }
}

