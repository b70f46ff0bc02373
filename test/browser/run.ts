/**
 * Runs test/browser/suite.ts in Node and in headless Chromium and checks that they agree: the same
 * public API, bundled for the browser with esbuild, on a plain page (no SharedArrayBuffer: one
 * thread) and on a cross-origin-isolated one (COOP/COEP headers: SharedArrayBuffer exists).
 *
 *   npm run test:browser            (needs Chromium: apt-get install -y chromium)
 *   npm run test:browser -- --chromium /path/to/chrome
 *
 * Not part of `npm test`: Chromium is a system package, not an npm dependency, and CI machines need
 * not have it. Exit status 1 on any difference, page error or timeout.
 */
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { runSuite, type SuiteResult } from "./suite.js";

const argAt = process.argv.indexOf("--chromium");
const executablePath = argAt >= 0 ? process.argv[argAt + 1] : "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`test:browser: ${executablePath} not found; install Chromium (apt-get install -y chromium) or pass --chromium <path>`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "deeptype-browser-"));
await build({ entryPoints: [fileURLToPath(new URL("./page.ts", import.meta.url))], bundle: true, format: "esm", outfile: join(dir, "page.js"), logLevel: "error" });
writeFileSync(join(dir, "index.html"), '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script type="module" src="page.js"></script></body></html>');

// /isolated/... is served with the headers that make a page cross-origin isolated.
const server = createServer((req, res) => {
  const isolated = req.url!.startsWith("/isolated/");
  const name = req.url!.replace(/^\/isolated/, "").replace(/^\//, "") || "index.html";
  if (!/^[\w.-]+$/.test(name) || !existsSync(join(dir, name))) { res.writeHead(404).end(); return; }
  const headers: Record<string, string> = { "content-type": name.endsWith(".js") ? "text/javascript" : "text/html" };
  if (isolated) Object.assign(headers, { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
  res.writeHead(200, headers).end(readFileSync(join(dir, name)));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

type PageResult = SuiteResult & { crossOriginIsolated: boolean; sharedArrayBuffer: boolean };
const failures: string[] = [];

/** Differences between Node's and the page's results: numbers within float32 rounding, the rest equal. */
function compare(label: string, node: SuiteResult, page: SuiteResult): void {
  for (const key of Object.keys(node) as (keyof SuiteResult)[]) {
    const a = node[key], b = page[key];
    const as = Array.isArray(a) ? a : [a], bs = Array.isArray(b) ? b : [b];
    const same = as.length === bs.length && as.every((x, i) => typeof x === "number" && typeof bs[i] === "number"
      ? Math.abs(x - (bs[i] as number)) <= 1e-5 * Math.max(1, Math.abs(x))
      : x === bs[i]);
    if (!same) failures.push(`${label}: ${key} differs: node ${JSON.stringify(a)}, browser ${JSON.stringify(b)}`);
  }
}

const started = performance.now();
const node = await runSuite();
const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const [label, url, isolated] of [["plain page", `${base}/index.html`, false], ["cross-origin-isolated page", `${base}/isolated/index.html`, true]] as const) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(url);
    await page.waitForFunction(() => "__result" in globalThis || "__error" in globalThis, undefined, { timeout: 120_000 });
    const { result, error } = await page.evaluate(() => ({ result: (globalThis as { __result?: unknown }).__result, error: (globalThis as { __error?: string }).__error }));
    if (error !== undefined) failures.push(`${label}: the suite threw: ${error}`);
    failures.push(...errors.map((e) => `${label}: page error: ${e}`));
    if (result !== undefined) {
      const r = result as PageResult;
      if (r.crossOriginIsolated !== isolated || r.sharedArrayBuffer !== isolated) failures.push(`${label}: crossOriginIsolated ${r.crossOriginIsolated}, SharedArrayBuffer ${r.sharedArrayBuffer}; expected ${isolated}`);
      const { crossOriginIsolated, sharedArrayBuffer, ...suite } = r;
      compare(label, node, suite);
      console.log(`${label}: backend ${r.backend}, SharedArrayBuffer ${sharedArrayBuffer ? "yes" : "no"}, crossOriginIsolated ${crossOriginIsolated}; MLP loss ${r.mlpLosses[0].toFixed(6)} -> ${r.mlpLosses[19].toFixed(6)} (Node ${node.mlpLosses[19].toFixed(6)}), CNN loss ${r.cnnLoss.toFixed(6)} (Node ${node.cnnLoss.toFixed(6)}), ONNX ${r.onnxOps.join(",")}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`Node: backend ${node.backend}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
if (failures.length) {
  console.error(`test:browser: ${failures.length} problem(s):\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("test:browser: Node and Chromium agree on every value");
