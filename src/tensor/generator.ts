/**
 * Seeded random numbers. One generator type serves every random op, so the same seed gives the same
 * run on every backend and thread count (random values are always drawn here, never in a kernel).
 *
 * The core is xoshiro128** (fast, 128-bit state, passes BigCrush), seeded through splitmix32 so that
 * nearby seeds give unrelated streams.
 */
import { argError } from "./check.js";

export interface GeneratorState {
  s: [number, number, number, number];
  spareNormal: number | null;
}

export class Generator {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;
  private seedValue = 0;

  /** `new Generator(42)`: an independent stream, e.g. for a DataLoader or a split. */
  constructor(seed = 0) {
    if (typeof seed !== "number" || !Number.isFinite(seed)) throw argError("Generator", "seed", "a finite number", seed);
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new Error(`manualSeed: seed must be a finite number, got ${seed}`);
    this.seedValue = seed;
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spareNormal = null;
    return this;
  }

  initialSeed(): number {
    return this.seedValue;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal by the Box-Muller transform (the spare value is kept, and is part of the state). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number {
    const span = high - low;
    if (!(span > 0)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
    return low + Math.floor(this.random() * span);
  }

  getState(): GeneratorState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]], spareNormal: this.spareNormal };
  }

  setState(state: GeneratorState): this {
    if (!state || !Array.isArray(state.s) || state.s.length !== 4) throw new Error("Generator.setState: expected {s: [4 numbers], spareNormal}");
    this.s.set(state.s.map((v) => v >>> 0));
    this.spareNormal = state.spareNormal ?? null;
    return this;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The generator random ops use when none is passed. */
export const defaultGenerator = new Generator(0);

/** `manualSeed(0)`: reseeds the default generator, making every later random op reproducible. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
