// Browser smoke check of the wasm backend (async init, plain memory without SharedArrayBuffer):
// bundle with esbuild, serve, open in headless Chromium; see docs/backend-wasm.md for the commands.
import { createWasmBackend, initWasmBackend } from "../src/backend/wasm/index.js";
import { JsBackend } from "../src/backend/js/index.js";
(async () => {
  const out: string[] = [];
  try {
    out.push("SAB=" + (typeof SharedArrayBuffer));
    out.push("init=" + (await initWasmBackend()));
    const w = createWasmBackend()!;
    out.push("variant=" + w.variant);
    const n = 200;
    const a = new Float32Array(n * n).map((_, i) => Math.sin(i)), b = new Float32Array(n * n).map((_, i) => Math.cos(i));
    const v = (d: Float32Array) => ({ data: d, dtype: "float32" as const, shape: [1, n, n], strides: [0, n, 1], offset: 0 });
    const x = new Float32Array(n * n), y = new Float32Array(n * n);
    const t = performance.now();
    for (let i = 0; i < 10; i++) w.matmul(v(a), v(b), v(x));
    out.push("gflops=" + (2 * n ** 3 * 10 / (performance.now() - t) / 1e6).toFixed(1));
    new JsBackend().matmul(v(a), v(b), v(y));
    let e = 0; for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]));
    out.push("maxerr=" + e.toExponential(1));
  } catch (err) { out.push("error=" + (err as Error).message); }
  document.body.textContent = out.join(" ");
})();
