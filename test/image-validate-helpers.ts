// Builders of hand-made image files for the validateImage tests (test/data-image-validate.test.ts and
// test/mutation-data-image-s11.test.ts): its accept/refuse assertions and JPEG segments.
import assert from "node:assert/strict";
import { validateImage, zlibInflateCheck } from "../src/data/image/validate.js";

/** validateImage refuses the file with exactly `message`. */
export const refuses = (format: "png" | "jpeg", bytes: Uint8Array | number[], message: string, maxPixels = 1e6): void => {
  assert.throws(() => validateImage(format, Uint8Array.from(bytes), maxPixels, zlibInflateCheck), (e: Error) => (assert.equal(e.message, message), true));
};
/** validateImage accepts the file and reads its size. */
export const accepts = (format: "png" | "jpeg", bytes: Uint8Array | number[], width: number, height: number, maxPixels = 1e6): void => {
  assert.deepEqual(validateImage(format, Uint8Array.from(bytes), maxPixels, zlibInflateCheck), { width, height });
};

// ---- JPEG: segments are [0xff, marker, length (2 bytes, counting itself), body] ----
export const seg = (m: number, body: number[]): number[] => [0xff, m, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];
export const zeros = (n: number): number[] => new Array<number>(n).fill(0);
/** DQT with 8-bit tables of the given ids. */
export const dqt = (...ids: number[]): number[] => seg(0xdb, ids.flatMap((id) => [id, ...new Array<number>(64).fill(1)]));
/** A frame header; each component is [id, h<<4|v, quant table]. */
export const sof = (w: number, h: number, comps: number[][] = [[1, 0x11, 0]], m = 0xc0): number[] => seg(m, [8, h >> 8, h & 255, w >> 8, w & 255, comps.length, ...comps.flat()]);
/** DHT: class<<4|id, 16 code-length counts (counts[i] codes of length i+1), the symbols. */
export const dht = (tcth: number, counts: number[] = [1], symbols: number[] = [0]): number[] => seg(0xc4, [tcth, ...counts, ...zeros(16 - counts.length), ...symbols]);
/** SOS over components [id, dc<<4|ac], then two bytes of entropy-coded data. */
export const sos = (comps: number[][] = [[1, 0x00]], ss = 0, se = 63, ahal = 0): number[] => [...seg(0xda, [comps.length, ...comps.flat(), ss, se, ahal]), 0x12, 0x34];
export const jpeg = (...parts: number[][]): number[] => [0xff, 0xd8, ...parts.flat(), 0xff, 0xd9];
export const TABLES = [dqt(0), dht(0x00), dht(0x10)];
export const base = (w = 16, h = 8): number[] => jpeg(...TABLES, sof(w, h), sos());
