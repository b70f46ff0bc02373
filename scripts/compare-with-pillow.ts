// Agreement of decodeImage with Pillow's verdicts on a corpus written by scripts/fixtures/images.py
// (committed, 300 files) or scripts/fixtures/jpeg-sweep.py (4,008 JPEGs, generated on demand):
//   node --import tsx scripts/compare-with-pillow.ts test/fixtures/images/corpus.json
//   /usr/bin/python3 scripts/fixtures/jpeg-sweep.py /tmp/jpeg-sweep.json 4000
//   node --import tsx scripts/compare-with-pillow.ts /tmp/jpeg-sweep.json [--list]
// Prints, per format, how many files are accepted although Pillow rejects them (must be 0) and how
// many are rejected although Pillow accepts them (deeptype is stricter), with the reasons.
import fs from "node:fs";
import { data } from "../src/index.js";

const file = process.argv[2] ?? "test/fixtures/images/corpus.json";
const corpus = JSON.parse(fs.readFileSync(file, "utf8")) as { entries: { name: string; base: string; mutation: string; ok: boolean; b64: string }[] };
const tally: Record<string, { files: number; pillowRejects: number; acceptedAlthoughPillowRejects: number; rejectedAlthoughPillowAccepts: number }> = {};
const stricter = new Map<string, number>();
for (const e of corpus.entries) {
  const t = (tally[e.base.endsWith(".png") ? "png" : "jpeg"] ??= { files: 0, pillowRejects: 0, acceptedAlthoughPillowRejects: 0, rejectedAlthoughPillowAccepts: 0 });
  t.files++;
  if (!e.ok) t.pillowRejects++;
  let message = "";
  try {
    data.decodeImage(new Uint8Array(Buffer.from(e.b64, "base64")), { source: e.name });
  } catch (err) {
    message = (err as Error).message;
  }
  if (!message && !e.ok) {
    t.acceptedAlthoughPillowRejects++;
    if (process.argv.includes("--list")) console.log(`accepted although Pillow rejects: ${e.name} (${e.mutation})`);
  }
  if (message && e.ok) {
    t.rejectedAlthoughPillowAccepts++;
    const reason = message.replace(/^.*? is a corrupt or truncated \w+ \(/, "").replace(/\d+/g, "N").replace(/\)$/, "");
    stricter.set(reason, (stricter.get(reason) ?? 0) + 1);
  }
}
console.log(`${file}:`);
for (const [fmt, t] of Object.entries(tally)) console.log(`  ${fmt}: ${t.files} files, Pillow rejects ${t.pillowRejects}; accepted although Pillow rejects: ${t.acceptedAlthoughPillowRejects}; rejected although Pillow accepts: ${t.rejectedAlthoughPillowAccepts}`);
console.log("  stricter than Pillow, by reason:");
for (const [reason, n] of [...stricter].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(4)}  ${reason}`);
