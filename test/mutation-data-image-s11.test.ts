// Session 11 (issue 14): validateImage's survivors of the first full mutation run of
// src/data/image/validate.ts (docs/mutation/session-11-data.md), on hand-made files as in
// test/data-image-validate.test.ts: each rule at its edge, with its exact message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accepts, dht, dqt, jpeg, refuses, seg, sof, sos, TABLES, zeros } from "./image-validate-helpers.js";


test("JPEG scans are counted: the messages name the second and third scan", () => {
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos(), sos([[1, 0x01]])), "scan 2 uses AC Huffman table 1, which is not defined");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8), sos(), sos(), sos([[9, 0x00]])), "scan 3 names component id 9, which the frame header does not declare");
  const prog = jpeg(...TABLES, sof(16, 8, undefined, 0xc2), sos(undefined, 0, 0, 0), sos(undefined, 1, 63, 0), sos(undefined, 2, 1, 0));
  refuses("jpeg", prog, "progressive scan 3 has invalid parameters Ss=2 Se=1 Ah=0 Al=0");
  accepts("jpeg", jpeg(...TABLES, sof(16, 8), sos(), sos(), sos()), 16, 8);
});

test("JPEG quantisation tables: each of the four ids must be defined by a DQT before a scan uses it", () => {
  for (const q of [0, 1, 2, 3]) {
    const others = [0, 1, 2, 3].filter((x) => x !== q);
    refuses("jpeg", jpeg(dqt(...others), dht(0x00), dht(0x10), sof(16, 8, [[1, 0x11, q]]), [...seg(0xda, [1, 1, 0x00, 0, 63, 0]), 0x12, 0x34]), `component id 1 uses quantisation table ${q}, which is not defined`);
    accepts("jpeg", jpeg(dqt(q), dht(0x00), dht(0x10), sof(16, 8, [[1, 0x11, q]]), sos()), 16, 8);
  }
  refuses("jpeg", jpeg(dht(0x00), dht(0x10), sof(16, 8), sos()), "component id 1 uses quantisation table 0, which is not defined");
});

test("JPEG frame header: a component naming a table past 3 is refused at its own index (first and third component)", () => {
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 4], [2, 0x11, 0], [3, 0x11, 0]]), sos()), "component 0 names quantisation table 4 (0-3 exist)");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 0], [2, 0x11, 0], [3, 0x11, 5]]), sos()), "component 2 names quantisation table 5 (0-3 exist)");
  refuses("jpeg", jpeg(...TABLES, sof(16, 8, [[1, 0x11, 0], [2, 0x11, 0], [3, 0x11, 0], [4, 0x11, 9]]), sos()), "component 3 names quantisation table 9 (0-3 exist)");
});

test("JPEG progressive DC scans of two components read Ah and Al after both components", () => {
  const comps = [[1, 0x11, 0], [2, 0x11, 0], [3, 0x11, 0]];
  const dc = (ahal: number) => jpeg(dqt(0), dht(0x00), sof(16, 8, comps, 0xc2), sos([[1, 0x00], [2, 0x00]], 0, 0, ahal));
  accepts("jpeg", dc(0x00), 16, 8);
  accepts("jpeg", dc(0x01), 16, 8);
  accepts("jpeg", dc(0x10), 16, 8);
  refuses("jpeg", dc(0x22), "progressive scan 1 has invalid parameters Ss=0 Se=0 Ah=2 Al=2");
  refuses("jpeg", dc(0x0e), "progressive scan 1 has invalid parameters Ss=0 Se=0 Ah=0 Al=14");
  refuses("jpeg", dc(0x31), "progressive scan 1 has invalid parameters Ss=0 Se=0 Ah=3 Al=1");
});
