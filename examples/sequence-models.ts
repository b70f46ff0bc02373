/**
 * The exam's Problems 1.2 and 1.3, runnable:
 *  - an LSTM reads sequences of different lengths with one set of weights and carries what it saw in
 *    its hidden state: it learns to add up sequences of 2 to 8 numbers (lengths padded, passed in);
 *  - a Transformer encoder without positional encoding cannot tell token order (permuting the input
 *    permutes the output); with the sinusoidal encoding it can.
 *
 *   node --import tsx examples/sequence-models.ts [--steps 300]
 */
import { Generator, manualSeed, nn, noGrad, optim, rand, randint, tensor, zeros, type Tensor } from "../src/index.js";
import { linePlot } from "../src/utils/plot.js";
import { isMain, parseFlags, type Log } from "./common.js";

/** A batch of sequences [T, N, 1] with values in [0, 1), their lengths and their sums over each length. */
export function sumBatch(n: number, maxLen: number, g: Generator): { x: Tensor; lengths: number[]; target: Tensor } {
  const lengths = randint(2, maxLen + 1, [n], { generator: g }).data();
  const values = rand([maxLen, n, 1], { generator: g });
  const v = values.data();
  const sums = Array.from(lengths, (len, j) => {
    let s = 0;
    for (let t = 0; t < maxLen; t++) {
      if (t < len) s += v[t * n + j];
      else v[t * n + j] = 0; // padding
    }
    return [s];
  });
  return { x: tensor(v).reshape([maxLen, n, 1]), lengths: [...lengths], target: tensor(sums) };
}

class Summer extends nn.Module<[Tensor, number[]], Tensor> {
  lstm = new nn.LSTM(1, 16);
  head = new nn.Linear(16, 1);
  forward(x: Tensor, lengths: number[]): Tensor {
    const [, [h]] = this.lstm.forward(x, null, { lengths }); // h: [1, N, 16], the state after each sequence's last step
    return this.head.call(h.squeeze(0));
  }
}

export function main(opts: { steps?: number; log?: Log } = {}) {
  const log = opts.log ?? console.log;
  manualSeed(0);
  const g = new Generator(1);

  // ---- 1.2: one LSTM, any length ----------------------------------------------------------
  const model = new Summer();
  const params = [...model.parameters()].reduce((a, p) => a + p.numel(), 0);
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < (opts.steps ?? 300); step++) {
    const { x, lengths, target } = sumBatch(32, 8, g);
    optimizer.zeroGrad();
    const loss = nn.functional.mseLoss(model.call(x, lengths), target);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  log(`LSTM with ${params} parameters (the same for every sequence length), learning to sum 2-8 numbers:`);
  log(linePlot({ "mse loss": losses }, { logY: true, height: 8, title: "training loss" }));
  const probe = tensor([0.5, 0.25, 0.125, 0.9, 0.1]).reshape([5, 1, 1]);
  const answers = noGrad(() => [2, 3, 5].map((len) => model.call(probe.narrow(0, 0, len), [len]).item()));
  log(`sum of [0.5, 0.25]: ${answers[0].toFixed(3)} (true 0.750); of the first 3: ${answers[1].toFixed(3)} (0.875); of all 5: ${answers[2].toFixed(3)} (1.875)`);

  // ---- 1.3: positional encoding ------------------------------------------------------------
  const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 });
  const pos = new nn.PositionalEncoding(8, { dropout: 0, batchFirst: false });
  const tokens = rand([5, 1, 8], { generator: g });
  const order = tensor([4, 2, 0, 3, 1], { dtype: "int32" });
  const gap = (encode: (t: Tensor) => Tensor): number =>
    noGrad(() => encode(tokens).indexSelect(0, order).sub(encode(tokens.indexSelect(0, order))).abs().amax().item());
  const withoutPe = gap((t) => layer.call(t));
  const withPe = gap((t) => layer.call(pos.call(t)));
  log(`Transformer encoder, tokens permuted: |f(P·x) - P·f(x)| = ${withoutPe.toExponential(1)} without positional encoding, ${withPe.toFixed(3)} with it`);
  return { losses, params, answers, withoutPe, withPe };
}

if (isMain(import.meta.url)) main(parseFlags({ steps: 300 }));
