/**
 * API.md rule 3 for layer constructors: the optional parameters PyTorch code habitually passes
 * positionally (`nn.Conv2d(3, 16, 3, 1, 1)`, `nn.MaxPool2d(2, 2)`, `nn.Linear(4, 2, false)`) are
 * accepted positionally, in PyTorch's order, and every optional parameter can also come in one
 * trailing options object. One reader for every layer, so the rule cannot drift between layers.
 */
import { checkKeys, describe } from "../tensor/check.js";

/** Every leading part of a tuple: `Prefixes<[A, B]>` is `[] | [A] | [A, B]`. */
type Prefixes<P extends readonly unknown[]> = P extends readonly [...infer Init, unknown] ? P | Prefixes<Init> : [];

/**
 * A constructor's trailing arguments: some of the positional ones `P` (in order), optionally
 * followed by the options object `O`.
 *
 * @example type ConvArgs = PositionalArgs<[stride: Pair, padding: Pair], ConvOptions<Pair>>;
 */
export type PositionalArgs<P extends readonly unknown[], O> = Prefixes<P> extends infer X
  ? X extends readonly unknown[] ? X | [...X, O] : never
  : never;

function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges positional arguments (named by `names`, PyTorch's order) and a trailing options object
 * into one options object. A parameter given both ways, or more positional arguments than the
 * layer takes, is an error naming the layer; with `keys` (every option the layer takes, from
 * `optionKeys`), so is a misspelt option key (`{ batch_first: true }` -> did you mean batchFirst?).
 *
 * @example positionalOptions("MaxPool2d", ["stride", "padding"], [2]) // { stride: 2 }
 */
export function positionalOptions<O extends object>(layer: string, names: readonly (keyof O & string)[], args: readonly unknown[], keys?: readonly string[]): O {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const hasOptions = isOptionsObject(last);
  if (hasOptions && !keys?.includes("inplace")) refuseInplace(layer, last);
  if (hasOptions && keys !== undefined) checkKeys(layer, last, keys);
  const positional = hasOptions ? args.slice(0, -1) : args;
  if (positional.length > names.length) {
    const extra = positional[names.length];
    throw new Error(
      `${layer}: takes at most ${names.length} optional positional argument${names.length === 1 ? "" : "s"} (${names.join(", ")}), ` +
        `got ${positional.length} (the extra one is ${describe(extra)}); pass the rest in an options object`,
    );
  }
  const out: Record<string, unknown> = hasOptions ? { ...last } : {};
  positional.forEach((v, i) => {
    if (v === undefined) return;
    const name = names[i];
    if (name in out && out[name] !== undefined) throw new Error(`${layer}: ${name} was given both positionally (${describe(v)}) and in the options (${describe(out[name])}); give it once`);
    out[name] = v;
  });
  return out as O;
}

/**
 * PyTorch's `inplace=True` (`nn.ReLU(inplace=True)`, ported as `{ inplace: true }`): deeptype's layers
 * always return a new tensor, so the flag would be silently ignored; say so instead.
 */
function refuseInplace(layer: string, opts: Record<string, unknown>): void {
  if (opts.inplace !== undefined) {
    throw new Error(`${layer}: PyTorch's inplace flag is not taken: the layer returns a new tensor and leaves its input as it was; drop { inplace: ${String(opts.inplace)} }`);
  }
}

/**
 * The constructor of a layer without hyper-parameters (`nn.ReLU()`): any argument is a mistake, an
 * options object of a ported PyTorch call (`{ inplace: true }`) included. (In TypeScript the
 * constructor's `...args: []` already refuses them.)
 */
export function noArguments(layer: string, args: readonly unknown[]): void {
  if (args.length === 0) return;
  const last = args[args.length - 1];
  if (isOptionsObject(last)) refuseInplace(layer, last);
  throw new Error(`${layer}: takes no arguments, got ${args.map((a) => describe(a)).join(", ")}; write new nn.${layer}()`);
}
