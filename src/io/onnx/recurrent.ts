/**
 * RNN, LSTM and GRU as ONNX's own RNN/LSTM/GRU operators, so an exported recurrent model runs on any
 * sequence length (dynamicAxes on the time axis), as torch.onnx.export writes them.
 *
 * deeptype's recurrent layers run a loop of small ops per time step; traced op by op they would
 * unroll into a graph fixed to the example's length. So during the trace, the exporter replaces each
 * recurrent layer's `forward` (on that instance, restored afterwards) with one that runs the original
 * with op recording muted and records the whole call as one composite op, "recurrent", whose inputs
 * are the sequence, the initial states and the lengths (if given) and whose outputs are the output sequence and final states.
 * Its emitter below writes one ONNX node per layer (both directions in one node), with the weights
 * re-stacked into ONNX's gate order as initializers.
 *
 * Layers are recognised by shape, not class (io does not import nn): a `mode` of RNN_TANH, RNN_RELU,
 * LSTM or GRU with `hiddenSize`, `numLayers`, `bidirectional`, `batchFirst` and PyTorch's parameter names.
 */
import { Tensor } from "../../core.js";
import type { AttrValue, Emit } from "./ops.js";

type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

/** What the exporter reads of a recurrent layer. */
interface RecurrentLike {
  mode: Mode;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
  bias: boolean;
  forward(...args: unknown[]): unknown;
  namedParameters(): [string, Tensor][];
}

/** The attributes of a traced "recurrent" op. */
export interface RecurrentAttrs {
  mode: Mode;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
  unbatched: boolean;
  /** Whether the initial state(s) were given (graph values: inputs 1 and, for LSTM, 2). */
  hasState: boolean;
  /** Whether per-sequence lengths were given (the last input; ONNX's sequence_lens, int32 [N]). */
  hasLengths: boolean;
  /** The layer's own parameters by PyTorch name (weight_ih_l0, ...), read when emitting. */
  weights: Record<string, Tensor>;
  /** The layer's path in the model ("encoder.rnn"), for initializer names and errors. */
  path: string;
}

/** A traced composite op: like a recorded op, with more than one output. */
export interface CompositeRecord {
  name: string;
  inputs: Tensor[];
  attrs: RecurrentAttrs;
  output: Tensor;
  extra: Tensor[];
}

const MODES = new Set(["RNN_TANH", "RNN_RELU", "LSTM", "GRU"]);

function isRecurrent(m: unknown): m is RecurrentLike {
  const r = m as Partial<RecurrentLike> | null;
  return !!r && MODES.has(r.mode as string) && typeof r.hiddenSize === "number" && typeof r.numLayers === "number" && typeof r.forward === "function";
}

/** Recording control the tracer shares with the patched layers. */
export interface TraceControl {
  /** > 0 while a recurrent layer runs: its inner ops are not recorded. */
  muted: number;
  record(r: CompositeRecord): void;
}

/**
 * Replaces the forward of every recurrent layer under `model` by a recording one; returns the undo.
 * Models without `namedModules` (plain functions wrapped by hand) have no recurrent layers to find.
 */
export function patchRecurrent(model: unknown, ctl: TraceControl): () => void {
  const named = (model as { namedModules?: () => [string, unknown][] }).namedModules?.() ?? [["", model]];
  const undo: (() => void)[] = [];
  for (const [path, m] of named) {
    if (!isRecurrent(m)) continue;
    const own = Object.prototype.hasOwnProperty.call(m, "forward");
    const original = m.forward;
    m.forward = function recordedForward(this: RecurrentLike, ...args: unknown[]): unknown {
      const [input, state, opts] = args as [Tensor, unknown, { lengths?: unknown } | undefined];
      const where = `exportOnnx: ${m.constructor.name} ${path ? `"${path}"` : "(the model)"}`;
      const lengths = opts?.lengths;
      if (ctl.muted > 0) return original.apply(this, args);
      // Lengths as a tensor are a graph value (ONNX's sequence_lens); numbers would freeze one batch's lengths into the model.
      if (lengths !== undefined && !(lengths instanceof Tensor)) {
        throw new Error(`${where} was called with lengths as numbers, which would be frozen into the graph; pass them as an int32 tensor that is a model input (ONNX's sequence_lens), or call it without lengths when exporting`);
      }
      ctl.muted++;
      let result: unknown;
      try {
        result = original.apply(this, args);
      } finally {
        ctl.muted--;
      }
      const states = state === null || state === undefined ? [] : flatTensors(state);
      const [output, ...extra] = flatTensors(result);
      ctl.record({
        name: "recurrent",
        inputs: [input, ...states, ...(lengths ? [lengths] : [])],
        attrs: {
          mode: m.mode, hiddenSize: m.hiddenSize, numLayers: m.numLayers, bidirectional: m.bidirectional, batchFirst: m.batchFirst,
          unbatched: input.ndim === 2, hasState: states.length > 0, hasLengths: lengths !== undefined, weights: Object.fromEntries(m.namedParameters()), path,
        },
        output,
        extra,
      });
      return result;
    };
    undo.push(() => {
      if (own) m.forward = original;
      else delete (m as { forward?: unknown }).forward;
    });
  }
  return () => undo.reverse().forEach((f) => f());
}

function flatTensors(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(flatTensors);
  return [];
}

/** ONNX's gate order as indices into PyTorch's: LSTM i,f,g,o -> i,o,f,c; GRU r,z,n -> z,r,h. */
const GATE_ORDER: Record<Mode, number[]> = { RNN_TANH: [0], RNN_RELU: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] };
const OP_TYPE: Record<Mode, string> = { RNN_TANH: "RNN", RNN_RELU: "RNN", LSTM: "LSTM", GRU: "GRU" };

/**
 * Stacks one layer's per-direction tensors (weight_ih_l0, weight_ih_l0_reverse) into ONNX's
 * [directions, gates·H, ...] with the gate blocks reordered; `parts` concatenates several along the
 * last dim (ONNX's B is [Wb, Rb]).
 */
function stacked(a: RecurrentAttrs, layer: number, names: string[]): Tensor {
  const dirs = a.bidirectional ? 2 : 1;
  const order = GATE_ORDER[a.mode];
  const H = a.hiddenSize;
  const first = a.weights[`${names[0]}_l${layer}`];
  const cols = first.ndim === 2 ? first.shape[1] : 1;
  const blocks: number[] = [];
  for (let d = 0; d < dirs; d++) {
    for (const name of names) {
      const t = a.weights[`${name}_l${layer}${d ? "_reverse" : ""}`];
      const v = t.contiguous().data();
      for (const g of order) for (let i = g * H * cols; i < (g + 1) * H * cols; i++) blocks.push(Number(v[i]));
    }
  }
  const shape = first.ndim === 2 ? [dirs, order.length * H, cols] : [dirs, names.length * order.length * H];
  return Tensor.fromArray(first.dtype === "float64" ? Float64Array.from(blocks) : Float32Array.from(blocks), shape, first.dtype);
}

/** Emits a traced "recurrent" op: per layer one ONNX RNN/LSTM/GRU node, plus layout plumbing. */
export function emitRecurrent(e: Emit): void {
  const a = e.attrs as RecurrentAttrs;
  const ints = (v: number[]) => e.constant(v, [v.length], "int64");
  const dirs = a.bidirectional ? 2 : 1;
  const lstm = a.mode === "LSTM";
  const base = a.path ? `${a.path}.` : "";
  let x = a.unbatched ? e.node("Unsqueeze", [e.in(0), ints([1])]) : a.batchFirst ? e.node("Transpose", [e.in(0)], { perm: { ints: [1, 0, 2] } }) : e.in(0);
  const batchState = (k: number) => (a.unbatched ? e.node("Unsqueeze", [e.in(k), ints([1])]) : e.in(k));
  const h0 = a.hasState ? batchState(1) : "";
  const c0 = a.hasState && lstm ? batchState(2) : "";
  // Steps past a sequence's length leave its state alone and output zeros, in ONNX as in deeptype.
  let lens = "";
  if (a.hasLengths) {
    const k = e.inputs.length - 1;
    const raw = e.inputs[k].dtype === "int32" ? e.in(k) : e.node("Cast", [e.in(k)], { to: { i: 6 } });
    lens = a.unbatched ? e.node("Reshape", [raw, ints([1])]) : raw;
  }
  const hs: string[] = [], cs: string[] = [];
  const attrs: Record<string, AttrValue> = { hidden_size: { i: a.hiddenSize }, direction: { s: a.bidirectional ? "bidirectional" : "forward" } };
  if (a.mode === "GRU") attrs.linear_before_reset = { i: 1 }; // PyTorch applies r after W_hn·h + b_hn
  if (a.mode === "RNN_RELU") attrs.activations = { strings: Array(dirs).fill("Relu") }; // one per direction
  for (let l = 0; l < a.numLayers; l++) {
    const W = e.initializer(stacked(a, l, ["weight_ih"]), `${base}onnx_W_l${l}`);
    const R = e.initializer(stacked(a, l, ["weight_hh"]), `${base}onnx_R_l${l}`);
    const B = a.weights[`bias_ih_l${l}`] ? e.initializer(stacked(a, l, ["bias_ih", "bias_hh"]), `${base}onnx_B_l${l}`) : "";
    const slice = (s: string) => (s ? e.node("Slice", [s, ints([l * dirs]), ints([(l + 1) * dirs]), ints([0])]) : "");
    const ins = [x, W, R, B, lens, slice(h0)];
    if (lstm) ins.push(slice(c0));
    while (ins[ins.length - 1] === "") ins.pop();
    const [y, yh, yc] = e.nodeN(OP_TYPE[a.mode], ins, attrs, lstm ? 3 : 2);
    hs.push(yh);
    if (lstm) cs.push(yc);
    // Y is [T, dirs, N, H]; the next layer and the output read [T, N, dirs·H].
    x = dirs === 1 ? e.node("Squeeze", [y, ints([1])]) : e.node("Reshape", [e.node("Transpose", [y], { perm: { ints: [0, 2, 1, 3] } }), ints([0, 0, -1])]);
  }
  const final = (k: number, v: string) => {
    const out = e.outs[k];
    if (a.unbatched) e.node("Squeeze", [v, ints([1])], {}, out);
    else if (k === 0 && a.batchFirst) e.node("Transpose", [v], { perm: { ints: [1, 0, 2] } }, out);
    else e.node("Identity", [v], {}, out);
  };
  final(0, x);
  const join = (vs: string[]) => (vs.length === 1 ? vs[0] : e.node("Concat", vs, { axis: { i: 0 } }));
  final(1, join(hs));
  if (lstm) final(2, join(cs));
}
