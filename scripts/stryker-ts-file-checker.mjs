// `typescript-file`: a StrykerJS checker that sets aside mutants that do not compile, like
// @stryker-mutator/typescript-checker, but cheaper per mutant. Why: with the in-process test runner
// the tests of a mutant take milliseconds, and the stock checker (a TypeScript solution builder in
// watch mode, about 1.8 s of CPU per mutant of src/utils/summary.ts) became the whole cost of a run.
//
// How: one TypeScript LanguageService over tsconfig.mutate.json (src/ only). Per mutant, the mutated
// file's text replaces the original in memory, and its syntactic and semantic diagnostics are asked
// for. If it compiles, its declaration output (.d.ts, what other files see of it) is compared with
// the original's: when it changed (an inferred return type, an exported constant's type), every file
// that imports it, directly or not, is checked as well, as TypeScript's own builder does. Each mutant
// is checked alone (no grouping), so an error is never blamed on the wrong mutant.
//
// Which text: the checker runs in the project directory, not in Stryker's sandbox (the sandbox holds
// the instrumented files, reprinted by Babel, so the mutants' line/column locations do not fit
// them). It reads every source file once, at init (right after Stryker has read and instrumented
// the files it mutates), and never again: a mutant is applied to that snapshot, so editing src/
// while a run goes on cannot shift a mutant onto the wrong text or check it against edited code.
// stryker.config.mjs records when the run started (STRYKER_RUN_STARTED_MS); a source file modified
// after that may differ from the text Stryker mutated, so init refuses to start instead of
// checking mutants against it.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { commonTokens, declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";
import { CheckStatus } from "@stryker-mutator/api/check";

class TsFileChecker {
  static inject = [commonTokens.logger, commonTokens.options];

  constructor(log, options) {
    this.log = log;
    this.tsconfig = path.resolve(options.tsconfigFile ?? "tsconfig.json");
    this.stats = { checked: 0, errors: 0, dependentChecks: 0 };
  }

  async init() {
    const cfg = ts.getParsedCommandLineOfConfigFile(this.tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
    if (cfg.errors.length) throw new Error(`typescript-file checker: ${this.tsconfig}: ${cfg.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ")}`);
    // Declarations are emitted (in memory only) to see whether a mutant changes what importers see.
    this.options = { ...cfg.options, noEmit: false, declaration: true, emitDeclarationOnly: true, declarationMap: false, sourceMap: false };
    this.fileNames = cfg.fileNames.map((f) => path.resolve(f));
    this.snapshot = snapshotSources(this.fileNames, Number(process.env.STRYKER_RUN_STARTED_MS ?? NaN));
    this.text = new Map();
    this.version = new Map();
    const host = {
      getScriptFileNames: () => this.fileNames,
      getScriptVersion: (f) => String(this.version.get(f) ?? 0),
      getScriptSnapshot: (f) => {
        // Project files from the snapshot only; the lib and node_modules declarations from disk.
        const t = this.text.get(f) ?? this.snapshot.get(f) ?? (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined);
        return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
      },
      getCurrentDirectory: () => path.dirname(this.tsconfig),
      getCompilationSettings: () => this.options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.ls = ts.createLanguageService(host, ts.createDocumentRegistry());
    const program = this.ls.getProgram();
    const pre = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (pre.length) throw new Error(`typescript-file checker: the unmutated sources do not compile: ${format(pre.slice(0, 5))}`);
    // Who imports whom (resolved module files inside the project), for the dependents of a file.
    this.importers = new Map();
    const inProject = new Set(this.fileNames);
    for (const sf of program.getSourceFiles()) {
      if (!inProject.has(path.resolve(sf.fileName))) continue;
      for (const imp of sf.imports ?? []) {
        const r = ts.resolveModuleName(imp.text, sf.fileName, this.options, ts.sys).resolvedModule;
        if (!r) continue;
        const target = path.resolve(r.resolvedFileName);
        if (!inProject.has(target)) continue;
        if (!this.importers.has(target)) this.importers.set(target, new Set());
        this.importers.get(target).add(path.resolve(sf.fileName));
      }
    }
    this.originalDts = new Map();
  }

  dts(file) {
    const out = this.ls.getEmitOutput(file, true, true);
    return out.outputFiles.map((o) => o.text).join("\n");
  }

  errorsOf(file) {
    return [...this.ls.getSyntacticDiagnostics(file), ...this.ls.getSemanticDiagnostics(file)].filter((d) => d.category === ts.DiagnosticCategory.Error);
  }

  dependents(file) {
    const seen = new Set();
    const todo = [file];
    while (todo.length) for (const d of this.importers.get(todo.pop()) ?? []) if (!seen.has(d)) (seen.add(d), todo.push(d));
    seen.delete(file);
    return [...seen];
  }

  async check(mutants) {
    const result = {};
    for (const m of mutants) result[m.id] = this.checkOne(m);
    return result;
  }

  checkOne(m) {
    const file = path.resolve(m.fileName);
    if (!this.fileNames.includes(file)) return { status: CheckStatus.Passed };
    if (++this.stats.checked % 200 === 0) this.log.info(`typescript-file checker: ${JSON.stringify(this.stats)}`);
    const original = this.snapshot.get(file);
    if (!this.originalDts.has(file)) this.originalDts.set(file, this.dts(file));
    const sf = ts.createSourceFile(file, original, ts.ScriptTarget.Latest, false);
    const start = sf.getPositionOfLineAndCharacter(m.location.start.line, m.location.start.column);
    const end = sf.getPositionOfLineAndCharacter(m.location.end.line, m.location.end.column);
    this.set(file, original.slice(0, start) + m.replacement + original.slice(end));
    try {
      let errors = this.errorsOf(file);
      if (errors.length === 0 && this.dts(file) !== this.originalDts.get(file)) {
        this.stats.dependentChecks++;
        for (const d of this.dependents(file)) {
          errors = this.errorsOf(d);
          if (errors.length) break;
        }
      }
      if (errors.length === 0) return { status: CheckStatus.Passed };
      this.stats.errors++;
      return { status: CheckStatus.CompileError, reason: format(errors.slice(0, 3)) };
    } finally {
      this.set(file, undefined);
    }
  }

  set(file, text) {
    if (text === undefined) this.text.delete(file);
    else this.text.set(file, text);
    this.version.set(file, (this.version.get(file) ?? 0) + 1);
  }
}

/**
 * The text of every project file, read now. `startedMs` (when the Stryker run began; NaN when not
 * known) rejects a file modified since: Stryker read the files it mutates before this snapshot,
 * and an edit in between would make the two disagree.
 */
export function snapshotSources(fileNames, startedMs) {
  const snapshot = new Map();
  for (const f of fileNames) {
    if (!fs.existsSync(f)) continue;
    if (Number.isFinite(startedMs) && fs.statSync(f).mtimeMs > startedMs) {
      throw new Error(
        `typescript-file checker: ${path.relative(process.cwd(), f)} was modified after the mutation run started ` +
          `(${new Date(fs.statSync(f).mtimeMs).toISOString()} > ${new Date(startedMs).toISOString()}), so the text Stryker mutated ` +
          "may not be the one on disk; do not edit src/ while `npm run mutate` starts, and run it again",
      );
    }
    snapshot.set(f, fs.readFileSync(f, "utf8"));
  }
  return snapshot;
}

function format(diags) {
  return diags
    .map((d) => {
      const where = d.file && d.start !== undefined ? `${path.relative(process.cwd(), d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start).line + 1}): ` : "";
      return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
    })
    .join("\n");
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Checker, "typescript-file", TsFileChecker)];
// For test/mutate-runner.test.ts, which drives the checker without Stryker.
export { TsFileChecker };
