/**
 * The README's training loop: fit y = sin(3x) with a small MLP, Adam and MSE.
 *
 *   node --import tsx examples/mlp-regression.ts [--steps 500]
 */
import { linspace, manualSeed, nn, optim } from "../src/index.js";
import { linePlot } from "../src/utils/plot.js";
import { isMain, parseFlags, type Log } from "./common.js";

export function main(opts: { steps?: number; log?: Log } = {}): { losses: number[] } {
  const log = opts.log ?? console.log;
  manualSeed(0);
  // ---- the 15 lines -------------------------------------------------------------------
  const x = linspace(-1, 1, 128).unsqueeze(1);                      // [128, 1]
  const y = x.mul(3).sin();                                          // [128, 1]
  const model = new nn.Sequential(new nn.Linear(1, 32), new nn.Tanh(), new nn.Linear(32, 32), new nn.Tanh(), new nn.Linear(32, 1));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < (opts.steps ?? 500); step++) {
    optimizer.zeroGrad();
    const loss = nn.functional.mseLoss(model.call(x), y);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    if (step % 100 === 0) log(`step ${step}  loss ${loss.item().toFixed(5)}`);
  }
  // --------------------------------------------------------------------------------------
  log(linePlot({ "mse loss": losses }, { logY: true, height: 8, title: "training loss" }));
  return { losses };
}

if (isMain(import.meta.url)) main(parseFlags({ steps: 500 }));
