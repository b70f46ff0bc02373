import { test } from "node:test";
import assert from "node:assert/strict";
import { ProgressBar, formatDuration, formatMetric } from "../src/utils/progress.js";

function fakeStream(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns, write: (s: string) => { chunks.push(s); return true; } } };
}

function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

test("formatDuration and formatMetric", () => {
  assert.equal(formatDuration(0), "00:00");
  assert.equal(formatDuration(65.4), "01:05");
  assert.equal(formatDuration(3725), "1:02:05");
  assert.equal(formatDuration(NaN), "--:--");
  assert.equal(formatMetric(0.41234), "0.4123");
  assert.equal(formatMetric(3), "3");
  assert.equal(formatMetric(1.5e-5), "1.50e-5");
  assert.equal(formatMetric(123456.7), "1.23e+5");
  assert.equal(formatMetric(NaN), "nan");
  assert.equal(formatMetric(-Infinity), "-inf");
  assert.equal(formatMetric("adam"), "adam");
});

test("non-TTY: one plain line per 10%, a final line, no control characters", () => {
  const { chunks, stream } = fakeStream(false);
  const clock = fakeClock();
  const bar = new ProgressBar({ total: 600, label: "epoch 1/3", stream, now: clock.now });
  for (let i = 0; i < 10; i++) {
    clock.advance(100); // 60 samples per 100 ms = 600 samples/s
    bar.update(60, { loss: 1 / (i + 1), acc: i / 10 });
  }
  clock.advance(50);
  bar.finish({ valAcc: 0.95 });
  const out = chunks.join("");
  assert.ok(!out.includes("\x1b"), "no escape codes");
  assert.ok(!out.includes("\r"), "no carriage returns");
  const lines = out.split("\n");
  assert.equal(lines.pop(), "");
  assert.deepEqual(lines, [
    "epoch 1/3  10% 60/600 600 samples/s ETA 00:01 loss=1 acc=0",
    "epoch 1/3  20% 120/600 600 samples/s ETA 00:01 loss=0.5000 acc=0.1000",
    "epoch 1/3  30% 180/600 600 samples/s ETA 00:01 loss=0.3333 acc=0.2000",
    "epoch 1/3  40% 240/600 600 samples/s ETA 00:01 loss=0.2500 acc=0.3000",
    "epoch 1/3  50% 300/600 600 samples/s ETA 00:01 loss=0.2000 acc=0.4000",
    "epoch 1/3  60% 360/600 600 samples/s ETA 00:00 loss=0.1667 acc=0.5000",
    "epoch 1/3  70% 420/600 600 samples/s ETA 00:00 loss=0.1429 acc=0.6000",
    "epoch 1/3  80% 480/600 600 samples/s ETA 00:00 loss=0.1250 acc=0.7000",
    "epoch 1/3  90% 540/600 600 samples/s ETA 00:00 loss=0.1111 acc=0.8000",
    "epoch 1/3 100% 600/600 571 samples/s in 00:01 loss=0.1000 acc=0.9000 valAcc=0.9500",
  ]);
});

test("non-TTY: many small updates print only at 10% steps; slow runs also print every N seconds", () => {
  const { chunks, stream } = fakeStream(false);
  const clock = fakeClock();
  const bar = new ProgressBar({ total: 1000, stream, now: clock.now, logEverySeconds: 5, unit: "it" });
  for (let i = 0; i < 1000; i++) {
    clock.advance(i < 50 ? 1000 : 1); // the first 5% take 50 s: time-based lines appear
    bar.update(1);
  }
  bar.finish();
  const lines = chunks.join("").trimEnd().split("\n");
  // 50 s for the first 50 items at one line per 5 s, before the 10% line.
  assert.equal(lines.findIndex((l) => l.startsWith(" 10% ")), 10, lines.join("\n"));
  assert.equal(lines[0], "  0% 5/1000 1.00 it/s ETA 16:35");
  assert.equal(lines.length, 10 + 9 + 1); // + 10%..90% + final
  assert.match(lines.at(-1)!, /^100% 1000\/1000 \S+ it\/s in 00:51$/);
  assert.ok(!lines.join("").includes("\x1b"));
});

test("non-TTY: unknown total prints count, rate and elapsed time", () => {
  const { chunks, stream } = fakeStream(false);
  const clock = fakeClock();
  const bar = new ProgressBar({ label: "eval", stream, now: clock.now, logEverySeconds: 1 });
  clock.advance(1000);
  bar.update(32);
  clock.advance(1000);
  bar.finish();
  assert.equal(chunks.join(""), "eval 32 32.0 samples/s 00:01\neval 32 16.0 samples/s in 00:02\n");
});

test("TTY: redrawn line with bar, percentage, count, rate, ETA and metrics; throttled to ~10/s", () => {
  const { chunks, stream } = fakeStream(true, 100);
  const clock = fakeClock();
  const bar = new ProgressBar({ total: 600, label: "epoch 1", stream, now: clock.now });
  for (let i = 0; i < 60; i++) {
    clock.advance(20); // 50 updates/s: only every 5th may redraw
    bar.update(10, { loss: 0.5 });
  }
  bar.finish();
  const draws = chunks.filter((c) => c.startsWith("\r"));
  assert.equal(draws.length, 12 + 1, "first update, then one per 100 ms, then the final draw");
  for (const d of draws) {
    assert.ok(d.endsWith("\x1b[K"));
    assert.ok(d.length - 4 <= 99, "never wider than the terminal");
  }
  assert.equal(chunks.at(-1), "\n");
  assert.equal(
    draws[0],
    "\repoch 1   1%|▌                             | 10/600 [00:00<00:01, 500 samples/s] loss=0.5000\x1b[K",
  );
  assert.equal(
    draws.at(-1),
    "\repoch 1 100%|██████████████████████████████| 600/600 [00:01<00:00, 500 samples/s] loss=0.5000\x1b[K",
  );
  // Draws happen at 10, 60, 110, ... samples; at 310/600 the bar is 15.5 of 30 cells.
  const half = draws.find((d) => d.includes(" 310/600"))!;
  assert.match(half, / 51%\|█{15}▌ {14}\|/);
});

test("TTY: fractional cells use eighth blocks and long lines are cut to the terminal width", () => {
  const { chunks, stream } = fakeStream(true, 60);
  const clock = fakeClock();
  const bar = new ProgressBar({ total: 80, stream, now: clock.now });
  clock.advance(1000);
  bar.update(13, { loss: 0.123456, accuracy: 0.5, lr: "1e-3", gradNorm: 12.5 });
  const line = chunks[0];
  assert.ok(line.length - 4 <= 59, `width ${line.length - 4}`);
  assert.ok(line.endsWith("…\x1b[K"));
  // 13/80 of a 10-cell bar = 1.625 cells: one full block and a 5/8 block.
  assert.ok(line.startsWith("\r 16%|█▋        | 13/80"), line);
});

test("update after finish throws; finish twice is harmless; bad n throws", () => {
  const { chunks, stream } = fakeStream(false);
  const bar = new ProgressBar({ total: 2, stream, now: () => 0 });
  bar.update(2);
  bar.finish();
  bar.finish();
  assert.equal(chunks.length, 1);
  assert.throws(() => bar.update(1), /update\(\) after finish\(\)/);
  assert.throws(() => new ProgressBar({ total: -1, stream }), /total must be a non-negative number, got -1/);
  assert.throws(() => new ProgressBar({ total: 1, stream }).update(NaN), /non-negative number, got NaN/);
});
