/**
 * The TypeScript side of API.md rule 3's options-object form. At run time the entry layer
 * (`guardFunction`/`guardMethod` in guard.ts) turns a trailing options object into a function's
 * optional positional parameters, as each op file declares them (`declareOptionalArgs`):
 * `F.normalize(x, { dim: 0 })` is `F.normalize(x, 2, 0)`. These types derive the same forms from the
 * same declaration, so what runs is what type-checks: `guardAll<typeof ops, OpsOptionalArgs>(ops, "")`
 * gives each declared function its options-object forms as overloads.
 *
 * Types only: nothing here exists at run time.
 */

/** The first N elements of T, each required (arguments given positionally). */
type Take<T extends readonly unknown[], N extends number, Acc extends unknown[] = []> =
  Acc["length"] extends N ? Acc : Take<T, N, [...Acc, T[Acc["length"]]]>;

/** T without its first N elements (optional ones included). */
type Drop<T extends readonly unknown[], N extends number, Acc extends unknown[] = []> =
  Acc["length"] extends N ? T : T extends readonly [unknown?, ...infer R] ? Drop<R, N, [...Acc, unknown]> : [];

/**
 * `{ [Names[i]]: Types[i] }`: the options object that stands for the parameters Names, of types Types;
 * a key is optional where the parameter is (mapping over the tuple keeps its `?`s), so `max`'s
 * `{ dim }` is required where its overload requires `dim`.
 */
type OptionsOf<Names extends readonly string[], Types extends readonly unknown[]> = {
  [I in keyof Types as I extends `${number}` ? (I extends keyof Names ? Names[I] & string : never) : never]: Types[I];
};

/** What an options object may carry besides the named parameters: the function's own options bag, if `bag` is declared. */
type BagOf<S, Opt extends readonly unknown[], N extends number> = S extends { bag: readonly string[] }
  ? Drop<Opt, N> extends readonly [(infer B)?, ...unknown[]] ? Extract<NonNullable<B>, object> : unknown
  : unknown;

/**
 * The argument lists of the options-object forms: the required parameters (Head), the first `At` of
 * the optional ones positionally, then one object for the rest, for every `At` short of all of them.
 */
type Forms<Head extends unknown[], Opt extends readonly unknown[], Names extends readonly string[], Bag, At extends unknown[] = []> =
  At["length"] extends Names["length"]
    ? never
    : [...Head, ...Take<Opt, At["length"]>, OptionsOf<Drop<Names, At["length"]>, Drop<Opt, At["length"]>> & Bag] | Forms<Head, Opt, Names, Bag, [...At, unknown]>;

/** The declaration `declareOptionalArgs` takes for one function, as the type-level spec here reads it. */
interface Spec {
  readonly first: number;
  readonly names: readonly string[];
  readonly bag?: readonly string[];
}

/**
 * F with its options-object forms added as an overload: `OptionsForm<typeof normalize, { first: 1,
 * names: ["p", "dim", "eps"] }>` also takes `(x, { p?, dim?, eps? })`, `(x, p, { dim?, eps? })`, ...
 *
 * @example const normalize: OptionsForm<typeof normalizeImpl, { first: 1; names: ["p", "dim", "eps"] }> = guarded;
 */
export type OptionsForm<F, S extends Spec> = F extends (...args: infer P) => infer R
  ? F & ((...args: Forms<Take<P, S["first"]>, Drop<P, S["first"]>, S["names"], BagOf<S, Drop<P, S["first"]>, S["names"]["length"]>>) => R)
  : F;

/**
 * A namespace of functions with the options-object forms of those declared in Specs (by the name
 * they are guarded under; `var_` is guarded as `var`).
 *
 * @example export const functional: WithOptionsForms<typeof fns, FunctionalOptionalArgs> = guardAll(fns, "");
 */
export type WithOptionsForms<T, Specs> = {
  [K in keyof T]: (K extends "var_" ? "var" : K) extends infer N extends keyof Specs
    ? Specs[N] extends Spec ? OptionsForm<T[K], Specs[N]> : T[K]
    : T[K];
};

/**
 * F with `(x, {})` typed as F's call without a dim (a Tensor), for max/min/median, whose forms with a
 * dim return a named tuple: OptionsForm derives the options forms from F's last overload only. The
 * entry layer spreads `{}` into no dim, so the functions themselves never see the object.
 *
 * @example export const max: NoDimForm<typeof guarded.max> = guarded.max; // max(x, {}) is a Tensor
 */
// The Tensor type is read off F's first parameter: importing tensor.ts here would pull the Tensor
// class into every module the entry layer (tensor/guard.ts) reaches, such as the wasm backend's.
export type NoDimForm<F> = F extends (x: infer X, ...rest: never[]) => unknown ? ((x: X, opts: { dim?: undefined }) => X) & F : F;
