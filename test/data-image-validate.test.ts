// validateImage (src/data/image/validate.ts) called directly on hand-made files, one rule at a time
// and at each rule's edge (a value just inside is accepted, just outside refused with its exact
// message), and the browser's inflate check (fflate) against Node's zlib. No decoder runs here:
// this is the structural pass that keeps hostile files away from the decoder libraries.
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import * as fflate from "fflate";
import { fflateInflateCheck, validateImage, zlibInflateCheck } from "../src/data/image/validate.js";
import { ihdr, pngChunk, pngFile } from "../fuzz/craft.js";
import { accepts, base, dht, dqt, jpeg, refuses, seg, sof, sos, TABLES, zeros } from "./image-validate-helpers.js";

const size = (width: number, height: number) => ({ width, height });

test("JPEG markers: the walk from marker to marker, fill bytes, markers without a length, and truncation at each step", () => {
  accepts("jpeg", base(), 16, 8);
  refuses("jpeg", [0xff, 0xd8], "truncated: the file ends at byte 2 without an end-of-image marker");
  refuses("jpeg", [0xff, 0xd8, 0x12], "expected a marker at byte 2, found 0x12");
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xff], "truncated: the file ends inside a marker");
  accepts("jpeg", [0xff, 0xd8, 0xff, 0xff, ...base().slice(3)], 16, 8); // fill bytes before a marker
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xd9], "no frame header (SOF) before the end of the image");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8)), "no image data (SOS) before the end of the image");
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xd8], "unexpected marker 0xffd8 at byte 2");
  refuses("jpeg", [0xff, 0xd8, 0xff, 0x00], "unexpected marker 0xff00 at byte 2");
  // Restart markers (0xd0-0xd7) and TEM (0x01) carry no length; their neighbours do.
  for (const m of [0xd0, 0xd7, 0x01]) accepts("jpeg", jpeg([0xff, m], ...TABLES, sof(16, 8), sos()), 16, 8);
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00], "marker 0xffe0 at byte 2 has an invalid length 0");
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xe0, 0x00], "truncated: marker 0xffe0 at byte 2 has no length");
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02], "truncated: the file ends at byte 6 without an end-of-image marker");
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01], "marker 0xffe0 at byte 2 has an invalid length 1");
  accepts("jpeg", jpeg(seg(0xe0, []), ...TABLES, sof(16, 8), sos()), 16, 8); // a length of 2: an empty segment
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x05, 0x00, 0x00], "truncated: marker 0xffe0 at byte 2 declares 5 bytes but 4 remain");
  refuses("jpeg", [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00], "truncated: the file ends at byte 8 without an end-of-image marker");
  accepts("jpeg", jpeg(seg(0xdd, [0, 1]), ...TABLES, sof(16, 8), sos()), 16, 8); // DRI of 4 bytes
  refuses("jpeg", jpeg(seg(0xdd, [0]), ...TABLES), "restart interval segment of 3 bytes (expected 4)");
});

test("JPEG frame header: which markers are frames, and each field at its edge", () => {
  accepts("jpeg", jpeg(...TABLES, sof(16, 8, undefined, 0xc1), sos()), 16, 8);
  for (const m of [0xc3, 0xc5, 0xcb, 0xcd, 0xcf]) {
    refuses("jpeg", jpeg(...TABLES, sof(16, 8, undefined, m), sos()), `unsupported JPEG process (SOF marker 0xff${m.toString(16)}: lossless, hierarchical or arithmetic-coded); only baseline, extended and progressive Huffman JPEGs are read`);
  }
  // 0xc8 (JPG) and 0xcc (DAC) sit in the SOF range but are other segments; 0xbf and 0xe0 are outside it.
  for (const m of [0xc8, 0xcc, 0xbf, 0xe0]) accepts("jpeg", jpeg(seg(m, [1, 2, 3, 4, 5, 6, 7, 8, 9]), ...TABLES, sof(16, 8), sos()), 16, 8);
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sof(16, 8), sos()), "more than one frame header (SOF)");
  refuses("jpeg", jpeg(...TABLES, seg(0xc0, [8, 0, 8, 0, 16])), "frame header of 7 bytes is too short");
  refuses("jpeg", jpeg(...TABLES, seg(0xc0, [8, 0, 8, 0, 16, 0])), "frame header declares 0 components (expected 1, 3 or 4)");
  refuses("jpeg", jpeg(...TABLES, seg(0xc0, [12, 0, 8, 0, 16, 1, 1, 0x11, 0])), "12-bit samples are not supported (8-bit only)");
  refuses("jpeg", jpeg(...TABLES, sof(0, 8)), "frame header declares a 0x8 image");
  refuses("jpeg", jpeg(...TABLES, sof(16, 0)), "frame header declares a 16x0 image");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 0], [2, 0x11, 0]])), "frame header declares 2 components (expected 1, 3 or 4)");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 0], [2, 0x11, 0], [3, 0x11, 0], [4, 0x11, 0], [5, 0x11, 0]])), "frame header declares 5 components (expected 1, 3 or 4)");
  refuses("jpeg", jpeg(...TABLES, seg(0xc0, [8, 0, 8, 0, 16, 1, 1, 0x11, 0, 0])), "frame header length 12 does not match its 1 components");
  const three = [[1, 0x22, 0], [2, 0x11, 0], [3, 0x11, 0]];
  const four = [...three, [4, 0x11, 0]];
  accepts("jpeg", jpeg(...TABLES, sof(16, 8, three), sos([[1, 0x00], [2, 0x00], [3, 0x00]])), 16, 8);
  accepts("jpeg", jpeg(...TABLES, sof(16, 8, four), sos([[1, 0x00], [2, 0x00], [3, 0x00], [4, 0x00]])), 16, 8);
  // Sampling factors 1-4 in each direction, in whole-number ratios.
  accepts("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x44, 0]]), sos()), 16, 8);
  for (const [hv, text] of [[0x01, "0x1"], [0x10, "1x0"], [0x51, "5x1"], [0x15, "1x5"]] as const) {
    refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 0], [2, hv, 0], [3, 0x11, 0]])), `component 1 has invalid sampling factors ${text}`);
  }
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x21, 0], [2, 0x31, 0], [3, 0x11, 0]])), "sampling factors 2x1, 3x1, 1x1 are not whole-number ratios");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x12, 0], [2, 0x13, 0], [3, 0x11, 0]])), "sampling factors 1x2, 1x3, 1x1 are not whole-number ratios");
  accepts("jpeg", jpeg(dqt(3), dht(0x00), dht(0x10), sof(16, 8, [[1, 0x11, 3]]), sos()), 16, 8);
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 0], [2, 0x11, 4], [3, 0x11, 0]])), "component 1 names quantisation table 4 (0-3 exist)");
  accepts("jpeg", base(), 16, 8, 128);
  refuses("jpeg", base(), "the image is 16x8 = 128 pixels, more than maxPixels (127); pass a larger { maxPixels } to decode it", 127);
  assert.deepEqual(validateImage("jpeg", Uint8Array.from(base(300, 513)), 1e6, zlibInflateCheck), size(300, 513), "two-byte sizes, height before width");
});

test("JPEG scans: components, tables, progressive parameters and the entropy-coded data", () => {
  refuses("jpeg", jpeg(...TABLES, sos(), sof(16, 8)), "image data (SOS) before the frame header (SOF)");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos([])), "scan header declares 0 components in 6 bytes");
  const five = [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0]];
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos(five)), "scan header declares 5 components in 16 bytes");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), seg(0xda, [1, 1, 0, 0, 63, 0, 0]), [0x12]), "scan header declares 1 components in 9 bytes");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos([[7, 0x00]])), "scan 1 names component id 7, which the frame header does not declare");
  const three = [[1, 0x11, 0], [2, 0x11, 0], [3, 0x11, 0]];
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, three), sos([[1, 0x00], [1, 0x00]])), "scan 1 names component id 1, which the frame header does not declare (or names it twice)");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 1]]), sos()), "component id 1 uses quantisation table 1, which is not defined");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos([[1, 0x10]])), "scan 1 uses DC Huffman table 1, which is not defined");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos([[1, 0x01]])), "scan 1 uses AC Huffman table 1, which is not defined");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos([[1, 0x40]])), "scan 1 uses DC Huffman table 4, which is not defined");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos([[1, 0x04]])), "scan 1 uses AC Huffman table 4, which is not defined");
  accepts("jpeg", jpeg(dqt(0), dht(0x03), dht(0x13), sof(16, 8), sos([[1, 0x33]])), 16, 8);
  // A damaged table is an error only when a scan uses it (libjpeg's rule).
  const badDc = dht(0x01, [1], [16]);
  accepts("jpeg", jpeg(...TABLES, badDc, sof(16, 8), sos()), 16, 8);
  refuses("jpeg", jpeg(...TABLES, badDc, sof(16, 8), sos([[1, 0x10]])), "DC Huffman table 1 has symbol 16 (a DC table's symbols are 0-15)");
  accepts("jpeg", jpeg(dqt(0), dht(0x00, [1], [15]), dht(0x10, [1], [16]), sof(16, 8), sos()), 16, 8);
  refuses("jpeg", jpeg(dqt(0), dht(0x00), dht(0x10, [2], [1, 2]), sof(16, 8), sos()), "AC Huffman table 0 has more codes of length 1 than fit");
  refuses("jpeg", jpeg(dqt(0), dht(0x00), dht(0x10, [0, 4], [1, 2, 3, 4]), sof(16, 8), sos()), "AC Huffman table 0 has more codes of length 2 than fit");
  accepts("jpeg", jpeg(dqt(0), dht(0x00), dht(0x10, [1, 1, 1], [1, 2, 3]), sof(16, 8), sos()), 16, 8);
  // Blocks per MCU: at most 10 in a scan of several components; one component may have more.
  const mcu = (hvs: number[]) => jpeg(...TABLES, sof(16, 8, hvs.map((hv, i) => [i + 1, hv, 0])), sos(hvs.map((_, i) => [i + 1, 0x00])));
  accepts("jpeg", mcu([0x22, 0x22, 0x12]), 16, 8);
  refuses("jpeg", mcu([0x22, 0x22, 0x21, 0x11]), "scan 1 has 11 blocks per MCU (at most 10)");
  accepts("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x44, 0], [2, 0x11, 0], [3, 0x11, 0]]), sos([[1, 0x00]])), 16, 8);
  // Progressive: a DC-first scan needs DC tables only, an AC scan AC tables only, a DC refinement none.
  const prog = (tables: number[][], ss: number, se: number, ahal: number, comps = [[1, 0x00]]) => jpeg(dqt(0), ...tables, sof(16, 8, undefined, 0xc2), sos(comps, ss, se, ahal));
  accepts("jpeg", prog([dht(0x00)], 0, 0, 0x00), 16, 8);
  accepts("jpeg", prog([dht(0x10)], 1, 63, 0x00), 16, 8);
  accepts("jpeg", prog([], 0, 0, 0x10), 16, 8);
  accepts("jpeg", prog([dht(0x10)], 5, 5, 0x21), 16, 8);
  accepts("jpeg", prog([dht(0x00)], 0, 0, 0x0d), 16, 8);
  refuses("jpeg", prog([dht(0x10)], 0, 0, 0x00), "scan 1 uses DC Huffman table 0, which is not defined");
  refuses("jpeg", prog([dht(0x00)], 1, 63, 0x00), "scan 1 uses AC Huffman table 0, which is not defined");
  refuses("jpeg", jpeg(dqt(0), dht(0x00), sof(16, 8), sos()), "scan 1 uses AC Huffman table 0, which is not defined");
  for (const [ss, se, ahal] of [[0, 1, 0x00], [2, 1, 0x00], [1, 64, 0x00], [0, 0, 0x20], [0, 0, 0x0e], [0, 0, 0x22]] as [number, number, number][]) {
    refuses("jpeg", prog([dht(0x00), dht(0x10)], ss, se, ahal), `progressive scan 1 has invalid parameters Ss=${ss} Se=${se} Ah=${ahal >> 4} Al=${ahal & 15}`);
  }
  const twoComps = jpeg(dqt(0), dht(0x00), dht(0x10), sof(16, 8, [[1, 0x11, 0], [2, 0x11, 0], [3, 0x11, 0]], 0xc2), sos([[1, 0x00], [2, 0x00]], 1, 63, 0));
  refuses("jpeg", twoComps, "progressive scan 1 has invalid parameters Ss=1 Se=63 Ah=0 Al=0");
  // Baseline scans ignore Ss/Se/Ah/Al (libjpeg warns only).
  accepts("jpeg", jpeg(...TABLES, sof(16, 8), sos(undefined, 3, 1, 0xff)), 16, 8);
  // Entropy-coded data: stuffed 0xff00 and restart markers belong to it; the next other marker ends it.
  accepts("jpeg", jpeg(...TABLES, sof(16, 8), sos(), [0xff, 0x00, 0xff, 0xd0, 0x55, 0xff, 0xd7, 0x66]), 16, 8);
  accepts("jpeg", jpeg(...TABLES, sof(16, 8), sos(), sos()), 16, 8);
  refuses("jpeg", [0xff, 0xd8, ...TABLES.flat(), ...sof(16, 8), ...sos(), 0xff], "truncated: the file ends inside the image data (no end-of-image marker)");
  refuses("jpeg", [0xff, 0xd8, ...TABLES.flat(), ...sof(16, 8), ...sos(), 0xff, 0x00], "truncated: the file ends inside the image data (no end-of-image marker)");
  refuses("jpeg", [0xff, 0xd8, ...TABLES.flat(), ...sof(16, 8), ...sos(), 0xff, 0xd0], "truncated: the file ends inside the image data (no end-of-image marker)");
});

test("JPEG tables: DQT and DHT segments are walked table by table and must fill their segment exactly", () => {
  // Two tables in one segment, a 16-bit table, and table ids 0-3.
  accepts("jpeg", jpeg(dqt(0, 1), dht(0x00), dht(0x10), sof(16, 8, [[1, 0x11, 1]]), sos()), 16, 8);
  accepts("jpeg", jpeg(seg(0xdb, [0x10, ...new Array<number>(128).fill(1)]), dht(0x00), dht(0x10), sof(16, 8), sos()), 16, 8);
  refuses("jpeg", jpeg(dqt(4)), "quantisation table with precision 0 and id 4 (precision 0-1 and ids 0-3 exist)");
  refuses("jpeg", jpeg(seg(0xdb, [0x20, ...new Array<number>(64).fill(1)])), "quantisation table with precision 2 and id 0 (precision 0-1 and ids 0-3 exist)");
  refuses("jpeg", jpeg(seg(0xdb, [0x01, ...new Array<number>(63).fill(1)])), "quantisation table 1 is cut short by the end of its segment");
  refuses("jpeg", jpeg(seg(0xdb, [0x10, ...new Array<number>(127).fill(1)])), "quantisation table 0 is cut short by the end of its segment");
  // DHT: two tables in one segment, then its limits.
  accepts("jpeg", jpeg(dqt(0), seg(0xc4, [...dht(0x00).slice(4), ...dht(0x10).slice(4)]), sof(16, 8), sos()), 16, 8);
  refuses("jpeg", jpeg(dht(0x20)), "Huffman table with class 2 and id 0 (classes 0-1 and ids 0-3 exist)");
  refuses("jpeg", jpeg(dht(0x04)), "Huffman table with class 0 and id 4 (classes 0-1 and ids 0-3 exist)");
  refuses("jpeg", jpeg(seg(0xc4, [0x00, ...zeros(15)])), "Huffman table 0 is cut short by the end of its segment");
  accepts("jpeg", jpeg(dqt(0), seg(0xc4, [0x00, ...zeros(16)]), dht(0x10), sof(16, 8), sos()), 16, 8); // no codes: 17 bytes
  refuses("jpeg", jpeg(dht(0x00, [2], [0])), "Huffman table 0 declares 2 symbols but its segment holds 1");
  // 256 symbols is the most a table holds.
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 255, 1];
  accepts("jpeg", jpeg(dqt(0), dht(0x00), dht(0x10, counts, [...new Array<number>(256).keys()]), sof(16, 8), sos()), 16, 8);
  refuses("jpeg", jpeg(dht(0x10, [0, 0, 0, 0, 0, 0, 0, 0, 255, 2], new Array<number>(257).fill(1))), "Huffman table 0 declares 257 symbols (a byte-valued code has at most 256)");
});

// ---- PNG ----
const IEND = pngChunk("IEND");
/** A zlib stream of `n` filter-0 bytes (what the header's size implies, when n is right). */
const idat = (n: number): Uint8Array => pngChunk("IDAT", zlib.deflateSync(new Uint8Array(n)));
const png = (head: Uint8Array, ...rest: Uint8Array[]): Uint8Array => pngFile(pngChunk("IHDR", head), ...rest);

test("PNG structure: signature, chunk framing, IHDR fields at their edges", () => {
  const ok = png(ihdr(3, 2), idat(8), IEND);
  accepts("png", ok, 3, 2);
  for (const i of [0, 7]) {
    const bad = ok.slice();
    bad[i] ^= 1;
    refuses("png", bad, "the PNG signature is damaged");
  }
  refuses("png", ok.subarray(0, ok.length - 1), `truncated: the file ends at byte ${ok.length - 1} before the IEND chunk`);
  refuses("png", ok.subarray(0, 8), "truncated: the file ends at byte 8 before the IEND chunk");
  const badType = ok.slice();
  badType[33 + 6] = 0x31; // "ID1T"
  refuses("png", badType, "invalid chunk type at byte 33");
  badType[33 + 6] = 0x41;
  badType[33 + 7] = 0x5f; // "IDA_"
  refuses("png", badType, "invalid chunk type at byte 33");
  const long = pngFile(pngChunk("IHDR", ihdr(3, 2)), Uint8Array.from([0x80, 0, 0, 0, 73, 68, 65, 84, 0, 0, 0, 0]));
  refuses("png", long, "truncated: chunk IDAT at byte 33 declares 2147483648 bytes but 0 remain");
  refuses("png", pngFile(pngChunk("IHDR", ihdr(3, 2)), Uint8Array.from([0, 0, 0, 1, 73, 68, 65, 84, 0, 0, 0, 0])), "truncated: chunk IDAT at byte 33 declares 1 bytes but 0 remain");
  refuses("png", pngFile(pngChunk("IHDR", ihdr(3, 2).subarray(0, 12)), idat(8), IEND), "IHDR is 12 bytes, expected 13");
  refuses("png", pngFile(pngChunk("IHDR", [...ihdr(3, 2), 0]), idat(8), IEND), "IHDR is 14 bytes, expected 13");
  refuses("png", png(ihdr(3, 2), pngChunk("IHDR", ihdr(3, 2)), idat(8), IEND), "a second IHDR chunk");
  refuses("png", png(ihdr(3, 0), idat(0), IEND), "IHDR declares a 3x0 image");
  refuses("png", png(ihdr(2 ** 31, 1), idat(0), IEND), "IHDR declares a 2147483648x1 image");
  refuses("png", png(ihdr(1, 2 ** 31), idat(0), IEND), "IHDR declares a 1x2147483648 image");
  // The largest size the format allows passes the field check and meets maxPixels.
  refuses("png", png(ihdr(2 ** 31 - 1, 1), idat(0), IEND), "the image is 2147483647x1 = 2147483647 pixels, more than maxPixels (1000000); pass a larger { maxPixels } to decode it");
  refuses("png", png(ihdr(1, 2 ** 31 - 1), idat(0), IEND), "the image is 1x2147483647 = 2147483647 pixels, more than maxPixels (1000000); pass a larger { maxPixels } to decode it");
  accepts("png", ok, 3, 2, 6);
  refuses("png", ok, "the image is 3x2 = 6 pixels, more than maxPixels (5); pass a larger { maxPixels } to decode it", 5);
  const valid: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
  for (const ct of [0, 1, 2, 3, 4, 5, 6, 7]) {
    for (const depth of [1, 2, 4, 8, 16, 3, 32]) {
      const head = png(ihdr(1, 1, depth, ct), ...(ct === 3 ? [pngChunk("PLTE", [1, 2, 3])] : []));
      const bytes = pngFile(...[head.subarray(8)], idat(0), IEND);
      if (valid[ct]?.includes(depth)) {
        assert.throws(() => validateImage("png", bytes, 1e6, zlibInflateCheck), (e: Error) => /^truncated: the image data inflates to 0 bytes, a 1x1 image needs \d+$/.test(e.message), `${ct}/${depth}`);
      } else {
        refuses("png", bytes, `IHDR: bit depth ${depth} with colour type ${ct} is not a valid combination`);
      }
    }
  }
  const method = (compression: number, filter: number): Uint8Array => {
    const h = ihdr(3, 2);
    h[10] = compression;
    h[11] = filter;
    return png(h, idat(8), IEND);
  };
  refuses("png", method(1, 0), "IHDR: unknown compression (1) or filter method (0)");
  refuses("png", method(0, 1), "IHDR: unknown compression (0) or filter method (1)");
  refuses("png", png(ihdr(3, 2, 8, 0, 2), idat(8), IEND), "IHDR: unknown interlace method 2");
});

test("PNG chunks: order, palettes, IEND, unknown critical chunks", () => {
  const rgb = ihdr(1, 1, 8, 2);
  const pal = (entries: number): Uint8Array => pngChunk("PLTE", new Array<number>(3 * entries).fill(7));
  accepts("png", png(rgb, pal(256), idat(4), IEND), 1, 1);
  refuses("png", png(rgb, pal(257), idat(4), IEND), "PLTE of 771 bytes is not a valid palette for bit depth 8");
  refuses("png", png(rgb, pngChunk("PLTE"), idat(4), IEND), "PLTE of 0 bytes is not a valid palette for bit depth 8");
  refuses("png", png(rgb, pngChunk("PLTE", [1, 2, 3, 4]), idat(4), IEND), "PLTE of 4 bytes is not a valid palette for bit depth 8");
  refuses("png", png(rgb, pal(1), pal(1), idat(4), IEND), "a second PLTE chunk");
  refuses("png", png(rgb, idat(4), pal(1), IEND), "PLTE after the image data");
  refuses("png", png(ihdr(1, 1, 8, 4), pal(1), idat(3), IEND), "a PLTE chunk in a greyscale image (colour type 4)");
  refuses("png", png(ihdr(1, 1, 8, 0), pal(1), idat(2), IEND), "a PLTE chunk in a greyscale image (colour type 0)");
  accepts("png", png(ihdr(1, 1, 8, 6), pal(3), idat(5), IEND), 1, 1); // a suggested palette in a truecolour image
  // A palette image's palette holds at most 2^depth entries; a truecolour suggestion may hold 256.
  accepts("png", png(ihdr(1, 1, 1, 3), pal(2), idat(2), IEND), 1, 1);
  refuses("png", png(ihdr(1, 1, 1, 3), pal(3), idat(2), IEND), "PLTE of 9 bytes is not a valid palette for bit depth 1");
  accepts("png", png(ihdr(1, 1, 2, 3), pal(4), idat(2), IEND), 1, 1);
  refuses("png", png(ihdr(1, 1, 2, 3), pal(5), idat(2), IEND), "PLTE of 15 bytes is not a valid palette for bit depth 2");
  accepts("png", png(ihdr(1, 1, 8, 2, 0), pal(5), idat(4), IEND), 1, 1);
  refuses("png", png(ihdr(1, 1, 8, 3), idat(2), IEND), "a palette image without a PLTE chunk before its data");
  refuses("png", png(ihdr(1, 1, 8, 3), idat(2), pal(2), IEND), "a palette image without a PLTE chunk before its data");
  // IDAT may be split, as long as the pieces are consecutive; the stream is their concatenation.
  const z = zlib.deflateSync(new Uint8Array(8));
  accepts("png", png(ihdr(3, 2), pngChunk("IDAT", z.subarray(0, 3)), pngChunk("IDAT", z.subarray(3)), IEND), 3, 2);
  refuses("png", png(ihdr(3, 2), pngChunk("IDAT", z.subarray(0, 3)), pngChunk("tIME", [1]), pngChunk("IDAT", z.subarray(3)), IEND), "IDAT chunks are not consecutive");
  accepts("png", png(ihdr(3, 2), idat(8), pngChunk("tEXt", [65, 0, 66]), IEND), 3, 2);
  refuses("png", png(ihdr(3, 2), IEND), "no image data (IDAT)");
  refuses("png", png(ihdr(3, 2), idat(8), pngChunk("IEND", [0])), "IEND carries 1 bytes, expected none");
  // Ancillary chunks (first letter lower case) are skipped; unknown critical ones are refused.
  accepts("png", png(ihdr(3, 2), pngChunk("aaaa", [1]), idat(8), IEND), 3, 2);
  refuses("png", png(ihdr(3, 2), pngChunk("Zaaa", [1]), idat(8), IEND), "unknown critical chunk Zaaa");
  refuses("png", png(ihdr(3, 2), pngChunk("Aaaa", [1]), idat(8), IEND), "unknown critical chunk Aaaa");
  // Chunks after IEND are never read.
  accepts("png", pngFile(png(ihdr(3, 2), idat(8), IEND).subarray(8), Uint8Array.from([1, 2, 3])), 3, 2);
});

/** Adam7's pass of each pixel in an 8x8 tile (the PNG specification's table). */
const ADAM7 = ["16462646", "77777777", "56565656", "77777777", "36463646", "77777777", "56565656", "77777777"];

/** The image data's size computed pixel by pixel: for each pass, its rows times (filter byte + packed row). */
function expectedBytes(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  let total = 0;
  for (let pass = 1; pass <= (interlaced ? 7 : 1); pass++) {
    const rowWidths = new Map<number, number>();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (interlaced && Number(ADAM7[y % 8][x % 8]) !== pass) continue;
        rowWidths.set(y, (rowWidths.get(y) ?? 0) + 1);
      }
    }
    for (const w of rowWidths.values()) total += 1 + Math.ceil((w * bitsPerPixel) / 8);
  }
  return total;
}

test("PNG image data: exactly the size the header implies, for every colour type, depth and interlacing", () => {
  const channels: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
  const cases: [number, number][] = [[0, 1], [0, 2], [0, 4], [0, 16], [2, 8], [2, 16], [3, 1], [3, 4], [3, 8], [4, 8], [4, 16], [6, 8], [6, 16]];
  for (const [ct, depth] of cases) {
    for (const [w, h] of [[1, 1], [3, 2], [9, 5], [8, 8], [13, 11]]) {
      for (const interlace of [0, 1]) {
        const need = expectedBytes(w, h, channels[ct] * depth, interlace === 1);
        const plte = ct === 3 ? [pngChunk("PLTE", [1, 2, 3])] : [];
        const what = `colour type ${ct}, depth ${depth}, ${w}x${h}, interlace ${interlace}`;
        assert.deepEqual(validateImage("png", png(ihdr(w, h, depth, ct, interlace), ...plte, idat(need), IEND), 1e6, zlibInflateCheck), size(w, h), what);
        refuses("png", png(ihdr(w, h, depth, ct, interlace), ...plte, idat(need - 1), IEND), `truncated: the image data inflates to ${need - 1} bytes, a ${w}x${h} image needs ${need}`);
        refuses("png", png(ihdr(w, h, depth, ct, interlace), ...plte, idat(need + 1), IEND), `the image data inflates to more than the ${need} bytes the header implies (corrupt, or a decompression bomb)`);
      }
    }
  }
});

test("PNG image data: the zlib header is checked before anything is inflated", () => {
  const head = ihdr(3, 2);
  const withZ = (z: number[] | Uint8Array): Uint8Array => png(head, pngChunk("IDAT", z), IEND);
  const good = zlib.deflateSync(new Uint8Array(8));
  const fcheck = (cmf: number, flg: number): number[] => [cmf, flg + ((31 - (((cmf << 8) | flg) % 31)) % 31)];
  const notZlib = "the image data is not a valid zlib stream";
  refuses("png", withZ(good.subarray(0, 5)), notZlib);
  refuses("png", withZ([0x78, 0x9c, 0, 0, 0, 0]), `${notZlib} (unexpected end of file)`); // 6 bytes pass the header check
  refuses("png", withZ([...fcheck(0x77, 0), ...good.subarray(2)]), notZlib); // compression method 7
  refuses("png", withZ([...fcheck(0x79, 0), ...good.subarray(2)]), notZlib); // compression method 9
  refuses("png", withZ([...fcheck(0x88, 0), ...good.subarray(2)]), notZlib); // a 64 KiB window
  accepts("png", withZ([...fcheck(0x78, 0), ...good.subarray(2)]), 3, 2);
  refuses("png", withZ([...fcheck(0x78, 0x20), ...good.subarray(2)]), notZlib); // a preset dictionary
  refuses("png", withZ([0x78, 0x9d, ...good.subarray(2)]), notZlib); // FCHECK wrong
  accepts("png", withZ([...fcheck(0x08, 0), ...good.subarray(2)]), 3, 2); // the smallest window
});

test("inflate checks: fflate's (browsers) counts, caps and verifies Adler-32 exactly as Node's zlib does", () => {
  const check = fflateInflateCheck(fflate);
  // Large enough for several 16 KiB input pieces and for the Adler sums' periodic reduction.
  // Incompressible bytes (mulberry32), so the stream is pushed in five 16 KiB pieces.
  const rnd = new Uint8Array(70_000);
  let s = 12345;
  for (let i = 0; i < rnd.length; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    rnd[i] = ((t ^ (t >>> 14)) >>> 0) >>> 24;
  }
  assert.ok(zlib.deflateSync(rnd).length > 4 * 16384);
  // 12 MB of 0xff inflate in one piece: the Adler sums must be reduced inside it (b would pass 2^53).
  for (const raw of [new Uint8Array(0), Uint8Array.from([0, 7, 0, 9]), rnd, new Uint8Array(12_000_000).fill(255)]) {
    const z = zlib.deflateSync(raw);
    assert.equal(check(z, raw.length), raw.length);
    assert.equal(zlibInflateCheck(z, raw.length), raw.length);
    assert.equal(check(z, raw.length + 10), raw.length, "under the cap: its length");
    if (raw.length > 0) {
      const over = `the image data inflates to more than the ${raw.length - 1} bytes the header implies (corrupt, or a decompression bomb)`;
      assert.throws(() => check(z, raw.length - 1), (e: Error) => (assert.equal(e.message, over), true));
      assert.throws(() => zlibInflateCheck(z, raw.length - 1), (e: Error) => (assert.equal(e.message, over), true));
    }
    for (const at of [1, 2, 3, 4]) {
      const bad = Uint8Array.from(z);
      bad[bad.length - at] ^= 0x10;
      assert.throws(() => check(bad, raw.length), (e: Error) => (assert.equal(e.message, "the image data fails its Adler-32 check (corrupt data)"), true), `adler byte -${at}`);
    }
  }
  // A stream cut short whose body is exactly two pieces long: the last piece is pushed as final, so
  // the cut is found by the inflater (not by the Adler check on the wrong bytes).
  const stored = zlib.deflateSync(rnd.subarray(0, 40_000), { level: 0 });
  const cut = new Uint8Array(2 + 32768 + 4);
  cut.set(stored.subarray(0, 2 + 32768));
  cut.set(stored.subarray(stored.length - 4), 2 + 32768);
  assert.throws(() => check(cut, 40_000), (e: Error) => /^the image data is not a valid zlib stream \(.+\)$/.test(e.message));
  assert.throws(() => check(Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0, 0, 0, 1]), 10), (e: Error) => /^the image data is not a valid zlib stream \(.+\)$/.test(e.message));
  assert.throws(() => zlibInflateCheck(Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0, 0, 0, 1]), 10), (e: Error) => /^the image data is not a valid zlib stream \(.+\)$/.test(e.message));
  // A cap of 0 is allowed (Node's zlib needs a maxOutputLength of at least 1).
  assert.equal(zlibInflateCheck(zlib.deflateSync(new Uint8Array(0)), 0), 0);
  assert.equal(check(zlib.deflateSync(new Uint8Array(0)), 0), 0);
});
