#!/usr/bin/env node
// Opens a report.html in headless Chromium and checks what a person would see:
//   - no console errors, no page errors, no network requests other than file:/data: URLs;
//   - every SVG chart is rendered (non-zero bounding box), and images decoded;
//   - optionally saves a full-page PNG screenshot.
// Not part of `npm test` (Chromium is not guaranteed on CI). Needs Debian's chromium:
//   apt-get install -y chromium
// Usage: node scripts/check-report.mjs report.html [--screenshot out.png] [--width 1100]
//                                      [--expect-charts N] [--chromium /usr/bin/chromium]
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const file = process.argv[2];
if (!file || file.startsWith("--")) {
  console.error("usage: node scripts/check-report.mjs report.html [--screenshot out.png] [--width 1100] [--expect-charts N]");
  process.exit(2);
}
if (!existsSync(file)) {
  console.error(`check-report: ${file}: no such file`);
  process.exit(2);
}
const executablePath = arg("--chromium", "/usr/bin/chromium");
if (!existsSync(executablePath)) {
  console.error(`check-report: ${executablePath} not found; install it with: apt-get install -y chromium`);
  process.exit(2);
}
const screenshot = arg("--screenshot");
const width = Number(arg("--width", "1100"));
const expectCharts = arg("--expect-charts") === undefined ? undefined : Number(arg("--expect-charts"));

const userDataDir = mkdtempSync(path.join(tmpdir(), "deeptype-chromium-"));
const problems = [];
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()}`));
  page.on("request", (req) => {
    const u = req.url();
    if (!u.startsWith("file:") && !u.startsWith("data:")) problems.push(`external request (reports must be self-contained): ${u}`);
  });

  await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: "load" });

  const facts = await page.evaluate(() => {
    const charts = [...document.querySelectorAll("svg.chart")].map((svg) => {
      const r = svg.getBoundingClientRect();
      const marks = svg.querySelectorAll("path, rect, circle, line").length;
      const title = svg.querySelector(".chart-title")?.textContent ?? svg.getAttribute("aria-label");
      return { kind: svg.getAttribute("class"), title, width: r.width, height: r.height, marks };
    });
    const series = [...document.querySelectorAll("svg .series")].map((p) => p.getBBox()).filter((b) => b.width > 0 || b.height > 0).length;
    const images = [...document.querySelectorAll("figure.digit img")].map((img) => ({ w: img.naturalWidth, h: img.naturalHeight, ok: img.complete }));
    const svgDigits = [...document.querySelectorAll("figure.digit svg")].map((s) => s.getBoundingClientRect().width);
    const overflowX = document.documentElement.scrollWidth > window.innerWidth + 1;
    return { title: document.title, charts, series, images, svgDigits, overflowX, height: document.documentElement.scrollHeight };
  });

  for (const c of facts.charts) {
    if (!(c.width > 0 && c.height > 0)) problems.push(`chart "${c.title}" (${c.kind}) has an empty bounding box ${c.width}×${c.height}`);
    if (c.marks === 0) problems.push(`chart "${c.title}" draws nothing`);
  }
  if (facts.charts.length === 0) problems.push("no SVG charts found");
  if (expectCharts !== undefined && facts.charts.length !== expectCharts) problems.push(`expected ${expectCharts} charts, found ${facts.charts.length}`);
  for (const [i, im] of facts.images.entries()) if (!(im.ok && im.w > 0 && im.h > 0)) problems.push(`image ${i} did not decode (${im.w}×${im.h})`);
  for (const [i, w] of facts.svgDigits.entries()) if (!(w > 0)) problems.push(`SVG image ${i} has zero width`);
  if (facts.overflowX) problems.push(`page is wider than a ${width}px window (horizontal scrolling)`);

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  console.log(`check-report: "${facts.title}": ${facts.charts.length} charts (${facts.charts.map((c) => `${c.kind?.replace("chart ", "")} ${Math.round(c.width)}×${Math.round(c.height)}`).join(", ")})`);
  console.log(`check-report: ${facts.series} curve paths, ${facts.images.length} PNG images, ${facts.svgDigits.length} SVG images, page height ${facts.height}px`);
  if (screenshot) console.log(`check-report: screenshot saved to ${screenshot}`);
} catch (e) {
  problems.push(`could not check the page: ${e.message}`);
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
if (problems.length) {
  for (const p of problems) console.error(`check-report: FAIL: ${p}`);
  process.exit(1);
}
console.log("check-report: OK");
