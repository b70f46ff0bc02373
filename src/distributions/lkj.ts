/**
 * LKJCholesky(dim, concentration): the Cholesky factors of dim x dim correlation matrices with
 * density proportional to det(C)^(concentration - 1), as torch.distributions.LKJCholesky (1.13):
 * sampled by the onion method (Beta radii and uniform directions), no rsample.
 *
 * ```ts
 * const L = new LKJCholesky(3, 2).sample();   // L L^T is a 3 x 3 correlation matrix
 * ```
 */
import { Tensor, type Generator, arange, cat, zeros, diagEmbed, randn } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, broadcastAll, readOptions, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { Beta } from "./gamma.js";
import { mvlgamma } from "./wishart.js";
import { finfo } from "./utils.js";

export class LKJCholesky extends Distribution {
  readonly dim: number;
  readonly concentration: Tensor;
  private readonly beta: Beta;

  /** `new LKJCholesky(dim, concentration = 1)`: dim >= 2, concentration > 0. */
  constructor(dim: number, concentration: Tensor | number = 1, opts?: DistributionOptions) {
    const name = "LKJCholesky";
    const o = readOptions<DistributionOptions>(name, opts, ["validateArgs"]);
    if (!Number.isInteger(dim) || dim < 2) throw new Error(`${name}: dim must be an integer >= 2, got ${describe(dim)}`);
    const [c] = broadcastAll(name, [["concentration", concentration]]);
    super(name, c.shape, [dim, dim], o.validateArgs);
    this.dim = dim;
    this.concentration = c;
    this.checkParams([["concentration", c, constraints.positive, "pass a positive concentration"]]);
    const marginal = c.add(0.5 * (dim - 2));
    let offset = arange(dim - 1, { dtype: c.dtype });
    offset = cat([zeros([1], { dtype: c.dtype }), offset]);
    this.beta = new Beta(offset.add(0.5), marginal.unsqueeze(-1).sub(offset.mul(0.5)), { validateArgs: false });
  }

  override get support(): constraints.Constraint {
    return constraints.corrCholesky;
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const s = shape.slice(0, shape.length - this.batchShape.length - 2);
    const y = this.beta.sample(s, { generator }).unsqueeze(-1);
    const u = randn(shape, { dtype: y.dtype, generator }).tril(-1);
    // Row 0 of u is all zeros; its norm 0 gives 0 / 0, which PyTorch then overwrites with zeros.
    const norm = u.square().sum(-1, { keepdim: true }).sqrt();
    const rowMask = arange(this.dim, { dtype: y.dtype }).gt(0).to(y.dtype).unsqueeze(-1);
    const hyper = u.div(norm.add(rowMask.neg().add(1))).mul(rowMask);
    const w = y.sqrt().mul(hyper);
    const diag = w.square().sum(-1).neg().add(1).clampMin(finfo(w.dtype).tiny).sqrt();
    return w.add(diagEmbed(diag));
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const d = this.dim;
    const diag = value.diagonal(0, -1, -2).narrow(-1, 1, d - 1);
    const order = this.concentration.sub(1).unsqueeze(-1).mul(2).add(d).sub(arange(2, d + 1, { dtype: this.concentration.dtype }));
    const unnorm = order.mul(diag.log()).sum(-1);
    const dm1 = d - 1;
    const alpha = this.concentration.add(0.5 * dm1);
    const normalize = mvlgamma(alpha.sub(0.5), dm1).sub(alpha.lgamma().mul(dm1)).add(0.5 * dm1 * Math.log(Math.PI));
    return unnorm.sub(normalize);
  }

  protected override expandTo(batchShape: number[]): LKJCholesky {
    return new LKJCholesky(this.dim, this.concentration.expand(batchShape), { validateArgs: false });
  }
}
