#!/usr/bin/env node
// `npm run mutate -- <target>`: mutation testing (StrykerJS) of one source folder or file, running
// only the test files that exercise it, so one target fits in minutes on a small machine.
//
//   npm run mutate -- src/utils/summary.ts      # one file
//   npm run mutate -- src/data/split.ts src/data/sampler.ts
//   npm run mutate -- src/optim                  # a folder (every .ts file in it, recursively)
//   npm run mutate -- src/data/split.ts:205-308  # only the mutants on lines 205 to 308 of one file
//   npm run mutate -- --list                     # the targets and their test files
//
// Options are environment variables read by stryker.config.mjs: STRYKER_CONCURRENCY (default 1),
// STRYKER_NO_CHECK=1 (skip the TypeScript checker), STRYKER_RUNNER=tap (one process per test file
// per mutant instead of the in-process runner). The JSON report goes to
// reports/mutation/<target>.json and the score table is printed at the end. See docs/testing.md.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { wasmSourceHash } from "./wasm-source-hash.mjs";
import fs from "node:fs";
import path from "node:path";

/** The test files of src/ops (the folder's entry below says why these). */
const OPS_TESTS = [
  "test/ops-forward.test.ts", "test/ops-grad-pytorch.test.ts", "test/ops-half.test.ts", "test/ops-backends-depth.test.ts",
  "test/ops-index-sort.test.ts", "test/ops-linalg-shape.test.ts", "test/mutation-ops-*.test.ts",
  "test/tensor.test.ts", "test/pytorch-edge-cases.test.ts", "test/reduce-limits.test.ts",
  "test/ops-fused.test.ts", "test/pool-ties.test.ts",
];

/** Which test files exercise each source folder (the longest matching prefix wins). */
const TESTS = {
  "src/utils/summary.ts": ["test/utils-summary.test.ts", "test/mutation-utils-summary.test.ts"],
  "src/utils": ["test/utils-summary.test.ts", "test/mutation-utils-summary.test.ts", "test/diagnostics.test.ts", "test/progress.test.ts", "test/report.test.ts"],
  "src/data/split.ts": ["test/data-split.test.ts", "test/data-shuffle-stats.test.ts", "test/mutation-data-sampler.test.ts"],
  "src/data/sampler.ts": ["test/data-sampler.test.ts", "test/data-shuffle-stats.test.ts", "test/mutation-data-sampler.test.ts"],
  // The loader, collate and dataset classes are exercised by the loader test; the others only build
  // datasets to feed it.
  "src/data/collate.ts": ["test/data-loader.test.ts", "test/data-loader-checks.test.ts", "test/mutation-data-loader.test.ts"],
  "src/data/dataloader.ts": ["test/data-loader.test.ts", "test/data-loader-checks.test.ts", "test/mutation-data-loader.test.ts"],
  "src/data/dataset.ts": ["test/data-loader.test.ts", "test/data-loader-checks.test.ts", "test/mutation-data-loader.test.ts"],
  "src/data/datasets/idx.ts": ["test/data-idx-checks.test.ts", "test/data-idx.test.ts", "test/data-mnist.test.ts", "test/mutation-data-datasets.test.ts"],
  "src/data/datasets/mnist.ts": ["test/data-mnist.test.ts", "test/mutation-data-datasets.test.ts"],
  "src/data/datasets/mnist-build.ts": ["test/data-mnist.test.ts", "test/mutation-data-datasets.test.ts"],
  // Session 11: the fast file only (tiny frames checked pixel by pixel against an independent ray
  // caster); data-synthetic renders full-size scenes, ~6 s per mutant, and 539 mutants never fit.
  "src/data/datasets/synthetic.ts": ["test/mutation-data-synthetic-s11.test.ts"],
  "src/data/datasets/image-folder.ts": ["test/data-images.test.ts", "test/mutation-data-datasets.test.ts"],
  // The structural pass over hostile files: the rule-by-rule test, and the Pillow corpus.
  "src/data/image/validate.ts": ["test/data-image-validate.test.ts", "test/data-image-safety.test.ts", "test/mutation-data-image.test.ts", "test/mutation-data-image-s11.test.ts"],
  "src/data/image": ["test/data-images.test.ts", "test/data-image-safety.test.ts", "test/data-image-validate.test.ts", "test/mutation-data-image.test.ts"],
  "src/data/transforms": ["test/data-transforms.test.ts", "test/data-images.test.ts", "test/mutation-data-transforms.test.ts", "test/mutation-data-photometric.test.ts"],
  "src/data": ["test/data-*.test.ts", "test/mutation-data-*.test.ts"],
  // The two test files that check optimizer updates and state; the scheduler and L-BFGS tests also
  // construct SGD/Adam but check lrs and line searches, and would double the cost of every mutant.
  "src/optim/sgd.ts": ["test/optim-optimizers.test.ts", "test/optim-state.test.ts", "test/mutation-optim-rest.test.ts"],
  "src/optim/adam.ts": ["test/optim-optimizers.test.ts", "test/optim-state.test.ts", "test/mutation-optim-survivors.test.ts"],
  // The other optimizers: the same two files, plus the base-class checks and the 16-bit trajectories.
  ...Object.fromEntries(
    ["adadelta", "adagrad", "adamax", "nadam", "radam", "rmsprop"].map((o) => [
      `src/optim/${o}.ts`,
      ["test/optim-optimizers.test.ts", "test/optim-state.test.ts", "test/optim-base.test.ts", "test/optim-half.test.ts"],
    ]),
  ),
  "src/optim/lbfgs.ts": ["test/optim-lbfgs.test.ts", "test/optim-base.test.ts", "test/mutation-optim-survivors.test.ts"],
  "src/grad/clip.ts": ["test/optim-state.test.ts"],
  "src/optim/line-search.ts": ["test/optim-line-search.test.ts", "test/optim-lbfgs.test.ts", "test/mutation-optim-survivors.test.ts"],
  "src/optim/lr-scheduler-base.ts": ["test/optim-lr-scheduler.test.ts", "test/optim-lr-scheduler-checks.test.ts", "test/mutation-optim-survivors.test.ts"],
  // The scheduler families: the PyTorch lr sequences and the option/resume checks; no optimizer test
  // file reaches them.
  ...Object.fromEntries(
    ["step", "composite", "cyclic"].map((f) => [
      `src/optim/lr-scheduler-${f}.ts`,
      ["test/optim-lr-scheduler.test.ts", "test/optim-lr-scheduler-checks.test.ts", "test/mutation-optim-survivors.test.ts"],
    ]),
  ),
  "src/optim/optimizer.ts": ["test/optim-base.test.ts", "test/optim-state.test.ts", "test/optim-optimizers.test.ts", "test/mutation-optim-survivors.test.ts", "test/mutation-optim-rest.test.ts"],
  "src/optim": ["test/optim-*.test.ts", "test/mutation-optim-*.test.ts"],
  // Most test files import the library through src/index.ts, so the tests that check src/tensor's
  // own files are named here by subject: dtypes and half conversion (dtype.ts, half.ts), buffer
  // recycling (recycle.ts), the options-object forms and required arguments (options-form.ts,
  // required-args.ts). Per-test coverage reruns only the tests reaching a mutant. Not
  // test/api-args.test.ts: it read parameter names from the functions' source, which the bundle
  // renames (path -> path6); it now reads them from src/ with the compiler and passes bundled, but
  // the compiler's program costs 5-25 s per run. test/api-checks.test.ts failed the dry run too
  // (function names: avgPool2d2) before the bundles kept names (keepNames); not retried since.
  // arg-spec.ts is checked by name through the data/io/utils namespaces in api-args.test.ts, and
  // directly (every kind, checkArgs, guardSpecs) in the mutation test written for its survivors.
  "src/tensor/arg-spec.ts": ["test/mutation-tensor-arg-spec.test.ts"],
  "src/tensor": [
    "test/tensor.test.ts", "test/autograd.test.ts", "test/errors.test.ts",
    "test/dtypes.test.ts", "test/dtypes-half.test.ts", "test/dtypes-int64.test.ts",
    "test/recycle.test.ts", "test/options-form.test.ts", "test/required-params.test.ts", "test/mutation-tensor-*.test.ts",
    // Session 9: dtype.ts's promotion table (resultType over every pair) is checked in
    // dtypes-promotion, creation's option bags in op-options. Not api-checks: each of its 9 tests
    // calls the whole surface (12 s), so every check.ts mutant would rerun seconds of calls. Not
    // unknown-options: its allocation test (a million checkKeys calls) fails under Stryker's
    // instrumentation when run alone, so every mutant reaching the file reran all of it;
    // mutation-tensor-check checks checkKeys and its messages directly.
    "test/dtypes-promotion.test.ts", "test/op-options.test.ts",
    // host-heap.ts (the glibc warm-up): its rules are checked in process; its mechanism test runs a
    // child process on the sources, which no mutant reaches.
    "test/host-heap.test.ts",
  ],
  // Not test/ops-gradcheck.test.ts: it takes ~70 s of CPU, and every engine mutant would rerun it.
  // autograd.functional is reached through its own two test files only (the other autograd tests
  // never call it, and each would rerun for every mutant that the engine's coverage attributes to them).
  "src/autograd/functional.ts": ["test/autograd-functional.test.ts", "test/autograd-functional-more.test.ts"],
  // inference-mode.test.ts checks grad-mode.ts's inferenceMode against PyTorch's rules; no autograd*
  // file reaches most of them. The engine's buffer recycling (which gradients go back to the pool,
  // releaseSaved) is checked by the recycle tests: without them a whole-folder run left 62 engine
  // mutants alive (74.5%, 2026-12-06 07:32).
  "src/autograd": ["test/autograd*.test.ts", "test/exam-backprop.test.ts", "test/inference-mode.test.ts", "test/recycle*.test.ts"],
  // src/ops: the op-table files run one test per entry (ops-forward, ops-grad-pytorch, ops-half,
  // ops-backends-depth), so a mutant reruns only the entries that reach it. Session 8 mapped the
  // table-wide forms (one test per dtype or layout over all 661 entries) and each covered mutant
  // reran the whole table several times: reduce.ts went at 5-10 mutants a minute and the run died.
  // Left out: ops-gradcheck (finite differences: a forward per input element, about 70 s of CPU for
  // the table; the gradients against PyTorch's check the same backward rules per entry, cheaply);
  // the table-wide tests moved to ops-random-cases; opinfo (one test over every op);
  // autograd.test.ts (its fuzz tests reach every op, 9 s); ops-fused-dense (40 s per test on js,
  // its fused ops are op-table entries too). ops-fused and pool-ties check conv2dRelu and pooling's
  // ties against the unfused ops and PyTorch.
  // Session 13's files, each with the test file written for it (the op table does not hold them).
  "src/ops/quantile.ts": ["test/integrate-quantile-s13a.test.ts", "test/mutation-ops-quantile-s13.test.ts"],
  "src/ops/linalg-solve.ts": ["test/linalg-solve-s13b.test.ts", "test/linalg-n65-s13b.test.ts", "test/mutation-ops-linalg-solve-s13.test.ts"],
  // Session 14's linalg kernels: eigh / SVD (reached through eigh, svd, pinv, lstsq, matrixRank) and
  // the Bunch-Kaufman LDLᵀ, each with the test file written with it and the mutation file written for it.
  // linalg-spectral.ts with the older svd / eig files too (mutation-ops-svd, linalg-eig-s13b,
  // mutation-ops-linalg-s11b) ran 59 tests in a 2.5-minute dry run and was estimated at over an hour
  // for its 1099 mutants on the loaded machine (2026-12-06 23:19), so it runs session 14's files only.
  "src/ops/linalg-spectral.ts": ["test/linalg-spectral-s14l.test.ts", "test/mutation-linalg-*-s14.test.ts"],
  "src/ops/linalg-ldl.ts": ["test/linalg-ldl-s14l.test.ts", "test/mutation-linalg-*-s14.test.ts"],
  "src/ops": OPS_TESTS,
  // init's own checks (bounds, std, fan modes) and the layer tests whose reset() calls it; the
  // sequence tests load PyTorch weights and never reach init's numbers.
  "src/nn/init.ts": ["test/nn-init.test.ts", "test/nn-layers.test.ts", "test/nn-layers-more.test.ts", "test/mutation-nn-init.test.ts"],
  // The losses are checked against PyTorch in the two loss files (the exam files call them to
  // train, which checks nothing a loss mutant changes that these do not); their option, inference
  // and argument rules are checked in api-convention, inference-mode and issue10-audit (added after
  // the first nn run, 06:41, which counted survivors those files kill, e.g. mseLoss's
  // refuseInferenceSaved: in-process, a file costs one load and its covering tests per mutant).
  "src/nn/losses.ts": ["test/nn-losses.test.ts", "test/nn-losses-more.test.ts", "test/mutation-nn-losses.test.ts", "test/mutation-nn-losses-checks.test.ts", "test/api-convention.test.ts", "test/inference-mode.test.ts", "test/issue10-audit.test.ts"],
  "src/nn/losses-nll.ts": ["test/nn-losses.test.ts", "test/nn-losses-more.test.ts", "test/mutation-nn-losses.test.ts", "test/mutation-nn-losses-checks.test.ts", "test/api-convention.test.ts", "test/inference-mode.test.ts", "test/issue10-audit.test.ts"],
  "src/nn/losses-margin.ts": ["test/nn-losses.test.ts", "test/nn-losses-more.test.ts", "test/mutation-nn-losses.test.ts", "test/mutation-nn-losses-checks.test.ts", "test/api-convention.test.ts", "test/inference-mode.test.ts", "test/issue10-audit.test.ts"],
  "src/nn/losses-ctc.ts": ["test/nn-losses.test.ts", "test/nn-losses-more.test.ts", "test/mutation-nn-losses.test.ts", "test/mutation-nn-losses-checks.test.ts", "test/api-convention.test.ts", "test/inference-mode.test.ts", "test/issue10-audit.test.ts"],
  // The module base class and the containers: their own tests, plus the layer tests that print,
  // register and load state through them; not the sequence or exam files (they train models and
  // add minutes per mutant for nothing these miss).
  "src/nn/module.ts": ["test/nn-module.test.ts", "test/nn-layers.test.ts", "test/nn-layers-more.test.ts"],
  // The first containers run (36.6%, 42 not covered) used the three files above only; the indexing,
  // slicing and option checks of the containers are also tested in these (not measured yet).
  "src/nn/containers.ts": ["test/nn-module.test.ts", "test/nn-layers.test.ts", "test/nn-layers-more.test.ts", "test/pytorch-edge-cases.test.ts", "test/unknown-options.test.ts", "test/api-checks.test.ts", "test/api-mends.test.ts", "test/mutation-nn-containers.test.ts"],
  // The rest of src/nn (layers, functional, module, hooks): the nn test files except the two exam
  // files (they train models: seconds per surviving mutant they reach, checking nothing the layer
  // fixtures do not), the functional ops' PyTorch fixtures (ops-forward's nnfunc table), and the
  // option, argument, inference and hook rules checked elsewhere.
  "src/nn": [
    "test/nn-activations.test.ts", "test/nn-init.test.ts", "test/nn-layers.test.ts", "test/nn-layers-more.test.ts",
    "test/nn-losses.test.ts", "test/nn-losses-more.test.ts", "test/nn-module.test.ts", "test/nn-seq-api.test.ts",
    "test/nn-seq-fixtures.test.ts", "test/nn-seq-grad.test.ts", "test/mutation-nn-*.test.ts", "test/ops-forward.test.ts",
    "test/api-convention.test.ts", "test/inference-mode.test.ts", "test/issue10-audit.test.ts", "test/pytorch-edge-cases.test.ts",
    "test/unknown-options.test.ts", "test/api-checks.test.ts", "test/api-mends.test.ts", "test/autograd-hooks.test.ts",
    "test/options-forms-all.test.ts", "test/needs-input-grad.test.ts",
  ],
  // The hostile-input readers with their own tests (test/fuzz.test.ts also reaches them but takes a minute).
  // The opcode-by-opcode test only: the .pt tests reach every opcode too, but tripled the cost of a mutant.
  "src/io/pickle.ts": ["test/io-pickle.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/pytorch.ts": ["test/io-pytorch-checks.test.ts", "test/io-pytorch.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/safetensors.ts": ["test/io.test.ts", "test/io-safetensors-checks.test.ts", "test/io-interop.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/json-scan.ts": ["test/io-safetensors-checks.test.ts", "test/io.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/sharded.ts": ["test/io-sharded-keys.test.ts", "test/io-interop.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/keys.ts": ["test/io-sharded-keys.test.ts", "test/io-interop.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/dtypes.ts": ["test/io-safetensors-checks.test.ts", "test/io.test.ts", "test/io-interop.test.ts", "test/dtypes-half.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/files.ts": ["test/io-files.test.ts", "test/io.test.ts", "test/mutation-io-*.test.ts"],
  "src/io/checkpoint.ts": ["test/io-checkpoint.test.ts", "test/io-interop.test.ts", "test/io-pytorch.test.ts", "test/mutation-io-*.test.ts"],
  // The PyTorch export (model.py, train_ddp.py, the module description): its own test, and the
  // checkpoint test that reads back the weights it writes.
  "src/io/torch": ["test/io-torch-export.test.ts", "test/io-checkpoint.test.ts", "test/mutation-io-*.test.ts"],
  // The ONNX writer: checked by running its graphs in ONNX Runtime (onnx-export) and by decoding them.
  "src/io/onnx": ["test/mutation-io-onnx*.test.ts", "test/onnx-export.test.ts", "test/mutation-io-rest.test.ts"],
  "src/io": ["test/io*.test.ts", "test/mutation-io-*.test.ts"],
  // Session 14: the distribution families' own test files (fixtures from torch 1.13) and the mutation tests.
  "src/distributions": ["test/distributions*.test.ts", "test/mutation-distributions-*.test.ts"],
};

function testsFor(target) {
  const key = Object.keys(TESTS)
    .filter((k) => target === k || target.startsWith(k + "/") || (k.endsWith(".ts") && target === k))
    .sort((a, b) => b.length - a.length)[0];
  if (!key) throw new Error(`mutate: no test files known for ${target}; add it to TESTS in scripts/mutate.mjs`);
  return TESTS[key];
}

const args = process.argv.slice(2);
if (args.length === 0 || args[0] === "--help") {
  console.log("usage: npm run mutate -- <src folder or file>...   (e.g. src/utils/summary.ts, src/optim)\n       npm run mutate -- --list");
  process.exit(args.length === 0 ? 2 : 0);
}
if (args[0] === "--list") {
  for (const [k, v] of Object.entries(TESTS)) console.log(`${k.padEnd(22)} ${v.join(" ")}`);
  process.exit(0);
}
const mutate = [];
const tests = new Set();
for (const raw of args) {
  // `file.ts:START-END` is Stryker's own line-range syntax: it mutates only those lines, so a long
  // run can be split into parts (or finished after it was stopped).
  const m = /^(.*\.ts):(\d+)-(\d+)$/.exec(raw);
  const target = (m ? m[1] : raw).replace(/\/+$/, "");
  if (!fs.existsSync(target)) throw new Error(`mutate: ${target} does not exist`);
  const isDir = fs.statSync(target).isDirectory();
  if (m && isDir) throw new Error(`mutate: a line range needs a file, got the folder ${target}`);
  // Type declarations and barrel files have nothing to mutate.
  mutate.push(isDir ? `${target}/**/*.ts` : m ? raw : target, "!**/*.d.ts", "!**/index.ts");
  for (const t of testsFor(target)) tests.add(t);
}
// The report is named after the targets; many targets (a folder's files but two) would exceed the
// file system's 255-byte name limit, so a long name keeps its first target, the count and a hash.
const joined = args.map((a) => a.replace(/^src\//, "").replace(/\/+$/, "").replace(/[/.:]/g, "-")).join("+");
const name = joined.length <= 160 ? joined
  : `${joined.split("+")[0]}+${args.length - 1}-more-${createHash("sha256").update(joined).digest("hex").slice(0, 8)}`;
const env = {
  ...process.env,
  STRYKER_MUTATE: mutate.join(","),
  STRYKER_TESTS: [...tests].join(","),
  // The tap runner's reports keep their own names, so the two runners can be compared.
  STRYKER_REPORT: path.join("reports", "mutation", `${name}${process.env.STRYKER_RUNNER === "tap" ? ".tap" : ""}.json`),
};
console.log(`mutating ${mutate.filter((m) => !m.startsWith("!")).join(" ")}\nwith tests ${[...tests].join(" ")}\nreport ${env.STRYKER_REPORT}`);
// A kernels.generated.ts built from older assembly sources (after a merge that changed them) fails
// Stryker's dry run with out-of-bounds errors far from the cause: say what to run instead.
const generated = fs.existsSync("src/backend/wasm/kernels.generated.ts") ? fs.readFileSync("src/backend/wasm/kernels.generated.ts", "utf8") : "";
const built = /sourceHash = "([0-9a-f]+)"/.exec(generated)?.[1];
if (built !== wasmSourceHash()) {
  console.error("mutate: src/backend/wasm/kernels.generated.ts is missing or was built from other kernel sources; run `npm run build:wasm` first");
  process.exit(2);
}
const r = spawnSync("npx", ["stryker", "run"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
