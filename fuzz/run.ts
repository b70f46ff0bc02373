/**
 * The fuzz harness: mutated safetensors, checkpoints, IDX (plain and gzip), PNG and JPEG files fed
 * to deeptype's readers. Seeded and bounded (count and seconds). Every outcome must be an Error from
 * the reader or a self-consistent decode; an input that takes more than `hangMs` (5 s) of wall time
 * is a hang: the child reports one that finishes late as a finding, and the parent kills the child
 * when an input has not finished 5 s after it started (an endless loop) and ends the run with a hang
 * failure naming the input. A heap over `heapMb` ends the child and counts as a crash, and outputs are searched for a marker
 * planted in freed memory (uninitialised memory coming back).
 *
 *   npm run fuzz                                   # 20,000 inputs, seed 1, at most 600 s
 *   npm run fuzz -- --count 100000 --seed 7 --seconds 3600
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface FuzzOptions {
  seed?: number;
  count?: number;
  seconds?: number;
  /** Wall time one input may take (default 5000 ms), measured by the child and enforced by the parent. */
  hangMs?: number;
  /** Wall time after which the parent kills an unfinished input (default: `hangMs`). */
  watchdogMs?: number;
  heapMb?: number;
}

export interface FuzzReport {
  done: number;
  /** Of 20 fresh uninitialised allocations after planting, how many held the marker (0 would make the check blind). */
  markerSelfCheck?: number;
  tally: Record<string, { inputs: number; errors: number; decoded: number }>;
  findings: { i: number; target: string; mutation: string; problem: string }[];
  /** Wall time of the slowest input, and its CPU time. */
  slowestMs: number;
  slowestCpuMs?: number;
  slowestInput: number;
  peakRssMb: number;
  seconds: number;
  /** Set when the child hung on an input or crashed. */
  failure?: string;
}

/**
 * Runs the fuzzer in a child process and resolves with its report.
 *
 * @example const r = await runFuzz({ seed: 1, count: 2000 }); r.findings.length === 0;
 */
export function runFuzz(opts: FuzzOptions = {}): Promise<FuzzReport> {
  const { seed = 1, count = 20_000, seconds = 600, hangMs = 5000, heapMb = 1536 } = opts;
  const watchdogMs = opts.watchdogMs ?? hangMs;
  const child = fork(fileURLToPath(new URL("./child.ts", import.meta.url)), [String(seed), String(count), String(seconds), String(hangMs)], {
    execArgv: ["--import", "tsx", "--expose-gc", `--max-old-space-size=${heapMb}`],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve) => {
    let current: { i: number; target: string; mutation: string } | null = null;
    let report: FuzzReport | null = null;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve({ done: current?.i ?? 0, tally: {}, findings: [], slowestMs: watchdogMs, slowestInput: current?.i ?? -1, peakRssMb: 0, seconds: 0, failure: `hang: input ${current?.i} (${current?.target}, ${current?.mutation}) did not finish in ${watchdogMs} ms; reproduce with --seed ${seed}` });
      }, watchdogMs);
    };
    child.on("message", (m: { type: string } & Record<string, unknown>) => {
      if (m.type === "start") {
        current = m as unknown as typeof current;
        arm();
      } else if (m.type === "end") {
        clearTimeout(timer);
      } else if (m.type === "done") {
        clearTimeout(timer);
        report = m as unknown as FuzzReport;
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (report) resolve(report);
      else if (signal !== "SIGKILL") {
        resolve({ done: current?.i ?? 0, tally: {}, findings: [], slowestMs: 0, slowestInput: -1, peakRssMb: 0, seconds: 0, failure: `crash: the child exited (code ${code}, signal ${signal}) during input ${current?.i} (${current?.target}, ${current?.mutation}); reproduce with --seed ${seed}` });
      }
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string, dflt: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const r = await runFuzz({ seed: arg("seed", 1), count: arg("count", 20_000), seconds: arg("seconds", 600) });
  console.log(`fuzz: ${r.done} inputs in ${r.seconds.toFixed(1)} s, slowest input ${r.slowestInput}: ${r.slowestMs.toFixed(0)} ms (${(r.slowestCpuMs ?? 0).toFixed(0)} ms of CPU; limit 5000 ms), peak RSS ${r.peakRssMb} MB`);
  console.log(`  marker self-check: ${r.markerSelfCheck ?? 0} of 20 uninitialised allocations held the planted marker`);
  for (const [t, s] of Object.entries(r.tally)) console.log(`  ${t.padEnd(12)} ${String(s.inputs).padStart(6)} inputs: ${s.errors} errors, ${s.decoded} decoded`);
  for (const f of r.findings.slice(0, 30)) console.log(`  FINDING input ${f.i} (${f.target}, ${f.mutation}): ${f.problem}`);
  if (r.failure) console.log(`  FAILURE ${r.failure}`);
  process.exit(r.failure || r.findings.length ? 1 : 0);
}
