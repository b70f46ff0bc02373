/**
 * One-line deprecation notices for call forms kept for one release after the calling convention
 * (docs/api-convention.md) changed them. Each form warns once per process, so a training loop that
 * uses it does not flood the console; CHANGELOG.md lists every deprecated form.
 */
const warned = new Set<string>();

/**
 * Warns once that `oldForm` is deprecated and what to write instead.
 *
 * @example deprecated("mseLoss", 'mseLoss(x, y, "sum")', 'mseLoss(x, y, { reduction: "sum" })');
 */
export function deprecated(fn: string, oldForm: string, newForm: string): void {
  const key = `${fn}\u0000${oldForm}`;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`deeptype: ${oldForm} is deprecated and will be removed in the next release; write ${newForm}`);
}
