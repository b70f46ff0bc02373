// One fuzz run in its own process (started by fuzz/run.ts with --expose-gc and a heap limit): it
// reports each input before running it, so the parent's watchdog can name an input that hangs.
import fs from "node:fs";
import { containsMarker, makeInput, plantMarker, runInput, tmpDir, type Target } from "./targets.js";

const [seed, count, seconds, hangMs] = process.argv.slice(2).map(Number);
const send = (m: unknown): void => void process.send!(m);
const dir = tmpDir();
const tally: Record<string, { inputs: number; errors: number; decoded: number }> = {};
const findings: { i: number; target: Target; mutation: string; problem: string }[] = [];
let slowest = { ms: 0, i: -1, cpuMs: 0 };
let peakRss = 0;
let done = 0;
// The marker check is only worth something if planted memory does come back uninitialised: count
// how often a fresh Buffer.allocUnsafe (what pngjs's inflate used) returns it.
let markerSelfCheck = 0;
for (let k = 0; k < 20; k++) {
  plantMarker();
  if (containsMarker(Buffer.allocUnsafe(64 * 1024))) markerSelfCheck++;
}
// The time budget counts from the first input, not from the self-check above, so a slow start on a
// starved machine cannot use it up before any input runs (a suite run at load 10 ended with none run).
const started = performance.now();
try {
  for (let i = 0; i < count; i++) {
    if ((performance.now() - started) / 1000 > seconds) break;
    if (i % 100 === 0) plantMarker();
    const input = await makeInput(seed, i, dir);
    send({ type: "start", i, target: input.target, mutation: input.mutation });
    // Wall time per input, the "no hang over 5 s" (the parent also kills an input that
    // passes the limit); CPU time is kept for the report, to tell a slow reader from a busy machine.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await runInput(input, dir);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    send({ type: "end", i });
    if (ms > hangMs) findings.push({ i, target: input.target, mutation: input.mutation, problem: `took ${ms.toFixed(0)} ms (${cpuMs.toFixed(0)} ms of CPU; limit ${hangMs} ms)` });
    if (ms > slowest.ms) slowest = { ms, i, cpuMs };
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const t = (tally[input.target] ??= { inputs: 0, errors: 0, decoded: 0 });
    t.inputs++;
    t[out.kind === "error" ? "errors" : "decoded"]++;
    if (out.problem) findings.push({ i, target: input.target, mutation: input.mutation, problem: out.problem });
    done++;
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
send({ type: "done", done, markerSelfCheck, tally, findings, slowestMs: slowest.ms, slowestCpuMs: slowest.cpuMs, slowestInput: slowest.i, peakRssMb: Math.round(peakRss / 2 ** 20), seconds: (performance.now() - started) / 1000 });
process.disconnect();
