/** Training diagnostics: initialisations that shrink or blow up the signal, and the stacks that show it. */
import { checkKeys } from "../tensor/check.js";
import { Generator, Tensor, randn } from "../core.js";
import * as nn from "../nn/index.js";
import { fmtNum } from "./plot.js";
import { type Diagnosis, leafNames } from "./diagnostics-common.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const DEEP_STACK_KEYS = ["depth", "width", "activation", "init", "generator"] as const;
const INIT_REPORT_KEYS = ["shrinkRatio", "perLayerShrink", "generator"] as const;


/** One Linear/Conv layer in an `initReport`. */
export interface InitLayer {
  /** The weight layer's name. */
  name: string;
  /** The activation that follows it (`Sigmoid`), or null. */
  activation: string | null;
  /** std of the layer's output (pre-activation) and of the activation's output, over the batch. */
  preStd: number;
  postStd: number;
  postMean: number;
  /** std of the loss gradient with respect to the layer's output. */
  gradStd: number;
  /**
   * This layer's gradStd over the next layer's: how much of the gradient's scale survives one step
   * back through the next weight layer and this layer's activation (NaN for the last layer). Reported
   * for every layer, also when nothing is flagged; 1 = the scale is kept.
   */
  gradFactor: number;
}

export interface InitReport extends Diagnosis {
  layers: InitLayer[];
  /** postStd of the last layer over that of the first (1 = the signal keeps its scale). */
  forwardRatio: number;
  /** gradStd of the first layer over that of the last (1 = gradients keep their scale). */
  backwardRatio: number;
}

const ACTIVATIONS = [nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh, nn.GELU, nn.ELU, nn.SiLU];
const isActivation = (m: nn.AnyModule): boolean => ACTIVATIONS.some((A) => m instanceof A);
const isWeightLayer = (m: nn.AnyModule): boolean => m instanceof nn.Linear || m instanceof nn.Conv2d || m instanceof nn.Conv1d;

function stdOf(t: Tensor): { std: number; mean: number } {
  const d = t.detach().contiguous().data();
  let s = 0, s2 = 0;
  for (let i = 0; i < d.length; i++) { s += d[i]; s2 += d[i] * d[i]; }
  const mean = s / d.length;
  return { std: Math.sqrt(Math.max(0, s2 / d.length - mean * mean)), mean };
}

/**
 * `initReport(model, x)`: how the scale of the signal travels through a stack at initialisation.
 * Runs one forward pass recording the std of every Linear/Conv output and of the activation after
 * it, then a backward pass from a unit-Gaussian gradient at the output recording the gradient's std
 * at each layer. Kaiming init keeps ReLU stacks at a constant scale both ways; the same init under
 * sigmoid, or tiny weights under anything, shrinks the signal or its gradient layer after layer
 * (exam 4.4). Parameter `.grad`s are restored afterwards.
 *
 * @example console.log(initReport(deepStack({ activation: "sigmoid", init: "kaiming" }), randn([256, 128])).message)
 */
export function initReport(model: nn.AnyModule, batch: Tensor, opts: { shrinkRatio?: number; perLayerShrink?: number; generator?: Generator } = {}): InitReport {
  checkKeys("initReport", opts, INIT_REPORT_KEYS);
  const shrinkRatio = opts.shrinkRatio ?? 0.1;
  // Between two hidden layers a matched init keeps the gradient's scale (factor ≈ 1); losing half of it
  // per layer is what compounds into vanishing gradients in a deeper stack, so it is flagged even in a
  // shallow net whose end-to-end ratio is still above shrinkRatio² (the exam's 16-32-16-1 sigmoid net).
  const perLayerShrink = opts.perLayerShrink ?? 0.5;
  const names = leafNames(model);
  const rows: { name: string; out: Tensor; act: string | null; post: Tensor | null }[] = [];
  const handles = [...names.keys()].map((m) =>
    m.registerForwardHook((mod, _args, output) => {
      if (!(output instanceof Tensor)) return;
      if (isWeightLayer(mod)) {
        if (output.requiresGrad) output.retainGrad();
        rows.push({ name: names.get(mod)!, out: output, act: null, post: null });
      } else if (isActivation(mod) && rows.length && rows[rows.length - 1].post === null) {
        rows[rows.length - 1].act = mod.constructor.name;
        rows[rows.length - 1].post = output;
      }
    }),
  );
  const saved = model.parameters().map((p) => [p, p.grad] as const);
  const was = model.training;
  let out: Tensor;
  try {
    model.eval();
    out = model.call(batch) as Tensor;
    if (out.requiresGrad) out.backward(randn(out.shape, { generator: opts.generator ?? new Generator(0) }));
  } finally {
    handles.forEach((h) => h.remove());
    model.train(was);
    for (const [p, g] of saved) p.grad = g;
  }
  if (rows.length === 0) throw new Error("initReport: the model ran no nn.Linear/nn.Conv2d/nn.Conv1d module; nothing to measure");
  const layers: InitLayer[] = rows.map((r) => {
    const pre = stdOf(r.out);
    const post = r.post ? stdOf(r.post) : pre;
    return { name: r.name, activation: r.act, preStd: pre.std, postStd: post.std, postMean: post.mean, gradStd: r.out.grad ? stdOf(r.out.grad).std : NaN, gradFactor: NaN };
  });
  for (let i = 0; i + 1 < layers.length; i++) layers[i].gradFactor = layers[i + 1].gradStd > 0 ? layers[i].gradStd / layers[i + 1].gradStd : NaN;
  const f = layers[0];
  const l = layers[layers.length - 1];
  // The last layer is usually a linear read-out without an activation; compare activations, when there are any.
  const acts = layers.filter((x) => x.activation);
  const fa = acts[0] ?? f;
  const la = acts[acts.length - 1] ?? l;
  const forwardRatio = fa.postStd > 0 ? la.postStd / fa.postStd : NaN;
  const backwardRatio = l.gradStd > 0 ? f.gradStd / l.gradStd : NaN;
  const flagged: string[] = [];
  const lines: string[] = [];
  if (forwardRatio < shrinkRatio || !(forwardRatio > 0)) {
    flagged.push(la.name);
    lines.push(`The signal shrinks: activation std ${fmtNum(fa.postStd)} after ${fa.name} but ${fmtNum(la.postStd)} after ${la.name} (x${fmtNum(forwardRatio)}).`);
  } else if (forwardRatio > 1 / shrinkRatio) {
    flagged.push(la.name);
    lines.push(`The signal explodes: activation std ${fmtNum(fa.postStd)} after ${fa.name} but ${fmtNum(la.postStd)} after ${la.name} (x${fmtNum(forwardRatio)}).`);
  }
  // Hidden-to-hidden steps only: the read-out layer's factor depends on its fan-out (1 unit), not on the init.
  const shrinking = layers.filter((x, i) => x.activation && layers[i + 1]?.activation && x.gradFactor < perLayerShrink);
  if (shrinking.length && !flagged.includes(f.name) && !(backwardRatio < shrinkRatio * shrinkRatio)) {
    flagged.push(...shrinking.map((x) => x.name));
    lines.push(`Gradients shrink layer by layer: x${shrinking.map((x) => fmtNum(x.gradFactor)).join(", x")} per hidden layer (${shrinking.map((x) => x.name).join(", ")}; below x${perLayerShrink}). Each further layer like these multiplies the gradient by that again.`);
  }
  const sigm = acts.filter((x) => x.activation === "Sigmoid");
  if (sigm.length && sigm.every((x) => x.postStd < 0.05)) {
    lines.push(`Sigmoid outputs have collapsed to ≈${fmtNum(sigm[sigm.length - 1].postMean)} with std < 0.05: they carry almost no information.`);
  }
  if (backwardRatio < shrinkRatio * shrinkRatio || !(backwardRatio > 0)) {
    flagged.push(f.name);
    lines.push(`Gradients vanish: gradient std ${fmtNum(l.gradStd)} at ${l.name} but ${fmtNum(f.gradStd)} at ${f.name} (x${fmtNum(backwardRatio)}).`);
  } else if (backwardRatio > 1 / (shrinkRatio * shrinkRatio)) {
    flagged.push(f.name);
    lines.push(`Gradients explode: gradient std ${fmtNum(l.gradStd)} at ${l.name} but ${fmtNum(f.gradStd)} at ${f.name} (x${fmtNum(backwardRatio)}).`);
  }
  const table = layers.map((x) => `  ${x.name.padEnd(Math.max(...layers.map((y) => y.name.length)))}  ${(x.activation ?? "-").padEnd(9)} out std ${fmtNum(x.postStd).padStart(8)}  grad std ${fmtNum(x.gradStd).padStart(8)}${Number.isNaN(x.gradFactor) ? "" : `  x${fmtNum(x.gradFactor)} from the next layer`}`);
  if (lines.length) {
    lines.push(
      "Initialisation must match the activation so that Var(x_l) = Var(x_{l-1}) forwards and backwards: Kaiming",
      "(nn.init.kaimingNormal_, nonlinearity \"relu\") for ReLU, Xavier/Glorot (nn.init.xavierNormal_ with gain",
      "nn.init.calculateGain(\"tanh\")) for tanh. Deep sigmoid stacks lose gradient under either init (sigmoid' ≤ 1/4):",
      "use ReLU or tanh in hidden layers (sigmoid only at the output), or add BatchNorm or skip connections.",
    );
  }
  const message = (lines.length ? lines : [`Scale is preserved: activation std x${fmtNum(forwardRatio)} forwards, gradient std x${fmtNum(backwardRatio)} backwards.`]).concat(table).join("\n");
  return { ok: flagged.length === 0, flagged, layers, forwardRatio, backwardRatio, message };
}

/** Activations and initialisations `deepStack` can build. */
export type StackActivation = "relu" | "sigmoid" | "tanh";
export type StackInit = "kaiming" | "xavier" | "small" | "default";

/**
 * `deepStack({depth: 10, width: 128, activation: "sigmoid", init: "kaiming"})`: `depth` blocks of
 * Linear(width, width) + activation with the chosen weight init and zero biases, for `initReport`.
 * "kaiming" is N(0, 2/fanIn) (He, for ReLU), "xavier" N(0, gain²·2/(fanIn+fanOut)) with the
 * activation's gain (1 for sigmoid, 5/3 for tanh), "small" N(0, 0.01²), "default" PyTorch's Linear
 * init.
 */
export function deepStack(opts: { depth?: number; width?: number; activation?: StackActivation; init?: StackInit; generator?: Generator } = {}): nn.Sequential {
  checkKeys("deepStack", opts, DEEP_STACK_KEYS);
  const depth = opts.depth ?? 10;
  const width = opts.width ?? 128;
  const act = opts.activation ?? "relu";
  const init = opts.init ?? "kaiming";
  const g = opts.generator;
  const layers: nn.AnyModule[] = [];
  for (let i = 0; i < depth; i++) {
    const lin = new nn.Linear(width, width, { generator: g });
    if (init === "kaiming") nn.init.kaimingNormal_(lin.weight, { nonlinearity: "relu", generator: g });
    else if (init === "xavier") nn.init.xavierNormal_(lin.weight, { gain: nn.init.calculateGain(act), generator: g });
    else if (init === "small") nn.init.normal_(lin.weight, 0, 0.01, { generator: g });
    if (init !== "default") nn.init.zeros_(lin.bias!);
    layers.push(lin, act === "relu" ? new nn.ReLU() : act === "sigmoid" ? new nn.Sigmoid() : new nn.Tanh());
  }
  return new nn.Sequential(...layers);
}
