/**
 * What a transform is: an object with `apply(x)`, or a plain function. Transforms take either a
 * tensor image or a sample object `{ image, mask?, depth?, ... }`; see `sample.ts` for which
 * fields each kind of transform touches.
 */

/**
 * A transform object, like PyTorch's callable transform classes.
 *
 * ```ts
 * const t: Transform<Tensor> = new Normalize([0.5], [0.5]);  t.apply(image);
 * ```
 */
export interface Transform<I, O = I> {
  apply(input: I): O;
}

/** A transform object or a plain function; what every `transform` option accepts. */
export type TransformLike<I, O = I> = Transform<I, O> | ((input: I) => O);

/** `runTransform(t, x)`: applies a transform object or function. */
export function runTransform<I, O>(t: TransformLike<I, O>, input: I): O {
  return typeof t === "function" ? t(input) : t.apply(input);
}
