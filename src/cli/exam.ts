/**
 * `deeptype exam`: the exam's claims, each run as a demonstration (examples/exam/). This file only
 * declares the subcommand and loads the examples at run time: the demonstrations are examples a
 * student reads, not library code, so they are not compiled into dist/ and the command needs a source
 * checkout (run through tsx: `node --import tsx src/cli/main.ts exam`).
 */
import * as path from "node:path";
import { ArgError } from "./args.js";

/** The subcommand's spec, registered in main.ts's command list. */
export const examCommand = {
  name: "exam",
  summary: "The IDL exam's claims, each demonstrated: list them, run one (deeptype exam 4.4), or run all into a report.",
  description: "Without an id: the list of items. With an id: the claim, what the demonstration measured and the verdict. --all --out docs/exam writes docs/exam.md and docs/exam.html.",
  positionals: [{ name: "item", help: "item id, e.g. 4.4 or 1.2c" }],
  options: [
    { name: "all", type: "boolean", help: "run every item" },
    { name: "out", type: "string", default: "docs/exam", help: "with --all: write <out>.md and <out>.html" },
    { name: "tiny", type: "boolean", help: "the smallest configuration (what the tests run)" },
    { name: "seed", type: "int", default: 0, help: "seed of every demonstration" },
  ],
} as const;

/** What the CLI uses of examples/exam/index.ts (declared here so dist/ does not compile the examples). */
interface ExamModule {
  listText(): string;
  findItem(id: string): unknown;
  defaultContext(over: { tiny?: boolean; seed?: number; log?: (l: string) => void }): unknown;
  runItem(item: unknown, ctx: unknown): Promise<unknown>;
  outcomeText(o: unknown): string;
  runAll(ctx: unknown, out: string, cmd: string, log: (l: string) => void): Promise<unknown[]>;
}

async function load(): Promise<ExamModule> {
  const url = new URL("../../examples/exam/index.ts", import.meta.url);
  try {
    return (await import(url.href)) as ExamModule;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || (e as { code?: string }).code === "ERR_UNKNOWN_FILE_EXTENSION") {
      throw new Error(`exam: the demonstrations live in the source checkout's examples/exam/ (not in the installed package); run 'node --import tsx src/cli/main.ts exam' from a clone of deeptype (${(e as Error).message.split("\n")[0]})`);
    }
    throw e;
  }
}

/** Runs `deeptype exam [item] [--all --out <prefix>] [--tiny] [--seed n]`. */
export async function runExamCommand(item: string | undefined, o: { all: boolean; out: string; tiny: boolean; seed: number }): Promise<number> {
  if (item !== undefined && o.all) throw new ArgError("deeptype exam: give an item id or --all, not both", "exam");
  const exam = await load();
  if (!item && !o.all) {
    console.log(exam.listText());
    return 0;
  }
  const ctx = exam.defaultContext({ tiny: o.tiny, seed: o.seed, log: (l) => console.log(l) });
  if (o.all) {
    const cmd = `deeptype exam --all --out ${o.out}${o.tiny ? " --tiny" : ""}${o.seed ? ` --seed ${o.seed}` : ""}`;
    const t0 = performance.now();
    const quietCtx = exam.defaultContext({ tiny: o.tiny, seed: o.seed });
    const outcomes = await exam.runAll(quietCtx, o.out, cmd, (l) => console.log(l));
    console.log(`${outcomes.length} items in ${((performance.now() - t0) / 1000).toFixed(0)} s; wrote ${path.resolve(o.out)}.md and .html`);
    return 0;
  }
  let found: unknown;
  try {
    found = exam.findItem(item!);
  } catch (e) {
    throw new ArgError(`deeptype ${(e as Error).message}`, "exam");
  }
  console.log(exam.outcomeText(await exam.runItem(found, ctx)));
  return 0;
}
