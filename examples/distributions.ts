/**
 * torch.distributions in deeptype: a VAE-style objective written with distributions instead of by
 * hand. An encoder gives the mean and log variance of q(z | x) = Normal(mu, sigma); z = q.rsample()
 * is reparameterized (gradients reach mu and sigma); the decoder's logits give p(x | z) = Bernoulli;
 * the loss is -E[log p(x | z)] + KL(q || N(0, 1)) from klDivergence. Synthetic binary data (two
 * prototypes with flipped bits) keep it to a second.
 *
 *   node --import tsx examples/distributions.ts
 */
import { Generator, manualSeed, nn, optim, tensor, randn, rand, distributions as D, type Tensor } from "../src/index.js";
import { isMain } from "./common.js";

export interface DistributionsResult {
  /** The loss at each logged step (every 100). */
  losses: number[];
  kl: number;
  prototypes: string[];
  decoded: string[];
}

export function main(opts: { steps?: number; log?: (line: string) => void } = {}): DistributionsResult {
  const steps = opts.steps ?? 300, log = opts.log ?? console.log;
  manualSeed(0);
  const g = new Generator(1);
  const dim = 16, latent = 2, n = 64;
  // Two binary prototypes; each example is one of them with 10% of its bits flipped.
  const protos = rand([2, dim], { generator: g }).gt(0.5).float();
  const which = rand([n], { generator: g }).gt(0.5).long();
  const flips = rand([n, dim], { generator: g }).lt(0.1).float();
  const x = protos.indexSelect(0, which).sub(flips).abs();

  const encoder = new nn.Linear(dim, 2 * latent);
  const decoder = new nn.Sequential(new nn.Linear(latent, 32), new nn.ReLU(), new nn.Linear(32, dim));
  const opt = new optim.Adam([...encoder.parameters(), ...decoder.parameters()], { lr: 0.02 });
  const prior = new D.Normal(0, 1);
  const losses: number[] = [];
  let lastKl = 0;

  for (let step = 0; step <= steps; step++) {
    const [mu, logvar] = encoder.call(x).chunk(2, -1);
    const q = new D.Normal(mu, logvar.mul(0.5).exp());
    const z = q.rsample({ generator: g });
    const recon = new D.Bernoulli({ logits: decoder.call(z) }).logProb(x).sum(-1);
    const kl = D.klDivergence(q, prior).sum(-1);
    const loss = kl.sub(recon).mean();
    opt.zeroGrad();
    loss.backward();
    opt.step();
    if (step % 100 === 0) {
      losses.push(loss.item());
      lastKl = kl.mean().item();
      log(`step ${step}: loss ${loss.item().toFixed(3)} (reconstruction ${recon.mean().neg().item().toFixed(3)}, KL ${lastKl.toFixed(3)})`);
    }
  }

  // Decoding codes drawn from the prior gives the prototypes back.
  const samples = new D.Bernoulli({ logits: decoder.call(randn([4, latent], { generator: g })) }).sample({ generator: g });
  const bits = (t: Tensor): string[] => (t.tolist() as number[][]).map((r) => r.join(""));
  log(`prototypes: ${bits(protos).join(" ")}`);
  log(`decoded prior samples: ${bits(samples).join(" ")}`);
  const c = new D.Categorical(tensor([0.1, 0.2, 0.7]));
  log(`Categorical entropy: ${c.entropy().item().toFixed(4)} logProb(2): ${c.logProb(tensor(2)).item().toFixed(4)}`);
  return { losses, kl: lastKl, prototypes: bits(protos), decoded: bits(samples) };
}

if (isMain(import.meta.url)) main();
