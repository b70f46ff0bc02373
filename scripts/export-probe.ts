// Prints a run's logits on 16 seeded random inputs as JSON, for scripts/crosscheck-mnist-model.py.
import { Generator, noGrad, randn } from "../src/index.js";
import { mnistCnn } from "../src/models/index.js";
import { loadWeights } from "../src/io/checkpoint.js";

const run = process.argv[2] ?? "runs/cnn";
const model = mnistCnn();
model.loadStateDict(await loadWeights(`${run}/model.safetensors`));
model.eval();
const x = randn([16, 1, 28, 28], { generator: new Generator(7) });
const logits = noGrad(() => model.call(x));
console.log(JSON.stringify({ shape: x.shape, input: Array.from(x.data()), logits: logits.tolist() }));
