/**
 * Where a conv call's time goes besides the kernel: each op of bench/conv-min.ts timed whole and
 * with the wasm kernels skipped (the session's `run`, `start` and `join` replaced by no-ops: the
 * chunked forward and input gradient start their jobs, the rest run them), so the difference is the
 * kernels and the rest is staging into the arena, copying results out and JS glue. One thread,
 * minimum over 40 batches of process CPU time per call (robust to other processes' load).
 *
 *   node --import tsx bench/conv-parts.ts [N C H W O]      # default 64 16 28 28 32, 3×3 pad 1
 */
import { C, H, N, O, W, ops, w } from "./conv-setup.js";
// The backend's arena session (src/backend/wasm/session.ts), whose run() or start() and join() every kernel call goes through.
const be = w.sessionForBench();
const real = { run: be.run, start: be.start, join: be.join };
const noRun = (): void => {};
const best: Record<string, number> = {};
for (let round = 0; round < 40; round++) {
  for (const [name, fn] of Object.entries(ops)) {
    for (const skip of [false, true]) {
      be.run = skip ? noRun : real.run;
      be.start = skip ? noRun : real.start;
      be.join = skip ? noRun : real.join;
      const c = process.cpuUsage();
      for (let r = 0; r < 3; r++) fn();
      const u = process.cpuUsage(c);
      const k = `${name}${skip ? "-copies" : ""}`;
      best[k] = Math.min(best[k] ?? Infinity, (u.user + u.system) / 1e3 / 3);
    }
  }
}
Object.assign(be, real);
console.log(`conv [${N},${C},${H},${W}]x${O}x3x3 p1, min CPU ms per call, 1 thread: whole call / without the kernels (staging, copies out, glue)`);
for (const name of Object.keys(ops)) console.log(`${name}: ${best[name].toFixed(2)} / ${best[`${name}-copies`].toFixed(2)}`);
