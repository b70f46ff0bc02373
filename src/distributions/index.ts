/**
 * `distributions`: torch.distributions in camelCase. Families with PyTorch's parameters, shapes,
 * constraints and formulas; samples from deeptype's Generator (`{ generator }` on sample/rsample).
 *
 * ```ts
 * import { distributions as D } from "deeptype";
 * const q = new D.Normal(mu, sigma);
 * const kl = D.klDivergence(q, new D.Normal(0, 1));
 * ```
 */
export { Distribution, type DistributionOptions, type SampleOptions } from "./distribution.js";
export * as constraints from "./constraints.js";
export { Constraint } from "./constraints.js";
export { klDivergence, registerKl } from "./kl.js";
export { ExponentialFamily } from "./exp-family.js";
export { Normal, LogNormal } from "./normal.js";
export { Uniform } from "./uniform.js";
export { Exponential, Laplace } from "./exponential.js";
export { Bernoulli, Geometric } from "./bernoulli.js";
export { Categorical, OneHotCategorical, OneHotCategoricalStraightThrough } from "./categorical.js";
export { Poisson, Binomial } from "./poisson.js";
export { Multinomial, NegativeBinomial, MixtureSameFamily } from "./multinomial.js";
export { LogitRelaxedBernoulli, RelaxedBernoulli, ExpRelaxedCategorical, RelaxedOneHotCategorical, ContinuousBernoulli } from "./relaxed.js";
export { Gamma, Chi2, Beta, Dirichlet } from "./gamma.js";
export { Cauchy, HalfCauchy, HalfNormal, StudentT, Gumbel, Pareto, Weibull, Kumaraswamy, FisherSnedecor } from "./heavy.js";
export { MultivariateNormal, Independent, type MultivariateNormalOptions } from "./mvn.js";
export { LowRankMultivariateNormal } from "./lowrank.js";
export { VonMises, LogisticNormal } from "./circular.js";
export { Wishart } from "./wishart.js";
export { LKJCholesky } from "./lkj.js";
export { TransformedDistribution } from "./transformed.js";
export { bijectTo, transformTo, type ConstraintRegistry } from "./constraint-registry.js";
export * as transforms from "./transforms-all.js";
export { Transform, AbsTransform, ExpTransform, PowerTransform, SigmoidTransform, SoftplusTransform, TanhTransform, SoftmaxTransform, StickBreakingTransform, AffineTransform, ComposeTransform, IndependentTransform, LowerCholeskyTransform, CorrCholeskyTransform, ReshapeTransform, CumulativeDistributionTransform, identityTransform } from "./transforms.js";
export { CatTransform, StackTransform } from "./transforms-cat.js";
export { type ProbsOptions } from "./probs-logits.js";
import "./kl-pairs.js";
import "./kl-pairs-more.js";
import "./kl-pairs-heavy.js";
import "./kl-pairs-cb.js";
