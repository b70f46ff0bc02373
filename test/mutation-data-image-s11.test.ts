// Session 11 (issue 14): validateImage's survivors of the first full mutation run of
// src/data/image/validate.ts (docs/mutation/session-11-data.md), on hand-made files as in
// test/data-image-validate.test.ts: each rule at its edge, with its exact message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateImage, zlibInflateCheck } from "../src/data/image/validate.js";

const refuses = (format: "png" | "jpeg", bytes: Uint8Array | number[], message: string, maxPixels = 1e6): void => {
  assert.throws(() => validateImage(format, Uint8Array.from(bytes), maxPixels, zlibInflateCheck), (e: Error) => (assert.equal(e.message, message), true));
};
const accepts = (format: "png" | "jpeg", bytes: Uint8Array | number[], width: number, height: number, maxPixels = 1e6): void => {
  assert.deepEqual(validateImage(format, Uint8Array.from(bytes), maxPixels, zlibInflateCheck), { width, height });
};

// ---- JPEG: segments are [0xff, marker, length (2 bytes, counting itself), body] ----
const seg = (m: number, body: number[]): number[] => [0xff, m, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];
const zeros = (n: number): number[] => new Array<number>(n).fill(0);
const dqt = (...ids: number[]): number[] => seg(0xdb, ids.flatMap((id) => [id, ...new Array<number>(64).fill(1)]));
const sof = (w: number, h: number, comps: number[][] = [[1, 0x11, 0]], m = 0xc0): number[] => seg(m, [8, h >> 8, h & 255, w >> 8, w & 255, comps.length, ...comps.flat()]);
const dht = (tcth: number, counts: number[] = [1], symbols: number[] = [0]): number[] => seg(0xc4, [tcth, ...counts, ...zeros(16 - counts.length), ...symbols]);
const sos = (comps: number[][] = [[1, 0x00]], ss = 0, se = 63, ahal = 0): number[] => [...seg(0xda, [comps.length, ...comps.flat(), ss, se, ahal]), 0x12, 0x34];
const jpeg = (...parts: number[][]): number[] => [0xff, 0xd8, ...parts.flat(), 0xff, 0xd9];
const TABLES = [dqt(0), dht(0x00), dht(0x10)];

test("JPEG scans are counted: the messages name the second and third scan", () => {
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos(), sos([[1, 0x01]])), "scan 2 uses AC Huffman table 1, which is not defined");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos(), sos(), sos([[9, 0x00]])), "scan 3 names component id 9, which the frame header does not declare");
  const prog = jpeg(...TABLES, sof(16, 8, undefined, 0xc2), sos(undefined, 0, 0, 0), sos(undefined, 1, 63, 0), sos(undefined, 2, 1, 0));
  refuses("jpeg", prog, "progressive scan 3 has invalid parameters Ss=2 Se=1 Ah=0 Al=0");
  accepts("jpeg", jpeg(...TABLES, sof(16, 8), sos(), sos(), sos()), 16, 8);
});
