// A StrykerJS reporter for `npm run mutate`: prints each surviving (or uncovered) mutant the moment it
// is found, with its place and replacement, and appends it to reports/mutation/<target>.survivors.txt.
// Why: the built-in reporters list survivors only when the whole run ends, and on a busy machine a
// run takes an hour; with this one, tests for the first survivors can be written while it goes on.
// It also keeps reports/mutation/<target>.tally.json, the count of each status so far per file
// (and the lowest and highest line of the mutants tested), so a run stopped part way still gives a
// score for what it tested.
import fs from "node:fs";
import path from "node:path";
import { PluginKind, declareClassPlugin } from "@stryker-mutator/api/plugin";

class SurvivorReporter {
  constructor() {
    const report = process.env.STRYKER_REPORT ?? "reports/mutation/mutation.json";
    this.file = report.replace(/\.json$/, ".survivors.txt");
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, "");
    this.tallyFile = report.replace(/\.json$/, ".tally.json");
    this.tally = {};
  }

  onMutantTested(result) {
    const t = (this.tally[result.fileName] ??= { statuses: {}, lines: [] });
    t.statuses[result.status] = (t.statuses[result.status] ?? 0) + 1;
    t.lines.push(result.location.start.line);
    fs.writeFileSync(this.tallyFile, JSON.stringify(this.tally, (k, v) => (k === "lines" ? [Math.min(...v), Math.max(...v)] : v), 2) + "\n");
    if (result.status !== "Survived" && result.status !== "NoCoverage") return;
    const at = `${result.fileName}:${result.location.start.line}:${result.location.start.column + 1}`;
    const line = `${result.status} ${at} ${result.mutatorName}: ${JSON.stringify(result.replacement)}`;
    console.log(`mutant ${line}`);
    fs.appendFileSync(this.file, line + "\n");
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, "survivors", SurvivorReporter)];
