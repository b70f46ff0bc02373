/**
 * Shows the progress bar on a fake training loop:  node --import tsx examples/progress-demo.ts
 * In a terminal it redraws one line; piped (`| cat`) it prints plain lines every 10%.
 */
import { ProgressBar } from "../src/utils/progress.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const epochs = 2;
const total = 6000;
const batch = 100;
for (let e = 1; e <= epochs; e++) {
  const bar = new ProgressBar({ total, label: `epoch ${e}/${epochs}` });
  let loss = 2.3 / e;
  for (let n = 0; n < total; n += batch) {
    await sleep(15);
    loss *= 0.97;
    bar.update(batch, { loss, acc: 1 - loss / 2.5 });
  }
  bar.finish({ valAcc: 0.9 + e * 0.02 });
}
