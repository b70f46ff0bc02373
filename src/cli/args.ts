/**
 * A small typed argument parser for the `deeptype` command and its subcommands.
 *
 * Options are declared once (name, type, default, help) and give both the parsed values' TypeScript
 * types and the `--help` text. Kebab-case flags become camelCase keys (`--batch-size` → `batchSize`),
 * as argparse turns them into snake_case. Mistakes are errors that name the flag, the bad value and
 * what is accepted, with the closest flag or choice suggested for typos.
 */

/** `"int"` accepts only integers; a readonly string array is a set of choices. */
export type OptionType = "string" | "number" | "int" | "boolean" | readonly string[];

export interface OptionSpec {
  /** Kebab-case long name without dashes, e.g. `"batch-size"`. */
  readonly name: string;
  readonly type: OptionType;
  readonly default?: string | number | boolean;
  readonly help: string;
  /** One-letter alias, e.g. `"e"` for `-e 5`. */
  readonly short?: string;
  /** An option without default that must be given. */
  readonly required?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly help: string;
  readonly required?: boolean;
  /** Takes all remaining positional arguments (last positional only). */
  readonly variadic?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Longer text shown under the usage line of this command's help. */
  readonly description?: string;
  readonly options?: readonly OptionSpec[];
  readonly positionals?: readonly PositionalSpec[];
}

export interface CliSpec {
  /** Program name, e.g. `"deeptype"`. */
  readonly name: string;
  readonly summary: string;
  readonly version?: string;
  readonly commands: readonly CommandSpec[];
}

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

type ValueOf<T extends OptionType> = T extends "string"
  ? string
  : T extends "number" | "int"
    ? number
    : T extends "boolean"
      ? boolean
      : T extends readonly (infer C)[]
        ? C
        : never;

/** The parsed values of a list of option specs: camelCase keys, `undefined` only where no default and not required. */
export type OptionValues<O extends readonly OptionSpec[]> = {
  [S in O[number] as CamelCase<S["name"]>]: S extends { default: string | number | boolean } | { required: true } | { type: "boolean" }
    ? ValueOf<S["type"]>
    : ValueOf<S["type"]> | undefined;
};

export interface ParsedCommand<C extends CommandSpec = CommandSpec> {
  kind: "command";
  command: C["name"];
  options: C["options"] extends readonly OptionSpec[] ? OptionValues<C["options"]> : Record<string, never>;
  /** Positional arguments by declared name (a variadic one is a string array). */
  positionals: Record<string, string | string[] | undefined>;
  /** Everything after a bare `--`, untouched. */
  rest: string[];
  /** The options the user actually gave (by flag name, e.g. "batch-size"), as opposed to defaults. */
  given: string[];
}

export interface ParsedHelp {
  kind: "help";
  text: string;
}

export interface ParsedVersion {
  kind: "version";
  text: string;
}

export type ParseResult<S extends CliSpec> =
  | { [K in keyof S["commands"]]: S["commands"][K] extends CommandSpec ? ParsedCommand<S["commands"][K]> : never }[number]
  | ParsedHelp
  | ParsedVersion;

/** A usage mistake; `message` says what was wrong and what is accepted. */
export class ArgError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = "ArgError";
  }
}

/**
 * Declares a CLI; identity at run time, but keeps literal types so parsed values are typed.
 *
 * @example const cli = defineCli({ name: "deeptype", summary: "...", commands: [{ name: "train", summary: "Train", options: [{ name: "epochs", type: "int", default: 10, help: "epochs" }] }] } as const);
 */
export function defineCli<const S extends CliSpec>(spec: S): S {
  for (const c of spec.commands) {
    const seen = new Set<string>(["help"]);
    for (const o of c.options ?? []) {
      if (seen.has(o.name)) throw new Error(`defineCli: command ${c.name}: option --${o.name} declared twice (or clashes with --help)`);
      seen.add(o.name);
      if (o.default !== undefined) checkValue(o, o.default, `default of --${o.name} in ${c.name}`);
    }
    const ps = c.positionals ?? [];
    ps.forEach((p, i) => {
      if (p.variadic && i !== ps.length - 1) throw new Error(`defineCli: command ${c.name}: only the last positional may be variadic`);
    });
  }
  return spec;
}

function checkValue(o: OptionSpec, v: unknown, where: string): void {
  const t = o.type;
  const ok =
    t === "string" ? typeof v === "string"
    : t === "number" ? typeof v === "number"
    : t === "int" ? Number.isInteger(v)
    : t === "boolean" ? typeof v === "boolean"
    : typeof v === "string" && t.includes(v);
  if (!ok) throw new Error(`defineCli: ${where} is ${JSON.stringify(v)}, which is not a valid ${describeType(t)}`);
}

function describeType(t: OptionType): string {
  if (typeof t !== "string") return `one of ${t.join(", ")}`;
  return t === "int" ? "integer" : t;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The candidate closest to `word`, if close enough to be a plausible typo (or `word` is a prefix of it). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestD <= limit ? best : undefined;
}

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function convert(o: OptionSpec, raw: string, flag: string, where: string): string | number | boolean {
  const t = o.type;
  const bad = (accepted: string, hint = ""): never => {
    throw new ArgError(`${where}: invalid value ${JSON.stringify(raw)} for ${flag}: expected ${accepted}${hint}`);
  };
  if (t === "string") return raw;
  if (t === "number") {
    const v = raw.trim() === "" ? NaN : Number(raw);
    if (!Number.isFinite(v)) bad("a number (e.g. 0.001 or 1e-3)");
    return v;
  }
  if (t === "int") {
    const v = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(v)) bad("an integer");
    return v;
  }
  if (t === "boolean") {
    const s = raw.toLowerCase();
    if (["true", "1", "yes", "on"].includes(s)) return true;
    if (["false", "0", "no", "off"].includes(s)) return false;
    bad("true or false");
  }
  const choices = t as readonly string[];
  if (!choices.includes(raw)) {
    const near = closest(raw, choices);
    bad(`one of ${choices.join(", ")}`, near ? ` (did you mean ${near}?)` : "");
  }
  return raw;
}

function valueHint(o: OptionSpec): string {
  if (o.type === "boolean") return "";
  if (typeof o.type !== "string") return ` <${o.type.join("|")}>`;
  return ` <${o.type}>`;
}

/**
 * The `--help` text of the program (no command) or of one command.
 *
 * @example console.log(helpText(cli, "train"));
 */
export function helpText(spec: CliSpec, command?: string): string {
  const lines: string[] = [];
  const cmd = command === undefined ? undefined : spec.commands.find((c) => c.name === command);
  if (!cmd) {
    lines.push(`Usage: ${spec.name} <command> [options]`, "", spec.summary, "", "Commands:");
    const w = Math.max(...spec.commands.map((c) => c.name.length));
    for (const c of spec.commands) lines.push(`  ${c.name.padEnd(w)}  ${c.summary}`);
    lines.push("", "Options:", "  -h, --help     show help", ...(spec.version ? ["  --version      show the version"] : []));
    lines.push("", `Run '${spec.name} <command> --help' for the options of a command.`);
    return lines.join("\n") + "\n";
  }
  const ps = cmd.positionals ?? [];
  const usagePos = ps.map((p) => {
    const n = p.variadic ? `${p.name}...` : p.name;
    return p.required ? `<${n}>` : `[${n}]`;
  });
  lines.push(`Usage: ${spec.name} ${cmd.name} [options]${usagePos.length ? " " + usagePos.join(" ") : ""}`, "", cmd.description ?? cmd.summary);
  const rows: [string, string][] = [];
  for (const p of ps) rows.push([p.name, p.help + (p.required ? " (required)" : "")]);
  if (rows.length) {
    lines.push("", "Arguments:");
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [a, b] of rows) lines.push(`  ${a.padEnd(w)}  ${b}`);
  }
  const opts: [string, string][] = [];
  for (const o of cmd.options ?? []) {
    const short = o.short ? `-${o.short}, ` : "    ";
    const long = o.type === "boolean" ? `--[no-]${o.name}` : `--${o.name}${valueHint(o)}`;
    let help = o.help;
    if (o.default !== undefined) help += ` (default: ${o.default})`;
    else if (o.required) help += " (required)";
    opts.push([short + long, help]);
  }
  opts.push(["-h, --help", "show this help"]);
  const w = Math.max(...opts.map((r) => r[0].length));
  lines.push("", "Options:");
  for (const [a, b] of opts) lines.push(`  ${a.padEnd(w)}  ${b}`);
  return lines.join("\n") + "\n";
}

/**
 * Parses `argv` (without `node` and the script: `process.argv.slice(2)`) against a CLI spec.
 * Returns the command with typed options, or a help/version request to print; throws `ArgError` on mistakes.
 *
 * @example const r = parseArgs(cli, ["train", "--epochs=5", "--no-shuffle", "data/"]); if (r.kind === "command") r.options.epochs;
 */
export function parseArgs<const S extends CliSpec>(spec: S, argv: readonly string[]): ParseResult<S> {
  const args = [...argv];
  const first = args[0];
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    const topic = first === "help" ? args[1] : undefined;
    if (topic !== undefined && !spec.commands.some((c) => c.name === topic)) unknownCommand(spec, topic);
    return { kind: "help", text: helpText(spec, topic) } as ParseResult<S>;
  }
  if (first === "--version" && spec.version) return { kind: "version", text: `${spec.name} ${spec.version}\n` } as ParseResult<S>;
  const cmd = spec.commands.find((c) => c.name === first);
  if (!cmd) {
    if (first.startsWith("-")) throw new ArgError(`${spec.name}: expected a command before ${first}; commands: ${spec.commands.map((c) => c.name).join(", ")}`);
    unknownCommand(spec, first);
  }
  const where = `${spec.name} ${cmd.name}`;
  // --help wins wherever it stands (before a bare --), so a user can append it to a broken command line.
  const dd = args.indexOf("--");
  if (args.slice(1, dd < 0 ? undefined : dd).some((a) => a === "-h" || a === "--help")) {
    return { kind: "help", text: helpText(spec, cmd.name) } as ParseResult<S>;
  }
  const options = cmd.options ?? [];
  const byName = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short).map((o) => [o.short!, o]));
  const values: Record<string, string | number | boolean | undefined> = {};
  for (const o of options) values[camel(o.name)] = o.default ?? (o.type === "boolean" ? false : undefined);
  const given = new Set<string>();
  const pos: string[] = [];
  let rest: string[] = [];

  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      rest = args.slice(i + 1);
      break;
    }
    if (!a.startsWith("-") || a === "-" || /^-\d/.test(a)) {
      pos.push(a);
      continue;
    }
    let o: OptionSpec | undefined;
    let inline: string | undefined;
    let negated = false;
    let flag: string;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      flag = `--${name}`;
      o = byName.get(name);
      if (!o && name.startsWith("no-")) {
        const base = byName.get(name.slice(3));
        if (base?.type === "boolean") {
          if (inline !== undefined) throw new ArgError(`${where}: ${flag} takes no value (got ${JSON.stringify(inline)})`);
          o = base;
          negated = true;
        }
      }
      if (!o) {
        const names = options.map((x) => x.name);
        const near = closest(name, [...names, "help"]) ?? (name.startsWith("no-") ? closest(name.slice(3), names) : undefined);
        throw new ArgError(
          `${where}: unknown option ${flag}${near ? ` (did you mean --${near}?)` : ""}; run '${where} --help' to list the options`,
          cmd.name,
        );
      }
    } else {
      const letter = a.slice(1, 2);
      flag = `-${letter}`;
      o = byShort.get(letter);
      inline = a.length > 2 ? a.slice(a[2] === "=" ? 3 : 2) : undefined;
      if (!o) throw new ArgError(`${where}: unknown option ${flag}; run '${where} --help' to list the options`, cmd.name);
    }
    const key = camel(o.name);
    given.add(o.name);
    if (o.type === "boolean") {
      values[key] = negated ? false : inline === undefined ? true : convert(o, inline, flag, where);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new ArgError(`${where}: ${flag} expects a value (${describeType(o.type)})`, cmd.name);
      }
      raw = next;
      i++;
    }
    values[key] = convert(o, raw, flag, where);
  }

  for (const o of options) {
    if (o.required && !given.has(o.name) && o.default === undefined) {
      throw new ArgError(`${where}: missing required option --${o.name} (${describeType(o.type)})`, cmd.name);
    }
  }
  const positionals: Record<string, string | string[] | undefined> = {};
  const ps = cmd.positionals ?? [];
  let k = 0;
  for (const p of ps) {
    if (p.variadic) {
      positionals[p.name] = pos.slice(k);
      if (p.required && pos.length <= k) throw new ArgError(`${where}: missing argument <${p.name}>: ${p.help}`, cmd.name);
      k = pos.length;
    } else {
      positionals[p.name] = pos[k];
      if (p.required && pos[k] === undefined) throw new ArgError(`${where}: missing argument <${p.name}>: ${p.help}`, cmd.name);
      k++;
    }
  }
  if (pos.length > k) {
    throw new ArgError(
      `${where}: unexpected argument ${JSON.stringify(pos[k])}${ps.length ? ` (takes ${ps.map((p) => `<${p.name}>`).join(" ")})` : " (takes no positional arguments)"}`,
      cmd.name,
    );
  }
  return { kind: "command", command: cmd.name, options: values, positionals, rest, given: [...given] } as unknown as ParseResult<S>;
}

function unknownCommand(spec: CliSpec, name: string): never {
  const names = spec.commands.map((c) => c.name);
  const near = closest(name, names);
  throw new ArgError(`${spec.name}: unknown command ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ""}; commands: ${names.join(", ")}`);
}
