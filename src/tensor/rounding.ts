/**
 * Round half to even: PyTorch's `round` kernel and Python's `round()`, which torchvision's window
 * sizes and offsets use. Here, below both, so the js kernels and the data transforms share one copy.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
