/**
 * The client of exam 5.1's compression service: a separate program that has only the decoder's
 * weights (decoder.safetensors) and the codes file the company sends (codes.bin: 8-bit quantised
 * latent codes). It rebuilds the images and writes them as 8-bit pixels (recon.bin). It never
 * imports or loads the encoder.
 *
 *   node --import tsx examples/exam/p5-client.ts <folder with decoder.safetensors and codes.bin>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Tensor, noGrad } from "../../src/index.js";
import { loadWeights } from "../../src/io/checkpoint.js";
import { convDecoder } from "../exam-p5-autoencoder.js";
import { readCodes } from "./codes-file.js";

const dir = process.argv[2];
if (!dir) throw new Error("p5-client: usage: p5-client.ts <folder with decoder.safetensors and codes.bin>");
const decoder = convDecoder(14);
decoder.loadStateDict(await loadWeights(path.join(dir, "decoder.safetensors")));
const { codes } = readCodes(fs.readFileSync(path.join(dir, "codes.bin")));
const pixels = noGrad(() => decoder.call(codes).sigmoid()) as Tensor;
const bytes = Uint8Array.from(pixels.contiguous().data(), (v) => Math.round(255 * v));
fs.writeFileSync(path.join(dir, "recon.bin"), bytes);
console.log(JSON.stringify({ read: ["decoder.safetensors", "codes.bin"], images: codes.shape[0], shape: pixels.shape, wrote: "recon.bin" }));
