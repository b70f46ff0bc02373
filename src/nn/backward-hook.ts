/**
 * Module full backward hooks (`module.registerFullBackwardHook`), built as PyTorch builds them: the
 * module's tensor inputs and outputs pass through an identity autograd Function each, so that the
 * backward pass visits one node with the gradients of all outputs (recorded) and, later, one node
 * with the gradients of all inputs (where the user hooks run and may replace them).
 */
import { Tensor, autograd, isGradEnabled } from "../core.js";

/**
 * `(module, gradInput, gradOutput) => ...`: called once per backward pass through a module call, with
 * one entry per positional argument of `forward` (null for non-tensors and for arguments with no
 * gradient) and per output (null where no gradient arrived). Returning an array of the same length
 * replaces the input gradients that flow further back.
 */
export type FullBackwardHook<M = unknown> = (module: M, gradInput: (Tensor | null)[], gradOutput: (Tensor | null)[]) => (Tensor | null | undefined)[] | void | undefined;

interface Side {
  onBackward(grads: (Tensor | null)[]): (Tensor | null)[];
}

/** Identity on its tensor arguments; its backward hands the gradients of its outputs to `side`. */
class BackwardHookFunction extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, side: Side, materialize: boolean, ...tensors: Tensor[]): Tensor[] {
    ctx.side = side;
    ctx.markNonDifferentiable(...tensors.filter((t) => !t.requiresGrad));
    ctx.setMaterializeGrads(materialize);
    return tensors;
  }

  static override backward(ctx: autograd.FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    return [null, null, ...(ctx.side as Side).onBackward(grads)];
  }
}

/** The hooks of one module call: set up on its inputs before forward and on its output after. */
export class BackwardHookCall<M> {
  private gradOutputs: (Tensor | null)[] | null = null;
  private inputIndex: number[] | null = null;
  private nInputs = 0;

  constructor(
    private readonly module: M,
    private readonly hooks: readonly FullBackwardHook<M>[],
    private readonly name: string,
  ) {}

  /** The arguments forward should get: tensors replaced by identity outputs when any requires grad. */
  setupInput(args: unknown[]): unknown[] {
    this.nInputs = args.length;
    const idx = tensorIndices(args);
    if (!isGradEnabled() || !idx.some((i) => (args[i] as Tensor).requiresGrad)) return args;
    this.inputIndex = idx;
    const side: Side = { onBackward: (grads) => this.inputBackward(grads) };
    const wrapped = BackwardHookFunction.apply(side, true, ...idx.map((i) => args[i] as Tensor));
    const out = [...args];
    idx.forEach((i, k) => (out[i] = wrapped[k]));
    return out;
  }

  /** The output the caller gets: its tensors (a tensor, or tensors directly in an array) passed through an identity. */
  setupOutput(output: unknown): unknown {
    const isArray = Array.isArray(output);
    const outs: unknown[] = isArray ? [...(output as unknown[])] : [output];
    const idx = tensorIndices(outs);
    if (!isGradEnabled() || !idx.some((i) => (outs[i] as Tensor).requiresGrad)) return output;
    const side: Side = {
      onBackward: (grads) => {
        this.outputBackward(pack(idx, grads, outs.length));
        return grads;
      },
    };
    const wrapped = BackwardHookFunction.apply(side, false, ...idx.map((i) => outs[i] as Tensor));
    idx.forEach((i, k) => (outs[i] = wrapped[k]));
    return isArray ? outs : outs[0];
  }

  private outputBackward(gradOutputs: (Tensor | null)[]): void {
    this.gradOutputs = gradOutputs;
    if (this.inputIndex !== null) return;
    // No input requires grad: the input node never runs, so the hooks run here (PyTorch does the same).
    const gradInputs = new Array<Tensor | null>(this.nInputs).fill(null);
    for (const hook of this.hooks) {
      const r = hook(this.module, gradInputs, gradOutputs);
      if (r !== undefined && r !== null && !(Array.isArray(r) && r.every((g) => g === null || g === undefined))) {
        throw new Error(`${this.name}: a full backward hook of a module where no input requires grad must return nothing (or nulls), since there is no input gradient to replace`);
      }
    }
    this.gradOutputs = null;
  }

  private inputBackward(grads: (Tensor | null)[]): (Tensor | null)[] {
    // The gradient reached the inputs without passing the outputs (e.g. a double backward): no hook.
    if (this.gradOutputs === null || this.inputIndex === null) return grads;
    const idx = this.inputIndex;
    let res = pack(idx, grads, this.nInputs);
    for (const hook of this.hooks) {
      const r = hook(this.module, res, this.gradOutputs);
      if (r === undefined || r === null) continue;
      if (!Array.isArray(r) || r.length !== res.length) {
        throw new Error(
          `${this.name}: a full backward hook returned ${Array.isArray(r) ? `${r.length} input gradients` : typeof r} but the module has ${res.length} ` +
            "inputs; return one entry per forward argument (null to drop one), or nothing to keep them",
        );
      }
      res = r.map((g) => g ?? null);
    }
    this.gradOutputs = null;
    return idx.map((i) => res[i]);
  }
}

function tensorIndices(xs: readonly unknown[]): number[] {
  const idx: number[] = [];
  xs.forEach((x, i) => x instanceof Tensor && idx.push(i));
  return idx;
}

/** Spreads the gradients of the tensor positions `idx` over `n` slots (null elsewhere). */
function pack(idx: readonly number[], grads: readonly (Tensor | null)[], n: number): (Tensor | null)[] {
  const out = new Array<Tensor | null>(n).fill(null);
  idx.forEach((i, k) => (out[i] = grads[k] ?? null));
  return out;
}
