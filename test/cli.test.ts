import { test } from "node:test";
import assert from "node:assert/strict";
import { ArgError, closest, defineCli, editDistance, helpText, parseArgs } from "../src/cli/args.js";

const cli = defineCli({
  name: "deeptype",
  summary: "Train and inspect deeptype models.",
  version: "0.1.0",
  commands: [
    {
      name: "train",
      summary: "Train a model on a dataset",
      options: [
        { name: "epochs", type: "int", default: 10, help: "passes over the training set", short: "e" },
        { name: "lr", type: "number", default: 0.001, help: "learning rate" },
        { name: "batch-size", type: "int", default: 64, help: "samples per step" },
        { name: "optimizer", type: ["sgd", "adam", "adamw"], default: "adam", help: "optimizer" },
        { name: "shuffle", type: "boolean", default: true, help: "shuffle each epoch" },
        { name: "amp", type: "boolean", help: "mixed precision" },
        { name: "out", type: "string", help: "checkpoint path" },
      ],
      positionals: [{ name: "data", help: "dataset directory", required: true }],
    },
    {
      name: "report",
      summary: "Render an HTML report from a run",
      options: [{ name: "run", type: "string", required: true, help: "run directory" }],
      positionals: [{ name: "files", help: "extra files", variadic: true }],
    },
  ],
} as const);

test("parses --name value, --name=value, short flags, --flag, --no-flag, positionals and defaults", () => {
  const r = parseArgs(cli, ["train", "--epochs", "5", "--lr=3e-4", "--no-shuffle", "--amp", "mnist/", "--optimizer", "sgd", "-e", "7"]);
  assert.equal(r.kind, "command");
  if (r.kind !== "command" || r.command !== "train") throw new Error("unreachable");
  // Typed access: these are number / boolean / union types at compile time.
  const epochs: number = r.options.epochs;
  const opt: "sgd" | "adam" | "adamw" = r.options.optimizer;
  const out: string | undefined = r.options.out;
  assert.equal(epochs, 7); // last one wins
  assert.equal(r.options.lr, 3e-4);
  assert.equal(r.options.batchSize, 64);
  assert.equal(opt, "sgd");
  assert.equal(r.options.shuffle, false);
  assert.equal(r.options.amp, true);
  assert.equal(out, undefined);
  assert.deepEqual(r.positionals, { data: "mnist/" });
  assert.deepEqual(r.rest, []);
});

test("negative numbers are values, boolean=value forms, -e5 and -- passthrough", () => {
  const r = parseArgs(cli, ["train", "--lr", "-1e-3", "--shuffle=false", "--amp=yes", "-e3", "d", "--", "--epochs", "x"]);
  if (r.kind !== "command" || r.command !== "train") throw new Error("unreachable");
  assert.equal(r.options.lr, -1e-3);
  assert.equal(r.options.shuffle, false);
  assert.equal(r.options.amp, true);
  assert.equal(r.options.epochs, 3);
  assert.deepEqual(r.rest, ["--epochs", "x"]);
});

test("variadic positionals and required options", () => {
  const r = parseArgs(cli, ["report", "--run", "runs/1", "a.json", "b.json"]);
  if (r.kind !== "command" || r.command !== "report") throw new Error("unreachable");
  assert.equal(r.options.run, "runs/1");
  assert.deepEqual(r.positionals.files, ["a.json", "b.json"]);
  assert.throws(() => parseArgs(cli, ["report"]), /deeptype report: missing required option --run \(string\)/);
});

test("bad values name the flag, the value and what is accepted", () => {
  const cases: [string[], string][] = [
    [["train", "d", "--epochs", "abc"], 'deeptype train: invalid value "abc" for --epochs: expected an integer'],
    [["train", "d", "--epochs=2.5"], 'deeptype train: invalid value "2.5" for --epochs: expected an integer'],
    [["train", "d", "--lr", "fast"], 'deeptype train: invalid value "fast" for --lr: expected a number (e.g. 0.001 or 1e-3)'],
    [["train", "d", "--optimizer", "foo"], 'deeptype train: invalid value "foo" for --optimizer: expected one of sgd, adam, adamw'],
    [["train", "d", "--optimizer", "adma"], 'deeptype train: invalid value "adma" for --optimizer: expected one of sgd, adam, adamw (did you mean adam?)'],
    [["train", "d", "--shuffle=maybe"], 'deeptype train: invalid value "maybe" for --shuffle: expected true or false'],
    [["train", "d", "--epochs"], "deeptype train: --epochs expects a value (integer)"],
    [["train", "d", "--epochs", "--lr", "1"], "deeptype train: --epochs expects a value (integer)"],
    [["train", "d", "--no-shuffle=1"], 'deeptype train: --no-shuffle takes no value (got "1")'],
  ];
  for (const [argv, msg] of cases) {
    assert.throws(() => parseArgs(cli, argv), (e: Error) => e instanceof ArgError && e.message === msg, argv.join(" "));
  }
});

test("unknown flags and commands suggest the closest name", () => {
  assert.throws(
    () => parseArgs(cli, ["train", "d", "--epoch", "3"]),
    { message: "deeptype train: unknown option --epoch (did you mean --epochs?); run 'deeptype train --help' to list the options" },
  );
  assert.throws(() => parseArgs(cli, ["train", "d", "--batchsize", "3"]), /unknown option --batchsize \(did you mean --batch-size\?\)/);
  assert.throws(() => parseArgs(cli, ["train", "d", "--no-shufle"]), /unknown option --no-shufle \(did you mean --shuffle\?\)/);
  assert.throws(() => parseArgs(cli, ["train", "d", "--zzzzzz"]), { message: "deeptype train: unknown option --zzzzzz; run 'deeptype train --help' to list the options" });
  assert.throws(() => parseArgs(cli, ["train", "d", "-x"]), /unknown option -x/);
  assert.throws(() => parseArgs(cli, ["trian"]), { message: 'deeptype: unknown command "trian" (did you mean train?); commands: train, report' });
  assert.throws(() => parseArgs(cli, ["train", "d", "extra"]), /unexpected argument "extra" \(takes <data>\)/);
  assert.throws(() => parseArgs(cli, ["train"]), /missing argument <data>: dataset directory/);
  assert.throws(() => parseArgs(cli, ["--epochs", "3"]), /expected a command before --epochs; commands: train, report/);
});

test("help and version", () => {
  const top = parseArgs(cli, []);
  assert.equal(top.kind, "help");
  assert.equal(
    (top as { text: string }).text,
    [
      "Usage: deeptype <command> [options]",
      "",
      "Train and inspect deeptype models.",
      "",
      "Commands:",
      "  train   Train a model on a dataset",
      "  report  Render an HTML report from a run",
      "",
      "Options:",
      "  -h, --help     show help",
      "  --version      show the version",
      "",
      "Run 'deeptype <command> --help' for the options of a command.",
      "",
    ].join("\n"),
  );
  const r = parseArgs(cli, ["train", "--epochs", "abc-is-not-parsed-after-help", "--help"]);
  assert.equal(r.kind, "help");
  assert.equal(parseArgs(cli, ["help", "train"]).kind, "help");
  assert.equal(
    helpText(cli, "train"),
    [
      "Usage: deeptype train [options] <data>",
      "",
      "Train a model on a dataset",
      "",
      "Arguments:",
      "  data  dataset directory (required)",
      "",
      "Options:",
      "  -e, --epochs <int>                passes over the training set (default: 10)",
      "      --lr <number>                 learning rate (default: 0.001)",
      "      --batch-size <int>            samples per step (default: 64)",
      "      --optimizer <sgd|adam|adamw>  optimizer (default: adam)",
      "      --[no-]shuffle                shuffle each epoch (default: true)",
      "      --[no-]amp                    mixed precision",
      "      --out <string>                checkpoint path",
      "  -h, --help                        show this help",
      "",
    ].join("\n"),
  );
  assert.deepEqual(parseArgs(cli, ["--version"]), { kind: "version", text: "deeptype 0.1.0\n" });
});

test("defineCli rejects bad declarations; editDistance and closest", () => {
  assert.throws(
    () => defineCli({ name: "x", summary: "", commands: [{ name: "a", summary: "", options: [{ name: "n", type: "int", default: 1.5, help: "" }] }] }),
    /default of --n in a is 1\.5, which is not a valid integer/,
  );
  assert.throws(
    () => defineCli({ name: "x", summary: "", commands: [{ name: "a", summary: "", options: [{ name: "n", type: "int", help: "" }, { name: "n", type: "int", help: "" }] }] }),
    /option --n declared twice/,
  );
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(closest("optimzer", ["optimizer", "epochs"]), "optimizer");
  assert.equal(closest("qqq", ["optimizer", "epochs"]), undefined);
});
