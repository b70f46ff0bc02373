import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { escapeHtml, histogram, niceTicks, renderReport, type ReportData } from "../src/utils/report.js";
import { crc32, encodePngGray, pngDataUrl, toBase64, zlibStored } from "../src/utils/png.js";

const count = (s: string, re: RegExp) => (s.match(new RegExp(re.source, "g")) ?? []).length;

function sample(): ReportData {
  return {
    title: 'Run <1> & "friends"',
    config: { lr: 0.001, optimizer: "adam", layers: [784, 10], evil: "<script>alert(1)</script>" },
    curves: {
      loss: { train: [2.3, 1.1, 0.6, 0.4], test: [2.2, 1.2, 0.8, 0.9] },
      accuracy: { train: [0.2, 0.7, 0.85, 0.9] },
    },
    histograms: [
      { layer: "fc1.weight", epochs: [1, 2, 3].map((e) => ({ epoch: e, ...histogram([-1, -0.5, 0, 0.1, 0.2, 1].map((v) => v / e), 8) })) },
      { layer: "fc<2>", epochs: [{ epoch: 1, bins: [1, 2, 1], edges: [-1, 0, 1, 2] }] },
    ],
    confusion: { labels: ["cat", "dog", "<b>"], matrix: [[5, 1, 0], [2, 7, 1], [0, 0, 4]] },
    images: [
      { pixels: new Float32Array(16).fill(0.5), width: 4, height: 4, caption: "true 4 → pred 9 <x>" },
      { pixels: Array.from({ length: 6 }, (_, i) => i - 3), width: 3, height: 2, caption: "normalized" },
    ],
    notes: ["lr & wd were <tuned>"],
  };
}

test("histogram: counts, edges, range and edge cases", () => {
  assert.deepEqual(histogram([0, 0.5, 1], 2), { bins: [1, 2], edges: [0, 0.5, 1] });
  assert.deepEqual(histogram([1, 2, 3, 4, 100, NaN], 3, [0, 6]), { bins: [1, 2, 1], edges: [0, 2, 4, 6] });
  assert.deepEqual(histogram([5, 5, 5], 2), { bins: [0, 3], edges: [4.5, 5, 5.5] });
  assert.deepEqual(histogram(new Float32Array(0), 2), { bins: [0, 0], edges: [0, 0.5, 1] });
  const h = histogram(Float64Array.from({ length: 1000 }, (_, i) => i / 999), 10);
  assert.deepEqual(h.bins, [100, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
  assert.throws(() => histogram([1], 0), /bins must be a positive integer/);
  assert.throws(() => histogram([1], 3, [1, 1]), /lo < hi/);
});

test("niceTicks picks 1-2-5 steps and never prints -0", () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-0.23, 0.23, 4), [-0.4, -0.2, 0, 0.2, 0.4]);
  assert.deepEqual(niceTicks(1, 15, 7), [0, 2, 4, 6, 8, 10, 12, 14, 16]);
  assert.deepEqual(niceTicks(0, 0.9, 4), [0, 0.25, 0.5, 0.75, 1]);
  assert.ok(niceTicks(-0.3, 0.3, 6).every((v) => !Object.is(v, -0)));
});

test("escapeHtml escapes the five characters", () => {
  assert.equal(escapeHtml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
});

test("renderReport: sections, chart marks and counts", () => {
  const html = renderReport(sample());
  assert.ok(html.startsWith("<!doctype html>"));
  assert.ok(html.trimEnd().endsWith("</html>"));
  for (const id of ["config", "curves", "weights", "confusion", "misclassified", "notes"]) assert.ok(html.includes(`<section id="${id}">`), id);
  assert.equal(count(html, /<svg class="chart line-chart"/), 2);
  assert.equal(count(html, /class="series series-train"/), 2);
  assert.equal(count(html, /class="series series-test"/), 1);
  assert.equal(count(html, /<circle class="point"/), 4 + 4 + 4);
  assert.equal(count(html, /<g class="legend-item">/), 3);
  assert.equal(count(html, /<svg class="chart ridge-chart"/), 2);
  assert.equal(count(html, /<path class="ridge"/), 3 + 1);
  assert.equal(count(html, /<svg class="chart confusion-chart"/), 1);
  assert.equal(count(html, /<rect class="cell/), 9);
  assert.equal(count(html, /<rect class="cell diag"/), 3);
  assert.equal(count(html, /<text class="count/), 6); // zeros are left blank
  assert.ok(html.includes("16 of 20")); // 5+7+4 correct
  assert.ok(html.includes(">70.0%<")); // recall of dog: 7/10
  assert.equal(count(html, /<figure class="digit">/), 2);
  assert.equal(count(html, /<img src="data:image\/png;base64,/), 2);
  // Loss axis starts at 0 (no negative ticks for non-negative data); accuracy axis stops at 1.
  const loss = html.slice(html.indexOf('aria-label="loss per epoch"'), html.indexOf('aria-label="accuracy per epoch"'));
  assert.ok(!/>-\d/.test(loss), "no negative tick labels on the loss chart");
  const acc = html.slice(html.indexOf('aria-label="accuracy per epoch"'));
  assert.ok(!acc.slice(0, acc.indexOf("</svg>")).includes(">1.2<"));
});

test("renderReport: all text is escaped and nothing is loaded from outside", () => {
  const html = renderReport(sample());
  assert.ok(!html.includes("<script"), "no scripts, and the config value's <script> is escaped");
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("<title>Run &lt;1&gt; &amp; &quot;friends&quot;</title>"));
  assert.ok(html.includes("fc&lt;2&gt;"));
  assert.ok(html.includes(">&lt;b&gt;<"));
  assert.ok(html.includes("true 4 → pred 9 &lt;x&gt;"));
  assert.ok(html.includes("lr &amp; wd were &lt;tuned&gt;"));
  assert.ok(!/<b>|<x>|<tuned>|<2>/.test(html));
  assert.ok(!/https?:/i.test(html), "no http(s) URLs at all");
  assert.ok(!/<link|@import|url\(|<iframe|src="(?!data:)/i.test(html), "no external resources");
});

test("renderReport: SVG image mode draws pixels as rects; PNG pixels match the data", () => {
  const img = { pixels: [0, 1, 1, 0, 0.5, 0.5], width: 3, height: 2, caption: "c" };
  const svg = renderReport({ title: "t", images: [img] }, { imageMode: "svg", pixelScale: 4 });
  assert.ok(svg.includes('<svg class="digit-img" viewBox="0 0 3 2" width="12" height="8"'));
  // row 0: paper, ink run of 2, paper  -> 1 rect; row 1: paper then a 2-wide mid-gray run -> 1 rect (+1 paper rect)
  const block = svg.slice(svg.indexOf('<svg class="digit-img"'), svg.indexOf("</svg>", svg.indexOf('<svg class="digit-img"')));
  assert.equal(count(block, /<rect /), 3);
  assert.ok(block.includes('<rect x="1" y="0" width="2" height="1" fill="rgb(0,0,0)"/>'));
  assert.ok(block.includes('<rect x="1" y="1" width="2" height="1" fill="rgb(136,136,136)"/>'));

  const png = renderReport({ title: "t", images: [img] });
  const url = /src="data:image\/png;base64,([^"]+)"/.exec(png)![1];
  const bytes = Buffer.from(url, "base64");
  const idat = bytes.subarray(8 + 25 + 8, 8 + 25 + 8 + bytes.readUInt32BE(33));
  const raw = zlib.inflateSync(idat);
  assert.deepEqual([...raw], [0, 255, 0, 0, 0, 255, 128, 128]); // filter byte + 3 gray pixels per row, ink dark
});

test("renderReport: bad inputs fail with the section named", () => {
  assert.throws(() => renderReport({ title: "t", confusion: { labels: ["a", "b"], matrix: [[1, 2]] } }), /confusion matrix must be 2×2 for 2 labels, got 1×2/);
  assert.throws(() => renderReport({ title: "t", images: [{ pixels: [1, 2], width: 2, height: 2, caption: "x" }] }), /image "x": 2×2 needs 4 pixels, got 2/);
  assert.throws(() => renderReport({ title: "t", histograms: [{ layer: "w", epochs: [{ epoch: 1, bins: [1, 2], edges: [0, 1] }] }] }), /histogram of w, epoch 1: 2 bins need 3 edges, got 2/);
  const minimal = renderReport({ title: "only a title" });
  assert.ok(!minimal.includes("<section"));
});

test("renderReport: diverged curves leave gaps; many epochs are subsampled to maxRidges", () => {
  const html = renderReport({
    title: "t",
    curves: { loss: { train: [1, NaN, 0.5, Infinity, 0.25] } },
    histograms: [{ layer: "w", epochs: Array.from({ length: 30 }, (_, i) => ({ epoch: i + 1, bins: [1, 1], edges: [-1, 0, 1] })) }],
  }, { maxRidges: 5 });
  const d = /class="series series-train" d="([^"]+)"/.exec(html)![1];
  assert.equal(count(d, /M/), 3);
  assert.equal(count(d, /L/), 0);
  assert.equal(count(html, /<path class="ridge"/), 5);
  assert.ok(html.includes(">epoch 1<") && html.includes(">epoch 30<"));
});

test("png: valid signature, chunk CRCs, stored zlib stream inflates, base64", () => {
  assert.equal(crc32(new TextEncoder().encode("IEND")), 0xae426082);
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  const gray = Uint8Array.from({ length: 70000 }, (_, i) => i % 251); // > 65535: several stored blocks
  const raw = zlibStored(gray);
  assert.deepEqual(new Uint8Array(zlib.inflateSync(raw)), gray);
  const png = encodePngGray(Uint8Array.from([0, 64, 128, 255]), 2, 2);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dv = new DataView(png.buffer);
  let p = 8;
  const types: string[] = [];
  while (p < png.length) {
    const len = dv.getUint32(p);
    const type = new TextDecoder().decode(png.subarray(p + 4, p + 8));
    types.push(type);
    assert.equal(dv.getUint32(p + 8 + len), crc32(png.subarray(p + 4, p + 8 + len)), `${type} CRC`);
    p += 12 + len;
  }
  assert.deepEqual(types, ["IHDR", "IDAT", "IEND"]);
  assert.deepEqual([...png.subarray(16, 29)], [0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
  const compressed = encodePngGray(new Uint8Array(784), 28, 28, { deflate: (b) => zlib.deflateSync(b) });
  assert.ok(compressed.length < encodePngGray(new Uint8Array(784), 28, 28).length);
  assert.equal(toBase64(Uint8Array.from([0, 1, 2, 250])), Buffer.from([0, 1, 2, 250]).toString("base64"));
  assert.ok(pngDataUrl(new Uint8Array(1), 1, 1).startsWith("data:image/png;base64,iVBORw0KGgo"));
  assert.throws(() => encodePngGray(new Uint8Array(3), 2, 2), /2×2 needs 4 pixels, got 3/);
});
