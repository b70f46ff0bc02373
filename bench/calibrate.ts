/**
 * Batch sizing shared by the benches that time batches of calls (bench/run.ts, bench/threads.ts).
 */

/** How long each calibration run lasts at least, in ms. */
export const CALIBRATE_MS = 15;

/**
 * Seconds per call for sizing a cell's batches: the fastest of three runs of at least CALIBRATE_MS,
 * the number of calls per run found by growing it. `time(reps)` runs `reps` calls and returns their
 * seconds per call (bench/run.ts passes the lower of wall and process CPU time: on a crowded
 * machine the wall clock counts waiting for a core, and on 2 threads CPU time counts both threads).
 * The batch size used to come from one timed call after the warm-up; one GC pause or lost time
 * slice in that call (common: it follows the previous cell's garbage, and the machine is shared)
 * made a cell's batches 10-100x too short for the whole run (the full bench's add [64] ran 3,035
 * calls a batch instead of ~200,000, max-pool backward 1-2), and such batches time the GC and
 * scheduling left over from the cells before them rather than the workload (docs/performance-history.md,
 * "Session 7: why the full bench disagreed").
 *
 *   const reps = Math.round(0.12 / (await secondsPerCall((n) => timeBatch(fn, n))));   // ~120-ms batches
 */
export async function secondsPerCall(time: (reps: number) => number | Promise<number>): Promise<number> {
  let reps = 1, best = Infinity;
  for (let full = 0; full < 3; ) {
    best = Math.min(best, await time(reps));
    // Calls a run needs to last CALIBRATE_MS at the best rate seen so far: a run counts once it is
    // that long (a slow outlier cannot end the search early), and runs grow toward it, at most 16x at a time.
    const want = Math.ceil(CALIBRATE_MS / 1e3 / Math.max(best, 1e-9));
    if (reps >= want) full++;
    reps = Math.max(reps, Math.min(16 * reps, want));
  }
  return best;
}
