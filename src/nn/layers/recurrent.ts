/**
 * Recurrent layers: RNN, LSTM, GRU and their single-step cells RNNCell, LSTMCell, GRUCell.
 *
 * Written in Tensor ops (matmul, sigmoid, tanh, chunk, stack), so autograd does backpropagation
 * through time by itself. Layouts, gate orders, defaults and parameter names are PyTorch's
 * (`weight_ih_l0`, `weight_hh_l0_reverse`, ...), so a PyTorch state dict loads unchanged.
 *
 * One set of weights per layer and direction is applied at every time step: the parameter count
 * does not depend on the sequence length.
 */
import { checkKeys } from "../../tensor/check.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, tensor, zeros, stack, cat, where, type DType, type Generator } from "../../core.js";
import { Module, Parameter, pyBool, pyFloat, fmtShape } from "../module.js";
import { dropout } from "../functional.js";
import { uniform_ } from "../init.js";
import { checkCount } from "./linear.js";

/** The option keys of each class here: anything else is a misspelling. */
const RNNCELL_KEYS = ["bias", "dtype", "generator", "nonlinearity"] as const;
const LSTMCELL_KEYS = ["bias", "dtype", "generator"] as const;
const GRUCELL_KEYS = ["bias", "dtype", "generator"] as const;

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const RNN_KEYS = ["nonlinearity", "numLayers", "bias", "batchFirst", "dropout", "bidirectional", "dtype", "generator"] as const;
const LSTM_KEYS = ["numLayers", "bias", "batchFirst", "dropout", "bidirectional", "dtype", "generator"] as const;
const GRU_KEYS = ["numLayers", "bias", "batchFirst", "dropout", "bidirectional", "dtype", "generator"] as const;

type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

/** Gates per mode: the weight matrices stack them along dim 0 (LSTM i,f,g,o; GRU r,z,n). */
const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** Options shared by RNN, LSTM and GRU. */
export interface RNNOptions {
  /** Stacked recurrent layers (default 1); layer k+1 reads layer k's output sequence. */
  numLayers?: number;
  /** Use the bias vectors b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [N, T, *] instead of [T, N, *] (the hidden state stays [layers·dirs, N, H]). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Also run each layer right to left and concatenate both directions' features (default false). */
  bidirectional?: boolean;
  dtype?: DType;
  /** Generator for the initial weights (default: the global one). */
  generator?: Generator;
}

/** Options of a forward call of RNN, LSTM and GRU. */
export interface RNNForwardOptions {
  /**
   * Valid length of each sequence of a padded batch (int32 tensor or numbers, [N], each in 1..T).
   * Steps past a sequence's length do not update its state, their outputs are zero, and the
   * reverse direction starts at the sequence's last valid step: the same results as PyTorch's
   * `pack_padded_sequence(..., enforce_sorted=False)` followed by `pad_packed_sequence`.
   */
  lengths?: Tensor | readonly number[];
}

// ------------------------------------------------------------------------ cell math

/** One step. `gi` = x·W_ihᵀ (+ b_ih) already computed, `wHhT` = W_hhᵀ; returns the new [h] or [h, c]. */
function step(mode: Mode, gi: Tensor, state: Tensor[], wHhT: Tensor, bHh: Tensor | null): Tensor[] {
  const h = state[0];
  let gh = h.matmul(wHhT);
  if (bHh) gh = gh.add(bHh);
  switch (mode) {
    case "RNN_TANH":
      return [gi.add(gh).tanh()];
    case "RNN_RELU":
      return [gi.add(gh).relu()];
    case "LSTM": {
      const [i, f, g, o] = gi.add(gh).chunk(4, -1);
      const c = f.sigmoid().mul(state[1]).add(i.sigmoid().mul(g.tanh()));
      return [o.sigmoid().mul(c.tanh()), c];
    }
    case "GRU": {
      // PyTorch's GRU keeps the hidden half of the candidate separate: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
      const [ri, zi, ni] = gi.chunk(3, -1);
      const [rh, zh, nh] = gh.chunk(3, -1);
      const r = ri.add(rh).sigmoid();
      const z = zi.add(zh).sigmoid();
      const n = ni.add(r.mul(nh)).tanh();
      // h' = (1 − z) ⊙ n + z ⊙ h, written as n + z ⊙ (h − n).
      return [n.add(z.mul(h.sub(n)))];
    }
  }
}


function inputProjection(x: Tensor, wIh: Tensor, bIh: Tensor | null): Tensor {
  const gi = x.matmul(wIh.t());
  return bIh ? gi.add(bIh) : gi;
}

// ------------------------------------------------------------------------ multi-layer layers

/**
 * What RNN, LSTM and GRU share: PyTorch's parameter layout and the loop over layers, directions and
 * time steps.
 */
/**
 * PyTorch's names of an RNN/LSTM/GRU's parameters: `weight_ih_l0`, `weight_hh_l1`, `bias_ih_l0`,
 * `bias_hh_l0_reverse`, ... (layer index after `_l`; `_reverse` for the backward direction).
 */
export type RNNParameterName = `${"weight" | "bias"}_${"ih" | "hh"}_l${number}` | `${"weight" | "bias"}_${"ih" | "hh"}_l${number}_reverse`;

abstract class RNNBase<In extends unknown[], Out> extends Module<In, Out> {
  /**
   * The parameters under PyTorch's names, e.g. `lstm.weight_ih_l0` ([4·hiddenSize, inputSize]).
   * Registered in the constructor for every layer and direction; biases only with `bias: true`.
   */
  [name: RNNParameterName]: Parameter;
  readonly mode: Mode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Draws the inter-layer dropout masks (default: the global generator). */
  generator?: Generator;

  constructor(layer: string, mode: Mode, inputSize: number, hiddenSize: number, opts: RNNOptions) {
    super();
    // PyTorch builds a stack over 0 input features (weight_ih_l0 [G, 0]: the input adds nothing) but
    // not with 0 hidden units (its proj_size check, 0 >= hidden_size, raises).
    checkCount(inputSize, layer, "inputSize", 0);
    checkCount(hiddenSize, layer, "hiddenSize");
    const numLayers = opts.numLayers ?? 1;
    checkCount(numLayers, layer, "numLayers");
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new Error(`${layer}: dropout must be a probability in [0, 1], got ${p}`);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = p;
    this.bidirectional = opts.bidirectional ?? false;
    const dtype = opts.dtype ?? "float32";
    const G = GATES[mode] * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    // PyTorch's registration order (and so state-dict order): per layer, per direction: w_ih, w_hh, b_ih, b_hh.
    for (let l = 0; l < numLayers; l++) {
      const inF = l === 0 ? inputSize : hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
        this.registerParameter(`weight_ih${sfx}`, new Parameter(zeros([G, inF], { dtype })));
        this.registerParameter(`weight_hh${sfx}`, new Parameter(zeros([G, hiddenSize], { dtype })));
        if (this.bias) {
          this.registerParameter(`bias_ih${sfx}`, new Parameter(zeros([G], { dtype })));
          this.registerParameter(`bias_hh${sfx}`, new Parameter(zeros([G], { dtype })));
        }
      }
    }
    this.resetParameters(opts.generator);
  }

  /** PyTorch's init: every weight and bias U(−1/√hiddenSize, 1/√hiddenSize). */
  resetParameters(generator?: Generator): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k, { generator });
  }

  /** The parameter registered under a PyTorch name (looked up each time, since `to()` replaces parameters). */
  protected param(name: string): Parameter | null {
    return (this as unknown as Record<string, Parameter | undefined>)[name] ?? null;
  }

  /** Number of [layer, direction] state slices: numLayers · (bidirectional ? 2 : 1). */
  protected get stateCount(): number {
    return this.numLayers * (this.bidirectional ? 2 : 1);
  }

  /**
   * Runs the stack. `states` are the initial [h0] or [h0, c0], each [L·D, N, H] (or null for zeros).
   * Returns the output sequence [T, N, D·H] (or batch-first / unbatched as given) and the final states.
   */
  protected run(input: Tensor, states: (Tensor | null)[], opts: RNNForwardOptions = {}): [Tensor, Tensor[]] {
    const layer = this.constructor.name;
    const H = this.hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const LD = this.stateCount;
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new Error(`${layer}: expected input [T, N, ${this.inputSize}]${this.batchFirst ? " (batchFirst: [N, T, *])" : ""} or unbatched [T, ${this.inputSize}], got ${fmtShape(input.shape)}`);
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new Error(`${layer}: input ${fmtShape(input.shape)} has ${input.shape[input.ndim - 1]} features in its last dim, expected inputSize ${this.inputSize}`);
    }
    const unbatched = input.ndim === 2;
    let x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const [T, N] = x.shape;
    if (T === 0) throw new Error(`${layer}: the input ${fmtShape(input.shape)} has no time steps`);
    const stateNames = this.mode === "LSTM" ? ["h0", "c0"] : ["h0"];
    const init: Tensor[] = states.map((s, k) => {
      if (s === null || s === undefined) return zeros([LD, N, H], { dtype: x.dtype });
      const want = unbatched ? [LD, H] : [LD, N, H];
      if (s.ndim !== want.length || s.shape.some((v, i) => v !== want[i])) {
        throw new Error(
          `${layer}: initial state ${stateNames[k]} has shape ${fmtShape(s.shape)}, expected ${fmtShape(want)} ` +
            `(numLayers·directions = ${LD}${unbatched ? ", unbatched input" : `, batch ${N}`}, hiddenSize ${H})`,
        );
      }
      return unbatched ? s.unsqueeze(1) : s;
    });
    const masks = this.stepMasks(opts.lengths, T, N, unbatched, layer);

    const finals: Tensor[][] = stateNames.map(() => []);
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
        const gi = inputProjection(x, this.param(`weight_ih${sfx}`)!, this.param(`bias_ih${sfx}`)).unbind(0); // all steps in one matmul
        // Transposed once per forward rather than read through strides at every step (the kernel is faster on contiguous operands).
        const wHhT = this.param(`weight_hh${sfx}`)!.t().contiguous();
        const bHh = this.param(`bias_hh${sfx}`);
        let state = init.map((s) => s.select(0, l * dirs + d));
        const ys: Tensor[] = new Array<Tensor>(T);
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          let next = step(this.mode, gi[t], state, wHhT, bHh);
          if (masks) {
            // Past a sequence's end the state is carried unchanged and the output is zero.
            const m = masks[t];
            next = next.map((v, i) => where(m, v, state[i]));
            ys[t] = where(m, next[0], 0);
          } else {
            ys[t] = next[0];
          }
          state = next;
        }
        outs.push(stack(ys, 0));
        state.forEach((v, i) => finals[i].push(v));
      }
      x = dirs === 2 ? cat(outs, -1) : outs[0];
      if (this.dropout > 0 && l < this.numLayers - 1) x = dropout(x, this.dropout, this.training, { generator: this.generator });
    }
    let output = x;
    let hn = finals.map((f) => stack(f, 0));
    if (unbatched) {
      output = output.squeeze(1);
      hn = hn.map((h) => h.squeeze(1));
    } else if (this.batchFirst) {
      output = output.transpose(0, 1);
    }
    return [output, hn];
  }

  /** Per time step, a bool [N, 1] mask of the sequences still running, or null without lengths. */
  private stepMasks(lengths: Tensor | readonly number[] | undefined, T: number, N: number, unbatched: boolean, layer: string): Tensor[] | null {
    if (lengths === undefined) return null;
    const lens = lengths instanceof Tensor ? Array.from(lengths.numbers()) : [...lengths];
    const shape = lengths instanceof Tensor ? lengths.shape : [lens.length];
    if (unbatched ? lens.length !== 1 : shape.length !== 1 || lens.length !== N) {
      throw new Error(`${layer}: lengths has shape ${fmtShape(shape)}, expected [${unbatched ? 1 : N}] (one length per sequence of the batch)`);
    }
    lens.forEach((v, n) => {
      if (!Number.isInteger(v) || v < 1 || v > T) throw new Error(`${layer}: lengths[${n}] = ${v} must be an integer in 1..${T} (the padded length)`);
    });
    if (lens.every((v) => v === T)) return null;
    const masks: Tensor[] = [];
    for (let t = 0; t < T; t++) masks.push(tensor(lens.map((v) => t < v), { dtype: "bool" }).reshape([N, 1]));
    return masks;
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.mode === "RNN_RELU") s += ", nonlinearity=relu";
    if (!this.bias) s += ", bias=False";
    if (this.batchFirst) s += ", batch_first=True";
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += `, bidirectional=${pyBool(true)}`;
    return s;
  }
}

/** Options of `RNN`: the shared ones plus the nonlinearity. */
/** LSTM's and GRU's positional order after hidden_size, as PyTorch: `nn.LSTM(10, 20, 2)` has 2 layers. */
type GatedPositional = [numLayers: number, bias: boolean, batchFirst: boolean, dropout: number, bidirectional: boolean];
const GATED_POSITIONAL = ["numLayers", "bias", "batchFirst", "dropout", "bidirectional"] as const;

export interface RNNLayerOptions extends RNNOptions {
  /** "tanh" (default) or "relu". */
  nonlinearity?: "tanh" | "relu";
}

/**
 * Elman RNN: h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) (or relu), per layer and direction.
 *
 * ```ts
 * const [out, hN] = new nn.RNN(10, 20, { numLayers: 2 }).forward(x); // x [T, N, 10]
 * ```
 *
 * Shape: input [T, N, inputSize] ([N, T, inputSize] with batchFirst, or unbatched [T, inputSize]);
 * h0 [numLayers·D, N, hiddenSize] (optional, zeros) with D = 2 if bidirectional else 1 ->
 * output [T, N, D·hiddenSize] (batch first / unbatched like the input), hN [numLayers·D, N, hiddenSize].
 * Parameters weight_ih_l{k} [hiddenSize, inputSize or D·hiddenSize], weight_hh_l{k} [hiddenSize, hiddenSize],
 * bias_ih_l{k}, bias_hh_l{k} [hiddenSize], and the same with suffix `_reverse`.
 */
export class RNN extends RNNBase<[input: Tensor, h0?: Tensor | null, opts?: RNNForwardOptions], [Tensor, Tensor]> {
  readonly nonlinearity: "tanh" | "relu";
  constructor(inputSize: number, hiddenSize: number, ...args: PositionalArgs<[numLayers: number, nonlinearity: "tanh" | "relu", bias: boolean, batchFirst: boolean, dropout: number, bidirectional: boolean], RNNLayerOptions>) {
    const opts = positionalOptions<RNNLayerOptions>("RNN", ["numLayers", "nonlinearity", "bias", "batchFirst", "dropout", "bidirectional"], args, RNN_KEYS);
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") throw new Error(`RNN: nonlinearity must be "tanh" or "relu", got "${nl as string}"`);
    super("RNN", nl === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }
  forward(input: Tensor, h0: Tensor | null = null, opts: RNNForwardOptions = {}): [Tensor, Tensor] {
    const [out, [hn]] = this.run(input, [h0], opts);
    return [out, hn];
  }
}

/**
 * Long short-term memory: gates i, f, g, o (PyTorch's order in the stacked weights);
 * c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
 *
 * ```ts
 * const [out, [hN, cN]] = new nn.LSTM(10, 20).forward(x); // x [T, N, 10]
 * ```
 *
 * Shape: input [T, N, inputSize] ([N, T, inputSize] with batchFirst, or unbatched [T, inputSize]);
 * optional [h0, c0], each [numLayers·D, N, hiddenSize] -> output [T, N, D·hiddenSize],
 * [hN, cN] each [numLayers·D, N, hiddenSize]. Weights weight_ih_l{k} [4·hiddenSize, *],
 * weight_hh_l{k} [4·hiddenSize, hiddenSize], biases [4·hiddenSize].
 */
export class LSTM extends RNNBase<[input: Tensor, hx?: [Tensor, Tensor] | null, opts?: RNNForwardOptions], [Tensor, [Tensor, Tensor]]> {
  constructor(inputSize: number, hiddenSize: number, ...args: PositionalArgs<GatedPositional, RNNOptions>) {
    super("LSTM", "LSTM", inputSize, hiddenSize, positionalOptions("LSTM", GATED_POSITIONAL, args, LSTM_KEYS));
  }
  forward(input: Tensor, hx: [Tensor, Tensor] | null = null, opts: RNNForwardOptions = {}): [Tensor, [Tensor, Tensor]] {
    if (hx !== null && (!Array.isArray(hx) || hx.length !== 2)) throw new Error("LSTM: the initial state must be a pair [h0, c0] (or null for zeros)");
    const [out, [hn, cn]] = this.run(input, hx ?? [null, null], opts);
    return [out, [hn, cn]];
  }
}

/**
 * Gated recurrent unit: r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h (PyTorch's gate order r, z, n).
 *
 * ```ts
 * const [out, hN] = new nn.GRU(10, 20, { batchFirst: true }).forward(x); // x [N, T, 10]
 * ```
 *
 * Shape: as RNN, with weights weight_ih_l{k} [3·hiddenSize, *], weight_hh_l{k} [3·hiddenSize, hiddenSize],
 * biases [3·hiddenSize].
 */
export class GRU extends RNNBase<[input: Tensor, h0?: Tensor | null, opts?: RNNForwardOptions], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, ...args: PositionalArgs<GatedPositional, RNNOptions>) {
    super("GRU", "GRU", inputSize, hiddenSize, positionalOptions("GRU", GATED_POSITIONAL, args, GRU_KEYS));
  }
  forward(input: Tensor, h0: Tensor | null = null, opts: RNNForwardOptions = {}): [Tensor, Tensor] {
    const [out, [hn]] = this.run(input, [h0], opts);
    return [out, hn];
  }
}

// ------------------------------------------------------------------------ cells

/** Options of RNNCell, LSTMCell and GRUCell. */
export interface RNNCellOptions {
  bias?: boolean;
  dtype?: DType;
  generator?: Generator;
}

abstract class RNNCellBase<In extends unknown[], Out> extends Module<In, Out> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(layer: string, gates: number, inputSize: number, hiddenSize: number, opts: RNNCellOptions) {
    super();
    // PyTorch's cells take 0 input features and 0 hidden units alike (empty weights, an empty state).
    checkCount(inputSize, layer, "inputSize", 0);
    checkCount(hiddenSize, layer, "hiddenSize", 0);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = opts.bias ?? true;
    const dtype = opts.dtype ?? "float32";
    // PyTorch's names (snake_case on purpose), so cell state dicts load unchanged.
    this.weight_ih = new Parameter(zeros([gates * hiddenSize, inputSize], { dtype }));
    this.weight_hh = new Parameter(zeros([gates * hiddenSize, hiddenSize], { dtype }));
    this.bias_ih = this.bias ? new Parameter(zeros([gates * hiddenSize], { dtype })) : null;
    this.bias_hh = this.bias ? new Parameter(zeros([gates * hiddenSize], { dtype })) : null;
    this.resetParameters(opts.generator);
  }

  /** PyTorch's init: U(−1/√hiddenSize, 1/√hiddenSize) for every weight and bias. */
  resetParameters(generator?: Generator): void {
    if (this.hiddenSize === 0) return; // every parameter is empty (PyTorch's bound would be 1/√0 = inf)
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k, { generator });
  }

  /** Validates the input and states; returns them batched ([N, *]) and whether to squeeze back. */
  protected prepare(input: Tensor, states: (Tensor | null)[], names: string[]): [Tensor, Tensor[], boolean] {
    const layer = this.constructor.name;
    if ((input.ndim !== 1 && input.ndim !== 2) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new Error(`${layer}(${this.inputSize}, ${this.hiddenSize}): expected input [N, ${this.inputSize}] or [${this.inputSize}], got ${fmtShape(input.shape)}`);
    }
    const unbatched = input.ndim === 1;
    const x = unbatched ? input.unsqueeze(0) : input;
    const N = x.shape[0];
    const want = unbatched ? [this.hiddenSize] : [N, this.hiddenSize];
    const hs = states.map((s, k) => {
      if (s === null || s === undefined) return zeros([N, this.hiddenSize], { dtype: x.dtype });
      if (s.ndim !== want.length || s.shape.some((v, i) => v !== want[i])) {
        throw new Error(`${layer}(${this.inputSize}, ${this.hiddenSize}): ${names[k]} has shape ${fmtShape(s.shape)}, expected ${fmtShape(want)}`);
      }
      return unbatched ? s.unsqueeze(0) : s;
    });
    return [x, hs, unbatched];
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? "" : ", bias=False"}`;
  }
}

/**
 * One step of an Elman RNN: h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or relu).
 *
 * ```ts
 * const h1 = new nn.RNNCell(10, 20).forward(x, h0); // x [N, 10], h0 [N, 20]
 * ```
 *
 * Shape: input [N, inputSize] or [inputSize]; h [N, hiddenSize] (optional, zeros) -> h' [N, hiddenSize].
 */
export class RNNCell extends RNNCellBase<[input: Tensor, h?: Tensor | null], Tensor> {
  readonly nonlinearity: "tanh" | "relu";
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions & { nonlinearity?: "tanh" | "relu" } = {}) {
    checkKeys("RNNCell", opts, RNNCELL_KEYS);
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") throw new Error(`RNNCell: nonlinearity must be "tanh" or "relu", got "${nl as string}"`);
    super("RNNCell", 1, inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }
  forward(input: Tensor, h: Tensor | null = null): Tensor {
    const [x, [h0], unbatched] = this.prepare(input, [h], ["h"]);
    const [h1] = step(this.nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", inputProjection(x, this.weight_ih, this.bias_ih), [h0], this.weight_hh.t(), this.bias_hh);
    return unbatched ? h1.squeeze(0) : h1;
  }
  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === "relu" ? ", nonlinearity=relu" : "");
  }
}

/**
 * One LSTM step (gates i, f, g, o).
 *
 * ```ts
 * const [h1, c1] = new nn.LSTMCell(10, 20).forward(x, [h0, c0]);
 * ```
 *
 * Shape: input [N, inputSize] or [inputSize]; [h, c] each [N, hiddenSize] (optional, zeros) -> [h', c'] each [N, hiddenSize].
 */
export class LSTMCell extends RNNCellBase<[input: Tensor, hx?: [Tensor, Tensor] | null], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super("LSTMCell", 4, inputSize, hiddenSize, opts);
    checkKeys("LSTMCell", opts, LSTMCELL_KEYS);
  }
  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    if (hx !== null && (!Array.isArray(hx) || hx.length !== 2)) throw new Error("LSTMCell: the state must be a pair [h, c] (or null for zeros)");
    const [x, [h0, c0], unbatched] = this.prepare(input, hx ?? [null, null], ["h", "c"]);
    const [h1, c1] = step("LSTM", inputProjection(x, this.weight_ih, this.bias_ih), [h0, c0], this.weight_hh.t(), this.bias_hh);
    return unbatched ? [h1.squeeze(0), c1.squeeze(0)] : [h1, c1];
  }
}

/**
 * One GRU step (gates r, z, n; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))).
 *
 * ```ts
 * const h1 = new nn.GRUCell(10, 20).forward(x, h0);
 * ```
 *
 * Shape: input [N, inputSize] or [inputSize]; h [N, hiddenSize] (optional, zeros) -> h' [N, hiddenSize].
 */
export class GRUCell extends RNNCellBase<[input: Tensor, h?: Tensor | null], Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super("GRUCell", 3, inputSize, hiddenSize, opts);
    checkKeys("GRUCell", opts, GRUCELL_KEYS);
  }
  forward(input: Tensor, h: Tensor | null = null): Tensor {
    const [x, [h0], unbatched] = this.prepare(input, [h], ["h"]);
    const [h1] = step("GRU", inputProjection(x, this.weight_ih, this.bias_ih), [h0], this.weight_hh.t(), this.bias_hh);
    return unbatched ? h1.squeeze(0) : h1;
  }
}
